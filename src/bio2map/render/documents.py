"""Answers as documents: the ``as_dict()`` of anything that has one, and its lists.

The HTML tables and the DataFrames of an answer without a view of its own (a
:class:`~bio2map.drafts.diff.VersionDiff`, a plain dict) are made from its document:
every list of records becomes a table, or rows.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["answer_document", "columns", "has_lists", "is_records"]


def answer_document(answer: object, what: str) -> tuple[Mapping[str, Any], str]:
    """The document of ``answer`` and the name to show for it.

    A mapping is its own document (named ``answer``); anything else must have an
    ``as_dict()`` method that returns a mapping (named after its type).

    Raises:
        TypeError: ``answer`` has no ``as_dict()``, or it returns no mapping. The
            message names ``bio2map.render.notebook.<what>``.
    """
    if isinstance(answer, Mapping):
        return answer, "answer"
    as_dict = getattr(answer, "as_dict", None)
    if not callable(as_dict):
        msg = (
            f"bio2map.render.notebook.{what} takes an answer record or an object with as_dict() "
            f"(got {type(answer).__name__!r})"
        )
        raise TypeError(msg)
    doc = as_dict()
    if not isinstance(doc, Mapping):
        name = type(answer).__name__
        msg = f"{name}.as_dict() must return a mapping (got {type(doc).__name__!r})"
        raise TypeError(msg)
    return doc, type(answer).__name__


def is_records(value: object) -> bool:
    """Whether ``value`` is a non-empty list of mappings."""
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def has_lists(value: Mapping[str, Any]) -> bool:
    """Whether a value of ``value`` is a list (a nested section, such as ``impact``)."""
    return any(isinstance(v, Sequence) and not isinstance(v, str) for v in value.values())


def columns(records: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The keys of ``records``, in the order they first appear."""
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    return tuple(seen)
