"""The command line through main(argv): every command, format and exit code; the lazy
command table and the one result type."""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bio2map.cli.command import CommandResult
from bio2map.cli.main import COMMANDS, main, parser
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"
FORMATS = ["table", "json", "csv", "md"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_golden_controls_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "controls", "21(2)(d)", "--format", "json")
    assert (code, err) == (0, "")
    assert out == (GOLDEN / "controls_21_2_d.json").read_text(encoding="utf-8")
    doc = json.loads(out)
    assert doc["requirement"] == "nis2:21.2.d"
    for c in doc["controls"]:
        assert {"id", "title", "relationship", "via", "sources", "measures"} <= c.keys()
        assert all(m.startswith("bio2:") for m in c["measures"])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "argv",
    [
        ("controls", "Art. 21(2)(d)"),
        ("controls", "21(2)(a)", "--no-clauses", "--bio2", "1.2"),
        ("controls", "Art. 23"),
        ("requirements", "5.19"),
        ("requirements", "5.19.01", "--bio2", "2024-06-draft"),
        ("uncovered",),
        ("uncovered", "--bio2", "1.1"),
        ("info",),
    ],
)
def test_every_command_and_format(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], fmt: str
) -> None:
    code, out, err = run(capsys, *argv, "--format", fmt)
    assert (code, err) == (0, "")
    assert out.endswith("\n")
    if fmt == "json":
        json.loads(out)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0]
    elif fmt == "md":
        assert out.startswith("## ")
    # deterministic
    assert run(capsys, *argv, "--format", fmt)[1] == out


def test_requirements_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "requirements", "A.5.19", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["control"] == "iso27002:5.19"
    ids = [r["id"] for r in doc["requirements"]]
    assert ids[:2] == ["nis2:21.2.a", "nis2:21.2.d"]
    for r in doc["requirements"]:
        assert {"id", "relationship", "via", "sources"} <= r.keys()


def test_controls_for_legislation_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "controls", "Art. 23")
    assert "addressed by legislation (cbw:25)" in out


def test_uncovered_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "uncovered", "--format", "json")
    doc = json.loads(out)
    assert [r["id"] for r in doc["nis2_without_controls"]][:3] == [
        "nis2:20",
        "nis2:21.1",
        "nis2:21.2.j.comms",
    ]
    assert len(doc["controls_without_requirement"]) == 24


