"""Every class of hostile input the CLI reads gets a clean refusal.

Each case generates its input in a temporary folder, runs ``bio2map`` through
``main(argv)`` and checks: exit code 2, nothing on stdout, one message that starts with
``bio2map:`` (a problem group prints its header and one indented line per problem) and
no traceback. Cases that could block (a named pipe without a writer) run in a child
process with a timeout, so a hang fails instead of blocking the suite.

Output faults (a full disk, a broken pipe, export targets) and layer semantics are not
covered here.
"""

from __future__ import annotations

import importlib.util
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from bio2map.core.userfiles import LAYER, MARKDOWN, SOA, YAML
from tests.hostile.support import assert_refused, run, run_process, write_sparse

needs_yaml = pytest.mark.skipif(
    importlib.util.find_spec("yaml") is None, reason="needs PyYAML: pip install 'bio2map[yaml]'"
)

NAME_TOO_LONG = "n" * 300  # longer than any file system's name limit (255 bytes)
LAYER_HEAD = "subject_id,predicate_id,object_id\n"


def _text(tmp_path: Path, name: str, content: str | bytes) -> str:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return str(p)


# Each case: (tmp_path) -> (argv, fragments the message must hold, most lines allowed).
Case = Callable[[Path], tuple[list[str], list[str], int]]

SOA_CASES: dict[str, Case] = {
    "cell over 128 KB": lambda t: (
        ["gaps", "--soa", _text(t, "big.csv", "control,status\n" + "9" * 200_000 + ",ja\n")],
        ["big.csv: line 2: control: unknown control id", "(20"],  # the id is cut
        2,
    ),
    "100,000 unknown ids": lambda t: (
        ["gaps", "--soa", _text(t, "many.txt", "".join(f"8.{100 + i}\n" for i in range(100_000)))],
        ["and 99900 more lines not checked (stopped after 100 unknown ids)"],
        102,
    ),
    "one unknown id 100,000 times": lambda t: (
        ["gaps", "--soa", _text(t, "same.txt", "9.99\n" * 100_000)],
        ["line 1: control: unknown control id '9.99'", "(listed 100000 times)"],
        2,
    ),
    "control character in an id": lambda t: (
        ["gaps", "--soa", _text(t, "ctl.csv", "control\n5.1\x1b[2J9\n")],
        ["ctl.csv: line 2: control: the id '5.1\\x1b[2J9' holds the control character U+001B"],
        2,
    ),
    "NUL bytes": lambda t: (
        ["gaps", "--soa", _text(t, "x.xlsx", b"PK\x03\x04\x00\x00\x14\x00")],
        ["x.xlsx: binary file; expected CSV or a text list of control ids"],
        2,
    ),
    "UTF-16 without BOM": lambda t: (
        ["gaps", "--soa", _text(t, "u16.csv", "control\n5.19\n".encode("utf-16-le"))],
        ["binary file", "looks like UTF-16 without a byte order mark"],
        2,
    ),
    "Latin-1": lambda t: (
        ["gaps", "--soa", _text(t, "latin.csv", b"control\n5.19\n5.2\xe9\n")],
        ["latin.csv: line 3: not UTF-8 text (invalid continuation byte at byte 16)"],
        2,
    ),
    "a folder": lambda t: (["gaps", "--soa", str(t)], [f"{t}: a folder, not a file"], 2),
    "/dev/zero": lambda t: (["gaps", "--soa", "/dev/zero"], ["/dev/zero: a device"], 2),
    "/dev/null": lambda t: (["gaps", "--soa", "/dev/null"], ["/dev/null: a device"], 2),
    "empty path": lambda t: (["gaps", "--soa", ""], ["(empty path): no file name given"], 2),
    "name too long": lambda t: (
        ["gaps", "--soa", str(t / NAME_TOO_LONG)],
        ["the file name is too long for the file system"],
        2,
    ),
    "missing": lambda t: (["gaps", "--soa", str(t / "nope.csv")], ["No such file"], 2),
    "over the cap": lambda t: (
        ["gaps", "--soa", str(write_sparse(t / "huge.csv", SOA.limit + 1))],
        [f"{SOA.limit + 1} bytes; an SoA may be at most {SOA.limit}"],
        2,
    ),
    "comments only": lambda t: (
        ["gaps", "--soa", _text(t, "c.txt", "# nothing\n" * 1000)],
        ["no control ids in the file"],
        2,
    ),
}

