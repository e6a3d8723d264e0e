"""Build the networkx view of a catalog. Private: use ``Catalog.graph``.

networkx is imported here and nowhere else, so that a plain query never pays for
importing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from bio2map.core.raw import RawEdge, RawNode

    Graph = nx.MultiDiGraph[str]

__all__ = ["build_graph", "node_attributes"]

_FIELDS = {
    "Requirement": ("framework", "kind", "ref", "label", "assessable", "addressed_by"),
    "Control": ("standard", "kind", "ref", "title", "theme"),
    "Measure": ("draft", "kind", "control", "target", "tags", "fingerprint"),
}
_TYPES = {"Requirement": "requirement", "Control": "control", "Measure": "measure"}


def _parents(nodes: Mapping[str, RawNode], ordered: Iterable[str]) -> Iterator[tuple[str, str]]:
    for i in ordered:
        node = nodes[i]
        parent = None if node["record"] == "Measure" else node.get("parent")
        if parent is not None:
            yield i, parent


def node_attributes(raw: RawNode) -> dict[str, Any]:
    """The attributes a graph node carries for a (raw) record."""
    t = raw["record"]
    out: dict[str, Any] = {"type": _TYPES[t]}
    for f in _FIELDS[t]:
        value = raw.get(f)
        if value is not None:
            out[f] = value
    return out


def build_graph(nodes: Mapping[str, RawNode], edges: tuple[RawEdge, ...]) -> Graph:
    """Return a frozen MultiDiGraph of the records, nodes added in sorted id order."""
    g: Graph = nx.MultiDiGraph()
    ordered = sorted(nodes)
    g.add_nodes_from((i, node_attributes(nodes[i])) for i in ordered)
    g.add_edges_from(
        (i, parent, {"kind": "part_of", "relationship": "subset_of"})
        for i, parent in _parents(nodes, ordered)
    )
    g.add_edges_from(
        (
            s,
            t,
            {"kind": k, "relationship": r, "basis": b, "dataset": d, "sources": src},
        )
        for s, t, r, k, b, d, src in edges
    )
    frozen: Graph = nx.freeze(g)
    return frozen
