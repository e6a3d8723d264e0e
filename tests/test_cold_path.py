"""The cold command line stays light (issue 8): what a JSON query does not need is not
imported, packaged files as built are read unchecked, and the console entry point leaves
the garbage collector as it found it. Timings are the benchmarks' business
(benchmarks/bench_core.py, bench_gaps.py); these tests only hold the shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import io, sys\n"
        "from bio2map.cli.main import main\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        f"main({argv!r})\n"
        "sys.stdout = out\n"
        "print(' '.join(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(out.stdout.split())


def test_a_cold_query_imports_no_wrapper_module_and_no_checker() -> None:
    loaded = _modules_after(["controls", "21(2)(d)", "--format", "json"])
    # stdlib modules whose C parts are used directly, or not needed at all
    assert not loaded & {"threading", "contextvars", "_contextvars", "contextlib", "hashlib"}
    assert not loaded & {"importlib", "shutil", "unicodedata", "textwrap"}
    # what only other commands, or data that is not as built, need
    assert not loaded & {"bio2map.core.validate", "bio2map.core.soa", "bio2map.catalog.scoring"}
    assert {"bio2map.core.trusted", "bio2map.core._digests", "_blake2"} <= loaded


def test_gaps_imports_the_coverage_rule_and_the_soa_model(tmp_path: Path) -> None:
    soa = tmp_path / "soa.csv"
    soa.write_text("control;status\nA.5.19;implemented\n", encoding="utf-8")
    loaded = _modules_after(["gaps", "--soa", str(soa), "--format", "json"])
    assert {"bio2map.catalog.scoring", "bio2map.core.soa"} <= loaded
    assert not loaded & {"shutil", "bio2map.core.validate", "threading"}


def test_the_console_entry_point_restores_the_collector() -> None:
    code = (
        "import gc, io, sys\n"
        "from bio2map.cli import main as cli\n"
        "seen = []\n"
        "real = cli.main\n"
        "cli.main = lambda argv=None: seen.append(gc.isenabled()) or real(argv)\n"
        "sys.argv = ['bio2map', 'controls', '21(2)(d)', '--format', 'json']\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        "try:\n"
        "    cli.run()\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "sys.stdout = out\n"
        "print(code, seen, gc.isenabled(), len(gc.get_objects()) < gc.get_freeze_count())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    # exit 0; the command ran with the collector off; on again after, the rest frozen
    assert out.stdout.split() == ["0", "[False]", "True", "True"]
