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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.catalog.cbw_answers import CbwHandling

__all__ = [
    "ControlMatch",
    "ControlsAnswer",
    "Coverage",
    "CoverageItem",
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
class CoverageItem(RecordDisplay):
    """How well one requirement is covered by the implemented controls.

    Attributes:
        id: the requirement's canonical id.
        status: ``full``, ``partial`` or ``none``.
        share: implemented weight / number of mapped controls (0.0 when none are mapped).
        mapped: every control the requirement maps to.
        implemented: the mapped controls counted as (fully) implemented.
        missing: the mapped controls not fully implemented.
        relationship: the strongest relationship through which controls reach it.
        note: why the status is what it is, where that is not obvious.
    """

    id: str
    status: str
    share: float
    mapped: tuple[str, ...]
    implemented: tuple[str, ...]
    missing: tuple[str, ...]
    relationship: str
    note: str = ""

    def __repr__(self) -> str:
        return (
            f"<CoverageItem {self.id} {self.status} {self.share:.2f}: "
            f"{len(self.implemented)} of {len(self.mapped)} implemented>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "status": self.status,
            "share": self.share,
            "mapped": list(self.mapped),
            "implemented": list(self.implemented),
            "missing": list(self.missing),
            "relationship": self.relationship,
            "note": self.note,
        }


@attrs.frozen
class CoverageSummary:
    """Counts over the ten NIS2 Art. 21(2) points and the 2024/2690 requirements."""

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
    control can cover them; they are listed so a report shows them).
    """

    points: tuple[CoverageItem, ...]
    requirements: tuple[CoverageItem, ...]
    legislation: tuple[Requirement, ...]
    summary: CoverageSummary

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<Coverage points {s.points_full} full, {s.points_partial} partial,"
            f" {s.points_none} none; {len(self.requirements)} annex requirements;"
            f" {s.controls_counted} of {s.controls_given} controls counted>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``points``, ``requirements``, ``legislation``, ``summary``."""
        return {
            "points": [p.as_dict() for p in self.points],
            "requirements": [r.as_dict() for r in self.requirements],
            "legislation": [
                {"id": r.id, "label": r.label, "law": list(r.law)} for r in self.legislation
            ],
            "summary": self.summary.as_dict(),
        }

    def to_html_report(
        self, catalog: Any = None, soa: Any = None, *, title: str = "", by: str = "theme"
    ) -> str:
        """The gap report as one self-contained HTML page (:mod:`bio2map.render.report_html`).

        ``catalog`` is the catalog this coverage came from (default: ``bio2map.load()``);
        ``soa`` the SoA (a path, what ``read_soa`` returns, or id -> status) for the SoA
        status and justification of each control; ``by`` the heat map's columns
        (``theme`` or an ISO/IEC 27002 attribute name).

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
