"""The examples in the docstrings run, against the installed package.

The README test command runs them through this module (so a wheel install checks its own
examples); the deprecated 0.1 module paths are left out, since importing them warns.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bio2map

DEPRECATED = {
    "bio2map.query",
    "bio2map.model",
    "bio2map.ids",
    "bio2map.vocab",
    "bio2map.errors",
    "bio2map.draftdiff",
    "bio2map.parsers",
    "bio2map.parsers.soa",
    "bio2map.parsers.bio2md",
    "bio2map.exporters",
    "bio2map.notebook",
    "bio2map.__main__",
}
MODULES = sorted(
    {"bio2map"} | {m.name for m in pkgutil.walk_packages(bio2map.__path__, "bio2map.")} - DEPRECATED
)


def test_modules_are_found() -> None:
    assert {"bio2map.catalog.catalog", "bio2map.core.ids", "bio2map.api"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_are_really_run() -> None:
    module = importlib.import_module("bio2map.catalog.catalog")
    assert doctest.testmod(module).attempted >= 3
