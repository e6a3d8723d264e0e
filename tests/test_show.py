"""``bio2map show`` for every kind of id, fields a draft does not record, short draft
names, the wrong-command hint and ``--basis`` on the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.errors import UnknownVersionError
from bio2map.core.reader import read_manifest

OLD_DRAFTS = ["2024-06-draft", "2024-10-consultation", "2025-03-concept"]
NEW_DRAFTS = ["1.1", "1.1.1", "1.2", "1.3"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def links(doc: dict[str, Any], link: str) -> list[tuple[str, str]]:
    return [(x["id"], x["basis"]) for x in doc["links"] if x["link"] == link]


# --- show: every kind of id -----------------------------------------------------------------


def test_show_nis2_point(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "21(2)(d)")
    assert (doc["id"], doc["is"], doc["ref"], doc["kind"]) == (
        "nis2:21.2.d",
        "a NIS2 requirement",
        "Art. 21(2)(d)",
        "point",
    )
    assert doc["label"] == "supply chain security"
    assert doc["parent"]["id"] == "nis2:21.2"
    assert doc["children"] == []
    implemented = links(doc, "implemented by")
    assert ("ir2690:5.1.4", "section_heading") in implemented
    assert len(implemented) == 29
    assert links(doc, "served by") == [
        ("iso27002:5.19", "section_heading"),
        ("iso27002:5.20", "section_heading"),
        ("iso27002:5.21", "section_heading"),
        ("iso27002:5.22", "section_heading"),
        ("iso27002:8.30", "section_heading"),
    ]


def test_show_nis2_article_and_part(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "Art. 21")
    assert (doc["id"], doc["is"], doc["parent"]) == ("nis2:21", "a NIS2 article", None)
    assert doc["children"] == ["nis2:21.1", "nis2:21.2", "nis2:21.3", "nis2:21.4", "nis2:21.5"]
    assert links(doc, "transposed by") == [("cbw:21", "inferred_subject")]
    mfa = run_json(capsys, "show", "nis2:21.2.j.mfa")
    assert mfa["parent"]["id"] == "nis2:21.2.j"
    assert links(mfa, "implemented by")[:1] == [("ir2690:11.7", "section_heading")]
    assert links(mfa, "served by") == [("iso27002:8.5", "section_heading")]


def test_show_annex_node(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "ir2690:11.7")
    assert doc["is"] == "a 2024/2690 annex requirement"
    assert doc["label"] == "multi-factor authentication"
    assert doc["points"] == [
        {"id": "nis2:21.2.i", "basis": "section_heading"},
        {"id": "nis2:21.2.j.mfa", "basis": "section_heading"},
    ]
    assert doc["children"] == ["ir2690:11.7.1", "ir2690:11.7.2"]
    assert doc["parent"] == {"id": "ir2690:11", "ref": "11", "label": "access control"}
    assert links(doc, "served by") == [("iso27002:8.5", "source_mapping")]
    inherited = run_json(capsys, "show", "9.2(a)")
    assert links(inherited, "served by") == [
        ("iso27002:5.31", "section_table"),
        ("iso27002:8.24", "section_table"),
    ]


def test_show_iso_control_theme_and_clause(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "A.5.19")
    assert (doc["id"], doc["is"], doc["title"], doc["theme"]) == (
        "iso27002:5.19",
        "an ISO control",
        "Information security in supplier relationships",
        "organizational",
    )
    assert doc["parent"]["id"] == "iso27002:5"
    assert doc["attributes"]["verified"] is False
    assert links(doc, "serves") == [
        ("nis2:21.2.a", "section_heading"),
        ("nis2:21.2.d", "section_heading"),
    ]
    assert links(doc, "refined by") == [("bio2:5.19.01", "numbering")]
    assert ("ir2690:5.1.4", "source_mapping") in links(doc, "mapped from")
    theme = run_json(capsys, "show", "iso27002:5")
    assert theme["is"] == "an ISO 27002 theme"
    assert len(theme["children"]) == 37
    clause = run_json(capsys, "show", "iso27001:6.2")
    assert (clause["is"], clause["kind"], clause["attributes"]) == (
        "an ISO 27001 clause",
        "clause",
        None,
    )
    assert ("ir2690:7.2", "section_table") in links(clause, "mapped from")
    assert ("nis2:21.2.f", "section_heading") in links(clause, "serves")


def test_show_cbw_article(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "cbw:24")
    assert (doc["is"], doc["label"]) == ("a Cbw article", "governance: duties of management bodies")
    assert links(doc, "transposes") == [("nis2:20", "inferred_subject")]


def test_show_measure_has_both_labels(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "show", "5.19.01")
    assert doc["label_en"] == "security requirements included in tenders"
    assert doc["label_nl"] == "beveiligingseisen onderdeel van offerteaanvragen"
    assert links(doc, "refines") == [("iso27002:5.19", "numbering")]
    assert links(doc, "serves (through its control)") == [
        ("nis2:21.2.a", "section_heading"),
        ("nis2:21.2.d", "section_heading"),
    ]
    code, out, _ = run(capsys, "show", "5.19.01")
    assert code == 0
    assert "security requirements included in tenders" in out
    assert "beveiligingseisen onderdeel van offerteaanvragen" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
@pytest.mark.parametrize("ident", ["21(2)(d)", "5.1.4", "A.8.5", "iso27001:9.3.2", "cbw:25"])
def test_show_tables(capsys: pytest.CaptureFixture[str], fmt: str, ident: str) -> None:
    code, out, err = run(capsys, "show", ident, "--format", fmt)
    assert (code, err) == (0, "")
    assert "parent" in out
    assert "basis" in out  # the header of the links table
    if fmt == "csv":  # one tidy table: a first column names the part
        assert out.startswith("table,field,value,link,")
        assert "\nnode,id," in out
        assert "\nlinks,,," in out
    else:
        assert "Links of " in out


def test_show_texts_only_for_measures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "A.5.19", "--texts", "/nonexistent")
    assert code == 0  # the source is not read for a control
    assert "--texts applies to BIO2 measures only." in out


# --- fields a draft does not record -----------------------------------------------------------


@pytest.mark.parametrize("slug", OLD_DRAFTS + NEW_DRAFTS)
def test_measures_say_what_their_draft_records(slug: str) -> None:
    draft = read_manifest().draft(slug)
    measures = bio2map.load(slug).measures
    flagged = sum(m.nis2_flag for m in measures)
    assert {m.nis2_recorded for m in measures} == {slug in OLD_DRAFTS}
    assert flagged > 0 if slug in OLD_DRAFTS else flagged == 0
    # tags: every draft but 1.3 has tag lines (the manifest counts them)
    assert {m.tags_recorded for m in measures} == {dict(draft.counts)["tag_lines"] > 0}
    assert (dict(draft.counts)["tag_lines"] == 0) == (slug == "1.3")
    for m in measures:
        assert m.nis2 == (m.nis2_flag if slug in OLD_DRAFTS else None)


def test_show_says_not_recorded_not_no(capsys: pytest.CaptureFixture[str]) -> None:
    for slug in NEW_DRAFTS:
        doc = run_json(capsys, "show", "5.19.01", "--bio2", slug)
        assert (doc["nis2"], doc["nis2_recorded"]) == (None, False)
        _, out, _ = run(capsys, "show", "5.19.01", "--bio2", slug)
        row = next(line for line in out.splitlines() if line.startswith("NIS2 tag"))
        assert "not recorded" in row
        assert not row.rstrip().endswith(" no")
    old = run_json(capsys, "show", "5.19.01", "--bio2", "2025-03-concept")
    assert (old["nis2"], old["nis2_recorded"]) == (True, True)
    no = run_json(capsys, "show", "5.05.01", "--bio2", "2025-03-concept")
    assert (no["nis2"], no["nis2_recorded"]) == (False, True)
    _, out, _ = run(capsys, "show", "5.05.01", "--bio2", "2025-03-concept")
    assert "NIS2 tag     no" in out
    v13 = run_json(capsys, "show", "5.19.01", "--bio2", "1.3")
    assert (v13["tags"], v13["tags_recorded"]) == ([], False)
    _, out, _ = run(capsys, "show", "5.19.01")
    assert "tags         not recorded (BIO2 1.3 has no tag lines)" in out
    v12 = run_json(capsys, "show", "5.19.01", "--bio2", "1.2")
    assert v12["tags_recorded"] is True
    assert v12["tags"]


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
