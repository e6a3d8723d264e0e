"""CISO Assistant library YAML layers (:mod:`bio2map.formats.ciso`).

Every test that reads YAML skips when PyYAML is absent (``pip install 'bio2map[yaml]'``);
the test of that message runs either way. The malicious inputs are large enough that
reading them in full would take many seconds or much memory; the reader refuses each at
its first alias, tag, byte count or node count, so these tests finish at once by design.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.errors import DataError, DataErrorGroup
from bio2map.formats import ciso
from bio2map.formats.ciso import CISO_RELATIONSHIPS, parse_ciso_layer, read_ciso_layer
from bio2map.formats.export import export
from bio2map.formats.layers import read_layer

HAS_YAML = importlib.util.find_spec("yaml") is not None
needs_yaml = pytest.mark.skipif(not HAS_YAML, reason="needs PyYAML (pip install 'bio2map[yaml]')")

ISO = "urn:intuitem:risk:req_node:iso27001-2022"
NIS2 = "urn:intuitem:risk:req_node:nis2-directive"
ANNEX = "urn:intuitem:risk:req_node:annex-technical-and-methodological-requirements-nis2"
OWN = "urn:myorg:risk:req_node:sup"

LIBRARY = f"""\
urn: urn:myorg:risk:library:sup
ref_id: myorg-sup
name: MyOrg supplier framework
objects:
  framework:
    urn: urn:myorg:risk:framework:sup
    ref_id: MyOrg Framework
    name: MyOrg supplier framework
    requirement_nodes:
    - urn: {OWN}:sup
      assessable: false
      depth: 1
      ref_id: SUP
      name: Supplier management
    - urn: {OWN}:sup-01
      assessable: true
      depth: 2
      parent_urn: {OWN}:sup
      ref_id: SUP-01
      name: Keep a register of every supplier that handles our data, reviewed yearly
    - urn: {OWN}:sup-02
      assessable: true
      depth: 2
      parent_urn: {OWN}:sup
      ref_id: 5.10
  requirement_mapping_sets:
  - urn: urn:myorg:risk:req_mapping_set:sup-to-iso27001-2022
    name: MyOrg -> ISO/IEC 27001:2022
    source_framework_urn: urn:myorg:risk:framework:sup
    target_framework_urn: urn:intuitem:risk:framework:iso27001-2022
    requirement_mappings:
    - source_requirement_urn: {OWN}:sup-01
      target_requirement_urn: {ISO}:a.5.19
      relationship: equal
      strength_of_relationship: 9
      rationale: semantic
    - source_requirement_urn: {OWN}:sup-01
      target_requirement_urn: {ISO}:6.1.2
      relationship: intersect
    - source_requirement_urn: {OWN}:sup-02
      target_requirement_urn: {ISO}:a.5.22
      relationship: subset
  - urn: urn:myorg:risk:req_mapping_set:iso27001-2022-to-sup
    name: ISO/IEC 27001:2022 -> MyOrg
    source_framework_urn: urn:intuitem:risk:framework:iso27001-2022
    target_framework_urn: urn:myorg:risk:framework:sup
    requirement_mappings:
    - source_requirement_urn: {ISO}:a.5.22
      target_requirement_urn: {OWN}:sup-02
      relationship: superset
    - source_requirement_urn: {ISO}:a.5.21
      target_requirement_urn: {OWN}:sup-02
      relationship: superset
  requirement_mapping_set:
    urn: urn:myorg:risk:req_mapping_set:sup-to-nis2
    source_framework_urn: urn:myorg:risk:framework:sup
    target_framework_urn: urn:intuitem:risk:framework:nis2-directive
    requirement_mappings:
    - source_requirement_urn: {OWN}:sup
      target_requirement_urn: {NIS2}:21.2.d
      relationship: subset
    - source_requirement_urn: {OWN}:sup-01
      target_requirement_urn: {ANNEX}:5.1.4
      relationship: intersect
