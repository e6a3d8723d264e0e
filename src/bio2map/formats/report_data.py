"""What a gap report holds, read from a :class:`~bio2map.catalog.answers.Coverage` answer.

The HTML and Markdown reports (:mod:`bio2map.render.report_html`,
:mod:`bio2map.render.report_markdown`) and the Excel workbook (:mod:`bio2map.formats.xlsx`)
all draw the same :class:`ReportData`: a summary (metrics, counts by status, the data
versions and sources), a heat map of the ten NIS2 Art. 21(2) points against the ISO/IEC
27002 themes (or the values of one attribute), the points with their annex requirements
and the controls counted for each, the obligations handled by law, the controls with
their BIO2 measures, and what in the SoA was not counted and why.

This module is the one place that reads the fields of the coverage answer and of the
SoA (:func:`report_data` and the ``_item_*`` / ``_soa_*`` helpers below it). The writers
read only :class:`ReportData`, so a change in the coverage model changes this module
alone.

Everything here is deterministic: the same coverage, catalog and SoA give equal data,
in document order (points and requirements as the law numbers them, controls in the
standard's order).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from bio2map.core.ids import plain

if TYPE_CHECKING:
    from bio2map.catalog.answers import Coverage, CoverageItem
    from bio2map.catalog.catalog import Catalog

__all__ = [
    "COVERAGE_STATUSES",
    "HEAT_STATUSES",
    "SOA_STATUSES",
    "ControlRow",
    "CountedControl",
    "HeatCell",
    "HeatMap",
    "LawRow",
    "MeasureRow",
    "Metric",
    "NotCounted",
    "PointRow",
    "ReportData",
    "RequirementRow",
    "Source",
    "report_data",
]

COVERAGE_STATUSES: Final = (
    "full",
    "partial",
    "none",
    "unmapped",
    "not-applicable",
)
"""The statuses a point or annex requirement can have in a report, strongest first."""

SOA_STATUSES: Final = (
    "implemented",
    "partial",
    "planned",
    "not-implemented",
    "not-applicable",
    "not-in-soa",
)
"""How a report names the SoA status of a control (the last: the SoA does not list it)."""

HEAT_STATUSES: Final = ("all", "some", "none", "na", "empty")
"""A heat-map cell: all its counted controls implemented, some weight, none, only
not-applicable controls, no mapped control."""

HEAT_LABELS: Final = {
    "all": "all counted controls implemented",
    "some": "partly implemented",
    "none": "none implemented",
    "na": "only not-applicable controls",
    "empty": "no mapped control",
}

_SOA_NAMES: Final = {
    "implemented": "implemented",
    "partially_implemented": "partial",
    "partial": "partial",
    "planned": "planned",
    "not_implemented": "not-implemented",
    "not-implemented": "not-implemented",
    "not_applicable": "not-applicable",
    "not-applicable": "not-applicable",
    "not-in-soa": "not-in-soa",
}
_WEIGHTS: Final[dict[str, float | None]] = {
    "implemented": 1.0,
    "partial": 0.5,
    "planned": 0.0,
    "not-implemented": 0.0,
    "not-applicable": None,  # left out of the denominator
    "not-in-soa": 0.0,
}
_RANK: Final = {s: len(SOA_STATUSES) - i for i, s in enumerate(SOA_STATUSES)}
_THEMES: Final = ("organizational", "people", "physical", "technological")
# the ISO/IEC 27002 attributes a heat map can have as its columns (``by``)
_ATTRIBUTES: Final = (
    "control_type",
    "information_security_properties",
    "cybersecurity_concepts",
    "operational_capabilities",
    "security_domains",
)


# --- the report's records ------------------------------------------------------------------


class Metric(NamedTuple):
    """A score: ``name`` (``points-any``), ``value`` (0 to 1) and what it means."""

    name: str
    value: float
    description: str


class Source(NamedTuple):
    """A dataset the report rests on, as the manifest (or a user layer) describes it."""

    name: str
    version: str
    title: str
    source: str
    licence: str
    attribution: str


class CountedControl(NamedTuple):
    """A control mapped to a point or requirement, with what the SoA says about it
    (``weight`` None: not applicable, left out of the denominator)."""

    id: str
    ref: str
    title: str
    soa_status: str
    weight: float | None
    justification: str


class RequirementRow(NamedTuple):
    """An assessable 2024/2690 annex requirement: its status, controls and reason."""

    id: str
    ref: str
    label: str
    status: str
    share: float
    reason: str
    points: tuple[str, ...]
    basis: str
    controls: tuple[CountedControl, ...]


class PointRow(NamedTuple):
    """A NIS2 Art. 21(2) point: its status, controls, reason and annex requirements."""

    id: str
    ref: str
    label: str
    status: str
    share: float
    reason: str
    controls: tuple[CountedControl, ...]
    requirements: tuple[RequirementRow, ...]


class LawRow(NamedTuple):
    """A NIS2 obligation the law handles, with the Dutch articles (``cbw:25``)."""

    id: str
    ref: str
    label: str
    law: tuple[tuple[str, str, str], ...]  # (id, ref, label)


class MeasureRow(NamedTuple):
    """A BIO2 measure of a control, with our labels in Dutch and English."""

    id: str
    control: str
    label_nl: str
    label_en: str


class ControlRow(NamedTuple):
    """An ISO control (or clause) in the SoA or mapped to a point, and its measures."""

    id: str
    ref: str
    title: str
    kind: str
    theme: str
    soa_status: str
    weight: float | None
    justification: str
    points: tuple[str, ...]
    requirements: int
    measures: tuple[MeasureRow, ...]


class NotCounted(NamedTuple):
    """An SoA line that did not count, and why."""

    id: str
    ref: str
    soa_status: str
    reason: str


class HeatCell(NamedTuple):
    """One cell of the heat map: its status (see :data:`HEAT_STATUSES`) and counts."""

    status: str
    mapped: int
    implemented: int
    controls: tuple[str, ...]


class HeatMap(NamedTuple):
    """The ten Art. 21(2) points (rows) against themes or attribute values (columns)."""

    by: str
    rows: tuple[tuple[str, str, str], ...]  # (id, ref, label)
    columns: tuple[str, ...]
    cells: tuple[tuple[HeatCell, ...], ...]


class ReportData(NamedTuple):
    """Everything a gap report shows (see the module docstring)."""

    title: str
    soa: str
    bio2_version: str
    bio2_label: str
    bio2_date: str
    data_version: str
    layers: tuple[str, ...]
    metrics: tuple[Metric, ...]
    point_counts: tuple[tuple[str, int], ...]
    requirement_counts: tuple[tuple[str, int], ...]
    controls_given: int
    controls_counted: int
    sources: tuple[Source, ...]
    heatmap: HeatMap
    points: tuple[PointRow, ...]
    requirements: tuple[RequirementRow, ...]
    legislation: tuple[LawRow, ...]
    controls: tuple[ControlRow, ...]
    not_counted: tuple[NotCounted, ...]
    notes: tuple[str, ...]

    @property
    def measures(self) -> tuple[MeasureRow, ...]:
        """The BIO2 measures of every control in the report."""
        return tuple(m for c in self.controls for m in c.measures)


# --- the adapter: the one place that reads Coverage and the SoA ------------------------------


def _soa_entries(soa: object) -> dict[str, tuple[str, str]]:
    """Canonical id -> (SoA status as a report names it, justification).

    ``soa`` is what :func:`bio2map.formats.soa.read_soa` returns, a mapping id -> status
    (canonical ids), or None.
    """
    out: dict[str, tuple[str, str]] = {}
    if soa is None:
        return out
    entries = getattr(soa, "entries", None)
    if entries is not None:
        for e in entries:
            key = getattr(e, "id", "") or getattr(e, "raw", "")
            status = _soa_name(str(getattr(e, "status", "")))
            just = str(getattr(e, "justification", "") or "")
            prev = out.get(key)
            if prev is None or _RANK.get(status, 0) > _RANK.get(prev[0], 0):
                out[key] = (status, just or (prev[1] if prev else ""))
        return out
    if isinstance(soa, Mapping):
        for key, status in soa.items():
            out[str(key)] = (_soa_name(str(status)), "")
        return out
    msg = f"soa must be a StatementOfApplicability or a mapping of id to status, not {soa!r:.60}"
    raise TypeError(msg)


def _coverage_entries(coverage: Coverage) -> dict[str, tuple[str, str]]:
    """Canonical id -> (SoA status, justification), from the coverage's own SoA lines
    (bio2map 0.2 keeps them in ``entries``), else empty."""
    out: dict[str, tuple[str, str]] = {}
    for e in getattr(coverage, "entries", ()):
        key = str(getattr(e, "id", "") or getattr(e, "raw", ""))
        status = _soa_name(str(getattr(e, "status", "")))
        prev = out.get(key)
        if prev is None or _RANK.get(status, 0) > _RANK.get(prev[0], 0):
            out[key] = (status, str(getattr(e, "justification", "") or ""))
    return out


def _read_soa(soa: object, catalog: Catalog) -> object:
    """A path is read (:func:`bio2map.formats.soa.read_soa`); a mapping gets canonical ids."""
    import os

    if isinstance(soa, str | os.PathLike):
        from bio2map.formats.soa import read_soa

        return read_soa(soa, catalog)
    if isinstance(soa, Mapping):
        return catalog.resolve_soa(soa)
    return soa


def _soa_name_of(soa: object) -> str:
    """The SoA's file name (not its folder: a report travels), or ''."""
    import os

    source = getattr(soa, "source", soa)
    if isinstance(source, str | os.PathLike) and os.fspath(source) not in ("", "-"):
        return os.path.basename(os.fspath(source))  # noqa: PTH119 - str or PathLike
    return "stdin" if source == "-" else ""


