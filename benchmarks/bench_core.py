#!/usr/bin/env python3
"""Benchmark the core: cold CLI query, warm ``controls_for``, graph build.

Run on demand (not a test)::

    python benchmarks/bench_core.py [--venv DIR] [--runs 30]

Each figure is measured against its floor in the same run, so a busy machine moves
both sides:

(a) cold ``bio2map controls "21(2)(d)" --format json`` in a fresh process, from a
    virtual environment with bio2map installed the way users install it (a wheel,
    compiled bytecode), against ``floor_controls.py``: start Python, parse the same
    packaged JSON files with the stdlib, build plain dict indices, print the answer.
    Target (issue 8): within 1.5x of the floor (median of alternating runs). With
    ``--baseline-venv DIR`` (another version installed there) that version runs in the
    same rounds too, and its figures are kept as ``baseline_*``.
(b) warm ``Catalog.controls_for`` median per call over every requirement id (cached
    answers), target under 20 microseconds; the first (uncached) call is reported too.
(c) building ``Catalog.graph`` against building a networkx MultiDiGraph directly
    from the same records, target within 1.3x.

Results are merged into ``benchmarks/results.json`` under ``core``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

from _common import alternate, floor_command, write_results  # benchmarks/ is on sys.path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def make_venv(where: Path) -> Path:
    """A fresh venv with bio2map installed from a wheel (bytecode compiled, as users get)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    py = where / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(REPO)],
        check=True,
    )
    return where


TARGET_RATIO = 1.5


def cold(venv: Path, runs: int, baseline: Path | None = None) -> dict[str, Any]:
    query = ["controls", "21(2)(d)", "--format", "json"]
    commands = [[str(venv / "bin" / "bio2map"), *query], floor_command(venv)]
    if baseline is not None:
        commands.append([str(baseline / "bin" / "bio2map"), *query])
    t_ours, t_floor, *t_base = alternate(commands, runs)
    ours_ms = statistics.median(t_ours) * 1e3
    floor_ms = statistics.median(t_floor) * 1e3
    out = {
        "bio2map_median_ms": round(ours_ms, 1),
        "bio2map_min_ms": round(min(t_ours) * 1e3, 1),
        "floor_median_ms": round(floor_ms, 1),
        "floor_min_ms": round(min(t_floor) * 1e3, 1),
        "ratio_median": round(ours_ms / floor_ms, 2),
        "ratio_min": round(min(t_ours) / min(t_floor), 2),
        "target_ratio": TARGET_RATIO,
        "runs": runs,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if t_base:
        out.update(baseline_figures(t_base[0], t_floor))
    return out


def baseline_figures(times: list[float], floor: list[float]) -> dict[str, Any]:
    """The ``baseline_*`` figures of another installed version, run in the same rounds."""
    ms = statistics.median(times) * 1e3
    return {
        "baseline_median_ms": round(ms, 1),
        "baseline_min_ms": round(min(times) * 1e3, 1),
        "baseline_ratio_median": round(ms / (statistics.median(floor) * 1e3), 2),
    }


def warm() -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "src"))
    import bio2map

    cat = bio2map.load()
    reqs = [r.id for r in cat.requirements]
    t = time.perf_counter()
    for r in reqs:
        cat.controls_for(r)
    first_us = (time.perf_counter() - t) / len(reqs) * 1e6
    per_call = []
    for _ in range(7):
        n = 20
        total = timeit.timeit(lambda: [cat.controls_for(r) for r in reqs], number=n)
        per_call.append(total / (n * len(reqs)) * 1e6)
    typed = timeit.repeat(lambda: cat.controls_for("Art. 21(2)(d)"), number=20000, repeat=7)
    return {
        "controls_for_median_us": round(statistics.median(per_call), 3),
        "controls_for_typed_id_median_us": round(statistics.median(typed) / 20000 * 1e6, 3),
        "first_call_mean_us": round(first_us, 1),
        "requirements": len(reqs),
        "target_us": 20.0,
    }


def graph_build() -> dict[str, Any]:
    import networkx as nx

    import bio2map
    from bio2map.catalog.graph import build_graph

    cat = bio2map.load()
    nodes = cat.nodes()
    mappings = cat.mappings
    raw, edges = cat._raw, cat._edges  # the same values Catalog.graph builds from

    fields = {
        "Requirement": ("framework", "kind", "ref", "label", "assessable", "addressed_by"),
        "Control": ("standard", "kind", "ref", "title", "theme"),
        "Measure": ("draft", "kind", "control", "target", "tags", "fingerprint"),
    }

    def direct() -> None:
        # The same graph (same node and edge attributes), built straight from the records.
        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        g.add_nodes_from(
            (
                n.id,
                {
                    "type": type(n).__name__.lower(),
                    **{f: getattr(n, f) for f in fields[type(n).__name__]},
                },
            )
            for n in nodes
        )
        g.add_edges_from(
            (n.id, n.parent, {"kind": "part_of", "relationship": "subset_of"})
            for n in nodes
            if getattr(n, "parent", None) is not None
        )
        g.add_edges_from(
            (
                m.source,
                m.target,
                {
                    "kind": m.kind,
                    "relationship": m.relationship,
                    "basis": m.basis,
                    "dataset": m.dataset,
                    "sources": m.sources,
                },
            )
            for m in mappings
        )

    def ours() -> None:
        build_graph(raw, edges)

    t_direct = statistics.median(timeit.repeat(direct, number=5, repeat=9)) / 5
    t_ours = statistics.median(timeit.repeat(ours, number=5, repeat=9)) / 5
    return {
        "catalog_graph_ms": round(t_ours * 1e3, 2),
        "direct_multidigraph_ms": round(t_direct * 1e3, 2),
        "ratio": round(t_ours / t_direct, 2),
        "target_ratio": 1.3,
        "nodes": len(nodes),
        "edges": len(mappings),
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
    if args.venv:
        venv = args.venv
        a = cold(venv, args.runs, args.baseline_venv)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            venv = make_venv(Path(tmp) / "venv")
            a = cold(venv, args.runs, args.baseline_venv)
    b = warm()
    c = graph_build()
    result = {
        "cold_cli_controls": a,
        "warm_controls_for": b,
        "graph_build": c,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    write_results("core", result)
    print(json.dumps(result, indent=2))
    ok = (
        a["ratio_median"] <= TARGET_RATIO and b["controls_for_median_us"] < 20 and c["ratio"] <= 1.3
    )
    print("targets met" if ok else "a target was missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
