"""Output that survives every target: files, devices, pipes, full disks, encodings, signals.

The safe writer (:mod:`bio2map.core.atomic`) behind ``bio2map export -o``, standard output
that breaks or fills up, encodings that cannot show every character, terminals of every
width, spreadsheet formulas in user input, and outputs that must not hide a problem
(``info`` on a modified data file, ``diff --texts`` that falls back to estimates).

Faults that only a real process shows (a closed pipe, ``/dev/full``, a signal, the
encoding of standard output) run ``python -m bio2map`` in a subprocess, each bounded by a
timeout; nothing asserts on wall-clock time.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bio2map.core import atomic
from bio2map.core.atomic import is_special, write_file
from bio2map.core.errors import Bio2MapError, WriteError
from tests.conftest import REPO

TIMEOUT = 120  # seconds any one subprocess may take before the test fails


def _env(**extra: str) -> dict[str, str]:
    """The environment of a child process: ours without the PYTHON* encoding settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LC_CTYPE", "LANG", "COLUMNS")
    }
    env["PYTHONPATH"] = str(REPO / "src")
    env.update(extra)
    return env


def bio2map(
    *argv: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """``python -m bio2map ARGV`` in a child process; stdout and stderr as bytes."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "bio2map", *argv],
        capture_output="stdout" not in kwargs,
        env=env or _env(),
        timeout=TIMEOUT,
        check=False,
        cwd=REPO,
        **kwargs,
    )


def one_error_line(stderr: bytes) -> str:
    """The one line a failed command printed on stderr (asserted: one, no traceback)."""
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    assert text.count("\n") == 1, text
    assert text.startswith("bio2map:"), text
    return text


# --- the safe writer ------------------------------------------------------------------------


def test_a_new_file_is_written_whole_with_the_usual_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        assert write_file(tmp_path / "out.csv", "a,b\n") == str(tmp_path / "out.csv")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.csv").read_bytes() == b"a,b\n"
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    write_file(tmp_path / "out.csv", b"bytes \xe2\x86\x92\n")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "bytes →\n"


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    chain = tmp_path / "chain.json"
    chain.symlink_to(link.name)
    assert write_file(chain, "new") == str(real)
    assert link.is_symlink()
    assert chain.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.json", "link.json", "real.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")
    write_file(link, "x\n")
    assert link.is_symlink()
    assert (tmp_path / "made.csv").read_text(encoding="utf-8") == "x\n"


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro.csv"
    ro.write_text("keep", encoding="utf-8")
    ro.chmod(0o444)
    with pytest.raises(WriteError, match=r"cannot write .*ro\.csv.*read-only \(mode 0444\)"):
        write_file(ro, "new")
    link = tmp_path / "to-ro.csv"
    link.symlink_to(ro.name)
    with pytest.raises(WriteError, match="read-only"):
        write_file(link, "new")
    assert ro.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.csv", "to-ro.csv"]


@pytest.mark.parametrize(
    ("target", "message"),
    [("", "the path is empty"), (".", "it is a folder"), ("missing/x.csv", "No such file")],
)
def test_what_cannot_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WriteError, match=message) as info:
        write_file(target, "x")
    assert isinstance(info.value, Bio2MapError)
    assert isinstance(info.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_devices_are_written_to_directly() -> None:
    assert is_special("/dev/null")
    assert is_special("/dev/stdout")
    assert write_file("/dev/null", "x" * 100_000) == "/dev/null"
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)  # not replaced by a file
    with pytest.raises(WriteError, match=r"/dev/full.*No space left on device"):
        write_file("/dev/full", "x" * 100_000)


def test_a_fifo_is_written_to_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert is_special(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_file(fifo, "through the pipe\n")
    out, _ = reader.communicate(timeout=TIMEOUT)
    assert out == b"through the pipe\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(WriteError, match="No space left on device"):
        write_file(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_interrupt_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "out.csv", "new")
    assert list(tmp_path.iterdir()) == []


def test_signal_handlers_are_put_back(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    write_file(tmp_path / "a", "x")
    assert signal.getsignal(signal.SIGTERM) is before
    assert not atomic._PENDING


def test_writes_from_threads(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    before = signal.getsignal(signal.SIGTERM)
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(lambda i: write_file(tmp_path / f"{i % 4}.txt", str(i)), range(64)))
    assert len(done) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt", "3.txt"]
    assert signal.getsignal(signal.SIGTERM) is before
    assert (atomic._depth, atomic._PENDING, atomic._previous) == (0, set(), {})


_BLOCKING_EXPORT = """
import os, sys
from bio2map.core import atomic
def stuck(fd):  # the temporary file is written; the rename has not happened yet
    print("writing", flush=True)
    import time
    time.sleep({sleep})
atomic.os.fsync = stuck
{handler}
from bio2map.cli.main import main
sys.exit(main(["export", "--format", "json", "-o", sys.argv[1]]))
"""


def _stuck_export(target: Path, handler: str = "") -> subprocess.Popen[str]:
    code = textwrap.dedent(_BLOCKING_EXPORT).format(sleep=TIMEOUT, handler=handler)
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=REPO,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"  # blocks until the write is under way
    return child


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_an_export_leaves_no_temporary(tmp_path: Path, sig: int) -> None:
    target = tmp_path / "graph.json"
    target.write_text("old", encoding="utf-8")
    child = _stuck_export(target)
    assert len(list(tmp_path.glob(".graph.json.*.tmp"))) == 1
    child.send_signal(sig)
    child.communicate(timeout=TIMEOUT)
    assert child.returncode == -sig  # ended by the signal, as without the handler
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]
    assert target.read_text(encoding="utf-8") == "old"


def test_a_signal_reaches_the_handler_that_was_there(tmp_path: Path) -> None:
    handler = (
        "import signal\n"
        "def mine(signum, frame):\n"
        "    print('mine', flush=True)\n"
        "    sys.exit(7)\n"
        "signal.signal(signal.SIGTERM, mine)\n"
    )
    child = _stuck_export(tmp_path / "graph.json", handler)
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=TIMEOUT)
    assert (child.returncode, out) == (7, "mine\n")
    assert list(tmp_path.iterdir()) == []


# --- export -o through the command line -----------------------------------------------------


def test_export_to_a_read_only_file_exits_2(tmp_path: Path) -> None:
    ro = tmp_path / "ro.csv"
    ro.write_text("keep", encoding="utf-8")
    ro.chmod(0o444)
    r = bio2map("export", "--format", "csv", "-o", str(ro))
    assert r.returncode == 2
    assert "read-only" in one_error_line(r.stderr)
    assert ro.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout"])
def test_export_to_a_device(device: str) -> None:
    r = bio2map("export", "--format", "csv", "-o", device)
    assert (r.returncode, r.stderr) == (0, b"")
    if device == "/dev/stdout":
        assert r.stdout.startswith(b"source,target,relationship,")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_export_to_dev_full_exits_2() -> None:
    r = bio2map("export", "--format", "csv", "-o", "/dev/full")
    assert r.returncode == 2
    assert one_error_line(r.stderr) == (
        "bio2map: error: cannot write '/dev/full': No space left on device\n"
    )


# --- standard output that breaks ------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("info",),
        ("controls", "21(2)(d)", "--format", "json"),
        ("export", "--format", "json"),
        ("diff", "1.2", "1.3", "--format", "md"),
    ],
)
def test_a_full_disk_exits_2_with_one_line(argv: tuple[str, ...]) -> None:
    with Path("/dev/full").open("wb") as full:
        r = bio2map(*argv, stdout=full, stderr=subprocess.PIPE)
    assert r.returncode == 2
    assert one_error_line(r.stderr) == (
        "bio2map: error: cannot write the output: No space left on device\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("info",),
        ("controls", "21(2)(d)", "--format", "json"),
        ("export", "--format", "json"),
        ("uncovered", "--format", "csv"),
    ],
)
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_pipe_closed_early_exits_2_with_one_line(argv: tuple[str, ...], unbuffered: str) -> None:
    """``bio2map ... | head -c 10``: the reader is gone before the output is written."""
    env = _env(PYTHONUNBUFFERED=unbuffered)
    child = subprocess.Popen(
        [sys.executable, "-m", "bio2map", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    assert child.stdout is not None
    child.stdout.close()  # like head -c 10 that has read its bytes and left
    _, err = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 2
    assert one_error_line(err) == (
        "bio2map: error: cannot write the output: the reader closed the pipe (broken pipe)\n"
    )


def test_a_pipe_closed_after_a_part_exits_2(tmp_path: Path) -> None:
    """The reader takes a few bytes of a large export, then leaves (``| head -c 10``)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bio2map", "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(PYTHONUNBUFFERED="1"),
        cwd=REPO,
    )
    assert child.stdout is not None
    assert child.stdout.read(10) == b'{\n  "direc'
    child.stdout.close()
    _, err = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 2
    assert "broken pipe" in one_error_line(err)