"""


def _problems(exc: pytest.ExceptionInfo[DataErrorGroup]) -> list[str]:
    return [str(e) for e in exc.value.exceptions]


def _fails(text: str, catalog: bio2map.Catalog) -> list[str]:
    with pytest.raises(DataErrorGroup) as exc:
        parse_ciso_layer(text, catalog, name="t", source="t.yaml")
    assert all(isinstance(e, DataError) for e in exc.value.exceptions)
    return _problems(exc)


def _edges(layer: Any) -> set[tuple[str, str, str, str]]:
    return {e[:4] for e in layer.edges}


# --- reading --------------------------------------------------------------------------


@needs_yaml
def test_nodes_hierarchy_and_labels(catalog: bio2map.Catalog) -> None:
    layer = parse_ciso_layer(LIBRARY, catalog, name="myorg", source="myorg.yaml")
    assert list(layer.nodes) == [
        "myorg-framework:SUP",
        "myorg-framework:SUP-01",
        "myorg-framework:5.10",  # the ref_id as written, not the float 5.1
    ]
    sup, sup01, sup02 = layer.nodes.values()
    assert sup == {
        "record": "Requirement",
        "id": "myorg-framework:SUP",
        "framework": "myorg-framework",
        "ref": "SUP",
        "kind": "item",
        "parent": None,
        "label": "Supplier management",
        "assessable": False,
        "seq": 1,
    }
    assert sup01["parent"] == sup02["parent"] == "myorg-framework:SUP"
    assert sup01["label"] == "Keep a register of every supplier that handles …"
    assert (sup01["assessable"], sup02["label"], sup02["seq"]) == (True, "", 3)


@needs_yaml
def test_urns_relationships_and_direction(catalog: bio2map.Catalog) -> None:
    layer = parse_ciso_layer(LIBRARY, catalog, name="myorg", source="myorg.yaml")
    assert _edges(layer) == {
        ("myorg-framework:SUP-01", "iso27002:5.19", "equal", "maps_to"),
        ("myorg-framework:SUP-01", "iso27001:6.1.2", "intersects_with", "maps_to"),
        ("myorg-framework:5.10", "iso27002:5.22", "subset_of", "maps_to"),
        # ISO -> own, "superset": turned round as own subset_of ISO (5.22 only once)
        ("myorg-framework:5.10", "iso27002:5.21", "subset_of", "maps_to"),
        ("myorg-framework:SUP", "nis2:21.2.d", "subset_of", "implements"),
        ("myorg-framework:SUP-01", "ir2690:5.1.4", "intersects_with", "maps_to"),
    }
    assert len(layer.edges) == 6
    first = layer.edges[0]
    assert first[4:] == (
        "layer",
        "myorg",
        (
            "layer myorg: MyOrg -> ISO/IEC 27001:2022",
            "strength_of_relationship: 9",
            "rationale: semantic",
        ),
    )
    nameless = next(e for e in layer.edges if e[1] == "nis2:21.2.d")
    assert nameless[6] == ("layer myorg: urn:myorg:risk:req_mapping_set:sup-to-nis2",)


@needs_yaml
def test_layer_answers_queries(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    path = tmp_path / "myorg.yml"
    path.write_text(LIBRARY, encoding="utf-8")
    cat = catalog.with_layers(path)
    assert cat.layers == ("myorg",)
    ans = cat.controls_for("myorg-framework:5.10")
    assert [(c.id, c.relationship) for c in ans.controls] == [
        ("iso27002:5.21", "subset_of"),
        ("iso27002:5.22", "subset_of"),
    ]
    assert "myorg-framework:SUP" in cat


@needs_yaml
def test_controls_for_a_node_mapped_to_the_annex(catalog: bio2map.Catalog) -> None:
    cat = catalog.with_layers(parse_ciso_layer(LIBRARY, catalog, name="myorg"))
    ans = cat.controls_for("myorg-framework:SUP-01")
    got = {c.id: (c.relationship, c.via) for c in ans.controls}
    # the direct mapping, and the controls of ir2690:5.1.4 reached through it
    assert list(got) == [
        "iso27002:5.19",
        "iso27002:5.20",
        "iso27002:5.21",
        "iso27002:8.30",
        "iso27001:6.1.2",
    ]
    assert got["iso27002:5.19"][0] == "equal"
    assert got["iso27002:5.20"][0] == "intersects_with"
    assert "ir2690:5.1.4" in got["iso27002:5.20"][1]
    assert "myorg-framework:SUP-01" in got["iso27002:5.20"][1]


@needs_yaml
@pytest.mark.parametrize(("ciso_rel", "ours"), list(CISO_RELATIONSHIPS.items()))
def test_each_relationship(catalog: bio2map.Catalog, ciso_rel: str, ours: str) -> None:
    text = _one_mapping(f"{OWN}:1", f"{ISO}:a.8.8", ciso_rel.upper())
    layer = parse_ciso_layer(text, catalog, name="t")
    assert _edges(layer) == {("f:X-1", "iso27002:8.8", ours, "maps_to")}


@needs_yaml
@pytest.mark.parametrize(
    ("urn", "canonical"),
    [
        (f"{ISO}:a.5.19", "iso27002:5.19"),
        (f"{ISO}:6.1.2", "iso27001:6.1.2"),
        (f"{NIS2}:21.2.d", "nis2:21.2.d"),
        (f"{NIS2}:article-21", "nis2:21"),
        (f"{ANNEX}:1.1.1.a", "ir2690:1.1.1.a"),
        ("urn:intuitem:risk:req_node:annex-nis2-regulation--2024-2690:13.1.1", "ir2690:13.1.1"),
    ],
)
def test_known_urns(catalog: bio2map.Catalog, urn: str, canonical: str) -> None:
    layer = parse_ciso_layer(_one_mapping(f"{OWN}:1", urn), catalog, name="t")
    assert [e[1] for e in layer.edges] == [canonical]


@needs_yaml
def test_a_theme_is_read_and_refused(catalog: bio2map.Catalog) -> None:
    # A.8 is the theme iso27002:8: a group of controls, which no layer edge may name
    with pytest.raises(DataErrorGroup) as e:
        parse_ciso_layer(_one_mapping(f"{OWN}:1", f"{ISO}:A.8"), catalog, name="t")
    assert str(e.value.exceptions[0]).endswith(
        "target_requirement_urn: iso27002:8 is an ISO/IEC 27002 theme (a group of controls); "
        "link its controls"
    )


@needs_yaml
def test_mapping_library_without_framework(catalog: bio2map.Catalog) -> None:
    # CISO Assistant's mapping libraries hold only a mapping set between two frameworks
    text = f"""\
