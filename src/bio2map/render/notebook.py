"""Helpers for Jupyter: answers as HTML tables and DataFrames, coverage and draft figures.

* :func:`to_html` renders a :class:`~bio2map.catalog.answers.ControlsAnswer`,
  :class:`~bio2map.catalog.answers.RequirementsAnswer`, :class:`~bio2map.catalog.answers.Coverage`,
  :class:`~bio2map.catalog.answers.Uncovered`, or anything with an ``as_dict()`` method (a
  :class:`~bio2map.drafts.diff.VersionDiff`), as compact HTML tables with captions. Every
  text is escaped and the output depends on the answer only, so it is the same on
  every run.
* :func:`to_pandas` gives one row per control, requirement, coverage item, gap or
  diff entry (needs ``pip install 'bio2map[pandas]'``).
* :func:`coverage_heatmap` draws how far an SoA covers each NIS2 Art. 21(2) point,
  split by ISO/IEC 27002 theme or by the values of one 27002 attribute;
  :func:`coverage_grid` gives the same figures without matplotlib.
* :func:`changes_per_draft` draws the entries of every BIO2 draft per kind and,
  optionally, what changed between consecutive drafts (needs ``pip install
  'bio2map[plot]'``).

Importing this module imports neither pandas nor matplotlib: each function imports
what it needs, and raises :class:`ImportError` naming the extra to install when it
is missing. Figures are made with :class:`matplotlib.figure.Figure` directly, not
through ``pyplot``, so they hold no global state and need no GUI backend; in Jupyter,
run ``%matplotlib inline`` once to have a returned figure drawn.

The output holds ids, short titles, our short labels, relationships and counts; never
measure texts, even when they are attached to the catalog.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import html
import importlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd
    from matplotlib.figure import Figure

    from bio2map.catalog.answers import (
        ControlsAnswer,
        Coverage,
        CoverageItem,
        RequirementsAnswer,
        Uncovered,
    )
    from bio2map.catalog.catalog import Catalog

__all__ = [
    "ATTRIBUTE_NAMES",
    "DRAFT_KINDS",
    "TRANSITION_KINDS",
    "CoverageGrid",
    "SupportsAsDict",
    "changes_per_draft",
    "coverage_grid",
    "coverage_heatmap",
    "to_html",
    "to_pandas",
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
_SHORT: Final = 4  # ids shown in a list cell before "(+n)"
_TOOLTIP: Final = 40  # ids in the tooltip of a shortened list
_LABEL_WIDTH: Final = 42  # characters of a row label in the heatmap
_DEFAULT_MAX_ROWS: Final = 60


class SupportsAsDict(Protocol):
    """Anything with a JSON-ready ``as_dict()``: every answer record, a ``VersionDiff``.

    .. versionadded:: 0.1.0
    """

    def as_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready data."""
        ...  # pragma: no cover


# --- optional dependencies ------------------------------------------------------------


def _missing(package: str, extra: str, what: str) -> str:
    return (
        f"bio2map.render.notebook.{what} needs {package}, which is not installed; "
        f"install it with: pip install 'bio2map[{extra}]'"
    )


def _diff_module() -> ModuleType | None:
    """``bio2map.drafts.diff`` when it is there, else None."""
    try:
        return importlib.import_module("bio2map.drafts.diff")
    except ModuleNotFoundError as e:
        if e.name != "bio2map.drafts.diff":
            raise
        return None


# --- cells and tables -----------------------------------------------------------------


class _Cell(NamedTuple):
    text: str
    full: str = ""  # the whole value, as a tooltip, when ``text`` is shortened


class _Table(NamedTuple):
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[_Cell, ...]]
    empty: str = "none"
    limited: bool = True  # False: max_rows does not apply (a short summary table)