def test_a_closed_stdout_exits_2() -> None:
    r = bio2map("info", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, close_fds=True)
    assert r.returncode == 0  # /dev/null takes everything
    code = "import os, sys; os.close(1); os.execv(sys.executable, sys.argv[1:])"
    r = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "bio2map", "info"],
        capture_output=True,
        env=_env(),
        timeout=TIMEOUT,
        check=False,
        cwd=REPO,
    )
    assert r.returncode == 2
    assert one_error_line(r.stderr).startswith("bio2map: error: cannot write the output")


# --- encodings ------------------------------------------------------------------------------

ENCODINGS = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "C": {"LC_ALL": "C"},  # Python's UTF-8 mode, or ASCII where it is off
    "C-ascii": {"LC_ALL": "C", "PYTHONUTF8": "0"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
}


@pytest.fixture(scope="module")
def utf8_diff_md() -> str:
    r = bio2map("diff", "1.2", "1.3", "--format", "md", env=_env(PYTHONIOENCODING="utf-8"))
    assert r.returncode == 0
    text = r.stdout.decode("utf-8")
    assert "→" in text  # the check below means something
    return text


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_diff_md_in_any_encoding(name: str, utf8_diff_md: str) -> None:
    env = _env(**ENCODINGS[name])
    r = bio2map("diff", "1.2", "1.3", "--format", "md", env=env)
    assert (r.returncode, r.stderr) == (0, b"")
    text = r.stdout.decode("cp1252" if name == "cp1252" else "utf-8")
    assert "→" not in text or name == "C"
    assert text.count("\n") == utf8_diff_md.count("\n")
    if "→" not in text:
        assert text.count("->") >= utf8_diff_md.count("→")
    assert text.count("?") == utf8_diff_md.count("?")  # no ? for what cannot be shown


