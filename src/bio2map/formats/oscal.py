"""OSCAL JSON: a catalog of one BIO2 draft and a mapping collection of the ENISA mapping.

``bio2map export --format oscal`` writes an OSCAL ``catalog``:

* one ``group`` per ISO/IEC 27002:2022 control that the draft has entries under, in
  the standard's order: ``id`` ``iso27002-5.19``, ``class`` ``iso27002-control``, the
  ISO short title, a ``label`` prop (``A.5.19``) and a ``reference`` link to a
  back-matter resource that names the ISO control;
* one ``control`` per BIO2 entry, in draft order: ``id`` ``bio2-5.19.01``, ``class``
  ``bio2-<kind>``, title ``BIO2 5.19.01``, a ``label`` prop, props in
  :data:`OSCAL_NAMESPACE` (``kind``, one ``tag`` per contribution tag, ``nis2`` when
  the draft flags the measure, ``fingerprint``) and a ``reference`` link to the ISO
  control. ``withdrawn`` and ``moved`` entries carry the core ``status`` prop
  ``withdrawn``; ``moved`` adds a ``moved-to`` link and ``see-other`` a ``related``
  link to the measure they point to. ``no-measure`` markers (the draft has no
  government measure for the control) are not controls: their ids are listed in the
  group's ``no-measure`` prop;
* measure texts appear (as ``statement`` parts) only when the user attached them
  (:meth:`Catalog.attach_texts <bio2map.Catalog.attach_texts>`); the packaged data
  has none.

``bio2map export --format oscal-mapping`` writes an OSCAL ``mapping-collection``
(OSCAL 1.2) of the ENISA mapping from the 2024/2690 annex to ISO/IEC 27001:2022: one
``map`` per pair, relationship in NIST IR 8477 words (``intersects-with``, ...),
sources by annex id (``1.1.1.a``) and targets by ISO/IEC 27001 number (``A.5.19``,
``6.1.2``).

Both claim :data:`OSCAL_VERSION` and are tested against compliance-trestle's models of
that OSCAL release (generated from NIST's JSON schemas). UUIDs are version-5 UUIDs
derived from ids, ``last-modified`` is the draft (or dataset) date, so two runs give the
same bytes.

Namespace: :data:`OSCAL_NAMESPACE` (``https://w3id.org/bio2map/ns/oscal``) qualifies
every bio2map prop; it is a name, not a web page.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from bio2map.core.ids import plain
from bio2map.formats.common import (
    BASE_URI,
    draft_dataset,
    draft_source_url,
    id_order,
    iso_ref,
    measures_by_control,
    stable_uuid,
    to_json,
)

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Control, Dataset, Measure

__all__ = [
    "OSCAL_NAMESPACE",
    "OSCAL_RELATIONSHIPS",
    "OSCAL_VERSION",
    "export_oscal",
    "export_oscal_mapping",
    "oscal_catalog",
    "oscal_mapping_collection",
]

OSCAL_VERSION: Final = "1.2.1"
"""The OSCAL release the exports claim (``metadata.oscal-version``)."""

OSCAL_NAMESPACE: Final = f"{BASE_URI}ns/oscal"
"""The ``ns`` of every bio2map prop in OSCAL exports."""

OSCAL_RELATIONSHIPS: Final = {
    "equal": "equal-to",
    "subset_of": "subset-of",
    "superset_of": "superset-of",
    "intersects_with": "intersects-with",
    "not_related": "no-relationship",
}
"""bio2map relationship -> OSCAL mapping relationship (NIST IR 8477)."""

ENISA_DATASET: Final = "enisa-ir2690-iso27001"
"""The dataset :func:`oscal_mapping_collection` exports."""

_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z" if _DATE.fullmatch(date) else "1970-01-01T00:00:00Z"


def _prop(name: str, value: str, *, ns: bool = True) -> dict[str, str]:
    prop = {"name": name, "value": value}
    if ns:
        prop["ns"] = OSCAL_NAMESPACE
    return prop


def _oscal_id(cid: str) -> str:
    """``bio2:5.19.01`` -> ``bio2-5.19.01``; ``iso27002:5.19`` -> ``iso27002-5.19``."""
    return cid.replace(":", "-")


def _iso_resource(control: Control) -> dict[str, Any]:
    number = plain(control.id)
    return {
        "uuid": stable_uuid("oscal", "resource", control.id),
        "title": f"ISO/IEC 27002:2022 {number} {control.title}",
        "citation": {
            "text": f"ISO/IEC 27002:2022, control {number} (ISO/IEC 27001:2022 {control.ref})"
        },
        "props": [_prop("id", control.id)],
    }


def _measure_control(m: Measure, iso_uuid: str, known: set[str]) -> dict[str, Any]:
    props = [_prop("label", m.number, ns=False), _prop("kind", m.kind)]
    if m.kind in ("withdrawn", "moved"):
        props.append(_prop("status", "withdrawn", ns=False))
    props.extend(_prop("tag", t) for t in m.tags)
    if m.nis2_flag:
        props.append(_prop("nis2", "true"))
    if m.fingerprint:
        props.append(_prop("fingerprint", m.fingerprint))
    links: list[dict[str, str]] = [{"href": f"#{iso_uuid}", "rel": "reference"}]
    if m.target is not None and m.target in known:
        rel = "moved-to" if m.kind == "moved" else "related"
        links.append({"href": f"#{_oscal_id(m.target)}", "rel": rel})
    control: dict[str, Any] = {
        "id": _oscal_id(m.id),
        "class": f"bio2-{m.kind}",
        "title": f"BIO2 {m.number}",
        "props": props,
        "links": links,
    }
    if m.text:
        control["parts"] = [{"id": f"{_oscal_id(m.id)}_smt", "name": "statement", "prose": m.text}]
    return control


def _metadata(
    title: str, version: str, date: str, props: list[dict[str, str]], remarks: str
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": title,
        "last-modified": _timestamp(date),
        "version": version,
        "oscal-version": OSCAL_VERSION,
        "props": props,
        "remarks": remarks,
    }
    if _DATE.fullmatch(date):
        meta["published"] = _timestamp(date)
    return meta


def oscal_catalog(catalog: Catalog) -> dict[str, Any]:
    """The OSCAL catalog of the loaded BIO2 draft as plain JSON values.

    .. versionadded:: 0.1.0
    """
    draft = catalog.draft
    controls = {c.id: c for c in catalog.controls}
    entries = [m for m in catalog.measures if m.kind != "no-measure"]
    known = {m.id for m in entries}
    groups = []
    resources = []
    by_control = measures_by_control(catalog.measures)
    for cid in sorted(by_control, key=lambda c: (getattr(controls.get(c), "seq", 0), id_order(c))):
        control = controls.get(cid)
        if control is None:
            continue
        resource = _iso_resource(control)
        resources.append(resource)
        members = by_control[cid]
        group: dict[str, Any] = {
            "id": _oscal_id(cid),
            "class": "iso27002-control",
            "title": control.title,
        }
        props = [_prop("label", control.ref, ns=False)]
        props.extend(_prop("no-measure", m.number) for m in members if m.kind == "no-measure")
        dutch = next((m.control_title for m in members if m.control_title), None)
        if dutch:
            props.append(_prop("title-nl", dutch))
        group["props"] = props
        group["links"] = [{"href": f"#{resource['uuid']}", "rel": "reference"}]
        ctrls = [_measure_control(m, resource["uuid"], known) for m in members if m.id in known]
        if ctrls:
            group["controls"] = ctrls
        groups.append(group)

    ds = draft_dataset(catalog)
    source: dict[str, Any] = {
        "uuid": stable_uuid("oscal", "resource", "bio2", draft.slug),
        "title": f"{draft.label} ({draft.slug}), {draft.source_path} at commit {draft.commit}",
    }
    url = draft_source_url(catalog)
    if url is not None:
        rlink: dict[str, Any] = {"href": url, "media-type": "text/markdown"}
        if re.fullmatch(r"[0-9a-f]{64}", draft.sha256):
            rlink["hashes"] = [{"algorithm": "SHA-256", "value": draft.sha256}]
        source["rlinks"] = [rlink]
    texts = catalog.texts_source is not None
    props = [
        _prop("bio2-version", draft.slug),
        _prop("bio2-status", draft.status),
        _prop("data-version", catalog.data_version),
    ]
    remarks = (
        "Structure only: BIO2 measure ids, kinds, tags and fingerprints under ISO/IEC "
        "27002:2022 control ids and short titles. "
        + (
            f"Measure texts attached by the user from {catalog.texts_source}. "
            if texts
            else "No measure text: attach texts at run time to include them. "
        )
        + (f"Source: {ds.attribution}; {ds.licence}." if ds is not None else "")
    )
    doc = {
        "uuid": stable_uuid("oscal", "catalog", "bio2", draft.slug, "texts" if texts else ""),
        "metadata": _metadata(
            f"BIO2 {draft.slug} government measures by ISO/IEC 27002:2022 control",
            draft.slug,
            draft.date,
            props,
            remarks.strip(),
        ),
        "groups": groups,
        "back-matter": {"resources": [source, *resources]},
    }
    return {"catalog": doc}


def export_oscal(catalog: Catalog) -> str:
    """The loaded BIO2 draft as a deterministic OSCAL catalog (JSON text).

    Examples:
        >>> import bio2map, json
        >>> doc = json.loads(export_oscal(bio2map.load("1.3")))
        >>> doc["catalog"]["groups"][0]["id"], doc["catalog"]["metadata"]["oscal-version"]
        ('iso27002-5.1', '1.2.1')

    .. versionadded:: 0.1.0
    """
    return to_json(oscal_catalog(catalog))


def _resource(uuid_parts: tuple[str, ...], title: str, href: str | None) -> dict[str, Any]:
    res: dict[str, Any] = {"uuid": stable_uuid(*uuid_parts), "title": title}
    if href is not None:
        res["rlinks"] = [{"href": href}]
    return res


def oscal_mapping_collection(catalog: Catalog, dataset: str = ENISA_DATASET) -> dict[str, Any]:
    """The ENISA mapping (2024/2690 annex -> ISO/IEC 27001:2022) as an OSCAL 1.2
    ``mapping-collection``, as plain JSON values.

    Raises:
        ValueError: the catalog has no dataset called ``dataset`` or no ``maps_to``
            edge from it.

    .. versionadded:: 0.1.0
    """
    ds: Dataset | None = next((d for d in catalog.datasets if d.name == dataset), None)
    edges = sorted(
        (m for m in catalog.mappings if m.dataset == dataset and m.kind == "maps_to"),
        key=lambda m: (id_order(m.source), id_order(m.target), m.relationship),
    )
    if ds is None or not edges:
        msg = f"no maps_to edges from dataset {dataset!r} in the catalog"
        raise ValueError(msg)
    source = _resource(
        ("oscal", "resource", "ir2690"),
        "Commission Implementing Regulation (EU) 2024/2690, annex",
        "http://data.europa.eu/eli/reg_impl/2024/2690/oj",
    )
    target = _resource(
        ("oscal", "resource", "iso27001-2022"),
        "ISO/IEC 27001:2022 (clauses 4-10 and Annex A)",
        "https://www.iso.org/standard/27001",
    )
    origin = _resource(("oscal", "resource", "dataset", ds.name, ds.version), ds.source, None)
    origin["citation"] = {"text": ds.attribution}
    maps = [
        {
            "uuid": stable_uuid("oscal", "map", m.source, m.target, m.relationship),
            "relationship": OSCAL_RELATIONSHIPS[m.relationship],
            "sources": [{"type": "control", "id-ref": plain(m.source)}],
            "targets": [{"type": "control", "id-ref": iso_ref(m.target)}],
        }
        for m in edges
    ]
    description = (
        f"{ds.title}: {len(edges)} pairs from the annex to Implementing Regulation (EU) "
        "2024/2690 to ISO/IEC 27001:2022 clauses and Annex A controls, as packaged by bio2map."
    )
    props = [_prop("dataset", ds.name), _prop("data-version", catalog.data_version)]
    doc = {
        "uuid": stable_uuid("oscal", "mapping-collection", ds.name, ds.version),
        "metadata": _metadata(
            ds.title, ds.version, ds.version, props, f"{ds.attribution} Licence: {ds.licence}."
        ),
        "provenance": {
            "method": "human",
            "matching-rationale": "semantic",
            "status": "complete",
            "mapping-description": description,
            "links": [{"href": f"#{origin['uuid']}", "rel": "reference"}],
        },
        "mappings": [
            {
                "uuid": stable_uuid("oscal", "mapping", ds.name, ds.version),
                "source-resource": {"type": "catalog", "href": f"#{source['uuid']}"},
                "target-resource": {"type": "catalog", "href": f"#{target['uuid']}"},
                "maps": maps,
            }
        ],
        "back-matter": {"resources": [source, target, origin]},
    }
    return {"mapping-collection": doc}


def export_oscal_mapping(catalog: Catalog) -> str:
    """The ENISA mapping as a deterministic OSCAL mapping collection (JSON text).

    .. versionadded:: 0.1.0
    """
    return to_json(oscal_mapping_collection(catalog))
