"""The one place where bio2map opens a file a user names.

Every reader of user input goes through here: the SoA reader, the mapping-layer readers
(CSV/TSV with SSSOM columns, CISO Assistant YAML) and the BIO2 draft parser. What a user
names may be anything, so before a byte is read:

* the path is checked: an empty path, a NUL in it, a name the file system cannot take
  (too long) are refused with a message that names the path;
* the file must be a regular file (symbolic links are followed). A folder, a device
  (``/dev/zero``, ``/dev/null``), a socket and a named pipe (FIFO) are refused without
  opening them, so nothing blocks: the file is looked at with ``stat`` first and then
  opened with ``O_NONBLOCK`` and looked at again;
* two kinds of pipe are read on purpose: ``-`` (standard input, where a reader takes
  it) and the ``/dev/fd/N`` pipe that a shell's process substitution ``<(cmd)`` hands
  over. They are read to the end under the size cap; when no byte comes through for
  :data:`PIPE_TIMEOUT` seconds the read is given up;
* each kind of input has a size cap (:class:`InputKind`): a regular file over the cap is
  refused before it is opened, a pipe as soon as more than the cap came through;
* text is UTF-8 (a BOM is skipped), or UTF-16 or UTF-32 with a byte order mark. A file
  with NUL bytes is called binary; a decoding error names the line and the byte.

Problems come as :class:`~bio2map.core.errors.DataError` (file, location, message); each
reader wraps them in the error its API promises.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import sys

from bio2map.core.errors import DataError

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, BinaryIO, TextIO

__all__ = [
    "LAYER",
    "MARKDOWN",
    "PIPE_TIMEOUT",
    "SOA",
    "YAML",
    "InputKind",
    "UserFile",
    "allow_csv_fields",
    "check_path",
    "decode_text",
    "open_user_file",
    "read_user_bytes",
    "shown_name",
]

_MIB = 1024 * 1024


class InputKind:
    """A kind of user input: its name in messages, its size cap and what it should hold.

    Attributes:
        noun: how a message names one (``"an SoA"``).
        limit: the largest file accepted, in bytes.
        expected: what the file should hold, for messages (``"CSV or TSV"``).
    """

    __slots__ = ("expected", "limit", "noun")

    def __init__(self, noun: str, limit: int, expected: str) -> None:
        self.noun = noun
        self.limit = limit
        self.expected = expected

    def __repr__(self) -> str:
        return f"InputKind({self.noun!r}, {self.limit}, {self.expected!r})"


SOA = InputKind("an SoA", 10 * _MIB, "CSV or a text list of control ids")
"""A Statement of Applicability: at most 10 MiB (about a million lines)."""
LAYER = InputKind("a layer", 512 * _MIB, "CSV or TSV")
"""A CSV/TSV mapping layer: at most 512 MiB (more than ten million mappings)."""
YAML = InputKind("a CISO Assistant layer", 20 * _MIB, "YAML text")
"""A CISO Assistant library: at most 20 MiB (PyYAML composes it in well under a minute)."""
MARKDOWN = InputKind("a BIO2 draft", 16 * _MIB, "BIO2 markdown")
"""The markdown of a BIO2 draft: at most 16 MiB (the published drafts are under 1 MiB)."""

PIPE_TIMEOUT: float = 120.0
"""Seconds a pipe (``-`` or ``<(cmd)``) may stay silent before the read is given up."""

_SHOWN = 200  # the longest file name a message repeats whole
_STDIN_NAME = "<stdin>"
_EMPTY_NAME = "(empty path)"
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_SHELL_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")
_CHUNK = 1 << 16


def check_path(value: object, parameter: str = "path") -> str:
    """Return ``value`` as a ``str`` path, or raise :class:`TypeError` naming ``parameter``.

    Examples:
        >>> check_path("soa.csv")
        'soa.csv'
        >>> check_path(3, "soa")
        Traceback (most recent call last):
        ...
        TypeError: soa must be a str or os.PathLike[str], got int
    """
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    msg = f"{parameter} must be a str or os.PathLike[str], got {type(value).__name__}"
    raise TypeError(msg)


def shown_name(path: str) -> str:
    """A file name as messages show it: control characters escaped, a long name cut.

    Examples:
        >>> shown_name("soa.csv")
        'soa.csv'
        >>> shown_name("a\\nb")
        'a\\\\nb'
    """
    if path == "":
        return _EMPTY_NAME
    if path == "-":
        return _STDIN_NAME
    if not path.isprintable():
        path = "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)
    if len(path) > _SHOWN:
        return f"{path[:120]}…{path[-60:]} ({len(path)} characters)"
    return path


def allow_csv_fields(limit: int) -> None:
    """Let the csv module read fields of up to ``limit`` characters (never lowers it).

    Python's default (131,072) refuses a long cell with ``_csv.Error``; a field can be no
    longer than its file, so the readers raise the limit to their file size cap.
    """
    import csv

    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


# --- opening -------------------------------------------------------------------------


def _refuse(name: str, message: str, location: str = "") -> DataError:
    return DataError(name, location, "", message)


def _os_error(name: str, path: str, exc: OSError) -> DataError:
    if exc.errno == errno.ENAMETOOLONG:
        return _refuse(name, "the file name is too long for the file system")
    return _refuse(name, exc.strerror or str(exc))


def _too_big(name: str, size: int | str, kind: InputKind) -> DataError:
    return _refuse(name, f"{size} bytes; {kind.noun} may be at most {kind.limit}")


def _shell_fd(path: str) -> bool:
    """A descriptor the shell handed over (``<(cmd)`` gives ``/dev/fd/63``)."""
    return path == "/dev/stdin" or path.startswith(_SHELL_FD_PREFIXES)


def _check_mode(name: str, path: str, mode: int) -> None:
    """Refuse anything but a regular file or a pipe the shell handed over."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISFIFO(mode):
        if _shell_fd(path):
            return
        what = "a named pipe (FIFO)"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:  # pragma: no cover - no other file types on the systems we run on
        what = "not a file"
    msg = (
        f"{what}, not a regular file; give a file, or '-' to read standard input"
        if what != "a folder"
        else "a folder, not a file"
    )
    raise _refuse(name, msg)


