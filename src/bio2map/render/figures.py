"""Figures for Jupyter: how far an SoA covers NIS2, and what changed between BIO2 drafts.

* :func:`coverage_heatmap` draws how far an SoA covers each NIS2 Art. 21(2) point,
  split by ISO/IEC 27002 theme or by the values of one 27002 attribute;
  :func:`coverage_grid` gives the same figures without matplotlib.
* :func:`changes_per_draft` draws the entries of every BIO2 draft per kind and,
  optionally, what changed between consecutive drafts.

Importing this module imports no matplotlib: each figure function imports it, and
raises :class:`ImportError` naming the extra to install (``pip install
'bio2map[plot]'``) when it is missing. Figures are made with
:class:`matplotlib.figure.Figure` directly, not through ``pyplot``, so they hold no
global state and need no GUI backend.

All of it is re-exported by :mod:`bio2map.render.notebook`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import importlib
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from types import ModuleType

    from matplotlib.figure import Figure

    from bio2map.catalog.answers import Coverage
    from bio2map.catalog.catalog import Catalog

__all__ = [
    "ATTRIBUTE_NAMES",
    "DRAFT_KINDS",
    "TRANSITION_KINDS",
    "CoverageGrid",
    "changes_per_draft",
    "coverage_grid",
    "coverage_heatmap",
]

ATTRIBUTE_NAMES: Final = (
    "control_type",
    "information_security_properties",
    "cybersecurity_concepts",
    "operational_capabilities",
    "security_domains",
)
"""The ISO/IEC 27002:2022 attribute dimensions :func:`coverage_heatmap` can split by."""

DRAFT_KINDS: Final = ("measures", "no_measure", "moved", "withdrawn", "see_other")
"""The ``Draft.counts`` keys :func:`changes_per_draft` stacks, bottom to top."""

TRANSITION_KINDS: Final = ("added", "removed", "retired", "moved")
"""The ``VersionDiff.as_dict()`` lists :func:`changes_per_draft` counts per transition."""

_THEMES: Final = ("organizational", "people", "physical", "technological")
# Column order of the attribute values: the order of ISO/IEC 27002:2022, 4.2. Values
# the data holds that are not listed here follow, sorted.
_VALUE_ORDER: Final[Mapping[str, tuple[str, ...]]] = {
    "control_type": ("Preventive", "Detective", "Corrective"),
    "information_security_properties": ("Confidentiality", "Integrity", "Availability"),
    "cybersecurity_concepts": ("Identify", "Protect", "Detect", "Respond", "Recover"),
    "operational_capabilities": (
        "Governance",
        "Asset_management",
        "Information_protection",
        "Human_resource_security",
        "Physical_security",
        "System_and_network_security",
        "Application_security",
        "Secure_configuration",
        "Identity_and_access_management",
        "Threat_and_vulnerability_management",
        "Continuity",
        "Supplier_relationships_security",
        "Legal_and_compliance",
        "Information_security_event_management",
        "Information_security_assurance",
    ),
    "security_domains": ("Governance_and_Ecosystem", "Protection", "Defence", "Resilience"),
}
_LABEL_WIDTH: Final = 42  # characters of a row label in the heatmap


def _needs_matplotlib(what: str) -> str:
    return (
        f"bio2map.render.notebook.{what} needs matplotlib, which is not installed; "
        "install it with: pip install 'bio2map[plot]'"
    )


def _diff_module() -> ModuleType | None:
    """``bio2map.drafts.diff`` when it is there, else None."""
    try:
        return importlib.import_module("bio2map.drafts.diff")
    except ModuleNotFoundError as e:
        if e.name != "bio2map.drafts.diff":
            raise
        return None


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- coverage heatmap -------------------------------------------------------------------


class CoverageGrid(NamedTuple):
    """The figures behind :func:`coverage_heatmap`.

    Attributes:
        by: ``theme`` or an attribute name from :data:`ATTRIBUTE_NAMES`.
        rows: the canonical ids of the NIS2 Art. 21(2) points, in document order.
        labels: ``Art. 21(2)(d) supply chain security``, one per row.
        columns: the themes or attribute values, in the standard's order.
        mapped: per row and column, how many ISO/IEC 27002 controls mapped to the
            point carry that theme or value.
        implemented: how many of those the coverage counts as implemented.
        shares: ``implemented / mapped``, or None where nothing is mapped.

    .. versionadded:: 0.1.0
    """

    by: str
    rows: tuple[str, ...]
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    mapped: tuple[tuple[int, ...], ...]
    implemented: tuple[tuple[int, ...], ...]
    shares: tuple[tuple[float | None, ...], ...]


def _control_values(
    catalog: Catalog, by: str
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Control id -> its values for ``by``, and the columns in order."""
    if by != "theme" and by not in ATTRIBUTE_NAMES:
        choices = ("theme", *ATTRIBUTE_NAMES)
        msg = f"by must be 'theme' or an attribute name ({', '.join(choices[1:])}); got {by!r}"
        close = difflib.get_close_matches(str(by), choices, n=1)
        if close:
            msg += f" (did you mean {close[0]!r}?)"
        raise ValueError(msg)
    values: dict[str, tuple[str, ...]] = {}
    for c in catalog.controls:
        if by == "theme":
            values[c.id] = (c.theme,) if c.theme else ()
        elif c.attributes is not None:
            values[c.id] = tuple(getattr(c.attributes, by))
    present = {v for vs in values.values() for v in vs}
    order = _THEMES if by == "theme" else _VALUE_ORDER.get(by, ())
    columns = tuple(v for v in order if v in present) + tuple(sorted(present - set(order)))
    return values, columns


