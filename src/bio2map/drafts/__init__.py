"""The drafts room: the BIO2 markdown parser, texts on demand, text signatures, the
draft matcher, lineage and the diff.

Imports :mod:`bio2map.core` and :mod:`bio2map.catalog`. See docs/architecture.md.
"""