def _read_pipe(fd: int, name: str, kind: InputKind, timeout: float) -> bytes:
    """Read a pipe to its end, at most ``kind.limit`` bytes, giving up after ``timeout``
    seconds of silence."""
    import select

    poller = select.poll() if hasattr(select, "poll") else None
    if poller is not None:
        poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR)
    chunks: list[bytes] = []
    total = 0
    while True:
        if poller is not None and not poller.poll(timeout * 1000):
            msg = f"nothing came through the pipe for {timeout:g} s; gave up waiting"
            raise _refuse(name, msg)
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:  # woken up, but the writer had nothing yet
            continue
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > kind.limit:
            raise _too_big(name, f"more than {kind.limit}", kind)
        chunks.append(chunk)


class _Capped(io.RawIOBase):
    """A file descriptor that refuses to give more than ``limit`` bytes (a growing file)."""

    def __init__(self, fd: int, name: str, kind: InputKind) -> None:
        super().__init__()
        self._file = io.FileIO(fd, "rb", closefd=True)
        self._name = name
        self._kind = kind
        self._seen = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        pos = self._file.seek(offset, whence)
        self._seen = pos
        return pos

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._file.readinto(buffer)
        if n:
            self._seen += n
            if self._seen > self._kind.limit:
                raise _too_big(self._name, f"more than {self._kind.limit}", self._kind)
        return n or 0

    def close(self) -> None:
        self._file.close()
        super().close()


def _stdin_stream() -> tuple[int | None, Any]:
    stream: Any = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None:
        return None, None
    try:
        return int(stream.fileno()), stream
    except (AttributeError, OSError, ValueError):  # an in-memory stdin (tests, embedding)
        return None, stream


