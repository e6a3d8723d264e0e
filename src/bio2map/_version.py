"""Package version (kept apart from the data versions in ``data/manifest.json``)."""

__version__ = "0.1.0"