objects:
  requirement_mapping_set:
    source_framework_urn: urn:intuitem:risk:framework:iso27001-2022
    target_framework_urn: urn:intuitem:risk:framework:nis2-directive
    requirement_mappings:
    - {{source_requirement_urn: "{ISO}:a.5.19", target_requirement_urn: "{NIS2}:21.2.d",
        relationship: subset}}
"""
    layer = parse_ciso_layer(text, catalog, name="m")
    assert layer.nodes == {}
    assert _edges(layer) == {("nis2:21.2.d", "iso27002:5.19", "superset_of", "maps_to")}


@needs_yaml
def test_a_library_of_a_known_framework_adds_no_nodes(catalog: bio2map.Catalog) -> None:
    text = f"""\
objects:
  framework:
    urn: urn:intuitem:risk:framework:nis2-directive
    ref_id: NIS2-directive
    requirement_nodes:
    - {{urn: "{NIS2}:21.2.d", ref_id: 21.2.d, assessable: true}}
  requirement_mapping_sets:
  - requirement_mappings:
    - {{source_requirement_urn: "{NIS2}:21.2.d", target_requirement_urn: "{ISO}:a.5.20",
        relationship: intersect}}
"""
    layer = parse_ciso_layer(text, catalog, name="n")
    assert layer.nodes == {}
    assert _edges(layer) == {("nis2:21.2.d", "iso27002:5.20", "intersects_with", "maps_to")}


# --- round trip and CLI ---------------------------------------------------------------


@needs_yaml
def test_round_trip_of_the_ciso_assistant_export(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    import yaml

    text = export(catalog, "ciso-assistant")
    path = tmp_path / "bio2-1.3.yaml"
    path.write_text(text, encoding="utf-8")
    layer = read_layer(path, catalog)
    assert layer.name == "bio2-1.3"
    doc = yaml.safe_load(text)
    sets = doc["objects"]["requirement_mapping_sets"]
    ref_of = {n["urn"]: str(n["ref_id"]) for n in doc["objects"]["framework"]["requirement_nodes"]}
    exported = [
        (ref_of[m["source_requirement_urn"]], m["target_requirement_urn"].rsplit(":", 1)[1])
        for s in sets
        for m in s["requirement_mappings"]
    ]
    got = [(layer.nodes[e[0]]["ref"], "a." + e[1].partition(":")[2]) for e in layer.edges]
    assert len(got) == len(exported) > 100
    assert sorted(got) == sorted(exported)
    assert {e[2:6] for e in layer.edges} == {("subset_of", "maps_to", "layer", "bio2-1.3")}
    # and against the catalog itself: one edge per BIO2 measure, to its ISO 27002 control
    measures = {(m.number, m.control) for m in catalog.measures if m.kind == "measure"}
    assert {(layer.nodes[e[0]]["ref"], e[1]) for e in layer.edges} == measures
    assert len(layer.nodes) == len(measures) + len({c for _, c in measures})


@needs_yaml
def test_cli_controls_with_a_yaml_layer(
    tmp_path: Path, catalog: bio2map.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bio2.yaml"
    path.write_text(export(catalog, "ciso-assistant"), encoding="utf-8")
    measure = catalog.measures_for("5.19")[0].number
    argv = ["controls", f"bio2-1.3:{measure}", "--layer", str(path), "--bio2", "1.3"]
    code = main([*argv, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["requirement"] == f"bio2-1.3:{measure}"
    assert [(c["id"], c["relationship"]) for c in doc["controls"]] == [
        ("iso27002:5.19", "subset_of")
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("objects: [1, 2\n", encoding="utf-8")
    code = main(["controls", "21(2)(d)", "--layer", str(bad)])
    assert code == 2
    assert "bad.yaml: line 2: YAML syntax error" in capsys.readouterr().err


# --- errors: all at once, with line and path ------------------------------------------


@needs_yaml
def test_structure_errors_have_line_and_path(catalog: bio2map.Catalog) -> None:
    text = f"""\
