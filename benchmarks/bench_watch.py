"""Benchmark: ``bio2map watch`` on a local clone, cold, as a pipeline runs it.

Usage::

    .venv/bin/python benchmarks/bench_watch.py [--runs N]

Builds two git repositories in a temporary folder, each with the BIO2 1.3 text from
the corpus as ``docs/maatregelen/index.md`` (``$BIO2MAP_SHARED/corpus/bio2`` or
``../shared/corpus/bio2``): one where the checked-out commit holds that text as it is
(*unchanged*), and one where a second commit renumbers a measure, adds one and adds a
tag line (*changed*). Then times, median and minimum of N runs, each in a fresh
process (the ``bio2map`` command of this interpreter, bytecode already compiled, the
file cache warm):

* ``bio2map watch --source CLONE --format json`` on the unchanged clone (target
  < 0.5 s; exit 0): git, sha256 and the manifest, nothing parsed;
* the same on the changed clone (target < 1 s; exit 1): parse, figures of the changed
  measures, diff and impact;
* ``python -c pass`` as the floor (the interpreter's own start);

and, for information, ``--write-data`` on the changed clone (cold as well). The result
is merged into ``benchmarks/results.json`` under the key ``watch`` (other keys are
kept; the file is replaced atomically). It is not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import find_corpus, write_results  # benchmarks/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent
KEY = "watch"
TARGET_UNCHANGED_S = 0.5
TARGET_CHANGED_S = 1.0
PAGE = "docs/maatregelen/index.md"
NEW_MEASURE = (
    "De entiteit houdt een register bij van alle sleutelhouders en controleert dit "
    "register elk kwartaal op juistheid en volledigheid."
)


def git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_DATE="2026-04-01T10:00:00+00:00",
        GIT_COMMITTER_DATE="2026-04-01T10:00:00+00:00",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(repo.parent),
    )
    cmd = ["git", "-C", str(repo), "-c", "user.name=Bench", "-c", "user.email=bench@invalid"]
    subprocess.run([*cmd, *args], check=True, capture_output=True, env=env, timeout=60)


def changed(text: str) -> str:
    """The 1.3 text with 5.02.02 renumbered, a new 5.02.04 and a tag line on 5.01.02."""
    t = text.replace("## 5.02.02\n", "## 5.02.03\n")
    t = t.replace("## 5.03.01\n", f"## 5.02.04\n{NEW_MEASURE}\n\n## 5.03.01\n")
    at = t.index("## 5.02.01\n")
    return t[:at] + "Draagt bij aan: Basishygiëne, NIS2\n\n" + t[at:]


def make_clone(where: Path, texts: list[bytes]) -> Path:
    page = where / PAGE
    page.parent.mkdir(parents=True)
    git(where, "init", "-q", "-b", "main")
    for i, data in enumerate(texts):
        page.write_bytes(data)
        git(where, "add", PAGE)
        git(where, "commit", "-q", "-m", f"commit {i}")
    return where


def command() -> list[str]:
    exe = Path(sys.executable).with_name("bio2map")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "bio2map"]


def cold(cmd: list[str], runs: int, expect: int) -> tuple[float, float]:
    """Median and minimum wall time of ``cmd`` in fresh processes (after one warm-up)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    first = subprocess.run(cmd, capture_output=True, env=env, check=False)
    if first.returncode != expect:
        sys.exit(f"{' '.join(cmd)} exited {first.returncode}, expected {expect}: {first.stderr!r}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and merge the result into ``benchmarks/results.json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="timed runs per figure (default 20)")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)
    if shutil.which("git") is None:
        sys.exit("git is not installed")
    text = (find_corpus() / "1.3" / "maatregelen.md").read_bytes()
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        base = Path(tmp)
        same = make_clone(base / "unchanged", [text])
        other = make_clone(base / "changed", [text, changed(text.decode("utf-8")).encode("utf-8")])
        bio2map = command()
        watch = [*bio2map, "watch", "--format", "json", "--source"]
        floor_s, _ = cold([sys.executable, "-c", "pass"], runs, 0)
        unchanged_s, unchanged_min = cold([*watch, str(same)], runs, 0)
        changed_s, changed_min = cold([*watch, str(other)], runs, 1)
        write = [*watch, str(other), "--write-data", str(base / "data")]
        write_s, write_min = cold(write, max(1, runs // 4), 1)

    entry = {
        "runs": runs,
        "command": "bio2map watch --source CLONE --format json (fresh process each run)",
        "unchanged_clone_median_ms": round(unchanged_s * 1000, 1),
        "unchanged_clone_min_ms": round(unchanged_min * 1000, 1),
        "unchanged_target_ms": TARGET_UNCHANGED_S * 1000,
        "changed_clone_median_ms": round(changed_s * 1000, 1),
        "changed_clone_min_ms": round(changed_min * 1000, 1),
        "changed_target_ms": TARGET_CHANGED_S * 1000,
        "changed_write_data_median_ms": round(write_s * 1000, 1),
        "changed_write_data_min_ms": round(write_min * 1000, 1),
        "python_floor_median_ms": round(floor_s * 1000, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    write_results(KEY, entry)
    ok = unchanged_s < TARGET_UNCHANGED_S and changed_s < TARGET_CHANGED_S
    print(
        f"watch, cold: unchanged clone {unchanged_s * 1000:.0f} ms (min "
        f"{unchanged_min * 1000:.0f}, target {TARGET_UNCHANGED_S * 1000:.0f}); changed clone "
        f"{changed_s * 1000:.0f} ms (min {changed_min * 1000:.0f}, target "
        f"{TARGET_CHANGED_S * 1000:.0f}); with --write-data {write_s * 1000:.0f} ms; "
        f"python floor {floor_s * 1000:.0f} ms; {'OK' if ok else 'TOO SLOW'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