def _soa_name(status: str) -> str:
    return _SOA_NAMES.get(status.strip().lower(), status)


def _item_controls(
    item: CoverageItem, soa: Mapping[str, tuple[str, str]], catalog: Catalog
) -> tuple[CountedControl, ...]:
    """The controls counted for ``item``, with their SoA status and justification."""
    own = getattr(item, "controls", None)
    if own:  # the coverage carries each control's SoA status (bio2map 0.2)
        return tuple(
            CountedControl(
                id=str(c.id),
                ref=_control_ref(catalog.get(c.id)),
                title=str(getattr(catalog.get(c.id), "title", "")),
                soa_status=_soa_name(str(c.status)),
                weight=None if c.weight is None else float(c.weight),
                justification=str(getattr(c, "justification", "") or ""),
            )
            for c in own
        )
    implemented = set(item.implemented)
    out = []
    for cid in item.mapped:
        status, just = soa.get(cid, ("", ""))
        if not status:  # no SoA given: what the coverage says
            status = "implemented" if cid in implemented else "not-in-soa"
        node = catalog.get(cid)
        out.append(
            CountedControl(
                id=cid,
                ref=_control_ref(node),
                title=str(getattr(node, "title", "")),
                soa_status=status,
                weight=_WEIGHTS.get(status, 0.0),
                justification=just,
            )
        )
    return tuple(out)


