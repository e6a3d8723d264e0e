"""bio2map.core.hooks: lower rooms call higher ones by name, never by import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bio2map
from bio2map.core import hooks


def test_the_package_provides_every_hook_the_rooms_call() -> None:
    names = set(hooks._PROVIDERS)
    expected = {"to_html", "to_pandas", "read_layer", "read_texts", "history", "diff"}
    assert expected | {"diff_markdown", "watch_markdown", "read_old_soa"} <= names
    assert {"report_html", "report_xlsx"} <= names


def test_call_passes_arguments_and_returns_the_result() -> None:
    hooks.provide("test.echo", lambda *a, **k: (a, k))
    try:
        assert hooks.call("test.echo", 1, x=2) == ((1,), {"x": 2})
    finally:
        del hooks._PROVIDERS["test.echo"]


def test_an_unknown_hook_names_itself() -> None:
    with pytest.raises(LookupError, match=r"nothing provides 'no\.such\.hook'"):
        hooks.call("no.such.hook")


def test_importing_bio2map_imports_no_higher_room() -> None:
    """The providers import their rooms only when called."""
    code = (
        "import sys, bio2map\n"
        "print(sorted(m for m in sys.modules if m.startswith(('bio2map.render', "
        "'bio2map.formats', 'bio2map.drafts', 'bio2map.cli'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_catalog_reads_a_layer_file_through_the_formats_room(
    catalog: bio2map.Catalog, tmp_path: object
) -> None:
    from pathlib import Path

    layer = Path(str(tmp_path)) / "mine.csv"
    layer.write_text(
        "subject_id,predicate_id,object_id,subject_label\n"
        "myorg:SUP-01,intersects_with,iso27002:5.19,supplier register\n",
        encoding="utf-8",
    )
    merged = catalog.with_layers(layer)
    assert merged.layers == ("mine",)
    assert "myorg:SUP-01" in merged