@pytest.mark.parametrize("name", ["cp1252", "C-ascii"])
@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
@pytest.mark.parametrize(
    "argv",
    [("diff", "1.2", "1.3"), ("show", "5.17.01"), ("history", "5.10.02"), ("drafts",)],
)
def test_every_format_in_a_narrow_encoding(name: str, fmt: str, argv: tuple[str, ...]) -> None:
    r = bio2map(*argv, "--format", fmt, env=_env(**ENCODINGS[name]))
    assert (r.returncode, r.stderr) == (0, b"")
    r.stdout.decode("cp1252" if name == "cp1252" else "ascii")


@pytest.mark.parametrize("name", ["cp1252", "C-ascii", "ascii"])
def test_json_in_a_narrow_encoding_is_the_same_document(name: str) -> None:
    import json

    argv = ("diff", "2024-06-draft", "1.3", "--format", "json")
    utf8 = bio2map(*argv, env=_env(PYTHONIOENCODING="utf-8"))
    narrow = bio2map(*argv, env=_env(**ENCODINGS[name]))
    assert (narrow.returncode, narrow.stderr) == (0, b"")
    assert narrow.stdout.isascii()  # \u escapes: valid UTF-8 as well
    assert json.loads(narrow.stdout) == json.loads(utf8.stdout)


def test_exit_codes_do_not_change_with_the_encoding() -> None:
    for name in ENCODINGS:
        r = bio2map("diff", "1.2", "1.3", "--fail-on", "moved", env=_env(**ENCODINGS[name]))
        assert r.returncode == 1, name
        r = bio2map("requirements", "5.99", env=_env(**ENCODINGS[name]))
        assert r.returncode == 2, name
        one_error_line(r.stderr)