LAYER_CASES: dict[str, Case] = {
    "cell over 128 KB": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "big.csv", LAYER_HEAD + "myorg:A,equal," + "9" * 200_000 + "\n"),
        ],
        ["big.csv: line 2: object_id: unknown id"],
        2,
    ),
    "escape sequence in an id": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "esc.csv", LAYER_HEAD + "o:\x1b]0;x,equal,5.19\n"),
        ],
        ["subject_id: the id 'o:\\x1b]0;x' holds the control character U+001B"],
        2,
    ),
    "bidi override in an id": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "bidi.csv", LAYER_HEAD + "o:a\u202eb,equal,5.19\n"),
        ],
        ["holds the control character U+202E"],
        2,
    ),
    "10,000 unknown ids": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "u.csv", LAYER_HEAD + "".join(f"o:a,equal,9.{i}\n" for i in range(10_000))),
        ],
        ["stopped after 200 problems"],
        202,
    ),
    "an unclosed quote that swallows the file": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "q.csv", LAYER_HEAD + 'o:a,equal,"5.19\n' + "o:b,equal,5.2\n" * 50_000),
        ],
        ["q.csv: line 2: object_id: the id '5.19\\no:b,equal,5.2", "U+000A"],
        2,
    ),
    "NUL bytes": lambda t: (
        ["requirements", "5.19", "--layer", _text(t, "b.csv", b"\x00\x01\x02binary")],
        ["b.csv: binary file; expected CSV or TSV"],
        2,
    ),
    "Latin-1 deep in the file": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(
                t,
                "l.csv",
                (LAYER_HEAD + "".join(f"o:{i},equal,5.19\n" for i in range(5000))).encode()
                + b"o:\xe9,equal,5.1\n",
            ),
        ],
        ["l.csv: line 5002: not UTF-8 text"],
        2,
    ),
    "a folder": lambda t: (["requirements", "5.19", "--layer", str(t)], ["a folder"], 2),
    "/dev/zero": lambda t: (["requirements", "5.19", "--layer", "/dev/zero"], ["a device"], 2),
    "empty path": lambda t: (["requirements", "5.19", "--layer", ""], ["no file name given"], 2),
    "name too long": lambda t: (
        ["requirements", "5.19", "--layer", str(t / (NAME_TOO_LONG + ".csv"))],
        ["the file name is too long"],
        2,
    ),
    "over the cap": lambda t: (
        ["requirements", "5.19", "--layer", str(write_sparse(t / "huge.csv", LAYER.limit + 1))],
        [f"{LAYER.limit + 1} bytes; a layer may be at most {LAYER.limit}"],
        2,
    ),
    "YAML nested 100,000 deep": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(t, "deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ],
        ["YAML nested more than 64 levels deep"],
        2,
    ),
    "YAML over the cap": lambda t: (
        ["requirements", "5.19", "--layer", str(write_sparse(t / "huge.yaml", YAML.limit + 1))],
        [f"{YAML.limit + 1} bytes; a CISO Assistant layer may be at most {YAML.limit}"],
        2,
    ),
    "YAML escape in a ref_id": lambda t: (
        [
            "requirements",
            "5.19",
            "--layer",
            _text(
                t,
                "esc.yaml",
                "objects:\n  framework:\n    urn: urn:o:risk:framework:o\n    ref_id: O\n"
                "    requirement_nodes:\n    - urn: urn:o:risk:req_node:o:1\n"
                '      ref_id: "S\\e[2JX"\n      assessable: true\n',
            ),
        ],
        ["holds the control character U+001B"],
        2,
    ),
    "YAML folder": lambda t: (
        ["requirements", "5.19", "--layer", str((t / "d.yaml").mkdir() or t / "d.yaml")],
        ["a folder"],
        2,
    ),
}

