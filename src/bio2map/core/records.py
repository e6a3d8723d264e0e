"""Frozen records: the nodes and edges of the graph and the answers to queries.

No I/O here. Every record is a frozen attrs class, so records (and the catalog that
holds them) are safe to share between threads. Collections are tuples.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import pandas

__all__ = [
    "BIO2_KINDS",
    "BIO2_TAGS",
    "RELATIONSHIPS",
    "Attributes",
    "Control",
    "ControlMatch",
    "ControlsAnswer",
    "Coverage",
    "CoverageItem",
    "CoverageSummary",
    "Dataset",
    "Draft",
    "Mapping",
    "Measure",
    "NotebookMixin",
    "Requirement",
    "RequirementMatch",
    "RequirementsAnswer",
    "Uncovered",
    "compose",
    "invert",
]

from bio2map.core.vocab import (  # re-exported here for convenience
    BIO2_KINDS,
    BIO2_TAGS,
    RELATIONSHIPS,
    compose,
    invert,
    strongest,
)

__all__ += ["strongest"]

# --- nodes ------------------------------------------------------------------------


@attrs.frozen
class Requirement:
    """A requirement of NIS2, of the 2024/2690 annex, or an article of the Dutch Cbw.

    Attributes:
        id: canonical id (``nis2:21.2.d``, ``ir2690:5.1.4``, ``cbw:25``).
        framework: ``nis2``, ``ir2690`` or ``cbw``.
        ref: the reference as people write it (``Art. 21(2)(d)``, ``5.1.4``).
        kind: ``article``, ``paragraph``, ``subparagraph``, ``point``, ``part`` (NIS2);
            ``section``, ``subsection``, ``paragraph``, ``point``, ``subpoint`` (annex).
        parent: canonical id of the parent node, or None.
        label: our short label (at most 8 words); may be empty for annex paragraphs.
        assessable: whether the source marks it as something to assess.
        addressed_by: ``controls`` (security measures reach it), ``legislation`` (the
            law itself handles it, e.g. reporting to the CSIRT) or ``none``.
        points: for annex nodes, the NIS2 Art. 21(2) points it implements.
        basis: how that link is known: ``section_heading``, ``explicit_text`` or
            ``inferred_subject``.
        law: for NIS2 obligations handled by law, the Dutch article (``cbw:25``).
        seq: position in the source document.
    """

    id: str
    framework: str
    ref: str
    kind: str
    parent: str | None
    label: str
    assessable: bool
    addressed_by: str = "controls"
    points: tuple[str, ...] = ()
    basis: str = ""
    law: tuple[str, ...] = ()
    seq: int = 0


@attrs.frozen
class Attributes:
    """The five ISO/IEC 27002:2022 attribute dimensions of a control.

    ``verified`` is False: the values come from public reproductions of Table A.1, not
    from a licensed copy (see ``docs/data-sources.md``).
    """

    control_type: tuple[str, ...]
    information_security_properties: tuple[str, ...]
    cybersecurity_concepts: tuple[str, ...]
    operational_capabilities: tuple[str, ...]
    security_domains: tuple[str, ...]
    verified: bool = False


@attrs.frozen
class Control:
    """An ISO/IEC 27001:2022 clause, an Annex A theme, or an ISO/IEC 27002:2022 control.

    One node serves both standards' names of a control: ``iso27002:5.19`` is 27002
    control 5.19 and 27001 Annex A control A.5.19.

    Attributes:
        id: ``iso27002:5.19`` (control), ``iso27002:5`` (theme), ``iso27001:6.1.2`` (clause).
        standard: ``iso27002`` or ``iso27001``.
        kind: ``control``, ``theme`` or ``clause``.
        ref: ``A.5.19``, ``A.5`` or ``6.1.2``.
        title: the standard's short title.
        parent: canonical id of the parent clause or theme, or None.
        theme: ``organizational``, ``people``, ``physical``, ``technological`` (controls).
        attributes: the five 27002 attribute dimensions (controls only).
        seq: position in the standard.
    """

    id: str
    standard: str
    kind: str
    ref: str
    title: str
    parent: str | None
    theme: str = ""
    attributes: Attributes | None = None
    seq: int = 0

    @property
    def number(self) -> str:
        """The bare number (``5.19``, ``6.1.2``)."""
        return self.id.partition(":")[2]


@attrs.frozen
class Measure:
    """A BIO2 government measure (or a marker that stands where one was) in one draft.

    Attributes:
        id: ``bio2:5.19.01``.
        draft: the draft slug (``1.3``).
        control: the parent ISO 27002 control, ``iso27002:5.19``.
        kind: ``measure``, ``no-measure``, ``moved``, ``withdrawn`` or ``see-other``.
        target: for ``moved`` and ``see-other``, the measure it points to.
        tags: contribution tags (Basishygiëne, Ketenhygiëne, Overheidsrisico).
        nis2_flag: the draft marks the measure with ``NIS2``.
        fingerprint: ``sha256:`` + 16 hex digits of the normalised text.
        signature: MinHash signature of the text's word 3-shingles (see
            :mod:`bio2map.drafts.signatures`); '' for an empty text.
        words: number of words in the text.
        numbered: False for a measure heading without an id (one in 2024-06).
        text: the measure text, only when texts are attached (never packaged).
        control_title: the Dutch ISO control title, only when texts are attached.
        seq: position in the draft.
    """

    id: str
    draft: str
    control: str
    kind: str
    target: str | None
    tags: tuple[str, ...]
    nis2_flag: bool
    fingerprint: str
    signature: str = attrs.field(default="", repr=False)
    words: int = 0
    numbered: bool = True
    text: str | None = attrs.field(default=None, repr=False)
    control_title: str | None = None
    seq: int = 0

    @property
    def number(self) -> str:
        """The plain id (``5.19.01``)."""
        return self.id.partition(":")[2]


@attrs.frozen
class Mapping:
    """A directed edge ``source <relationship> target`` with its provenance.

    Attributes:
        source, target: canonical ids.
        relationship: one of :data:`RELATIONSHIPS`, read from source to target.
        kind: ``implements`` (annex -> NIS2 point), ``maps_to`` (annex -> ISO),
            ``refines`` (BIO2 measure -> ISO control), ``transposes`` (Cbw -> NIS2).
        basis: how the link is known (``section_heading``, ``explicit_text``,
            ``inferred_subject``, ``source_mapping``, ``numbering``).
        dataset: name of the dataset it comes from.
        sources: provenance strings (document, version, licence).
    """

    source: str
    target: str
    relationship: str
    kind: str
    basis: str
    dataset: str
    sources: tuple[str, ...] = ()


@attrs.frozen
class Dataset:
    """One packaged dataset as the manifest describes it."""

    name: str
    version: str
    file: str
    sha256: str
    title: str
    source: str
    licence: str
    attribution: str
    counts: tuple[tuple[str, int], ...]

    def count(self, key: str) -> int:
        """Return one of the manifest counts."""
        return dict(self.counts)[key]


@attrs.frozen
class Draft:
    """A BIO2 draft as published (structure only; its text is never packaged)."""

    slug: str
    label: str
    status: str
    date: str
    commit: str
    source_path: str
    sha256: str
    layout: str
    file: str
    counts: tuple[tuple[str, int], ...]


# --- answers ----------------------------------------------------------------------


class NotebookMixin:
    """Jupyter display and pandas export for answers (see :mod:`bio2map.render.notebook`)."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:  # pragma: no cover - every answer defines it
        """A JSON-ready dict (defined by each answer class)."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        """HTML tables for Jupyter (:func:`bio2map.render.notebook.to_html`)."""
        from bio2map.render.notebook import to_html

        return to_html(self)

    def to_pandas(self) -> pandas.DataFrame:
        """One row per entry (:func:`bio2map.render.notebook.to_pandas`; needs ``bio2map[pandas]``).

        .. versionadded:: 0.1.0
        """
        from bio2map.render.notebook import to_pandas

        return to_pandas(self)


def _rel_dict(relationship: str, via: tuple[str, ...], sources: tuple[str, ...]) -> dict[str, Any]:
    return {"relationship": relationship, "via": list(via), "sources": list(sources)}


@attrs.frozen
class ControlMatch:
    """An ISO control (or clause) that serves a requirement, and how."""

    control: Control
    relationship: str
    via: tuple[str, ...]
    sources: tuple[str, ...]
    measures: tuple[str, ...]

    @property
    def id(self) -> str:
        """The control's canonical id."""
        return self.control.id

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.control.id,
            "ref": self.control.ref,
            "kind": self.control.kind,
            "title": self.control.title,
            **_rel_dict(self.relationship, self.via, self.sources),
            "measures": list(self.measures),
        }


