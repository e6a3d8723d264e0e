"""User mapping layers (CSV/TSV with SSSOM columns)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.errors import DataErrorGroup
from bio2map.formats.layers import parse_layer, read_layer

LAYER = """# mapping_set_id: https://example.org/myorg
subject_id,subject_label,predicate_id,object_id,source,confidence,comment
myorg:SUP-01,supplier register,skos:exactMatch,A.5.19,internal framework v3,0.9,
myorg:SUP-01,,bio2map:subset_of,21(2)(d),,,
myorg:SUP-02,supplier audits,skos:broadMatch,5.22,internal framework v3,,audits yearly
nis2:21.2.d,,subset_of,iso27002:5.23,auditor,,
"""


@pytest.fixture
def layer_file(tmp_path: Path) -> Path:
    p = tmp_path / "myorg.csv"
    p.write_text(LAYER, encoding="utf-8")
    return p


def test_layer_nodes_edges_and_provenance(layer_file: Path) -> None:
    cat = bio2map.load("1.3", layers=[layer_file])
    assert cat.layers == ("myorg",)
    node = cat.get("myorg:SUP-01")
    assert isinstance(node, bio2map.Requirement)
    assert (node.framework, node.ref, node.label) == ("myorg", "SUP-01", "supplier register")
    ans = cat.controls_for("myorg:SUP-01")
    assert [(c.id, c.relationship) for c in ans.controls] == [("iso27002:5.19", "equal")]
    assert ans.controls[0].sources == (
        "confidence: 0.9",
        "layer myorg: internal framework v3",
    )
    edges = [m for m in cat.mappings if m.dataset == "myorg"]
    assert len(edges) == 4
    assert {m.kind for m in edges} == {"maps_to", "implements"}
    sup2 = next(m for m in edges if m.source == "myorg:SUP-02")
    assert sup2.relationship == "subset_of"  # skos:broadMatch: the object is broader
    assert "comment: audits yearly" in sup2.sources


def test_layer_can_make_coverage_full(layer_file: Path) -> None:
    base = bio2map.load("1.3")
    cat = base.with_layers(layer_file)
    ids = ["5.19", "5.20", "5.21", "5.22", "5.23", "8.30"]
    d = next(p for p in cat.coverage(ids).points if p.id == "nis2:21.2.d")
    assert (d.status, d.share) == ("full", 1.0)  # the layer states containment
    d0 = next(p for p in base.coverage(ids).points if p.id == "nis2:21.2.d")
    assert d0.status == "partial"  # the packaged data alone never does
    assert cat.select_layers(exclude=["myorg"]).layers == ()
    assert cat.select_layers(include=["myorg"]).layers == ("myorg",)
    with pytest.raises(KeyError):
        cat.select_layers(include=["nope"])
    # the base catalog is untouched
    assert "myorg:SUP-01" not in base


def test_tsv_layer(tmp_path: Path) -> None:
    p = tmp_path / "auditor.tsv"
    p.write_text(
        "subject_id\tpredicate_id\tobject_id\nA.8.5\tskos:relatedMatch\tnis2:21.2.j.comms\n",
        encoding="utf-8",
    )
    cat = bio2map.load().with_layers(p)
    # stated control first: kept turned round, requirement first, and followed
    ans = cat.controls_for("nis2:21.2.j.comms")
    assert [(c.id, c.relationship) for c in ans.controls] == [("iso27002:8.5", "intersects_with")]
    assert [(m.source, m.target, m.kind) for m in cat.mappings if m.dataset == "auditor"] == [
        ("nis2:21.2.j.comms", "iso27002:8.5", "maps_to")
    ]


def test_broken_layer_reports_everything(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(
        "subject_id,predicate_id,object_id,confidence\n"
        "myorg:A,skos:exactMatch,5.99,\n"
        "myorg:A,sameish,5.19,\n"
        "myorg:A,equal,,\n"
        "myorg:A,equal,5.19,2\n"
        "myorg:B,equal,5.19,\n"
        "myorg:B,equal,A.5.19,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load().with_layers(p)
    text = str(e.value)
    for fragment in (
        "bad.csv: line 2: object_id: unknown id '5.99'",
        "bad.csv: line 3: predicate_id: unknown predicate 'sameish'",
        "bad.csv: line 4: object_id: empty cell",
        "bad.csv: line 5: confidence: '2' is not a number from 0 to 1",
        "bad.csv: line 7: subject_id: duplicate mapping myorg:B equal iso27002:5.19",
    ):
        assert fragment in text, text
    assert "layer 'bad' is broken" in text


def test_bad_files(tmp_path: Path) -> None:
    cat = bio2map.load()
    with pytest.raises(DataErrorGroup) as e1:
        parse_layer(["subject_id,predicate_id\n"], cat, name="x")
    assert "<string>: line 1: object_id: the header has no object_id column" in str(e1.value)
    with pytest.raises(DataErrorGroup) as e2:
        parse_layer(["# only metadata\n"], cat, name="x")
    assert "no header row" in str(e2.value)
    b = tmp_path / "b.csv"
    b.write_bytes(b"\x00\x01binary")
    with pytest.raises(DataErrorGroup) as e3:
        read_layer(b, cat)
    assert "b.csv: binary file" in str(e3.value)
    with pytest.raises(DataErrorGroup) as e4:
        read_layer(tmp_path / "missing.csv", cat)
    assert "missing.csv: No such file" in str(e4.value)


def test_duplicate_layer_names(layer_file: Path) -> None:
    cat = bio2map.load().with_layers(layer_file)
    with pytest.raises(DataErrorGroup) as e:
        cat.with_layers(layer_file)
    assert "name: a layer 'myorg' is loaded" in str(e.value)


def test_cli_layer_option(layer_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["controls", "myorg:SUP-01", "--layer", str(layer_file), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["id"] for c in doc["controls"]] == ["iso27002:5.19"]
    code = main(["controls", "myorg:SUP-01", "--format", "json"])
    assert code == 2
    assert "unknown requirement id 'myorg:SUP-01'" in capsys.readouterr().err
    bad = layer_file.with_name("bad.csv")
    bad.write_text("subject_id,predicate_id,object_id\nmyorg:A,equal,5.99\n", encoding="utf-8")
    code = main(["requirements", "5.19", "--layer", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.csv: line 2: object_id: unknown id '5.99'" in err


def test_a_large_garbage_file_fails_fast(tmp_path: Path) -> None:
    p = tmp_path / "garbage.csv"
    row = "myorg:x,frobnicates,nothing-like-an-id\n"
    with p.open("w", encoding="utf-8") as f:
        f.write("subject_id,predicate_id,object_id\n")
        f.write(row * (50 * 1024 * 1024 // len(row)))  # 50 MB
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load().with_layers(p)
    problems = e.value.exceptions
    assert len(problems) == 201  # reading stops after 200 problems, and counts the rest
    rows = 50 * 1024 * 1024 // len(row)  # line 2 has two problems (the id and the predicate)
    assert str(problems[-1]) == (
        f"{p}: line 201: and {rows - 199} more lines not checked (stopped after 200 problems)"
    )
    assert str(problems[0]).startswith(f"{p}: line 2: predicate_id: unknown predicate")


def test_layer_node_mapped_to_an_annex_requirement(tmp_path: Path) -> None:
    p = tmp_path / "org.csv"
    p.write_text(
        "subject_id,predicate_id,object_id\norg:R1,subset_of,2024/2690 5.2(a)\n", encoding="utf-8"
    )
    cat = bio2map.load().with_layers(p)
    ans = cat.controls_for("org:R1")
    assert [c.id for c in ans.controls] == ["iso27002:5.22"]
    assert all(c.relationship == "intersects_with" for c in ans.controls)
    assert all("ir2690:5.2.a" in c.via for c in ans.controls)


def test_export_with_a_layer(layer_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--format", "sssom", "--layer", str(layer_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "#   myorg: https://w3id.org/bio2map/id/myorg/" in out
    rows = [r for r in out.splitlines() if r.startswith("myorg:SUP-01\t")]
    assert len(rows) == 2
    assert any("\tskos:exactMatch\t" in r and "\tiso27002:5.19\t" in r for r in rows)


# --- round trips: what bio2map writes, it reads back ---------------------------------------

LABELS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "@x", "-2+3", 'say "hi"', "'quoted", "-0.5", "plain"]


def _own_layer(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject_id", "subject_label", "predicate_id", "object_id", "comment"])
        for i, label in enumerate(LABELS):
            w.writerow([f"myorg:L{i}", label, "intersects_with", "5.19", ""])
        w.writerow(["myorg:L0", "", "not_related", "21(2)(d)", "=1+1"])


def test_the_sssom_export_reads_back_as_a_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "myorg.csv"
    _own_layer(src)
    base = bio2map.load("1.3")
    first = base.with_layers(src)
    code = main(["export", "--format", "sssom", "--layer", str(src)])
    text = capsys.readouterr().out
    assert code == 0
    assert "\t'=cmd|' /C calc'!A0\t" in text  # defused for spreadsheets
    assert '\t"say ""hi"""\t' in text  # quoted by the TSV writer
    lines = text.splitlines(keepends=True)
    header = next(ln for ln in lines if ln.startswith("subject_id\t"))
    column = header.rstrip("\n").split("\t").index("dataset")
    ours = [ln for ln in lines if ln.count("\t") >= column and ln.split("\t")[column] == "myorg"]
    again = tmp_path / "again.tsv"
    again.write_text("".join([ln for ln in lines if ln.startswith("#")] + [header, *ours]), "utf-8")
    layer = read_layer(again, base)
    assert [layer.nodes[f"myorg:L{i}"]["label"] for i in range(len(LABELS))] == LABELS
    edges = {(e[0], e[1], e[2], e[3]) for e in layer.edges}
    assert edges == {
        (m.source, m.target, m.relationship, m.kind) for m in first.mappings if m.dataset == "myorg"
    }
    assert ("myorg:L0", "nis2:21.2.d", "not_related", "maps_to") in edges  # predicate_modifier Not


