"""One table model for every view of an answer, and its renderers.

A :class:`Table` has a title, column names, rows of cells and notes under it. A cell is
text or :class:`Ids`, a list of ids shown as its first few (``a, b, c, d (+5)``). The
command line prints tables as aligned text, Markdown or CSV; Jupyter shows them as HTML;
:func:`as_data` gives them as JSON-ready data. :func:`render` picks the renderer by name.

Output is deterministic: rows in the order given, JSON keys sorted, no timestamps, a
final newline.

Nothing here imports ``typing``, ``csv`` or ``html`` at module level: the command line
imports this module on every run, also when it only prints JSON.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    Cell: TypeAlias = "str | Ids"

__all__ = [
    "FORMATS",
    "RENDERERS",
    "Ids",
    "Table",
    "as_csv",
    "as_data",
    "as_html",
    "as_markdown",
    "as_text",
    "cell",
    "render",
    "to_json",
]

FORMATS = ("table", "json", "csv", "md")
"""The command line's ``--format`` choices (``json`` prints the answer, not its tables)."""

RENDERERS = ("table", "md", "csv", "json", "html")
"""The names :func:`render` takes."""

SHORT = 4
"""Ids an :class:`Ids` cell shows before ``(+n)``, unless it says otherwise."""

TOOLTIP = 40
"""Ids an HTML tooltip holds at most."""

TEXT_WIDTH = 60
"""Characters of a cell in the aligned text table; longer ones end in ``…``."""


class Ids:
    """A cell holding a list of ids, shown as its first ``shown`` and the count of the rest.

    ``str(ids)`` is the short form (``a, b, c, d (+5)``); HTML adds the list (up to
    :data:`TOOLTIP` ids) as a tooltip, and :func:`as_data` gives the whole list. With
    ``counted``, the short form starts with the number of ids (``6: a, b, c, d (+2)``,
    or ``0``).
    """

    __slots__ = ("counted", "ids", "shown")

    ids: tuple[str, ...]
    shown: int
    counted: bool

    def __init__(self, ids: Iterable[str], shown: int = SHORT, *, counted: bool = False) -> None:
        object.__setattr__(self, "ids", tuple(ids))
        object.__setattr__(self, "shown", shown)
        object.__setattr__(self, "counted", counted)

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"{type(self).__name__} is frozen"
        raise AttributeError(msg)

    def __str__(self) -> str:
        ids, n = self.ids, self.shown
        text = ", ".join(ids) if len(ids) <= n else ", ".join(ids[:n]) + f" (+{len(ids) - n})"
        if self.counted:
            return f"{len(ids)}: {text}" if ids else "0"
        return text

    @property
    def tooltip(self) -> str:
        """The ids for a tooltip when the short form leaves some out, else ``""``."""
        ids = self.ids
        if len(ids) <= self.shown:
            return ""
        more = len(ids) - TOOLTIP
        return ", ".join(ids[:TOOLTIP]) + (f" (+{more})" if more > 0 else "")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ids):
            return NotImplemented
        return (self.ids, self.shown, self.counted) == (other.ids, other.shown, other.counted)

    def __hash__(self) -> int:
        return hash((self.ids, self.shown, self.counted))

    def __repr__(self) -> str:
        counted = ", counted=True" if self.counted else ""
        return f"Ids({list(self.ids)!r}, {self.shown}{counted})"


def cell(value: object) -> Cell:
    """A value as a table cell.

    Text and :class:`Ids` stay as they are; None is empty; a bool is ``yes`` or ``no``; a
    float is written short (``0.5``); a mapping is ``key: value, ...``; a list of
    records is counted (``3 items``: nested records may hold text, they are never
    shown); any other list becomes :class:`Ids`.
    """
    if isinstance(value, str | Ids):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, Sequence):
        if any(isinstance(v, Mapping) for v in value):
            return f"{len(value)} item" + ("" if len(value) == 1 else "s")
        return Ids(str(cell(v)) for v in value)
    return str(value)


class Table:
    """A title, column names, rows of cells (see :func:`cell`) and notes under it.

    ``empty`` says what an empty table shows (``none``: ``(none)`` as text, ``_none_``
    in Markdown); ``limited=False`` keeps every row when HTML shows at most
    ``max_rows`` (a short summary table). A table is immutable: :meth:`with_notes`
    gives a copy with more notes.
    """

    __slots__ = ("columns", "empty", "limited", "notes", "rows", "title")

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]
    empty: str
    limited: bool

    def __init__(
        self,
        title: str,
        columns: Iterable[str],
        rows: Iterable[Iterable[object]],
        notes: Iterable[str] = (),
        *,
        empty: str = "none",
        limited: bool = True,
    ) -> None:
        init = object.__setattr__
        init(self, "title", title)
        init(self, "columns", tuple(columns))
        init(self, "rows", tuple(tuple(cell(v) for v in row) for row in rows))
        init(self, "notes", tuple(notes))
        init(self, "empty", empty)
        init(self, "limited", limited)

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"{type(self).__name__} is frozen"
        raise AttributeError(msg)

    def with_notes(self, *notes: str) -> Table:
        """A copy of this table with ``notes`` added after its own."""
        new = object.__new__(Table)
        for name in Table.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "notes", (*self.notes, *notes))
        return new

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in Table.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Table({self.title!r}, {self.columns!r}, {len(self.rows)} rows)"


