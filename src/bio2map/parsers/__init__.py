"""Parsers that turn published source texts (such as the BIO2 drafts) into records.

Each parser lives in its own module; :mod:`bio2map.parsers.bio2md` reads the BIO2
draft markdown (``docs/maatregelen/index.md``) in every published layout.
"""

__all__: list[str] = []
