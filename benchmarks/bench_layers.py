#!/usr/bin/env python3
"""Benchmark a large user mapping layer (not a test).

Generates a synthetic layer of 1,000,000 edges over 100,000 nodes (nine edges from each
node to ISO 27002 controls, one to a NIS2 Art. 21(2) point), then, in a fresh process,
loads the catalog, merges the layer and answers ``controls_for`` and ``coverage``.
Reports load time and peak memory (max RSS of that process) into
``benchmarks/results.json`` under ``layers``. Targets: under 5 s, under 1 GB.

    python benchmarks/bench_layers.py [--nodes 100000] [--edges-per-node 10]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import write_results  # benchmarks/ is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
t0 = time.perf_counter()
import bio2map
base = bio2map.load()
t1 = time.perf_counter()
cat = base.with_layers(sys.argv[1])
t2 = time.perf_counter()
import gc
gc.collect()  # the first full pass over the new objects, timed on its own
tg = time.perf_counter()
ans = cat.controls_for("21(2)(d)")
t3 = time.perf_counter()
cov = cat.coverage([c.id for c in cat.controls][:40])
t4 = time.perf_counter()
layer_node = cat.controls_for("syn:N12345")
t5 = time.perf_counter()
print(json.dumps({
    "load_packaged_s": round(t1 - t0, 3),
    "merge_layer_s": round(t2 - t1, 3),
    "load_total_s": round(t2 - t0, 3),
    "first_gc_pass_s": round(tg - t2, 3),
    "controls_for_s": round(t3 - tg, 3),
    "coverage_s": round(t4 - t3, 3),
    "controls_for_layer_node_ms": round((t5 - t4) * 1e3, 3),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "controls_found": len(ans.controls),
    "points_partial": cov.summary.points_partial,
    "edges_in_catalog": len(cat._edges),
}))
"""


def generate(path: Path, nodes: int, per_node: int) -> int:
    rng = random.Random(2690)
    controls = [
        f"iso27002:{t}.{i}" for t, n in ((5, 37), (6, 8), (7, 14), (8, 34)) for i in range(1, n + 1)
    ]
    points = [f"nis2:21.2.{c}" for c in "abcdefghij"]
    preds = ["skos:relatedMatch", "skos:exactMatch", "subset_of", "intersects_with"]
    edges = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("subject_id,predicate_id,object_id,confidence\n")
        for n in range(nodes):
            subject = f"syn:N{n}"
            for c in rng.sample(controls, per_node - 1):
                f.write(f"{subject},{rng.choice(preds)},{c},0.{rng.randint(1, 9)}\n")
            f.write(f"{subject},subset_of,{rng.choice(points)},\n")
            edges += per_node
    return edges


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=100_000)
    p.add_argument("--edges-per-node", type=int, default=10)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        layer = Path(tmp) / "synthetic.csv"
        edges = generate(layer, args.nodes, args.edges_per_node)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(layer), str(REPO / "src")],
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(out.stdout)
    result.update(
        {"layer_nodes": args.nodes, "layer_edges": edges, "target_s": 5.0, "target_mb": 1024}
    )
    write_results("layers", result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
