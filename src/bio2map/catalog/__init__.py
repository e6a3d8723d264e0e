"""The catalog room: indices over the raw records, path composition, coverage and the
frozen networkx view. Built from records handed to it; reads no user file.

Imports only :mod:`bio2map.core`. See docs/architecture.md.
"""
