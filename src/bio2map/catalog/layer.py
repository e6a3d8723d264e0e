"""A user mapping layer as the catalog takes it, and what each kind of layer edge means.

The formats room reads layer files (:mod:`bio2map.formats.layers`,
:mod:`bio2map.formats.ciso`) and hands :class:`Layer` records to
:meth:`bio2map.catalog.catalog.Catalog.with_layers`. Both readers turn every stated edge
into the edge the catalog keeps with one :class:`EdgeRules`, so a CSV layer and a CISO
Assistant library mean the same thing.

The rules (``docs/howto/own-mapping-layer.md`` has them as a table):

* **Ends.** An end is a layer's own node (``myorg:SUP-01``), a NIS2 or 2024/2690
  requirement, an ISO/IEC 27002:2022 control, an ISO/IEC 27001:2022 clause or a BIO2
  measure. Refused, with the reason: an ISO/IEC 27002 theme (link its controls), a BIO2
  marker (``no-measure``, ``moved``, ...), an ISO/IEC 27001:2013 id (link the 2022
  edition), a Cbw article and a node of the Cbw (NIS2) Control Framework (they reach
  controls through their NIS2 point).
* **Direction.** Edges point from the specific to the general side: own nodes, then the
  2024/2690 annex, then NIS2, then ISO. An edge stated the other way round
  (``A.8.5 skos:relatedMatch 21(2)(j)``) is kept turned round with the inverse
  relationship (``nis2:21.2.j intersects_with iso27002:8.5``): the same statement.
* **Kind.** An own node or annex requirement linked to a NIS2 requirement:
  ``implements``. A requirement (own, annex or NIS2) linked to a control: ``maps_to``;
  ``controls_for``, ``requirements_for``, coverage, ``gaps``, ``report`` and
  ``uncovered`` follow it. A requirement linked to another requirement (own to own,
  own to annex, annex to annex, NIS2 to NIS2): ``maps_to``, and a path goes on through
  the object's own controls.
* **Measures.** A BIO2 measure is a part of its ISO control, so an edge between a
  requirement (or own node) and a measure is kept as an edge to the measure's control
  with the relationship composed (``myorg:X equal bio2:5.19.01`` is kept as
  ``myorg:X subset_of iso27002:5.19``; its sources say which measure was named).
* **Side links.** An edge between two controls, or a measure and a control, or two
  measures (``relates_to``) says how controls overlap. It is kept as stated (graph,
  ``mappings``, exports, ``show``) and followed by no query: which controls serve a
  requirement comes from requirement -> control links only, so a side link can neither
  widen an answer nor move coverage.
* **not_related** edges are kept and followed by no query.
* **Refused**: an edge from a node to itself, an edge between a requirement and its own
  ancestor or descendant (the hierarchy says that already), and edges that make a cycle
  of requirement -> requirement paths (checked again when layers are merged, since a
  cycle may span layers). Every refusal names the file and line.
* **Labels** name a layer's own nodes; one own node has one label. A label given to a
  packaged id is not applied (packaged ids keep their label, so answers stay comparable):
  an SSSOM label is informational, and bio2map's own exports write the packaged labels.

Own nodes are answered both ways: ``controls_for("myorg:SUP-01")`` follows the node's
links to controls; ``requirements_for("myorg:SUP-01")`` (:func:`own_requirements_doc`)
lists the requirements it is linked to and the requirements the controls it is linked to
serve, with those controls in ``via``.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from array import array
from operator import itemgetter
from types import MappingProxyType

from bio2map.core.errors import DataError, DataErrorGroup
from bio2map.core.ids import scheme_of
from bio2map.core.vocab import (
    RELATIONSHIPS,
    basis_level,
    basis_rank,
    compose,
    invert,
    stronger,
    strongest,
    weaker,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any, Final, Protocol

    from bio2map.core.raw import RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Control

    class _Catalog(Protocol):
        """What :func:`own_requirements_doc` uses of a catalog."""

        _raw: dict[str, RawNode]
        _maps_from: dict[str, list[RawEdge]]
        _implements_of: dict[str, list[RawEdge]]

        def _descendants(self, cid: str) -> list[str]: ...
        def _ancestors(self, cid: str) -> list[str]: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...
        def _requirements_doc(self, control: str, basis: str = "all") -> dict[str, Any]: ...
        def _cbw_framework_doc(
            self, nis2: Mapping[str, Any], basis: str = "all"
        ) -> list[dict[str, Any]]: ...


__all__ = [
    "EDGE_KINDS",
    "MAX_CHAIN",
    "EdgeRules",
    "Layer",
    "check_layers",
    "layer_cycles",
    "nowhere",
    "own_control",
    "own_requirements_doc",
    "role",
]

EDGE_KINDS: Final = ("implements", "maps_to", "relates_to")
"""The kinds of edge a layer holds (see the module docstring)."""

_RANK: Final = {"own": 0, "ir2690": 1, "nis2": 2, "control": 3}
_CONTROL_PREFIXES: Final = ("iso27002:", "iso27001:")


class Layer:
    """A validated, immutable layer: its name, source, own nodes and edges.

    ``nodes`` is a read-only mapping and ``edges`` a tuple; ``lines`` gives, for each
    edge, the line of the file it was read from (0 when unknown), for messages about a
    cycle that only shows when layers are merged. Setting an attribute raises
    ``AttributeError``.
    """

    __slots__ = ("edges", "lines", "name", "nodes", "source")

    name: str
    source: str
    nodes: Mapping[str, RawNode]
    edges: tuple[RawEdge, ...]
    lines: Sequence[int]

    def __init__(
        self,
        name: str,
        source: str,
        nodes: Mapping[str, RawNode],
        edges: Iterable[RawEdge],
        lines: Iterable[int] = (),
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "nodes", MappingProxyType(dict(nodes)))
        object.__setattr__(self, "edges", tuple(edges))
        packed = lines if isinstance(lines, array) else array("l", lines)
        object.__setattr__(self, "lines", memoryview(packed).toreadonly())

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Layer is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Layer is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return f"<Layer {self.name!r}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def where(self, index: int) -> str:
        """Where edge ``index`` was stated: ``line 12``, or ``edge 3`` when unknown."""
        line = self.lines[index] if index < len(self.lines) else 0
        return f"line {line}" if line else f"edge {index + 1}"


# --- the rules ----------------------------------------------------------------------------


def role(cid: str, node: RawNode) -> tuple[str, str]:
    """What a node can be in a layer edge: ``(role, "")`` or ``("", why it cannot)``.

    Roles: ``own`` (a layer's node), ``ir2690``, ``nis2``, ``control`` (an ISO/IEC 27002
    control or ISO/IEC 27001 clause) and ``measure`` (a BIO2 measure).
    """
    record = node["record"]
    scheme = scheme_of(cid)
    if record == "Requirement":
        if scheme in ("nis2", "ir2690"):
            return scheme, ""
        if scheme == "cbw":
            return "", (
                f"{cid} is a Cbw article; it transposes NIS2, so link the NIS2 requirement instead"
            )
        if scheme == "cbwcf":
            return "", (
                f"{cid} is a node of the Cbw (NIS2) Control Framework, which reaches controls "
                "through the Art. 21(2) point of its theme; link that point instead"
            )
        return "own", ""
    kind = str(node.get("kind", ""))
    if record == "Control":
        if node.get("standard") == "iso27001-2013":
            return "", (
                f"{cid} is an ISO/IEC 27001:2013 id; a layer links the 2022 edition "
                f"(`bio2map show {cid}` names its successors)"
            )
        if kind == "theme":
            return "", f"{cid} is an ISO/IEC 27002 theme (a group of controls); link its controls"
        return "control", ""
    if kind == "measure":
        return "measure", ""
    return "", f"{cid} is a BIO2 {kind} marker, not a measure; link a measure or a control"


def _plan(rs: str, ro: str) -> tuple[bool, str]:
    """(turn round?, kind) for an edge between two roles other than ``measure``."""
    if rs == "control" and ro == "control":
        return False, "relates_to"
    swap = _RANK[rs] > _RANK[ro]
    a, b = (ro, rs) if swap else (rs, ro)
    if b == "nis2" and a in ("own", "ir2690"):
        return swap, "implements"
    return swap, "maps_to"


_PLANS: Final = {(a, b): _plan(a, b) for a in _RANK for b in _RANK}


class EdgeRules:
    """Turns a stated edge into the edge the catalog keeps, or says why it cannot.

    ``nodes`` holds every node an edge may name (the catalog's and the layer's own);
    :meth:`role_of` must have been asked about each end first (the readers do that
    when they resolve an id, so the reason comes with the id's line and column).
    """

    def __init__(self, nodes: Mapping[str, RawNode]) -> None:
        self.nodes = nodes
        self.roles: dict[str, str] = {}

    def role_of(self, cid: str) -> str:
        """The role of ``cid`` (see :func:`role`); raises ``ValueError`` with the reason."""
        r = self.roles.get(cid)
        if r is None:
            r, why = role(cid, self.nodes[cid])
            if why:
                raise ValueError(why)
            self.roles[cid] = r
        return r

    def edge(
        self, subject: str, rel: str, obj: str
    ) -> tuple[str, str, str, str, tuple[str, ...]] | str:
        """``(source, target, relationship, kind, extra sources)``, or why it is refused."""
        if subject == obj:
            return f"links {subject} to itself"
        rs, ro = self.roles[subject], self.roles[obj]
        extra: tuple[str, ...] = ()
        if rs == "measure" or ro == "measure":
            if rs in ("measure", "control") and ro in ("measure", "control"):
                return subject, obj, rel, "relates_to", ()
            # a measure is a part of its control: say it of the control
            if rs == "measure":
                extra = (f"stated for the BIO2 measure {subject}",)
                subject, rel, rs = self._control(subject), compose("superset_of", rel), "control"
            else:
                extra = (f"stated for the BIO2 measure {obj}",)
                obj, rel, ro = self._control(obj), compose(rel, "subset_of"), "control"
        swap, kind = _PLANS[(rs, ro)]
        if swap:
            subject, obj, rel, rs, ro = obj, subject, invert(rel), ro, rs
        if rel == "not_related" and kind == "implements":
            kind = "maps_to"  # kept, followed by no query
        if rs == ro and rs != "control":
            why = self._kin(subject, obj)
            if why:
                return why
        return subject, obj, rel, kind, extra

    def _control(self, measure: str) -> str:
        control = str(self.nodes[measure]["control"])  # type: ignore[typeddict-item]
        self.roles[control] = "control"
        return control

    def _kin(self, a: str, b: str) -> str:
        """Why two requirements of one framework cannot be linked (one is part of the other)."""
        for x, y in ((a, b), (b, a)):
            if y in _ancestors(self.nodes, x):
                return (
                    f"links {a} and {b}, but {x} is part of {y}; a layer may not link a "
                    "requirement to its own ancestor or descendant"
                )
        return ""


def _ancestors(nodes: Mapping[str, RawNode], cid: str) -> list[str]:
    out: list[str] = []
    parent = nodes[cid].get("parent") if cid in nodes else None
    while isinstance(parent, str) and parent not in out:
        out.append(parent)
        parent = nodes[parent].get("parent") if parent in nodes else None
    return out


# --- cycles -------------------------------------------------------------------------------

_MAX_CYCLES: Final = 20
MAX_CHAIN: Final = 64
"""The longest chain of requirement -> requirement links a query may walk (a layer maps
an own node to an annex requirement, or to another own node, a few levels deep at most)."""
_MAX_PROBLEMS: Final = 200


def layer_cycles(
    nodes: Mapping[str, RawNode],
    parts: Iterable[tuple[str, Sequence[RawEdge], Callable[[int], str]]],
) -> list[DataError]:
    """The cycles requirement -> requirement edges make, one problem per cycle, and a
    chain of such edges longer than :data:`MAX_CHAIN`.

    ``parts`` holds ``(file, edges, where)`` for every part of the merged catalog (the
    packaged data too): ``where(i)`` says where edge ``i`` was stated. A query follows a
    ``maps_to`` edge from a requirement to another requirement on to that requirement's own
    controls; it also walks a requirement's descendants (and, for a requirement with no
    link of its own, its ancestors), and from a NIS2 requirement the nodes that
    ``implement`` it. The graph of those steps must have no cycle; the problem names
    the edge that closes each one.
    """
    parts = list(parts)
    ends: set[tuple[str, str]] = set()
    for _, edges, _ in parts:
        ends.update(map(itemgetter(3, 1), edges))  # fast: most layers end at controls only
    if not any(
        kind == "maps_to"
        and not t.startswith(_CONTROL_PREFIXES)
        and t in nodes
        and nodes[t]["record"] != "Control"
        for kind, t in ends
    ):
        return []
    through: list[tuple[RawEdge, str, str]] = []
    implements: dict[str, list[str]] = {}
    for file, edges, where in parts:
        for i, e in enumerate(edges):
            if e[3] == "implements":
                implements.setdefault(e[0], []).append(e[1])
            elif (
                e[3] == "maps_to"
                and e[2] != "not_related"
                and not e[1].startswith(_CONTROL_PREFIXES)
                and e[1] in nodes
                and nodes[e[1]]["record"] != "Control"
            ):
                through.append((e, file, where(i)))
    if not through:
        return []
    children: dict[str, list[str]] = {}
    for cid, node in nodes.items():
        parent = node.get("parent")
        if isinstance(parent, str):
            children.setdefault(parent, []).append(cid)

    def family(cid: str) -> list[str]:
        """The requirements whose paths take ``cid``'s links: itself, its ancestors, and
        (for a requirement with no link of its own, outside NIS2) its descendants."""
        out = [cid, *_ancestors(nodes, cid)]
        todo = [cid] if scheme_of(cid) != "nis2" else []
        while todo:
            for c in children.get(todo.pop(), ()):
                out.append(c)
                todo.append(c)
        return out

    steps: dict[str, list[tuple[str, int]]] = {}
    askers_of: dict[str, set[str]] = {}
    for i, (e, _, _) in enumerate(through):
        askers = askers_of.get(e[0])
        if askers is None:
            askers = askers_of[e[0]] = set(family(e[0]))
            for n in implements.get(e[0], ()):
                askers.update((n, *_ancestors(nodes, n)))
        for r in askers:
            steps.setdefault(r, []).append((e[1], i))
    problems: list[DataError] = []
    reported: set[int] = set()  # an edge closes its cycle once, whoever walks it
    depth: dict[str, int] = {}  # the longest walk from a node (steps are acyclic below it)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in sorted(steps):
        if start in state:
            continue
        path: list[str] = [start]
        stack = [iter(steps.get(start, ()))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                done = path.pop()
                state[done] = 2
                depth[done] = max((1 + depth.get(t, 0) for t, _ in steps.get(done, ())), default=0)
                stack.pop()
                continue
            target, i = step
            seen = state.get(target)
            if seen == 1:
                if len(problems) < _MAX_CYCLES and i not in reported:
                    reported.add(i)
                    ring = [*path[path.index(target) :], target]
                    e, file, location = through[i]
                    problems.append(
                        DataError(
                            file,
                            location,
                            "object_id",
                            f"{e[0]} {e[2]} {e[1]} closes a cycle ({' -> '.join(ring)}); "
                            "a path from a requirement may not come back to it",
                        )
                    )
                continue
            if seen is None:
                state[target] = 1
                path.append(target)
                stack.append(iter(steps.get(target, ())))
    if problems or not depth:
        return problems
    top = max(depth, key=lambda r: (depth[r], r))
    if depth[top] <= MAX_CHAIN:
        return problems
    # a query walks such a chain one nested call per step: refuse it before it runs out
    _, i = max(steps.get(top, ()), key=lambda s: (depth.get(s[0], 0), s[0]))
    e, file, location = through[i]
    problems.append(
        DataError(
            file,
            location,
            "object_id",
            f"{e[0]} {e[2]} {e[1]} starts a chain of {depth[top]} requirement -> "
            f"requirement links from {top}; a layer may chain at most {MAX_CHAIN}",
        )
    )
    return problems


def check_layers(
    nodes: Mapping[str, RawNode],
    edges: Iterable[RawEdge],
    layers: Sequence[Layer],
    fresh: Iterable[Layer] = (),
) -> None:
    """Check layers before they are merged into a catalog of ``nodes`` and ``edges``.

    Every edge of a layer in ``fresh`` (one built by hand rather than read by
    :mod:`bio2map.formats.layers`) is checked against the rules: known ends that may be
    linked, a relationship and kind the rules give. All layers together may make no
    cycle (:func:`layer_cycles`).

    Raises:
        DataErrorGroup: every problem, each with the layer's file and line (or edge).
    """
    merged: dict[str, RawNode] = dict(nodes)
    for layer in layers:
        merged.update(layer.nodes)
    problems: list[DataError] = []
    rules = EdgeRules(merged)
    unchecked = 0
    stopped_in = ""
    for layer in fresh:
        for i, e in enumerate(layer.edges):
            if len(problems) >= _MAX_PROBLEMS:
                unchecked += 1
                stopped_in = stopped_in or layer.source
                continue
            why = _check_edge(rules, e)
            if why:
                problems.append(DataError(layer.source, layer.where(i), "", why))
    if unchecked:
        problems.append(
            DataError(
                stopped_in,
                "",
                "",
                f"and {unchecked} more edges not checked (stopped after {_MAX_PROBLEMS} problems)",
            )
        )
    if not problems:
        parts = [("packaged data", tuple(edges), nowhere)]
        parts.extend((layer.source, layer.edges, layer.where) for layer in layers)
        problems = layer_cycles(merged, parts)
    if problems:
        msg = "the layers cannot be merged"
        raise DataErrorGroup(msg, problems)


def nowhere(index: int) -> str:
    """``where`` for edges read from no file (the packaged data): ``""``."""
    return ""


def _check_edge(rules: EdgeRules, e: RawEdge) -> str:
    """Why a hand-built edge breaks the rules, or ``""``."""
    if not (isinstance(e, tuple) and len(e) == 7 and all(isinstance(x, str) for x in e[:6])):
        shown = repr(e)[:80]
        return (
            "an edge is a tuple (source, target, relationship, kind, basis, dataset, "
            f"sources), got {shown}"
        )
    src, tgt, rel, kind = e[0], e[1], e[2], e[3]
    for end in (src, tgt):
        if end not in rules.nodes:
            return f"unknown id {end!r:.80}"
        try:
            rules.role_of(end)
        except ValueError as err:
            return str(err)
    if rel not in RELATIONSHIPS:
        return f"unknown relationship {rel!r:.40}; use one of {', '.join(RELATIONSHIPS)}"
    got = rules.edge(src, rel, tgt)
    if isinstance(got, str):
        return got
    if got[:4] != (src, tgt, rel, kind):
        return (
            f"{src} {rel} {tgt} ({kind}) is kept as {got[0]} {got[2]} {got[1]} ({got[3]}); "
            "build layers with bio2map.formats.layers.parse_layer, which applies the rules"
        )
    return ""


# --- own nodes, asked the other way round --------------------------------------------------


class _Acc:
    """Relationships, bases, ``via`` and sources gathered for one requirement."""

    __slots__ = ("basis", "rels", "sources", "via")

    def __init__(self) -> None:
        self.rels: set[str] = set()
        self.basis = ""
        self.via: dict[str, str] = {}
        self.sources: set[str] = set()

    def add(
        self, rel: str, basis: str, via: Iterable[tuple[str, str]], sources: Iterable[str]
    ) -> None:
        self.rels.add(rel)
        self.basis = stronger(self.basis, basis)
        for v, b in via:
            self.via[v] = stronger(self.via.get(v, ""), b)
        self.sources.update(sources)


def own_requirements_doc(cat: _Catalog, oid: str, basis: str = "all") -> dict[str, Any]:
    """``requirements_for_data`` for a layer's own node ``oid``.

    The requirements the node (or a part of it) is linked to, with the NIS2 points those
    implement; and the NIS2 and 2024/2690 requirements each ISO control it is linked to
    serves, composed with the node's link and with the control in ``via``. NIS2 first,
    then the rest, each in document order.

    Raises:
        ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
    """
    limit = basis_level(basis)
    raw = cat._raw
    family = cat._descendants(oid)
    own = set(family)
    nis2: dict[str, _Acc] = {}
    other: dict[str, _Acc] = {}

    def add(
        rid: str, rel: str, b: str, via: Iterable[tuple[str, str]], sources: Iterable[str]
    ) -> None:
        if rid in own:
            return
        group = nis2 if scheme_of(rid) == "nis2" else other
        acc = group.get(rid)
        if acc is None:
            acc = group[rid] = _Acc()
        acc.add(rel, b, via, sources)

    def points(target: str) -> list[str]:
        """A NIS2 target and the points above it (a part counts for its point)."""
        return [target, *(a for a in cat._ancestors(target) if raw[a].get("kind") == "point")]

    for n in family:
        first = None if n == oid else "superset_of"
        for e in (*cat._maps_from.get(n, ()), *cat._implements_of.get(n, ())):
            if basis_rank(e[4]) > limit or e[2] == "not_related":
                continue
            rel = e[2] if first is None else compose(first, e[2])
            target = e[1]
            if raw[target]["record"] == "Control":
                for r in cat._requirements_doc(target, basis)["requirements"]:
                    if r["id"] not in raw or role(r["id"], raw[r["id"]])[0] == "own":
                        continue  # other own nodes on the control are not requirements of it
                    b = weaker(e[4], r["basis"])
                    steps = [
                        (target, b),
                        *(
                            (v, weaker(e[4], vb))
                            for v, vb in zip(r["via"], r["via_basis"], strict=True)
                        ),
                    ]
                    add(r["id"], compose(rel, r["relationship"]), b, steps, (*e[6], *r["sources"]))
                continue
            for t in points(target) if e[3] == "implements" else (target,):
                add(t, rel, e[4], (), e[6])
            for imp in cat._implements_of.get(target, ()):  # an annex target's NIS2 points
                if basis_rank(imp[4]) > limit or imp[2] == "not_related":
                    continue
                b = weaker(e[4], imp[4])
                for t in points(imp[1]):
                    add(t, compose(rel, imp[2]), b, ((target, b),), (*e[6], *imp[6]))
    reqs = []
    for group in (nis2, other):
        for rid in cat._sorted(group):
            acc = group[rid]
            req: RawRequirement = raw[rid]  # type: ignore[assignment]
            via = cat._sorted(acc.via)
            reqs.append(
                {
                    "id": rid,
                    "ref": req["ref"],
                    "label": req.get("label", ""),
                    "relationship": strongest(acc.rels),
                    "basis": acc.basis,
                    "via": list(via),
                    "via_basis": [acc.via[v] for v in via],
                    "sources": sorted(acc.sources),
                }
            )
    node: RawRequirement = raw[oid]  # type: ignore[assignment]
    return {
        "control": oid,
        "title": node.get("label") or node["ref"],
        "basis": basis,
        "requirements": reqs,
        "cbw_framework": cat._cbw_framework_doc(nis2, basis),
    }


def own_control(node: RawNode) -> Control:
    """A layer's own node seen as the control side of ``requirements_for``.

    ``standard`` is the node's prefix, ``kind`` is ``own``, ``title`` its label (or its
    reference when it has none).
    """
    from bio2map.core.records import Control

    n: RawRequirement = node  # type: ignore[assignment]
    return Control(
        id=n["id"],
        standard=n["framework"],
        kind="own",
        ref=n["ref"],
        title=n.get("label") or n["ref"],
        parent=n.get("parent"),
        seq=n.get("seq", 0),
    )
