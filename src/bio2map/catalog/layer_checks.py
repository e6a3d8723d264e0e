"""Layer edges checked as a whole: the rules on edges built by hand, and cycles.

:func:`layer_cycles` finds the requirement -> requirement links of a layer (or of the
layers merged together with the packaged data) that close a cycle or make a chain longer
than :data:`MAX_CHAIN`; :func:`check_layers` runs it with the edge rules of
:mod:`bio2map.catalog.layer` when layers are merged, since a cycle may span layers.
Every problem names the file and line.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

from operator import itemgetter

from bio2map.catalog.layer import _CONTROL_PREFIXES, EdgeRules, Layer, _ancestors
from bio2map.core.errors import DataError, DataErrorGroup
from bio2map.core.ids import scheme_of
from bio2map.core.vocab import RELATIONSHIPS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Final

    from bio2map.core.raw import RawEdge, RawNode

    _Part = tuple[str, Sequence[RawEdge], Callable[[int], str]]
    """A part of a merged catalog: its file, its edges, and where edge ``i`` was stated."""
    _Through = tuple[RawEdge, str, str]
    """A requirement -> requirement edge, its file and where it was stated."""


__all__ = ["MAX_CHAIN", "check_layers", "layer_cycles", "nowhere"]


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
    if not _may_chain(nodes, parts):
        return []
    through, implements = _through_edges(nodes, parts)
    if not through:
        return []
    steps = _steps(nodes, through, implements)
    problems, depth = _walk(steps, through)
    if problems or not depth:
        return problems
    chain = _chain_problem(steps, depth, through)
    return [chain] if chain is not None else []


def _reaches_requirement(nodes: Mapping[str, RawNode], kind: str, target: str) -> bool:
    """Whether an edge of ``kind`` to ``target`` is a requirement -> requirement link."""
    return (
        kind == "maps_to"
        and not target.startswith(_CONTROL_PREFIXES)
        and target in nodes
        and nodes[target]["record"] != "Control"
    )


def _may_chain(
    nodes: Mapping[str, RawNode],
    parts: Sequence[_Part],
) -> bool:
    """Whether any edge may link a requirement to a requirement (a quick first look)."""
    ends: set[tuple[str, str]] = set()
    for _, edges, _ in parts:
        ends.update(map(itemgetter(3, 1), edges))  # fast: most layers end at controls only
    return any(_reaches_requirement(nodes, kind, t) for kind, t in ends)


def _through_edges(
    nodes: Mapping[str, RawNode],
    parts: Sequence[_Part],
) -> tuple[list[_Through], dict[str, list[str]]]:
    """The requirement -> requirement edges (each with its file and where it was stated),
    and, for each NIS2 requirement, the nodes that ``implement`` it."""
    through: list[_Through] = []
    implements: dict[str, list[str]] = {}
    for file, edges, where in parts:
        for i, e in enumerate(edges):
            if e[3] == "implements":
                implements.setdefault(e[0], []).append(e[1])
            elif (  # _reaches_requirement, inlined: this loop sees every edge
                e[3] == "maps_to"
                and e[2] != "not_related"
                and not e[1].startswith(_CONTROL_PREFIXES)
                and e[1] in nodes
                and nodes[e[1]]["record"] != "Control"
            ):
                through.append((e, file, where(i)))
    return through, implements


def _children(nodes: Mapping[str, RawNode]) -> dict[str, list[str]]:
    """Each node's children."""
    children: dict[str, list[str]] = {}
    for cid, node in nodes.items():
        parent = node.get("parent")
        if isinstance(parent, str):
            children.setdefault(parent, []).append(cid)
    return children


def _family(nodes: Mapping[str, RawNode], children: Mapping[str, list[str]], cid: str) -> list[str]:
    """The requirements whose paths take ``cid``'s links: itself, its ancestors, and
    (for a requirement with no link of its own, outside NIS2) its descendants."""
    out = [cid, *_ancestors(nodes, cid)]
    todo = [cid] if scheme_of(cid) != "nis2" else []
    while todo:
        for c in children.get(todo.pop(), ()):
            out.append(c)
            todo.append(c)
    return out


def _steps(
    nodes: Mapping[str, RawNode],
    through: Sequence[_Through],
    implements: Mapping[str, list[str]],
) -> dict[str, list[tuple[str, int]]]:
    """For each requirement, the requirements a query steps to from it, each with the
    index (in ``through``) of the edge that makes the step."""
    children = _children(nodes)
    steps: dict[str, list[tuple[str, int]]] = {}
    askers_of: dict[str, set[str]] = {}
    for i, (e, _, _) in enumerate(through):
        askers = askers_of.get(e[0])
        if askers is None:
            askers = askers_of[e[0]] = set(_family(nodes, children, e[0]))
            for n in implements.get(e[0], ()):
                askers.update((n, *_ancestors(nodes, n)))
        for r in askers:
            steps.setdefault(r, []).append((e[1], i))
    return steps


def _walk(
    steps: Mapping[str, list[tuple[str, int]]], through: Sequence[_Through]
) -> tuple[list[DataError], dict[str, int]]:
    """Walk the steps depth first (without recursion): a problem for each edge that
    closes a cycle (at most :data:`_MAX_CYCLES`), and the longest walk from each node."""
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
                    problems.append(_cycle_problem(through[i], ring))
                continue
            if seen is None:
                state[target] = 1
                path.append(target)
                stack.append(iter(steps.get(target, ())))
    return problems, depth


def _cycle_problem(closing: _Through, ring: Sequence[str]) -> DataError:
    """The problem for the edge that closes the cycle ``ring``."""
    e, file, location = closing
    return DataError(
        file,
        location,
        "object_id",
        f"{e[0]} {e[2]} {e[1]} closes a cycle ({' -> '.join(ring)}); "
        "a path from a requirement may not come back to it",
    )


def _chain_problem(
    steps: Mapping[str, list[tuple[str, int]]],
    depth: Mapping[str, int],
    through: Sequence[_Through],
) -> DataError | None:
    """The problem for the longest chain of steps, if it is longer than :data:`MAX_CHAIN`."""
    top = max(depth, key=lambda r: (depth[r], r))
    if depth[top] <= MAX_CHAIN:
        return None
    # a query walks such a chain one nested call per step: refuse it before it runs out
    _, i = max(steps.get(top, ()), key=lambda s: (depth.get(s[0], 0), s[0]))
    e, file, location = through[i]
    return DataError(
        file,
        location,
        "object_id",
        f"{e[0]} {e[2]} {e[1]} starts a chain of {depth[top]} requirement -> "
        f"requirement links from {top}; a layer may chain at most {MAX_CHAIN}",
    )


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
