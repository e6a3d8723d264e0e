"""Deprecated alias of :mod:`bio2map.drafts.parser` (moved in 0.2.0).

Import from the new place; this module still works and will be removed in 1.0.
"""

from __future__ import annotations

import warnings

from bio2map.drafts.parser import *  # noqa: F403

warnings.warn(
    "bio2map.parsers.bio2md is deprecated since 0.2.0; import from bio2map.drafts.parser",
    DeprecationWarning,
    stacklevel=2,
)
