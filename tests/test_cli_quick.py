"""The argparse-free reading of a plain ``controls`` / ``requirements`` call gives exactly
what argparse gives, and leaves every other command line to argparse."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bio2map.cli.main import parser
from bio2map.cli.quick import quick_args

TOKENS = [
    "21(2)(d)",
    "5.19",
    "A.5.19",
    "-5.19",
    "--format",
    "-f",
    "json",
    "csv",
    "xml",
    "--format=json",
    "--format=md",
    "-fjson",
    "--bio2",
    "1.2",
    "--bio2=2024-06",
    "--basis",
    "explicit",
    "heading",
    "--basis=all",
    "--no-clauses",
    "--layer",
    "x.csv",
    "--data-dir",
    "--form",
    "--help",
    "-h",
    "--",
    "",
]


def argparse_reading(argv: list[str]) -> dict[str, object] | None:
    """What argparse makes of ``argv`` (None: it refuses it)."""
    try:
        return vars(parser(argv[0]).parse_args(argv))
    except SystemExit:
        return None


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["controls", "requirements"]),
    st.lists(st.sampled_from(TOKENS), max_size=6),
)
def test_quick_reading_is_what_argparse_reads(command: str, rest: list[str]) -> None:
    argv = [command, *rest]
    quick = quick_args(argv)
    if quick is None:
        return  # argparse reads it, as always
    assert vars(quick) == argparse_reading(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["controls", "21(2)(d)", "--format", "json"],
        ["controls", "--format=json", "Art. 21(2)(d)", "--no-clauses", "--basis", "explicit"],
        ["requirements", "5.19", "-f", "csv", "--bio2", "1.2"],
        ["requirements", "A.5.19"],
    ],
)
def test_plain_pipeline_calls_take_the_quick_path(argv: list[str]) -> None:
    quick = quick_args(argv)
    assert quick is not None
    assert vars(quick) == argparse_reading(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["controls"],
        ["controls", "21(2)(d)", "--help"],
        ["controls", "21(2)(d)", "--layer", "x.csv"],
        ["controls", "21(2)(d)", "--data-dir", "d"],
        ["controls", "21(2)(d)", "--format", "json", "--format", "csv"],
        ["controls", "21(2)(d)", "--format", "xml"],
        ["controls", "21(2)(d)", "--form", "json"],
        ["controls", "a", "b"],
        ["requirements", "5.19", "--no-clauses"],
        ["gaps", "--soa", "x.csv"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert quick_args(argv) is None


def test_a_cold_query_imports_no_argparse() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from bio2map.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['controls', '21(2)(d)', '--format', 'json']) == 0\n"
        "print(sorted(m for m in ('argparse', 'gettext', 'locale') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