# --- renderers ---------------------------------------------------------------------------


def to_json(doc: Any) -> str:
    """Deterministic JSON: sorted keys, UTF-8 kept, two-space indent, final newline."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def as_data(tables: Sequence[Table]) -> list[dict[str, Any]]:
    """The tables as JSON-ready data: ``title``, ``columns``, ``rows``, ``notes``; an
    :class:`Ids` cell is the whole list."""
    return [
        {
            "title": t.title,
            "columns": list(t.columns),
            "rows": [[c if isinstance(c, str) else list(c.ids) for c in r] for r in t.rows],
            "notes": list(t.notes),
        }
        for t in tables
    ]


def as_csv(tables: Sequence[Table]) -> str:
    """Each table's header row and rows; a blank line between tables; no titles or notes."""
    import csv  # not at module level: the cold JSON query does not need it
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, t in enumerate(tables):
        if i:
            buf.write("\n")
        w.writerow(t.columns)
        w.writerows([str(c) for c in r] for r in t.rows)
    return buf.getvalue()


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def as_markdown(tables: Sequence[Table]) -> str:
    """A ``##`` heading per table, a pipe table (or ``_none_``), and its notes quoted."""
    out: list[str] = []
    for t in tables:
        out.append(f"## {t.title}\n")
        if t.rows:
            out.append("| " + " | ".join(t.columns) + " |")
            out.append("|" + "|".join("---" for _ in t.columns) + "|")
            out.extend("| " + " | ".join(_md_cell(str(c)) for c in r) + " |" for r in t.rows)
        else:
            out.append(f"_{t.empty}_")
        out.extend(["", *(f"> {n}" for n in t.notes)] if t.notes else [])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_text(tables: Sequence[Table], width: int = TEXT_WIDTH) -> str:
    """Aligned columns under an underlined title, cells cut at ``width``, then the notes."""
    out: list[str] = []
    for t in tables:
        out.append(t.title)
        out.append("=" * min(len(t.title), 100))
        if not t.rows:
            out.append(f"({t.empty})")
        else:
            rows = [
                tuple(s if len(s) <= width else s[: width - 1] + "…" for s in map(str, r))
                for r in t.rows
            ]
            widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(t.columns)]
            out.append(
                "  ".join(h.ljust(w) for h, w in zip(t.columns, widths, strict=True)).rstrip()
            )
            out.append("  ".join("-" * w for w in widths))
            out.extend(
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
            )
        out.extend(t.notes)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def as_html(tables: Sequence[Table], max_rows: int | None = None) -> str:
    """One ``<div class="bio2map">`` of ``<table class="bio2map-table">`` elements.

    Each table has its title as ``<caption>``, one line per row, and its notes in a
    ``<tfoot>``. A table shows at most ``max_rows`` rows unless it is not ``limited``;
    a last row counts the rest. Every text is escaped; an :class:`Ids` cell carries its
    tooltip in ``title``.
    """
    from html import escape  # not at module level: the command line never needs it

    def td(c: Cell, tag: str = "td") -> str:
        tip = "" if isinstance(c, str) else c.tooltip
        title = f' title="{escape(tip, quote=True)}"' if tip else ""
        return f"<{tag}{title}>{escape(str(c), quote=True)}</{tag}>"

    def wide(text: str, span: int) -> str:
        return f'<tr><td colspan="{span}">{escape(text)}</td></tr>'

    out = ['<div class="bio2map">']
    for t in tables:
        span = len(t.columns)
        out.append('<table class="bio2map-table">')
        out.append(f"<caption>{escape(t.title, quote=True)}</caption>")
        out.append("<thead><tr>" + "".join(td(h, "th") for h in t.columns) + "</tr></thead>")
        out.append("<tbody>")
        shown = t.rows if max_rows is None or not t.limited else t.rows[:max_rows]
        out.extend("<tr>" + "".join(td(c) for c in r) + "</tr>" for r in shown)
        more = len(t.rows) - len(shown)
        if more:
            out.append(
                wide(f"… {more} more row{'s' if more > 1 else ''} (to_pandas() gives all)", span)
            )
        if not t.rows:
            out.append(wide(t.empty, span))
        out.append("</tbody>")
        if t.notes:
            out.append("<tfoot>" + "".join(wide(n, span) for n in t.notes) + "</tfoot>")
        out.append("</table>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def render(tables: Sequence[Table], fmt: str, *, max_rows: int | None = None) -> str:
    """Render ``tables`` as ``table`` (aligned text), ``md``, ``csv``, ``json`` or ``html``.

    ``max_rows`` applies to HTML only.

    Raises:
        ValueError: ``fmt`` is none of :data:`RENDERERS`.
    """
    if fmt == "table":
        return as_text(tables)
    if fmt == "md":
        return as_markdown(tables)
    if fmt == "csv":
        return as_csv(tables)
    if fmt == "json":
        return to_json(as_data(tables))
    if fmt == "html":
        return as_html(tables, max_rows)
    msg = f"unknown table format {fmt!r}; choose from {', '.join(RENDERERS)}"
    raise ValueError(msg)
