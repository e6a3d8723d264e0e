"""Benchmark: parse all seven BIO2 corpus drafts, N times.

Usage::

    .venv/bin/python benchmarks/bench_parse.py [--runs N]

The corpus is found in ``$BIO2MAP_SHARED/corpus/bio2`` or ``../shared/corpus/bio2``
relative to the repository root. The script reports the median wall time of one
round (parsing every draft once; file reading is not timed) and merges
``{"parse_all_drafts": {...}}`` into ``benchmarks/results.json``. It is not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from pathlib import Path

from _common import find_corpus, write_results  # benchmarks/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 0.5

try:
    from bio2map.drafts.parser import parse
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(REPO / "src"))
    from bio2map.drafts.parser import parse


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and merge the result into ``benchmarks/results.json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30, help="rounds to time (default 30)")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)

    corpus = find_corpus()
    with (corpus / "MANIFEST.toml").open("rb") as f:
        manifest = tomllib.load(f)
    texts = [
        (corpus.parent.parent / d["maatregelen_path"]).read_text(encoding="utf-8")
        for d in manifest["draft"]
    ]

    for text in texts:  # warm-up (regex compilation, imports)
        parse(text)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            parse(text)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)

    write_results(
        "parse_all_drafts",
        {"median_s": round(median, 5), "target_s": TARGET_S, "runs": runs, "drafts": len(texts)},
    )
    verdict = "OK" if median < TARGET_S else "TOO SLOW"
    print(
        f"parse_all_drafts: median {median:.4f} s over {runs} runs of {len(texts)} drafts"
        f" (target {TARGET_S} s) {verdict}"
    )
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
