"""Packaged data files as they were built: recognised by digest, converted without checks.

``tasks/build_data.py`` validates every packaged file with the strict validator
(:mod:`bio2map.core.validate`, every field, every reference) and then bakes a BLAKE2b
digest of each file's bytes into :mod:`bio2map.core._digests`. At load time a file whose
bytes have that digest is the very file that passed, so :func:`convert` turns it into raw
nodes and edges without checking a field again: the same values, in the same order, as
the validator makes (``tests/test_load.py`` compares both on every packaged draft).

A file with any other bytes (a modified install, a user's ``--data-dir``) is never
converted here: the reader validates it strictly and reports every problem.

BLAKE2b comes from the ``_blake2`` module when there is one: ``hashlib`` loads OpenSSL,
which costs more than the whole check. Without BLAKE2b every file is validated.

.. versionadded:: 0.4.0
"""

from __future__ import annotations

from bio2map.core._digests import DIGESTS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from bio2map.core.raw import RawEdge, RawNode

__all__ = ["DIGEST_SIZE", "as_built", "convert", "digest"]

DIGEST_SIZE = 24
"""Bytes of each BLAKE2b digest (48 hex digits, 192 bits)."""


def _blake2b() -> Callable[..., Any] | None:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without the module
        try:
            from hashlib import blake2b
        except ImportError:
            return None
    return blake2b


_BLAKE2B = _blake2b()


def digest(blob: bytes) -> str:
    """The BLAKE2b digest of ``blob`` as hex (``""`` when this Python has no BLAKE2b)."""
    if _BLAKE2B is None:  # pragma: no cover
        return ""
    return str(_BLAKE2B(blob, digest_size=DIGEST_SIZE).hexdigest())


def as_built(name: str, blob: bytes) -> bool:
    """Whether ``blob`` is the packaged file ``name`` exactly as the build validated it."""
    baked = DIGESTS.get(name)
    return baked is not None and digest(blob) == baked


def convert(
    docs: Mapping[str, tuple[str, Any]], datasets: Mapping[str, Mapping[str, Any]], slug: str
) -> tuple[dict[str, RawNode], list[RawEdge]]:
    """The raw nodes and edges of the packaged datasets ``docs`` (name -> (file, JSON)),
    for BIO2 draft ``slug``, in the validator's order; every file as built."""
    nodes: dict[str, Any] = {}
    edges: list[RawEdge] = []
    _nis2(docs["nis2"][1], datasets["nis2"], nodes, edges)
    _ir2690(docs["ir2690"][1], datasets["ir2690"], nodes, edges)
    _iso(docs["iso27001-2022"][1], nodes)
    _enisa(docs["enisa-ir2690-iso27001"][1], datasets["enisa-ir2690-iso27001"], edges)
    _iso2013(docs["iso27001-2013"][1], datasets["iso27001-2013"], nodes, edges)
    _cbwcf(docs["cbwcf"][1], datasets["cbwcf"], nodes, edges)
    name = f"bio2-{slug}"
    _bio2(docs[name][1], slug, datasets[name], nodes, edges)
    return nodes, edges


def _keep(nodes: dict[str, Any], node: dict[str, Any]) -> None:
    """Keep ``node`` under its id; as the validator, a node without an id is left out."""
    if node["id"]:
        nodes[node["id"]] = node


def _links(doc: Any, ds: Mapping[str, Any]) -> list[RawEdge]:
    """The edges of a dataset's ``links`` list, each with the dataset's attribution."""
    name, sources = ds["name"], (ds["attribution"],)
    return [
        (e["source"], e["target"], e["relationship"], e["kind"], e["basis"], name, sources)
        for e in doc["links"]
    ]


def _nis2(doc: Any, ds: Mapping[str, Any], nodes: dict[str, Any], edges: list[RawEdge]) -> None:
    for r in doc["requirements"]:
        node = {
            "record": "Requirement",
            "id": r["id"],
            "framework": "nis2",
            "ref": r["ref"],
            "kind": r["kind"],
            "parent": r["parent"],
            "label": r["label"],
            "assessable": r["assessable"],
            "addressed_by": r["addressed_by"],
            "law": tuple(r["law"]),
            "seq": r["seq"],
        }
        _keep(nodes, node)
    for r in doc["cbw"]:
        node = {
            "record": "Requirement",
            "id": r["id"],
            "framework": "cbw",
            "ref": r["ref"],
            "kind": "article",
            "parent": None,
            "label": r["label"],
            "assessable": False,
            "addressed_by": "legislation",
            "seq": r["seq"],
        }
        _keep(nodes, node)
    edges += _links(doc, ds)