def _item_reason(item: CoverageItem, controls: tuple[CountedControl, ...]) -> str:
    """One line: why the item has its status."""
    explicit = str(getattr(item, "reason", "") or "")
    if explicit:
        return explicit
    if not controls:
        return item.note or "no ISO control mapped"
    done = sum(1 for c in controls if c.soa_status == "implemented")
    n = sum(1 for c in controls if c.weight is not None)
    parts = [f"{done} of {n} control{'s' if n != 1 else ''} implemented"]
    by_status: dict[str, list[str]] = {}
    for c in controls:
        if c.soa_status != "implemented":
            by_status.setdefault(c.soa_status, []).append(c.ref)
    for status in SOA_STATUSES:
        refs = by_status.get(status, [])
        if refs:
            shown = ", ".join(refs[:4]) + (f" (+{len(refs) - 4})" if len(refs) > 4 else "")
            parts.append(f"{shown} {status}")
    if item.note:
        parts.append(item.note)
    return "; ".join(parts)


def _item_status(item: CoverageItem) -> str:
    status = str(item.status)
    if status == "none" and not item.mapped and "legislation" not in item.note:
        return "unmapped"  # bio2map 0.1 said "none" for what nothing can evidence
    return status


def _control_ref(node: object) -> str:
    """``A.5.19`` for a control, ``cl. 6.1.2`` for an ISO 27001 clause."""
    kind = getattr(node, "kind", "")
    ref = str(getattr(node, "ref", ""))
    return f"cl. {ref}" if kind == "clause" else ref


