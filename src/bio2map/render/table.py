"""One table model for every view of an answer, and its renderers.

A :class:`Table` has a title, column names, rows of cells and notes under it. A cell is
text or :class:`Ids`, a list of ids. The command line prints tables as aligned text,
Markdown or CSV; Jupyter shows them as HTML; :func:`as_data` gives them as JSON-ready
data. :func:`render` picks the renderer by name.

Nothing is cut. The aligned text fits a given width by wrapping long cells (the command
line gives the terminal's width, and shortens lists of ids to their first few, ``a, b,
c, d (+5)``, only on a terminal); Markdown, CSV and JSON hold every id. CSV is one tidy
table (:func:`as_csv`).

Output is deterministic: rows in the order given, JSON keys sorted, no timestamps, a
final newline.

Nothing here imports ``typing``, ``csv`` or ``html`` at module level: the command line
imports this module on every run, also when it only prints JSON.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bio2map.render.jsontext import dumps_indented

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
    "wrap",
]

FORMATS = ("table", "json", "csv", "md")
"""The command line's ``--format`` choices (``json`` prints the answer, not its tables)."""

RENDERERS = ("table", "md", "csv", "json", "html")
"""The names :func:`render` takes."""

SHORT = 4
"""Ids an :class:`Ids` cell shows before ``(+n)``, unless it says otherwise."""

TOOLTIP = 40
"""Ids an HTML tooltip holds at most."""

MIN_COLUMN = 6
"""Characters a column keeps at least when the aligned text is wrapped to a width (more
when its header has a longer word)."""


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
        return self.text(short=True)

    def text(self, *, short: bool = False) -> str:
        """The ids joined with ``, ``: all of them, or with ``short`` the first ``shown``
        and ``(+n)`` (what ``str()`` gives); prefixed by their number when ``counted``."""
        ids, n = self.ids, self.shown
        if not short or len(ids) <= n:
            text = ", ".join(ids)
        else:
            text = ", ".join(ids[:n]) + f" (+{len(ids) - n})"
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
    ``max_rows`` (a short summary table); ``name`` is a short name for the table's
    rows in the one CSV table of several (default: the title). A table is immutable:
    :meth:`with_notes` gives a copy with more notes.
    """

    __slots__ = ("columns", "empty", "limited", "name", "notes", "rows", "title")

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]
    empty: str
    limited: bool
    name: str

    def __init__(
        self,
        title: str,
        columns: Iterable[str],
        rows: Iterable[Iterable[object]],
        notes: Iterable[str] = (),
        *,
        empty: str = "none",
        limited: bool = True,
        name: str = "",
    ) -> None:
        init = object.__setattr__
        init(self, "title", title)
        init(self, "columns", tuple(columns))
        init(self, "rows", tuple(tuple(cell(v) for v in row) for row in rows))
        init(self, "notes", tuple(notes))
        init(self, "empty", empty)
        init(self, "limited", limited)
        init(self, "name", name)

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


def to_json(doc: Any, *, ascii_only: bool = False) -> str:
    """Deterministic JSON: sorted keys, UTF-8 kept (or, with ``ascii_only``, written as
    ``\\u`` escapes), two-space indent, final newline."""
    return dumps_indented(doc, sort_keys=True, ensure_ascii=ascii_only) + "\n"


def _full(c: Cell) -> str:
    return c if isinstance(c, str) else c.text()


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
    """One RFC 4180 table: a header row, then one row per row of the tables; nothing cut.

    Several tables become one: a first column ``table`` (``section`` when a table has
    a column ``table``) holds each row's table :attr:`~Table.name` (or title), and the
    columns are those of every table in order of appearance, empty where a table has
    no such column. An :class:`Ids` cell is every id, joined with ``;`` (a ``;`` or
    ``\\`` inside an id escaped with ``\\``, as in the CSV export). A cell that starts
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a spreadsheet
    would run as a formula, starts with ``'`` (:func:`~bio2map.formats.common.defuse`);
    numbers and a lone ``-`` are left as they are. Titles and notes are not written.
    """
    import csv  # not at module level: the cold JSON query does not need it
    import io

    from bio2map.formats.common import defuse, join_list

    def text(c: Cell) -> str:
        return defuse(c if isinstance(c, str) else join_list(c.ids))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if len(tables) == 1:
        (t,) = tables
        w.writerow(t.columns)
        w.writerows([text(c) for c in r] for r in t.rows)
        return buf.getvalue()
    keys: list[tuple[str, int]] = []  # (column, its n-th occurrence in a table)
    places: list[list[int]] = []
    for t in tables:
        seen: dict[str, int] = {}
        place = []
        for col in t.columns:
            key = (col, seen.get(col, 0))
            seen[col] = key[1] + 1
            if key not in keys:
                keys.append(key)
            place.append(keys.index(key))
        places.append(place)
    first = "section" if any(col == "table" for col, _ in keys) else "table"
    w.writerow((first, *(col for col, _ in keys)))
    for t, place in zip(tables, places, strict=True):
        name = text(t.name or t.title)
        for r in t.rows:
            row = [""] * len(keys)
            for i, c in zip(place, r, strict=True):
                row[i] = text(c)
            w.writerow((name, *row))
    return buf.getvalue()


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def as_markdown(tables: Sequence[Table]) -> str:
    """A ``##`` heading per table, a pipe table (or ``_none_``), and its notes quoted.

    Every id of an :class:`Ids` cell is shown."""
    out: list[str] = []
    for t in tables:
        out.append(f"## {t.title}\n")
        if t.rows:
            out.append("| " + " | ".join(t.columns) + " |")
            out.append("|" + "|".join("---" for _ in t.columns) + "|")
            out.extend("| " + " | ".join(_md_cell(_full(c)) for c in r) + " |" for r in t.rows)
        else:
            out.append(f"_{t.empty}_")
        out.extend(["", *(f"> {n}" for n in t.notes)] if t.notes else [])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters: broken at spaces (and at line
    breaks in the text), a word longer than ``width`` broken inside. Nothing is lost
    but the spaces where a line breaks.

    Examples:
        >>> wrap("a, b, c, d", 5)
        ['a, b,', 'c, d']
        >>> wrap("abcdefgh", 3)
        ['abc', 'def', 'gh']
    """
    width = max(width, 1)
    lines: list[str] = []
    for para in text.split("\n"):
        if len(para) <= width:
            lines.append(para)
            continue
        line = ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) <= width:
                line += " " + word
                continue
            if line:
                lines.append(line)
            while len(word) > width:
                lines.append(word[:width])
                word = word[width:]
            line = word
        lines.append(line)
    return lines


