"""The one place that finds bio2map's packaged data files.

The package ships as plain files in ``bio2map/data/``. We read them with ``open()``
next to this module: importing ``importlib.resources`` costs more than a whole
packaged-data query on a cold start (measured in ``benchmarks/``), so it is imported
only as a fallback, when the package is not on a plain file system (a zip import).
"""

from __future__ import annotations

import errno
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
        OSError: the file cannot be read, or (in ``folder``) is not a regular file: a
            named pipe, a device or a folder is refused without waiting for a writer.
    """
    if folder is not None:
        return _read_regular(os.path.join(folder, name))
    if os.path.isdir(_HERE):
        with open(os.path.join(_HERE, name), "rb") as f:
            return f.read()
    from importlib.resources import files  # pragma: no cover - zip imports only

    return files("bio2map").joinpath("data", name).read_bytes()  # pragma: no cover


def _read_regular(path: str) -> bytes:
    """The bytes of ``path`` if it is a regular file (symbolic links followed).

    Opened without blocking (a named pipe without a writer would hold ``open()``
    forever), then checked with ``fstat`` on what was opened.
    """
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = (
                "a named pipe (FIFO)"
                if stat.S_ISFIFO(mode)
                else "a folder"
                if stat.S_ISDIR(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "a special file"
            )
            raise OSError(errno.EINVAL, f"{what}, not a regular file", path)
        with os.fdopen(fd, "rb") as f:
            fd = -1  # the file object closes it
            return f.read()
    finally:
        if fd >= 0:
            os.close(fd)
