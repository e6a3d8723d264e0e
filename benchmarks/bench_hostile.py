#!/usr/bin/env python3
"""Benchmark the worst cases of hostile input (not a test).

* The BIO2 draft parser on 600 KB pathological lines (the run of blanks after a measure
  heading from the report, runs of ``#``, ``*``, ``_``, ``-``, digits and dots,
  ``<br>``, unclosed emphasis): median of three parses each; target under 1 s each.
* An SoA of 1,000,000 distinct unknown ids, one of 1,000,000 lines of one unknown id
  and one of 1,000,000 repeats of a known id, each read by ``bio2map gaps`` in a fresh
  process (load, read, refuse or answer): wall time and peak memory (max RSS); target
  under 5 s and 500 MB.
* A CSV layer of 1,000,000 rows of distinct unknown ids, merged in a fresh process.
* Close-match suggestions per unknown id: ``ids.Suggester`` against the catalog's own.

Figures are merged into ``benchmarks/results.json`` under ``hostile``.

    python benchmarks/bench_hostile.py [--lines 1000000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import write_results  # benchmarks/ is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

PARSER_TARGET_S = 1.0
FILE_TARGET_S = 5.0
FILE_TARGET_MB = 500
RUN = 600_000

PATHOLOGICAL = {
    "heading then 600 KB of blanks and tabs": "## 5.01.01" + " \t" * (RUN // 2) + "x\n",
    "heading, blanks, closing hashes": "## 5.01.01 Titel" + " " * RUN + "##\n",
    "a line of #": "## 5.01.01\n\n" + "#" * RUN + "\n",
    "a line of *": "## 5.01.01\n\n" + "*" * RUN + "\n",
    "a line of _": "## 5.01.01\n\n" + "_" * RUN + "\n",
    "dashes then text": "## 5.01.01\n\n" + "-" * RUN + " x\n",
    "digits and dots": "## 5.01.01\n\n" + "5." * (RUN // 2) + "\n",
    "<br> runs": "## 5.01.01\n\nA" + " <br>" * (RUN // 5) + "B\n",
    "blanks then <br>": "## 5.01.01\n\nA" + " " * RUN + "<br>B\n",
    "unclosed bold": "## 5.01.01\n\n" + "**x " * (RUN // 4) + "\n",
    "unclosed italics": "## 5.01.01\n\n" + "*x " * (RUN // 3) + "\n",
    "tag label then blanks": "## 5.01.01\n\nDraagt bij aan:" + " " * RUN + "NIS2\n",
    "no measure, 600 KB of blanks": " \t" * (RUN // 2),
}

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from bio2map.cli.main import main
code = main(sys.argv[2:])
t1 = time.perf_counter()
print(json.dumps({
    "exit_code": code,
    "s": round(t1 - t0, 3),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def bench_parser() -> dict[str, object]:
    from bio2map.core.errors import DraftParseError
    from bio2map.drafts.parser import parse

    out: dict[str, object] = {}
    for name, text in PATHOLOGICAL.items():
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            with contextlib.suppress(DraftParseError):
                parse(text)
            timings.append(time.perf_counter() - start)
        out[name] = round(statistics.median(timings), 4)
    worst = max(v for v in out.values() if isinstance(v, float))
    return {"median_s": out, "worst_s": worst, "chars": RUN, "target_s": PARSER_TARGET_S}


def run_cli(*argv: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO / "src"), *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    result["stderr_lines"] = len(proc.stderr.splitlines())
    return result


def bench_files(lines: int) -> dict[str, object]:
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "soa_unknown_ids": "".join(f"8.{100 + i}\n" for i in range(lines)),
            "soa_one_unknown_id": "8.99\n" * lines,
            "soa_repeats_of_a_known_id": "5.19\n" * lines,
        }
        for name, text in cases.items():
            path = folder / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            result = run_cli("gaps", "--soa", str(path), "--format", "json")
            result["bytes"] = path.stat().st_size
            out[name] = result
        layer = folder / "layer.csv"
        with layer.open("w", encoding="utf-8") as f:
            f.write("subject_id,predicate_id,object_id\n")
            for i in range(lines):
                f.write(f"myorg:N{i},equal,8.{100 + i}\n")
        result = run_cli("requirements", "5.19", "--layer", str(layer), "--format", "json")
        result["bytes"] = layer.stat().st_size
        out["layer_unknown_ids"] = result
    out["lines"] = lines
    out["target_s"] = FILE_TARGET_S
    out["target_mb"] = FILE_TARGET_MB
    return out


def bench_suggestions() -> dict[str, object]:
    import bio2map
    from bio2map.core.errors import UnknownIdError
    from bio2map.core.ids import Suggester

    cat = bio2map.load()
    texts = [f"{t}.{n}9" for t in (5, 6, 7, 8, 9) for n in range(20)]
    out: dict[str, object] = {}
    for label, allowed in (("controls", ("iso27002", "iso27001")), ("all_schemes", None)):
        start = time.perf_counter()
        for text in texts:
            with contextlib.suppress(UnknownIdError):
                cat.resolve(text, allowed)
        catalog_ms = (time.perf_counter() - start) / len(texts) * 1000
        suggest = Suggester(cat._raw, allowed)
        start = time.perf_counter()
        for text in texts:
            suggest(text)
        ours_ms = (time.perf_counter() - start) / len(texts) * 1000
        out[label] = {"catalog_ms": round(catalog_ms, 2), "suggester_ms": round(ours_ms, 2)}
    out["ids"] = len(texts)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lines", type=int, default=1_000_000)
    args = p.parse_args(argv)
    result = {
        "parser": bench_parser(),
        "files": bench_files(args.lines),
        "suggestions_per_id": bench_suggestions(),
    }
    write_results("hostile", result)
    print(json.dumps(result, indent=2))
    parser_ok = result["parser"]["worst_s"] < PARSER_TARGET_S  # type: ignore[index]
    files = result["files"]
    worst = files["soa_unknown_ids"]  # type: ignore[index]
    files_ok = worst["s"] < FILE_TARGET_S and worst["peak_rss_mb"] < FILE_TARGET_MB
    return 0 if parser_ok and files_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