def test_info_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "info", "--format", "json")
    doc = json.loads(out)
    names = [d["name"] for d in doc["datasets"]]
    assert names[:4] == ["nis2", "ir2690", "iso27001-2022", "enisa-ir2690-iso27001"]
    enisa = doc["datasets"][3]
    assert enisa["licence"] == "CC BY 4.0"
    assert enisa["counts"]["pairs"] == 926
    assert all(len(d["sha256"]) == 64 for d in doc["datasets"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_gaps_formats(capsys: pytest.CaptureFixture[str], soa: Path, fmt: str) -> None:
    code, out, err = run(capsys, "gaps", "--soa", str(soa), "--format", fmt)
    assert (code, err) == (0, "")
    if fmt == "json":
        doc = json.loads(out)
        d = next(p for p in doc["points"] if p["id"] == "nis2:21.2.d")
        assert d["status"] == "partial"
        assert d["share"] == 0.375  # 8.30 is not applicable: out of the denominator
        assert d["missing"] == ["iso27002:5.20", "iso27002:5.21", "iso27002:5.22", "iso27002:8.30"]
        # 8.5 reaches (i) through annex 11.7 and (j): (d), (i), (j) and one more point
        assert doc["summary"]["points_covered_share"] == 0.4
        assert doc["soa"]["entries"] == 5


def test_gaps_fail_under(capsys: pytest.CaptureFixture[str], soa: Path) -> None:
    any_ = ("--metric", "points-any")  # the 0.1 gate; tests/test_gaps.py has the others
    gate = ("gaps", "--soa", str(soa), *any_, "--fail-under")
    code, out, _ = run(capsys, *gate, "0.5", "--format", "json")
    assert code == 1
    assert json.loads(out)["passed"] is False
    code, out, _ = run(capsys, *gate, "0.4", "--format", "json")
    assert code == 0
    assert json.loads(out)["passed"] is True
    code, out, _ = run(capsys, *gate, "0.5")
    assert code == 1
    assert "FAILED: 0.40 is below --fail-under 0.50 (points-any)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("controls", "21(2)(k)"), "bio2map: error: unknown requirement id '21(2)(k)'"),
        (("controls", "21(2)(d)", "--bio2", "7.0"), "bio2map: error: unknown BIO2 version '7.0'"),
        (("requirements", "5.99"), "bio2map: error: unknown control id '5.99'; did you mean"),
        (("requirements", "bogus"), "bio2map: error: unknown control id 'bogus'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_soa_files_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cases = {
        "unknown.csv": (
            "control\n5.19\n5.99\n",
            "unknown.csv: line 3: control: unknown control id",
        ),
        "empty.csv": ("", "empty.csv: control: no control ids in the file"),
        "binary.xlsx": (b"PK\x03\x04\x00\x00", "binary.xlsx: binary file"),
        "latin.csv": (b"control\n5.2\xe9\n", "latin.csv: line 2: not UTF-8"),
    }
    for name, (content, message) in cases.items():
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        code, out, err = run(capsys, "gaps", "--soa", str(p))
        assert code == 2, name
        assert out == ""
        assert message in err, err
        assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ("gaps",),
        ("gaps", "--soa", "x", "--fail-under", "2"),
        ("nope",),
        ("--format", "xml", "info"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("bio2map 0.")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "Exit codes: 0 ok, 1 threshold not met, 2 bad input." in out


def test_python_dash_m_and_console_script() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bio2map", "controls", "21(2)(d)", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == (GOLDEN / "controls_21_2_d.json").read_text(encoding="utf-8")


# --- the command table -----------------------------------------------------------------


def test_command_table_matches_the_modules() -> None:
    modules = {m: importlib.import_module(m) for m in set(COMMANDS.values())}
    for name, module in COMMANDS.items():
        assert name in modules[module].PARSERS, (name, module)
    for module_name, module in modules.items():
        assert {c for c, m in COMMANDS.items() if m == module_name} == set(module.PARSERS)
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == list(COMMANDS)  # --help lists them in this order


def _cli_modules_after(argv: list[str]) -> set[str]:
    """The bio2map.cli modules a fresh process has imported after ``main(argv)``."""
    code = (
        "import contextlib, io, sys\n"
        "from bio2map.cli.main import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    main({argv!r})\n"
        "print(' '.join(m for m in sys.modules if m.startswith('bio2map.cli.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(out.stdout.split())


BASE = {"bio2map.cli.main", "bio2map.cli.command", "bio2map.cli.quick", "bio2map.cli.parsing"}
"""What every run that builds a parser imports (the quick reader looks first)."""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_only_the_command_that_runs_is_imported(command: str) -> None:
    expected = {*BASE, COMMANDS[command]}
    assert _cli_modules_after([command, "--help"]) == expected


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h", "controls"], ["nope"]])
def test_help_and_no_command_know_every_command(argv: list[str]) -> None:
    assert _cli_modules_after(argv) == BASE | set(COMMANDS.values())


def test_a_plain_query_imports_its_module_and_no_parser() -> None:
    modules = _cli_modules_after(["controls", "21(2)(d)", "--format", "json"])
    assert modules == {"bio2map.cli.main", "bio2map.cli.command", "bio2map.cli.quick"} | {
        "bio2map.cli.query"
    }


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help", "controls")
    assert code == 0
    for name in COMMANDS:
        assert f"\n    {name}" in out, name


def test_cold_json_query_stays_light() -> None:
    """``controls --format json`` builds no record and no table: the benchmark's path."""
    code = (
        "import contextlib, io, sys\n"
        "from bio2map.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['controls', '21(2)(d)', '--format', 'json'])\n"
        "print(' '.join(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = set(out.stdout.split())
    assert not loaded & {"typing", "attrs", "networkx", "csv", "html", "bio2map.core.records"}
    assert not loaded & {"bio2map.render.notebook", "bio2map.cli.drafts", "bio2map.cli.export"}
    # the output side: no CSV, terminal size, signal handling, spellings or JSON Schema
    assert not loaded & {"shutil", "signal", "tempfile", "textwrap", "pathlib"}
    assert not loaded & {"bio2map.core.atomic", "bio2map.render.spelling", "bio2map.formats"}
    assert not {m for m in loaded if m.startswith(("jsonschema", "referencing"))}


# --- one result type -------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["controls", "21(2)(d)", "--format", "json"],
        ["controls", "21(2)(d)"],
        ["requirements", "5.19"],
        ["uncovered"],
        ["info"],
        ["drafts"],
        ["show", "5.17.01"],
        ["history", "5.10.02"],
        ["diff", "1.2", "1.3", "--fail-on", "moved"],
        ["diff", "1.2", "1.3", "--format", "md"],
        ["export", "--format", "sssom"],
    ],
)
def test_every_command_returns_a_command_result(argv: list[str]) -> None:
    args = parser(argv[0]).parse_args(argv)
    result = args.func(args)
    assert isinstance(result, CommandResult)
    doc, output, code = result  # unpacks like the (doc, tables, code) of old
    assert code in (0, 1)
    if argv[0] == "export" or "md" in argv:
        assert isinstance(output, str)
    else:
        assert doc is not None
        assert isinstance(output, tuple)
    with pytest.raises(AttributeError):
        result.code = 2  # type: ignore[misc]


def test_gaps_and_parse_return_command_results(soa: Path, tmp_path: Path) -> None:
    args = parser("gaps").parse_args(["gaps", "--soa", str(soa), "--fail-under", "0.9"])
    assert args.func(args).code == 1
    draft = tmp_path / "d.md"
    draft.write_text("# Draft\n\n## 5.01.01\n\nFlorp the wibble.\n", encoding="utf-8")
    args = parser("parse").parse_args(["parse", str(draft)])
    doc, (table,), code = args.func(args)
    assert (code, table.columns) == (0, ("id", "control", "kind", "target", "tags"))
    assert [m["id"] for m in doc["measures"]] == ["5.01.01"]