def _cell(value: object) -> _Cell:
    """A scalar, a list of scalars, a list of records or a mapping, as a table cell."""
    if value is None:
        return _Cell("")
    if isinstance(value, bool):
        return _Cell("yes" if value else "no")
    if isinstance(value, float):
        return _Cell(format(value, "g"))
    if isinstance(value, str | int):
        return _Cell(str(value))
    if isinstance(value, Mapping):
        return _Cell(", ".join(f"{k}: {_cell(v).text}" for k, v in value.items()))
    if isinstance(value, Sequence):
        if any(isinstance(v, Mapping) for v in value):
            # nested records (word-level differences, ...): counted, never shown
            return _Cell(f"{len(value)} item" + ("" if len(value) == 1 else "s"))
        return _ids([_cell(v).text for v in value])
    return _Cell(str(value))


def _ids(ids: Sequence[str], n: int = _SHORT) -> _Cell:
    """``a, b, c, d (+5)`` with the list (up to :data:`_TOOLTIP` ids) as a tooltip."""
    if len(ids) <= n:
        return _Cell(", ".join(ids))
    more = len(ids) - _TOOLTIP
    full = ", ".join(ids[:_TOOLTIP]) + (f" (+{more})" if more > 0 else "")
    return _Cell(", ".join(ids[:n]) + f" (+{len(ids) - n})", full)


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _plain(cid: str) -> str:
    return cid.partition(":")[2] or cid


def _row(*values: object) -> tuple[_Cell, ...]:
    return tuple(v if isinstance(v, _Cell) else _cell(v) for v in values)


def _td(cell: _Cell, tag: str = "td") -> str:
    title = f' title="{html.escape(cell.full, quote=True)}"' if cell.full else ""
    return f"<{tag}{title}>{html.escape(cell.text, quote=True)}</{tag}>"


def _render(tables: Sequence[_Table], max_rows: int | None) -> str:
    out = ['<div class="bio2map">']
    for t in tables:
        width = len(t.headers)
        out.append('<table class="bio2map-table">')
        out.append(f"<caption>{html.escape(t.caption, quote=True)}</caption>")
        out.append(
            "<thead><tr>" + "".join(_td(_Cell(h), "th") for h in t.headers) + "</tr></thead>"
        )
        out.append("<tbody>")
        shown = t.rows if max_rows is None or not t.limited else t.rows[:max_rows]
        out.extend("<tr>" + "".join(_td(c) for c in r) + "</tr>" for r in shown)
        more = len(t.rows) - len(shown)
        if more:
            note = f"… {more} more row{'s' if more > 1 else ''} (to_pandas() gives all)"
            out.append(f'<tr><td colspan="{width}">{html.escape(note)}</td></tr>')
        if not t.rows:
            out.append(f'<tr><td colspan="{width}">{html.escape(t.empty)}</td></tr>')
        out.append("</tbody>")
        out.append("</table>")
    out.append("</div>")
    return "\n".join(out) + "\n"


# --- tables per answer ------------------------------------------------------------------


def _controls_tables(a: ControlsAnswer) -> list[_Table]:
    r = a.requirement
    n = len(a.controls)
    caption = (
        f"ISO controls for {r.id} ({r.ref}): {r.label} - BIO2 {a.bio2_version}, "
        f"{n} control{'' if n == 1 else 's'}"
    )
    empty = "no ISO control reaches this requirement"
    if r.addressed_by == "legislation":
        empty += "; it is addressed by legislation" + (f" ({', '.join(r.law)})" if r.law else "")
    rows = [
        _row(
            c.control.id,
            c.control.ref,
            c.control.title,
            c.relationship,
            _ids(c.via),
            _ids([_plain(m) for m in c.measures]),
        )
        for c in a.controls
    ]
    headers = ("control", "ref", "title", "relationship", "via (2024/2690)", "BIO2 measures")
    return [_Table(caption, headers, rows, empty)]