def test_defused_csv_cells_read_back(tmp_path: Path) -> None:
    from bio2map.formats.common import defuse

    p = tmp_path / "defused.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["subject_id", "subject_label", "predicate_id", "object_id", "source", "comment"]
        )
        for i, label in enumerate(LABELS):
            w.writerow([defuse(c) for c in (f"myorg:L{i}", label, "equal", "5.19", "@src", "=c")])
    layer = read_layer(p, bio2map.load("1.3"))
    assert [layer.nodes[f"myorg:L{i}"]["label"] for i in range(len(LABELS))] == LABELS
    assert layer.edges[0][6] == ("layer defused: @src", "comment: =c")


def test_predicate_modifier(tmp_path: Path) -> None:
    p = tmp_path / "mod.tsv"
    p.write_text(
        "subject_id\tpredicate_id\tpredicate_modifier\tobject_id\n"
        "myorg:A\tskos:relatedMatch\tNot\t5.19\n"
        "myorg:A\tskos:exactMatch\tNot\t5.20\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrorGroup) as e:
        read_layer(p, bio2map.load("1.3"))
    assert [str(x) for x in e.value.exceptions] == [
        f"{p}: line 3: predicate_modifier: 'Not' with 'skos:exactMatch': bio2map reads only "
        "'Not' with skos:relatedMatch (not_related)"
    ]