def coverage_grid(coverage: Coverage, catalog: Catalog, by: str = "theme") -> CoverageGrid:
    """Per NIS2 Art. 21(2) point and per theme (or attribute value): how many of the
    mapped ISO/IEC 27002 controls are implemented.

    A control that carries several values of an attribute (a control that is both
    Preventive and Detective) counts in each of their columns. Only ISO/IEC 27002
    controls count: ISO/IEC 27001 clauses (assessed when the SoA names one) have no theme and
    no attributes. A control counts as implemented when the coverage does (status
    ``implemented``; a ``partial`` one is missing here).

    Args:
        coverage: the answer of :meth:`Catalog.coverage <bio2map.catalog.catalog.Catalog.coverage>`.
        catalog: the catalog it came from (for themes, attributes and labels).
        by: ``theme`` or one of :data:`ATTRIBUTE_NAMES`.

    Raises:
        ValueError: ``by`` is neither (the message suggests the closest name).

    .. versionadded:: 0.1.0
    """
    values, columns = _control_values(catalog, by)
    index = {v: i for i, v in enumerate(columns)}
    ids, labels, mapped, done, shares = [], [], [], [], []
    for item in coverage.points:
        m = [0] * len(columns)
        d = [0] * len(columns)
        implemented = set(item.implemented)
        for cid in item.mapped:
            for v in values.get(cid, ()):
                m[index[v]] += 1
                d[index[v]] += cid in implemented
        req = catalog.get(item.id)
        ids.append(item.id)
        labels.append(f"{getattr(req, 'ref', item.id)} {getattr(req, 'label', '')}".strip())
        mapped.append(tuple(m))
        done.append(tuple(d))
        shares.append(tuple(round(x / y, 4) if y else None for x, y in zip(d, m, strict=True)))
    return CoverageGrid(
        by, tuple(ids), tuple(labels), columns, tuple(mapped), tuple(done), tuple(shares)
    )


