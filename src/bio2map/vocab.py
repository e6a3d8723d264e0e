"""Deprecated alias of :mod:`bio2map.core.vocab` (moved in 0.2.0).

Import from the new place; this module still works and will be removed in 1.0.
"""

from __future__ import annotations

import warnings

from bio2map.core.vocab import *  # noqa: F403

warnings.warn(
    "bio2map.vocab is deprecated since 0.2.0; import from bio2map.core.vocab",
    DeprecationWarning,
    stacklevel=2,
)
