"""Jupyter display and pandas export for answers, provided by the render room.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from bio2map.core import hooks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pandas

__all__ = ["NotebookMixin", "RecordDisplay"]


class NotebookMixin:
    """Jupyter display and pandas export for answers (see :mod:`bio2map.render.notebook`)."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:  # pragma: no cover - every answer defines it
        """A JSON-ready dict (defined by each answer class)."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        """HTML tables for Jupyter (:func:`bio2map.render.notebook.to_html`)."""
        html: str = hooks.call("to_html", self)
        return html

    def to_pandas(self) -> pandas.DataFrame:
        """One row per entry (:func:`bio2map.render.notebook.to_pandas`; needs ``bio2map[pandas]``).

        .. versionadded:: 0.1.0
        """
        return hooks.call("to_pandas", self)


class RecordDisplay:
    """A record's HTML view in Jupyter: a ``field | value`` table titled with its id and
    label (:func:`bio2map.render.notebook.to_html`).

    .. versionadded:: 0.2.0
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        html: str = hooks.call("to_html", self)
        return html
