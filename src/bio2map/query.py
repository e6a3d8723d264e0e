"""Deprecated alias of :mod:`bio2map.catalog.catalog` (moved in 0.2.0).

Import from the new place; this module still works and will be removed in 1.0.
"""

from __future__ import annotations

import warnings

from bio2map.catalog.catalog import *  # noqa: F403

warnings.warn(
    "bio2map.query is deprecated since 0.2.0; import from bio2map.catalog.catalog",
    DeprecationWarning,
    stacklevel=2,
)
