"""Frozen answers to catalog queries: controls for a requirement, requirements for a
control, coverage of an SoA, what no control reaches.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

import attrs

from bio2map.core import hooks
from bio2map.core.display import NotebookMixin, RecordDisplay
from bio2map.core.records import Control, Measure, Requirement
from bio2map.core.soa import NOT_IN_SOA, WEIGHTS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.catalog.cbw_answers import CbwHandling

__all__ = [
    "ControlMatch",
    "ControlsAnswer",
    "Coverage",
    "CoverageControl",
    "CoverageEntry",
    "CoverageItem",
    "CoverageMetric",
    "CoverageSummary",
    "RequirementMatch",
    "RequirementsAnswer",
    "Uncovered",
]


def _s(items: tuple[object, ...]) -> str:
    return "" if len(items) == 1 else "s"


def _rel_dict(
    relationship: str,
    via: tuple[str, ...],
    sources: tuple[str, ...],
    basis: str,
    via_basis: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "relationship": relationship,
        "basis": basis,
        "via": list(via),
        "via_basis": list(via_basis),
        "sources": list(sources),
    }


@attrs.frozen
class ControlMatch(RecordDisplay):
    """An ISO control (or clause) that serves a requirement, and how.

    Attributes:
        control: the control or clause.
        relationship: the strongest composed relationship, requirement to control.
        via: the 2024/2690 requirements the link runs through.
        sources: the provenance of every edge on the way.
        measures: the BIO2 measures of the loaded draft under the control.
        basis: how the best link is known: for a NIS2 requirement the basis of the annex
            -> point link (``explicit_text``, ``section_heading``, ``inferred_subject``),
            for an annex requirement that of the annex -> ISO edge (``source_mapping``);
            ``section_table`` when the ISO edge is an inherited ENISA section table, the
            less certain of the two when both are (see ``docs/concepts.md``).
        via_basis: the same for the path through each ``via`` entry (parallel to ``via``).
    """

    control: Control
    relationship: str
    via: tuple[str, ...]
    sources: tuple[str, ...]
    measures: tuple[str, ...]
    basis: str = ""
    via_basis: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The control's canonical id."""
        return self.control.id

    def __repr__(self) -> str:
        return (
            f"<ControlMatch {self.control.id} {self.relationship}: via {len(self.via)}"
            f" requirement{_s(self.via)}, {len(self.measures)} measure{_s(self.measures)}>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.control.id,
            "ref": self.control.ref,
            "kind": self.control.kind,
            "title": self.control.title,
            **_rel_dict(self.relationship, self.via, self.sources, self.basis, self.via_basis),
            "measures": list(self.measures),
        }


@attrs.frozen
class ControlsAnswer(NotebookMixin):
    """The answer to :meth:`Catalog.controls_for`.

    ``basis`` is the level of links the question followed (``explicit``, ``heading`` or
    ``all``).
    """

    requirement: Requirement
    controls: tuple[ControlMatch, ...]
    bio2_version: str
    basis: str = "all"

    def __repr__(self) -> str:
        n = len(self.controls)
        return f"<ControlsAnswer {self.requirement.id}: {n} control{_s(self.controls)}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``requirement``, ``basis`` and ``controls``."""
        return {
            "requirement": self.requirement.id,
            "label": self.requirement.label,
            "addressed_by": self.requirement.addressed_by,
            "bio2_version": self.bio2_version,
            "basis": self.basis,
            "controls": [c.as_dict() for c in self.controls],
        }


@attrs.frozen
class RequirementMatch(RecordDisplay):
    """A requirement that a control (or measure) helps with, and how.

    ``basis`` and ``via_basis`` say how the links are known, as in :class:`ControlMatch`.
    """

    requirement: Requirement
    relationship: str
    via: tuple[str, ...]
    sources: tuple[str, ...]
    basis: str = ""
    via_basis: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The requirement's canonical id."""
        return self.requirement.id

    def __repr__(self) -> str:
        return f"<RequirementMatch {self.requirement.id} {self.relationship}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``label_nl`` too, for a Cbw framework control)."""
        out = {
            "id": self.requirement.id,
            "ref": self.requirement.ref,
            "label": self.requirement.label,
            **_rel_dict(self.relationship, self.via, self.sources, self.basis, self.via_basis),
        }
        if self.requirement.label_nl:
            out["label_nl"] = self.requirement.label_nl
        return out


