"""The strict validator of the packaged datasets: every field of every file, every reference.

One function per dataset turns its parsed JSON into raw nodes and edges
(:mod:`bio2map.core.raw`) and adds every problem it finds to a list, with the file and the
JSON pointer (``nis2.json: /requirements/3/parent: unknown id 'nis2:99'``): a missing key,
a key the format does not define (src/bio2map/data/README.md), a value of the wrong type or
outside its set, a duplicate id or pair, an id that names no node. :func:`validate` runs
them all for one BIO2 draft.

``tasks/build_data.py`` runs it on every packaged file before it bakes their digests; at
load time it runs on any file that is not byte for byte as built (a modified install, a
user's ``--data-dir``). Files as built are converted by :mod:`bio2map.core.trusted`.

.. versionadded:: 0.4.0
   Split from :mod:`bio2map.core.reader`.
"""

from __future__ import annotations

from bio2map.core.checker import Checker, describe
from bio2map.core.errors import DataError
from bio2map.core.manifest import DRAFT_ENTRY_KEYS
from bio2map.core.vocab import BIO2_KINDS, RELATIONSHIPS

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeAlias

    from bio2map.core.raw import (
        RawAttributes,
        RawControl,
        RawEdge,
        RawMeasure,
        RawNode,
        RawRequirement,
    )

__all__ = ["validate"]

_NIS2_KINDS = frozenset({"article", "paragraph", "subparagraph", "point", "part"})
# The keys each object of the packaged data may have (src/bio2map/data/README.md);
# any other key is refused with its file and JSON pointer.
_NIS2_KEYS = frozenset(
    {"addressed_by", "assessable", "id", "kind", "label", "law", "parent", "ref", "seq"}
)
_CBW_KEYS = frozenset({"id", "label", "ref", "seq"})
_LINK_KEYS = frozenset({"basis", "kind", "relationship", "source", "target"})
_IR_KEYS = frozenset(
    {"assessable", "basis", "id", "kind", "label", "parent", "points", "ref", "section", "seq"}
)
_ISO_KEYS = frozenset({"attributes", "id", "kind", "parent", "ref", "seq", "theme", "title"})
_ATTRIBUTE_KEYS = frozenset(
    {"control_type", "cybersecurity_concepts", "information_security_properties"}
    | {"operational_capabilities", "security_domains"}
)
_PAIR_KEYS: frozenset[str] = frozenset()  # pairs are arrays, not objects
_MEASURE_KEYS = frozenset(
    {"control", "fingerprint", "id", "kind", "label_en", "label_nl", "nis2", "numbered"}
    | {"rationale", "seq", "signature", "tag_line", "tags", "target", "words"}
)
_ISO2013_KEYS = frozenset({"id", "kind", "ref", "seq", "title"})
_CORRESPONDENCE_KEYS = frozenset({"relationship", "source", "target"})
_CBWCF_KEYS = frozenset(
    {"addressed_by", "assessable", "id", "kind", "label_en", "label_nl", "law", "parent"}
    | {"ref", "seq", "source_ref"}
)
_TOP_KEYS = {
    "nis2": frozenset({"cbw", "dataset", "links", "requirements"}),
    "ir2690": frozenset({"dataset", "requirements"}),
    "iso27001-2022": frozenset({"attributes_source", "attributes_verified", "dataset", "nodes"}),
    "enisa-ir2690-iso27001": frozenset(
        {"columns", "dataset", "edge_source", "inherited", "inherited_columns", "pairs"}
    ),
    "bio2": frozenset({"dataset", "draft", "measures"}),
    "iso27001-2013": frozenset(
        {"correspondence", "dataset", "new_in_2022", "nodes", "relationship_basis"}
    ),
    "cbwcf": frozenset({"dataset", "links", "nodes"}),
}
_BIO2_DRAFT_KEYS = DRAFT_ENTRY_KEYS - {"counts", "file"}
_IR_KINDS = frozenset({"section", "subsection", "paragraph", "point", "subpoint"})
_ISO_KINDS = frozenset({"clause", "theme", "control"})
_ADDRESSED = frozenset({"controls", "legislation", "none"})
_BASES = frozenset({"section_heading", "explicit_text", "inferred_subject"})
_THEMES = frozenset({"organizational", "people", "physical", "technological"})
_ISO2013_KINDS = frozenset({"clause", "control"})
_CBWCF_KINDS = frozenset({"group", "theme", "control"})
_CBWCF_ADDRESSED = frozenset({"controls", "process"})
_CBWCF_BASES = frozenset({"explicit_node_name", "inferred_theme"})


