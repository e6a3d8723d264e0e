"""Deprecated alias of :mod:`bio2map.drafts.diff` (moved in 0.2.0).

Import from the new place; this module still works and will be removed in 1.0.
"""

from __future__ import annotations

import warnings

from bio2map.drafts.diff import *  # noqa: F403

warnings.warn(
    "bio2map.draftdiff is deprecated since 0.2.0; import from bio2map.drafts.diff",
    DeprecationWarning,
    stacklevel=2,
)
