"""Helpers for Jupyter: answers as HTML tables and DataFrames, coverage and draft figures.

* :func:`to_html` renders a :class:`~bio2map.catalog.answers.ControlsAnswer`,
  :class:`~bio2map.catalog.answers.RequirementsAnswer`, :class:`~bio2map.catalog.answers.Coverage`,
  :class:`~bio2map.catalog.answers.Uncovered`, or anything with an ``as_dict()`` method (a
  :class:`~bio2map.drafts.diff.VersionDiff`), as compact HTML tables with captions. Every
  text is escaped and the output depends on the answer only, so it is the same on
  every run.
* :func:`to_pandas` gives one row per control, requirement, coverage item, gap or
  diff entry (needs ``pip install 'bio2map[pandas]'``).
* :func:`coverage_heatmap` draws how far an SoA covers each NIS2 Art. 21(2) point,
  split by ISO/IEC 27002 theme or by the values of one 27002 attribute;
  :func:`coverage_grid` gives the same figures without matplotlib.
* :func:`report_frame` shows the gap report
  (:meth:`~bio2map.catalog.answers.Coverage.to_html_report`) inline, in an ``<iframe>``.
* :func:`changes_per_draft` draws the entries of every BIO2 draft per kind and,
  optionally, what changed between consecutive drafts (needs ``pip install
  'bio2map[plot]'``).

Importing this module imports neither pandas nor matplotlib: each function imports
what it needs, and raises :class:`ImportError` naming the extra to install when it
is missing. Figures are made with :class:`matplotlib.figure.Figure` directly, not
through ``pyplot``, so they hold no global state and need no GUI backend; in Jupyter,
through ``pyplot``, so they hold no global state and need no GUI backend; in Jupyter,
run ``%matplotlib inline`` once to have a returned figure drawn.

The output holds ids, short titles, our short labels, relationships and counts; never
measure texts, even when they are attached to the catalog.

This module is the public face of the Jupyter views; they are made in
:mod:`bio2map.render.answer_tables` (the tables, rendered by
:func:`bio2map.render.table.as_html`), :mod:`bio2map.render.frames` (the DataFrame
rows) and :mod:`bio2map.render.figures`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

from bio2map.render.answer_tables import answer_tables
from bio2map.render.figures import (
    ATTRIBUTE_NAMES,
    DRAFT_KINDS,
    TRANSITION_KINDS,
    CoverageGrid,
    changes_per_draft,
    coverage_grid,
    coverage_heatmap,
)
from bio2map.render.frames import answer_records
from bio2map.render.report_html import report_frame
from bio2map.render.table import as_html

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ATTRIBUTE_NAMES",
    "DRAFT_KINDS",
    "TRANSITION_KINDS",
    "CoverageGrid",
    "SupportsAsDict",
    "changes_per_draft",
    "coverage_grid",
    "coverage_heatmap",
    "report_frame",
    "to_html",
    "to_pandas",
]

_DEFAULT_MAX_ROWS: Final = 60


class SupportsAsDict(Protocol):
    """Anything with a JSON-ready ``as_dict()``: every answer record, a ``VersionDiff``.

    .. versionadded:: 0.1.0
    """

    def as_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready data."""
        ...  # pragma: no cover


def to_html(
    answer: SupportsAsDict | Mapping[str, Any], *, max_rows: int | None = _DEFAULT_MAX_ROWS
) -> str:
    """Render an answer as compact HTML tables, each with a caption.

    Args:
        answer: a :class:`~bio2map.catalog.answers.ControlsAnswer`,
            :class:`~bio2map.catalog.answers.RequirementsAnswer`,
            :class:`~bio2map.catalog.answers.Coverage` or
            :class:`~bio2map.catalog.answers.Uncovered`; or any object with an ``as_dict()``
            method (a :class:`~bio2map.drafts.diff.VersionDiff`), or such a dict itself. Those
            get a ``field | value`` table, then one table per list of records
            (``moved``, ``changed``, ...) and per nested section (``impact``).
        max_rows: rows shown per table; the rest is summed up in a last row
            (``… 291 more rows``). None shows every row.

    Returns:
        One ``<div class="bio2map">`` holding ``<table class="bio2map-table">``
        elements, one line per row, ending with a newline. Every text is escaped; long
        lists of ids are cut after four (``a, b, c, d (+18)``), with up to 40 of them in
        the cell's ``title``. The same answer always gives the same string.

    Raises:
        TypeError: ``answer`` is none of the above.
        ValueError: ``max_rows`` is negative.

    Examples:
        >>> import bio2map
        >>> text = to_html(bio2map.load("1.3").controls_for("21(2)(d)"))
        >>> text.splitlines()[2][:60]
        '<caption>ISO controls for nis2:21.2.d (Art. 21(2)(d)): suppl'

    .. versionadded:: 0.1.0
    """
    if max_rows is not None and max_rows < 0:
        msg = f"max_rows must be None or at least 0 (got {max_rows!r})"
        raise ValueError(msg)
    return as_html(answer_tables(answer), max_rows)


def to_pandas(answer: SupportsAsDict | Mapping[str, Any]) -> pd.DataFrame:
    """An answer as a :class:`pandas.DataFrame`, one row per entry.

    * ``ControlsAnswer``: one row per control, with ``requirement``, ``id``, ``ref``,
      ``kind``, ``title``, ``relationship``, ``via``, ``sources``, ``measures``.
    * ``RequirementsAnswer``: one row per requirement, with ``control``, ``measure``,
      ``id``, ``framework``, ``ref``, ``kind``, ``label``, ``relationship``, ``via``,
      ``sources``.
    * ``Coverage``: one row per coverage item, points first, with ``group`` (``point``
      or ``requirement``), ``id``, ``status``, ``share``, ``relationship``,
      ``n_mapped``, ``n_implemented``, ``mapped``, ``implemented``, ``missing``,
      ``note``.
    * ``Uncovered``: one row per gap, with ``gap`` (the ``as_dict()`` key), ``id``,
      ``ref``, ``label`` (label or title), ``addressed_by``, ``law``, ``control``.
    * Anything else with ``as_dict()`` (a ``VersionDiff``): one row per entry of every
      list, nested ones included, with ``category`` (``added``, ``moved``,
      ``impact.controls``, ...) and then the entry's fields (an id alone goes in
      ``id``).

    Lists are stored as tuples. What is not a row goes into ``DataFrame.attrs``: the
    requirement or control asked about, the BIO2 version, the coverage ``summary`` and
    ``legislation`` ids, a diff's ``from``, ``to`` and ``counts``.

    Raises:
        ImportError: pandas is not installed (``pip install 'bio2map[pandas]'``).
        TypeError: ``answer`` is neither an answer record nor has ``as_dict()``.

    .. versionadded:: 0.1.0
    """
    try:
        import pandas as pd
    except ImportError as e:
        msg = (
            "bio2map.render.notebook.to_pandas needs pandas, which is not installed; "
            "install it with: pip install 'bio2map[pandas]'"
        )
        raise ImportError(msg) from e
    columns, rows, meta = answer_records(answer)
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    frame.attrs.update(meta)
    return frame


def __dir__() -> list[str]:
    return list(__all__)
