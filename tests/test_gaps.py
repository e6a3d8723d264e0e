"""Gap analysis with real SoA files (issue 9): the one SoA model, clauses and controls kept
apart, the scoring rule, the gate, and every output.

Each SoA is written to ``tmp_path`` and read the way a user's file is: through
``bio2map gaps --soa FILE`` (:func:`bio2map.cli.main.main`) or ``Catalog.coverage(path)``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core.soa import STATUS_WORDS, AmbiguousSoaIdError
from tests.conftest import REPO

FORMATS = ("table", "csv", "md", "json")


def write(tmp_path: Path, text: str, name: str = "vvt.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def gaps(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["gaps", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def gaps_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = gaps(capsys, *argv, "--format", "json")
    return code, json.loads(out)


def point(doc: dict[str, Any], letter: str) -> dict[str, Any]:
    return next(p for p in doc["points"] if p["id"] == f"nis2:21.2.{letter}")


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory, catalog: bio2map.Catalog) -> Path:
    """All 93 controls and all 41 ISO 27001 clauses implemented, with a kind column."""
    lines = ["control,kind,status"]
    lines += [f"{c.ref},control,implemented" for c in catalog.controls]
    lines += [f"{n.id},clause,yes" for n in catalog.nodes("iso27001")]
    return write(tmp_path_factory.mktemp("soa"), "\n".join(lines) + "\n", "all.csv")


NINE_PARTIAL = "control;status\n" + "".join(
    f"{c};deels\n"
    for c in ("A.5.1", "A.5.24", "A.5.29", "A.5.19", "A.8.8", "A.6.3", "A.8.24", "A.5.15", "A.8.5")
)


# --- the gate ------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["points-mean", "points-min", "annex-mean", "points-any"])
def test_everything_implemented_scores_one_on_every_metric(
    capsys: pytest.CaptureFixture[str], everything: Path, metric: str
) -> None:
    code, doc = gaps_json(
        capsys, "--soa", str(everything), "--metric", metric, "--fail-under", "1.0"
    )
    assert (code, doc["passed"], doc["score"]) == (0, True, 1.0)
    assert {m["value"] for m in doc["metrics"].values()} == {1.0}
    assert doc["summary"]["clauses_assessed"]
    assert doc["summary"]["not_counted"] == 0 or all(
        e["reason"].startswith("maps to no") for e in doc["not_counted"]
    )
    assert all(p["status"] == "partial" and p["share"] == 1.0 for p in doc["points"])


def test_all_controls_without_clauses_pass_one_on_the_default(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: bio2map.Catalog
) -> None:
    soa = write(tmp_path, "control\n" + "".join(f"{c.ref}\n" for c in catalog.controls))
    code, doc = gaps_json(capsys, "--soa", str(soa), "--fail-under", "1.0")
    assert (code, doc["metric"], doc["score"]) == (0, "points-mean", 1.0)
    # (f) maps only to clauses and the SoA names none: left out, and named
    assert [x["id"] for x in doc["metrics"]["points-mean"]["left_out"]] == ["nis2:21.2.f"]
    assert point(doc, "f")["status"] == "unmapped"
    assert doc["metrics"]["points-any"]["value"] == 0.9  # the 0.1 gate stays what it was


def test_nine_partial_controls_cannot_pass_the_default_gate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(tmp_path, NINE_PARTIAL)
    code, out, _ = gaps(capsys, "--soa", str(soa), "--fail-under", "0.9")
    assert code == 1
    assert "FAILED: " in out
    assert "(points-mean)" in out
    code, doc = gaps_json(capsys, "--soa", str(soa), "--fail-under", "0.9")
    assert (code, doc["passed"]) == (1, False)
    assert doc["score"] <= 0.5  # a partial control counts half at most
    # the 0.1 gate, which counted points with any coverage, would have passed them
    code, doc = gaps_json(
        capsys, "--soa", str(soa), "--fail-under", "0.9", "--metric", "points-any"
    )
    assert (code, doc["score"]) == (0, 0.9)


def test_fail_under_takes_a_ratio(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    soa = write(tmp_path, NINE_PARTIAL)
    code, _, err = gaps(capsys, "--soa", str(soa), "--fail-under", "90")
    assert code == 2
    assert "expected a number from 0 to 1" in err


# --- clauses and controls ------------------------------------------------------------------


def test_a_bare_id_that_is_both_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(tmp_path, "control,status\nA.5.19,implemented\n6.2,implemented\n8.1,ja\n")
    code, out, err = gaps(capsys, "--soa", str(soa))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == (
        "bio2map: error: ids in the SoA that are both an ISO 27001 clause and an Annex A control:"
    )
    assert lines[1] == (
        f"  {soa}: line 3: control: '6.2' is both ISO 27001 clause 6.2 (Information security "
        "objectives and planning to achieve them) and Annex A control A.6.2 (Terms and "
        "conditions of employment): write 'clause 6.2' or 'iso27001:6.2' for the clause, "
        "'A.6.2' or 'iso27002:6.2' for the control"
    )
    assert lines[2].startswith(f"  {soa}: line 4: control: '8.1' is both ISO 27001 clause 8.1")
    assert "add a kind column (control or clause), or pass --ids controls|clauses" in lines[3]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "argv", "want"),
    [
        ("control,status\nA.6.2,ja\n", (), "iso27002:6.2"),
        ("control,status\nclause 6.2,ja\n", (), "iso27001:6.2"),
        ("control,status\niso27001:6.2,ja\n", (), "iso27001:6.2"),
        ("control,status\nISO 27001 6.2,ja\n", (), "iso27001:6.2"),
        ("control,kind,status\n6.2,clause,ja\n", (), "iso27001:6.2"),
        ("control;soort;status\n6.2;Control;ja\n", (), "iso27002:6.2"),
        ("control,status\n6.2,ja\n", ("--ids", "clauses"), "iso27001:6.2"),
        ("control,status\n6.2,ja\n", ("--ids", "controls"), "iso27002:6.2"),
        # the kind column wins over --ids for its line
        ("control,kind,status\n6.2,control,ja\n", ("--ids", "clauses"), "iso27002:6.2"),
    ],
)
def test_how_to_say_which(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    argv: tuple[str, ...],
    want: str,
) -> None:
    code, doc = gaps_json(capsys, "--soa", str(write(tmp_path, text)), *argv)
    assert code == 0
    assert [e["id"] for e in doc["soa_entries"]] == [want]
    assert doc["summary"]["clauses_assessed"] == want.startswith("iso27001:")


def test_a_kind_that_does_not_fit_the_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(tmp_path, "control,kind,status\n5.19,clause,ja\n6.2,beide,ja\n")
    code, _, err = gaps(capsys, "--soa", str(soa))
    assert code == 2
    assert f"{soa}: line 3: kind: unknown kind 'beide'; write control" in err
    soa = write(tmp_path, "control,kind,status\n5.19,clause,ja\n")
    code, _, err = gaps(capsys, "--soa", str(soa))
    assert code == 2
    assert f"{soa}: line 2: control: unknown clause id '5.19'" in err


def test_the_api_refuses_the_same_ids(catalog: bio2map.Catalog) -> None:
    with pytest.raises(AmbiguousSoaIdError) as e:
        catalog.coverage({"6.2": "implemented"})
    assert isinstance(e.value, KeyError)
    assert e.value.suggestions == ("iso27001:6.2", "iso27002:6.2")
    assert "write 'clause 6.2' or 'iso27001:6.2'" in str(e.value)
    cov = catalog.coverage({"6.2": "implemented"}, ids="clauses")
    assert [x.id for x in cov.entries] == ["iso27001:6.2"]
    with pytest.raises(ValueError, match="ids must be one of controls, clauses"):
        catalog.coverage(["A.5.19"], ids="both")


def test_clauses_named_in_the_soa_are_assessed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: bio2map.Catalog
) -> None:
    soa = write(tmp_path, "control,status\nA.5.19,ja\nclause 9.3,ja\nclause 9.1,deels\n")
    code, doc = gaps_json(capsys, "--soa", str(soa))
    assert code == 0
    f = point(doc, "f")
    assert (f["status"], f["counted"]) == ("partial", 5)
    # 9.3 holds 9.3.1-9.3.3, which the mapping names: they take its status
    assert f["implemented"] == ["iso27001:9.3.1", "iso27001:9.3.2", "iso27001:9.3.3"]
    assert f["controls"] == {
        "iso27001:6.2": "not-in-soa",
        "iso27001:9.1": "partial",
        "iso27001:9.3.1": "implemented",
        "iso27001:9.3.2": "implemented",
        "iso27001:9.3.3": "implemented",
    }
    assert f["share"] == round((3 + 0.5) / 5, 4)
    assert f["reason"] == "3 of 5 clauses implemented; cl. 9.1 partial; cl. 6.2 not in the SoA"
    cov = catalog.coverage(soa)
    f_item = next(p for p in cov.points if p.id == "nis2:21.2.f")
    assert [c.listed_as for c in f_item.controls] == [
        "",
        "iso27001:9.1",
        "iso27001:9.3",
        "iso27001:9.3",
        "iso27001:9.3",
    ]
    assert (f_item.partial, f_item.open) == (("iso27001:9.1",), ("iso27001:6.2",))
    # every other point now counts its clauses too, as not in the SoA where it is silent
    assert "cl. 5.2" in point(doc, "a")["reason"]


def test_include_clauses_is_a_no_op_with_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = str(write(tmp_path, "control\nA.5.19\n"))
    _, plain, _ = gaps(capsys, "--soa", soa, "--format", "json")
    code, out, err = gaps(capsys, "--soa", soa, "--format", "json", "--include-clauses")
    assert (code, out) == (0, plain)
    assert err == (
        "bio2map: note: --include-clauses is deprecated and does nothing: the ISO 27001 clauses "
        "named in the SoA are assessed\n"
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_tables_write_controls_and_clauses_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    soa = write(tmp_path, "control,status\nA.6.2,ja\nclause 6.2,ja\n")
    code, out, _ = gaps(capsys, "--soa", str(soa), "--format", fmt)
    assert code == 0
    assert "A.6.2" in out
    assert "cl. 6.2" in out
    rest = out.replace("cl. 6.2", "").replace("A.6.2", "")
    assert not re.findall(r"(?<![\w.])6\.2(?![\w.(])", rest)  # no bare 6.2 anywhere


# --- the scoring rule ----------------------------------------------------------------------


def test_not_applicable_leaves_the_denominator(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(
        tmp_path,
        "control;status;justification\n"
        "A.5.19;implemented;\n"
        "A.5.20;implemented;\n"
        "A.5.21;planned;\n"
        "A.5.22;not implemented;\n"
        "A.8.30;n.v.t.;We outsource no development\n",
    )
    _, doc = gaps_json(capsys, "--soa", str(soa))
    d = point(doc, "d")
    assert (d["status"], d["share"], d["counted"]) == ("partial", 0.5, 4)
    assert d["controls"]["iso27002:8.30"] == "not-applicable"
    assert doc["weights"]["not-applicable"] is None
    assert d["reason"] == (
        "2 of 4 controls implemented; A.5.21 planned; A.5.22 not implemented; "
        "A.8.30 not applicable (left out)"
    )
    na = next(e for e in doc["soa_entries"] if e["id"] == "iso27002:8.30")
    assert (na["weight"], na["justification"]) == (None, "We outsource no development")


def test_every_control_not_applicable_makes_the_point_not_applicable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # (j) maps to A.8.5 alone
    soa = write(tmp_path, "control,status,justification\nA.8.5,N/A,no remote access\nA.5.19,ja,\n")
    _, doc = gaps_json(capsys, "--soa", str(soa))
    j = point(doc, "j")
    assert (j["status"], j["counted"]) == ("not-applicable", 0)
    assert j["reason"] == "every mapped control is not applicable: A.8.5"
    left_out = doc["metrics"]["points-mean"]["left_out"]
    assert [(x["id"], x["status"]) for x in left_out] == [
        ("nis2:21.2.f", "unmapped"),
        ("nis2:21.2.j", "not-applicable"),
    ]
    assert doc["metrics"]["points-mean"]["over"] == 8
    assert doc["summary"]["points_not_applicable"] == 1


def test_unmapped_is_kept_apart_from_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, doc = gaps_json(capsys, "--soa", str(write(tmp_path, "control\nA.5.19\n")))
    f, b = point(doc, "f"), point(doc, "b")
    assert (f["status"], b["status"]) == ("unmapped", "none")
    assert f["reason"] == (
        "only ISO 27001 clauses are mapped (cl. 6.2, cl. 9.1, cl. 9.3.1, cl. 9.3.2, cl. 9.3.3); "
        "the SoA assesses no clause"
    )
    assert b["reason"].startswith("0 of 9 controls implemented; A.5.24, A.5.25")
    assert b["reason"].endswith(" not in the SoA")
    s = doc["summary"]
    assert (s["points_unmapped"], s["points_none"]) == (1, 7)
    # with a clause in the SoA, (f) can be assessed: nothing of it is there, so none
    _, doc = gaps_json(capsys, "--soa", str(write(tmp_path, "control\nA.5.19\nclause 4.1\n")))
    assert point(doc, "f")["status"] == "none"


def test_not_counted_lines_are_listed_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(
        tmp_path,
        "control,status\nA.5.19,planned\nA.7.6,ja\nA.5.19,implemented\nA.5,ja\nclause 4.1,ja\n",
    )
    code, doc = gaps_json(capsys, "--soa", str(soa))
    assert code == 0
    assert [(e["line"], e["id"], e["reason"]) for e in doc["not_counted"]] == [
        (2, "iso27002:5.19", "listed again: line 4 (implemented) counts"),
        (3, "iso27002:7.6", "maps to no Art. 21(2) point or 2024/2690 requirement"),
        (5, "iso27002:5", "an ISO 27002 theme, not a control: list its controls"),
        (6, "iso27001:4.1", "maps to no Art. 21(2) point or 2024/2690 requirement"),
    ]
    assert doc["summary"]["not_counted"] == 4
    for fmt in ("table", "csv", "md"):
        _, out, err = gaps(capsys, "--soa", str(soa), "--format", fmt)
        assert "listed again: line 4 (implemented) counts" in out
        assert "an ISO 27002 theme, not a control" in out
        assert "4 not counted" in out or fmt == "csv"
        assert err.startswith(f"bio2map: warning: {soa}: line 4: iso27002:5.19 is listed again")


def test_every_output_carries_the_justification(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    why = "Geen eigen serverruimte"
    soa = write(tmp_path, f"control;status;toelichting\nA.7.11;nvt;{why}\nA.5.19;ja;\n")
    for fmt in FORMATS:
        code, out, _ = gaps(capsys, "--soa", str(soa), "--format", fmt)
        assert code == 0
        assert why in out, fmt
    _, doc = gaps_json(capsys, "--soa", str(soa))
    entry = doc["soa_entries"][0]
    assert (entry["status"], entry["weight"], entry["justification"]) == (
        "not-applicable",
        None,
        why,
    )
    assert point(doc, "c")["controls"]["iso27002:7.11"] == "not-applicable"


def test_annex_lists_every_requirement(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    soa = str(write(tmp_path, "control\nA.5.19\n"))
    _, short, _ = gaps(capsys, "--soa", soa, "--format", "csv")
    _, full, _ = gaps(capsys, "--soa", soa, "--format", "csv", "--annex")
    assert "2024/2690 requirements: " not in short  # only counted, in a note of the table
    assert len(full.splitlines()) == len(short.splitlines()) + 351  # one tidy table: its rows
    assert "5.1.4," in full
    _, doc = gaps_json(capsys, "--soa", soa)
    assert len(doc["requirements"]) == 351


# --- statuses, stdin and the API -----------------------------------------------------------

DUTCH = (
    "control;status;toelichting\n"
    "A.5.19;Ja;\n"
    "A.5.20;Deels;\n"
    "A.5.21;Gepland;\n"
    "A.5.22;Nee;\n"
    "A.8.30;N.V.T.;Geen uitbestede ontwikkeling\n"
    "A.8.5;Niet geïmplementeerd;\n"
    "A.8.24;Gedeeltelijk;\n"
    "A.5.31;uitgesloten;\n"
    "A.5.24;geimplementeerd;\n"
)


def test_dutch_statuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, doc = gaps_json(capsys, "--soa", str(write(tmp_path, DUTCH)))
    assert code == 0
    assert [e["status"] for e in doc["soa_entries"]] == [
        "implemented",
        "partial",
        "planned",
        "not-implemented",
        "not-applicable",
        "not-implemented",
        "partial",
        "not-applicable",
        "implemented",
    ]
    d = point(doc, "d")
    assert (d["share"], d["counted"]) == (round(1.5 / 4, 4), 4)


def test_a_bad_status_names_file_line_field_and_the_accepted_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    soa = write(tmp_path, "control;status\nA.5.19;ja\nA.5.20;misschien\n")
    code, out, err = gaps(capsys, "--soa", str(soa))
    assert (code, out) == (2, "")
    assert err.splitlines()[1].startswith(
        f"  {soa}: line 3: status: unknown status 'misschien'; use one of: implemented ("
    )
    for words in STATUS_WORDS.values():
        assert words[0].replace(" ", "-") in err
    assert "deels" in err
    assert "n.v.t." in err


def test_help_lists_the_accepted_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--help"]) == 0
    out = capsys.readouterr().out
    for status, words in STATUS_WORDS.items():
        assert status in out
        for word in words[1:]:
            # wrapped lines break at spaces: compare without them; accents are left out
            flat = re.sub(r"\s+", "", out)
            assert re.sub(r"\s+", "", word).replace("ï", "i") in flat, word
    for metric in ("points-mean", "points-min", "annex-mean", "points-any"):
        assert metric in out


def test_soa_from_standard_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, from_file = gaps_json(capsys, "--soa", str(write(tmp_path, DUTCH)))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DUTCH.encode("utf-8"))))
    code, from_stdin = gaps_json(capsys, "--soa", "-")
    assert code == 0
    assert from_stdin["soa"] == {"entries": 9, "file": "<stdin>"}
    for key in ("points", "requirements", "summary", "metrics"):
        assert from_stdin[key] == from_file[key]


def test_soa_from_a_pipe() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [sys.executable, "-m", "bio2map", "gaps", "--soa", "-", "--format", "json"],
        input=DUTCH.encode("utf-8"),
        capture_output=True,
        check=False,
        env=env,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    doc = json.loads(done.stdout)
    assert doc["soa"]["file"] == "<stdin>"
    assert point(doc, "d")["controls"]["iso27002:5.20"] == "partial"


def test_coverage_takes_every_form_of_an_soa(catalog: bio2map.Catalog, tmp_path: Path) -> None:
    from bio2map.formats.soa import read_soa

    path = write(tmp_path, DUTCH)
    by_path = catalog.coverage(path)
    assert catalog.coverage(str(path)) == by_path
    assert catalog.coverage(read_soa(path, catalog)) == by_path
    assert by_path.source == str(path)
    mapping = {
        "5.19": "Implemented",
        "A.5.20": "partially_implemented",
        "iso27002:8.30": "n/a",
        "5.21": "in progress",
    }
    from_mapping = catalog.coverage(mapping)
    d = next(p for p in from_mapping.points if p.id == "nis2:21.2.d")
    assert (d.share, d.counted) == (round(1.5 / 4, 4), 4)
    assert [e.status for e in from_mapping.entries] == [
        "implemented",
        "partial",
        "planned",
        "not-applicable",
    ]  # without lines: in the standard's order, whatever the mapping's order
    assert catalog.coverage(dict(reversed(list(mapping.items())))) == from_mapping
    ids = catalog.coverage(["A.5.19", "5.20"])
    assert {e.status for e in ids.entries} == {"implemented"}
    with pytest.raises(TypeError, match="not bytes"):
        catalog.coverage(b"5.19")


def test_coverage_answers_are_cached_and_frozen(catalog: bio2map.Catalog) -> None:
    first = catalog.coverage({"A.5.19": "ja"})
    assert catalog.coverage({"A.5.19": "ja"}) is first
    assert catalog.coverage({"A.5.19": "deels"}) is not first
    with pytest.raises(AttributeError):
        first.points = ()  # type: ignore[misc]


def test_the_worked_example_of_concepts(catalog: bio2map.Catalog) -> None:
    """docs/concepts.md, "The coverage rule": point (c) of the how-to's SoA."""
    cov = catalog.coverage(
        {
            "A.5.29": "deels",
            "A.5.30": "gepland",
            "A.7.11": "n.v.t.",
            "A.8.13": "ja",
            "A.5.26": "ja",
        }
    )
    c = next(p for p in cov.points if p.id == "nis2:21.2.c")
    assert [(x.id, x.status, x.weight) for x in c.controls] == [
        ("iso27002:5.26", "implemented", 1.0),
        ("iso27002:5.29", "partial", 0.5),
        ("iso27002:5.30", "planned", 0.0),
        ("iso27002:7.11", "not-applicable", None),
        ("iso27002:8.13", "implemented", 1.0),
        ("iso27002:8.14", "not-in-soa", 0.0),
    ]
    assert (c.counted, c.share, c.status) == (5, 0.5, "partial")
    assert c.reason == (
        "2 of 5 controls implemented; A.5.29 partial; A.5.30 planned; A.8.14 not in the SoA; "
        "A.7.11 not applicable (left out)"
    )


