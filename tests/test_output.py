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