objects:
  framework:
    urn: urn:myorg:risk:framework:f
    ref_id: F
    requirement_nodes:
    - urn: {OWN}:1
      assessable: true
    - 7
    - {{urn: [1], assessable: maybe}}
    - ref_id: X
      assessable: yes
    - {{urn: "{OWN}:1", ref_id: Y, assessable: true}}
  requirement_mapping_sets:
  - requirement_mappings:
    - {{source_requirement_urn: "{OWN}:1", target_requirement_urn: "{ISO}:a.9.1",
        relationship: subsets}}
    - {{source_requirement_urn: "{OWN}:1", relationship: subset}}
  - name: no mappings
"""
    found = _fails(text, catalog)
    problems = "\n".join(found)
    for expected in (
        "t.yaml: line 8: objects/framework/requirement_nodes/1: expected a mapping, got int 7",
        "t.yaml: line 9: objects/framework/requirement_nodes/2/urn: expected a string, got a list",
        "t.yaml: line 9: objects/framework/requirement_nodes/2/assessable: expected true or "
        "false, got 'maybe'",
        "t.yaml: line 10: objects/framework/requirement_nodes/3/urn: missing",
        f"t.yaml: line 12: objects/framework/requirement_nodes/4/urn: duplicate URN '{OWN}:1' "
        "(first at line 6)",
        "t.yaml: line 16: objects/requirement_mapping_sets/0/requirement_mappings/0/"
        "relationship: unknown relationship 'subsets'; use one of equal, subset, superset, "
        "intersect, not_related",
        f"t.yaml: line 15: objects/requirement_mapping_sets/0/requirement_mappings/0/"
        f"target_requirement_urn: '{ISO}:a.9.1' names no node bio2map knows: unknown id "
        "'iso27002:9.1'; did you mean iso27002:",
        "t.yaml: line 17: objects/requirement_mapping_sets/0/requirement_mappings/1/"
        "target_requirement_urn: missing",
        "t.yaml: line 18: objects/requirement_mapping_sets/1/requirement_mappings: missing",
    ):
        assert expected in problems
    assert len(found) == 9  # every problem of the file at once


@needs_yaml
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "t.yaml: empty file; expected a CISO Assistant library"),
        ("- 1\n", "t.yaml: line 1: /: expected a mapping, got a list"),
        ("urn: x\n", "t.yaml: line 1: objects: missing: a CISO Assistant library keeps"),
        ("objects: []\n", "t.yaml: line 1: objects: expected a mapping, got a list"),
        ("objects: {}\n", "objects: holds neither a framework nor requirement_mapping_sets"),
        ("objects:\n  framework: 5\n", "line 2: objects/framework: expected a mapping, got int 5"),
        (
            "objects:\n  requirement_mapping_sets: {}\n",
            "line 2: objects/requirement_mapping_sets: expected a list, got a mapping",
        ),
        (
            "objects: {requirement_mapping_sets: []}\nobjects: {}\n",
            "line 2: objects: duplicate key 'objects' (first at line 1)",
        ),
        (
            "? [1]\n: 2\nobjects: {requirement_mapping_sets: []}\n",
            "line 1: /: keys must be plain strings, got a list",
        ),
        (
            "objects:\n  framework: {urn: 'urn:a:risk:framework:f', ref_id: ISO27001}\n",
            "line 2: objects/framework/ref_id: 'ISO27001' gives the id prefix 'iso27001', "
            "which is a bio2map scheme",
        ),
        (
            "objects:\n  framework: {urn: 'urn:a:risk:framework:f', ref_id: F}\n",
            "line 2: objects/framework/requirement_nodes: missing",
        ),
    ],
)
def test_structure_errors(catalog: bio2map.Catalog, text: str, expected: str) -> None:
    problems = _fails(text, catalog)
    assert len(problems) == 1
    assert expected in problems[0]


@needs_yaml
def test_unknown_urns_are_named_with_suggestions(catalog: bio2map.Catalog) -> None:
    text = _mappings(
        (f"{OWN}:1", f"{ISO}:a.5.99"),
        (f"{OWN}:1", "urn:intuitem:risk:req_node:iso27001-2013:a.5.19"),
        (f"{OWN}:1", "iso27002:5.19"),
        (f"{OWN}:404", f"{NIS2}:21.2.d"),
        (f"{OWN}:1", f"{ISO}:a.5.99"),  # reported once
    )
    first, framework, malformed, missing = _fails(text, catalog)
    assert f"'{ISO}:a.5.99' names no node bio2map knows: unknown id 'iso27002:5.99'; " in first
    assert "did you mean iso27002:5.9, " in first
    assert framework.endswith(
        "'urn:intuitem:risk:req_node:iso27001-2013:a.5.19' is a node of framework "
        "'iso27001-2013', which bio2map does not map (did you mean "
        "urn:intuitem:risk:req_node:iso27001-2022:a.5.19?); it maps iso27001-2022 (ISO/IEC "
        "27001:2022 (clauses and Annex A)), nis2-directive (NIS2 Directive, Art. 21), "
        "annex-technical-and-methodological-requirements-nis2 (Implementing Regulation (EU) "
        "2024/2690, annex)"
    )
    assert "'iso27002:5.19' is not a requirement node URN (urn:<packager>:risk:" in malformed
    assert f"'{OWN}:404' is not a requirement node of this library" in missing


@needs_yaml
def test_hierarchy_errors(catalog: bio2map.Catalog) -> None:
    text = f"""\