def test_an_export_on_stdout_is_utf8_whatever_the_encoding(tmp_path: Path) -> None:
    layer = tmp_path / "eigen.csv"
    layer.write_text(
        "subject_id,subject_label,predicate_id,object_id\n"
        'eigen:LEV-01,"leveranciers → beheer, geïmplementeerd",subset_of,A.5.19\n',
        encoding="utf-8",
    )
    argv = ("export", "--format", "sssom", "--layer", str(layer))
    utf8 = bio2map(*argv, env=_env(PYTHONIOENCODING="utf-8"))
    narrow = bio2map(*argv, env=_env(**ENCODINGS["C-ascii"]))
    assert (narrow.returncode, narrow.stderr) == (0, b"")
    assert narrow.stdout == utf8.stdout  # the file format says UTF-8
    assert "leveranciers → beheer, geïmplementeerd".encode() in utf8.stdout


def test_spellings() -> None:
    from bio2map.render.spelling import fit, fit_tables, spell
    from bio2map.render.table import Ids, Table, as_text

    assert (
        fit("– … “x” ‘y’ ≤ ≥ × • é ï ß æ €", "ascii") == "- ... \"x\" 'y' <= >= x * e i ss ae EUR"
    )
    assert fit("café → ok", "cp1252") == "café -> ok"  # only what cp1252 cannot show
    assert spell("☃") == "[U+2603]"
    assert spell("😀") == "[U+1F600]"
    assert "?" not in fit("→☃€ﬁ", "ascii")
    table = Table("a → b", ["x"], [["5.04.02 → 5.10.02"], [Ids(["é"])]], ["note …"], name="n")
    (fitted,) = fit_tables([table], "ascii")
    assert fitted.name == "n"
    assert as_text([fitted]).isascii()
    assert as_text([fitted]).splitlines()[3] == "-" * len("5.04.02 -> 5.10.02")


# --- terminals ------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", ["60", "100"])
def test_on_a_terminal_tables_fit_its_width(columns: str) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "bio2map", "controls", "21(2)(d)"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=_env(COLUMNS=columns, PYTHONIOENCODING="utf-8"),
            cwd=REPO,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        child.wait(timeout=TIMEOUT)
        assert child.stderr is not None
        err = child.stderr.read()
        child.stderr.close()
    finally:
        os.close(leader)
    assert (child.returncode, err) == (0, b"")
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    assert any("(+" in line for line in lines)  # long lists of ids are shortened


def test_not_on_a_terminal_nothing_is_cut() -> None:
    r = bio2map("controls", "21(2)(d)", env=_env(COLUMNS="60"))
    text = r.stdout.decode("utf-8")
    assert "(+" not in text
    assert "…" not in text
    assert "ir2690:5.1.7.d" in text
    assert max(len(line) for line in text.splitlines()) > 60  # one line per row


# --- formulas in user input -----------------------------------------------------------------

EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def evil_layer(tmp_path: Path) -> Path:
    layer = tmp_path / "evil.csv"
    layer.write_text(
        "subject_id,subject_label,predicate_id,object_id,source\n"
        f'myorg:REQ-1,"{EVIL.replace(chr(34), chr(34) * 2)}",subset_of,A.5.19,internal\n'
        "myorg:REQ-1,,subset_of,21(2)(d),@SUM(1+1)\n"
        'myorg:CTL-1,"+1+2 control",intersects_with,21(2)(a),-2+3\n',
        encoding="utf-8",
    )
    return layer


def _cells(text: str, delimiter: str = ",") -> list[str]:
    import csv
    import io

    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    return [c for row in csv.reader(io.StringIO(body), delimiter=delimiter) for c in row]


def _no_formula(cells: list[str]) -> None:
    from bio2map.formats.common import FORMULA_STARTS

    bad = [c for c in cells if c.startswith(FORMULA_STARTS) and c != "-" and not c[1:2].isdigit()]
    assert not bad, bad


