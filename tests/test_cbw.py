"""The ADR & NOREA Cbw (NIS2) Control Framework in the graph: counts, ids, labels and
queries both ways (issue 12)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.ids import readings
from bio2map.core.reader import read_manifest
from tests.conftest import REPO

ATTRIBUTION = "ADR & NOREA, Cbw (NIS2) Control Framework (2025), CC-BY 4.0 licensed"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_counts_licence_and_attribution(catalog: bio2map.Catalog) -> None:
    ds = next(d for d in read_manifest().datasets if d.name == "cbwcf")
    counts = dict(ds.counts)
    assert counts["nodes"] == 47
    assert counts["assessable"] == 27
    assert (counts["groups"], counts["themes"], counts["controls"]) == (3, 17, 27)
    assert ds.licence == "CC BY 4.0"
    assert ds.attribution == ATTRIBUTION
    nodes = catalog.cbw_framework()
    assert len(nodes) == 47
    assert Counter(n.kind for n in nodes) == {"group": 3, "theme": 17, "control": 27}
    assert sum(1 for n in nodes if n.assessable) == 27
    assert all(n.framework == "cbwcf" for n in nodes)
    # the framework is not a NIS2 or 2024/2690 requirement list
    assert not any(r.id.startswith("cbwcf:") for r in catalog.requirements)


def test_labels_are_ours_short_and_in_two_languages(catalog: bio2map.Catalog) -> None:
    text = (REPO / "tasks" / "labels" / "cbw_labels.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 27
    for n in catalog.cbw_framework():
        assert 0 < len(n.label.split()) <= 8, n.id
        assert 0 < len(n.label_nl.split()) <= 8, n.id
    assert catalog.get("cbwcf:6").label == "Supply chain security"
    assert catalog.get("cbwcf:6").label_nl == "Beveiliging van de toeleveringsketen"
    assert catalog.get("cbwcf:14").label == "board training"  # the source name is a sentence


@pytest.mark.parametrize("text", ["cbwcf:6.1", "Cbw CF 6.1", "cbwcf 6.1", "CbwCF 6.1"])
def test_lenient_framework_ids(catalog: bio2map.Catalog, text: str) -> None:
    assert catalog.resolve(text) == "cbwcf:6.1"


def test_framework_ids_are_not_cbw_articles(catalog: bio2map.Catalog) -> None:
    assert readings("cbw:21") == (("cbw:21",),)
    assert readings("Cbw 24") == (("cbw:24",),)
    assert catalog.resolve("Cbw CF 14") == "cbwcf:14"
    assert catalog.get("cbwcf:zorgplicht").law == ("cbw:21",)
    assert catalog.get("cbwcf:14.1").law == ("cbw:24",)
    assert catalog.get("cbwcf:16.1").law == ("cbw:25",)


def test_links_groups_to_cbw_articles_to_nis2(catalog: bio2map.Catalog) -> None:
    links = [m for m in catalog.mappings if m.kind == "evaluates"]
    to_cbw = {(m.source, m.target, m.basis) for m in links if m.target.startswith("cbw:")}
    assert to_cbw == {
        ("cbwcf:zorgplicht", "cbw:21", "explicit_node_name"),
        ("cbwcf:governance", "cbw:24", "explicit_node_name"),
        ("cbwcf:meldplicht", "cbw:25", "explicit_node_name"),
    }
    transposes = {(m.source, m.target) for m in catalog.mappings if m.kind == "transposes"}
    assert {("cbw:21", "nis2:21"), ("cbw:24", "nis2:20"), ("cbw:25", "nis2:23")} <= transposes
    points = [m for m in links if m.target.startswith("nis2:")]
    assert len(points) == 12
    assert {m.basis for m in points} == {"inferred_theme"}
    assert ("cbwcf:6", "nis2:21.2.d") in {(m.source, m.target) for m in points}
    assert all(ATTRIBUTION in m.sources for m in links)


def test_controls_behind_a_framework_control(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("cbwcf:6.1")
    ids = [c.id for c in ans.controls]
    assert ids == [c.id for c in catalog.controls_for("21(2)(d)").controls]
    assert "iso27002:5.19" in ids
    m = next(c for c in ans.controls if c.id == "iso27002:5.19")
    assert "nis2:21.2.d" in m.via
    assert ATTRIBUTION in m.sources
    assert m.measures  # BIO2 measures too
    assert catalog.controls_for("cbwcf:15.1").controls == ()
    assert catalog.get("cbwcf:15.1").addressed_by == "process"


def test_requirements_lists_the_framework_controls(catalog: bio2map.Catalog) -> None:
    ans = catalog.requirements_for("5.19")
    assert [m.id for m in ans.cbw_framework] == [
        "cbwcf:1.1",
        "cbwcf:2.1",
        "cbwcf:6.1",
        "cbwcf:6.2",
        "cbwcf:6.3",
    ]
    assert ans.cbw_framework[2].via == ("nis2:21.2.d",)
    assert ans.as_dict()["cbw_framework"][2]["label_nl"].startswith("beleid voor ketenbeveiliging")


def test_uncovered_names_the_cbw_handling_of_art_20_and_23(catalog: bio2map.Catalog) -> None:
    handled = {h.requirement.id: h for h in catalog.uncovered().cbw_framework}
    assert set(handled) >= {"nis2:20", "nis2:23"}
    assert handled["nis2:20"].law == ("cbw:24",)
    assert [c.id for c in handled["nis2:20"].controls] == ["cbwcf:14.1", "cbwcf:14.2"]
    assert [c.id for c in handled["nis2:23"].controls] == ["cbwcf:15.1", "cbwcf:16.1", "cbwcf:17.1"]


def test_cbw_coverage(catalog: bio2map.Catalog) -> None:
    soa = {"5.19": "implemented", "5.20": "implemented", "5.21": "partial"}
    cov = catalog.cbw_coverage(soa)
    assert len(cov.items) == 27
    by = {i.control.id: i for i in cov.items}
    supply = by["cbwcf:6.1"]
    assert supply.evidence == "soa"
    assert supply.status == "partial"
    assert dict(supply.statuses)["iso27002:5.21"] == "partial"
    assert "iso27002:5.21" in supply.missing
    for cid in ("cbwcf:13.1", "cbwcf:14.1", "cbwcf:14.2", "cbwcf:15.1", "cbwcf:16.1", "cbwcf:17.1"):
        assert (by[cid].evidence, by[cid].status) == ("process", "process")
    assert "reporting" in by["cbwcf:15.1"].note
    assert cov.summary()["process"] == 6
    assert by["cbwcf:9.1"].status == "none"
    assert "--include-clauses" in by["cbwcf:3.1"].note  # 21(2)(f): only clauses
    with_clauses = catalog.cbw_coverage({**soa, "9.1": "implemented"}, include_clauses=True)
    assert next(i for i in with_clauses.items if i.control.id == "cbwcf:3.1").status == "partial"


def test_cli_both_ways(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "controls", "cbwcf:6.1", "--format", "json")
    assert code == 0
    assert "iso27002:5.19" in [c["id"] for c in json.loads(out)["controls"]]
    code, out, _ = run(capsys, "controls", "Cbw CF 16.1")
    assert code == 0
    assert "only the organisation's own process" in out
    code, out, _ = run(capsys, "requirements", "5.19")
    assert "Cbw (NIS2) Control Framework controls A.5.19 helps with" in out
    assert "cbwcf:6.2" in out
    code, out, _ = run(capsys, "uncovered", "--format", "json")
    doc = json.loads(out)
    art20 = next(h for h in doc["cbw_framework"] if h["requirement"] == "nis2:20")
    assert [c["id"] for c in art20["framework_controls"]] == ["cbwcf:14.1", "cbwcf:14.2"]
    code, out, _ = run(capsys, "uncovered")
    assert "cbwcf:15.1" in out
    soa = tmp_path / "vvt.csv"
    soa.write_text("control,status\nA.5.19,implemented\n5.20,implemented\n", encoding="utf-8")
    code, out, _ = run(capsys, "gaps", "--soa", str(soa), "--against", "cbw", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["against"] == "cbwcf"
    assert doc["summary"]["controls"] == 27
    assert doc["attribution"] == ATTRIBUTION
    code, out, _ = run(capsys, "gaps", "--soa", str(soa), "--against", "cbw")
    assert "only the incident reporting process" in out
    code, _, err = run(capsys, "gaps", "--soa", str(soa), "--against", "cbw", "--fail-under", "1")
    assert code == 2
    assert "--against nis2 only" in err


def test_show_a_framework_control(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Cbw CF 6.1", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["is"] == "a Cbw framework control"
    assert "iso27002:5.19" in [x["id"] for x in doc["links"]]
    assert {x["basis"] for x in doc["links"]} == {"inferred_theme"}


def test_basis_explicit_leaves_out_our_reading(catalog: bio2map.Catalog) -> None:
    assert catalog.requirements_for("5.19", basis="explicit").cbw_framework == ()
    assert catalog.controls_for("cbwcf:6.1", basis="explicit").controls == ()
    assert catalog.controls_for("cbwcf:6.1", basis="all").controls
