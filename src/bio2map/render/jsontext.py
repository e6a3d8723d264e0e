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
_NESTED = (dict, list, tuple)


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
            return _indented(doc, sort_keys, ensure_ascii)
        except (_Unusual, RecursionError):
            pass  # json.dumps says what is wrong (or writes what only it knows how to)
    return json.dumps(doc, indent=_INDENT, sort_keys=sort_keys, ensure_ascii=ensure_ascii)


def _no_default(o: object) -> object:
    raise _Unusual


def _indented(doc: Any, sort_keys: bool, ensure_ascii: bool) -> str:
    """The text of :func:`dumps_indented` (raises :class:`_Unusual` for json.dumps to do)."""
    encode: Callable[[str], str] = encode_basestring_ascii if ensure_ascii else encode_basestring
    assert c_make_encoder is not None
    # the C encoder, with separators that the layout step replaces
    compact = c_make_encoder(None, _no_default, encode, None, _KEY, _ITEM, sort_keys, False, True)
    if not isinstance(doc, _NESTED):
        return "".join(compact(doc, 0))  # a scalar
    out: list[str] = []
    append = out.append
    newlines = ["\n" + " " * (_INDENT * i) for i in range(8)]  # "\n" and each level's indent
    on_path: set[int] = set()  # the containers being written (a cycle is unusual)
    scalars, str_only, nested = _SCALARS, _STR_ONLY, _NESTED

    def scalar(v: Any) -> str:
        t = type(v)
        if t is int:
            return int.__repr__(v)
        if v is None:
            return "null"
        if t is bool:
            return "true" if v else "false"
        if t is float and v - v == 0:  # finite (NaN and the infinities: the C encoder)
            return float.__repr__(v)
        return "".join(compact(v, 0))  # as json.dumps writes it (or _Unusual)

    def container(o: Any, level: int) -> None:
        """Append a dict, list or tuple at ``level``, its first line already indented."""
        if not o:
            append("{}" if isinstance(o, dict) else "[]")
            return
        while len(newlines) <= level + 1:
            newlines.append("\n" + " " * (_INDENT * len(newlines)))
        inner, outer = newlines[level + 1], newlines[level]
        is_dict = isinstance(o, dict)
        kinds = set(map(type, o.values() if is_dict else o))
        if kinds == str_only and not is_dict:  # a list of ids: the most common of all
            append("[" + inner + ("," + inner).join(map(encode, o)) + outer + "]")
            return
        if scalars.issuperset(kinds):  # scalars only (any keys): the C encoder, then the layout
            text = "".join(compact(o, 0))
            body = text[1:-1].replace(_ITEM, "," + inner).replace(_KEY, ": ")
            append(text[0] + inner + body + outer + text[-1])
            return
        if id(o) in on_path:
            raise _Unusual  # a cycle: json.dumps says "Circular reference detected"
        on_path.add(id(o))
        if is_dict:
            if not str_only.issuperset(map(type, o)):
                raise _Unusual  # keys json.dumps converts (or refuses): let it
            sep = "{" + inner
            for k, v in sorted(o.items()) if sort_keys else o.items():
                if type(v) is str:
                    append(sep + encode(k) + ": " + encode(v))
                elif isinstance(v, nested):
                    append(sep + encode(k) + ": ")
                    container(v, level + 1)
                else:
                    append(sep + encode(k) + ": " + scalar(v))
                sep = "," + inner
            append(outer + "}")
        else:
            sep = "[" + inner
            for v in o:
                if type(v) is str:
                    append(sep + encode(v))
                elif isinstance(v, nested):
                    append(sep)
                    container(v, level + 1)
                else:
                    append(sep + scalar(v))
                sep = "," + inner
            append(outer + "]")
        on_path.discard(id(o))

    container(doc, 0)
    return "".join(out)