# Loading builds plain validated values (bio2map.core.raw); the catalog turns them into
# attrs records only when someone asks for one. That keeps attrs off the cold path.
def _Requirement(**fields: Any) -> RawRequirement:  # noqa: N802 - reads like its record
    return {"record": "Requirement", **fields}  # type: ignore[typeddict-item]


def _Control(**fields: Any) -> RawControl:  # noqa: N802
    return {"record": "Control", **fields}  # type: ignore[typeddict-item]


def _Measure(**fields: Any) -> RawMeasure:  # noqa: N802
    return {"record": "Measure", **fields}  # type: ignore[typeddict-item]


def _Attributes(**fields: Any) -> RawAttributes:  # noqa: N802
    return {"record": "Attributes", **fields}  # type: ignore[typeddict-item]


def _Mapping(  # noqa: N802 - reads like the record it stands for
    *,
    source: str,
    target: str,
    relationship: str,
    kind: str,
    basis: str,
    dataset: str,
    sources: tuple[str, ...] = (),
) -> RawEdge:
    return (source, target, relationship, kind, basis, dataset, sources)


def validate(
    docs: Mapping[str, tuple[str, Any]],
    datasets: Mapping[str, Mapping[str, Any]],
    slug: str,
    errors: list[DataError],
) -> tuple[dict[str, RawNode], list[RawEdge]]:
    """The raw nodes and edges of ``docs`` (dataset name -> (file, parsed JSON)) for BIO2
    draft ``slug``, every field and reference checked; each problem is added to
    ``errors`` (the values are then not to be used)."""
    nodes: dict[str, RawNode] = {}
    edges = _Edges()
    node_where: dict[str, tuple[str, str]] = {}

    def add_node(c: Checker, ptr: str, node: RawNode) -> None:
        nid = node["id"]
        if not nid:
            return
        if nid in nodes:
            c.err(f"{ptr}/id", "id", f"duplicate id {nid!r}")
        else:
            nodes[nid] = node
            node_where[nid] = (c.file, ptr)

    def checker(name: str) -> tuple[Checker, Any, Mapping[str, Any]]:
        file, doc = docs[name]
        return Checker(file, errors), doc, datasets[name]

    c, doc, ds = checker("nis2")
    _nis2(c, doc, add_node, edges, ds)
    c, doc, ds = checker("ir2690")
    _ir2690(c, doc, add_node, edges, ds)
    c, doc, ds = checker("iso27001-2022")
    _iso(c, doc, add_node)
    c, doc, ds = checker("enisa-ir2690-iso27001")
    _enisa(c, doc, edges, ds)
    c, doc, ds = checker("iso27001-2013")
    new_in_2022 = _iso2013(c, doc, add_node, edges, ds)
    old_file = c.file
    c, doc, ds = checker("cbwcf")
    _cbwcf(c, doc, add_node, edges, ds)
    c, doc, ds = checker(f"bio2-{slug}")
    _bio2(c, doc, slug, add_node, edges, ds)

    _check_references(nodes, node_where, edges, errors)
    _check_new_in_2022(old_file, new_in_2022, nodes, edges, errors)
    return nodes, edges.items


if TYPE_CHECKING:
    _AddNode: TypeAlias = Callable[[Checker, str, RawNode], None]


class _Edges:
    """Edges in load order, each with the file and JSON pointer it came from."""

    def __init__(self) -> None:
        self.items: list[RawEdge] = []
        self.where: list[tuple[str, str, str, str]] = []

    def add(
        self,
        c: Checker,
        ptr: str,
        edge: RawEdge,
        source_field: str = "source",
        target_field: str = "target",
    ) -> None:
        self.items.append(edge)
        self.where.append((c.file, ptr, source_field, target_field))