def _requirements_tables(a: RequirementsAnswer) -> list[_Table]:
    c = a.control
    n = len(a.requirements)
    measure = f", for BIO2 measure {_plain(a.measure)}" if a.measure else ""
    caption = (
        f"NIS2 and 2024/2690 requirements for {c.id} ({c.ref}): {c.title}{measure} - "
        f"{n} requirement{'' if n == 1 else 's'}"
    )
    rows = [
        _row(m.requirement.id, m.requirement.ref, m.requirement.label, m.relationship, _ids(m.via))
        for m in a.requirements
    ]
    headers = ("requirement", "ref", "label", "relationship", "via (2024/2690)")
    return [_Table(caption, headers, rows, "no NIS2 requirement reaches this control")]


def _coverage_rows(items: Iterable[CoverageItem]) -> list[tuple[_Cell, ...]]:
    return [
        _row(
            i.id,
            i.status,
            f"{i.share:.2f}",
            f"{len(i.implemented)} of {len(i.mapped)}",
            _ids([_plain(m) for m in i.missing]),
            i.relationship,
            i.note,
        )
        for i in items
    ]


def _coverage_tables(a: Coverage) -> list[_Table]:
    s = a.summary
    headers = ("point", "status", "share", "implemented", "missing", "relationship", "note")
    return [
        _Table(
            f"NIS2 Art. 21(2) points: {s.points_full} full, {s.points_partial} partial, "
            f"{s.points_none} none ({s.points_covered_share:.0%} at least partially covered; "
            f"{s.controls_counted} of {s.controls_given} given controls counted)",
            headers,
            _coverage_rows(a.points),
        ),
        _Table(
            f"2024/2690 requirements: {s.requirements_full} full, {s.requirements_partial} "
            f"partial, {s.requirements_none} none ({s.requirements_unmapped} unmapped)",
            ("requirement", *headers[1:]),
            _coverage_rows(a.requirements),
        ),
        _Table(
            "NIS2 obligations handled by legislation (no control can cover them)",
            ("requirement", "ref", "label", "law"),
            [_row(r.id, r.ref, r.label, list(r.law)) for r in a.legislation],
        ),
    ]


def _uncovered_tables(a: Uncovered) -> list[_Table]:
    v = a.bio2_version
    return [
        _Table(
            "NIS2 obligations no ISO control reaches",
            ("requirement", "ref", "label", "addressed by", "law"),
            [
                _row(r.id, r.ref, r.label, r.addressed_by, list(r.law))
                for r in a.nis2_without_controls
            ],
        ),
        _Table(
            "2024/2690 requirements without an ISO target",
            ("requirement", "kind", "label"),
            [_row(r.id, r.kind, r.label) for r in a.ir2690_without_target],
        ),
        _Table(
            "ISO 27002 controls no NIS2 requirement reaches",
            ("control", "ref", "title"),
            [_row(c.id, c.ref, c.title) for c in a.controls_without_requirement],
        ),
        _Table(
            f"ISO 27002 controls without a BIO2 {v} measure",
            ("control", "ref", "title"),
            [_row(c.id, c.ref, c.title) for c in a.controls_without_measure],
        ),
        _Table(
            f"BIO2 {v} measures that trace to no NIS2 requirement",
            ("measure", "control"),
            [_row(m.id, m.control) for m in a.measures_without_requirement],
        ),
    ]


def _is_records(value: object) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def _has_lists(value: Mapping[str, Any]) -> bool:
    return any(isinstance(v, Sequence) and not isinstance(v, str) for v in value.values())


