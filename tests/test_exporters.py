"""Tests for :mod:`bio2map.formats.export` and the ``bio2map export`` command.

Golden files (``tests/golden/exports/``) are made from the packaged data of the BIO2
1.3 draft, without texts. An export larger than ``MAX_GOLDEN_BYTES`` is not stored:
its sha256 is in ``SHA256SUMS`` (``sha256sum -c`` format), and structural and
round-trip tests below check its content. To regenerate after an intended change::

    .venv/bin/python -m tests.test_exporters --update-golden
    # or: BIO2MAP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_exporters.py

Optional test dependencies (tests skip with the reason when they are missing):
``compliance-trestle`` (OSCAL models generated from NIST's OSCAL JSON schemas) and
``PyYAML`` (YAML checks; trestle brings it).
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import difflib
import hashlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bio2map
from bio2map.cli import export as cli_export
from bio2map.formats.common import UUID_NAMESPACE, yaml_document, yaml_scalar
from bio2map.formats.export import (
    BASE_URI,
    CSV_COLUMNS,
    FORMATS,
    ID_PREFIXES,
    OSCAL_NAMESPACE,
    OSCAL_VERSION,
    SSSOM_COLUMNS,
    export,
    export_oscal,
    join_list,
    node_link_data,
    read_csv,
    read_sssom,
    read_sssom_mappings,
    split_list,
)
from bio2map.formats.oscal import oscal_catalog, oscal_mapping_collection
from bio2map.formats.sssom import PREDICATES
from tests.conftest import needs_shared

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bio2map import Catalog

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "exports"
SUMS = GOLDEN / "SHA256SUMS"
GOLDEN_DRAFT = "1.3"
MAX_GOLDEN_BYTES = 300_000
GOLDEN_NAMES = {
    "graphml": f"bio2-{GOLDEN_DRAFT}.graphml",
    "json": f"bio2-{GOLDEN_DRAFT}.json",
    "csv": f"bio2-{GOLDEN_DRAFT}.csv",
    "sssom": f"bio2-{GOLDEN_DRAFT}.sssom.tsv",
    "oscal": f"bio2-{GOLDEN_DRAFT}.oscal.json",
    "oscal-mapping": f"bio2-{GOLDEN_DRAFT}.oscal-mapping.json",
    "ciso-assistant": f"bio2-{GOLDEN_DRAFT}.ciso-assistant.yaml",
}
UPDATE = os.environ.get("BIO2MAP_UPDATE_GOLDEN") == "1"

HAS_TRESTLE = importlib.util.find_spec("trestle") is not None
NO_TRESTLE = (
    "needs compliance-trestle==5.2.0 (OSCAL 1.2.1 models): pip install 'bio2map[export-test]'"
)
HAS_YAML = importlib.util.find_spec("yaml") is not None
NO_YAML = "needs PyYAML to read YAML back: pip install 'bio2map[export-test]'"
needs_trestle = pytest.mark.skipif(not HAS_TRESTLE, reason=NO_TRESTLE)
needs_yaml = pytest.mark.skipif(not HAS_YAML, reason=NO_YAML)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return bio2map.load(GOLDEN_DRAFT)


@pytest.fixture(scope="module")
def outputs(cat: Catalog) -> dict[str, str]:
    return {fmt: export(cat, fmt) for fmt in FORMATS}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _yaml_load(text: str) -> Any:
    import yaml  # type: ignore[import-untyped,unused-ignore]

    return yaml.safe_load(text)


# --- golden files -------------------------------------------------------------------------


def _read_sums() -> dict[str, str]:
    if not SUMS.is_file():
        return {}
    out = {}
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        out[name] = digest
    return out


def update_golden() -> list[str]:
    """Regenerate the golden files from the packaged data; return what was written."""
    catalog = bio2map.load(GOLDEN_DRAFT)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    sums = {}
    written = []
    for fmt, name in GOLDEN_NAMES.items():
        text = export(catalog, fmt)
        path = GOLDEN / name
        if len(text.encode("utf-8")) > MAX_GOLDEN_BYTES:
            sums[name] = _sha(text)
            path.unlink(missing_ok=True)
            written.append(f"{SUMS.name}: {name}")
        else:
            path.write_bytes(text.encode("utf-8"))
            written.append(name)
    SUMS.write_text("".join(f"{sums[n]}  {n}\n" for n in sorted(sums)), encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def golden() -> Path:
    """The golden folder, regenerated first when ``BIO2MAP_UPDATE_GOLDEN=1``."""
    if UPDATE:
        update_golden()
    return GOLDEN


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, outputs: dict[str, str], golden: Path) -> None:
    name = GOLDEN_NAMES[fmt]
    text = outputs[fmt]
    path = golden / name
    sums = _read_sums()
    hint = "if the change is intended: .venv/bin/python -m tests.test_exporters --update-golden"
    if path.is_file():
        expected = path.read_bytes().decode("utf-8")
        if text != expected:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        expected.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        f"golden/{name}",
                        "export",
                    )
                )[:60]
            )
            pytest.fail(f"{fmt} export differs from {name} ({hint}):\n{diff}")
        assert len(expected.encode("utf-8")) <= MAX_GOLDEN_BYTES
    elif name in sums:
        assert len(text.encode("utf-8")) > MAX_GOLDEN_BYTES, f"store {name} as a file ({hint})"
        assert _sha(text) == sums[name], f"{fmt} export sha256 differs from SHA256SUMS ({hint})"
    else:
        pytest.fail(f"no golden file or sum for {name} ({hint})")


def test_golden_files_have_no_texts(golden: Path) -> None:
    """Golden files come from the packaged data, which has no BIO2 measure text."""
    for path in golden.iterdir():
        text = path.read_text(encoding="utf-8")
        assert '"prose"' not in text, path.name
        assert "_smt" not in text, path.name


# --- byte stability -----------------------------------------------------------------------


def test_same_bytes_twice_in_process(cat: Catalog, outputs: dict[str, str]) -> None:
    bio2map.load("1.2")  # loading another draft between runs changes nothing
    for fmt in FORMATS:
        assert export(cat, fmt) == outputs[fmt], fmt


_CHILD = """
import hashlib, json, sys
import bio2map
from bio2map.formats.export import FORMATS, export
cat = bio2map.load(sys.argv[1])
print(json.dumps({f: hashlib.sha256(export(cat, f).encode()).hexdigest() for f in FORMATS}))
"""


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_same_bytes_across_processes(seed: str, outputs: dict[str, str]) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, GOLDEN_DRAFT],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
        timeout=300,
    )
    child = json.loads(proc.stdout)
    assert child == {fmt: _sha(text) for fmt, text in outputs.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_final_newline_no_clock(fmt: str, outputs: dict[str, str]) -> None:
    text = outputs[fmt]
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    # the only times of day are the midnight of dates taken from the data
    assert set(re.findall(r"T(\d\d:\d\d:\d\d)", text)) <= {"00:00:00"}


def test_export_unknown_format(cat: Catalog) -> None:
    with pytest.raises(ValueError, match=r"unknown export format 'grafml'.*did you mean 'graphml'"):
        export(cat, "grafml")


def test_formats_agree_with_cli() -> None:
    assert cli_export.EXPORT_FORMATS == FORMATS


def test_importing_cli_export_is_light() -> None:
    """``import bio2map.cli.export`` adds nothing to what the CLI has loaded already."""
    code = (
        "import sys, argparse, bio2map, bio2map.cli.main\n"
        "before = set(sys.modules)\n"
        "import bio2map.cli.export\n"
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    added = set(json.loads(out.stdout.replace("'", '"')))
    assert added == {"bio2map.cli.export"}, added


def test_importing_exporters_imports_no_networkx() -> None:
    code = "import sys, bio2map.formats.export; print('networkx' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "False"


# --- graph: JSON node-link and GraphML ----------------------------------------------------


def _norm(attrs: dict[str, Any]) -> dict[str, Any]:
    return {
        k: tuple(v) if isinstance(v, tuple | list) else v for k, v in attrs.items() if v is not None
    }


def _edge_multiset(edges: Iterable[tuple[Any, Any, dict[str, Any]]]) -> collections.Counter[Any]:
    return collections.Counter((u, v, tuple(sorted(_norm(d).items()))) for u, v, d in edges)


def test_json_round_trip(cat: Catalog, outputs: dict[str, str]) -> None:
    import networkx as nx

    data = json.loads(outputs["json"])
    assert data == node_link_data(cat)
    g = nx.node_link_graph(data, edges="edges")
    assert isinstance(g, nx.MultiDiGraph)
    orig = cat.graph
    assert g.is_directed()
    assert g.is_multigraph()
    assert g.graph == {"bio2_version": "1.3", "data_version": cat.data_version, "name": "bio2map"}
    assert set(g.nodes) == set(orig.nodes)
    for n in orig.nodes:
        assert _norm(g.nodes[n]) == _norm(orig.nodes[n]), n
    assert _edge_multiset(g.edges(data=True)) == _edge_multiset(orig.edges(data=True))
    for _, _, k, d in g.edges(keys=True, data=True):
        assert k == d["kind"] or k.startswith(d["kind"] + "-")


def test_json_is_sorted(outputs: dict[str, str]) -> None:
    from bio2map.core.ids import sort_key

    data = json.loads(outputs["json"])
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids, key=lambda i: (sort_key(i), i))
    pairs = [(e["source"], e["target"]) for e in data["edges"]]
    assert pairs == sorted(pairs, key=lambda p: (sort_key(p[0]), p[0], sort_key(p[1]), p[1]))


def test_graphml_round_trip(cat: Catalog, outputs: dict[str, str], tmp_path: Path) -> None:
    import networkx as nx

    path = tmp_path / "bio2map.graphml"
    path.write_bytes(outputs["graphml"].encode("utf-8"))
    g = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    assert isinstance(g, nx.MultiDiGraph)
    orig = cat.graph
    assert g.is_directed()
    graph_attrs = {k: v for k, v in g.graph.items() if k not in ("node_default", "edge_default")}
    assert graph_attrs == {
        "bio2_version": "1.3",
        "data_version": cat.data_version,
        "name": "bio2map",
    }
    assert set(g.nodes) == set(orig.nodes)

    def decode(read: dict[str, Any], like: dict[str, Any]) -> dict[str, Any]:
        return {
            k: split_list(read.get(k, "")) if isinstance(like.get(k), tuple) else read[k]
            for k in read.keys() | {k for k, v in like.items() if isinstance(v, tuple)}
        }

    for n in orig.nodes:
        assert decode(g.nodes[n], orig.nodes[n]) == _norm(orig.nodes[n]), n
    back = [
        (u, v, decode({k: x for k, x in d.items() if k != "key"}, orig.edges[u, v, 0]))
        for u, v, d in g.edges(data=True)
    ]
    assert _edge_multiset(back) == _edge_multiset(orig.edges(data=True))
    json_keys = {(e["source"], e["target"], e["key"]) for e in json.loads(outputs["json"])["edges"]}
    assert set(g.edges(keys=True)) == json_keys


def test_graphml_lists_are_declared(outputs: dict[str, str]) -> None:
    text = outputs["graphml"]
    assert re.search(r'<key id="e_sources" [^>]*attr\.type="string">\s*<desc>list', text)
    assert re.search(r'<key id="n_assessable" [^>]*attr\.type="boolean"/>', text)
    assert "<edge " in text
    assert re.search(r"<edge [^>]*\bid=", text) is None


def test_graphml_escapes_markup() -> None:
    from bio2map.formats.graphml import _xml

    assert _xml('a<b>&"c"\x01', attr=True) == "a&lt;b&gt;&amp;&quot;c&quot;\ufffd"


# --- CSV ----------------------------------------------------------------------------------


def test_csv_round_trip(cat: Catalog, outputs: dict[str, str]) -> None:
    from bio2map.formats.common import mapping_order

    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == len(cat.mappings)
    assert read_csv(outputs["csv"]) == tuple(sorted(cat.mappings, key=mapping_order))
    assert any("\\;" in r[6] for r in rows[1:]), "a source holding ';' is escaped"


def test_read_csv_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="CSV header must be"):
        read_csv("a,b\n")
    header = ",".join(CSV_COLUMNS)
    with pytest.raises(ValueError, match="CSV line 2: expected 7 fields, got 2"):
        read_csv(f"{header}\nx,y\n")


@given(st.lists(st.text(), max_size=5), st.sampled_from([";", "|"]))
def test_join_split_list(items: list[str], sep: str) -> None:
    assume(items != [""])
    assert split_list(join_list(items, sep), sep) == tuple(items)


# --- SSSOM --------------------------------------------------------------------------------


def _sssom_header(text: str) -> str:
    return "".join(line[2:] for line in text.splitlines(keepends=True) if line.startswith("# "))


def test_sssom_round_trip(cat: Catalog, outputs: dict[str, str]) -> None:
    from bio2map.formats.common import mapping_order

    text = outputs["sssom"]
    rows = read_sssom(text)
    assert len(rows) == len(cat.mappings)
    assert tuple(rows[0]) == SSSOM_COLUMNS
    pairs = collections.Counter((r["subject_id"], r["object_id"], r["relationship"]) for r in rows)
    assert pairs == collections.Counter((m.source, m.target, m.relationship) for m in cat.mappings)
    assert read_sssom_mappings(text) == tuple(sorted(cat.mappings, key=mapping_order))


def test_sssom_predicates(outputs: dict[str, str]) -> None:
    rows = read_sssom(outputs["sssom"])
    for r in rows:
        predicate, modifier = PREDICATES[r["relationship"]]
        assert (r["predicate_id"], r["predicate_modifier"]) == (predicate, modifier)
        assert r["mapping_justification"] == "semapv:ManualMappingCuration"
        assert r["confidence"] == ""
        if r["dataset"] == "iso27001-2013":  # ISO facts (id pairs): no open licence to name
            assert r["license"] == ""
            continue
        assert r["license"].startswith(("https://creativecommons.org/", "http://data.europa.eu/"))
    refines = [r for r in rows if r["kind"] == "refines"]
    assert refines
    assert {r["predicate_id"] for r in refines} == {"skos:broadMatch"}  # measure is narrower
    by_kind = {r["kind"] for r in rows}
    assert by_kind == {"evaluates", "implements", "maps_to", "migrates_to", "refines", "transposes"}


def test_sssom_not_related_reads_back() -> None:
    header = "\t".join(("subject_id", "predicate_id", "predicate_modifier", "object_id"))
    text = f"# license: x\n{header}\nbio2:5.01.01\tskos:relatedMatch\tNot\tiso27002:8.1\n"
    (m,) = read_sssom_mappings(text)
    assert (m.source, m.target, m.relationship) == ("bio2:5.01.01", "iso27002:8.1", "not_related")
    with pytest.raises(ValueError, match="predicate 'skos:closeMatch' has no bio2map"):
        read_sssom_mappings(f"{header}\na:1\tskos:closeMatch\t\tb:2\n")
    with pytest.raises(ValueError, match="more cells than the header"):
        read_sssom("a\tb\n1\t2\t3\n")
    assert PREDICATES["not_related"] == ("skos:relatedMatch", "Not")


@needs_yaml
def test_sssom_metadata(cat: Catalog, outputs: dict[str, str]) -> None:
    text = outputs["sssom"]
    meta = _yaml_load(_sssom_header(text))
    assert meta["mapping_set_id"].startswith(BASE_URI)
    assert meta["mapping_set_version"] == cat.data_version
    assert meta["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    curie_map = meta["curie_map"]
    assert {"nis2", "ir2690", "iso27001", "iso27002", "bio2", "cbw", "skos", "semapv"} <= set(
        curie_map
    )
    assert {k: curie_map[k] for k in ID_PREFIXES} == ID_PREFIXES
    used = set()
    for r in read_sssom(text):
        for col in ("subject_id", "object_id", "predicate_id", "mapping_justification"):
            used.add(r[col].partition(":")[0])
    assert used <= set(curie_map)
    extensions = {d["slot_name"] for d in meta["extension_definitions"]}
    assert extensions == {"relationship", "kind", "basis", "dataset", "sources"}
    standard = set(SSSOM_COLUMNS) - extensions
    assert standard <= {
        "subject_id",
        "subject_label",
        "predicate_id",
        "predicate_modifier",
        "object_id",
        "object_label",
        "mapping_justification",
        "confidence",
        "license",
        "comment",
    }


# --- OSCAL --------------------------------------------------------------------------------


def _uuids(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        found = [v for k, v in obj.items() if k == "uuid"]
        return found + [u for v in obj.values() for u in _uuids(v)]
    if isinstance(obj, list):
        return [u for v in obj for u in _uuids(v)]
    return []


def test_oscal_catalog_structure(cat: Catalog, outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["oscal"])["catalog"]
    assert doc["metadata"]["oscal-version"] == OSCAL_VERSION
    assert doc["metadata"]["version"] == "1.3"
    assert doc["metadata"]["last-modified"] == f"{cat.draft.date}T00:00:00Z"
    uuids = _uuids(doc)
    assert len(uuids) == len(set(uuids))
    assert all(uuid.UUID(u).version == 5 for u in uuids)
    resources = {r["uuid"] for r in doc["back-matter"]["resources"]}
    controls = {c["id"]: c for g in doc["groups"] for c in g.get("controls", [])}
    entries = {m.id: m for m in cat.measures}
    expected = {"bio2-" + m.number for m in cat.measures if m.kind != "no-measure"}
    assert set(controls) == expected
    for g in doc["groups"]:
        assert g["id"].startswith("iso27002-")
        assert g["links"][0]["href"][1:] in resources
        for c in g.get("controls", []):
            m = entries["bio2:" + c["id"][len("bio2-") :]]
            assert m.control == g["id"].replace("-", ":", 1)
            props = {(p["name"], p.get("ns")): p["value"] for p in c["props"]}
            assert props[("kind", OSCAL_NAMESPACE)] == m.kind
            assert props[("label", None)] == m.number
            assert c["links"][0] == {"href": g["links"][0]["href"], "rel": "reference"}
            for link in c["links"][1:]:
                assert link["href"][1:] in controls
            assert "parts" not in c
            if m.kind in ("moved", "withdrawn"):
                assert props[("status", None)] == "withdrawn"
    no_measure = {
        p["value"] for g in doc["groups"] for p in g["props"] if p["name"] == "no-measure"
    }
    assert no_measure == {m.number for m in cat.measures if m.kind == "no-measure"}
    moved = controls["bio2-5.04.02"]
    assert {"href": "#bio2-5.10.02", "rel": "moved-to"} in moved["links"]


def test_oscal_tags_and_flags() -> None:
    doc = oscal_catalog(bio2map.load("2025-03-concept"))["catalog"]
    props = [p for g in doc["groups"] for c in g.get("controls", []) for p in c["props"]]
    tags = {p["value"] for p in props if p["name"] == "tag"}
    assert tags == {"Basishygiëne", "Ketenhygiëne", "Overheidsrisico"}
    assert any(p["name"] == "nis2" and p["value"] == "true" for p in props)
    assert all(p.get("ns", OSCAL_NAMESPACE) == OSCAL_NAMESPACE for p in props)


def test_oscal_mapping_structure(cat: Catalog, outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["oscal-mapping"])["mapping-collection"]
    enisa = [m for m in cat.mappings if m.dataset == "enisa-ir2690-iso27001"]
    (mapping,) = doc["mappings"]
    assert len(mapping["maps"]) == len(enisa)
    assert {m["relationship"] for m in mapping["maps"]} == {"intersects-with"}
    refs = {(m["sources"][0]["id-ref"], m["targets"][0]["id-ref"]) for m in mapping["maps"]}
    assert ("1.1.1.a", "A.5.1") in refs
    assert ("1.1.1.a", "5.2") in refs
    uuids = _uuids(doc)
    assert len(uuids) == len(set(uuids))
    with pytest.raises(ValueError, match="no maps_to edges from dataset 'nope'"):
        oscal_mapping_collection(cat, "nope")


@needs_trestle
def test_oscal_catalog_validates(outputs: dict[str, str]) -> None:
    from trestle.oscal import OSCAL_VERSION as TRESTLE_OSCAL
    from trestle.oscal.catalog import Catalog as OscalCatalog

    assert TRESTLE_OSCAL == OSCAL_VERSION
    model = OscalCatalog.model_validate(json.loads(outputs["oscal"])["catalog"])
    assert model.groups is not None
    assert len(model.groups) == len(json.loads(outputs["oscal"])["catalog"]["groups"])


@needs_trestle
def test_oscal_mapping_validates(outputs: dict[str, str]) -> None:
    from trestle.oscal.mapping import MappingCollection

    MappingCollection.model_validate(json.loads(outputs["oscal-mapping"])["mapping-collection"])


@needs_trestle
def test_oscal_validation_is_strict(outputs: dict[str, str]) -> None:
    """The validator used above does reject a broken catalog."""
    from pydantic import ValidationError
    from trestle.oscal.catalog import Catalog as OscalCatalog

    doc = json.loads(outputs["oscal"])["catalog"]
    del doc["groups"][0]["controls"][0]["title"]
    with pytest.raises(ValidationError):
        OscalCatalog.model_validate(doc)
    doc = json.loads(outputs["oscal"])["catalog"]
    doc["groups"][0]["controls"][0]["id"] = "bad id"
    with pytest.raises(ValidationError):
        OscalCatalog.model_validate(doc)


def test_uuids_are_derived_from_ids() -> None:
    from bio2map.formats.common import stable_uuid

    assert stable_uuid("a", "b") == str(uuid.uuid5(UUID_NAMESPACE, "a\x1fb"))
    assert stable_uuid("a", "b") != stable_uuid("ab")


# --- CISO Assistant -----------------------------------------------------------------------


@needs_yaml
def test_ciso_assistant_structure(cat: Catalog, outputs: dict[str, str]) -> None:
    lib = _yaml_load(outputs["ciso-assistant"])
    assert lib["urn"] == "urn:bio2map:risk:library:bio2-1.3"
    assert lib["locale"] == "en"
    assert lib["packager"] == "bio2map"
    assert isinstance(lib["version"], int)
    assert lib["publication_date"] == dt.date.fromisoformat(cat.draft.date)
    assert lib["dependencies"] == ["urn:intuitem:risk:library:iso27001-2022"]
    fw = lib["objects"]["framework"]
    nodes = fw["requirement_nodes"]
    urns = [n["urn"] for n in nodes]
    assert len(urns) == len(set(urns))
    assert all(
        u == u.lower() and u.startswith(fw["urn"].replace("framework", "req_node")) for u in urns
    )
    parents = {n["urn"]: n for n in nodes if n["depth"] == 1}
    measures = [n for n in nodes if n["depth"] == 2]
    assert all(not n["assessable"] and isinstance(n["name"], str) for n in parents.values())
    assert all(n["assessable"] and n["parent_urn"] in parents for n in measures)
    assert [n["ref_id"] for n in measures] == [
        m.number for m in cat.measures if m.kind == "measure"
    ]
    assert all(
        set(n) <= {"urn", "assessable", "depth", "parent_urn", "ref_id", "name"} for n in nodes
    )
    (mset,) = lib["objects"]["requirement_mapping_sets"]
    assert mset["source_framework_urn"] == fw["urn"]
    assert mset["target_framework_urn"] == "urn:intuitem:risk:framework:iso27001-2022"
    maps = mset["requirement_mappings"]
    assert [m["source_requirement_urn"] for m in maps] == [n["urn"] for n in measures]
    first = maps[0]
    assert first["target_requirement_urn"] == "urn:intuitem:risk:req_node:iso27001-2022:a.5.1"
    assert {m["relationship"] for m in maps} == {"subset"}


@needs_yaml
def test_ciso_assistant_tags() -> None:
    from bio2map.formats.export import export_ciso_assistant

    lib = _yaml_load(export_ciso_assistant(bio2map.load("1.2")))
    fw = lib["objects"]["framework"]
    groups = {g["ref_id"]: g["name"] for g in fw["implementation_groups_definition"]}
    assert groups == {
        "basishygiene": "Basishygiëne",
        "ketenhygiene": "Ketenhygiëne",
        "overheidsrisico": "Overheidsrisico",
    }
    used = {g for n in fw["requirement_nodes"] for g in n.get("implementation_groups", [])}
    assert used == set(groups)


# --- YAML writer --------------------------------------------------------------------------


_scalars = st.one_of(
    st.text(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.sampled_from(["yes", "No", "null", "~", "1.0", "0x1F", "1e3", "2026-01-09", "a: b", "#x"]),
)


@needs_yaml
@given(_scalars)
def test_yaml_scalar_round_trip(value: str | int | bool | None) -> None:
    assert _yaml_load(f"k: {yaml_scalar(value)}\n") == {"k": value}


@needs_yaml
@given(
    st.dictionaries(
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
        st.one_of(
            _scalars, st.lists(_scalars, max_size=3), st.dictionaries(st.just("x"), _scalars)
        ),
        max_size=4,
    )
)
def test_yaml_document_round_trip(doc: dict[str, Any]) -> None:
    assert _yaml_load(yaml_document(doc) or "{}") == doc


@pytest.mark.skipif(
    importlib.util.find_spec("ruamel") is None, reason="needs ruamel.yaml (YAML 1.2)"
)
@given(_scalars)
def test_yaml_scalar_round_trip_yaml12(value: str | int | bool | None) -> None:
    from ruamel.yaml import YAML

    assert YAML(typ="safe", pure=True).load(f"k: {yaml_scalar(value)}\n") == {"k": value}


# --- texts attached at run time -----------------------------------------------------------


@needs_shared
def test_cmd_export_with_texts(shared: Path) -> None:
    args = _own_parser().parse_args(
        ["export", "-f", "oscal", "--bio2", "1.3", "--texts", str(shared / "corpus" / "bio2")]
    )
    doc, text, code = cli_export.cmd_export(args)
    assert (doc, code) == (None, 0)
    assert '"prose"' in text


@needs_shared
def test_texts_only_when_attached(cat: Catalog, shared: Path, outputs: dict[str, str]) -> None:
    with_texts = cat.attach_texts(shared / "corpus" / "bio2")
    doc = oscal_catalog(with_texts)["catalog"]
    prose = [
        p["prose"] for g in doc["groups"] for c in g.get("controls", []) for p in c.get("parts", [])
    ]
    assert prose
    assert '"prose"' not in outputs["oscal"]
    assert doc["uuid"] != json.loads(outputs["oscal"])["catalog"]["uuid"]
    if HAS_YAML:
        from bio2map.formats.export import export_ciso_assistant

        lib = _yaml_load(export_ciso_assistant(with_texts))
        assert lib["locale"] == "nl"
        assert any("description" in n for n in lib["objects"]["framework"]["requirement_nodes"])
    if HAS_TRESTLE:
        from trestle.oscal.catalog import Catalog as OscalCatalog

        OscalCatalog.model_validate(json.loads(export_oscal(with_texts))["catalog"])
    for fmt in ("graphml", "json", "csv", "sssom", "oscal-mapping"):
        assert export(with_texts, fmt) == outputs[fmt], f"{fmt} never holds texts"


# --- the command --------------------------------------------------------------------------


def _own_parser() -> argparse.ArgumentParser:
    from bio2map.cli.main import parser

    return parser("export")


def test_cmd_export_stdout(outputs: dict[str, str]) -> None:
    args = _own_parser().parse_args(["export", "--format", "sssom", "--bio2", "1.3"])
    assert cli_export.cmd_export(args) == (None, outputs["sssom"], 0)


def test_cmd_export_file(outputs: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "lib.yaml"
    out.write_text("old", encoding="utf-8")
    args = _own_parser().parse_args(
        ["export", "-f", "ciso-assistant", "--bio2", "1.3", "-o", str(out)]
    )
    assert cli_export.cmd_export(args) == (None, "", 0)
    assert out.read_bytes() == outputs["ciso-assistant"].encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["lib.yaml"]


def test_write_atomic_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        cli_export.write_atomic(new, "a\n")
        assert new.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.csv"
        old.write_text("x", encoding="utf-8")
        old.chmod(0o600)
        cli_export.write_atomic(old, "b\n")
        assert old.stat().st_mode & 0o777 == 0o600
        assert old.read_text(encoding="utf-8") == "b\n"
    finally:
        os.umask(mask)


def test_cmd_export_needs_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _own_parser().parse_args(["export"])
    assert "--format" in capsys.readouterr().err


def test_write_atomic_failure_keeps_nothing(tmp_path: Path) -> None:
    with pytest.raises(cli_export.ExportWriteError, match="cannot write") as info:
        cli_export.write_atomic(tmp_path / "missing" / "x.csv", "a\n")
    assert isinstance(info.value, bio2map.Bio2MapError)
    assert isinstance(info.value, OSError)
    target = tmp_path / "dir.csv"
    target.mkdir()
    with pytest.raises(cli_export.ExportWriteError):
        cli_export.write_atomic(target, "a\n")
    assert [p.name for p in tmp_path.iterdir()] == ["dir.csv"]


@pytest.fixture
def cli_main() -> Any:
    from bio2map.cli import main as cli

    return cli.main


def test_cli_export_stdout(
    cli_main: Any, capsys: pytest.CaptureFixture[str], outputs: dict[str, str]
) -> None:
    capsys.readouterr()
    assert cli_main(["export", "--format", "csv", "--bio2", "1.3"]) == 0
    assert capsys.readouterr().out == outputs["csv"]


def test_cli_export_file(cli_main: Any, tmp_path: Path, outputs: dict[str, str]) -> None:
    out = tmp_path / "graph.graphml"
    assert cli_main(["export", "--format", "graphml", "--output", str(out)]) == 0
    if bio2map.read_manifest().default_bio2 == GOLDEN_DRAFT:
        assert out.read_bytes() == outputs["graphml"].encode("utf-8")
    assert out.read_bytes().startswith(b"<?xml")


def test_cli_export_unknown_draft(cli_main: Any, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli_main(["export", "--format", "csv", "--bio2", "9.9"]) == 2
    assert "unknown BIO2 version '9.9'" in capsys.readouterr().err


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if sys.argv[1:] != ["--update-golden"]:
        sys.exit("usage: python -m tests.test_exporters --update-golden")
    for name in update_golden():
        print(f"wrote {name}")