def _nis2(c: Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["nis2"])
    for ptr, r in c.items(doc, "requirements", _NIS2_KEYS):
        kind = c.choice(r, "kind", ptr, _NIS2_KINDS, "")
        by = c.choice(r, "addressed_by", ptr, _ADDRESSED, "controls")
        rid = c.prefixed_id(r, ptr, "nis2:")
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="nis2",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                addressed_by=by,
                law=c.strs(r, "law", ptr),
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, r in c.items(doc, "cbw", _CBW_KEYS):
        add(
            c,
            ptr,
            _Requirement(
                id=c.get(r, "id", ptr, str, ""),
                framework="cbw",
                ref=c.get(r, "ref", ptr, str, ""),
                kind="article",
                parent=None,
                label=c.get(r, "label", ptr, str, ""),
                assessable=False,
                addressed_by="legislation",
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, e in c.items(doc, "links", _LINK_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        edges.add(
            c,
            ptr,
            _Mapping(
                source=c.get(e, "source", ptr, str, ""),
                target=c.get(e, "target", ptr, str, ""),
                relationship=rel,
                kind=c.get(e, "kind", ptr, str, ""),
                basis=c.get(e, "basis", ptr, str, ""),
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )


def _ir2690(c: Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["ir2690"])
    source = (ds["attribution"],)
    for ptr, r in c.items(doc, "requirements", _IR_KEYS):
        kind = c.choice(r, "kind", ptr, _IR_KINDS, "")
        basis = c.choice(r, "basis", ptr, _BASES, "")
        rid = c.prefixed_id(r, ptr, "ir2690:")
        points = c.strs(r, "points", ptr)
        c.get(r, "section", ptr, int, 0)
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="ir2690",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                points=points,
                basis=basis,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
        for i, p in enumerate(points):
            edges.add(
                c,
                ptr,
                _Mapping(
                    source=rid,
                    target=p,
                    relationship="subset_of",
                    kind="implements",
                    basis=basis,
                    dataset=ds["name"],
                    sources=source,
                ),
                "id",
                f"points/{i}",
            )


def _iso(c: Checker, doc: Any, add: _AddNode) -> None:
    c.known_keys(doc, "", _TOP_KEYS["iso27001-2022"])
    for ptr, r in c.items(doc, "nodes", _ISO_KEYS):
        kind = c.choice(r, "kind", ptr, _ISO_KINDS, "")
        rid = c.get(r, "id", ptr, str, "")
        standard = rid.partition(":")[0]
        if standard not in ("iso27001", "iso27002") or (standard == "iso27001") != (
            kind == "clause"
        ):
            c.err(f"{ptr}/id", "id", f"{rid!r} does not fit kind {kind!r}")
        theme = c.get(r, "theme", ptr, str, "")
        attributes = None
        if kind == "control":
            c.one_of(theme, _THEMES, ptr, "theme")
            a = c.get(r, "attributes", ptr, dict, {})
            aptr = f"{ptr}/attributes"
            c.known_keys(a, aptr, _ATTRIBUTE_KEYS)
            attributes = _Attributes(
                control_type=c.strs(a, "control_type", aptr),
                information_security_properties=c.strs(a, "information_security_properties", aptr),
                cybersecurity_concepts=c.strs(a, "cybersecurity_concepts", aptr),
                operational_capabilities=c.strs(a, "operational_capabilities", aptr),
                security_domains=c.strs(a, "security_domains", aptr),
                verified=bool(doc.get("attributes_verified", False))
                if isinstance(doc, dict)
                else False,
            )
        add(
            c,
            ptr,
            _Control(
                id=rid,
                standard=standard,
                kind=kind,
                ref=c.get(r, "ref", ptr, str, ""),
                title=c.get(r, "title", ptr, str, ""),
                parent=c.opt_str(r, "parent", ptr),
                theme=theme,
                attributes=attributes,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )


def _enisa(c: Checker, doc: Any, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["enisa-ir2690-iso27001"])
    edge_source = c.get(doc, "edge_source", "", str, "")
    sources = (edge_source,) if edge_source else (ds["attribution"],)
    seen: set[tuple[str, str]] = set()
    for ptr, p in c.items(doc, "pairs", _PAIR_KEYS):
        if not (
            isinstance(p, list)
            and len(p) == 4
            and all(isinstance(x, str) for x in p[:3])
            and isinstance(p[3], int)
        ):
            c.err(
                ptr,
                "",
                f"expected [source, target, relationship, occurrences], got {describe(p, 80)}",
            )
            continue
        _enisa_pair(c, ptr, p, "source_mapping", sources, seen, edges, ds)
    # The section tables ENISA gives for annex sections 7 and 9, inherited by bio2map to
    # the nodes the source left without one (basis "section_table").
    for ptr, p in c.items(doc, "inherited", _PAIR_KEYS):
        if not (isinstance(p, list) and len(p) == 4 and all(isinstance(x, str) for x in p)):
            c.err(
                ptr, "", f"expected [source, target, relationship, inherited_from], got {p!r:.80}"
            )
            continue
        note = (
            f"bio2map: the ENISA table of annex section {p[3].split(':')[-1].split('.')[0]} "
            f"(given on {p[3]}) inherited to {p[0]}"
        )
        _enisa_pair(c, ptr, p, "section_table", (*sources, note), seen, edges, ds)


def _enisa_pair(
    c: Checker,
    ptr: str,
    p: list[Any],
    basis: str,
    sources: tuple[str, ...],
    seen: set[tuple[str, str]],
    edges: _Edges,
    ds: Mapping[str, Any],
) -> None:
    src, tgt, rel = p[0], p[1], p[2]
    if rel not in RELATIONSHIPS:
        c.err(f"{ptr}/2", "relationship", f"{rel!r} must be one of {', '.join(RELATIONSHIPS)}")
    if (src, tgt) in seen:
        c.err(ptr, "", f"duplicate pair {src} -> {tgt}")
    seen.add((src, tgt))
    edges.add(
        c,
        ptr,
        _Mapping(
            source=src,
            target=tgt,
            relationship=rel,
            kind="maps_to",
            basis=basis,
            dataset=ds["name"],
            sources=sources,
        ),
        "0",
        "1",
    )


def _bio2(
    c: Checker, doc: Any, slug: str, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]
) -> None:
    c.known_keys(doc, "", _TOP_KEYS["bio2"])
    meta = c.get(doc, "draft", "", dict, {})
    c.known_keys(meta, "/draft", _BIO2_DRAFT_KEYS)
    if meta.get("slug") != slug:
        c.err(
            "/draft/slug",
            "slug",
            f"{describe(meta.get('slug'))} does not match the manifest entry {slug!r}",
        )
    source = (f"BIO2 {slug}, Staat der Nederlanden (CC BY-SA 4.0)",)
    for ptr, m in c.items(doc, "measures", _MEASURE_KEYS):
        kind = c.choice(m, "kind", ptr, BIO2_KINDS, "")
        plain_id = c.get(m, "id", ptr, str, "")
        control = "iso27002:" + c.get(m, "control", ptr, str, "")
        target = c.opt_str(m, "target", ptr)
        mid = "bio2:" + plain_id
        if kind in ("moved", "see-other") and not target:
            c.err(f"{ptr}/target", "target", f"a {kind} marker needs a target")
        add(
            c,
            ptr,
            _Measure(
                id=mid,
                draft=slug,
                control=control,
                kind=kind,
                target=("bio2:" + target) if target else None,
                tags=c.strs(m, "tags", ptr),
                nis2_flag=c.get(m, "nis2", ptr, bool, False),
                fingerprint=c.get(m, "fingerprint", ptr, str, ""),
                label_nl=c.optional(m, "label_nl", ptr, str, ""),  # a watched draft has none
                label_en=c.optional(m, "label_en", ptr, str, ""),
                signature=c.get(m, "signature", ptr, str, ""),
                words=c.get(m, "words", ptr, int, 0),
                numbered=c.get(m, "numbered", ptr, bool, True),
                seq=c.get(m, "seq", ptr, int, 0),
            ),
        )
        edges.add(
            c,
            ptr,
            _Mapping(
                source=mid,
                target=control,
                relationship="subset_of",
                kind="refines",
                basis="numbering",
                dataset=ds["name"],
                sources=source,
            ),
            "id",
            "control",
        )


def _iso2013(
    c: Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]
) -> tuple[str, ...]:
    """ISO/IEC 27001:2013 clauses and controls, and their edges to the 2022 ids.

    Returns the ``new_in_2022`` list (checked against the edges once all are read).
    """
    c.known_keys(doc, "", _TOP_KEYS["iso27001-2013"])
    basis = c.get(doc, "relationship_basis", "", str, "")
    for ptr, r in c.items(doc, "nodes", _ISO2013_KEYS):
        kind = c.choice(r, "kind", ptr, _ISO2013_KINDS, "")
        rid = c.get(r, "id", ptr, str, "")
        ref = c.get(r, "ref", ptr, str, "")
        if rid != "iso27001-2013:" + ref or (kind == "control") != ref.startswith("A."):
            c.err(f"{ptr}/id", "id", f"{rid!r} does not fit ref {ref!r} and kind {kind!r}")
        add(
            c,
            ptr,
            _Control(
                id=rid,
                standard="iso27001-2013",
                kind=kind,
                ref=ref,
                title=c.get(r, "title", ptr, str, ""),
                parent=None,
                theme="",
                attributes=None,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    seen: set[tuple[str, str]] = set()
    for ptr, e in c.items(doc, "correspondence", _CORRESPONDENCE_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        src = c.get(e, "source", ptr, str, "")
        tgt = c.get(e, "target", ptr, str, "")
        if not src.startswith("iso27001-2013:") or not tgt.startswith(("iso27001:", "iso27002:")):
            c.err(ptr, "", f"expected a 2013 id -> a 2022 id, got {src!r} -> {tgt!r}")
        if (src, tgt) in seen:
            c.err(ptr, "", f"duplicate pair {src} -> {tgt}")
        seen.add((src, tgt))
        edges.add(
            c,
            ptr,
            _Mapping(
                source=src,
                target=tgt,
                relationship=rel,
                kind="migrates_to",
                basis=basis,
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )
    return c.strs(doc, "new_in_2022", "")


def _check_new_in_2022(
    file: str,
    new: tuple[str, ...],
    nodes: dict[str, Any],
    edges: _Edges,
    errors: list[DataError],
) -> None:
    """``new_in_2022`` lists exactly the 2022 controls no 2013 id leads to."""
    reached = {e[1] for e in edges.items if e[3] == "migrates_to"}
    for i, cid in enumerate(new):
        if cid not in nodes:
            errors.append(
                DataError(file, f"/new_in_2022/{i}", "new_in_2022", f"unknown id {cid!r}")
            )
        elif cid in reached:
            errors.append(
                DataError(file, f"/new_in_2022/{i}", "new_in_2022", f"{cid} has a 2013 predecessor")
            )
    missing = [
        nid
        for nid, n in nodes.items()
        if n["record"] == "Control"
        and n.get("standard") == "iso27002"
        and n["kind"] == "control"
        and nid not in reached
        and nid not in new
    ]
    if missing:
        errors.append(
            DataError(
                file,
                "/new_in_2022",
                "new_in_2022",
                f"controls without a 2013 predecessor not listed: {', '.join(missing)}",
            )
        )


def _cbwcf(c: Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    """The ADR & NOREA Cbw (NIS2) Control Framework: groups, themes, controls, links."""
    c.known_keys(doc, "", _TOP_KEYS["cbwcf"])
    for ptr, r in c.items(doc, "nodes", _CBWCF_KEYS):
        kind = c.choice(r, "kind", ptr, _CBWCF_KINDS, "")
        by = c.choice(r, "addressed_by", ptr, _CBWCF_ADDRESSED, "")
        rid = c.prefixed_id(r, ptr, "cbwcf:")
        c.get(r, "source_ref", ptr, str, "")
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="cbwcf",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label_en", ptr, str, ""),
                label_nl=c.get(r, "label_nl", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                addressed_by=by,
                law=c.strs(r, "law", ptr),
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, e in c.items(doc, "links", _LINK_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        basis = c.choice(e, "basis", ptr, _CBWCF_BASES, "")
        kind = c.get(e, "kind", ptr, str, "")
        c.one_of(kind, ("evaluates",), ptr, "kind")
        edges.add(
            c,
            ptr,
            _Mapping(
                source=c.get(e, "source", ptr, str, ""),
                target=c.get(e, "target", ptr, str, ""),
                relationship=rel,
                kind=kind,
                basis=basis,
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )


def _check_references(
    nodes: dict[str, Any],
    node_where: dict[str, tuple[str, str]],
    edges: _Edges,
    errors: list[DataError],
) -> None:
    """Every parent and every edge end must name a node (marker targets may dangle)."""
    for nid, node in nodes.items():
        parent = node.get("parent")
        if parent is not None and parent not in nodes:
            file, ptr = node_where[nid]
            errors.append(DataError(file, f"{ptr}/parent", "parent", f"unknown id {parent!r}"))
    for (source, target, *_), (file, ptr, sfield, tfield) in zip(
        edges.items, edges.where, strict=True
    ):
        if source and source not in nodes:
            errors.append(DataError(file, f"{ptr}/{sfield}", sfield, f"unknown id {source!r}"))
        if target and target not in nodes:
            errors.append(DataError(file, f"{ptr}/{tfield}", tfield, f"unknown id {target!r}"))
