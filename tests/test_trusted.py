"""Packaged files as built are read without checks: the same values as the strict validator
makes, and only for exactly the bytes the build validated (bio2map.core.trusted)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import bio2map
from bio2map import api
from bio2map.core import _digests, manifest, reader, resources, trusted
from bio2map.core import validate as validate_module
from bio2map.core.errors import DataError, DataErrorGroup
from bio2map.core.validate import validate

SLUGS = [d["slug"] for d in reader.read_manifest().raw_drafts]


def _exact(value: Any) -> Any:
    """``value`` with the order of dict keys and the type of every sequence made visible."""
    if isinstance(value, dict):
        return [(k, _exact(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_exact(v) for v in value])
    return (type(value).__name__, value)


def _docs(slug: str) -> tuple[dict[str, tuple[str, Any]], dict[str, Any]]:
    by_name = {d["name"]: d for d in reader.read_manifest().raw_datasets}
    names = [*reader.SHARED_DATASETS, f"bio2-{slug}"]
    docs = {}
    for name in names:
        file = by_name[name]["file"]
        docs[name] = (file, json.loads(resources.read_bytes(file)))
    return docs, by_name


@pytest.mark.parametrize("slug", SLUGS)
def test_trusted_conversion_is_the_validators_to_the_key_order(slug: str) -> None:
    docs, by_name = _docs(slug)
    errors: list[DataError] = []
    strict_nodes, strict_edges = validate(docs, by_name, slug, errors)
    assert errors == []
    nodes, edges = trusted.convert(docs, by_name, slug)
    assert _exact(nodes) == _exact(strict_nodes)
    assert _exact(edges) == _exact(strict_edges)
    assert len(nodes) > 900
    assert nodes["nis2:21.2.d"]["label"] == strict_nodes["nis2:21.2.d"]["label"]


def test_trusted_manifest_is_the_checked_one() -> None:
    blob = resources.read_bytes("manifest.json")
    doc = json.loads(blob)
    errors: list[DataError] = []
    checked = manifest._checked(doc, None, errors)
    as_built = manifest._as_built(doc, None)
    assert errors == []
    assert _exact([dict(d) for d in as_built.raw_datasets]) == _exact(
        [dict(d) for d in checked.raw_datasets]
    )
    assert _exact([dict(d) for d in as_built.raw_drafts]) == _exact(
        [dict(d) for d in checked.raw_drafts]
    )
    assert (as_built.default_bio2, as_built.data_version) == (
        checked.default_bio2,
        checked.data_version,
    )


def test_every_packaged_file_has_its_digest() -> None:
    files = sorted(p.name for p in Path(resources.data_dir()).glob("*.json"))
    assert sorted(_digests.DIGESTS) == files
    for name in files:
        assert trusted.as_built(name, resources.read_bytes(name)), name
    assert len(trusted.digest(b"")) == 2 * trusted.DIGEST_SIZE


def test_other_bytes_are_not_as_built() -> None:
    blob = resources.read_bytes("nis2.json")
    assert not trusted.as_built("nis2.json", blob + b" ")
    assert not trusted.as_built("nis2.json", blob.replace(b'"nis2:21.2.d"', b'"nis2:21.2.x"'))
    assert not trusted.as_built("unknown.json", blob)


@pytest.fixture
def fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of the packaged data cached: the next load reads every file again."""
    monkeypatch.setattr(reader, "_DOCS", {})
    monkeypatch.setattr(manifest, "_MANIFESTS", {})
    monkeypatch.setattr(api, "_CATALOGS", {})


def _patched(monkeypatch: pytest.MonkeyPatch, name: str, blob: bytes) -> None:
    real = resources.read_bytes

    def read_bytes(file: str, folder: str | None = None) -> bytes:
        return blob if file == name and folder is None else real(file, folder)

    monkeypatch.setattr(resources, "read_bytes", read_bytes)


@pytest.mark.usefixtures("fresh_caches")
def test_a_modified_packaged_file_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(resources.read_bytes("nis2.json"))
    doc["requirements"][3]["parent"] = "nis2:99"
    doc["requirements"][4]["lable"] = "a typo"
    _patched(monkeypatch, "nis2.json", json.dumps(doc).encode())
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load()
    problems = [str(e) for e in info.value.exceptions]
    assert "nis2.json: /requirements/3/parent: unknown id 'nis2:99'" in problems
    assert "nis2.json: /requirements/4/lable: unknown key 'lable'" in problems


@pytest.mark.usefixtures("fresh_caches")
def test_a_modified_packaged_file_with_a_duplicate_key_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blob = resources.read_bytes("iso27001-2022.json")
    _patched(monkeypatch, "iso27001-2022.json", blob[:-2] + b', "nodes": []}\n')
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load()
    assert [str(e) for e in info.value.exceptions] == [
        "iso27001-2022.json: invalid JSON: duplicate key 'nodes'"
    ]


@pytest.mark.usefixtures("fresh_caches")
def test_a_modified_packaged_manifest_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(resources.read_bytes("manifest.json"))
    doc["format"] = 7
    _patched(monkeypatch, "manifest.json", json.dumps(doc).encode())
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load()
    assert "manifest.json: /format: unsupported data format 7" in str(info.value)


@pytest.mark.usefixtures("fresh_caches")
def test_a_modified_but_valid_packaged_file_loads_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    want = bio2map.load()
    nodes, edges = dict(want._raw), want._edges
    monkeypatch.setattr(api, "_CATALOGS", {})
    monkeypatch.setattr(reader, "_DOCS", {})
    blob = resources.read_bytes("ir2690.json")
    _patched(monkeypatch, "ir2690.json", json.dumps(json.loads(blob), indent=1).encode())
    calls = []

    def spy(*args: Any) -> Any:
        calls.append(args[2])
        return validate(*args)

    monkeypatch.setattr(validate_module, "validate", spy)
    got = bio2map.load()
    assert calls == [got.bio2_version]  # validated, not trusted
    assert got is not want
    assert _exact(got._raw) == _exact(nodes)
    assert got._edges == edges


@pytest.mark.usefixtures("fresh_caches")
def test_an_edited_packaged_manifest_makes_every_file_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A manifest that names one packaged file for another: the files are as built, but
    not what the manifest says they are, so they are validated (and refused), never read
    unchecked into a crash."""
    doc = json.loads(resources.read_bytes("manifest.json"))
    for ds in doc["datasets"]:
        if ds["name"] == "nis2":
            ds["file"] = "ir2690.json"
    _patched(monkeypatch, "manifest.json", json.dumps(doc).encode())
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load()
    problems = [str(e) for e in info.value.exceptions]
    assert info.value.message == "the bio2map data is broken"
    assert "ir2690.json: /requirements/0/points: unknown key 'points'" in problems  # as NIS2