def _metrics(coverage: Coverage) -> tuple[Metric, ...]:
    """The scores: the coverage's own metrics when it has them, else what it gives."""
    own = getattr(coverage, "metrics", None)
    if own:  # bio2map 0.2: name, value, over, of, left_out, rule
        return tuple(
            Metric(
                str(m.name),
                float(m.value),
                f"{m.rule} (over {m.over} of {m.of})" if getattr(m, "of", None) else m.rule,
            )
            for m in own
        )
    s = coverage.summary
    points = [p for p in coverage.points if p.mapped]
    reqs = [r for r in coverage.requirements if r.mapped]
    return (
        Metric(
            "points-mean",
            round(sum(p.share for p in points) / len(points), 4) if points else 0.0,
            "mean share over the Art. 21(2) points that have mapped controls",
        ),
        Metric(
            "points-min",
            min((p.share for p in points), default=0.0),
            "the lowest share of an Art. 21(2) point",
        ),
        Metric(
            "annex-mean",
            round(sum(r.share for r in reqs) / len(reqs), 4) if reqs else 0.0,
            "mean share over the assessable 2024/2690 requirements that have mapped controls",
        ),
        Metric(
            "points-any",
            float(s.points_covered_share),
            "share of the Art. 21(2) points with any coverage",
        ),
    )


def _not_counted(
    coverage: Coverage, soa: Mapping[str, tuple[str, str]], catalog: Catalog
) -> tuple[NotCounted, ...]:
    """What in the SoA did not count, and why."""
    own = getattr(coverage, "not_counted", None)
    if own is not None:  # bio2map 0.2: every SoA line not counted, with the reason
        out = []
        for n in own:
            nid = str(getattr(n, "id", "") or getattr(n, "raw", ""))
            out.append(
                NotCounted(
                    id=nid,
                    ref=_control_ref(catalog.get(nid)) if nid in catalog else nid,
                    soa_status=_soa_name(str(getattr(n, "status", ""))),
                    reason=str(getattr(n, "reason", "")),
                )
            )
        return tuple(out)
    mapped = {c for item in (*coverage.points, *coverage.requirements) for c in item.mapped}
    out = []
    for cid, (status, _just) in soa.items():
        if cid in mapped:
            continue
        node = catalog.get(cid) if cid in catalog else None
        if getattr(node, "kind", "") == "clause":
            reason = "an ISO 27001 clause: clauses count only with include_clauses"
        else:
            reason = "no Art. 21(2) point or assessable 2024/2690 requirement maps to it"
        out.append(NotCounted(cid, _control_ref(node) if node else cid, status, reason))
    return tuple(sorted(out, key=lambda n: _order(catalog, n.id)))


def _order(catalog: Catalog, cid: str) -> tuple[int, int]:
    node = catalog.get(cid) if cid in catalog else None
    return (0 if str(cid).startswith("iso27002:") else 1, int(getattr(node, "seq", 0)))


def _heatmap(points: tuple[PointRow, ...], catalog: Catalog, by: str) -> HeatMap:
    values: dict[str, tuple[str, ...]] = {}
    for c in catalog.controls:
        if by == "theme":
            values[c.id] = (c.theme,) if c.theme else ()
        elif c.attributes is not None:
            values[c.id] = tuple(getattr(c.attributes, by))
    present = {v for vs in values.values() for v in vs}
    order = _THEMES if by == "theme" else ()
    columns = tuple(v for v in order if v in present) + tuple(sorted(present - set(order)))
    rows = []
    cells = []
    for p in points:
        rows.append((p.id, p.ref, p.label))
        line = []
        for col in columns:
            mapped = [c for c in p.controls if col in values.get(c.id, ())]
            mine = [c for c in mapped if c.weight is not None]
            weight = sum(c.weight or 0.0 for c in mine)
            done = sum(1 for c in mine if (c.weight or 0.0) >= 1)
            if not mapped:
                status = "empty"
            elif not mine:
                status = "na"
            elif done == len(mine):
                status = "all"
            elif weight > 0:
                status = "some"
            else:
                status = "none"
            line.append(HeatCell(status, len(mine), done, tuple(c.ref for c in mapped)))
        cells.append(tuple(line))
    return HeatMap(by, tuple(rows), columns, tuple(cells))


def _sources(catalog: Catalog) -> tuple[Source, ...]:
    wanted = {
        "nis2",
        "ir2690",
        "iso27001-2022",
        "enisa-ir2690-iso27001",
        f"bio2-{catalog.bio2_version}",
    }
    out = [
        Source(d.name, d.version, d.title, d.source, d.licence, d.attribution)
        for d in catalog.datasets
        if d.name in wanted
    ]
    out.extend(
        Source(f"layer {i}", "", name, name, "as its author states", "user mapping layer")
        for i, name in enumerate(catalog.layers, start=1)
    )
    return tuple(out)


def _counts(items: Iterable[str]) -> tuple[tuple[str, int], ...]:
    seen: dict[str, int] = {}
    for s in items:
        seen[s] = seen.get(s, 0) + 1
    known = [(s, seen.pop(s)) for s in COVERAGE_STATUSES if s in seen]
    return (*known, *sorted(seen.items()))


def report_data(
    coverage: Coverage,
    catalog: Catalog,
    soa: object = None,
    *,
    title: str = "",
    by: str = "theme",
) -> ReportData:
    """Read ``coverage`` (of ``catalog``) and the SoA it came from into :class:`ReportData`.

    Args:
        coverage: the answer of :meth:`Catalog.coverage`.
        catalog: the catalog it came from (labels, titles, themes, BIO2 measures, sources).
        soa: the SoA the coverage came from: a path (read with
            :func:`bio2map.formats.soa.read_soa`), what ``read_soa`` returned, a mapping
            id -> status, or None (then only the coverage's own view of each control:
            implemented or not).
        title: the report's title (default: ``NIS2 gap report``).
        by: the heat map's columns: ``theme`` or an ISO/IEC 27002 attribute name.

    Raises:
        TypeError: ``soa`` is none of the above.
        ValueError: ``by`` is not ``theme`` nor an attribute name.
        DataErrorGroup: the SoA file cannot be read or has wrong lines.
    """
    _check_args(coverage, by)
    entries = _coverage_entries(coverage)
    entries.update(_soa_entries(_read_soa(soa, catalog)))
    reqs = _requirement_rows(coverage, entries, catalog)
    point_rows = _point_rows(coverage, entries, catalog, reqs)
    control_rows = _control_rows(point_rows, reqs, entries, catalog)
    s = coverage.summary
    draft = catalog.draft
    notes = (
        "Links from the ENISA mapping are intersects_with: a requirement reached only "
        "through them is at most 'partial', however many of its controls are implemented "
        "(see the coverage rule in docs/concepts.md).",
    )
    return ReportData(
        title=title or "NIS2 gap report",
        soa=_soa_name_of(soa if soa is not None else getattr(coverage, "source", "")),
        bio2_version=catalog.bio2_version,
        bio2_label=str(draft.label),
        bio2_date=str(draft.date),
        data_version=catalog.data_version,
        layers=tuple(catalog.layers),
        metrics=_metrics(coverage),
        point_counts=_counts(p.status for p in point_rows),
        requirement_counts=_counts(r.status for r in reqs.values()),
        controls_given=int(s.controls_given),
        controls_counted=int(s.controls_counted),
        sources=_sources(catalog),
        heatmap=_heatmap(point_rows, catalog, by),
        points=point_rows,
        requirements=tuple(reqs.values()),
        legislation=_law_rows(coverage, catalog),
        controls=control_rows,
        not_counted=_not_counted(coverage, entries, catalog),
        notes=notes,
    )


