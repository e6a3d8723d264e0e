"""Deprecated alias of :mod:`bio2map.core.records` and :mod:`bio2map.catalog.answers`
(moved in 0.2.0).

Import from the new place; this module still works and will be removed in 1.0.
"""

from __future__ import annotations

import warnings

from bio2map.catalog.answers import *  # noqa: F403
from bio2map.core.display import *  # noqa: F403
from bio2map.core.records import *  # noqa: F403

warnings.warn(
    "bio2map.model is deprecated since 0.2.0; import from bio2map.core.records",
    DeprecationWarning,
    stacklevel=2,
)