@attrs.frozen
class ControlsAnswer(NotebookMixin):
    """The answer to :meth:`Catalog.controls_for`."""

    requirement: Requirement
    controls: tuple[ControlMatch, ...]
    bio2_version: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``requirement`` and ``controls``."""
        return {
            "requirement": self.requirement.id,
            "label": self.requirement.label,
            "addressed_by": self.requirement.addressed_by,
            "bio2_version": self.bio2_version,
            "controls": [c.as_dict() for c in self.controls],
        }


@attrs.frozen
class RequirementMatch:
    """A requirement that a control (or measure) helps with, and how."""

    requirement: Requirement
    relationship: str
    via: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def id(self) -> str:
        """The requirement's canonical id."""
        return self.requirement.id

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.requirement.id,
            "ref": self.requirement.ref,
            "label": self.requirement.label,
            **_rel_dict(self.relationship, self.via, self.sources),
        }


@attrs.frozen
class RequirementsAnswer(NotebookMixin):
    """The answer to :meth:`Catalog.requirements_for`.

    ``control`` is the control asked about (for a BIO2 measure: its parent control, and
    ``measure`` holds the measure id).
    """

    control: Control
    requirements: tuple[RequirementMatch, ...]
    measure: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``control`` and ``requirements``."""
        out: dict[str, Any] = {
            "control": self.control.id,
            "title": self.control.title,
            "requirements": [r.as_dict() for r in self.requirements],
        }
        if self.measure is not None:
            out["measure"] = self.measure
        return out


@attrs.frozen
class CoverageItem:
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


@attrs.frozen
class Uncovered(NotebookMixin):
    """The gaps in the dataset itself (:meth:`Catalog.uncovered`)."""

    nis2_without_controls: tuple[Requirement, ...]
    ir2690_without_target: tuple[Requirement, ...]
    controls_without_requirement: tuple[Control, ...]
    controls_without_measure: tuple[Control, ...]
    measures_without_requirement: tuple[Measure, ...]
    bio2_version: str

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
            "nis2_without_controls": [req(r) for r in self.nis2_without_controls],
            "ir2690_without_target": [req(r) for r in self.ir2690_without_target],
            "controls_without_requirement": [
                {"id": c.id, "title": c.title} for c in self.controls_without_requirement
            ],
            "controls_without_measure": [
                {"id": c.id, "title": c.title} for c in self.controls_without_measure
            ],
            "measures_without_requirement": [
                {"id": m.id, "control": m.control} for m in self.measures_without_requirement
            ],
        }