@pytest.mark.parametrize(
    "argv",
    [
        ("requirements", "5.19", "--format", "csv"),
        ("controls", "21(2)(d)", "--format", "csv"),
        ("uncovered", "--format", "csv"),
    ],
)
def test_a_layer_label_is_no_formula_in_cli_csv(
    evil_layer: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    from bio2map.cli.main import main

    assert main([*argv, "--layer", str(evil_layer)]) == 0
    out = capsys.readouterr().out
    cells = _cells(out)
    _no_formula(cells)
    if argv[0] == "requirements":
        assert "'" + EVIL in cells


@pytest.mark.parametrize(("fmt", "delimiter"), [("sssom", "\t"), ("csv", ",")])
def test_a_layer_label_is_no_formula_in_exports(evil_layer: Path, fmt: str, delimiter: str) -> None:
    import bio2map
    from bio2map.formats.export import export, read_csv, read_sssom_mappings

    cat = bio2map.load(layers=[evil_layer])
    text = export(cat, fmt)
    cells = _cells(text, delimiter)
    _no_formula(cells)
    if fmt == "sssom":
        assert "'" + EVIL in cells
        back = read_sssom_mappings(text)
    else:
        back = read_csv(text)
    assert set(back) == set(cat.mappings)  # the round trip takes the ' off again
    assert any("@SUM(1+1)" in s for m in back for s in m.sources)


# --- no silent fallback ---------------------------------------------------------------------


def test_info_exits_2_when_a_data_file_fails_its_hash(tmp_path: Path) -> None:
    import json
    import shutil

    from bio2map.core.resources import data_dir

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    r = bio2map("info", "--data-dir", str(data), "--format", "json")
    assert (r.returncode, r.stderr) == (0, b"")
    with (data / "nis2.json").open("a", encoding="utf-8") as f:
        f.write(" ")
    r = bio2map("info", "--data-dir", str(data), "--format", "json")
    assert r.returncode == 2
    line = one_error_line(r.stderr)
    assert line.startswith("bio2map: error: 1 data file(s) do not match the manifest: nis2.json")
    doc = json.loads(r.stdout)  # the answer is printed all the same
    assert doc["verified"] is False
    assert doc["problems"][0].startswith("nis2.json: sha256 ")
    r = bio2map("info", "--data-dir", str(data))
    assert r.returncode == 2
    assert b"DATA FILES DO NOT MATCH THE MANIFEST" in r.stdout


@pytest.fixture
def cut_text(tmp_path: Path) -> Path:
    """A BIO2 text with two measures of the many a draft has: a truncated file."""
    path = tmp_path / "maatregelen.md"
    path.write_text(
        "# Maatregelen\n\n## 5.1 Beleidsregels\n\n### 5.01.01\n\nDe organisatie florpt.\n\n"
        "### 5.01.02\n\nHet beleid wibbelt jaarlijks.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", ["json", "table", "md", "csv"])
def test_diff_with_texts_it_cannot_use_says_so(
    capsys: pytest.CaptureFixture[str], cut_text: Path, fmt: str
) -> None:
    import json

    from bio2map.cli.main import main

    code = main(["diff", "1.2", "1.3", "--texts", str(cut_text), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0
    warnings = err.splitlines()
    assert all(w.startswith("bio2map: warning: ") for w in warnings)
    assert any("draft 1.2: " in w and "measures have no text in" in w for w in warnings)
    assert warnings[-1] == (
        "bio2map: warning: texts not compared: the results are offline estimates from the "
        "packaged fingerprints and signatures, as without --texts"
    )
    said = [w.removeprefix("bio2map: warning: ") for w in warnings]
    if fmt == "json":
        doc = json.loads(out)
        assert doc["texts"] is False
        assert doc["texts_warnings"] == said
    elif fmt == "md":
        assert out.splitlines()[2] == f"> **Warning:** {said[0]}"
    elif fmt == "table":
        assert f"Warning: {said[-1]}" in " ".join(out.split())
    else:  # csv: the data only, the warnings are on stderr
        assert out.startswith("table,what,count,")


def test_diff_with_texts_it_can_use_says_nothing(
    capsys: pytest.CaptureFixture[str], shared: Path
) -> None:
    import json

    from bio2map.cli.main import main

    corpus = shared / "corpus" / "bio2"
    assert main(["diff", "1.2", "1.3", "--texts", str(corpus), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    assert (doc["texts"], doc["texts_warnings"]) == (True, [])
    assert main(["diff", "1.2", "1.3", "--format", "json"]) == 0
    assert "texts_warnings" not in json.loads(capsys.readouterr().out)  # not asked, not said
