"""The one place that finds bio2map's packaged data files.

The package ships as plain files in ``bio2map/data/``. We read them with ``open()``
next to this module: importing ``importlib.resources`` costs more than a whole
packaged-data query on a cold start (measured in ``benchmarks/``), so it is imported
only as a fallback, when the package is not on a plain file system (a zip import).
"""

from __future__ import annotations

import os

__all__ = ["data_dir", "read_bytes"]

# bio2map/core/resources.py -> bio2map/data
_HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def data_dir() -> str:
    """Return the folder that holds the packaged data (a real path when there is one)."""
    return _HERE


def read_bytes(name: str, folder: str | None = None) -> bytes:
    """Return the bytes of a packaged data file (or of ``name`` in ``folder``).

    Raises:
        OSError: the file cannot be read.
    """
    if folder is not None:
        with open(os.path.join(folder, name), "rb") as f:
            return f.read()
    if os.path.isdir(_HERE):
        with open(os.path.join(_HERE, name), "rb") as f:
            return f.read()
    from importlib.resources import files  # pragma: no cover - zip imports only

    return files("bio2map").joinpath("data", name).read_bytes()  # pragma: no cover
