"""The problems of one data file: reading it, parsing it, and checking its fields.

Every way a packaged (or user) data file can be wrong ends here as a
:class:`~bio2map.core.errors.DataError` naming the file and a JSON pointer: unreadable,
not UTF-8, not JSON, nested too deeply, a duplicate key, a missing field, a value of the
wrong type, a key the format does not define. :class:`Checker` collects them without
raising, so that loading can report every problem of every file at once
(:func:`group`).

.. versionadded:: 0.4.0
   Split from :mod:`bio2map.core.reader`.
"""

from __future__ import annotations

import json

from bio2map.core import resources as _resources
from bio2map.core.errors import DataError, DataErrorGroup

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeVar

    T = TypeVar("T")

__all__ = ["Checker", "describe", "group", "parse_json", "read_file"]

_MISSING = object()
MAX_LISTED = 1000
"""Problems a :class:`~bio2map.core.errors.DataErrorGroup` lists; the rest are counted."""


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            msg = f"duplicate key {k!r}"
            raise ValueError(msg)
        out[k] = v
    return out


def describe(value: Any, width: int = 60) -> str:
    """A short, safe picture of a JSON value for a message: never the repr of a deep or
    huge list or object (that could raise RecursionError or take megabytes)."""
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def group(message: str, errors: list[DataError]) -> DataErrorGroup:
    """One DataErrorGroup of at most :data:`MAX_LISTED` problems (and a count of the rest)."""
    if len(errors) > MAX_LISTED:
        more = len(errors) - MAX_LISTED
        last = errors[MAX_LISTED]
        errors = [*errors[:MAX_LISTED], DataError(last.file, "", "", f"and {more} more problems")]
    return DataErrorGroup(message, errors)


def read_file(name: str, folder: str | None, errors: list[DataError]) -> bytes | None:
    """The bytes of data file ``name``, or None with the problem added to ``errors``."""
    try:
        return _resources.read_bytes(name, folder)
    except OSError as e:
        errors.append(DataError(name, "", "", f"cannot read: {e.strerror or e}"))
        return None


def parse_json(name: str, blob: bytes, strict: bool, errors: list[DataError]) -> Any:
    """The JSON object in ``blob``, or None with the problem added to ``errors``.

    Every way a file can be corrupt ends here as a DataError naming the file: not UTF-8,
    not JSON (truncated, garbled), nested deeper than Python can parse, or a top-level
    value that is not an object (``null``, a list, a number). ``strict`` refuses
    duplicate keys too.
    """
    try:
        text = blob.decode("utf-8")
        hook = _reject_duplicates if strict else None
        doc = json.loads(text, object_pairs_hook=hook)
    except UnicodeDecodeError as e:
        errors.append(DataError(name, f"byte {e.start}", "", "not UTF-8"))
    except json.JSONDecodeError as e:
        errors.append(
            DataError(name, f"line {e.lineno} column {e.colno}", "", f"invalid JSON: {e.msg}")
        )
    except ValueError as e:
        errors.append(DataError(name, "", "", f"invalid JSON: {e}"))
    except RecursionError:
        errors.append(DataError(name, "", "", "invalid JSON: nested too deeply"))
    else:
        if isinstance(doc, dict):
            return doc
        top = "null" if doc is None else describe(doc)
        errors.append(DataError(name, "", "", f"expected a JSON object at the top, got {top}"))
    return None


class Checker:
    """Collects problems for one file; typed getters that never raise."""

    def __init__(self, file: str, errors: list[DataError]) -> None:
        self.file = file
        self.errors = errors
        self.bad: set[str] = set()

    def err(self, ptr: str, field: str, message: str) -> None:
        self.bad.add(ptr)
        self.errors.append(DataError(self.file, ptr, field, message))

    def get(self, obj: Any, key: str, ptr: str, typ: type[T] | tuple[type, ...], default: T) -> T:
        if type(obj) is dict:
            value = obj.get(key, _MISSING)
            if type(value) is typ:  # the fast path: exact type (bool is not int here)
                return value
        return self._get_slow(obj, key, ptr, typ, default)

    def _get_slow(
        self, obj: Any, key: str, ptr: str, typ: type[T] | tuple[type, ...], default: T
    ) -> T:
        if not isinstance(obj, dict):
            if ptr not in self.bad:  # once per value, not once per field asked of it
                self.err(ptr, "", f"expected an object, got {type(obj).__name__}")
            return default
        if key not in obj:
            self.err(f"{ptr}/{key}", key, "missing field")
            return default
        value = obj[key]
        ok = isinstance(value, typ) and not (isinstance(value, bool) and typ is int)
        if not ok:
            name = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
            self.err(
                f"{ptr}/{key}",
                key,
                f"expected {name}, got {type(value).__name__} {describe(value)}",
            )
            return default
        return value  # type: ignore[no-any-return]

    def optional(self, obj: Any, key: str, ptr: str, typ: type[T], default: T) -> T:
        """A key that may be left out (checked like any other when it is there)."""
        if isinstance(obj, dict) and key not in obj:
            return default
        return self.get(obj, key, ptr, typ, default)

    def opt_str(self, obj: Any, key: str, ptr: str) -> str | None:
        if isinstance(obj, dict) and obj.get(key, 0) is None:
            return None
        return self.get(obj, key, ptr, str, "")

    def strs(self, obj: Any, key: str, ptr: str) -> tuple[str, ...]:
        values = self.get(obj, key, ptr, list, [])
        out = []
        for i, v in enumerate(values):
            if isinstance(v, str):
                out.append(v)
            else:
                self.err(f"{ptr}/{key}/{i}", key, f"expected str, got {type(v).__name__}")
        return tuple(out)

    def choice(
        self, obj: Any, key: str, ptr: str, allowed: Iterable[str], default: str = ""
    ) -> str:
        """The str at ``key``, which must be one of ``allowed``."""
        value = self.get(obj, key, ptr, str, default)
        self.one_of(value, allowed, ptr, key)
        return value

    def prefixed_id(self, obj: Any, ptr: str, prefix: str) -> str:
        """The ``id`` of ``obj``, which must start with ``prefix`` (``nis2:``)."""
        rid = self.get(obj, "id", ptr, str, "")
        if not rid.startswith(prefix):
            self.err(f"{ptr}/id", "id", f"{rid!r} must start with {prefix!r}")
        return rid

    def one_of(self, value: str, allowed: Iterable[str], ptr: str, field: str) -> None:
        allowed = tuple(allowed)
        if value not in allowed and f"{ptr}/{field}" not in self.bad and ptr not in self.bad:
            self.err(
                f"{ptr}/{field}", field, f"{value!r} must be one of {', '.join(sorted(allowed))}"
            )

    def items(self, doc: Any, key: str, known: frozenset[str]) -> list[tuple[str, Any]]:
        """The objects of the list ``doc[key]``, each checked for keys not in ``known``."""
        values = self.get(doc, key, "", list, [])
        out = [(f"/{key}/{i}", v) for i, v in enumerate(values)]
        for ptr, v in out:
            self.known_keys(v, ptr, known)
        return out

    def known_keys(self, obj: Any, ptr: str, known: frozenset[str]) -> None:
        """Refuse keys the format does not define (src/bio2map/data/README.md)."""
        if isinstance(obj, dict):
            for key in sorted(k for k in obj if k not in known):
                self.err(f"{ptr}/{key}", key, f"unknown key {key!r}")