def _columns(records: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    return tuple(seen)


def _generic_caption(doc: Mapping[str, Any], name: str) -> str:
    old, new = doc.get("from"), doc.get("to")
    if isinstance(old, str) and isinstance(new, str):
        return f"{name} {old} -> {new}"
    return name


def _generic_tables(doc: Mapping[str, Any], caption: str, prefix: str = "") -> list[_Table]:
    """One ``field | value`` table, then a table per list of records and nested section."""
    fields: list[tuple[_Cell, ...]] = []
    more: list[_Table] = []
    for key, value in doc.items():
        name = prefix + str(key)
        if isinstance(value, Mapping) and _has_lists(value):
            fields.append(_row(name, "see below"))
            more.extend(_generic_tables(value, name, name + "."))
        elif _is_records(value):
            n = len(value)
            fields.append(_row(name, f"{n} entr{'y' if n == 1 else 'ies'}, see below"))
            cols = _columns(value)
            rows = [_row(*(r.get(c) for c in cols)) for r in value]
            more.append(_Table(f"{name} ({n})", cols, rows))
        elif isinstance(value, Sequence) and not isinstance(value, str):
            cell = _cell(value)
            text = f"{len(value)}: {cell.text}" if value else "0"
            fields.append(_row(name, _Cell(text, cell.full)))
        else:
            fields.append(_row(name, value))
    return [_Table(caption, ("field", "value"), fields, limited=False), *more]


def _tables(answer: object) -> list[_Table]:
    from bio2map.catalog import answers as model

    if isinstance(answer, model.ControlsAnswer):
        return _controls_tables(answer)
    if isinstance(answer, model.RequirementsAnswer):
        return _requirements_tables(answer)
    if isinstance(answer, model.Coverage):
        return _coverage_tables(answer)
    if isinstance(answer, model.Uncovered):
        return _uncovered_tables(answer)
    doc, name = _as_dict(answer, "to_html")
    return _generic_tables(doc, _generic_caption(doc, name))


def _as_dict(answer: object, what: str) -> tuple[Mapping[str, Any], str]:
    if isinstance(answer, Mapping):
        return answer, "answer"
    as_dict = getattr(answer, "as_dict", None)
    if not callable(as_dict):
        msg = (
            f"bio2map.render.notebook.{what} takes an answer record or an object with as_dict() "
            f"(got {type(answer).__name__!r})"
        )
        raise TypeError(msg)
    doc = as_dict()
    if not isinstance(doc, Mapping):
        name = type(answer).__name__
        msg = f"{name}.as_dict() must return a mapping (got {type(doc).__name__!r})"
        raise TypeError(msg)
    return doc, type(answer).__name__


def to_html(
    answer: SupportsAsDict | Mapping[str, Any], *, max_rows: int | None = _DEFAULT_MAX_ROWS
) -> str:
    """Render an answer as compact HTML tables, each with a caption.

    Args:
        answer: a :class:`~bio2map.catalog.answers.ControlsAnswer`,
            :class:`~bio2map.catalog.answers.RequirementsAnswer`,
            :class:`~bio2map.catalog.answers.Coverage` or
            :class:`~bio2map.catalog.answers.Uncovered`; or any object with an ``as_dict()``
            method (a :class:`~bio2map.drafts.diff.VersionDiff`), or such a dict itself. Those
            get a ``field | value`` table, then one table per list of records
            (``moved``, ``changed``, ...) and per nested section (``impact``).
        max_rows: rows shown per table; the rest is summed up in a last row
            (``… 291 more rows``). None shows every row.

    Returns:
        One ``<div class="bio2map">`` holding ``<table class="bio2map-table">``
        elements, one line per row, ending with a newline. Every text is escaped; long
        lists of ids are cut after four (``a, b, c, d (+18)``), with up to 40 of them in
        the cell's ``title``. The same answer always gives the same string.

    Raises:
        TypeError: ``answer`` is none of the above.
        ValueError: ``max_rows`` is negative.

    Examples:
        >>> import bio2map
        >>> text = to_html(bio2map.load("1.3").controls_for("21(2)(d)"))
        >>> text.splitlines()[2][:60]
        '<caption>ISO controls for nis2:21.2.d (Art. 21(2)(d)): suppl'

    .. versionadded:: 0.1.0
    """
    if max_rows is not None and max_rows < 0:
        msg = f"max_rows must be None or at least 0 (got {max_rows!r})"
        raise ValueError(msg)
    return _render(_tables(answer), max_rows)


# --- DataFrames ---------------------------------------------------------------------------


_CONTROL_COLUMNS: Final = (
    "requirement",
    "id",
    "ref",
    "kind",
    "title",
    "relationship",
    "via",
    "sources",
    "measures",
)
_REQUIREMENT_COLUMNS: Final = (
    "control",
    "measure",
    "id",
    "framework",
    "ref",
    "kind",
    "label",
    "relationship",
    "via",
    "sources",
)
_COVERAGE_COLUMNS: Final = (
    "group",
    "id",
    "status",
    "share",
    "relationship",
    "n_mapped",
    "n_implemented",
    "mapped",
    "implemented",
    "missing",
    "note",
)
_UNCOVERED_COLUMNS: Final = ("gap", "id", "ref", "label", "addressed_by", "law", "control")


def _frozen(value: object) -> object:
    """Lists (also nested) as tuples, so DataFrame cells hash and compare."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _records(answer: object) -> tuple[tuple[str, ...], list[dict[str, Any]], dict[str, Any]]:
    """Columns, rows and ``DataFrame.attrs`` for :func:`to_pandas`."""
    from bio2map.catalog import answers as model

    rows: list[dict[str, Any]]
    meta: dict[str, Any]
    if isinstance(answer, model.ControlsAnswer):
        r = answer.requirement
        rows = [
            {
                "requirement": r.id,
                "id": c.control.id,
                "ref": c.control.ref,
                "kind": c.control.kind,
                "title": c.control.title,
                "relationship": c.relationship,
                "via": c.via,
                "sources": c.sources,
                "measures": c.measures,
            }
            for c in answer.controls
        ]
        meta = {
            "requirement": r.id,
            "label": r.label,
            "addressed_by": r.addressed_by,
            "bio2_version": answer.bio2_version,
        }
        return _CONTROL_COLUMNS, rows, meta
    if isinstance(answer, model.RequirementsAnswer):
        rows = [
            {
                "control": answer.control.id,
                "measure": answer.measure,
                "id": m.requirement.id,
                "framework": m.requirement.framework,
                "ref": m.requirement.ref,
                "kind": m.requirement.kind,
                "label": m.requirement.label,
                "relationship": m.relationship,
                "via": m.via,
                "sources": m.sources,
            }
            for m in answer.requirements
        ]
        meta = {
            "control": answer.control.id,
            "title": answer.control.title,
            "measure": answer.measure,
        }
        return _REQUIREMENT_COLUMNS, rows, meta
    if isinstance(answer, model.Coverage):
        rows = [
            {
                "group": group,
                "id": i.id,
                "status": i.status,
                "share": i.share,
                "relationship": i.relationship,
                "n_mapped": len(i.mapped),
                "n_implemented": len(i.implemented),
                "mapped": i.mapped,
                "implemented": i.implemented,
                "missing": i.missing,
                "note": i.note,
            }
            for group, items in (("point", answer.points), ("requirement", answer.requirements))
            for i in items
        ]
        meta = {
            "summary": answer.summary.as_dict(),
            "legislation": tuple(r.id for r in answer.legislation),
        }
        return _COVERAGE_COLUMNS, rows, meta
    if isinstance(answer, model.Uncovered):
        return _UNCOVERED_COLUMNS, _uncovered_records(answer), {"bio2_version": answer.bio2_version}
    doc, _ = _as_dict(answer, "to_pandas")
    rows, meta = _generic_records(doc)
    return _columns([{"category": None}, *rows]), rows, meta


def _uncovered_records(a: Uncovered) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    empty = dict.fromkeys(_UNCOVERED_COLUMNS)
    for gap, reqs in (
        ("nis2_without_controls", a.nis2_without_controls),
        ("ir2690_without_target", a.ir2690_without_target),
    ):
        rows.extend(
            {
                **empty,
                "gap": gap,
                "id": r.id,
                "ref": r.ref,
                "label": r.label,
                "addressed_by": r.addressed_by,
                "law": r.law,
            }
            for r in reqs
        )
    for gap, controls in (
        ("controls_without_requirement", a.controls_without_requirement),
        ("controls_without_measure", a.controls_without_measure),
    ):
        rows.extend(
            {**empty, "gap": gap, "id": c.id, "ref": c.ref, "label": c.title} for c in controls
        )
    rows.extend(
        {**empty, "gap": "measures_without_requirement", "id": m.id, "control": m.control}
        for m in a.measures_without_requirement
    )
    return rows


def _generic_records(
    doc: Mapping[str, Any], prefix: str = ""
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows (``category`` + the entry's fields) for every list entry; the rest as attrs."""
    rows: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    for key, value in doc.items():
        name = prefix + str(key)
        if isinstance(value, Mapping) and _has_lists(value):
            sub_rows, sub_meta = _generic_records(value, name + ".")
            rows.extend(sub_rows)
            meta.update(sub_meta)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for v in value:
                if isinstance(v, Mapping):
                    rows.append({"category": name, **{k: _frozen(x) for k, x in v.items()}})
                else:
                    rows.append({"category": name, "id": v})
        elif isinstance(value, Mapping):
            meta[name] = dict(value)
        else:
            meta[name] = value
    return rows, meta


def to_pandas(answer: SupportsAsDict | Mapping[str, Any]) -> pd.DataFrame:
    """An answer as a :class:`pandas.DataFrame`, one row per entry.

    * ``ControlsAnswer``: one row per control, with ``requirement``, ``id``, ``ref``,
      ``kind``, ``title``, ``relationship``, ``via``, ``sources``, ``measures``.
    * ``RequirementsAnswer``: one row per requirement, with ``control``, ``measure``,
      ``id``, ``framework``, ``ref``, ``kind``, ``label``, ``relationship``, ``via``,
      ``sources``.
    * ``Coverage``: one row per coverage item, points first, with ``group`` (``point``
      or ``requirement``), ``id``, ``status``, ``share``, ``relationship``,
      ``n_mapped``, ``n_implemented``, ``mapped``, ``implemented``, ``missing``,
      ``note``.
    * ``Uncovered``: one row per gap, with ``gap`` (the ``as_dict()`` key), ``id``,
      ``ref``, ``label`` (label or title), ``addressed_by``, ``law``, ``control``.
    * Anything else with ``as_dict()`` (a ``VersionDiff``): one row per entry of every
      list, nested ones included, with ``category`` (``added``, ``moved``,
      ``impact.controls``, ...) and then the entry's fields (an id alone goes in
      ``id``).

    Lists are stored as tuples. What is not a row goes into ``DataFrame.attrs``: the
    requirement or control asked about, the BIO2 version, the coverage ``summary`` and
    ``legislation`` ids, a diff's ``from``, ``to`` and ``counts``.

    Raises:
        ImportError: pandas is not installed (``pip install 'bio2map[pandas]'``).
        TypeError: ``answer`` is neither an answer record nor has ``as_dict()``.

    .. versionadded:: 0.1.0
    """
    try:
        import pandas as pd
    except ImportError as e:
        msg = _missing("pandas", "pandas", "to_pandas")
        raise ImportError(msg) from e
    columns, rows, meta = _records(answer)
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    frame.attrs.update(meta)
    return frame


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
    controls count: ISO/IEC 27001 clauses (``include_clauses=True``) have no theme and
    no attributes. A control counts as implemented when the coverage does (status
    ``implemented``; ``partially_implemented`` is missing here).

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
        msg = _missing("matplotlib", "plot", "coverage_heatmap")
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
        msg = _missing("matplotlib", "plot", "changes_per_draft")
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


def __dir__() -> list[str]:
    return list(__all__)
