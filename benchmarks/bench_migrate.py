#!/usr/bin/env python3
"""Benchmark the migration of a 114-control BIO 1.04 SoA (cold CLI and in-process).

Run on demand (not a test)::

    python benchmarks/bench_migrate.py [--venv DIR] [--runs 30]

(a) cold ``bio2map migrate --soa soa114.csv --from iso27001-2013 --format json`` and
    (b) cold ``bio2map gaps --soa soa114.csv --from iso27001-2013 --format json``, each in a
    fresh process from a virtual environment with bio2map installed from a wheel, against
    the same floor as the core benchmark (``floor_controls.py``: start Python, parse the
    packaged JSON with the stdlib, answer one query), alternating runs, medians.
(c) for reference, cold ``bio2map gaps --soa soa2022.csv --format json`` on the 2022 SoA
    that ``migrate -o`` writes (the gap analysis without the migration).
(d) in-process ``Catalog.migrate_soa`` of the same SoA (parsed once), median per call.

The SoA holds all 114 Annex A controls of ISO/IEC 27001:2013 with mixed statuses, a few
not applicable and merges with conflicting statuses (as in ``tests/test_migrate.py``).
Results are merged into ``benchmarks/results.json`` under ``migrate``.
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

from _common import write_results  # benchmarks/ is on sys.path when run as a script
from bench_core import make_venv

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def soa_114(where: Path) -> tuple[Path, Path]:
    """The 114-control SoA of the migration tests and its migrated 2022 SoA, in ``where``."""
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "src"))
    from tests.test_migrate import bio104_soa

    import bio2map
    from bio2map.formats.migrate import migration_csv

    p = where / "soa114.csv"
    p.write_text(bio104_soa(), encoding="utf-8")
    new = where / "soa2022.csv"
    new.write_text(migration_csv(bio2map.load().migrate_soa(p)), encoding="utf-8")
    return p, new


def cold(venv: Path, soa: Path, soa2022: Path, runs: int) -> dict[str, Any]:
    py = venv / "bin" / "python"
    exe = venv / "bin" / "bio2map"
    data = subprocess.run(
        [str(py), "-c", "import bio2map.core.resources as r; print(r.data_dir())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    args = ["--soa", str(soa), "--from", "iso27001-2013", "--format", "json"]
    commands = {
        "migrate": [str(exe), "migrate", *args],
        "gaps": [str(exe), "gaps", *args],
        "gaps_2022": [str(exe), "gaps", "--soa", str(soa2022), "--format", "json"],
        "floor": [str(py), str(HERE / "floor_controls.py"), data],
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for cmd in commands.values():  # warm the file cache
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)
            times[name].append(time.perf_counter() - t)
    floor = statistics.median(times["floor"])
    out: dict[str, Any] = {
        "floor_median_ms": round(floor * 1e3, 1),
        "floor_min_ms": round(min(times["floor"]) * 1e3, 1),
        "runs": runs,
    }
    for name in ("migrate", "gaps", "gaps_2022"):
        med = statistics.median(times[name])
        out[name] = {
            "median_ms": round(med * 1e3, 1),
            "min_ms": round(min(times[name]) * 1e3, 1),
            "ratio_median": round(med / floor, 2),
            "ratio_min": round(min(times[name]) / min(times["floor"]), 2),
        }
    return out


def warm(soa: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "src"))
    import bio2map
    from bio2map.formats.migrate import read_old_soa

    cat = bio2map.load()
    old = read_old_soa(soa, cat, edition="iso27001-2013")
    t = timeit.repeat(lambda: cat.migrate_soa(old), number=20, repeat=7)
    read = timeit.repeat(
        lambda: read_old_soa(soa, cat, edition="iso27001-2013"), number=20, repeat=7
    )
    m = cat.migrate_soa(old)
    return {
        "migrate_soa_median_ms": round(statistics.median(t) / 20 * 1e3, 3),
        "read_old_soa_median_ms": round(statistics.median(read) / 20 * 1e3, 3),
        "lines": len(m.lines),
        "controls_2022": len(m.controls),
        "review": len(m.review),
        "not_assessed": len(m.not_assessed),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--venv", type=Path, help="use this venv (bio2map installed) instead of a new one"
    )
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        soa, soa2022 = soa_114(Path(tmp))
        if args.venv:
            a = cold(args.venv, soa, soa2022, args.runs)
        else:
            a = cold(make_venv(Path(tmp) / "venv"), soa, soa2022, args.runs)
        b = warm(soa)
    result = {
        "cold_cli": a,
        "warm": b,
        "target_ratio": 2.5,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    write_results("migrate", result)
    print(json.dumps(result, indent=2))
    ok = a["migrate"]["ratio_median"] <= 2.5 and a["gaps"]["ratio_median"] <= 2.5
    print("targets met" if ok else "a target was missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
