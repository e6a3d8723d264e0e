"""Loading the packaged data: counts, integrity, caching and broken data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import bio2map
from bio2map.core import resources as _resources
from bio2map.core.errors import DataError, DataErrorGroup, UnknownVersionError
from bio2map.core.records import RELATIONSHIPS, Control, Measure, Requirement
from tests.conftest import REPO, needs_shared

DATA = Path(_resources.data_dir())


def test_default_is_latest_definitive_draft() -> None:
    cat = bio2map.load()
    assert cat.bio2_version == "1.3"
    assert cat.draft.status == "definitief"
    assert cat is bio2map.load("1.3")  # cached


def test_manifest_counts() -> None:
    man = bio2map.read_manifest()
    counts = {d.name: dict(d.counts) for d in man.datasets}
    assert counts["ir2690"] == {
        "requirements": 439,
        "sections": 13,
        "subsections": 47,
        "paragraphs": 162,
        "points": 205,
        "subpoints": 12,
        "assessable": 351,
    }
    assert counts["iso27001-2022"] == {
        "clauses": 41,
        "themes": 4,
        "controls": 93,
        "organizational": 37,
        "people": 8,
        "physical": 14,
        "technological": 34,
    }
    enisa = counts["enisa-ir2690-iso27001"]
    assert (enisa["pairs"], enisa["to_controls"], enisa["to_clauses"]) == (926, 731, 195)
    assert (enisa["source_rows"], enisa["annex_nodes_mapped"], enisa["controls_targeted"]) == (
        954,
        325,
        69,
    )
    nis2 = counts["nis2"]
    assert nis2["article_21_2_points"] == 10
    assert nis2["article_21_nodes"] == 19  # 17 reference nodes + the two parts of 21(2)(j)
    assert nis2["article_20_nodes"] == 3
    assert nis2["article_23_nodes"] == 17
    assert counts["bio2-1.3"]["measure_ids"] == 166
    assert counts["bio2-1.2"]["measure_ids"] == 160
    assert [d.slug for d in man.drafts] == [
        "2024-06-draft",
        "2024-10-consultation",
        "2025-03-concept",
        "1.1",
        "1.1.1",
        "1.2",
        "1.3",
    ]


def test_loaded_counts_match_manifest(catalog: bio2map.Catalog) -> None:
    nodes = catalog.nodes()
    kinds = Counter(
        (type(n).__name__, getattr(n, "framework", ""), n.kind)
        for n in nodes
        if getattr(n, "standard", "") != "iso27001-2013"  # the 2013 edition: test_migrate.py
    )
    assert sum(v for (t, f, _), v in kinds.items() if t == "Requirement" and f == "ir2690") == 439
    assert kinds[("Control", "", "control")] == 93
    assert kinds[("Control", "", "clause")] == 41
    assert kinds[("Control", "", "theme")] == 4
    assert len(catalog.controls) == 93
    maps = [m for m in catalog.mappings if m.kind == "maps_to"]
    assert Counter(m.basis for m in maps) == {"source_mapping": 926, "section_table": 74}
    assert {m.relationship for m in maps} == {"intersects_with"}
    assert len(catalog.measures) == 166
    themes = Counter(c.theme for c in catalog.controls)
    assert themes == {"organizational": 37, "people": 8, "physical": 14, "technological": 34}


@pytest.mark.parametrize(
    "slug",
    ["2024-06-draft", "2024-10-consultation", "2025-03-concept", "1.1", "1.1.1", "1.2", "1.3"],
)
def test_every_draft_loads_with_manifest_counts(slug: str) -> None:
    cat = bio2map.load(slug)
    counts = dict(cat.draft.counts)
    ms = cat.measures
    assert len(ms) == counts["entries"]
    assert sum(1 for m in ms if m.numbered) == counts["measure_ids"]
    assert sum(1 for m in ms if m.kind == "measure") == counts["measures"]
    assert sum(1 for m in ms if m.kind == "no-measure") == counts["no_measure"]
    assert all(m.draft == slug for m in ms)


def test_referential_integrity(catalog: bio2map.Catalog) -> None:
    ids = {n.id for n in catalog.nodes()}
    for m in catalog.mappings:
        assert m.source in ids, m
        assert m.target in ids, m
        assert m.relationship in RELATIONSHIPS
        assert m.sources, m
    for n in catalog.nodes():
        parent = getattr(n, "parent", None)
        assert parent is None or parent in ids, n
        if isinstance(n, Measure):
            assert n.control in ids
            assert n.control == "iso27002:" + ".".join(str(int(p)) for p in n.number.split(".")[:2])


def test_every_annex_node_implements_a_point(catalog: bio2map.Catalog) -> None:
    for r in catalog.requirements:
        if r.framework == "ir2690":
            assert r.points, r.id
            assert r.basis in {"section_heading", "explicit_text", "inferred_subject"}
            for p in r.points:
                assert isinstance(catalog.get(p), Requirement)


def test_nis2_obligations_left_to_the_law(catalog: bio2map.Catalog) -> None:
    art23 = catalog.get("Art. 23(4)(a)")
    assert isinstance(art23, Requirement)
    assert art23.addressed_by == "legislation"
    assert art23.law == ("cbw:25",)
    assert catalog.get("Art. 20(2)").law == ("cbw:24",)  # type: ignore[union-attr]
    comms = catalog.get("nis2:21.2.j.comms")
    assert isinstance(comms, Requirement)
    assert comms.parent == "nis2:21.2.j"
    assert comms.addressed_by == "controls"


def test_control_attributes_are_marked_unverified(catalog: bio2map.Catalog) -> None:
    c = catalog.get("5.19")
    assert isinstance(c, Control)
    assert c.ref == "A.5.19"
    assert c.attributes is not None
    assert c.attributes.verified is False
    assert c.attributes.control_type == ("Preventive",)
    assert c.attributes.operational_capabilities == ("Supplier_relationships_security",)


def test_unknown_version() -> None:
    with pytest.raises(UnknownVersionError) as e:
        bio2map.load("9.9")
    assert "unknown BIO2 version '9.9'" in str(e.value)
    assert "1.3" in e.value.known


@pytest.mark.parametrize("label", ["1.3", "BIO2 versie 1.3", "versie 1.3", "v1.3", "BIO2 1.3"])
def test_version_spellings(label: str) -> None:
    assert bio2map.load(label).bio2_version == "1.3"


def test_catalog_is_immutable(catalog: bio2map.Catalog) -> None:
    with pytest.raises(AttributeError):
        catalog.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        bio2map.Catalog()


def test_no_networkx_or_attrs_on_the_cold_path() -> None:
    code = (
        "import sys, bio2map; c = bio2map.load(); c.controls_for_data('21(2)(d)');"
        "print(sorted(m for m in ('networkx', 'attrs', 'attr') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- broken data ----------------------------------------------------------------------


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, change: object) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_corrupted_data_reports_every_problem(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)

    def nis2(doc: dict) -> None:  # type: ignore[type-arg]
        doc["requirements"][3]["parent"] = "nis2:99"
        doc["requirements"][4]["kind"] = "chapter"
        doc["requirements"][5]["assessable"] = "yes"

    def enisa(doc: dict) -> None:  # type: ignore[type-arg]
        doc["pairs"][12][1] = "iso27002:5.99"
        doc["pairs"][13][2] = "intersect"
        doc["pairs"].append(doc["pairs"][0])

    def bio2(doc: dict) -> None:  # type: ignore[type-arg]
        doc["measures"][41]["control"] = "5.99"
        doc["measures"][42]["id"] = doc["measures"][43]["id"]
        del doc["measures"][44]["kind"]

    _edit(data / "nis2.json", nis2)
    _edit(data / "enisa-ir2690-iso27001.json", enisa)
    _edit(data / "bio2-1.3.json", bio2)
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load("1.3", data_dir=data)
    messages = [str(x) for x in e.value.exceptions]
    text = "\n".join(messages)
    assert all(isinstance(x, DataError) for x in e.value.exceptions)
    expected = [
        "nis2.json: sha256: file does not match the manifest",
        "nis2.json: /requirements/3/parent: unknown id 'nis2:99'",
        "nis2.json: /requirements/4/kind: 'chapter' must be one of",
        "nis2.json: /requirements/5/assessable: expected bool, got str 'yes'",
        "enisa-ir2690-iso27001.json: /pairs/12/1: unknown id 'iso27002:5.99'",
        "enisa-ir2690-iso27001.json: /pairs/13/2: relationship: 'intersect' must be one of",
        "enisa-ir2690-iso27001.json: /pairs/926: duplicate pair",
        "bio2-1.3.json: /measures/41/control: unknown id 'iso27002:5.99'",
        f"bio2-1.3.json: /measures/43/id: duplicate id 'bio2:{_measure_id(data, 43)}'",
        "bio2-1.3.json: /measures/44/kind: missing field",
    ]
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in\n{text}"
    assert "the bio2map data is broken" in str(e.value)
    # one problem, one message: a missing field is not also reported as a bad value
    assert sum("/measures/44/kind" in m for m in messages) == 1


def _measure_id(data: Path, i: int) -> str:
    return str(
        json.loads((data / "bio2-1.3.json").read_text(encoding="utf-8"))["measures"][i]["id"]
    )


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "ir2690.json").write_text('{"requirements": [', encoding="utf-8")
    (data / "iso27001-2022.json").unlink()
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load("1.2", data_dir=data)
    text = str(e.value)
    assert "ir2690.json: line 1 column 19: invalid JSON" in text
    assert "iso27001-2022.json: cannot read" in text


def test_unknown_keys_are_rejected_with_file_and_pointer(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)

    def ir(doc: dict) -> None:  # type: ignore[type-arg]
        doc["requirements"][7]["lable"] = "typo"
        doc["extra"] = 1

    def iso(doc: dict) -> None:  # type: ignore[type-arg]
        doc["nodes"][50]["attributes"]["colour"] = ["red"]

    _edit(data / "ir2690.json", ir)
    _edit(data / "iso27001-2022.json", iso)
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load("1.3", data_dir=data)
    text = "\n".join(str(x) for x in e.value.exceptions)
    assert "ir2690.json: /requirements/7/lable: unknown key 'lable'" in text
    assert "ir2690.json: /extra: unknown key 'extra'" in text
    assert "iso27001-2022.json: /nodes/50/attributes/colour: unknown key 'colour'" in text


def test_duplicate_json_keys_are_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "nis2.json"
    path.write_text(path.read_text(encoding="utf-8").replace("{", '{"dataset": "x", ', 1))
    with pytest.raises(DataErrorGroup) as e:
        bio2map.load("1.2", data_dir=data)
    assert "duplicate key" in str(e.value)


def test_broken_manifest(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / "manifest.json", lambda d: d.update(format=7, default_bio2="0.1"))
    with pytest.raises(DataErrorGroup) as e:
        bio2map.read_manifest(data)
    text = str(e.value)
    assert "manifest.json: /format: unsupported data format 7" in text
    assert "manifest.json: /default_bio2: '0.1' is not a listed draft" in text


# --- the data build -------------------------------------------------------------------


@needs_shared
def test_packaged_data_matches_a_fresh_build() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "tasks" / "build_data.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@needs_shared
def test_packaged_data_follows_the_data_rules(shared: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(shared / "tools" / "check_data_rules.py"), str(DATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout
