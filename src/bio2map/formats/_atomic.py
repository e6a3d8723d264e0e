"""Write a file all at once or not at all.

The bytes go to a temporary file in the target's own folder, which is flushed and then
renamed over the target (``os.replace``, atomic on one file system). A reader never sees
half a report, and a failure leaves no file behind.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

import contextlib
import os
import tempfile

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Raises:
        OSError: the folder does not exist or is not writable (nothing is written).
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))  # noqa: PTH100, PTH120 - str paths
    fd, tmp = tempfile.mkstemp(prefix=".bio2map-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # noqa: PTH101 - mkstemp makes it 0600
        os.replace(tmp, target)  # noqa: PTH105 - str paths
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # noqa: PTH108
        raise
