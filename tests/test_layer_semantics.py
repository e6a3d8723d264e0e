"""What each kind of layer edge means (bio2map.catalog.layer, docs/howto/own-mapping-layer.md).

Every kind of edge a layer may state is kept as the rules say, answered by the queries
that follow it and left out by those that do not; every edge the rules refuse is a
DataErrorGroup naming the file and line (the command line: exit 2, one ``bio2map:``
line and the problem), never a KeyError.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bio2map
from bio2map.catalog.layer import Layer
from bio2map.core.errors import DataErrorGroup
from bio2map.formats.layers import parse_layer
from tests.hostile.support import assert_refused, run
from tests.test_schemas import validate

OWN = """subject_id,subject_label,predicate_id,object_id
myorg:SUP-01,supplier register,intersects_with,iso27002:5.19
"""


@pytest.fixture(scope="module")
def base() -> bio2map.Catalog:
    return bio2map.load("1.3")


def layer(base: bio2map.Catalog, *rows: str, name: str = "t") -> bio2map.Catalog:
    lines = ["subject_id,predicate_id,object_id\n", *(r + "\n" for r in rows)]
    return base.with_layers(parse_layer(lines, base, name=name, source=f"{name}.csv"))


def kept(cat: bio2map.Catalog, dataset: str = "t") -> list[tuple[str, str, str, str]]:
    return [
        (m.source, m.target, m.relationship, m.kind) for m in cat.mappings if m.dataset == dataset
    ]


def refusal(base: bio2map.Catalog, *rows: str) -> list[str]:
    with pytest.raises(DataErrorGroup) as info:
        layer(base, *rows)
    return [str(e) for e in info.value.exceptions]


# --- what is kept, and how ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "edge"),
    [
        pytest.param(
            "myorg:SUP-01,intersects_with,5.19",
            ("myorg:SUP-01", "iso27002:5.19", "intersects_with", "maps_to"),
            id="own -> control",
        ),
        pytest.param(
            "iso27002:5.19,subset_of,myorg:SUP-01",
            ("myorg:SUP-01", "iso27002:5.19", "superset_of", "maps_to"),
            id="control -> own: turned round",
        ),
        pytest.param(
            "myorg:SUP-01,subset_of,21(2)(d)",
            ("myorg:SUP-01", "nis2:21.2.d", "subset_of", "implements"),
            id="own -> NIS2",
        ),
        pytest.param(
            "nis2:21.2.d,subset_of,myorg:SUP-01",
            ("myorg:SUP-01", "nis2:21.2.d", "superset_of", "implements"),
            id="NIS2 -> own: turned round",
        ),
        pytest.param(
            "ir2690:5.1.1,subset_of,myorg:SUP-01",
            ("myorg:SUP-01", "ir2690:5.1.1", "superset_of", "maps_to"),
            id="annex -> own: turned round",
        ),
        pytest.param(
            "myorg:A,subset_of,myorg:B",
            ("myorg:A", "myorg:B", "subset_of", "maps_to"),
            id="own -> own",
        ),
        pytest.param(
            "nis2:21.2.d,subset_of,ir2690:5.1.1",
            ("ir2690:5.1.1", "nis2:21.2.d", "superset_of", "implements"),
            id="NIS2 -> annex: turned round",
        ),
        pytest.param(
            "A.8.5,skos:relatedMatch,nis2:21.2.j.comms",
            ("nis2:21.2.j.comms", "iso27002:8.5", "intersects_with", "maps_to"),
            id="control -> NIS2: turned round",
        ),
        pytest.param(
            "iso27002:5.19,intersects_with,iso27002:5.20",
            ("iso27002:5.19", "iso27002:5.20", "intersects_with", "relates_to"),
            id="control -> control: a side link",
        ),
        pytest.param(
            "iso27001:6.1.2,superset_of,iso27002:5.19",
            ("iso27001:6.1.2", "iso27002:5.19", "superset_of", "relates_to"),
            id="clause -> control: a side link",
        ),
        pytest.param(
            "bio2:5.19.01,subset_of,iso27002:5.20",
            ("bio2:5.19.01", "iso27002:5.20", "subset_of", "relates_to"),
            id="measure -> control: a side link",
        ),
        pytest.param(
            "bio2:5.19.01,intersects_with,bio2:5.20.01",
            ("bio2:5.19.01", "bio2:5.20.01", "intersects_with", "relates_to"),
            id="measure -> measure: a side link",
        ),
        pytest.param(
            "myorg:X,equal,bio2:5.19.01",
            ("myorg:X", "iso27002:5.19", "subset_of", "maps_to"),
            id="own -> measure: said of its control",
        ),
        pytest.param(
            "bio2:5.19.01,subset_of,21(2)(d)",
            ("nis2:21.2.d", "iso27002:5.19", "intersects_with", "maps_to"),
            id="measure -> NIS2: said of its control, turned round",
        ),
        pytest.param(
            "myorg:X,not_related,21(2)(d)",
            ("myorg:X", "nis2:21.2.d", "not_related", "maps_to"),
            id="not_related: no implements edge",
        ),
    ],
)
def test_each_kind_of_edge_is_kept_as_the_rules_say(
    base: bio2map.Catalog, row: str, edge: tuple[str, str, str, str]
) -> None:
    assert kept(layer(base, row)) == [edge]


def test_a_measure_is_said_of_its_control_with_a_note(base: bio2map.Catalog) -> None:
    cat = layer(base, "myorg:X,equal,bio2:5.19.01")
    (m,) = (m for m in cat.mappings if m.dataset == "t")
    assert m.sources == ("layer t: t.csv", "stated for the BIO2 measure bio2:5.19.01")
    ans = cat.controls_for("myorg:X")
    assert [(c.id, c.relationship, c.measures[:1]) for c in ans.controls] == [
        ("iso27002:5.19", "subset_of", ("bio2:5.19.01",))
    ]


def test_a_control_stated_first_serves_the_requirement(base: bio2map.Catalog) -> None:
    cat = layer(base, "A.8.5,skos:relatedMatch,nis2:21.2.j.comms")
    assert [c.id for c in base.controls_for("nis2:21.2.j.comms").controls] == []
    assert [c.id for c in cat.controls_for("nis2:21.2.j.comms").controls] == ["iso27002:8.5"]
    reqs = [(r.id, r.relationship) for r in cat.requirements_for("8.5").requirements]
    assert ("nis2:21.2.j.comms", "intersects_with") in reqs
    # a NIS2 requirement linked directly comes with the NIS2 ones, before the annex
    nis2 = [i for i, (rid, _) in enumerate(reqs) if rid.startswith("nis2:")]
    assert nis2 == list(range(len(nis2)))


@pytest.mark.parametrize(
    "row",
    [
        "iso27002:5.19,intersects_with,iso27002:5.20",
        "bio2:5.19.01,subset_of,iso27002:5.20",
        "bio2:5.19.01,equal,bio2:5.20.01",
    ],
)
def test_side_links_are_followed_by_no_query(base: bio2map.Catalog, row: str) -> None:
    cat = layer(base, row)
    for control in ("5.19", "5.20", "bio2:5.19.01"):  # requirements_for(5.20) was a KeyError
        assert cat.requirements_for_data(control) == base.requirements_for_data(control)
    assert cat.controls_for_data("21(2)(d)") == base.controls_for_data("21(2)(d)")
    ids = ["5.19", "5.21"]
    assert cat.coverage(ids).as_dict() == base.coverage(ids).as_dict()
    assert cat.uncovered().as_dict() == base.uncovered().as_dict()
    # kept all the same: the graph and the exports hold it
    assert cat.graph.number_of_edges() == base.graph.number_of_edges() + 1


def test_a_side_link_shows_in_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "auditor.csv"
    f.write_text("subject_id,predicate_id,object_id\n5.19,intersects_with,5.20\n", "utf-8")
    code, out, _ = run(capsys, "show", "5.20", "--layer", str(f), "--format", "json")
    assert code == 0
    links = json.loads(out)["links"]
    assert {
        "link": "intersects_with (layer auditor)",
        "id": "iso27002:5.19",
        "ref": "A.5.19",
        "label": "Information security in supplier relationships",
        "basis": "layer",
    } in links


def test_not_related_is_followed_by_no_query(base: bio2map.Catalog) -> None:
    # before: the not_related edge became an implements edge, and 8.5 served 21(2)(d)
    cat = layer(base, "myorg:X,not_related,21(2)(d)", "myorg:X,equal,8.5")
    assert cat.controls_for_data("21(2)(d)") == base.controls_for_data("21(2)(d)")
    d = next(p for p in cat.coverage(["8.5"]).points if p.id == "nis2:21.2.d")
    assert (d.status, d.share) == ("none", 0.0)
    assert [c.id for c in cat.controls_for("myorg:X").controls] == ["iso27002:8.5"]


def test_a_packaged_id_keeps_its_label(base: bio2map.Catalog) -> None:
    rows = [
        "subject_id,subject_label,predicate_id,object_id,object_label\n",
        "myorg:A,own label,subset_of,5.19,New label\n",
        "nis2:21.2.d,Another label,subset_of,5.20,\n",
    ]
    cat = base.with_layers(parse_layer(rows, base, name="t"))
    assert cat.get("5.19").title == "Information security in supplier relationships"
    assert cat.get("21(2)(d)").label == "supply chain security"
    assert cat.get("myorg:A").label == "own label"


# --- own nodes, both ways ------------------------------------------------------------------


@pytest.fixture(scope="module")
def own(base: bio2map.Catalog) -> bio2map.Catalog:
    return base.with_layers(parse_layer(OWN.splitlines(keepends=True), base, name="myorg"))


def test_requirements_for_an_own_node(own: bio2map.Catalog, base: bio2map.Catalog) -> None:
    ans = own.requirements_for("myorg:SUP-01")
    assert repr(ans) == "<RequirementsAnswer myorg:SUP-01: 38 requirements>"
    c = ans.control
    assert (c.id, c.standard, c.kind, c.ref, c.title) == (
        "myorg:SUP-01",
        "myorg",
        "own",
        "SUP-01",
        "supplier register",
    )
    # the requirements 5.19 serves, reached through it
    assert [r.id for r in ans.requirements] == [
        r.id for r in base.requirements_for("5.19").requirements
    ]
    first = ans.requirements[:2]
    assert [(r.id, r.relationship, r.basis) for r in first] == [
        ("nis2:21.2.a", "intersects_with", "section_heading"),
        ("nis2:21.2.d", "intersects_with", "section_heading"),
    ]
    d = ans.requirements[1]
    assert d.via[0] == "ir2690:5.1.1"
    assert d.via[-1] == "iso27002:5.19"
    assert len(d.via) == 23
    assert "layer myorg: <string>" in d.sources
    annex = next(r for r in ans.requirements if r.id == "ir2690:5.1.4")
    assert (annex.relationship, annex.via, annex.basis) == (
        "intersects_with",
        ("iso27002:5.19",),
        "layer",
    )
    assert [r.id for r in ans.cbw_framework] == [
        "cbwcf:1.1",
        "cbwcf:2.1",
        "cbwcf:6.1",
        "cbwcf:6.2",
        "cbwcf:6.3",
    ]
    doc = own.requirements_for_data("myorg:SUP-01")
    assert (doc["control"], doc["title"], doc["basis"]) == (
        "myorg:SUP-01",
        "supplier register",
        "all",
    )
    assert doc == ans.as_dict()
    validate("requirements", doc)


def test_requirements_for_an_own_node_with_direct_links(base: bio2map.Catalog) -> None:
    cat = layer(
        base,
        "myorg:R,subset_of,2024/2690 5.2(a)",
        "myorg:R,intersects_with,21(2)(e)",
        "myorg:R,equal,myorg:Q",
    )
    reqs = {r.id: (r.relationship, r.via) for r in cat.requirements_for("myorg:R").requirements}
    assert reqs == {
        "nis2:21.2.e": ("intersects_with", ()),
        "nis2:21.2.d": ("subset_of", ("ir2690:5.2.a",)),  # the point 5.2(a) implements
        "ir2690:5.2.a": ("subset_of", ()),
        "myorg:Q": ("equal", ()),
    }
    # and the other way round, as before
    assert [c.id for c in cat.controls_for("myorg:R").controls] == ["iso27002:5.22"]


def test_basis_restricts_an_own_node_too(own: bio2map.Catalog) -> None:
    explicit = own.requirements_for("myorg:SUP-01", basis="explicit").requirements
    everything = own.requirements_for("myorg:SUP-01").requirements
    assert 0 < len(explicit) < len(everything)
    assert {r.basis for r in explicit} <= {"explicit_text", "source_mapping", "layer"}
    with pytest.raises(ValueError, match="basis 'some' must be one of"):
        own.requirements_for("myorg:SUP-01", basis="some")


def test_own_nodes_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "myorg.csv"
    f.write_text(OWN, encoding="utf-8")
    code, out, err = run(capsys, "requirements", "myorg:SUP-01", "--layer", str(f), "-f", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["control"] == "myorg:SUP-01"
    assert [r["id"] for r in doc["requirements"][:2]] == ["nis2:21.2.a", "nis2:21.2.d"]
    code, out, _ = run(capsys, "requirements", "myorg:SUP-01", "--layer", str(f))
    assert code == 0
    assert out.splitlines()[0] == (
        "myorg:SUP-01 (SUP-01): supplier register - NIS2 and 2024/2690 requirements"
    )
    # controls says where the own node serves (a note under the table; the JSON is unchanged)
    code, out, _ = run(capsys, "controls", "21(2)(d)", "--layer", str(f))
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Own nodes of your layers linked to these controls:",
        "  A.5.19: myorg:SUP-01",
    ]
    code, out, _ = run(capsys, "controls", "21(2)(d)", "--layer", str(f), "-f", "json")
    assert json.loads(out) == bio2map.load("1.3").controls_for_data("21(2)(d)")
    code, out, _ = run(capsys, "show", "myorg:SUP-01", "--layer", str(f), "-f", "json")
    assert code == 0
    links = {(x["link"], x["id"]) for x in json.loads(out)["links"]}
    assert {("served by", "iso27002:5.19"), ("serves", "nis2:21.2.d")} <= links


def test_search_finds_own_nodes(own: bio2map.Catalog) -> None:
    assert [n.id for n in own.search("myorg")] == ["myorg:SUP-01"]
    assert [n.id for n in own.search("SUP-01")] == ["myorg:SUP-01"]
    assert "myorg:SUP-01" in [n.id for n in own.search("supplier register")]


# --- refused, with the file and line -------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param(
            "myorg:A,subset_of,iso27002:5",
            "t.csv: line 2: object_id: iso27002:5 is an ISO/IEC 27002 theme (a group of "
            "controls); link its controls",
            id="theme",
        ),
        pytest.param(
            "myorg:A,subset_of,bio2:5.03.01",
            "t.csv: line 2: object_id: bio2:5.03.01 is a BIO2 no-measure marker, not a "
            "measure; link a measure or a control",
            id="marker",
        ),
        pytest.param(
            "myorg:A,subset_of,iso27001-2013:A.15.1.1",
            "t.csv: line 2: object_id: iso27001-2013:A.15.1.1 is an ISO/IEC 27001:2013 id; a "
            "layer links the 2022 edition (`bio2map show iso27001-2013:A.15.1.1` names its "
            "successors)",
            id="ISO 27001:2013",
        ),
        pytest.param(
            "cbw:21,subset_of,5.19",
            "t.csv: line 2: subject_id: cbw:21 is a Cbw article; it transposes NIS2, so link "
            "the NIS2 requirement instead",
            id="Cbw article",
        ),
        pytest.param(
            "cbwcf:6.1,subset_of,5.19",
            "t.csv: line 2: subject_id: cbwcf:6.1 is a node of the Cbw (NIS2) Control "
            "Framework, which reaches controls through the Art. 21(2) point of its theme; "
            "link that point instead",
            id="Cbw framework",
        ),
        pytest.param(
            "myorg:A,equal,myorg:A",
            "t.csv: line 2: object_id: links myorg:A to itself",
            id="self-loop own",
        ),
        pytest.param(
            "5.19,equal,A.5.19",
            "t.csv: line 2: object_id: links iso27002:5.19 to itself",
            id="self-loop control",
        ),
        pytest.param(
            "nis2:21.2.d,subset_of,nis2:21.2",
            "t.csv: line 2: object_id: links nis2:21.2.d and nis2:21.2, but nis2:21.2.d is "
            "part of nis2:21.2; a layer may not link a requirement to its own ancestor or "
            "descendant",
            id="child -> parent",
        ),
    ],
)
def test_refused_ends_and_edges(base: bio2map.Catalog, row: str, problem: str) -> None:
    assert refusal(base, row) == [problem]


def test_a_cycle_is_refused_with_its_lines(base: bio2map.Catalog) -> None:
    problems = refusal(
        base,
        "myorg:A,subset_of,myorg:B",
        "myorg:B,subset_of,myorg:C",
        "myorg:C,subset_of,myorg:A",
        "myorg:C,equal,5.19",
    )
    assert problems == [
        "t.csv: line 4: object_id: myorg:C subset_of myorg:A closes a cycle "
        "(myorg:A -> myorg:B -> myorg:C -> myorg:A); a path from a requirement may not come "
        "back to it"
    ]


def test_a_cycle_through_the_hierarchy_is_refused(base: bio2map.Catalog) -> None:
    # 5.1.1 -> 5.2 and 5.2(a) (a part of 5.2) -> 5.1.1: the paths of 5.2 go through 5.2(a)
    problems = refusal(
        base, "ir2690:5.1.1,intersects_with,ir2690:5.2", "ir2690:5.2.a,subset_of,ir2690:5.1.1"
    )
    assert problems == [
        "t.csv: line 2: object_id: ir2690:5.1.1 intersects_with ir2690:5.2 closes a cycle "
        "(ir2690:5.2 -> ir2690:5.1.1 -> ir2690:5.2); a path from a requirement may not come "
        "back to it"
    ]


def test_a_cycle_across_two_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("subject_id,predicate_id,object_id\nmyorg:A,subset_of,myorg:B\n", "utf-8")
    b.write_text("subject_id,predicate_id,object_id\n\nmyorg:B,equal,myorg:A\n", "utf-8")
    cat = bio2map.load("1.3")
    cat.with_layers(a)  # each alone is fine
    cat.with_layers(b)
    with pytest.raises(DataErrorGroup) as info:
        cat.with_layers(a, b)
    assert [str(e) for e in info.value.exceptions] == [
        f"{b}: line 3: object_id: myorg:B equal myorg:A closes a cycle "
        "(myorg:A -> myorg:B -> myorg:A); a path from a requirement may not come back to it"
    ]
    with pytest.raises(DataErrorGroup):
        cat.with_layers(a).with_layers(b)  # one after the other too
    assert_refused(
        *run(capsys, "controls", "myorg:A", "--layer", str(a), "--layer", str(b)),
        "the layers cannot be merged",
        f"{b}: line 3: object_id: myorg:B equal myorg:A closes a cycle",
    )


def test_one_label_per_own_node(base: bio2map.Catalog) -> None:
    rows = [
        "subject_id,subject_label,predicate_id,object_id\n",
        "myorg:A,supplier register,subset_of,5.19\n",
        "myorg:A,,subset_of,5.20\n",
        "myorg:A,supplier register,subset_of,5.21\n",
        "myorg:A,Supplier list,subset_of,5.22\n",
        "myorg:B,\x1b[31mred,subset_of,5.22\n",
    ]
    with pytest.raises(DataErrorGroup) as info:
        parse_layer(rows, base, name="t", source="t.csv")
    assert [str(e) for e in info.value.exceptions] == [
        "t.csv: line 5: subject_label: myorg:A is labelled 'Supplier list' here but "
        "'supplier register' on line 2; an own node has one label",
        "t.csv: line 6: subject_label: the label '\\x1b[31mred' holds the control character U+001B",
    ]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("myorg:A,subset_of,iso27002:5", "iso27002:5 is an ISO/IEC 27002 theme"),
        ("5.19,intersects_with,5.19", "links iso27002:5.19 to itself"),
        ("bio2:5.03.01,subset_of,5.19", "bio2:5.03.01 is a BIO2 no-measure marker"),
    ],
)
def test_refusals_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, fragment: str
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(f"subject_id,predicate_id,object_id\n{row}\n", "utf-8")
    assert_refused(
        *run(capsys, "requirements", "5.20", "--layer", str(f)),
        "layer 'bad' is broken",
        f"{f}: line 2: ",
        fragment,
    )


# --- layers built by hand ------------------------------------------------------------------


def _edge(
    src: str, tgt: str, rel: str, kind: str
) -> tuple[str, str, str, str, str, str, tuple[str, ...]]:
    return (src, tgt, rel, kind, "layer", "hand", ("by hand",))


def test_a_layer_built_by_hand_is_checked(base: bio2map.Catalog) -> None:
    good = Layer(
        "hand", "hand.py", {}, [_edge("nis2:21.2.d", "iso27002:8.5", "subset_of", "maps_to")]
    )
    assert "iso27002:8.5" not in [c.id for c in base.controls_for("21(2)(d)").controls]
    assert "iso27002:8.5" in [
        c.id for c in base.with_layers(good).controls_for("21(2)(d)").controls
    ]
    bad = Layer(
        "hand",
        "hand.py",
        {},
        [
            _edge("myorg:X", "iso27002:5.19", "equal", "maps_to"),
            _edge("iso27002:8.5", "nis2:21.2.d", "superset_of", "maps_to"),
            _edge("nis2:21.2.d", "iso27002:5", "subset_of", "maps_to"),
            _edge("nis2:21.2.d", "iso27002:5.19", "sameish", "maps_to"),
        ],
        lines=[0, 7],
    )
    with pytest.raises(DataErrorGroup) as info:
        base.with_layers(bad)
    assert [str(e) for e in info.value.exceptions] == [
        "hand.py: edge 1: unknown id 'myorg:X'",
        "hand.py: line 7: iso27002:8.5 superset_of nis2:21.2.d (maps_to) is kept as "
        "nis2:21.2.d subset_of iso27002:8.5 (maps_to); build layers with "
        "bio2map.formats.layers.parse_layer, which applies the rules",
        "hand.py: edge 3: iso27002:5 is an ISO/IEC 27002 theme (a group of controls); link "
        "its controls",
        "hand.py: edge 4: unknown relationship 'sameish'; use one of equal, subset_of, "
        "superset_of, intersects_with, not_related",
    ]


def test_a_layer_is_immutable_with_its_lines() -> None:
    lay = Layer("x", "x.csv", {}, [], lines=[3])
    with pytest.raises(TypeError):
        lay.lines[0] = 4  # type: ignore[index]
    assert (lay.where(0), lay.where(5)) == ("line 3", "edge 6")


# --- bounded time ---------------------------------------------------------------------------


def test_a_deep_chain_of_requirement_links_is_walked_once_per_node(
    base: bio2map.Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12 levels of two nodes, each linked to both below: 2**12 paths from the top. Each
    # node's paths are computed once (it took exponential time while results met on
    # the way were not cached: 30 levels ran for hours).
    depth = 12
    rows = [
        f"myorg:{a}{d},subset_of,myorg:{b}{d + 1}" for d in range(depth) for a in "ab" for b in "ab"
    ]
    cat = layer(base, *rows, f"myorg:a{depth},subset_of,5.19", f"myorg:b{depth},equal,5.20")
    calls: list[str] = []
    real = type(cat)._paths

    def counted(self: bio2map.Catalog, rid: str, *args: object, **kwargs: object) -> object:
        calls.append(rid)
        return real(self, rid, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(type(cat), "_paths", counted)
    ans = cat.controls_for("myorg:a0")
    assert [(c.id, c.relationship) for c in ans.controls] == [
        ("iso27002:5.19", "subset_of"),
        ("iso27002:5.20", "subset_of"),
    ]
    assert len(ans.controls[0].via) == 2 * depth  # a0 to a12 and b1 to b11 lead to 5.19
    assert len(set(calls)) == 2 * depth + 1
    assert len(calls) <= 4 * len(set(calls))  # each node from its two parents, then cached


def test_a_chain_longer_than_the_limit_is_refused(base: bio2map.Catalog) -> None:
    # a query walks a chain one nested call per link: 5000 links ended in RecursionError
    from bio2map.catalog.layer_checks import MAX_CHAIN

    def chain(n: int) -> list[str]:
        rows = [f"myorg:N{i},subset_of,myorg:N{i + 1}" for i in range(n)]
        return [*rows, f"myorg:N{n},equal,5.19"]

    cat = layer(base, *chain(MAX_CHAIN))
    (c,) = cat.controls_for("myorg:N0").controls
    assert (c.id, c.relationship, len(c.via)) == ("iso27002:5.19", "subset_of", MAX_CHAIN + 1)
    assert refusal(base, *chain(5000)) == [
        "t.csv: line 2: object_id: myorg:N0 subset_of myorg:N1 starts a chain of 5000 "
        "requirement -> requirement links from myorg:N0; a layer may chain at most 64"
    ]