# --- the how-to page -------------------------------------------------------------------------

HOWTO = REPO / "docs" / "howto" / "gap-analysis.md"
BLOCK = re.compile(
    r"<!-- (?P<what>file|output|stderr): (?P<spec>[^\n]*?) -->\n"
    r"(?P<fence>`{3,})(?P<lang>\w*)\n(?P<body>.*?)(?P=fence)\n",
    re.DOTALL,
)
UPDATE = os.environ.get("BIO2MAP_UPDATE_DOCS") == "1"


def _select(doc: Any, path: str) -> Any:
    """``.points[2]`` or ``.metrics.points-mean`` of a JSON document."""
    for name, index in re.findall(r"\.([\w-]+)|\[(\d+)\]", path):
        doc = doc[name] if name else doc[int(index)]
    return doc


def _run(spec: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str, int]:
    """``bio2map ARGS [| .SELECTOR | head N] [; exit N]`` -> (stdout, the selected JSON or the
    first N lines; stderr; exit code)."""
    spec, _, want_code = spec.partition("; exit ")
    command, _, selector = spec.partition(" | ")
    argv = shlex.split(command)
    assert argv[0] == "bio2map", spec
    code = main(argv[1:])
    out, err = capsys.readouterr()
    if selector.startswith("head "):  # the first lines, as `| head -n N` gives them
        out = "".join(out.splitlines(keepends=True)[: int(selector[5:])])
    elif selector:
        out = json.dumps(_select(json.loads(out), selector.strip()), indent=2, sort_keys=True)
        out += "\n"
    assert code == int(want_code or 0), spec
    return out, err, code