def coverage_heatmap(coverage: Coverage, catalog: Catalog, by: str = "theme") -> Figure:
    """A heatmap of a coverage: Art. 21(2) points (rows) against ISO/IEC 27002 themes or
    the values of one 27002 attribute (columns).

    Each cell is the share of the controls mapped to that point, with that theme or
    value, that are implemented, and is labelled ``implemented/mapped``; a cell where
    no mapped control has that theme or value stays grey. See :func:`coverage_grid`
    for the figures and the counting rule.

    Args:
        coverage: the answer of :meth:`Catalog.coverage <bio2map.catalog.catalog.Catalog.coverage>`.
        catalog: the catalog it came from.
        by: ``theme`` (default) or one of :data:`ATTRIBUTE_NAMES`
            (``cybersecurity_concepts``, ...).

    Returns:
        A :class:`matplotlib.figure.Figure` (not registered with ``pyplot``); save it
        with ``fig.savefig("coverage.png")``.

    Raises:
        ImportError: matplotlib is not installed (``pip install 'bio2map[plot]'``).
        ValueError: ``by`` is not ``theme`` or an attribute name.

    .. versionadded:: 0.1.0
    """
    try:
        import matplotlib as mpl
        from matplotlib.figure import Figure
    except ImportError as e:
        msg = _needs_matplotlib("coverage_heatmap")
        raise ImportError(msg) from e
    grid = coverage_grid(coverage, catalog, by)
    nrows, ncols = len(grid.rows), len(grid.columns)
    labels = [_truncate(label, _LABEL_WIDTH) for label in grid.labels]
    width = 1.5 + 0.075 * max((len(label) for label in labels), default=10) + 0.75 * ncols
    fig = Figure(figsize=(max(width, 6.0), 1.8 + 0.42 * nrows), layout="constrained")
    ax = fig.add_subplot()
    data = [[float("nan") if s is None else s for s in row] for row in grid.shares]
    cmap = mpl.colormaps["RdYlGn"].with_extremes(bad="#e6e6e6")
    image = ax.imshow(data, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    for r in range(nrows):
        for c in range(ncols):
            if grid.mapped[r][c]:
                ax.text(
                    c,
                    r,
                    f"{grid.implemented[r][c]}/{grid.mapped[r][c]}",
                    ha="center",
                    va="center",
                    fontsize=8,
                )
    ax.set_xticks(
        range(ncols),
        labels=[v.replace("_", " ") for v in grid.columns],
        rotation=30 if ncols > 4 else 0,
        ha="right" if ncols > 4 else "center",
    )
    ax.set_yticks(range(nrows), labels=labels)
    ax.set_title(f"Share of mapped controls implemented, by {by.replace('_', ' ')}")
    fig.colorbar(image, ax=ax, label="share implemented")
    return fig


# --- drafts -----------------------------------------------------------------------------


def changes_per_draft(catalog: Catalog, *, transitions: bool = False) -> Figure:
    """Stacked bars of the entries of every BIO2 draft, per kind (from ``Draft.counts``).

    Args:
        catalog: any catalog (every one knows all drafts).
        transitions: also draw, in a second panel, how many ids were added, removed
            and retired and how many measures moved between consecutive drafts
            (:data:`TRANSITION_KINDS`, from :func:`bio2map.drafts.diff.diff`, offline).
            Ignored when ``bio2map.drafts.diff`` is not there.

    Returns:
        A :class:`matplotlib.figure.Figure` (not registered with ``pyplot``).

    Raises:
        ImportError: matplotlib is not installed (``pip install 'bio2map[plot]'``).

    .. versionadded:: 0.1.0
    """
    try:
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as e:
        msg = _needs_matplotlib("changes_per_draft")
        raise ImportError(msg) from e
    drafts = catalog.drafts
    slugs = [d.slug for d in drafts]
    steps = _transitions(slugs) if transitions else None
    fig = Figure(figsize=(12.0 if steps else 7.0, 4.5), layout="constrained")
    axes = fig.subplots(1, 2 if steps else 1, squeeze=False)[0]
    ax = axes[0]
    x = list(range(len(drafts)))
    bottom = [0] * len(drafts)
    for kind in DRAFT_KINDS:
        counts = [dict(d.counts).get(kind, 0) for d in drafts]
        ax.bar(x, counts, bottom=bottom, label=kind.replace("_", "-"))
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_xticks(x, labels=slugs, rotation=30, ha="right")
    ax.set_ylabel("entries")
    ax.set_title("BIO2 entries per draft and kind")
    ax.set_ylim(0, max(bottom, default=0) * 1.3 + 1)
    ax.legend(fontsize=8, ncols=3, loc="upper left")
    if steps:
        tx = axes[1]
        width = 0.8 / len(TRANSITION_KINDS)
        pos = list(range(len(steps)))
        for k, kind in enumerate(TRANSITION_KINDS):
            offset = (k - (len(TRANSITION_KINDS) - 1) / 2) * width
            tx.bar([p + offset for p in pos], [s[1][kind] for s in steps], width, label=kind)
        tx.set_xticks(pos, labels=[s[0] for s in steps], rotation=30, ha="right")
        tx.set_xlabel("into this draft, from the one before")
        tx.set_ylabel("ids or measures")
        tx.set_title("Changes between consecutive drafts")
        top = max((n for s in steps for n in s[1].values()), default=0)
        tx.set_ylim(0, top * 1.3 + 1)
        tx.yaxis.set_major_locator(MaxNLocator(integer=True))
        tx.legend(fontsize=8, ncols=4, loc="upper left")
    return fig


def _transitions(slugs: Sequence[str]) -> list[tuple[str, dict[str, int]]] | None:
    """``("1.3", {"added": 6, ...})`` per draft after the first, or None without diff."""
    module = _diff_module()
    if module is None:
        return None
    out = []
    for old, new in itertools.pairwise(slugs):
        doc = module.diff(old, new).as_dict()
        out.append((new, {k: len(doc.get(k, ())) for k in TRANSITION_KINDS}))
    return out