def _ir2690(doc: Any, ds: Mapping[str, Any], nodes: dict[str, Any], edges: list[RawEdge]) -> None:
    name, sources = ds["name"], (ds["attribution"],)
    for r in doc["requirements"]:
        rid, basis, points = r["id"], r["basis"], tuple(r["points"])
        node = {
            "record": "Requirement",
            "id": rid,
            "framework": "ir2690",
            "ref": r["ref"],
            "kind": r["kind"],
            "parent": r["parent"],
            "label": r["label"],
            "assessable": r["assessable"],
            "points": points,
            "basis": basis,
            "seq": r["seq"],
        }
        _keep(nodes, node)
        for p in points:
            edges.append((rid, p, "subset_of", "implements", basis, name, sources))


def _iso(doc: Any, nodes: dict[str, Any]) -> None:
    verified = bool(doc.get("attributes_verified", False))
    for r in doc["nodes"]:
        kind, rid = r["kind"], r["id"]
        attributes = None
        if kind == "control":
            a = r["attributes"]
            attributes = {
                "record": "Attributes",
                "control_type": tuple(a["control_type"]),
                "information_security_properties": tuple(a["information_security_properties"]),
                "cybersecurity_concepts": tuple(a["cybersecurity_concepts"]),
                "operational_capabilities": tuple(a["operational_capabilities"]),
                "security_domains": tuple(a["security_domains"]),
                "verified": verified,
            }
        node = {
            "record": "Control",
            "id": rid,
            "standard": rid.partition(":")[0],
            "kind": kind,
            "ref": r["ref"],
            "title": r["title"],
            "parent": r["parent"],
            "theme": r["theme"],
            "attributes": attributes,
            "seq": r["seq"],
        }
        _keep(nodes, node)


def _enisa(doc: Any, ds: Mapping[str, Any], edges: list[RawEdge]) -> None:
    name, edge_source = ds["name"], doc["edge_source"]
    sources = (edge_source,) if edge_source else (ds["attribution"],)
    edges += [
        (s, t, rel, "maps_to", "source_mapping", name, sources) for s, t, rel, _ in doc["pairs"]
    ]
    for s, t, rel, given in doc["inherited"]:
        note = (
            f"bio2map: the ENISA table of annex section {given.split(':')[-1].split('.')[0]} "
            f"(given on {given}) inherited to {s}"
        )
        edges.append((s, t, rel, "maps_to", "section_table", name, (*sources, note)))


def _iso2013(doc: Any, ds: Mapping[str, Any], nodes: dict[str, Any], edges: list[RawEdge]) -> None:
    for r in doc["nodes"]:
        node = {
            "record": "Control",
            "id": r["id"],
            "standard": "iso27001-2013",
            "kind": r["kind"],
            "ref": r["ref"],
            "title": r["title"],
            "parent": None,
            "theme": "",
            "attributes": None,
            "seq": r["seq"],
        }
        _keep(nodes, node)
    name, basis, sources = ds["name"], doc["relationship_basis"], (ds["attribution"],)
    edges += [
        (e["source"], e["target"], e["relationship"], "migrates_to", basis, name, sources)
        for e in doc["correspondence"]
    ]


def _cbwcf(doc: Any, ds: Mapping[str, Any], nodes: dict[str, Any], edges: list[RawEdge]) -> None:
    for r in doc["nodes"]:
        node = {
            "record": "Requirement",
            "id": r["id"],
            "framework": "cbwcf",
            "ref": r["ref"],
            "kind": r["kind"],
            "parent": r["parent"],
            "label": r["label_en"],
            "label_nl": r["label_nl"],
            "assessable": r["assessable"],
            "addressed_by": r["addressed_by"],
            "law": tuple(r["law"]),
            "seq": r["seq"],
        }
        _keep(nodes, node)
    edges += _links(doc, ds)


def _bio2(
    doc: Any, slug: str, ds: Mapping[str, Any], nodes: dict[str, Any], edges: list[RawEdge]
) -> None:
    name, sources = ds["name"], (f"BIO2 {slug}, Staat der Nederlanden (CC BY-SA 4.0)",)
    for m in doc["measures"]:
        mid, control, target = "bio2:" + m["id"], "iso27002:" + m["control"], m["target"]
        node = {
            "record": "Measure",
            "id": mid,
            "draft": slug,
            "control": control,
            "kind": m["kind"],
            "target": ("bio2:" + target) if target else None,
            "tags": tuple(m["tags"]),
            "nis2_flag": m["nis2"],
            "fingerprint": m["fingerprint"],
            "label_nl": m.get("label_nl", ""),
            "label_en": m.get("label_en", ""),
            "signature": m["signature"],
            "words": m["words"],
            "numbered": m["numbered"],
            "seq": m["seq"],
        }
        _keep(nodes, node)
        edges.append((mid, control, "subset_of", "refines", "numbering", name, sources))
