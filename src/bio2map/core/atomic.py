"""One safe way to write a file: whole or not at all, and never over the wrong thing.

:func:`write_file` is what every bio2map writer uses for a path the user names
(``bio2map export -o FILE``):

* a **regular file** (or a name that does not exist yet) is written to a temporary file
  ``.NAME.XXXXXXXX.tmp`` in the same folder, flushed to disk, and renamed over the
  target only when it is complete: a reader sees the old file or the whole new one. A
  replaced file keeps its permission bits; a new one gets ``0o666`` less the umask.
* a **symbolic link** is followed: the file it names (at the end of the chain) is
  replaced atomically, and the link stays a link.
* a target that is **not a regular file** (a device such as ``/dev/null`` or
  ``/dev/full``, a FIFO, ``/dev/stdout``, anything under ``/dev/`` or ``/proc/``) is
  written to directly, as the shell's ``>`` does, so that a full disk or a closed
  reader is reported.
* a **read-only** file is refused (renaming over it would replace it without a word),
  and so is a folder.

While a temporary file exists, SIGTERM and SIGHUP remove it before the process ends
by the signal as it would have (the handlers are installed for the write only, from
the main thread, and never where the signal was ignored); any exception, including
KeyboardInterrupt, removes it too.

This module imports ``signal`` only when it writes; the command line's cold path does
not import it at all.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from bio2map.core.errors import WriteError

TYPE_CHECKING = False  # typing is not imported at run time (cold-start cost)
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

__all__ = ["WriteError", "is_special", "write_file"]

_SPECIAL_ROOTS = ("/dev/", "/proc/")
"""Paths under these folders are written to directly, never renamed over."""

_PENDING: set[Path] = set()
"""Temporary files being written now; the signal handler removes them."""

_SIGNALS = ("SIGTERM", "SIGHUP")
_previous: dict[int, Any] = {}
_depth = 0


def is_special(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is written to directly: it exists and is not a regular file or a
    folder, or it lies under ``/dev/`` or ``/proc/`` (``/dev/stdout`` may name a
    regular file, but it stands for the process's output, not for that file).

    Examples:
        >>> is_special("/dev/null"), is_special("/tmp/nonexistent-bio2map-file")
        (True, False)
    """
    name = os.fspath(path)
    if name.startswith(_SPECIAL_ROOTS) or os.path.realpath(name).startswith(_SPECIAL_ROOTS):
        return True
    try:
        mode = Path(name).stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _fail(name: str, why: str) -> WriteError:
    return WriteError(f"cannot write {name!r}: {why}")


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def write_file(path: str | os.PathLike[str], data: str | bytes) -> str:
    """Write ``data`` (text is written as UTF-8) to ``path``; see the module for how.

    Returns:
        The file actually written: ``path`` itself, or for a symbolic link the file it
        names.

    Raises:
        WriteError: the path is empty, a folder or read-only, or writing fails (a full
            disk, no permission, a missing folder); nothing is left behind.

    Examples:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = write_file(folder / "out.csv", "a,b\\n")
        >>> (folder / "out.csv").read_text(), [p.name for p in folder.iterdir()]
        ('a,b\\n', ['out.csv'])

    .. versionadded:: 0.2.0
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = os.fspath(path)
    if not name:
        raise _fail(name, "the path is empty")
    try:
        st: os.stat_result | None = Path(name).stat()  # follows symbolic links
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _fail(name, _reason(e)) from e
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _fail(name, "it is a folder")
    if is_special(name):
        _write_direct(name, raw)
        return name
    target = os.path.realpath(name)
    if st is not None and (not os.access(target, os.W_OK) or not st.st_mode & 0o222):
        raise _fail(name, f"the file is read-only (mode {st.st_mode & 0o7777:04o})")
    mode = st.st_mode & 0o7777 if st is not None else 0o666 & ~_umask()
    _replace(name, target, raw, mode)
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_direct(name: str, raw: bytes) -> None:
    try:
        with Path(name).open("wb") as f:  # a device or FIFO: written as it is
            f.write(raw)
    except OSError as e:
        raise _fail(name, _reason(e)) from e


def _replace(name: str, target: str, raw: bytes, mode: int) -> None:
    folder, base = os.path.split(target)
    tmp: Path | None = None
    guarded = _guard()
    try:
        for _ in range(100):
            tmp = Path(folder, f".{base}.{os.urandom(4).hex()}.tmp")
            _PENDING.add(tmp)  # before it exists: a signal from here on removes it
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                _PENDING.discard(tmp)
                tmp = None
        else:  # pragma: no cover - 100 collisions of 32 random bits
            raise _fail(name, "no free temporary name in its folder")
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        tmp.chmod(mode)
        tmp.replace(target)
        _PENDING.discard(tmp)
        tmp = None
    except OSError as e:
        if isinstance(e, WriteError):
            raise
        raise _fail(name, _reason(e)) from e
    finally:
        if tmp is not None:
            _PENDING.discard(tmp)
            with contextlib.suppress(OSError):
                tmp.unlink()
        _unguard(guarded)


# --- signals ------------------------------------------------------------------------------


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """Remove the temporary files, then end as the signal would have ended the process."""
    import signal

    for tmp in tuple(_PENDING):
        with contextlib.suppress(OSError):
            tmp.unlink()
    _PENDING.clear()
    previous = _previous.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _guard() -> bool:
    """Install :func:`_on_signal` for SIGTERM and SIGHUP, when called from the main thread
    (only it can set handlers; writes in other threads are not guarded) and no write there
    has done it yet. Returns whether this call counts (pass it to :func:`_unguard`)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return False
    global _depth
    _depth += 1
    if _depth > 1:
        return True
    import signal

    for sig_name in _SIGNALS:
        signum = getattr(signal, sig_name, None)
        if signum is None:  # pragma: no cover - Windows has no SIGHUP
            continue
        current = signal.getsignal(signum)
        if current in (signal.SIG_IGN, None):  # ignored (nohup), or set outside Python
            continue
        _previous[signum] = current
        signal.signal(signum, _on_signal)
    return True


def _unguard(guarded: bool) -> None:
    """Put back the handlers :func:`_guard` replaced, when the last guarded write ends."""
    global _depth
    if not guarded:
        return
    _depth -= 1
    if _depth > 0 or not _previous:
        return
    import signal

    for signum, previous in tuple(_previous.items()):
        signal.signal(signum, previous)
        del _previous[signum]
