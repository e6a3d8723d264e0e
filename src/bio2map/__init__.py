"""bio2map: BIO2, NIS2 (with Implementing Regulation 2024/2690) and ISO/IEC
27001/27002:2022 as one queryable graph.

>>> import bio2map
>>> catalog = bio2map.load()            # the latest definitive BIO2 draft, no network
>>> [c.id for c in catalog.controls_for("21(2)(d)").controls][:3]
['iso27002:5.19', 'iso27002:5.20', 'iso27002:5.21']

Importing bio2map reads no file and imports no networkx; :func:`load` reads the
packaged data, and ``Catalog.graph`` builds the networkx view on first use.
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
from bio2map.model import (
    RELATIONSHIPS,
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
from bio2map.query import IMPLEMENTATION_STATUSES, Catalog

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
    "Mapping",
    "Measure",
    "Requirement",
    "RequirementMatch",
    "RequirementsAnswer",
    "SourceError",
    "Uncovered",
    "UnknownIdError",
    "UnknownVersionError",
    "__version__",
    "load",
    "normalize_id",
    "read_manifest",
    "readings",
]


def __dir__() -> list[str]:
    return list(__all__)
