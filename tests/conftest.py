"""Shared fixtures.

Tests that need the steering folder ``shared/`` (the BIO2 corpus and the reference
tables) find it next to the repository root, or where ``BIO2MAP_SHARED`` points, and
skip with a clear reason when it is absent, so a fresh clone still passes.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

import bio2map

REPO = Path(__file__).resolve().parent.parent


def find_shared() -> Path | None:
    """Return the shared folder, or None when it is not there."""
    env = os.environ.get("BIO2MAP_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for c in candidates:
        if (c / "corpus" / "bio2" / "MANIFEST.toml").is_file():
            return c
    return None


SHARED = find_shared()
NO_SHARED = (
    "needs ../shared (the BIO2 corpus and reference data); "
    "set BIO2MAP_SHARED or place it next to the repository"
)
needs_shared = pytest.mark.skipif(SHARED is None, reason=NO_SHARED)


@pytest.fixture(scope="session")
def shared() -> Path:
    if SHARED is None:
        pytest.skip(NO_SHARED)
    return SHARED


@pytest.fixture(scope="session")
def corpus_manifest(shared: Path) -> dict[str, Any]:
    with (shared / "corpus" / "bio2" / "MANIFEST.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def drafts(corpus_manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The MANIFEST.toml ``[[draft]]`` entries by slug, in corpus order."""
    return {d["slug"]: d for d in corpus_manifest["draft"]}


@pytest.fixture(scope="session")
def catalog() -> bio2map.Catalog:
    """The packaged data with the default BIO2 draft (1.3), shared by every test."""
    return bio2map.load()


@pytest.fixture
def soa(tmp_path: Path) -> Path:
    """A small SoA file (five controls, 0.1 status spellings) for the CLI tests."""
    p = tmp_path / "vvt.csv"
    p.write_text(
        "control,status\nA.5.19,implemented\n5.20,partially_implemented\n5.21,planned\n"
        "8.30,not_applicable\n8.5,implemented\n",
        encoding="utf-8",
    )
    return p
