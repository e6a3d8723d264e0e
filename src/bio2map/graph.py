"""Build the networkx view of a catalog. Private: use ``Catalog.graph``.

networkx is imported here and nowhere else, so that a plain query never pays for
importing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from bio2map.model import Control, Mapping, Measure, Requirement

__all__ = ["build_graph"]


def _node_attrs(n: Requirement | Control | Measure) -> dict[str, Any]:
    if isinstance(n, Requirement):
        return {
            "type": "requirement",
            "framework": n.framework,
            "kind": n.kind,
            "ref": n.ref,
            "label": n.label,
            "assessable": n.assessable,
            "addressed_by": n.addressed_by,
        }
    if isinstance(n, Control):
        return {
            "type": "control",
            "standard": n.standard,
            "kind": n.kind,
            "ref": n.ref,
            "label": n.title,
            "theme": n.theme,
        }
    return {
        "type": "measure",
        "draft": n.draft,
        "kind": n.kind,
        "label": n.number,
        "tags": n.tags,
        "fingerprint": n.fingerprint,
    }


Graph = nx.MultiDiGraph[str]


def build_graph(
    nodes: Iterable[Requirement | Control | Measure], edges: Iterable[Mapping]
) -> Graph:
    """Return a frozen MultiDiGraph of the records, nodes added in sorted id order."""
    g: Graph = nx.MultiDiGraph()
    ordered = sorted(nodes, key=lambda n: n.id)
    g.add_nodes_from((n.id, _node_attrs(n)) for n in ordered)
    g.add_edges_from(
        (n.id, n.parent, {"kind": "part_of", "relationship": "subset_of"})
        for n in ordered
        if not isinstance(n, Measure) and n.parent is not None
    )
    g.add_edges_from(
        (
            e.source,
            e.target,
            {
                "kind": e.kind,
                "relationship": e.relationship,
                "basis": e.basis,
                "dataset": e.dataset,
                "sources": e.sources,
            },
        )
        for e in edges
    )
    frozen: Graph = nx.freeze(g)
    return frozen
