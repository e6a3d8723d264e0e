"""The raw layer: validated plain values, typed for the type checker only.

The reader (:mod:`bio2map.core.reader`) turns the packaged JSON into these dicts; the
catalog indexes them and makes attrs records (:mod:`bio2map.core.records`) only when a
caller asks for one, which keeps attrs off the cold path of a CLI query. Like
packaging's ``RawMetadata``, these are ``TypedDict`` classes: at run time they are
plain dicts, and ``record`` names the record class a node becomes.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import Literal, TypeAlias, TypedDict

__all__ = [
    "RawAttributes",
    "RawControl",
    "RawEdge",
    "RawMeasure",
    "RawNode",
    "RawRequirement",
]


class RawRequirement(TypedDict, total=False):
    """A NIS2, 2024/2690, Cbw, Cbw framework or layer requirement (record :class:`Requirement`)."""

    record: Literal["Requirement"]
    id: str
    framework: str
    ref: str
    kind: str
    parent: str | None
    label: str
    label_nl: str
    assessable: bool
    addressed_by: str
    points: tuple[str, ...]
    basis: str
    law: tuple[str, ...]
    seq: int


class RawAttributes(TypedDict):
    """The five ISO/IEC 27002:2022 attributes of a control (record :class:`Attributes`)."""

    record: Literal["Attributes"]
    control_type: tuple[str, ...]
    information_security_properties: tuple[str, ...]
    cybersecurity_concepts: tuple[str, ...]
    operational_capabilities: tuple[str, ...]
    security_domains: tuple[str, ...]
    verified: bool


class RawControl(TypedDict, total=False):
    """An ISO/IEC 27001 clause or theme, a 27002 control, or a clause or control of the
    2013 edition (record :class:`Control`)."""

    record: Literal["Control"]
    id: str
    standard: str
    kind: str
    ref: str
    title: str
    parent: str | None
    theme: str
    attributes: RawAttributes | None
    seq: int


class RawMeasure(TypedDict, total=False):
    """A BIO2 measure or marker of one draft (record :class:`Measure`)."""

    record: Literal["Measure"]
    id: str
    draft: str
    control: str
    kind: str
    target: str | None
    tags: tuple[str, ...]
    nis2_flag: bool
    fingerprint: str
    label_nl: str
    label_en: str
    signature: str
    words: int
    numbered: bool
    text: str | None
    control_title: str | None
    seq: int


RawNode: TypeAlias = RawRequirement | RawControl | RawMeasure
"""A validated node; ``node["record"]`` tells which."""

RawEdge: TypeAlias = tuple[str, str, str, str, str, str, tuple[str, ...]]
"""A validated edge: (source, target, relationship, kind, basis, dataset, sources)."""