def test_howto_page_shows_the_current_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/howto/gap-analysis.md shows what `bio2map gaps` prints for its own SoA.

    To bring the page up to date: ``BIO2MAP_UPDATE_DOCS=1 pytest tests/test_gaps.py -k howto``.
    """
    page = HOWTO.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    blocks = list(BLOCK.finditer(page))
    assert [m["what"] for m in blocks].count("file") >= 2
    new_page, stale = page, []
    for m in blocks:
        if m["what"] == "file":
            (tmp_path / m["spec"]).write_text(m["body"], encoding="utf-8")
            continue
        out, err, _ = _run(m["spec"], capsys)
        shown = out if m["what"] == "output" else err
        if shown != m["body"]:
            stale.append(m["spec"])
            head = f"<!-- {m['what']}: {m['spec']} -->\n{m['fence']}{m['lang']}\n"
            new_page = new_page.replace(m.group(0), f"{head}{shown}{m['fence']}\n", 1)
    if UPDATE and new_page != page:
        HOWTO.write_text(new_page, encoding="utf-8")
    assert not stale, "stale output in docs/howto/gap-analysis.md (see the docstring): " + str(
        stale
    )


def test_howto_soa_is_the_realistic_one() -> None:
    page = HOWTO.read_text(encoding="utf-8")
    m = next(m for m in BLOCK.finditer(page) if m["what"] == "file" and m["spec"] == "vvt.csv")
    rows = list(csv.DictReader(io.StringIO(m["body"]), delimiter=";"))
    controls = [r for r in rows if r["control"].startswith("A.")]
    clauses = [r for r in rows if r["control"].startswith("clause ")]
    assert len(controls) == 40
    assert len(clauses) >= 5
    statuses = {bio2map_status(r["status"]) for r in rows}
    assert statuses == {"implemented", "partial", "planned", "not-implemented", "not-applicable"}
    assert all(r["toelichting"] for r in rows if bio2map_status(r["status"]) == "not-applicable")


def test_howto_lists_every_accepted_word() -> None:
    page = HOWTO.read_text(encoding="utf-8")
    for words in STATUS_WORDS.values():
        for word in words:
            assert f"`{word}`" in page, word


def bio2map_status(text: str) -> str:
    from bio2map.core.soa import normalize_status

    return normalize_status(text)
