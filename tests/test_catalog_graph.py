"""bio2map.catalog.graph: the frozen networkx view of the records (``Catalog.graph``)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

import bio2map
from bio2map.catalog.graph import build_graph, node_attributes
from bio2map.core.raw import RawEdge, RawNode

NODES: dict[str, Any] = {
    "nis2:21.2.d": {
        "record": "Requirement",
        "id": "nis2:21.2.d",
        "framework": "nis2",
        "kind": "point",
        "ref": "21(2)(d)",
        "label": "supply chain security",
        "assessable": True,
        "parent": "nis2:21.2",
        "addressed_by": None,
        "seq": 5,
    },
    "nis2:21.2": {
        "record": "Requirement",
        "id": "nis2:21.2",
        "framework": "nis2",
        "kind": "paragraph",
        "ref": "21(2)",
        "label": "measures",
        "assessable": False,
        "parent": None,
        "seq": 4,
    },
    "iso27002:5.19": {
        "record": "Control",
        "id": "iso27002:5.19",
        "standard": "iso27002",
        "kind": "control",
        "ref": "A.5.19",
        "title": "Information security in supplier relationships",
        "theme": "organizational",
        "parent": "iso27002:5",
        "attributes": None,
        "seq": 19,
    },
    "bio2:5.19.01": {
        "record": "Measure",
        "id": "bio2:5.19.01",
        "draft": "1.3",
        "kind": "measure",
        "control": "iso27002:5.19",
        "target": None,
        "tags": ("Ketenhygiëne",),
        "fingerprint": "sha256:0123456789abcdef",
        "parent": "iso27002:5.19",  # a measure's control is no part_of edge
        "seq": 1,
    },
}
EDGES: tuple[RawEdge, ...] = (
    (
        "nis2:21.2.d",
        "iso27002:5.19",
        "intersects_with",
        "maps_to",
        "source_mapping",
        "enisa",
        ("a",),
    ),
    ("nis2:21.2.d", "iso27002:5.19", "subset_of", "maps_to", "layer", "mine", ()),
)


def graph() -> Any:
    nodes: dict[str, RawNode] = NODES
    return build_graph(nodes, EDGES)


def test_node_attributes_keep_the_fields_of_the_record_kind() -> None:
    assert node_attributes(NODES["nis2:21.2.d"]) == {
        "type": "requirement",
        "framework": "nis2",
        "kind": "point",
        "ref": "21(2)(d)",
        "label": "supply chain security",
        "assessable": True,  # addressed_by is None: left out
    }
    assert node_attributes(NODES["iso27002:5.19"]) == {
        "type": "control",
        "standard": "iso27002",
        "kind": "control",
        "ref": "A.5.19",
        "title": "Information security in supplier relationships",
        "theme": "organizational",
    }
    measure = node_attributes(NODES["bio2:5.19.01"])
    assert measure["type"] == "measure"
    assert measure["tags"] == ("Ketenhygiëne",)
    assert "target" not in measure
    assert "parent" not in measure
    assert "seq" not in measure


def test_nodes_in_id_order_and_parents_as_part_of_edges() -> None:
    g = graph()
    # the records in id order; the control's parent is no record here: networkx adds it
    # bare with the edge
    assert list(g.nodes) == [*sorted(NODES), "iso27002:5"]
    assert g.nodes["iso27002:5"] == {}
    part_of = [(s, t) for s, t, d in g.edges(data=True) if d["kind"] == "part_of"]
    # nis2:21.2 has no parent; the measure's 'parent' is not a hierarchy edge
    assert sorted(part_of) == [("iso27002:5.19", "iso27002:5"), ("nis2:21.2.d", "nis2:21.2")]
    assert g.edges["nis2:21.2.d", "nis2:21.2", 0] == {
        "kind": "part_of",
        "relationship": "subset_of",
    }


def test_mapping_edges_keep_every_field_and_both_parallel_edges() -> None:
    g = graph()
    assert g.is_multigraph()
    assert g.is_directed()
    maps = g.get_edge_data("nis2:21.2.d", "iso27002:5.19")
    assert [m["relationship"] for m in maps.values()] == ["intersects_with", "subset_of"]
    assert maps[0] == {
        "kind": "maps_to",
        "relationship": "intersects_with",
        "basis": "source_mapping",
        "dataset": "enisa",
        "sources": ("a",),
    }


def test_the_graph_is_frozen() -> None:
    g = graph()
    assert nx.is_frozen(g)
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        g.add_node("x")


def test_the_catalog_graph_is_built_from_its_records(catalog: bio2map.Catalog) -> None:
    g = catalog.graph
    assert g.number_of_nodes() >= len(catalog.controls)
    assert g.nodes["iso27002:5.19"]["type"] == "control"
    assert any(d["kind"] == "implements" for _s, _t, d in g.edges(data=True))
