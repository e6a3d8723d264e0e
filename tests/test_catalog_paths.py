"""Path composition (bio2map.catalog.paths) on a small catalog whose every path is known.

The catalog: NIS2 point 21(2)(d) is implemented by annex requirements 5.1.1 (stated in
the text) and 5.1.2 (by its section heading); the ENISA mapping links 5.1.1 to ISO
control 5.19 (``equal``), 5.1.2 to 5.19 (``subset_of``) and, by an inherited section
table, to 5.20; annex 5.1 (the parent) is linked to 5.21, and its child 5.1.3 has no
link of its own.
"""

from __future__ import annotations

from typing import Any

import pytest

import bio2map
from bio2map.catalog.catalog import Catalog
from bio2map.catalog.layer import Layer
from bio2map.core.errors import DataErrorGroup
from bio2map.core.reader import read_manifest


def requirement(cid: str, kind: str, parent: str | None, seq: int) -> dict[str, Any]:
    framework, ref = cid.split(":")
    return {
        "record": "Requirement",
        "id": cid,
        "framework": framework,
        "ref": ref,
        "kind": kind,
        "parent": parent,
        "label": f"label of {ref}",
        "addressed_by": "controls",
        "assessable": True,
        "seq": seq,
    }


def control(cid: str, seq: int) -> dict[str, Any]:
    return {
        "record": "Control",
        "id": cid,
        "standard": "iso27002",
        "kind": "control",
        "ref": cid.split(":")[1],
        "title": f"title of {cid}",
        "parent": None,
        "seq": seq,
    }


NODES = {
    n["id"]: n
    for n in [
        requirement("nis2:21", "article", None, 1),
        requirement("nis2:21.2", "paragraph", "nis2:21", 2),
        requirement("nis2:21.2.d", "point", "nis2:21.2", 3),
        requirement("ir2690:5.1", "requirement", None, 4),
        requirement("ir2690:5.1.1", "requirement", "ir2690:5.1", 5),
        requirement("ir2690:5.1.2", "requirement", "ir2690:5.1", 6),
        requirement("ir2690:5.1.3", "requirement", "ir2690:5.1", 7),
        control("iso27002:5.19", 1),
        control("iso27002:5.20", 2),
        control("iso27002:5.21", 3),
    ]
}
EDGES = (
    ("ir2690:5.1.1", "nis2:21.2.d", "subset_of", "implements", "explicit_text", "ir", ("s1",)),
    ("ir2690:5.1.2", "nis2:21.2.d", "subset_of", "implements", "section_heading", "ir", ("s2",)),
    ("ir2690:5.1.1", "iso27002:5.19", "equal", "maps_to", "source_mapping", "enisa", ("m1",)),
    ("ir2690:5.1.2", "iso27002:5.19", "subset_of", "maps_to", "source_mapping", "enisa", ("m2",)),
    (
        *("ir2690:5.1.2", "iso27002:5.20", "intersects_with", "maps_to", "section_table"),
        *("enisa", ("m3",)),
    ),
    ("ir2690:5.1", "iso27002:5.21", "superset_of", "maps_to", "source_mapping", "enisa", ("m4",)),
)


@pytest.fixture
def small() -> Catalog:
    return Catalog._from_raw(dict(NODES), EDGES, read_manifest(), "1.3")


def links(doc: dict[str, Any], key: str) -> dict[str, tuple[Any, ...]]:
    """id -> (relationship, basis, via, via_basis, sources) of each match in a document."""
    return {
        m["id"]: (m["relationship"], m["basis"], m["via"], m["via_basis"], m["sources"])
        for m in doc[key]
    }


def test_a_point_reaches_controls_through_the_annex(small: Catalog) -> None:
    assert links(small.controls_for_data("21(2)(d)"), "controls") == {
        # superset_of . equal = superset_of (through 5.1.1, stated), superset_of .
        # subset_of = intersects_with (through 5.1.2): the strongest is kept, and the
        # basis of the best path (stated text and ENISA's own pair)
        "iso27002:5.19": (
            "superset_of",
            "explicit_text",
            ["ir2690:5.1.1", "ir2690:5.1.2"],
            ["explicit_text", "section_heading"],
            ["m1", "m2", "s1", "s2"],
        ),
        # a heading link, then an inherited table: the path is as weak as its weakest link
        "iso27002:5.20": (
            "intersects_with",
            "section_table",
            ["ir2690:5.1.2"],
            ["section_table"],
            ["m3", "s2"],
        ),
    }


def test_the_basis_leaves_out_the_links_it_does_not_admit(small: Catalog) -> None:
    heading = links(small.controls_for_data("21(2)(d)", basis="heading"), "controls")
    assert list(heading) == ["iso27002:5.19"]
    explicit = links(small.controls_for_data("21(2)(d)", basis="explicit"), "controls")
    assert explicit == {
        "iso27002:5.19": (
            "superset_of",
            "explicit_text",
            ["ir2690:5.1.1"],
            ["explicit_text"],
            ["m1", "s1"],
        )
    }