def _open(path: str, kind: InputKind, stdin: bool, timeout: float) -> tuple[str, BinaryIO]:
    """Open ``path`` for reading after every check; return its shown name and a seekable
    binary stream (pipes are read whole into memory)."""
    name = shown_name(path)
    if path == "-" and stdin:
        fd, stream = _stdin_stream()
        if stream is None:
            raise _refuse(name, "there is no standard input")
        if fd is None:
            data = stream.read(kind.limit + 1)
            if not isinstance(data, bytes):
                data = str(data).encode("utf-8")
        else:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise _refuse(name, "standard input is a folder, not a file")
            if stat.S_ISREG(mode):
                data = stream.read(kind.limit + 1)
            else:
                data = _read_pipe(fd, name, kind, timeout)
        if len(data) > kind.limit:
            raise _too_big(name, f"more than {kind.limit}", kind)
        return name, io.BytesIO(data)
    if path == "":
        raise _refuse(name, "no file name given")
    if "\x00" in path:
        raise _refuse(name, "the file name holds a NUL character")
    try:
        st = os.stat(path)  # noqa: PTH116 - a str path, no pathlib on this path
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    _check_mode(name, path, st.st_mode)
    if stat.S_ISREG(st.st_mode) and st.st_size > kind.limit:
        raise _too_big(name, st.st_size, kind)  # refused before it is opened
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    try:
        st = os.fstat(fd)  # what was opened, not what the name showed a moment ago
        _check_mode(name, path, st.st_mode)
        if stat.S_ISREG(st.st_mode):
            if st.st_size > kind.limit:
                raise _too_big(name, st.st_size, kind)
            return name, io.BufferedReader(_Capped(fd, name, kind), _CHUNK)
        data = _read_pipe(fd, name, kind, timeout)
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return name, io.BytesIO(data)


