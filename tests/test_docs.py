"""The documentation: the example notebook runs, and the site builds with ``--strict``.

Both tests skip, with the extra to install, when their tools are missing
(``pip install -e '.[notebook]'`` for the notebook, ``'.[docs]'`` for the site).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "docs" / "notebooks" / "example.ipynb"
MKDOCS_YML = REPO / "mkdocs.yml"

# Jupyter reads its folders from platformdirs with this set, and warns without it.
JUPYTER_ENV = {"JUPYTER_PLATFORM_DIRS": "1"}


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a dotted name whose parent package is missing
        return False


def need(*modules: str, extra: str) -> None:
    """Skip unless every module can be imported."""
    missing = [m for m in modules if not _importable(m)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: pip install -e '.[{extra}]'")


def test_notebook_is_committed_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [], cell["id"]
        assert cell["execution_count"] is None, cell["id"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need("nbclient", "nbformat", "ipykernel", "pandas", "matplotlib", extra="notebook")
    for key, value in JUPYTER_ENV.items():
        monkeypatch.setenv(key, value)
    import nbclient
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call,unused-ignore]
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError at the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("supply chain security" in h for h in html)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3


def test_site_builds(tmp_path: Path) -> None:
    need(
        "mkdocs",
        "material",
        "mkdocstrings",
        "mkdocstrings_handlers.python",
        "mkdocs_jupyter",
        "ipykernel",
        "pandas",
        "matplotlib",
        extra="docs",
    )
    site = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(MKDOCS_YML),
            "--site-dir",
            str(site),
        ],
        cwd=tmp_path,  # anything a plugin writes next to the working folder stays in tmp
        capture_output=True,
        text=True,
        env={**os.environ, **JUPYTER_ENV, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in (
        "bio2map.api.load",
        "bio2map.catalog.catalog.Catalog",
        "bio2map.render.notebook.to_html",
    ):
        assert f'id="{name}"' in api, name
    notebook = (site / "notebooks" / "example" / "index.html").read_text(encoding="utf-8")
    assert "supply chain security" in notebook  # executed: the answers are on the page
    assert (site / "howto" / "gap-analysis" / "index.html").is_file()