objects:
  framework:
    urn: urn:myorg:risk:framework:sup
    ref_id: F
    requirement_nodes:
    - {{urn: "{OWN}:a", ref_id: A, parent_urn: "{OWN}:b", assessable: true}}
    - {{urn: "{OWN}:b", ref_id: B, parent_urn: "{OWN}:a", assessable: true}}
    - {{urn: "{OWN}:c", ref_id: C, parent_urn: "{OWN}:zz", assessable: true}}
    - {{urn: "{OWN}:d", ref_id: A, assessable: true}}
"""
    twice, orphan, cycle = _fails(text, catalog)
    nodes = "t.yaml: line {}: objects/framework/requirement_nodes/{}"
    assert twice.startswith(nodes.format(9, "3/ref_id: two nodes would get the id 'f:A'"))
    assert orphan == nodes.format(8, "2/parent_urn") + (
        f": no requirement node of this framework has the URN '{OWN}:zz'"
    )
    assert cycle.startswith(nodes.format(6, "0/parent_urn: parent_urn makes a cycle through"))


@needs_yaml
def test_mapping_between_own_nodes_is_refused(catalog: bio2map.Catalog) -> None:
    problems = _fails(_mappings((f"{OWN}:1", f"{OWN}:1")), catalog)
    assert problems == [
        "t.yaml: line 13: objects/requirement_mapping_sets/0/requirement_mappings/0: both "
        "ends are nodes of this library's own framework; a layer maps them to ISO/IEC "
        "27001/27002, NIS2 or 2024/2690"
    ]


# --- safety ---------------------------------------------------------------------------


@needs_yaml
@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!custom 1",
        "!!set {{a, b}}",
    ],
)
def test_tags_are_refused_and_nothing_runs(
    tmp_path: Path, catalog: bio2map.Catalog, payload: str
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text("objects:\n  framework: " + payload.format(marker=marker) + "\n")
    with pytest.raises(DataErrorGroup) as exc:
        read_layer(path, catalog)
    (problem,) = _problems(exc)
    assert f"{path}: line 2: YAML tag '" in problem
    assert "is not allowed: a layer holds plain data" in problem
    assert not marker.exists()


@needs_yaml
def test_alias_bomb_is_refused_at_the_first_anchor(catalog: bio2map.Catalog) -> None:
    # "billion laughs": 10 levels of 9 aliases each would expand to 9**10 strings
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    problems = _fails("\n".join(lines) + "\nobjects: *a9\n", catalog)
    assert problems == ["t.yaml: line 1: YAML anchor &a0 is not allowed: layers take no aliases"]


@needs_yaml
def test_alias_is_refused(catalog: bio2map.Catalog) -> None:
    assert _fails("objects: *nowhere\n", catalog) == [
        "t.yaml: line 1: YAML alias *nowhere is not allowed: write the value out"
    ]
    assert "YAML merge keys (<<) are not allowed" in _fails("<<: {a: 1}\nobjects: {}\n", catalog)[0]


@needs_yaml
def test_node_count_is_capped(catalog: bio2map.Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    # 500,000 scalars take the pure-Python composer many seconds; the cap stops at 1,001
    monkeypatch.setattr(ciso, "MAX_NODES", 1000)
    text = "objects: [" + "0, " * 500_000 + "]\n"
    assert _fails(text, catalog) == [
        "t.yaml: line 1: more than 1000 YAML nodes; a layer may hold at most that many"
    ]


@needs_yaml
def test_nesting_is_capped(catalog: bio2map.Catalog) -> None:
    assert _fails("objects: " + "[" * 200_000, catalog) == [
        f"t.yaml: line 1: YAML nested more than {ciso.MAX_DEPTH} levels deep"
    ]


@needs_yaml
def test_big_file_is_refused_before_it_is_read(
    tmp_path: Path, catalog: bio2map.Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(ciso.MAX_BYTES + 1)  # sparse: costs no disk and no time

    def never(*args: object, **kwargs: object) -> None:
        msg = "the file was opened"
        raise AssertionError(msg)

    monkeypatch.setattr(Path, "open", never)
    with pytest.raises(DataErrorGroup) as exc:
        read_ciso_layer(path, catalog, name="big")
    assert _problems(exc) == [
        f"{path}: {ciso.MAX_BYTES + 1} bytes; a CISO Assistant layer may be at most "
        f"{ciso.MAX_BYTES}"
    ]
    with pytest.raises(DataErrorGroup):
        parse_ciso_layer(" " * (ciso.MAX_BYTES + 1), catalog, name="big")


@needs_yaml
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"objects:\n  framework: caf\xe9\n", "line 2: not UTF-8 text (invalid continuation byte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file; expected YAML text"),
        (b"objects: {}\n\x07\n", "line 2: character '\\x07' is not allowed in YAML"),
    ],
)
def test_undecodable_files(
    tmp_path: Path, catalog: bio2map.Catalog, data: bytes, expected: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    with pytest.raises(DataErrorGroup) as exc:
        read_layer(path, catalog)
    (problem,) = _problems(exc)
    assert problem.startswith(str(path))
    assert expected in problem


@needs_yaml
def test_bom_and_missing_file(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff".encode() + _mappings((f"{OWN}:1", f"{ISO}:a.5.1")).encode())
    assert len(read_ciso_layer(path, catalog, name="bom").edges) == 1
    with pytest.raises(DataErrorGroup) as exc:
        read_ciso_layer(tmp_path / "nope.yaml", catalog, name="nope")
    assert "No such file or directory" in _problems(exc)[0]


@needs_yaml
def test_syntax_error_has_the_line(catalog: bio2map.Catalog) -> None:
    (problem,) = _fails("objects:\n  framework:\n    urn: [a\n    ref_id: b\n", catalog)
    assert problem.startswith("t.yaml: line 4: YAML syntax error:")


def test_without_pyyaml(
    tmp_path: Path, catalog: bio2map.Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now raises ImportError
    path = tmp_path / "lib.yaml"
    path.write_text("objects: {}\n", encoding="utf-8")
    with pytest.raises(DataErrorGroup) as exc:
        read_layer(path, catalog)
    assert _problems(exc) == [
        f"{path}: reading CISO Assistant YAML needs PyYAML: pip install 'bio2map[yaml]'"
    ]
    with pytest.raises(DataErrorGroup) as exc:
        parse_ciso_layer("objects: {}\n", catalog, name="x")
    assert "pip install 'bio2map[yaml]'" in str(exc.value)


# --- helpers --------------------------------------------------------------------------


def _one_mapping(source: str, target: str, relationship: str = "subset") -> str:
    return _mappings((source, target), relationship=relationship)


def _mappings(*pairs: tuple[str, str], relationship: str = "subset") -> str:
    rows = "".join(
        f"    - source_requirement_urn: {s}\n"
        f"      target_requirement_urn: {t}\n"
        f"      relationship: {relationship}\n"
        for s, t in pairs
    )
    return f"""\
