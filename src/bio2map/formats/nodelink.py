"""The catalog graph as networkx node-link JSON (``bio2map export --format json``).

The document is what ``networkx.node_link_data(G, edges="edges")`` gives for
:attr:`Catalog.graph <bio2map.Catalog.graph>`, made byte-stable:

* nodes sorted by canonical id (scheme, then numerically), edges by source, target and
  key; JSON keys sorted, two-space indent, UTF-8, final newline;
* every edge carries a ``key``: its ``kind`` (``part_of``, ``maps_to``, ``refines``,
  ``implements``, ``transposes``), or ``<kind>-2``, ``<kind>-3``, ... when one pair of
  nodes holds several edges of the same kind;
* the ``graph`` object holds ``name``, ``bio2_version`` and ``data_version``; no
  timestamp anywhere.

Load it back with ``networkx.node_link_graph(data, edges="edges")`` (networkx 3.4 and
later; older versions take ``link="edges"``). Tuples come back as lists.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bio2map.formats.common import id_order, to_json

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["export_json", "graph_attributes", "graph_edges", "graph_nodes", "node_link_data"]


def _plain_value(value: object) -> Any:
    if isinstance(value, tuple | list):
        return [_plain_value(v) for v in value]
    return value


def graph_attributes(catalog: Catalog) -> dict[str, str]:
    """The graph-level attributes every graph export carries.

    .. versionadded:: 0.1.0
    """
    return {
        "bio2_version": catalog.bio2_version,
        "data_version": catalog.data_version,
        "name": "bio2map",
    }


def graph_nodes(catalog: Catalog) -> list[tuple[str, dict[str, Any]]]:
    """``(id, attributes)`` of every graph node, sorted by canonical id.

    .. versionadded:: 0.1.0
    """
    g = catalog.graph
    return [(n, dict(g.nodes[n])) for n in sorted(g.nodes, key=id_order)]


def graph_edges(catalog: Catalog) -> list[tuple[str, str, str, dict[str, Any]]]:
    """``(source, target, key, attributes)`` of every graph edge, sorted.

    The key is the edge's ``kind``, numbered (``maps_to-2``) only when one ordered
    pair of nodes holds several edges of that kind.

    .. versionadded:: 0.1.0
    """
    g = catalog.graph
    raw = [(u, v, dict(d)) for u, v, d in g.edges(data=True)]
    raw.sort(
        key=lambda e: (
            id_order(e[0]),
            id_order(e[1]),
            str(e[2].get("kind", "")),
            sorted((k, repr(v)) for k, v in e[2].items()),
        )
    )
    seen: dict[tuple[str, str, str], int] = {}
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    for u, v, d in raw:
        kind = str(d.get("kind", "edge"))
        n = seen.get((u, v, kind), 0) + 1
        seen[(u, v, kind)] = n
        out.append((u, v, kind if n == 1 else f"{kind}-{n}", d))
    return out


def node_link_data(catalog: Catalog) -> dict[str, Any]:
    """The node-link document of the catalog graph as plain JSON values.

    Examples:
        >>> import bio2map
        >>> doc = node_link_data(bio2map.load("1.3"))
        >>> doc["directed"], doc["multigraph"], doc["graph"]["bio2_version"]
        (True, True, '1.3')

    .. versionadded:: 0.1.0
    """
    nodes = []
    for nid, attrs in graph_nodes(catalog):
        node = {k: _plain_value(v) for k, v in attrs.items()}
        node["id"] = nid
        nodes.append(node)
    edges = []
    for u, v, key, attrs in graph_edges(catalog):
        edge = {k: _plain_value(val) for k, val in attrs.items()}
        edge.update(source=u, target=v, key=key)
        edges.append(edge)
    return {
        "directed": True,
        "multigraph": True,
        "graph": graph_attributes(catalog),
        "nodes": nodes,
        "edges": edges,
    }


def export_json(catalog: Catalog) -> str:
    """The catalog graph as deterministic node-link JSON text (see the module docs).

    .. versionadded:: 0.1.0
    """
    return to_json(node_link_data(catalog))
