"""Deprecated: the parsers moved to :mod:`bio2map.drafts.parser` and
:mod:`bio2map.formats.soa` (0.2.0)."""