# --- decoding --------------------------------------------------------------------------


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _encoding(head: bytes) -> str:
    """UTF-8 unless a byte order mark says UTF-16 or UTF-32."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return "utf-8"


def _binary(name: str, data: bytes, at: int, kind: InputKind) -> DataError:
    line = data.count(b"\n", 0, at) + 1
    msg = f"binary file; expected {kind.expected} (a NUL byte on line {line})"
    sample = data[:512]
    half = len(sample) // 2 - 1
    if len(sample) >= 4 and (sample[1::2].count(0) >= half or sample[0::2].count(0) >= half):
        msg += "; it looks like UTF-16 without a byte order mark: save it as UTF-8"
    return _refuse(name, msg)


def _undecodable(name: str, data: bytes, encoding: str, exc: UnicodeDecodeError) -> DataError:
    if encoding.startswith("utf-8"):
        line = data.count(b"\n", 0, exc.start) + 1
    else:
        line = data[: exc.start].decode(encoding, "replace").count("\n") + 1
    what = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
    msg = f"not {what} text ({exc.reason} at byte {exc.start}); save the file as UTF-8"
    return _refuse(name, msg, f"line {line}")


def decode_text(data: bytes, name: str, kind: InputKind) -> str:
    """Decode the bytes of a user file (see the module docs for what is accepted).

    Raises:
        DataError: a binary file, or bytes that are not text in the encoding used (the
            location names the line).
    """
    encoding = _encoding(data[:4])
    if encoding.startswith("utf-8"):
        nul = data.find(b"\x00")
        if nul >= 0:
            raise _binary(name, data, nul, kind)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(name, data, encoding, exc) from None
    if not encoding.startswith("utf-8") and "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        msg = f"binary file; expected {kind.expected} (a NUL character on line {line})"
        raise _refuse(name, msg)
    return text.removeprefix("\ufeff")


# --- the public entry points -----------------------------------------------------------


def read_user_bytes(
    path: str | os.PathLike[str],
    kind: InputKind,
    *,
    stdin: bool = True,
    timeout: float | None = None,
) -> tuple[str, bytes]:
    """Read a whole user file after every check; return its shown name and its bytes.

    Args:
        path: the path as the user gave it; ``-`` is standard input when ``stdin``.
        kind: what the file is (its size cap and its name in messages).
        stdin: whether ``-`` means standard input.
        timeout: seconds a pipe may stay silent (default :data:`PIPE_TIMEOUT`).

    Raises:
        TypeError: ``path`` is not a str or path.
        DataError: the file is refused or cannot be read (the message names it).
    """
    wait = PIPE_TIMEOUT if timeout is None else timeout
    name, stream = _open(check_path(path), kind, stdin, wait)
    with stream:
        data = stream.read(kind.limit + 1)
    if len(data) > kind.limit:
        raise _too_big(name, f"more than {kind.limit}", kind)
    return name, data


class UserFile:
    """An open user file, read as a stream of text lines (for files too large to hold twice).

    Use as a context manager; :meth:`lines` gives the decoded text, and
    :meth:`decode_error` turns a :class:`UnicodeDecodeError` met while reading into a
    :class:`~bio2map.core.errors.DataError` that names the line.
    """

    def __init__(self, name: str, stream: BinaryIO, kind: InputKind) -> None:
        self.name = name
        self.kind = kind
        self._stream = stream
        self._text: TextIO | None = None
        self._encoding = "utf-8"

    def __enter__(self) -> UserFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        if self._text is not None:
            self._text.close()
        self._stream.close()

    def head(self, size: int = 8192) -> bytes:
        """The first ``size`` bytes (the stream stays at the start)."""
        data = self._stream.read(size)
        self._stream.seek(0)
        return data

    def check_text(self) -> None:
        """Refuse a binary file from its first 8 KiB (NUL bytes in UTF-8)."""
        head = self.head()
        if _encoding(head[:4]).startswith("utf-8"):
            nul = head.find(b"\x00")
            if nul >= 0:
                raise _binary(self.name, head, nul, self.kind)

    def lines(self) -> TextIO:
        """The text, decoded as :func:`decode_text` does, line endings kept (``newline=''``).

        Iterating it may raise :class:`UnicodeDecodeError`; pass that to
        :meth:`decode_error`.
        """
        self._encoding = _encoding(self.head(4))
        self._text = io.TextIOWrapper(self._stream, encoding=self._encoding, newline="")
        return self._text

    def decode_error(self, exc: UnicodeDecodeError) -> DataError:
        """The problem ``exc`` stands for, with the line and the byte in the file."""
        self._stream.seek(0)
        if not self._encoding.startswith("utf-8"):
            return _undecodable(self.name, self._stream.read(), self._encoding, exc)
        offset = 0
        for n, raw in enumerate(_binary_lines(self._stream), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                msg = (
                    f"not UTF-8 text ({bad.reason} at byte {offset + bad.start}); "
                    "save the file as UTF-8"
                )
                return _refuse(self.name, msg, f"line {n}")
            offset += len(raw)
        return _refuse(self.name, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")


def _binary_lines(stream: BinaryIO) -> Iterator[bytes]:
    """Lines split at ``\\n`` only, as the text reader does with ``newline=''`` (near enough
    for a line number)."""
    yield from stream


def open_user_file(
    path: str | os.PathLike[str],
    kind: InputKind,
    *,
    stdin: bool = True,
    timeout: float | None = None,
) -> UserFile:
    """Open a user file after every check (see :func:`read_user_bytes`), for streaming.

    A regular file is read as it goes (and refused if it grows past the cap); a pipe is
    read whole first.

    Raises:
        TypeError: ``path`` is not a str or path.
        DataError: the file is refused or cannot be read (the message names it).
    """
    wait = PIPE_TIMEOUT if timeout is None else timeout
    name, stream = _open(check_path(path), kind, stdin, wait)
    return UserFile(name, stream, kind)
