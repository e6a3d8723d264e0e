"""Tests of the ``drafts``, ``show`` and ``parse`` commands (:mod:`bio2map.cli.drafts`).

Synthetic drafts use made-up words. The real drafts are read from the shared corpus at
run time (skipped when it is absent); their text never appears in expectations here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bio2map.cli.main import main
from bio2map.core.reader import read_manifest
from bio2map.drafts.parser import fingerprint, parse_file
from tests.test_sources import SLUGS, Server

FORMATS = ["table", "json", "csv", "md"]

SYNTHETIC = """---
title: Zorblat
---

# Zorblat quiffle

Preamble of grobbles, never inspected.

## 5.01.01

Florp the wibble quandersnatch; grobble the zint.

Draagt bij aan: Basishygiëne, Ketenhygiëne

## 5.01.02

Vervallen.

## 6.03.01

Verplaatst naar 6.03.02.

---

Stray zonkle line outside any measure.

## 8.16.02

Geen overheidsmaatregel, zie de frobnitz.
"""
SECRET = "quandersnatch"  # a word of the synthetic measure text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    assert out.endswith(("}\n", "]\n"))
    again = run(capsys, *argv, "--format", "json")
    assert again == (0, out, err), "JSON output must be deterministic"
    return json.loads(out)


@pytest.fixture
def draft_file(tmp_path: Path) -> Path:
    path = tmp_path / "zorblat.md"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return path


# --- help ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["drafts", "show", "parse"])
def test_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "--format" in out


# --- drafts ----------------------------------------------------------------------------


def test_drafts_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "drafts")
    man = read_manifest()
    assert [d["slug"] for d in doc] == SLUGS
    for item, draft in zip(doc, man.drafts, strict=True):
        assert item["label"] == draft.label
        assert item["status"] == draft.status
        assert item["date"] == draft.date
        assert item["commit"] == draft.commit
        assert len(item["commit"]) == 40
        assert item["source_path"] == draft.source_path
        assert item["sha256"] == draft.sha256
        assert item["counts"] == dict(draft.counts)
        assert item["default"] is (draft.slug == man.default_bio2)
    assert sum(item["default"] for item in doc) == 1
    last = doc[-1]
    assert last["slug"] == "1.3"
    assert last["counts"]["moved"] == 5
    assert last["counts"]["withdrawn"] == 4
    assert last["counts"]["see_other"] == 1


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_drafts_tables(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "drafts", "--format", fmt)
    assert code == 0
    assert err == ""
    for slug in SLUGS:
        assert slug in out
    for header in ("measures", "no-measure", "moved", "withdrawn", "see-other"):
        assert header in out
    assert "cd1a7bf" in out  # short commit of 1.3
    assert "cd1a7bf24737f25ccc22fc17bc51bf84b84e25f6" not in out


def test_drafts_csv_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "drafts", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == (
        "slug,label,status,date,commit,default,measures,no-measure,moved,withdrawn,see-other"
    )
    assert lines[-1] == "1.3,BIO2 versie 1.3,definitief,2026-01-09,cd1a7bf,yes,117,39,5,4,1"
    assert len(lines) == 1 + len(SLUGS)


# --- show ------------------------------------------------------------------------------


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "5.17.01")
    assert doc["id"] == "bio2:5.17.01"
    assert doc["number"] == "5.17.01"
    assert doc["draft"] == "1.3"
    assert doc["kind"] == "measure"
    assert doc["control"]["id"] == "iso27002:5.17"
    assert doc["control"]["ref"] == "A.5.17"
    assert doc["control"]["title"]
    assert doc["fingerprint"].startswith("sha256:")
    assert doc["tags"] == []
    assert doc["tags_recorded"] is False  # 1.3 has no tag lines
    assert doc["nis2"] is None  # not recorded from 1.1 on: not "no"
    assert doc["nis2_recorded"] is False
    assert doc["text"] is None
    assert doc["control_title_nl"] is None
    assert doc["texts_source"] is None
    assert doc["text_matches_fingerprint"] is None


def test_show_other_draft(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "5.17.1", "--bio2", "1.1")
    assert doc["id"] == "bio2:5.17.01"
    assert doc["draft"] == "1.1"
    assert doc["tags"]  # 1.1 has contribution tags


def test_show_marker(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "5.26.01")
    assert doc["kind"] == "moved"
    assert doc["target"] == "bio2:5.25.02"  # dangling in 1.3, kept as written
    code, out, _ = run(capsys, "show", "5.26.01")
    assert code == 0
    assert "moved -> 5.25.02" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_show_tables(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "show", "5.17.01", "--format", fmt)
    assert code == 0
    assert err == ""
    assert "5.17.01" in out
    assert "fingerprint" in out
    assert "measure" in out


def test_show_unknown_measure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "5.17.99")
    assert code == 2
    assert out == ""
    assert "unknown id '5.17.99'" in err
    assert "did you mean" in err


def test_show_not_a_measure(capsys: pytest.CaptureFixture[str]) -> None:
    # show takes every kind of id (tests/test_show.py); an ambiguous one is refused
    code, _, err = run(capsys, "show", "6.1.2")
    assert code == 2
    assert "ambiguous id '6.1.2'" in err
    assert "iso27001:6.1.2" in err


def test_show_unknown_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "5.17.01", "--bio2", "7.7")
    assert code == 2
    assert out == ""
    assert "unknown BIO2 version '7.7'" in err
    for slug in SLUGS:
        assert slug in err


def test_show_missing_texts_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "show", "5.17.01", "--texts", str(tmp_path / "nope"))
    assert code == 2
    assert "nope" in err
    assert "neither a file nor a folder" in err


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_with_texts_from_folder(
    capsys: pytest.CaptureFixture[str], shared: Path, fmt: str
) -> None:
    corpus = shared / "corpus" / "bio2"
    code, out, err = run(
        capsys, "show", "5.17.01", "--bio2", "1.1", "--texts", str(corpus), "--format", fmt
    )
    assert code == 0, err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["text"]
        assert fingerprint(doc["text"]) == doc["fingerprint"]
        assert doc["control_title_nl"]
        assert doc["text_matches_fingerprint"] is True
        assert doc["texts_source"] == str(corpus / "1.1" / "maatregelen.md")
    else:
        assert "control (nl)" in out
        assert "1.1/maatregelen.md" in out
        assert "does not match" not in out
        assert len(out.splitlines()) > 10 or fmt == "csv"


def test_show_with_texts_json_is_deterministic(
    capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    doc = run_json(capsys, "show", "8.16.02", "--texts", str(shared / "corpus" / "bio2"))
    assert doc["text"]
    assert doc["control_title_nl"] is None  # 1.3 has no control headings


def test_show_with_texts_from_other_file(
    capsys: pytest.CaptureFixture[str], draft_file: Path
) -> None:
    doc = run_json(capsys, "show", "5.01.01", "--texts", str(draft_file))
    assert doc["text"] == "Florp the wibble quandersnatch; grobble the zint."
    assert doc["text_matches_fingerprint"] is False
    assert doc["texts_source"] == f"{draft_file} (not the pinned 1.3 file)"
    code, out, _ = run(capsys, "show", "5.01.01", "--texts", str(draft_file))
    assert code == 0
    assert "does not match the packaged fingerprint" in out
    assert "Florp the wibble quandersnatch" in out
    code, out, _ = run(capsys, "show", "5.02.01", "--texts", str(draft_file))
    assert code == 0
    assert "no entry for this measure" in out


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


def test_show_with_downloaded_texts(
    capsys: pytest.CaptureFixture[str],
    shared: Path,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = read_manifest().draft("1.2")
    server.serve(draft, (shared / "corpus" / "bio2" / "1.2" / "maatregelen.md").read_bytes())
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", server.template)
    monkeypatch.setenv("BIO2MAP_CACHE", str(tmp_path / "cache"))
    doc = run_json(capsys, "show", "5.17.01", "--bio2", "1.2", "--texts", "download")
    assert doc["text_matches_fingerprint"] is True
    assert doc["texts_source"].startswith(f"http://127.0.0.1:{server.port}/{draft.commit}/")
    assert len(server.hits) == 1  # the second run (determinism check) read the cache


def test_show_download_failure(
    capsys: pytest.CaptureFixture[str],
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", server.template)
    monkeypatch.setenv("BIO2MAP_CACHE", str(tmp_path / "cache"))
    code, out, err = run(capsys, "show", "5.17.01", "--texts", "download")
    assert code == 2
    assert out == ""
    assert "HTTP 404" in err
    assert f"127.0.0.1:{server.port}" in err


# --- parse -----------------------------------------------------------------------------


def test_parse_json(capsys: pytest.CaptureFixture[str], draft_file: Path) -> None:
    doc = run_json(capsys, "parse", str(draft_file))
    assert doc["source"] == "zorblat.md"
    assert doc["layout"] == "1.2"
    assert [m["id"] for m in doc["measures"]] == ["5.01.01", "5.01.02", "6.03.01", "8.16.02"]
    first, withdrawn, moved, _ = doc["measures"]
    assert first["control"] == "5.1"
    assert first["kind"] == "measure"
    assert first["target"] is None
    assert first["tags"] == ["Basishygiëne", "Ketenhygiëne"]
    assert first["nis2"] is False
    assert first["line"] == 9
    assert first["fingerprint"] == fingerprint("Florp the wibble quandersnatch; grobble the zint.")
    assert withdrawn["kind"] == "withdrawn"
    assert withdrawn["tags"] == []
    assert moved["kind"] == "moved"
    assert moved["target"] == "6.03.02"
    assert doc["unassigned"] == [25]
    assert doc["counts"] == {"measure": 1, "moved": 1, "no-measure": 1, "withdrawn": 1}
    assert all("text" not in m for m in doc["measures"])
    assert "control_titles" not in doc


@pytest.mark.parametrize("fmt", FORMATS)
def test_parse_never_prints_text_by_default(
    capsys: pytest.CaptureFixture[str], draft_file: Path, fmt: str
) -> None:
    code, out, err = run(capsys, "parse", str(draft_file), "--format", fmt)
    assert code == 0
    assert err == ""
    assert SECRET not in out
    assert "frobnitz" not in out
    assert "5.01.01" in out
    assert "6.03.02" in out  # the moved marker's target


def test_parse_with_text(capsys: pytest.CaptureFixture[str], draft_file: Path) -> None:
    doc = run_json(capsys, "parse", str(draft_file), "--with-text")
    assert doc["measures"][0]["text"] == "Florp the wibble quandersnatch; grobble the zint."
    assert doc["control_titles"] == {}


def test_parse_table_columns(capsys: pytest.CaptureFixture[str], draft_file: Path) -> None:
    _, out, _ = run(capsys, "parse", str(draft_file), "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "id,control,kind,target,tags"
    assert lines[1] == "5.01.01,5.1,measure,,Basishygiëne;Ketenhygiëne"
    assert lines[3] == "6.03.01,6.3,moved,6.03.02,"
    _, out, _ = run(capsys, "parse", str(draft_file))
    assert "Lines the parser could not place in a measure: 25." in out


def test_parse_not_a_draft(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Zibber\n\nNothing to see, only wobbles.\n", encoding="utf-8")
    code, out, err = run(capsys, "parse", str(path), "--format", "json")
    assert code == 2
    assert out == ""
    assert "notes.md: line 1:" in err
    assert "no BIO2 measures found" in err


def test_parse_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(b"## 5.01.01\n\nGr\xf6bble\n")
    code, _, err = run(capsys, "parse", str(path))
    assert code == 2
    assert "latin.md: line 3:" in err


def test_parse_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "parse", str(tmp_path / "gone.md"))
    assert code == 2
    assert out == ""
    assert "gone.md" in err


@pytest.mark.parametrize("slug", SLUGS)
def test_parse_real_drafts(capsys: pytest.CaptureFixture[str], shared: Path, slug: str) -> None:
    path = shared / "corpus" / "bio2" / slug / "maatregelen.md"
    doc = run_json(capsys, "parse", str(path))
    draft = read_manifest().draft(slug)
    counts = dict(draft.counts)
    assert len(doc["measures"]) == counts["entries"]
    assert doc["layout"] == draft.layout
    assert doc["unassigned"] == []
    code, out, _ = run(capsys, "parse", str(path), "--format", "json")
    assert code == 0
    # the default output holds no measure text: probe with the start of each long text
    leaked = [m.id for m in parse_file(path).measures if len(m.text) > 40 and m.text[:40] in out]
    assert leaked == []
