"""bio2map: BIO2, NIS2 (with Implementing Regulation 2024/2690) and ISO/IEC
27001/27002:2022 as one queryable graph.

Examples:
    >>> import bio2map
    >>> catalog = bio2map.load()            # the latest definitive BIO2 draft, no network
    >>> [c.id for c in catalog.controls_for("21(2)(d)").controls][:3]
    ['iso27002:5.19', 'iso27002:5.20', 'iso27002:5.21']

Importing bio2map reads no file and imports neither networkx nor (until a record is
needed) attrs; :func:`load` reads the packaged data, and ``Catalog.graph`` builds the
networkx view on first use.
"""

from __future__ import annotations

from bio2map._version import __version__
from bio2map.errors import (
    AmbiguousIdError,
    Bio2MapError,
    DataError,
    DataErrorGroup,
    DraftParseError,
    SourceError,
    UnknownIdError,
    UnknownVersionError,
)
from bio2map.ids import CanonicalId, normalize_id, readings
from bio2map.load import load, read_manifest
from bio2map.query import IMPLEMENTATION_STATUSES, Catalog
from bio2map.vocab import RELATIONSHIPS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from bio2map.draftdiff import Lineage, VersionDiff, diff, history
    from bio2map.model import (
        Attributes,
        Control,
        ControlMatch,
        ControlsAnswer,
        Coverage,
        CoverageItem,
        CoverageSummary,
        Dataset,
        Draft,
        Mapping,
        Measure,
        Requirement,
        RequirementMatch,
        RequirementsAnswer,
        Uncovered,
    )
    from bio2map.watch import WatchResult, watch

# The record classes live in bio2map.model and are imported on first use: creating
# attrs classes costs more than a whole cold query that only prints JSON.
_LAZY = {
    "Attributes": "bio2map.model",
    "Control": "bio2map.model",
    "ControlMatch": "bio2map.model",
    "ControlsAnswer": "bio2map.model",
    "Coverage": "bio2map.model",
    "CoverageItem": "bio2map.model",
    "CoverageSummary": "bio2map.model",
    "Dataset": "bio2map.model",
    "Draft": "bio2map.model",
    "Mapping": "bio2map.model",
    "Measure": "bio2map.model",
    "Requirement": "bio2map.model",
    "RequirementMatch": "bio2map.model",
    "RequirementsAnswer": "bio2map.model",
    "Uncovered": "bio2map.model",
    "VersionDiff": "bio2map.draftdiff",
    "Lineage": "bio2map.draftdiff",
    "diff": "bio2map.draftdiff",
    "history": "bio2map.draftdiff",
    "WatchResult": "bio2map.watch",
    "watch": "bio2map.watch",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'bio2map' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "IMPLEMENTATION_STATUSES",
    "RELATIONSHIPS",
    "AmbiguousIdError",
    "Attributes",
    "Bio2MapError",
    "CanonicalId",
    "Catalog",
    "Control",
    "ControlMatch",
    "ControlsAnswer",
    "Coverage",
    "CoverageItem",
    "CoverageSummary",
    "DataError",
    "DataErrorGroup",
    "Dataset",
    "Draft",
    "DraftParseError",
    "Lineage",
    "Mapping",
    "Measure",
    "Requirement",
    "RequirementMatch",
    "RequirementsAnswer",
    "SourceError",
    "Uncovered",
    "UnknownIdError",
    "UnknownVersionError",
    "VersionDiff",
    "WatchResult",
    "__version__",
    "diff",
    "history",
    "load",
    "normalize_id",
    "read_manifest",
    "readings",
    "watch",
]


def __dir__() -> list[str]:
    return list(__all__)
