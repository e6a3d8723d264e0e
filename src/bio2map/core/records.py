"""Frozen records: the nodes and edges of the graph, the datasets and the drafts.

No I/O here. Every record is a frozen attrs class, so records (and the catalog that
holds them) are safe to share between threads. Collections are tuples.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import attrs

from bio2map.core.display import RecordDisplay

__all__ = [
    "BIO2_KINDS",
    "BIO2_TAGS",
    "RELATIONSHIPS",
    "Attributes",
    "Control",
    "Dataset",
    "Draft",
    "Mapping",
    "Measure",
    "Requirement",
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


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- nodes ------------------------------------------------------------------------


@attrs.frozen
class Requirement(RecordDisplay):
    """A requirement of NIS2, of the 2024/2690 annex, an article of the Dutch Cbw, or a
    node of the ADR & NOREA Cbw (NIS2) Control Framework.

    Attributes:
        id: canonical id (``nis2:21.2.d``, ``ir2690:5.1.4``, ``cbw:25``, ``cbwcf:6.1``).
        framework: ``nis2``, ``ir2690``, ``cbw`` or ``cbwcf``.
        ref: the reference as people write it (``Art. 21(2)(d)``, ``5.1.4``).
        kind: ``article``, ``paragraph``, ``subparagraph``, ``point``, ``part`` (NIS2);
            ``section``, ``subsection``, ``paragraph``, ``point``, ``subpoint`` (annex);
            ``group``, ``theme``, ``control`` (Cbw framework).
        parent: canonical id of the parent node, or None.
        label: our short label (at most 8 words; English); may be empty for annex
            paragraphs. Cbw framework groups and themes carry the framework's short name.
        assessable: whether the source marks it as something to assess.
        addressed_by: ``controls`` (security measures reach it), ``legislation`` (the
            law itself handles it, e.g. reporting to the CSIRT) or ``none``; for the Cbw
            framework ``controls`` (ISO controls stand behind it through its Art. 21(2)
            point) or ``process`` (only the organisation's own process can show it).
        points: for annex nodes, the NIS2 Art. 21(2) points it implements.
        basis: how that link is known: ``section_heading``, ``explicit_text`` or
            ``inferred_subject``.
        law: for NIS2 obligations handled by law, the Dutch article (``cbw:25``); for a
            Cbw framework node, the Cbw article of its group.
        seq: position in the source document.
        label_nl: the Dutch label or name (Cbw framework nodes), else empty.
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
    label_nl: str = ""

    def __repr__(self) -> str:
        return f"<Requirement {self.id} {self.ref}: {_short(self.label)}>"


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

    def __repr__(self) -> str:
        values = (
            *self.control_type,
            *self.information_security_properties,
            *self.cybersecurity_concepts,
        )
        return f"<Attributes {', '.join(values)}, …>"


@attrs.frozen
class Control(RecordDisplay):
    """An ISO/IEC 27001:2022 clause, an Annex A theme, an ISO/IEC 27002:2022 control, or a
    clause or Annex A control of ISO/IEC 27001:2013 (standard ``iso27001-2013``).

    One node serves both standards' names of a control: ``iso27002:5.19`` is 27002
    control 5.19 and 27001 Annex A control A.5.19.

    Attributes:
        id: ``iso27002:5.19`` (control), ``iso27002:5`` (theme), ``iso27001:6.1.2`` (clause).
        standard: ``iso27002``, ``iso27001`` or ``iso27001-2013``.
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

    def __repr__(self) -> str:
        return f"<Control {self.id} ({self.kind}) {self.ref}: {_short(self.title)}>"


@attrs.frozen
class Measure(RecordDisplay):
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
        label_nl, label_en: our short labels (at most 8 words) in Dutch and English;
            for markers they say what the marker is (``moved to 5.10.02``).
        signature: MinHash signature of the text's word 3-shingles (see
            :mod:`bio2map.drafts.signatures`); '' for an empty text.
        words: number of words in the text.
        numbered: False for a measure heading without an id (one in 2024-06).
        text: the measure text, only when texts are attached (never packaged).
        control_title: the Dutch ISO control title, only when texts are attached.
        seq: position in the draft.
        tags_recorded: the draft records contribution tags at all (1.3 has no tag
            lines: its empty ``tags`` mean "not recorded", not "no tags").
        nis2_recorded: the draft records the NIS2 tag at all (no draft from 1.1 on
            does: there ``nis2_flag`` False means "not recorded", not "no").
    """

    id: str
    draft: str
    control: str
    kind: str
    target: str | None
    tags: tuple[str, ...]
    nis2_flag: bool
    fingerprint: str
    label_nl: str = ""
    label_en: str = ""
    signature: str = attrs.field(default="", repr=False)
    words: int = 0
    numbered: bool = True
    text: str | None = attrs.field(default=None, repr=False)
    control_title: str | None = None
    seq: int = 0
    tags_recorded: bool = True
    nis2_recorded: bool = True

    @property
    def number(self) -> str:
        """The plain id (``5.19.01``)."""
        return self.id.partition(":")[2]

    @property
    def nis2(self) -> bool | None:
        """The NIS2 tag: True or False where the draft records it, None where it does not."""
        return self.nis2_flag if self.nis2_recorded else None

    @property
    def label(self) -> str:
        """The English label (``label_en``), like a requirement's ``label``."""
        return self.label_en

    def __repr__(self) -> str:
        kind = "" if self.kind == "measure" else f" ({self.kind})"
        return f"<Measure {self.id} BIO2 {self.draft}{kind}: {_short(self.label_en)}>"


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

    def __repr__(self) -> str:
        return (
            f"<Mapping {self.source} {self.relationship} {self.target}"
            f" ({self.kind}, {self.dataset})>"
        )


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

    def __repr__(self) -> str:
        return f"<Dataset {self.name} {self.version}: {_short(self.title)}>"

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

    def __repr__(self) -> str:
        return f"<Draft {self.slug} ({self.status}, {self.date}): {self.label}>"