def _check_args(coverage: Coverage, by: str) -> None:
    if not all(hasattr(coverage, a) for a in ("points", "requirements", "summary")):
        msg = f"expected a Coverage answer, got {type(coverage).__name__}"
        raise TypeError(msg)
    if by != "theme" and by not in _ATTRIBUTES:
        msg = f"by must be 'theme' or one of {', '.join(_ATTRIBUTES)}; got {by!r}"
        raise ValueError(msg)


def _requirement_rows(
    coverage: Coverage, entries: Mapping[str, tuple[str, str]], catalog: Catalog
) -> dict[str, RequirementRow]:
    """Each assessable 2024/2690 requirement of the coverage, by id."""
    reqs: dict[str, RequirementRow] = {}
    for item in coverage.requirements:
        node: Any = catalog.get(item.id)
        controls = _item_controls(item, entries, catalog)
        reqs[item.id] = RequirementRow(
            id=item.id,
            ref=str(node.ref),
            label=str(node.label),
            status=_item_status(item),
            share=float(item.share),
            reason=_item_reason(item, controls),
            points=tuple(node.points),
            basis=str(node.basis),
            controls=controls,
        )
    return reqs


def _point_rows(
    coverage: Coverage,
    entries: Mapping[str, tuple[str, str]],
    catalog: Catalog,
    reqs: Mapping[str, RequirementRow],
) -> tuple[PointRow, ...]:
    """Each Art. 21(2) point of the coverage, with the requirements under it."""
    points = []
    for item in coverage.points:
        node: Any = catalog.get(item.id)
        controls = _item_controls(item, entries, catalog)
        points.append(
            PointRow(
                id=item.id,
                ref=str(node.ref),
                label=str(node.label),
                status=_item_status(item),
                share=float(item.share),
                reason=_item_reason(item, controls),
                controls=controls,
                requirements=tuple(r for r in reqs.values() if item.id in r.points),
            )
        )
    return tuple(points)


def _law_rows(coverage: Coverage, catalog: Catalog) -> tuple[LawRow, ...]:
    """What the law handles: each NIS2 obligation with the Dutch law (Cbw) that does."""
    return tuple(
        LawRow(
            id=r.id,
            ref=r.ref,
            label=r.label,
            law=tuple(
                (
                    law,
                    str(getattr(catalog.get(law), "ref", law)),
                    str(getattr(catalog.get(law), "label", "")),
                )
                for law in r.law
                if law in catalog
            ),
        )
        for r in coverage.legislation
    )


def _control_rows(
    point_rows: tuple[PointRow, ...],
    reqs: Mapping[str, RequirementRow],
    entries: Mapping[str, tuple[str, str]],
    catalog: Catalog,
) -> tuple[ControlRow, ...]:
    """The controls in the SoA and those mapped to any point, in the standard's order."""
    by_control: dict[str, list[str]] = {}
    n_reqs: dict[str, int] = {}
    for p in point_rows:
        for c in p.controls:
            by_control.setdefault(c.id, []).append(p.id)
    for r in reqs.values():
        for c in r.controls:
            n_reqs[c.id] = n_reqs.get(c.id, 0) + 1
            by_control.setdefault(c.id, [])
    for cid in entries:
        by_control.setdefault(cid, [])
    control_rows = []
    for cid in sorted((c for c in by_control if c in catalog), key=lambda c: _order(catalog, c)):
        node = catalog.get(cid)
        status, just = entries.get(cid, ("not-in-soa", ""))
        measures = (
            tuple(MeasureRow(m.id, cid, m.label_nl, m.label_en) for m in catalog.measures_for(cid))
            if cid.startswith("iso27002:")
            else ()
        )
        control_rows.append(
            ControlRow(
                id=cid,
                ref=_control_ref(node),
                title=str(getattr(node, "title", "")),
                kind=str(getattr(node, "kind", "")),
                theme=str(getattr(node, "theme", "")),
                soa_status=status,
                weight=_WEIGHTS.get(status, 0.0),
                justification=just,
                points=tuple(dict.fromkeys(by_control[cid])),
                requirements=n_reqs.get(cid, 0),
                measures=measures,
            )
        )
    return tuple(control_rows)


def plain_id(cid: str) -> str:
    """``5.19`` for ``iso27002:5.19`` (for anchors and cells)."""
    return plain(cid)
