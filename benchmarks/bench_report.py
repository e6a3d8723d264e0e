#!/usr/bin/env python3
"""Benchmark ``bio2map report``: the HTML page and the Excel workbook, cold CLI.

Run on demand (not a test)::

    python benchmarks/bench_report.py [--runs 10] [--venv DIR]

Writes a 93-control SoA (every ISO/IEC 27002 control, statuses mixed: implemented,
partial, planned, not applicable) and a user mapping layer (one node per control,
mapped to it and to an Art. 21(2) point), then runs ``bio2map report --soa ... --layer
... -o report.html`` and ``-o report.xlsx`` in fresh processes, from a virtual
environment with ``bio2map[xlsx]`` installed the way users install it (a wheel, compiled
bytecode; made in a temporary folder unless ``--venv`` names one). Each run's wall
time and peak resident memory (``wait4`` rusage) is recorded; the figures are medians
and the worst peak.
Targets: HTML under 1 s, workbook under 2 s, peak memory under 200 MB.

Results are merged into ``benchmarks/results.json`` under ``report``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import write_results  # benchmarks/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent

STATUSES = ("implemented", "implemented", "partial", "planned", "n/a")
POINTS = "abcdefghij"


def write_inputs(folder: Path) -> tuple[Path, Path, int]:
    """The SoA (all 93 controls) and a layer; returns their paths and the control count."""
    import bio2map

    controls = [c for c in bio2map.load().controls if c.kind == "control"]
    soa = folder / "vvt.csv"
    lines = ["control,status"]
    lines += [f"{c.ref},{STATUSES[i % len(STATUSES)]}" for i, c in enumerate(controls)]
    soa.write_text("\n".join(lines) + "\n", encoding="utf-8")
    layer = folder / "internal.csv"
    rows = ["subject_id,subject_label,predicate_id,object_id,source"]
    for i, c in enumerate(controls):
        node = f"myorg:C-{i + 1:03d}"
        rows.append(f"{node},internal control {i + 1},intersects_with,{c.ref},internal v1")
        rows.append(f"{node},,intersects_with,21(2)({POINTS[i % 10]}),internal v1")
    layer.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return soa, layer, len(controls)


def make_venv(where: Path) -> Path:
    """A fresh venv with bio2map[xlsx] installed from a wheel (as users get it)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    py = where / "bin" / "python"
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"{REPO}[xlsx]"], check=True)
    return py


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one fresh process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024  # KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--venv", type=Path, default=None, help="reuse (or make) this venv")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs": args.runs,
        "targets": {"html_s": 1.0, "xlsx_s": 2.0, "peak_mb": 200},
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        venv = args.venv or folder / "venv"
        py = venv / "bin" / "python"
        if not py.is_file():
            make_venv(venv)
        soa, layer, n = write_inputs(folder)
        result["soa_controls"] = n
        result["layer_edges"] = 2 * n
        for fmt in ("html", "xlsx"):
            out = folder / f"report.{fmt}"
            cmd = [str(venv / "bin" / "bio2map"), "report", "--soa", str(soa)]
            cmd += ["--layer", str(layer), "-o", str(out)]
            run_once(cmd)  # warm the file cache
            times, peaks = [], []
            for _ in range(args.runs):
                t, mb = run_once(cmd)
                times.append(t)
                peaks.append(mb)
            result[fmt] = {
                "median_s": round(statistics.median(times), 3),
                "min_s": round(min(times), 3),
                "max_s": round(max(times), 3),
                "peak_mb": round(max(peaks), 1),
                "bytes": out.stat().st_size,
            }
            print(fmt, result[fmt])
    h, x = result["html"], result["xlsx"]
    result["met"] = bool(h["median_s"] < 1.0 and x["median_s"] < 2.0) and (
        max(h["peak_mb"], x["peak_mb"]) < 200
    )
    write_results("report", result)
    print("met" if result["met"] else "NOT MET", "-> benchmarks/results.json [report]")


if __name__ == "__main__":
    main()
