"""Benchmark: the diff of two real drafts (``bio2map.drafts.diff``), offline and with texts.

Usage::

    .venv/bin/python benchmarks/bench_diff.py [--runs N] [--old 1.2] [--new 1.3]

Times the diff alone: the catalogs are loaded (and, for the second figure, their
texts attached from the corpus) before the clock starts, and the memo caches of the
diff's modules are emptied before each run. Reports the median of N runs for

* ``offline``: packaged fingerprints, signatures and word counts (target < 20 ms);
* ``texts``: exact similarities, cosmetic classes and word-level differences
  (target < 200 ms); the corpus is found in ``$BIO2MAP_SHARED/corpus/bio2`` or
  ``../shared/corpus/bio2`` relative to the repository root;
* ``all_pairs_offline``: the six consecutive pairs one after the other;

and how close the offline diff comes to the text diff over the six consecutive
pairs (found items, cosmetic/substantive class, similarity error). The result is
merged into ``benchmarks/results.json`` under the key ``diff`` (other keys are kept;
the file is replaced atomically). It is not a test.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import find_corpus, write_results  # benchmarks/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parent.parent
KEY = "diff"
TARGET_OFFLINE_S = 0.020
TARGET_TEXTS_S = 0.200

try:
    import bio2map
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(REPO / "src"))
    import bio2map

# The modules of the diff (the drafts room), whose memo caches every run empties.
DIFF_MODULES = [
    importlib.import_module(f"bio2map.drafts.{name}")
    for name in ("diff", "matcher", "similarity", "side", "results", "lineage")
]

diff = DIFF_MODULES[0].diff
# Benchmark-only code, next to this script (imported once bio2map is importable).
offline_agreement = importlib.import_module("agreement").offline_agreement


def clear_caches() -> None:
    """Empty the diff modules' memo caches (shingle sets, signature values, id keys,
    references), so that every timed run pays for them as a first call does."""
    for module in DIFF_MODULES:
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def timings_s(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and minimum wall time of ``func`` over ``runs`` calls (caches emptied
    before each; the minimum shows the cost on a quiet machine)."""
    func()  # warm-up: imports, catalog-side caches
    timings = []
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and merge the result into ``benchmarks/results.json``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50, help="timed runs per figure (default 50)")
    ap.add_argument("--old", default="1.2", help="old draft (default 1.2)")
    ap.add_argument("--new", default="1.3", help="new draft (default 1.3)")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)
    corpus = find_corpus()

    slugs = [d.slug for d in bio2map.load().drafts]
    plain = {s: bio2map.load(s) for s in slugs}
    texts = {s: bio2map.load(s, texts=corpus) for s in slugs}
    old, new = plain[args.old], plain[args.new]
    old_t, new_t = texts[args.old], texts[args.new]
    consecutive = list(itertools.pairwise(slugs))

    offline_s, offline_min = timings_s(lambda: diff(old, new), runs)
    texts_s, texts_min = timings_s(lambda: diff(old_t, new_t), runs)
    all_pairs_s, _ = timings_s(lambda: [diff(plain[a], plain[b]) for a, b in consecutive], runs)
    agree = offline_agreement([(plain[a], plain[b], texts[a], texts[b]) for a, b in consecutive])

    entry = {
        "pair": f"{args.old}..{args.new}",
        "runs": runs,
        "offline_median_ms": round(offline_s * 1000, 2),
        "offline_min_ms": round(offline_min * 1000, 2),
        "offline_target_ms": TARGET_OFFLINE_S * 1000,
        "texts_median_ms": round(texts_s * 1000, 2),
        "texts_min_ms": round(texts_min * 1000, 2),
        "texts_target_ms": TARGET_TEXTS_S * 1000,
        "all_pairs_offline_median_ms": round(all_pairs_s * 1000, 2),
        "agreement_offline_vs_texts": agree,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    write_results(KEY, entry)
    ok = offline_s < TARGET_OFFLINE_S and texts_s < TARGET_TEXTS_S
    print(
        f"diff {args.old}..{args.new}: offline median {offline_s * 1000:.2f} ms "
        f"(min {offline_min * 1000:.2f}, target {TARGET_OFFLINE_S * 1000:.0f}), "
        f"with texts {texts_s * 1000:.2f} ms (min {texts_min * 1000:.2f}) "
        f"(target {TARGET_TEXTS_S * 1000:.0f}); six consecutive pairs offline "
        f"{all_pairs_s * 1000:.1f} ms; {'OK' if ok else 'TOO SLOW'}"
    )
    print(
        f"offline vs texts over {agree['pairs']} pairs: items {agree['items_agree']}/"
        f"{agree['items_total']}, class {agree['class_agree']}/{agree['class_total']}, "
        f"similarity MAE {agree['similarity_mae']} (max {agree['similarity_max_error']})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
