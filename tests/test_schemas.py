"""Every JSON output of the command line has a JSON Schema in the package, and real output
validates against it.

The schemas are ``bio2map/schemas/<command>.schema.json`` (JSON Schema 2020-12). Each
test here runs the command through :func:`bio2map.cli.main.main` (the bytes a pipeline
gets) over many inputs: every requirement, every control, every draft, pairs of drafts,
with and without the options that add keys.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import bio2map
from bio2map.cli.main import COMMANDS, main

JSON_COMMANDS = sorted(set(COMMANDS) - {"export", "report"})  # they write files of other formats
STRICT = (
    *("controls", "requirements", "uncovered", "info", "drafts", "search", "parse", "diff"),
    "history",
)
"""Schemas that refuse a key they do not name (gaps and show allow new keys: they grow)."""
DRAFTS = [d.slug for d in bio2map.read_manifest().drafts]


@cache
def schema(command: str) -> dict[str, Any]:
    text = files("bio2map").joinpath("schemas", f"{command}.schema.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def validate(command: str, doc: object) -> None:
    validator = jsonschema.Draft202012Validator(schema(command))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


def run_json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> Any:
    """Run ``bio2map ARGV --format json``; the document it printed."""
    assert main([*argv, "--format", "json"]) == code
    out = capsys.readouterr().out
    return json.loads(out)


def test_every_json_command_has_a_schema() -> None:
    names = {p.name for p in files("bio2map").joinpath("schemas").iterdir()}
    assert names == {f"{c}.schema.json" for c in JSON_COMMANDS}


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_the_schema_is_a_valid_json_schema(command: str) -> None:
    s = schema(command)
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$id"].endswith(f"/{command}.schema.json")
    assert s["title"] == f"bio2map {command}"


@pytest.mark.parametrize("command", STRICT)
def test_strict_schemas_refuse_unknown_keys(command: str) -> None:
    s = schema(command)
    target = s["items"] if s["type"] == "array" else s
    assert target["additionalProperties"] is False
    for name, sub in s.get("$defs", {}).items():
        if sub.get("type") == "object":
            assert sub["additionalProperties"] is False, name


# --- the queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("draft", [DRAFTS[0], DRAFTS[-1]])
def test_controls_for_every_requirement(draft: str) -> None:
    cat = bio2map.load(draft)
    for r in cat.requirements:
        validate("controls", cat.controls_for_data(r.id))
        validate("controls", cat.controls_for(r.id).as_dict())


@pytest.mark.parametrize(
    "argv",
    [
        ("controls", "21(2)(d)"),
        ("controls", "21(2)(a)", "--no-clauses", "--bio2", "1.2"),
        ("controls", "Art. 23"),
        ("controls", "ir2690:9.2.a"),
    ],
)
def test_controls_cli(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    validate("controls", run_json(capsys, *argv))


def test_requirements_for_every_control_and_measure() -> None:
    cat = bio2map.load()
    for c in cat.controls:
        validate("requirements", cat.requirements_for(c.id).as_dict())
    for m in cat.measures[::7]:
        doc = cat.requirements_for(m.id).as_dict()
        assert doc["measure"] == m.id
        validate("requirements", doc)


@pytest.mark.parametrize(
    "argv", [("requirements", "5.19"), ("requirements", "5.19.01", "--bio2", "2024-06-draft")]
)
def test_requirements_cli(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    validate("requirements", run_json(capsys, *argv))


@pytest.fixture
def layer(tmp_path: Path) -> Path:
    path = tmp_path / "myorg.csv"
    path.write_text(
        "subject_id,subject_label,predicate_id,object_id,source\n"
        "myorg:SUP-01,supplier register,skos:exactMatch,A.5.19,internal framework v3\n"
        "myorg:SUP-01,,subset_of,21(2)(d),internal framework v3\n",
        encoding="utf-8",
    )
    return path


def test_outputs_with_a_layer(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    validate("controls", run_json(capsys, "controls", "myorg:SUP-01", "--layer", str(layer)))
    validate("requirements", run_json(capsys, "requirements", "5.19", "--layer", str(layer)))
    validate("uncovered", run_json(capsys, "uncovered", "--layer", str(layer)))


def test_gaps(capsys: pytest.CaptureFixture[str], soa: Path, layer: Path) -> None:
    validate("gaps", run_json(capsys, "gaps", "--soa", str(soa)))
    doc = run_json(capsys, "gaps", "--soa", str(soa), "--fail-under", "0.9", code=1)
    assert doc["passed"] is False
    validate("gaps", doc)
    validate("gaps", run_json(capsys, "gaps", "--soa", str(soa), "--include-clauses"))
    validate("gaps", run_json(capsys, "gaps", "--soa", str(soa), "--layer", str(layer)))


@pytest.mark.parametrize("draft", DRAFTS)
def test_uncovered(capsys: pytest.CaptureFixture[str], draft: str) -> None:
    validate("uncovered", run_json(capsys, "uncovered", "--bio2", draft))


def test_info(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    from bio2map.core.resources import data_dir

    doc = run_json(capsys, "info")
    assert doc["verified"] is True
    validate("info", doc)
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    with (data / "ir2690.json").open("a", encoding="utf-8") as f:
        f.write("\n")
    doc = run_json(capsys, "info", "--data-dir", str(data), code=2)
    assert doc["verified"] is False
    validate("info", doc)
    with pytest.raises(AssertionError):
        validate("info", {**doc, "problems": []})  # unverified with no problem named


# --- the drafts -----------------------------------------------------------------------------


def test_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "drafts")
    validate("drafts", doc)
    with pytest.raises(AssertionError):
        validate("drafts", [{**d, "default": True} for d in doc])  # one default only


@pytest.mark.parametrize("draft", DRAFTS)
def test_show(capsys: pytest.CaptureFixture[str], draft: str) -> None:
    cat = bio2map.load(draft)
    for m in (cat.measures[0], cat.measures[len(cat.measures) // 2], cat.measures[-1]):
        validate("show", run_json(capsys, "show", m.number, "--bio2", draft))


@pytest.mark.parametrize(
    "argv",
    [
        ("search", "leverancier"),
        ("search", "supply chain", "--scheme", "ir2690"),
        ("search", "zzzqqq"),
        ("search", "5.19", "--bio2", "2024-06-draft"),
    ],
)
def test_search(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    validate("search", run_json(capsys, *argv))


@pytest.fixture
def draft_file(tmp_path: Path) -> Path:
    path = tmp_path / "maatregelen.md"
    path.write_text(
        "# Maatregelen\n\n## 5.1 Beleidsregels\n\n### 5.01.01\n\nDe organisatie florpt.\n\n"
        "Draagt bij aan: Basishygiëne\n\n### 5.01.02\n\nHet beleid wibbelt jaarlijks.\n",
        encoding="utf-8",
    )
    return path


def test_show_and_parse_with_texts(capsys: pytest.CaptureFixture[str], draft_file: Path) -> None:
    validate(
        "show", run_json(capsys, "show", "5.01.01", "--bio2", "1.2", "--texts", str(draft_file))
    )
    validate("parse", run_json(capsys, "parse", str(draft_file)))
    doc = run_json(capsys, "parse", str(draft_file), "--with-text")
    assert "text" in doc["measures"][0]
    validate("parse", doc)


def test_parse_every_corpus_draft(capsys: pytest.CaptureFixture[str], shared: Path) -> None:
    for slug in DRAFTS:
        path = shared / "corpus" / "bio2" / slug / "maatregelen.md"
        validate("parse", run_json(capsys, "parse", str(path)))


PAIRS = [*itertools.pairwise(DRAFTS), (DRAFTS[0], DRAFTS[-1])]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_diff(capsys: pytest.CaptureFixture[str], old: str, new: str) -> None:
    validate("diff", run_json(capsys, "diff", old, new))


def test_diff_options(capsys: pytest.CaptureFixture[str], draft_file: Path) -> None:
    doc = run_json(capsys, "diff", "1.2", "1.3", "--fail-on", "any", code=1)
    assert doc["failed"]
    validate("diff", doc)
    doc = run_json(capsys, "diff", "1.2", "1.3", "--texts", str(draft_file))
    assert doc["texts_warnings"]
    validate("diff", doc)
    with pytest.raises(AssertionError):
        validate("diff", {**doc, "surprise": 1})


def test_diff_with_the_texts(capsys: pytest.CaptureFixture[str], shared: Path) -> None:
    corpus = shared / "corpus" / "bio2"
    doc = run_json(capsys, "diff", "1.2", "1.3", "--texts", str(corpus))
    assert doc["texts"] is True
    assert any("words" in c for c in doc["changed"])
    validate("diff", doc)


@pytest.mark.parametrize("measure", ["5.10.02", "5.04.02", "5.19.01", "8.16.03"])
def test_history(capsys: pytest.CaptureFixture[str], measure: str) -> None:
    validate("history", run_json(capsys, "history", measure))


def test_watch(capsys: pytest.CaptureFixture[str], shared: Path, draft_file: Path) -> None:
    latest = shared / "corpus" / "bio2" / DRAFTS[-1] / "maatregelen.md"
    validate("watch", run_json(capsys, "watch", "--source", str(latest)))
    doc = run_json(capsys, "watch", "--source", str(draft_file), code=1)
    assert doc["status"] == "changed"
    validate("watch", doc)


def test_migrate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = tmp_path / "bio104.csv"
    old.write_text(
        "control,status\nA.12.6.1,implemented\nA.5.1.1,partial\nA.5.1.2,planned\n"
        "A.6.1.1,not applicable\n",
        encoding="utf-8",
    )
    doc = run_json(capsys, "migrate", "--soa", str(old), "--from", "iso27001-2013")
    validate("migrate", doc)
    assert doc["summary"]["new"] == 11
    assert len(doc["lines"]) == 4
