"""The command line: ``--basis`` and the ISO 27001 clauses of ``uncovered``."""

from __future__ import annotations

import json
from typing import Any

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.errors import UnknownVersionError
from bio2map.core.reader import read_manifest


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    assert err == ""
    return json.loads(out)


# --- short draft names ----------------------------------------------------------------------


SHORT = {
    "2024-06": "2024-06-draft",
    "2024-10": "2024-10-consultation",
    "2025-03": "2025-03-concept",
    "1.3.0": "1.3",
    "1.1.0": "1.1",
    "1.1.1.0": "1.1.1",
    "v1.2.0": "1.2",
    "BIO2 1.3.0": "1.3",
    "2024-06-draft": "2024-06-draft",
    "BIO2 versie 1.3": "1.3",
}


@pytest.mark.parametrize(("short", "slug"), SHORT.items())
def test_short_draft_names(short: str, slug: str) -> None:
    assert read_manifest().draft_slug(short) == slug
    assert bio2map.load(short).bio2_version == slug


@pytest.mark.parametrize("bad", ["2024", "2026-01", "1.0", "1.3.1", "2024-06-x"])
def test_no_short_name_guesses(bad: str) -> None:
    with pytest.raises(UnknownVersionError):
        read_manifest().draft_slug(bad)


def test_short_names_in_diff_and_history(capsys: pytest.CaptureFixture[str]) -> None:
    d = bio2map.diff("2024-10", "2025-03")
    assert (d.old, d.new) == ("2024-10-consultation", "2025-03-concept")
    assert bio2map.history("5.10.02", at="2024-06").at == "2024-06-draft"
    doc = run_json(capsys, "diff", "2025-03", "1.1.0")
    assert (doc["from"], doc["to"]) == ("2025-03-concept", "1.1")
    lin = run_json(capsys, "history", "5.04.02", "--bio2", "2024-10")
    assert lin["at"] == "2024-10-consultation"
    assert run_json(capsys, "controls", "21(2)(d)", "--bio2", "1.3.0")["bio2_version"] == "1.3"
    assert run_json(capsys, "show", "5.19.01", "--bio2", "2024-06")["draft"] == "2024-06-draft"


# --- a wrong command gets a hint ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("controls", "5.19"),
            "5.19 is an ISO control: try `bio2map requirements 5.19` or `bio2map show 5.19`"
            " (controls takes a requirement id)",
        ),
        (
            ("controls", "A.8.5"),
            "A.8.5 is an ISO control: try `bio2map requirements A.8.5` or `bio2map show A.8.5`"
            " (controls takes a requirement id)",
        ),
        (
            ("requirements", "21(2)(d)"),
            "21(2)(d) is a NIS2 requirement: try `bio2map controls '21(2)(d)'` or"
            " `bio2map show '21(2)(d)'` (requirements takes a control id)",
        ),
        (
            ("requirements", "ir2690:5.1.4"),
            "ir2690:5.1.4 is a 2024/2690 annex requirement: try `bio2map controls ir2690:5.1.4`"
            " or `bio2map show ir2690:5.1.4` (requirements takes a control id)",
        ),
        (
            ("controls", "5.19.01"),
            "5.19.01 is a BIO2 measure: try `bio2map requirements 5.19.01` or"
            " `bio2map show 5.19.01` (controls takes a requirement id)",
        ),
        (
            ("controls", "iso27001:9.2"),
            "iso27001:9.2 is an ISO 27001 clause: try `bio2map requirements iso27001:9.2` or"
            " `bio2map show iso27001:9.2` (controls takes a requirement id)",
        ),
        (
            ("controls", "cbw:24"),
            "cbw:24 is a Cbw article: try `bio2map show cbw:24` (controls takes a requirement id)",
        ),
    ],
)
def test_wrong_command_gets_a_hint(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    for fmt in ("table", "json"):
        code, out, err = run(capsys, *argv, "--format", fmt)
        assert (code, out) == (2, "")
        assert err == f"bio2map: error: {message}\n"  # one line


def test_unknown_id_keeps_its_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "controls", "21(2)(k)")
    assert code == 2
    assert err.startswith("bio2map: error: unknown requirement id '21(2)(k)'; did you mean")
    code, _, err = run(capsys, "requirements", "5.99")
    assert "unknown control id '5.99'; did you mean" in err


# --- --basis on the command line ------------------------------------------------------------


def test_controls_basis_option(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "controls", "21(2)(i)", "--basis", "explicit")
    assert doc["basis"] == "explicit"
    assert [c["ref"] for c in doc["controls"]] == [
        "A.5.15", "A.7.1", "A.7.2", "A.7.4", "A.8.3", "A.8.21",
    ]  # fmt: skip
    every = run_json(capsys, "controls", "21(2)(i)")
    assert "A.8.5" in [c["ref"] for c in every["controls"]]
    code, out, _ = run(capsys, "controls", "ir2690:9.2.a")
    assert code == 0
    header = out.splitlines()[2].split()
    assert header[:4] == ["control", "title", "relationship", "basis"]
    assert "section_table" in out
    code, out, _ = run(capsys, "controls", "ir2690:9.2.a", "--basis", "heading")
    assert code == 0
    assert "No ISO control reaches ir2690:9.2.a." in out
    assert "--basis heading: only explicit_text and section_heading links" in out


def test_requirements_basis_option(capsys: pytest.CaptureFixture[str]) -> None:
    every = run_json(capsys, "requirements", "8.24")
    heading = run_json(capsys, "requirements", "8.24", "--basis", "heading")
    assert heading["basis"] == "heading"
    dropped = {r["id"] for r in every["requirements"]} - {r["id"] for r in heading["requirements"]}
    assert "ir2690:9.2.a" in dropped
    assert {r["basis"] for r in every["requirements"] if r["id"] in dropped} == {"section_table"}


def test_uncovered_basis_option_and_clauses(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "uncovered")
    assert doc["ir2690_without_target"] == []
    assert [c["ref"] for c in doc["clauses_without_requirement"]] == [
        "4",
        "5.1",
        "7.4",
        "7.5",
        "10.2",
    ]
    heading = run_json(capsys, "uncovered", "--basis", "heading")
    assert len(heading["ir2690_without_target"]) == 24
    assert {r["id"].split(":")[1].split(".")[0] for r in heading["ir2690_without_target"]} == {
        "7",
        "9",
    }
    code, out, _ = run(capsys, "uncovered")
    assert code == 0
    assert "ISO 27001 clauses no NIS2 requirement reaches" in out
    assert "Leadership and commitment" in out
    code, _, err = run(capsys, "uncovered", "--basis", "stated")
    assert code == 2
    assert "invalid choice: 'stated'" in err
