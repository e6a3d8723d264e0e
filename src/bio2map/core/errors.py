"""Exceptions raised by bio2map.

Every error names the bad input. Errors about files also name the file and the
line (or JSON pointer) and the field, so that a user can go straight to the spot.

All errors derive from :class:`Bio2MapError`, and each also subclasses the builtin
that fits (``KeyError`` for unknown ids, ``ValueError`` for bad data), so callers can
catch either.
"""

from __future__ import annotations

from collections.abc import Sequence

_SHOWN = 80  # the longest user string an error message repeats (the rest is elided)

__all__ = [
    "AmbiguousIdError",
    "Bio2MapError",
    "DataError",
    "DataErrorGroup",
    "DraftParseError",
    "SourceError",
    "UnknownIdError",
    "UnknownVersionError",
    "WriteError",
]


class Bio2MapError(Exception):
    """Base class of every error bio2map raises on purpose."""


def _shown(value: str, limit: int = _SHOWN) -> str:
    """``repr(value)`` as a message shows it: at most ``limit`` characters of it.

    A 120 KB argument is not echoed whole: the start and the end are shown, with the
    length (``'aaaa…aaaa' (120000 characters)``).
    """
    if len(value) <= limit:
        return repr(value)
    half = limit // 2
    return f"{value[:half] + '…' + value[-half:]!r} ({len(value)} characters)"


class UnknownIdError(Bio2MapError, KeyError):
    """An identifier that matches nothing in the catalog.

    Attributes:
        value: the text the user gave.
        suggestions: the closest known canonical ids, best first (may be empty).
        expected: what kind of id was expected (for example ``"requirement"``), or ``""``.
        hint: a sentence that says what the id is instead and what to ask (the id names a
            control where a requirement was expected); when given, it is the message.
    """

    def __init__(
        self, value: str, suggestions: Sequence[str] = (), expected: str = "", hint: str = ""
    ) -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        self.expected = expected
        self.hint = hint
        super().__init__(value)

    def __str__(self) -> str:
        if self.hint:
            return self.hint
        what = f"unknown {self.expected} id" if self.expected else "unknown id"
        msg = f"{what} {_shown(self.value)}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        return msg

    def __reduce__(self) -> tuple[type[UnknownIdError], tuple[str, tuple[str, ...], str, str]]:
        return (type(self), (self.value, self.suggestions, self.expected, self.hint))


class AmbiguousIdError(UnknownIdError):
    """An identifier that matches more than one node (for example ``6.1.2``).

    ``suggestions`` holds every canonical id it could mean.
    """

    def __str__(self) -> str:
        return f"ambiguous id {_shown(self.value)}: it could be " + ", ".join(self.suggestions)


class UnknownVersionError(Bio2MapError, KeyError):
    """A BIO2 draft label or slug that the packaged data does not know."""

    def __init__(self, value: str, known: Sequence[str] = ()) -> None:
        self.value = value
        self.known = tuple(known)
        super().__init__(value)

    def __str__(self) -> str:
        msg = f"unknown BIO2 version {_shown(self.value)}"
        if self.known:
            msg += "; known versions: " + ", ".join(self.known)
        return msg

    def __reduce__(self) -> tuple[type[UnknownVersionError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.value, self.known))


class DataError(Bio2MapError, ValueError):
    """A problem in a data file: packaged data, a user's SoA or a draft.

    Attributes:
        file: the file name (or ``<string>``).
        location: a line (``line 12``) or JSON pointer (``/measures/41/control``).
        field: the field or column concerned, or ``""``.
        message: what is wrong.
    """

    def __init__(self, file: str, location: str, field: str, message: str) -> None:
        self.file = file
        self.location = location
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.location:
            where += f": {self.location}"
        if self.field and not self.location.endswith("/" + self.field):
            where += f": {self.field}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[DataError], tuple[str, str, str, str]]:
        return (type(self), (self.file, self.location, self.field, self.message))


class DataErrorGroup(Bio2MapError, ExceptionGroup[DataError]):  # noqa: N818 - mirrors ExceptionGroup
    """Several :class:`DataError` at once: loading reports every problem it finds.

    ``str()`` lists each problem on its own line.
    """

    def __new__(cls, message: str, errors: Sequence[DataError]) -> DataErrorGroup:
        problems = list(errors)
        if not problems:  # ExceptionGroup needs at least one: never a bare ValueError instead
            problems = [DataError("<unknown>", "", "", message)]
        return super().__new__(cls, message, problems)

    def __str__(self) -> str:
        lines = [f"{self.message} ({len(self.exceptions)} problems)"]
        lines.extend(f"  {e}" for e in self.exceptions)
        return "\n".join(lines)

    def derive(self, excs: Sequence[DataError]) -> DataErrorGroup:  # type: ignore[override]
        return DataErrorGroup(self.message, excs)


class DraftParseError(DataError):
    """A BIO2 draft whose layout the parser cannot read.

    ``location`` is ``line N`` for the first line it could not place.
    """


class SourceError(Bio2MapError, OSError):
    """A text source that cannot be read or verified (missing file, hash mismatch)."""


class WriteError(Bio2MapError, OSError):
    """A file or standard output could not be written (the message names it and says why).

    Raised by :func:`bio2map.core.atomic.write_file` (``bio2map export -o FILE``).

    .. versionadded:: 0.2.0
    """
