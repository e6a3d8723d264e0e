"""Every mapping layer as an SSSOM mapping set (``bio2map export --format sssom``).

`SSSOM <https://mapping-commons.github.io/sssom/>`_ (Simple Standard for Sharing
Ontological Mappings) TSV: a ``#``-prefixed YAML metadata block, then one row per
:class:`~bio2map.Mapping` of every layer (``implements``, ``maps_to``, ``refines``,
``transposes``), sorted by subject, object and the other columns.

Metadata: ``curie_map`` (our id schemes under :data:`~bio2map.formats.export.BASE_URI`,
plus ``skos`` and ``semapv``), ``mapping_set_id``, ``mapping_set_version`` (the data
version), ``mapping_set_title``, ``license`` and ``extension_definitions`` for the
bio2map columns.

Predicates (our relationships read ``subject <relationship> object``):

===================  =======================  =====================================
relationship         ``predicate_id``         meaning
===================  =======================  =====================================
``equal``            ``skos:exactMatch``
``subset_of``        ``skos:broadMatch``      the object is broader than the subject
``superset_of``      ``skos:narrowMatch``     the object is narrower than the subject
``intersects_with``  ``skos:relatedMatch``
``not_related``      ``skos:relatedMatch``    with ``predicate_modifier`` ``Not``
===================  =======================  =====================================

SKOS is coarser than NIST IR 8477, so the exact relationship is kept in the extension
column ``relationship``, next to ``kind``, ``basis``, ``dataset`` and ``sources``
(provenance strings joined with ``|``, a ``|`` or ``\\`` inside one escaped with ``\\``).
``mapping_justification`` is ``semapv:ManualMappingCuration`` for every basis bio2map
knows (each link was set by people: ENISA, ISO, the BIO2 authors, ADR & NOREA or the
bio2map curators); ``confidence`` is left empty; ``license`` is the licence of the row's
dataset. A cell that a spreadsheet would run as a formula (an id or label from a user
layer that starts with ``=``, ``+``, ``-`` or ``@``) starts with ``'``
(:func:`~bio2map.formats.common.defuse`).

:func:`read_sssom` reads the rows back as dicts; :func:`read_sssom_mappings` rebuilds
the :class:`~bio2map.Mapping` records.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Final

from bio2map.formats.common import (
    BASE_URI,
    ID_PREFIXES,
    YamlValue,
    defuse,
    join_list,
    label_of,
    licence_uri,
    mapping_order,
    restore,
    split_list,
    yaml_document,
)

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Mapping

__all__ = [
    "PREDICATES",
    "SSSOM_COLUMNS",
    "SSSOM_EXTENSIONS",
    "export_sssom",
    "read_sssom",
    "read_sssom_mappings",
]

PREDICATES: Final = {
    "equal": ("skos:exactMatch", ""),
    "subset_of": ("skos:broadMatch", ""),
    "superset_of": ("skos:narrowMatch", ""),
    "intersects_with": ("skos:relatedMatch", ""),
    "not_related": ("skos:relatedMatch", "Not"),
}
"""Relationship -> (``predicate_id``, ``predicate_modifier``)."""

_FROM_PREDICATE: Final = {v: k for k, v in PREDICATES.items()}

SSSOM_EXTENSIONS: Final = ("relationship", "kind", "basis", "dataset", "sources")
"""The bio2map extension columns (declared in ``extension_definitions``)."""

SSSOM_COLUMNS: Final = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "license",
    "comment",
    *SSSOM_EXTENSIONS,
)
"""The TSV header of :func:`export_sssom`."""

EXTENSION_NAMESPACE: Final = f"{BASE_URI}ns/sssom/"
"""Base URI of the properties behind the extension columns."""

_JUSTIFICATION: Final = {
    "section_heading": "semapv:ManualMappingCuration",
    "explicit_text": "semapv:ManualMappingCuration",
    "inferred_subject": "semapv:ManualMappingCuration",
    "source_mapping": "semapv:ManualMappingCuration",
    "section_table": "semapv:ManualMappingCuration",
    "numbering": "semapv:ManualMappingCuration",
    "shape_of_pairs": "semapv:ManualMappingCuration",  # ISO/IEC 27002:2022 Table B.2
    "explicit_node_name": "semapv:ManualMappingCuration",  # Cbw framework group names
    "inferred_theme": "semapv:ManualMappingCuration",  # Cbw framework themes, our reading
}
_UNSPECIFIED: Final = "semapv:UnspecifiedMatching"

_BY_SA: Final = "https://creativecommons.org/licenses/by-sa/4.0/"
_BY: Final = "https://creativecommons.org/licenses/by/4.0/"


def _set_licence(uris: set[str]) -> str:
    """One licence for the whole set: share-alike wins, then CC BY, then the only one."""
    for uri in (_BY_SA, _BY):
        if uri in uris:
            return uri
    if len(uris) == 1:
        return next(iter(uris))
    return f"{BASE_URI}licence/see-rows"


def _metadata(catalog: Catalog, licence: str) -> dict[str, YamlValue]:
    slug = catalog.bio2_version
    prefixes = dict(ID_PREFIXES)
    for m in catalog.mappings:  # user layers bring prefixes of their own
        for cid in (m.source, m.target):
            prefix = cid.partition(":")[0]
            prefixes.setdefault(prefix, f"{BASE_URI}id/{prefix}/")
    curie_map: dict[str, YamlValue] = dict(sorted(prefixes.items()))
    curie_map["semapv"] = "https://w3id.org/semapv/vocab/"
    curie_map["skos"] = "http://www.w3.org/2004/02/skos/core#"
    return {
        "curie_map": curie_map,
        "mapping_set_id": f"{BASE_URI}sssom/bio2map-{catalog.data_version}-bio2-{slug}.sssom.tsv",
        "mapping_set_version": catalog.data_version,
        "mapping_set_title": (
            f"bio2map: NIS2, Implementing Regulation (EU) 2024/2690, ISO/IEC 27001/27002:2022, "
            f"Cbw and BIO2 {slug}"
        ),
        "mapping_set_description": (
            "Every mapping layer of bio2map: annex requirements implementing NIS2 points "
            "(implements), annex requirements mapped to ISO/IEC 27001 clauses and Annex A "
            "controls (maps_to), BIO2 measures under their ISO/IEC 27002 control (refines) "
            "and Cbw articles transposing NIS2 (transposes). The exact NIST IR 8477 "
            "relationship is in the 'relationship' column; each row's 'license' is the "
            "licence of its dataset."
        ),
        "license": licence,
        "comment": "Ids and short labels only; no text of the standards or of BIO2.",
        "extension_definitions": [
            {"slot_name": name, "property": f"{EXTENSION_NAMESPACE}{name}"}
            for name in SSSOM_EXTENSIONS
        ],
    }


def export_sssom(catalog: Catalog) -> str:
    """Every mapping of the catalog as a deterministic SSSOM TSV text.

    Examples:
        >>> import bio2map
        >>> text = export_sssom(bio2map.load("1.3"))
        >>> text.startswith("# curie_map:"), "skos:broadMatch" in text
        (True, True)

    .. versionadded:: 0.1.0
    """
    nodes = {n.id: n for n in catalog.nodes()}
    licences = {d.name: licence_uri(d.licence) or "" for d in catalog.datasets}
    rows = []
    used: set[str] = set()
    for m in sorted(catalog.mappings, key=mapping_order):
        predicate, modifier = PREDICATES[m.relationship]
        lic = licences.get(m.dataset, "")
        if lic:
            used.add(lic)
        subject, obj = nodes.get(m.source), nodes.get(m.target)
        rows.append(
            (
                m.source,
                label_of(subject) if subject is not None else "",
                predicate,
                modifier,
                m.target,
                label_of(obj) if obj is not None else "",
                _JUSTIFICATION.get(m.basis, _UNSPECIFIED),
                "",
                lic,
                "the source says these are not related" if modifier else "",
                m.relationship,
                m.kind,
                m.basis,
                m.dataset,
                join_list(m.sources, "|"),
            )
        )
    buf = io.StringIO()
    buf.write(yaml_document(_metadata(catalog, _set_licence(used)), prefix="# "))
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(SSSOM_COLUMNS)
    w.writerows([defuse(c) for c in row] for row in rows)
    return buf.getvalue()


def read_sssom(text: str) -> list[dict[str, str]]:
    """The mapping rows of an SSSOM TSV text, each as a dict of column -> value.

    The ``#`` metadata block is skipped (read it with a YAML reader after removing
    the ``# `` prefixes). Empty cells are empty strings; the ``'`` that
    :func:`export_sssom` puts before a cell a spreadsheet would run is taken off.

    Raises:
        ValueError: a row has more cells than the header.

    .. versionadded:: 0.1.0
    """
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body), delimiter="\t", restval="")
    rows = []
    for row in reader:
        if None in row:
            msg = f"SSSOM row {reader.line_num}: more cells than the header has columns"
            raise ValueError(msg)
        rows.append({k: restore(v) for k, v in row.items() if k is not None})
    return rows


def read_sssom_mappings(text: str) -> tuple[Mapping, ...]:
    """Rebuild :class:`~bio2map.Mapping` records from an SSSOM text made by
    :func:`export_sssom`.

    Without the ``relationship`` column the relationship is read from ``predicate_id``
    and ``predicate_modifier``.

    Raises:
        ValueError: a row's predicate has no bio2map relationship.

    .. versionadded:: 0.1.0
    """
    from bio2map.core.records import Mapping

    out = []
    for i, row in enumerate(read_sssom(text), start=1):
        rel = row.get("relationship", "")
        if not rel:
            pair = (row.get("predicate_id", ""), row.get("predicate_modifier", ""))
            if pair not in _FROM_PREDICATE:
                msg = f"SSSOM mapping {i}: predicate {pair[0]!r} has no bio2map relationship"
                raise ValueError(msg)
            rel = _FROM_PREDICATE[pair]
        out.append(
            Mapping(
                source=row["subject_id"],
                target=row["object_id"],
                relationship=rel,
                kind=row.get("kind", ""),
                basis=row.get("basis", ""),
                dataset=row.get("dataset", ""),
                sources=split_list(row.get("sources", ""), "|"),
            )
        )
    return tuple(out)