def _widths(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths that fit ``room`` characters: the widest columns give way first,
    none below its ``least`` (or its natural width, if smaller)."""
    if sum(natural) <= room:
        return natural
    floor = [min(n, m) for n, m in zip(natural, least, strict=True)]
    if sum(floor) >= room:
        return floor
    lo, hi = 0, max(natural)  # the largest cap on every column that still fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(max(f, min(n, mid)) for f, n in zip(floor, natural, strict=True)) <= room:
            lo = mid
        else:
            hi = mid - 1
    widths = [max(f, min(n, lo)) for f, n in zip(floor, natural, strict=True)]
    spare = room - sum(widths)
    for i, n in enumerate(natural):  # what is left goes to the first columns that want it
        give = min(spare, n - widths[i])
        if give > 0:
            widths[i] += give
            spare -= give
    return widths


_SEP = 2  # spaces between columns


def _lines(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One row of the aligned text: each cell wrapped to its column, side by side."""
    parts = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
    height = max((len(p) for p in parts), default=1)
    pad = " " * _SEP
    return [
        pad.join(
            (p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths, strict=True)
        ).rstrip()
        for k in range(height)
    ]


def as_text(tables: Sequence[Table], width: int | None = None, *, short_ids: bool = False) -> str:
    """Aligned columns under an underlined title, then the notes; nothing is cut.

    Args:
        tables: the tables.
        width: the line width to fit (a terminal's); long cells, titles and notes wrap
            to stay within it (a table whose columns cannot shrink enough is wider).
            None: no limit, one line per row.
        short_ids: show an :class:`Ids` cell as its first few ids and ``(+n)``, as on a
            terminal; by default every id is shown.
    """
    out: list[str] = []

    def para(text: str) -> list[str]:
        return wrap(text, width) if width is not None else text.split("\n")

    for t in tables:
        title = para(t.title)
        out.extend(title)
        out.append("=" * min(max(len(line) for line in title), width or 100))
        if not t.rows:
            out.append(f"({t.empty})")
        else:
            rows = [
                [c if isinstance(c, str) else c.text(short=short_ids) for c in r] for r in t.rows
            ]
            cols = len(t.columns)
            natural = [
                max(len(line) for text in (h, *(r[i] for r in rows)) for line in text.split("\n"))
                for i, h in enumerate(t.columns)
            ]
            if width is None:
                widths = natural
            else:
                least = [max([MIN_COLUMN, *map(len, h.split())]) for h in t.columns]
                widths = _widths(natural, least, width - _SEP * (cols - 1))

            out.extend(_lines(t.columns, widths))
            out.append((" " * _SEP).join("-" * w for w in widths))
            for r in rows:
                out.extend(_lines(r, widths))
        for note in t.notes:
            out.extend(para(note) if note else [""])
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


def render(
    tables: Sequence[Table],
    fmt: str,
    *,
    max_rows: int | None = None,
    width: int | None = None,
    short_ids: bool = False,
) -> str:
    """Render ``tables`` as ``table`` (aligned text), ``md``, ``csv``, ``json`` or ``html``.

    ``max_rows`` applies to HTML only; ``width`` and ``short_ids`` to the aligned text
    only (see :func:`as_text`).

    Raises:
        ValueError: ``fmt`` is none of :data:`RENDERERS`.
    """
    if fmt == "table":
        return as_text(tables, width, short_ids=short_ids)
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