def test_an_annex_requirement_with_parts_and_one_covered_by_its_parent(small: Catalog) -> None:
    parent = links(small.controls_for_data("ir2690:5.1"), "controls")
    # its own link, and its parts' links read as superset_of . <link>
    assert parent["iso27002:5.21"] == (
        "superset_of",
        "source_mapping",
        ["ir2690:5.1"],
        ["source_mapping"],
        ["m4"],
    )
    assert parent["iso27002:5.19"][0] == "superset_of"  # superset_of . equal
    assert parent["iso27002:5.20"][0] == "intersects_with"
    # 5.1.3 has no link: it is covered through its parent's, the weakest claim
    assert links(small.controls_for_data("ir2690:5.1.3"), "controls") == {
        "iso27002:5.21": (
            "intersects_with",
            "source_mapping",
            ["ir2690:5.1"],
            ["source_mapping"],
            ["m4"],
        )
    }


def test_a_control_reaches_back_to_the_points_and_annex_requirements(small: Catalog) -> None:
    doc = small.requirements_for_data("5.19")
    assert [m["id"] for m in doc["requirements"]] == [
        "nis2:21.2.d",
        "ir2690:5.1.1",
        "ir2690:5.1.2",
    ]
    assert links(doc, "requirements") == {
        # equal . subset_of = subset_of (through 5.1.1); superset_of . subset_of =
        # intersects_with (through 5.1.2)
        "nis2:21.2.d": (
            "subset_of",
            "explicit_text",
            ["ir2690:5.1.1", "ir2690:5.1.2"],
            ["explicit_text", "section_heading"],
            ["m1", "m2", "s1", "s2"],
        ),
        "ir2690:5.1.1": ("equal", "source_mapping", [], [], ["m1"]),
        "ir2690:5.1.2": ("superset_of", "source_mapping", [], [], ["m2"]),
    }
    explicit = small.requirements_for_data("5.19", basis="explicit")
    assert links(explicit, "requirements")["nis2:21.2.d"][2] == ["ir2690:5.1.1"]


def _org(seq: int, cid: str) -> dict[str, Any]:
    return {**requirement(cid, "item", None, seq), "framework": "org"}


def test_a_cycle_of_layer_edges_is_refused_with_its_edge(small: Catalog) -> None:
    nodes = {"org:A": _org(1, "org:A"), "org:B": _org(2, "org:B")}
    edges = [
        ("org:A", "org:B", "equal", "maps_to", "layer", "org", ("A-B",)),
        ("org:B", "org:A", "equal", "maps_to", "layer", "org", ("B-A",)),
        ("org:A", "iso27002:5.20", "equal", "maps_to", "layer", "org", ("A-5.20",)),
    ]
    with pytest.raises(DataErrorGroup) as e:
        small.with_layers(Layer("org", "org.csv", nodes, edges))
    assert "closes a cycle (org:A -> org:B -> org:A)" in str(e.value.exceptions[0])


def test_a_chain_of_layer_edges_composes_and_is_cached_whole(small: Catalog) -> None:
    nodes = {"org:A": _org(1, "org:A"), "org:B": _org(2, "org:B")}
    edges = [
        ("org:A", "org:B", "equal", "maps_to", "layer", "org", ("A-B",)),
        ("org:A", "iso27002:5.20", "equal", "maps_to", "layer", "org", ("A-5.20",)),
        ("org:B", "iso27002:5.21", "subset_of", "maps_to", "layer", "org", ("B-5.21",)),
    ]
    layer = Layer("org", "org.csv", nodes, edges)
    cat = small.with_layers(layer)
    a = links(cat.controls_for_data("org:A"), "controls")
    assert a == {
        "iso27002:5.20": ("equal", "layer", ["org:A"], ["layer"], ["A-5.20"]),
        # A equal B, B subset_of 5.21: the path goes on through B's controls
        "iso27002:5.21": (
            "subset_of",
            "layer",
            ["org:A", "org:B"],
            ["layer", "layer"],
            ["A-B", "B-5.21"],
        ),
    }
    # B asked after A (its paths cached on the way) answers as B asked first
    after = links(cat.controls_for_data("org:B"), "controls")
    fresh = links(small.with_layers(layer).controls_for_data("org:B"), "controls")
    assert (
        after
        == fresh
        == {
            "iso27002:5.21": ("subset_of", "layer", ["org:B"], ["layer"], ["B-5.21"]),
        }
    )


def test_a_known_point_of_the_packaged_data(catalog: bio2map.Catalog) -> None:
    doc = catalog.controls_for_data("21(2)(d)")
    first = doc["controls"][0]
    assert (first["id"], first["relationship"], first["basis"]) == (
        "iso27002:5.19",
        "intersects_with",
        "section_heading",
    )
    assert first["via"][:2] == ["ir2690:5.1.1", "ir2690:5.1.2"]
    assert len(first["via"]) == len(first["via_basis"])
