"""``bio2map search``: ids and labels in both languages, accent and case insensitive."""

from __future__ import annotations

import json

import pytest

from bio2map.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dutch_word_finds_the_supplier_measures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "leverancier", "--scheme", "bio2", "-f", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["query"] == "leverancier"
    assert doc["scheme"] == "bio2"
    assert doc["count"] == len(doc["results"]) == 10
    first = doc["results"][0]
    assert first["id"] == "bio2:5.20.02"
    assert first["is"] == "a BIO2 measure"
    assert first["ref"] == "5.20.02"
    assert "leverancier" in first["label_nl"]
    assert "supplier" in first["label"]
    assert all(r["id"].startswith("bio2:") for r in doc["results"])


def test_case_and_accents_do_not_matter(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(capsys, "search", "LEVERANCIER", "-f", "json")
    _, accented, _ = run(capsys, "search", "léverancier", "-f", "json")
    assert json.loads(plain)["results"] == json.loads(accented)["results"]
    assert json.loads(plain)["count"] > 10  # the NIS2 and annex nodes too, not only bio2


def test_english_words_find_nis2_point_and_annex_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "search", "supply chain", "-f", "json")
    ids = [r["id"] for r in json.loads(out)["results"]]
    assert ids[:2] == ["nis2:21.2.d", "ir2690:5"]  # document order: NIS2 before the annex


def test_no_match_is_an_empty_answer_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "zzzqqq")
    assert code == 0
    assert err == ""
    assert "0 node(s) matching 'zzzqqq'" in out
    assert "nothing matches" in out


def test_table_and_csv_have_both_labels(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "search", "leveranciers", "--scheme", "bio2", "-f", "csv")
    lines = out.splitlines()
    assert lines[0] == "id,is,ref,label,label (nl)"
    assert lines[1].startswith("bio2:")
    _, md, _ = run(capsys, "search", "leveranciers", "--bio2", "1.2", "-f", "md")
    assert "BIO2 1.2" in md


def test_unknown_scheme_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "x", "--scheme", "nope"]) == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
