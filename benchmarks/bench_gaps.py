#!/usr/bin/env python3
"""Benchmark the gap analysis: cold ``bio2map gaps`` and in-process ``coverage()``.

Run on demand (not a test)::

    python benchmarks/bench_gaps.py [--venv DIR] [--runs 30]

The SoA has all 93 ISO/IEC 27002 controls (statuses cycled through implemented, partial,
planned, not-implemented and not-applicable, with a justification on each not-applicable
line) and five ISO/IEC 27001 clauses, so every part of the scoring runs.

(a) cold ``bio2map gaps --soa soa.csv --format json`` in a fresh process, from a virtual
    environment with bio2map installed from a wheel (as in ``bench_core.py``), against the
    same floor as the core benchmark (``floor_controls.py``: start Python, parse the
    packaged JSON with the stdlib, answer one query), runs alternating with the floor and
    with bench_core's ``controls`` query (its ratio in the same minutes, for scale).
    Target: within 2.5x of the floor (median).
(b) in-process ``Catalog.coverage``: the first call for an SoA (nothing cached but the
    catalog's paths), a call with an SoA the catalog has answered before (the answer is
    cached), and ``coverage_data`` (the command line's document, built every time), each
    for the SoA as read by ``read_soa`` and as a mapping of id to status. Target: 2 ms.

Results are merged into ``benchmarks/results.json`` under ``gaps``. Both sides of (a) and a
pure-Python reference loop (b) are measured in the same run, so a busy machine shows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import alternate, floor_command, write_results  # benchmarks/ on sys.path
from bench_core import baseline_figures, make_venv

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STATUSES = ("implemented", "deels", "gepland", "nee", "n.v.t.")
CLAUSES = ("6.1.2", "6.2", "9.1", "9.2", "9.3")


def write_soa(path: Path, controls: list[str]) -> Path:
    """A 93-control SoA with every status and five clauses (semicolon separated)."""
    lines = ["control;status;toelichting"]
    for i, ref in enumerate(controls):
        status = STATUSES[i % len(STATUSES)]
        why = "not in scope for this organisation" if status == "n.v.t." else ""
        lines.append(f"{ref};{status};{why}")
    lines += [f"clause {c};ja;" for c in CLAUSES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cold(venv: Path, soa: Path, runs: int, baseline: Path | None = None) -> dict[str, Any]:
    exe = str(venv / "bin" / "bio2map")
    query = ["gaps", "--soa", str(soa), "--format", "json"]
    core = [exe, "controls", "21(2)(d)", "--format", "json"]  # bench_core's query
    commands = [[exe, *query], floor_command(venv), core]
    if baseline is not None:
        commands.append([str(baseline / "bin" / "bio2map"), *query])
    t_ours, t_floor, t_core, *t_base = alternate(commands, runs)
    ours_ms = statistics.median(t_ours) * 1e3
    floor_ms = statistics.median(t_floor) * 1e3
    extra = baseline_figures(t_base[0], t_floor) if t_base else {}
    return {
        **extra,
        "controls_median_ms": round(statistics.median(t_core) * 1e3, 1),
        "controls_ratio_median": round(statistics.median(t_core) * 1e3 / floor_ms, 2),
        "bio2map_median_ms": round(ours_ms, 1),
        "bio2map_min_ms": round(min(t_ours) * 1e3, 1),
        "floor_median_ms": round(floor_ms, 1),
        "floor_min_ms": round(min(t_floor) * 1e3, 1),
        "ratio_median": round(ours_ms / floor_ms, 2),
        "ratio_min": round(min(t_ours) / min(t_floor), 2),
        "target_ratio": 2.5,
        "runs": runs,
    }


def _median_ms(fn: Any, repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times) * 1e3, 3)


def warm(soa_path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "src"))
    import bio2map
    from bio2map.formats.soa import read_soa

    cat = bio2map.load()
    soa = read_soa(soa_path, cat)
    mapping = {e.raw: e.status for e in soa.entries}
    cat.coverage(soa)  # the paths and the per-catalog index, built once per catalog

    def fresh(make: Any) -> float:
        """The first call for an SoA: a new catalog cache entry every time."""
        times = []
        for _ in range(15):
            cat._cache.pop(("coverage_answers",), None)
            t = time.perf_counter()
            make()
            times.append(time.perf_counter() - t)
        return round(statistics.median(times) * 1e3, 3)

    # a reference: 1e6 additions in a Python loop, to compare machines
    t = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    reference_ms = round((time.perf_counter() - t) * 1e3, 1)
    return {
        "coverage_first_call_read_soa_ms": fresh(lambda: cat.coverage(soa)),
        "coverage_first_call_mapping_ms": fresh(lambda: cat.coverage(mapping)),
        "coverage_cached_read_soa_ms": _median_ms(lambda: cat.coverage(soa)),
        "coverage_cached_mapping_ms": _median_ms(lambda: cat.coverage(mapping)),
        "coverage_data_ms": _median_ms(lambda: cat.coverage_data(soa)),
        "read_soa_ms": _median_ms(lambda: read_soa(soa_path, cat)),
        "soa_lines": len(soa.entries),
        "target_ms": 2.0,
        "reference_loop_1e6_adds_ms": reference_ms,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--venv", type=Path, help="use this venv (bio2map installed) instead of a new one"
    )
    p.add_argument(
        "--baseline-venv",
        type=Path,
        help="a venv with another bio2map version, run in the same rounds (baseline_*)",
    )
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    import bio2map

    controls = [c.ref for c in bio2map.load().controls]
    with tempfile.TemporaryDirectory() as tmp:
        soa = write_soa(Path(tmp) / "soa.csv", controls)
        if args.venv:
            a = cold(args.venv, soa, args.runs, args.baseline_venv)
        else:
            a = cold(make_venv(Path(tmp) / "venv"), soa, args.runs, args.baseline_venv)
        b = warm(soa)
    result = {
        "cold_cli_gaps": a,
        "in_process_coverage": b,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    }
    write_results("gaps", result)
    print(json.dumps(result, indent=2))
    ok = a["ratio_median"] <= a["target_ratio"] and b["coverage_first_call_read_soa_ms"] <= 2.0
    print("targets met" if ok else "a target was missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