# markdown without a measure: each parses in linear time and is refused
_NO_MEASURE = {
    "600 KB of blanks": " \t" * 300_000,
    "600 KB of #": "#" * 600_000,
    "600 KB of * and _": "*_" * 300_000,
    "digits and dots": "5." * 300_000,
    "<br> runs": "<br>" * 150_000 + " <br  " * 50_000,
    "unclosed markup": "**x " * 150_000 + "[kop 9" * 20_000,
    "long heading": "## " + "#" * 600_000,
}


def _no_measure(text: str) -> Case:
    return lambda t: (["parse", _text(t, "p.md", text)], ["no BIO2 measures found"], 1)


PARSE_CASES: dict[str, Case] = {
    **{name: _no_measure(text) for name, text in _NO_MEASURE.items()},
    "a folder": lambda t: (["parse", str(t)], ["a folder"], 1),
    "/dev/zero": lambda t: (["parse", "/dev/zero"], ["a device"], 1),
    "empty path": lambda t: (["parse", ""], ["no file name given"], 1),
    "over the cap": lambda t: (
        ["parse", str(write_sparse(t / "huge.md", MARKDOWN.limit + 1))],
        [f"a BIO2 draft may be at most {MARKDOWN.limit}"],
        1,
    ),
    "not UTF-8": lambda t: (
        ["parse", _text(t, "k.md", b"## 5.01.01 ok\n\xff\xfe\n")],
        ["k.md: line 2: not UTF-8 text"],
        1,
    ),
}

OTHER_CASES: dict[str, Case] = {
    "unknown version of 120 KB": lambda t: (
        ["controls", "21(2)(d)", "--bio2", "v" * 120_000],
        ["unknown BIO2 version", "(120000 characters)"],
        1,
    ),
    "requirement id of 120 KB": lambda t: (
        ["controls", "x" * 120_000],
        ["unknown requirement id"],
        1,
    ),
    "texts from a folder": lambda t: (
        ["show", "5.01.01", "--texts", str(t)],
        ["has no 1.3/maatregelen.md"],
        1,
    ),
    "texts from a device": lambda t: (
        ["show", "5.01.01", "--texts", "/dev/zero"],
        ["is neither a file nor a folder"],
        1,
    ),
}


def _cases(table: dict[str, Case]) -> list[object]:
    return [
        pytest.param(case, id=name, marks=[needs_yaml] if "YAML" in name else [])
        for name, case in table.items()
    ]


@pytest.mark.parametrize("case", _cases(SOA_CASES))
def test_soa(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, fragments, lines = case(tmp_path)
    assert_refused(*run(capsys, *argv), *fragments, max_lines=lines)


@pytest.mark.parametrize("case", _cases(LAYER_CASES))
def test_layer(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, fragments, lines = case(tmp_path)
    assert_refused(*run(capsys, *argv), *fragments, max_lines=lines)


@pytest.mark.parametrize("case", _cases(PARSE_CASES))
def test_parse(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, fragments, lines = case(tmp_path)
    assert_refused(*run(capsys, *argv), *fragments, max_lines=lines)


@pytest.mark.parametrize("case", _cases(OTHER_CASES))
def test_other(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, fragments, lines = case(tmp_path)
    code, out, err = run(capsys, *argv)
    assert_refused(code, out, err, *fragments, max_lines=lines)
    assert len(err) < 2000  # a long argument is not echoed whole


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["gaps", "--soa", "{fifo}"], id="soa"),
        pytest.param(["requirements", "5.19", "--layer", "{fifo}"], id="layer"),
        pytest.param(
            ["requirements", "5.19", "--layer", "{fifo}.yaml"], id="YAML layer", marks=needs_yaml
        ),
        pytest.param(["parse", "{fifo}"], id="parse"),
    ],
)
def test_named_pipe_without_a_writer_is_refused_at_once(argv: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    os.mkfifo(f"{fifo}.yaml")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    code, out, err = run_process(*(a.format(fifo=fifo) for a in argv))
    assert_refused(code, out, err, "a named pipe (FIFO), not a regular file")


def test_a_symlink_to_a_device_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "soa.csv"
    link.symlink_to("/dev/zero")
    assert_refused(*run(capsys, "gaps", "--soa", str(link)), "soa.csv: a device")
