"""The documentation: the example notebook is committed with its outputs and shows the
same when it runs again, and the site builds with ``--strict``.

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
from typing import Any

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


def execute(path: Path, workdir: Path) -> Any:
    """The notebook at ``path``, executed in ``workdir`` (nbclient, no timing metadata)."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call,unused-ignore]
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError at the first failing cell
    return nb


def shown(output: dict[str, Any]) -> tuple[str, str]:
    """What an output shows, to compare: its kind and its text (a PNG counts as present)."""
    if output["output_type"] == "stream":
        return (output["name"], "".join(output["text"]))
    data = output.get("data", {})
    for kind in ("text/html", "text/plain"):
        if kind in data:
            text = data[kind]
            return (kind, text if isinstance(text, str) else "".join(text))
    return (output["output_type"], "")


def test_notebook_is_committed_with_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    for n, cell in enumerate(code, start=1):
        assert cell["outputs"], cell["id"]
        assert cell["execution_count"] == n, cell["id"]
        source = "".join(cell["source"])
        assert "find_spec" not in source, cell["id"]  # no fallback cells
        for out in cell["outputs"]:
            assert out["output_type"] != "error", cell["id"]
            assert out.get("name") != "stderr", cell["id"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    html = [
        "".join(o["data"]["text/html"])
        for c in code
        for o in c["outputs"]
        if "text/html" in o.get("data", {})
    ]
    assert any("supply chain security" in h for h in html)
    assert any("bio2map-report" in h and "Gap report" in h for h in html)  # the report


def test_notebook_runs_and_shows_what_is_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need("nbclient", "nbformat", "ipykernel", "pandas", "matplotlib", extra="notebook")
    for key, value in JUPYTER_ENV.items():
        monkeypatch.setenv(key, value)
    nb = execute(NOTEBOOK, tmp_path)
    committed = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    ran = [c for c in nb.cells if c.cell_type == "code"]
    kept = [c for c in committed["cells"] if c["cell_type"] == "code"]
    assert [c.id for c in ran] == [c["id"] for c in kept]
    hint = "if intended: .venv/bin/python -m tests.test_docs --update-notebook"
    for new, old in zip(ran, kept, strict=True):
        assert [shown(o) for o in new.outputs] == [shown(o) for o in old["outputs"]], (
            new.id,
            hint,
        )
    outputs = [o for c in ran for o in c.outputs]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3


def update_notebook() -> None:
    """Execute the example notebook and commit it with its outputs."""
    import tempfile

    import nbformat

    os.environ.update(JUPYTER_ENV)
    with tempfile.TemporaryDirectory() as tmp:
        nb = execute(NOTEBOOK, Path(tmp))
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, NOTEBOOK)  # type: ignore[no-untyped-call,unused-ignore]
    print(f"wrote {NOTEBOOK}")


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


if __name__ == "__main__":
    if sys.argv[1:] != ["--update-notebook"]:
        sys.exit("usage: python -m tests.test_docs --update-notebook")
    update_notebook()
