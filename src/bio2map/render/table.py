"""Turn answers into text: JSON, CSV, Markdown or an aligned table.

Output is deterministic: JSON keys sorted, lists in the order the catalog gives
(sorted by id or document order), no timestamps, a final newline.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FORMATS", "Table", "render", "to_json"]

FORMATS = ("table", "json", "csv", "md")


class Table:
    """A title, column headers and rows of cells, plus optional notes under it."""

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        notes: Sequence[str] = (),
    ) -> None:
        self.title = title
        self.headers = tuple(headers)
        self.rows = [tuple("" if c is None else str(c) for c in r) for r in rows]
        self.notes = tuple(notes)


def to_json(doc: Any) -> str:
    """Deterministic JSON: sorted keys, UTF-8 kept, two-space indent, final newline."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _csv(tables: Sequence[Table]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, t in enumerate(tables):
        if i:
            buf.write("\n")
        w.writerow(t.headers)
        w.writerows(t.rows)
    return buf.getvalue()


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md(tables: Sequence[Table]) -> str:
    out: list[str] = []
    for t in tables:
        out.append(f"## {t.title}\n")
        if t.rows:
            out.append("| " + " | ".join(t.headers) + " |")
            out.append("|" + "|".join("---" for _ in t.headers) + "|")
            out.extend("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in t.rows)
        else:
            out.append("_none_")
        out.extend(["", *(f"> {n}" for n in t.notes)] if t.notes else [])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _table(tables: Sequence[Table], width: int = 60) -> str:
    out: list[str] = []
    for t in tables:
        out.append(t.title)
        out.append("=" * min(len(t.title), 100))
        if not t.rows:
            out.append("(none)")
        else:
            rows = [
                tuple(c if len(c) <= width else c[: width - 1] + "…" for c in r) for r in t.rows
            ]
            widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(t.headers)]
            out.append(
                "  ".join(h.ljust(w) for h, w in zip(t.headers, widths, strict=True)).rstrip()
            )
            out.append("  ".join("-" * w for w in widths))
            out.extend(
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
            )
        out.extend(t.notes)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render(fmt: str, doc: Any, tables: Sequence[Table]) -> str:
    """Render ``doc`` (for JSON) or ``tables`` (for the other formats)."""
    if fmt == "json":
        return to_json(doc)
    if fmt == "csv":
        return _csv(tables)
    if fmt == "md":
        return _md(tables)
    return _table(tables)
