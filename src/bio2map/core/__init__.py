"""The data room: ids, vocabulary, errors, frozen records and the packaged-data reader.

Lowest room of the house: it imports no other bio2map room. See docs/architecture.md.
"""
