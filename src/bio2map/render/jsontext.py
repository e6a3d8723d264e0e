"""Indented JSON, written fast: the bytes of ``json.dumps(doc, indent=2, ...)``, in a fraction
of its time.

``json.dumps`` with an ``indent`` leaves the C encoder for its pure-Python one, which
spends tens of milliseconds on a ``gaps`` document. :func:`dumps_indented` writes the same
text: a container whose items are all plain scalars (most of them: lists of ids, a
control's statuses, an SoA line) is encoded by the C encoder in one call, with item and
key separators that no encoded value can hold (control characters, which the encoder
always escapes inside strings), and then laid out by two replacements; only the
containers above those are walked in Python. Anything unusual (a key that is not a
``str``, a value that is not JSON, a cycle) is handed to ``json.dumps`` itself, so errors
are its errors too.

``tests/property/test_jsontext.py`` checks with hypothesis that the output is
byte-identical to ``json.dumps`` on arbitrary JSON values.

.. versionadded:: 0.4.0
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii

try:
    from _json import make_encoder as c_make_encoder  # as json.encoder finds it
except ImportError:  # pragma: no cover - a Python without the _json module
    c_make_encoder = None  # type: ignore[assignment, misc]

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["dumps_indented"]

_INDENT = 2
_ITEM = "\x00"  # separators that never occur in encoded JSON (control characters are
_KEY = "\x01"  # always written as \u escapes inside strings)
_SCALARS = frozenset({str, int, float, bool, type(None)})
_STR_ONLY = frozenset({str})
_INF = float("inf")


class _Unusual(Exception):  # noqa: N818 - not an error: "hand this to json.dumps"
    """The document holds something only ``json.dumps`` should judge."""


def dumps_indented(doc: Any, *, sort_keys: bool = False, ensure_ascii: bool = True) -> str:
    """``json.dumps(doc, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii)``, byte
    for byte (the other arguments of ``json.dumps`` at their defaults).

    Raises:
        TypeError: a value is not JSON serializable, or keys cannot be sorted.
        ValueError: a circular reference, as ``json.dumps`` raises them.
    """
    if c_make_encoder is not None:
        try:
            return _Writer(sort_keys, ensure_ascii).text(doc)
        except (_Unusual, RecursionError):
            pass  # json.dumps says what is wrong (or writes what only it knows how to)
    return json.dumps(doc, indent=_INDENT, sort_keys=sort_keys, ensure_ascii=ensure_ascii)


def _no_default(o: object) -> object:
    raise _Unusual


class _Writer:
    """The indented text of one document, built in a list of pieces."""

    __slots__ = ("compact", "encode", "newlines", "on_path", "out", "sort_keys")

    def __init__(self, sort_keys: bool, ensure_ascii: bool) -> None:
        self.sort_keys = sort_keys
        self.encode: Callable[[str], str] = (
            encode_basestring_ascii if ensure_ascii else encode_basestring
        )
        assert c_make_encoder is not None
        # the C encoder, with separators that the layout step replaces
        self.compact = c_make_encoder(
            None, _no_default, self.encode, None, _KEY, _ITEM, sort_keys, False, True
        )
        self.on_path: set[int] = set()  # the containers being written (a cycle is unusual)
        self.out: list[str] = []
        self.newlines = ["\n"]  # "\n" and the indent of each level

    def text(self, doc: Any) -> str:
        if isinstance(doc, dict | list | tuple):
            self.container(doc, 0)
        else:
            self.out.append(self.scalar(doc))
        return "".join(self.out)

    def newline(self, level: int) -> str:
        newlines = self.newlines
        while len(newlines) <= level:
            newlines.append("\n" + " " * (_INDENT * len(newlines)))
        return newlines[level]

    def scalar(self, o: Any) -> str:
        """A str, int, float, bool or None as JSON (float as ``json`` writes it)."""
        if isinstance(o, str):
            return self.encode(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            if o != o:
                return "NaN"
            if o == _INF:
                return "Infinity"
            if o == -_INF:
                return "-Infinity"
            return float.__repr__(o)
        raise _Unusual

    def container(self, o: dict[Any, Any] | list[Any] | tuple[Any, ...], level: int) -> None:
        """Append a dict, list or tuple, its first line already indented."""
        append = self.out.append
        if not o:
            append("{}" if isinstance(o, dict) else "[]")
            return
        inner, outer = self.newline(level + 1), self.newline(level)
        if isinstance(o, dict) and not _STR_ONLY.issuperset(map(type, o)):
            raise _Unusual  # keys json.dumps converts (or refuses): let it
        kinds = set(map(type, o.values() if isinstance(o, dict) else o))
        encode = self.encode
        if kinds == _STR_ONLY:  # ids, statuses: the most common container of all
            sep = "," + inner
            if isinstance(o, dict):
                keys = sorted(o) if self.sort_keys else list(o)
                values = map(encode, map(o.__getitem__, keys))
                pairs = map("{}: {}".format, map(encode, keys), values)
                append("{" + inner + sep.join(pairs) + outer + "}")
            else:
                append("[" + inner + sep.join(map(encode, o)) + outer + "]")
            return
        if _SCALARS.issuperset(kinds):  # the C encoder, then the layout
            text = "".join(self.compact(o, 0))
            body = text[1:-1].replace(_ITEM, "," + inner).replace(_KEY, ": ")
            append(text[0] + inner + body + outer + text[-1])
            return
        if id(o) in self.on_path:
            raise _Unusual  # a cycle: json.dumps says "Circular reference detected"
        self.on_path.add(id(o))
        if isinstance(o, dict):
            items = sorted(o.items()) if self.sort_keys else o.items()
            sep = "{" + inner
            for k, v in items:
                if type(v) is str:
                    append(sep + encode(k) + ": " + encode(v))
                elif isinstance(v, dict | list | tuple):
                    append(sep + encode(k) + ": ")
                    self.container(v, level + 1)
                else:
                    append(sep + encode(k) + ": " + self.scalar(v))
                sep = "," + inner
            append(outer + "}")
        else:
            sep = "[" + inner
            for v in o:
                if type(v) is str:
                    append(sep + encode(v))
                elif isinstance(v, dict | list | tuple):
                    append(sep)
                    self.container(v, level + 1)
                else:
                    append(sep + self.scalar(v))
                sep = "," + inner
            append(outer + "]")
        self.on_path.discard(id(o))