objects:
  framework:
    urn: urn:myorg:risk:framework:sup
    ref_id: F
    requirement_nodes:
    - urn: {OWN}:1
      ref_id: X-1
      assessable: true
  requirement_mapping_sets:
  - urn: urn:myorg:risk:req_mapping_set:x
    source_framework_urn: urn:myorg:risk:framework:sup
    requirement_mappings:
{rows}"""


@needs_yaml
def test_problems_past_the_cap_are_counted(catalog: bio2map.Catalog) -> None:
    text = _mappings(*((f"{OWN}:1", f"{ISO}:a.5.19") for _ in range(1200)), relationship="same")
    with pytest.raises(DataErrorGroup) as e:
        parse_ciso_layer(text, catalog, name="t")
    problems = [str(x) for x in e.value.exceptions]
    assert len(problems) == 1001
    assert problems[0].endswith(
        "relationship: unknown relationship 'same'; use one of "
        "equal, subset, superset, intersect, not_related"
    )
    assert problems[-1] == "<string>: and 200 more problems (the first 1000 are listed)"


@needs_yaml
@pytest.mark.parametrize(
    ("pair", "edge"),
    [
        pytest.param(
            (f"{ISO}:a.5.19", f"{ISO}:a.5.20"),
            ("iso27002:5.19", "iso27002:5.20", "subset_of", "relates_to"),
            id="control -> control: a side link",
        ),
        pytest.param(
            (f"{NIS2}:21.2.d", f"{ANNEX}:5.1.1"),
            ("ir2690:5.1.1", "nis2:21.2.d", "superset_of", "implements"),
            id="NIS2 -> annex: turned round",
        ),
    ],
)
def test_ciso_edges_follow_the_layer_rules(
    catalog: bio2map.Catalog, pair: tuple[str, str], edge: tuple[str, ...]
) -> None:
    layer = parse_ciso_layer(_mappings(pair), catalog, name="t")
    assert [e[:4] for e in layer.edges] == [edge]
    assert list(layer.lines) == [13]  # the line of the mapping


@needs_yaml
def test_a_ciso_self_loop_is_refused(catalog: bio2map.Catalog) -> None:
    with pytest.raises(DataErrorGroup) as e:
        parse_ciso_layer(_mappings((f"{ISO}:a.5.19", f"{ISO}:a.5.19")), catalog, name="t")
    assert [str(x) for x in e.value.exceptions] == [
        "<string>: line 13: objects/requirement_mapping_sets/0/requirement_mappings/0: "
        "links iso27002:5.19 to itself"
    ]
