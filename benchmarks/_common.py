"""What every benchmark script shares: finding ../shared, timing commands against the
floor, and merging results.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results.json"


def find_corpus() -> Path:
    """Return the BIO2 corpus folder, or exit with a clear message."""
    env = os.environ.get("BIO2MAP_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for shared in candidates:
        corpus = shared / "corpus" / "bio2"
        if (corpus / "MANIFEST.toml").is_file():
            return corpus
    sys.exit("BIO2 corpus not found: set BIO2MAP_SHARED or place shared/ next to the repository")


def write_results(key: str, entry: dict[str, Any]) -> None:
    """Merge ``entry`` into ``benchmarks/results.json`` under ``key``, atomically.

    Other keys are kept; the file is written with sorted keys and a final newline.
    """
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results[key] = entry
    text = json.dumps(results, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=RESULTS.parent, prefix=".results-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        Path(tmp).replace(RESULTS)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def floor_command(venv: Path) -> list[str]:
    """The floor of the cold benchmarks (``floor_controls.py``) on ``venv``'s packaged data."""
    py = venv / "bin" / "python"
    data = subprocess.run(
        [str(py), "-c", "import bio2map.core.resources as r; print(r.data_dir())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return [str(py), str(REPO / "benchmarks" / "floor_controls.py"), data]


def alternate(commands: list[list[str]], runs: int) -> list[list[float]]:
    """Seconds per run of each command: one run each to warm the file cache, then ``runs``
    rounds in turn, so that a busy machine slows every command alike. ``PYTHON*``
    variables are left out of the environment (bytecode is written and read as users get
    it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for cmd in commands:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for cmd, acc in zip(commands, times, strict=True):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
            acc.append(time.perf_counter() - t)
    return times
