"""What every benchmark script shares: finding ../shared and merging results.json."""

from __future__ import annotations

import json
import os
import sys
import tempfile
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
