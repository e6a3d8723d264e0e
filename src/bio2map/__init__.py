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
from bio2map.api import load
from bio2map.catalog.catalog import IMPLEMENTATION_STATUSES, Catalog
from bio2map.core import hooks
from bio2map.core.errors import (
    AmbiguousIdError,
    Bio2MapError,
    DataError,
    DataErrorGroup,
    DraftParseError,
    SourceError,
    UnknownIdError,
    UnknownVersionError,
)
from bio2map.core.ids import CanonicalId, normalize_id, readings
from bio2map.core.reader import read_manifest
from bio2map.core.vocab import RELATIONSHIPS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from bio2map.api import diff, history
    from bio2map.catalog.answers import (
        ControlMatch,
        ControlsAnswer,
        Coverage,
        CoverageItem,
        CoverageSummary,
        RequirementMatch,
        RequirementsAnswer,
        Uncovered,
    )
    from bio2map.core.records import (
        Attributes,
        Control,
        Dataset,
        Draft,
        Mapping,
        Measure,
        Requirement,
    )
    from bio2map.drafts.lineage import Lineage
    from bio2map.drafts.results import VersionDiff
    from bio2map.watch import WatchResult, watch

# The record classes live in bio2map.core.records and are imported on first use: creating
# attrs classes costs more than a whole cold query that only prints JSON.
_LAZY = {
    "Attributes": "bio2map.core.records",
    "Control": "bio2map.core.records",
    "ControlMatch": "bio2map.catalog.answers",
    "ControlsAnswer": "bio2map.catalog.answers",
    "Coverage": "bio2map.catalog.answers",
    "CoverageItem": "bio2map.catalog.answers",
    "CoverageSummary": "bio2map.catalog.answers",
    "Dataset": "bio2map.core.records",
    "Draft": "bio2map.core.records",
    "Mapping": "bio2map.core.records",
    "Measure": "bio2map.core.records",
    "Requirement": "bio2map.core.records",
    "RequirementMatch": "bio2map.catalog.answers",
    "RequirementsAnswer": "bio2map.catalog.answers",
    "Uncovered": "bio2map.catalog.answers",
    "VersionDiff": "bio2map.drafts.results",
    "Lineage": "bio2map.drafts.lineage",
    "diff": "bio2map.api",
    "history": "bio2map.api",
    "WatchResult": "bio2map.watch",
    "watch": "bio2map.watch",
}


def _provide_hooks() -> None:
    """Let lower rooms call into higher ones by name (see :mod:`bio2map.core.hooks`).

    Each provider imports its room only when it is called, so importing bio2map stays
    light.
    """

    def to_html(answer: object) -> str:
        from bio2map.render.notebook import to_html

        return to_html(answer)  # type: ignore[arg-type]

    def to_pandas(answer: object) -> object:
        from bio2map.render.notebook import to_pandas

        return to_pandas(answer)  # type: ignore[arg-type]

    def read_layer(path: str, catalog: Catalog) -> object:
        from bio2map.formats.layers import read_layer

        return read_layer(path, catalog)

    def read_soa(path: str, catalog: Catalog, *, ids: str | None = None) -> object:
        from bio2map.formats.soa import read_soa

        return read_soa(path, catalog, ids=ids)

    def read_texts(source: str, catalog: Catalog, *, cache_dir: str | None = None) -> object:
        from bio2map.drafts.texts import read_texts

        return read_texts(source, catalog, cache_dir=cache_dir)

    def diff_markdown(version_diff: object) -> str:
        from bio2map.render.diff_report import markdown

        return markdown(version_diff)  # type: ignore[arg-type]

    def report_html(coverage: object, catalog: Catalog | None, soa: object, **kw: str) -> str:
        from bio2map.formats.report_data import report_data
        from bio2map.render.report_html import html_report

        cat = load() if catalog is None else catalog
        return html_report(report_data(coverage, cat, soa, **kw))  # type: ignore[arg-type]

    def report_xlsx(
        coverage: object, path: str, catalog: Catalog | None, soa: object, **kw: str
    ) -> None:
        from bio2map.formats.report_data import report_data
        from bio2map.formats.xlsx import write_xlsx

        cat = load() if catalog is None else catalog
        write_xlsx(report_data(coverage, cat, soa, **kw), path)  # type: ignore[arg-type]

    def read_old_soa(path: str, catalog: Catalog, *, edition: str | None = None) -> object:
        from bio2map.formats.migrate import read_old_soa

        return read_old_soa(path, catalog, edition=edition)

    def watch_markdown(result: object, fail_on: tuple[str, ...]) -> str:
        from bio2map.render.watch_report import watch_markdown

        return watch_markdown(result, fail_on)  # type: ignore[arg-type]

    hooks.provide("watch_markdown", watch_markdown)
    hooks.provide("to_html", to_html)
    hooks.provide("report_html", report_html)
    hooks.provide("report_xlsx", report_xlsx)
    hooks.provide("read_old_soa", read_old_soa)
    hooks.provide("to_pandas", to_pandas)
    hooks.provide("read_layer", read_layer)
    hooks.provide("read_soa", read_soa)
    hooks.provide("read_texts", read_texts)
    from bio2map import api  # imported already (load); slugs become catalogs there

    hooks.provide("history", api.history)
    hooks.provide("diff", api.diff)
    hooks.provide("diff_markdown", diff_markdown)


_provide_hooks()


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