@attrs.frozen
class RequirementsAnswer(NotebookMixin):
    """The answer to :meth:`Catalog.requirements_for`.

    ``control`` is the control asked about (for a BIO2 measure: its parent control, and
    ``measure`` holds the measure id); ``basis`` the level of links followed.
    """

    control: Control
    requirements: tuple[RequirementMatch, ...]
    measure: str | None = None
    basis: str = "all"
    cbw_framework: tuple[RequirementMatch, ...] = ()
    """The Cbw (NIS2) Control Framework controls whose theme evaluates an Art. 21(2)
    point the control reaches (``via``: those points)."""

    def __repr__(self) -> str:
        asked = self.measure or self.control.id
        n = len(self.requirements)
        return f"<RequirementsAnswer {asked}: {n} requirement{_s(self.requirements)}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``control``, ``basis``, ``requirements``, ``cbw_framework``."""
        out: dict[str, Any] = {
            "control": self.control.id,
            "title": self.control.title,
            "basis": self.basis,
            "requirements": [r.as_dict() for r in self.requirements],
            "cbw_framework": [r.as_dict() for r in self.cbw_framework],
        }
        if self.measure is not None:
            out["measure"] = self.measure
        return out


@attrs.frozen
class CoverageControl(RecordDisplay):
    """A control (or ISO/IEC 27001 clause) mapped to a requirement, as the SoA has it.

    Attributes:
        id: its canonical id (``iso27002:5.19``, ``iso27001:9.3.1``).
        kind: ``control`` or ``clause``.
        status: its SoA status (:data:`bio2map.core.soa.STATUSES`), or ``not-in-soa``.
        weight: what it counts for (1, 0.5, 0); None when it is not applicable (left out
            of the denominator).
        justification: the SoA line's justification (``""`` when none).
        line: the SoA line (0 when not from a file, or not in the SoA).
        listed_as: the SoA id whose status it has: itself, or for a clause the nearest
            listed clause above it (``iso27001:9.3`` for ``9.3.1``); ``""`` when not listed.

    .. versionadded:: 0.2.0
    """

    id: str
    kind: str
    status: str
    weight: float | None
    justification: str = ""
    line: int = 0
    listed_as: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen
class CoverageItem(RecordDisplay):
    """How well one requirement is covered by the SoA.

    Attributes:
        id: the requirement's canonical id.
        status: ``full``, ``partial``, ``none``, ``not-applicable`` (every mapped control
            is) or ``unmapped`` (nothing in the graph can evidence it: no target, or only
            ISO/IEC 27001 clauses while the SoA assesses none).
        share: implemented weight / number of counted controls (0.0 when none is
            counted: ``unmapped`` and ``not-applicable``, which the scores leave out).
        mapped: every control (and, when the SoA assesses clauses, clause) it maps to.
        implemented: the mapped controls that are implemented.
        missing: the mapped controls not fully implemented, as in 0.1: partial, open and
            not applicable together (see ``partial``, ``open``, ``not_applicable``).
        relationship: the strongest relationship through which controls reach it.
        note: why the status is what it is, where that is not obvious.
        partial: the mapped controls that are partial.
        open: the mapped controls that count 0 (planned, not implemented, not in the SoA).
        not_applicable: the mapped controls that are not applicable (left out).
        counted: the number of mapped controls in the denominator.
        controls: each mapped control with its SoA status, weight and justification.
        reason: one line that says why (``2 of 4 controls implemented; A.5.21 planned``).
        ref: the requirement as its text cites it (``Art. 21(2)(d)``, ``5.1.4``).
        label: its short label.

    .. versionchanged:: 0.2.0
       ``not-applicable`` and ``unmapped`` statuses; ``partial``, ``open``,
       ``not_applicable``, ``counted``, ``controls``, ``reason``, ``ref``, ``label``.
    """

    id: str
    status: str
    share: float
    mapped: tuple[str, ...]
    implemented: tuple[str, ...]
    missing: tuple[str, ...]
    relationship: str
    note: str = ""
    partial: tuple[str, ...] = ()
    open: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    counted: int = 0
    controls: tuple[CoverageControl, ...] = ()
    reason: str = ""
    ref: str = ""
    label: str = ""

    def __repr__(self) -> str:
        return (
            f"<CoverageItem {self.id} {self.status} {self.share:.2f}: "
            f"{len(self.implemented)} of {self.counted} counted implemented>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict. ``controls`` maps each mapped control to its SoA status
        (``partial``, ``open`` and ``not_applicable`` follow from it, and are left out)."""
        return {
            "id": self.id,
            "ref": self.ref,
            "label": self.label,
            "status": self.status,
            "share": self.share,
            "counted": self.counted,
            "mapped": list(self.mapped),
            "implemented": list(self.implemented),
            "missing": list(self.missing),
            "controls": {c.id: c.status for c in self.controls},
            "relationship": self.relationship,
            "note": self.note,
            "reason": self.reason,
        }


@attrs.frozen
class CoverageEntry:
    """One line of the SoA, and whether (and where) it counted.

    Attributes:
        line: the SoA line (0 when the SoA was not a file).
        id: the canonical id it names.
        raw: the id as written.
        kind: ``control``, ``clause`` or ``theme``.
        status: its status (:data:`bio2map.core.soa.STATUSES`).
        weight: what it counts for (None: not applicable).
        justification: as written.
        counted: whether the scoring used it.
        points: the Art. 21(2) points it counts for.
        requirements: the assessable 2024/2690 requirements it counts for.
        reason: why it is not counted (``""`` when it is).

    .. versionadded:: 0.2.0
    """

    line: int
    id: str
    raw: str
    kind: str
    status: str
    weight: float | None
    justification: str
    counted: bool
    points: int
    requirements: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen
class CoverageMetric:
    """One score of a coverage (:data:`bio2map.core.soa.METRICS`).

    Attributes:
        name: ``points-mean``, ``points-min``, ``annex-mean`` or ``points-any``.
        value: from 0 to 1.
        over: how many points or requirements it is taken over.
        of: how many there are.
        left_out: the ids left out (``unmapped`` or ``not-applicable``).
        rule: what it measures, in words.

    .. versionadded:: 0.2.0
    """

    name: str
    value: float
    over: int
    of: int
    left_out: tuple[str, ...]
    rule: str


@attrs.frozen
class CoverageSummary:
    """Counts over the ten NIS2 Art. 21(2) points and the 2024/2690 requirements.

    ``points_covered_share`` is the ``points-any`` score (kept from 0.1); ``points_none``
    and ``requirements_none`` no longer count ``unmapped`` ones. ``controls_given`` counts
    every id the SoA names (clauses too), ``controls_counted`` those the scoring used.
    """

    points_full: int
    points_partial: int
    points_none: int
    points_covered_share: float
    requirements_full: int
    requirements_partial: int
    requirements_none: int
    requirements_unmapped: int
    controls_given: int
    controls_counted: int
    points_unmapped: int = 0
    points_not_applicable: int = 0
    requirements_not_applicable: int = 0
    clauses_assessed: bool = False
    not_counted: int = 0

    def __repr__(self) -> str:
        return (
            f"<CoverageSummary points {self.points_full} full, {self.points_partial} partial,"
            f" {self.points_none} none; requirements {self.requirements_full} full,"
            f" {self.requirements_partial} partial, {self.requirements_none} none>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen
class Coverage(NotebookMixin):
    """The answer to :meth:`Catalog.coverage`.

    ``points`` are the ten Art. 21(2) points; ``requirements`` the assessable 2024/2690
    annex requirements; ``legislation`` the NIS2 obligations that the law handles (no
    control can cover them; they are listed so a report shows them); ``metrics`` the
    four scores; ``entries`` every SoA line, counted or not (with the reason).
    """

    points: tuple[CoverageItem, ...]
    requirements: tuple[CoverageItem, ...]
    legislation: tuple[Requirement, ...]
    summary: CoverageSummary
    metrics: tuple[CoverageMetric, ...] = ()
    entries: tuple[CoverageEntry, ...] = ()
    source: str = ""

    def metric(self, name: str = "points-mean") -> CoverageMetric:
        """The score called ``name`` (:data:`bio2map.core.soa.METRICS`).

        Raises:
            KeyError: no such metric.
        """
        for m in self.metrics:
            if m.name == name:
                return m
        msg = f"unknown metric {name!r}; choose from {', '.join(m.name for m in self.metrics)}"
        raise KeyError(msg)

    @property
    def not_counted(self) -> tuple[CoverageEntry, ...]:
        """The SoA lines that the scoring did not use, each with the reason."""
        return tuple(e for e in self.entries if not e.counted)

    def __repr__(self) -> str:
        s = self.summary
        score = "".join(f"{m.name} {m.value:.2f}; " for m in self.metrics[:1])
        return (
            f"<Coverage {score}points {s.points_full} full, {s.points_partial} partial,"
            f" {s.points_none} none, {s.points_unmapped} unmapped;"
            f" {len(self.requirements)} annex requirements;"
            f" {s.controls_counted} of {s.controls_given} SoA lines counted>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``points``, ``requirements``, ``legislation``, ``summary``,
        ``metrics``, ``weights``, ``soa_entries``, ``not_counted`` and ``source``.

        Each point and requirement gives its ``controls`` as id -> SoA status (weights in
        ``weights``; the justification of each SoA line in ``soa_entries``)."""
        return {
            "points": [p.as_dict() for p in self.points],
            "requirements": [r.as_dict() for r in self.requirements],
            "legislation": [
                {"id": r.id, "label": r.label, "law": list(r.law)} for r in self.legislation
            ],
            "summary": self.summary.as_dict(),
            "weights": {**WEIGHTS, NOT_IN_SOA: 0.0},
            "metrics": {
                m.name: {
                    "name": m.name,
                    "value": m.value,
                    "over": m.over,
                    "of": m.of,
                    "left_out": [self._left_out(i) for i in m.left_out],
                    "rule": m.rule,
                }
                for m in self.metrics
            },
            "soa_entries": [e.as_dict() for e in self.entries],
            "not_counted": [e.as_dict() for e in self.not_counted],
            "source": self.source,
        }

    def _left_out(self, rid: str) -> dict[str, str]:
        item = next(i for i in (*self.points, *self.requirements) if i.id == rid)
        return {"id": item.id, "ref": item.ref, "status": item.status, "reason": item.reason}

    def to_html_report(
        self, catalog: Any = None, soa: Any = None, *, title: str = "", by: str = "theme"
    ) -> str:
        """The gap report as one self-contained HTML page (:mod:`bio2map.render.report_html`).

        ``catalog`` is the catalog this coverage came from (default: ``bio2map.load()``),
        for labels, titles, themes, BIO2 measures and sources; ``by`` the heat map's
        columns (``theme`` or an ISO/IEC 27002 attribute name). Each control's SoA status
        and justification come from the coverage itself; ``soa`` (a path, what
        ``read_soa`` returns, or id -> status) is needed only to name the SoA or to
        override them.

        .. versionadded:: 0.3.0
        """
        html: str = hooks.call("report_html", self, catalog, soa, title=title, by=by)
        return html

    def to_excel(self, path: Any, catalog: Any = None, soa: Any = None, *, title: str = "") -> None:
        """Write the gap report as an Excel workbook to ``path`` (needs ``bio2map[xlsx]``;
        :mod:`bio2map.formats.xlsx`). Arguments as for :meth:`to_html_report`.

        .. versionadded:: 0.3.0
        """
        hooks.call("report_xlsx", self, path, catalog, soa, title=title)


@attrs.frozen
class Uncovered(NotebookMixin):
    """The gaps in the dataset itself (:meth:`Catalog.uncovered`).

    ``clauses_without_requirement`` are the ISO 27001 clauses no NIS2 requirement reaches
    (the topmost of each branch); ``basis`` the level of links followed.
    """

    nis2_without_controls: tuple[Requirement, ...]
    ir2690_without_target: tuple[Requirement, ...]
    controls_without_requirement: tuple[Control, ...]
    controls_without_measure: tuple[Control, ...]
    measures_without_requirement: tuple[Measure, ...]
    bio2_version: str
    clauses_without_requirement: tuple[Control, ...] = ()
    basis: str = "all"
    cbw_framework: tuple[CbwHandling, ...] = ()
    """For the NIS2 obligations the law handles (Art. 20, Art. 23): the Cbw articles and
    the Cbw framework controls that check them."""

    def __repr__(self) -> str:
        return (
            f"<Uncovered BIO2 {self.bio2_version}: {len(self.nis2_without_controls)} NIS2"
            f" obligations, {len(self.ir2690_without_target)} annex requirements,"
            f" {len(self.controls_without_requirement)} controls without a requirement>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with one list per kind of gap."""

        def req(r: Requirement) -> dict[str, Any]:
            return {
                "id": r.id,
                "label": r.label,
                "addressed_by": r.addressed_by,
                "law": list(r.law),
            }

        return {
            "bio2_version": self.bio2_version,
            "basis": self.basis,
            "nis2_without_controls": [req(r) for r in self.nis2_without_controls],
            "ir2690_without_target": [req(r) for r in self.ir2690_without_target],
            "controls_without_requirement": [
                {"id": c.id, "title": c.title} for c in self.controls_without_requirement
            ],
            "clauses_without_requirement": [
                {"id": c.id, "ref": c.ref, "title": c.title}
                for c in self.clauses_without_requirement
            ],
            "controls_without_measure": [
                {"id": c.id, "title": c.title} for c in self.controls_without_measure
            ],
            "measures_without_requirement": [
                {"id": m.id, "control": m.control} for m in self.measures_without_requirement
            ],
            "cbw_framework": [h.as_dict() for h in self.cbw_framework],
        }
