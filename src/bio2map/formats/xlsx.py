"""The gap report as an Excel workbook (needs the ``xlsx`` extra: openpyxl).

:func:`xlsx_bytes` turns :class:`~bio2map.formats.report_data.ReportData` into a workbook
with the sheets ``Summary``, ``Points``, ``Annex requirements``, ``Controls``, ``BIO2
measures``, ``Not counted`` and ``Sources``. Every sheet is one table: a frozen header
row with a filter, column widths that fit the contents (up to 60 characters, longer text
wraps), ids stored as text (``5.10`` stays ``5.10``), shares as numbers. The status
columns carry a data-validation list, and ``Points`` and ``Annex requirements`` have
empty ``auditor status`` and ``auditor note`` columns for a reviewer to fill in.

The bytes are the same for the same input: the workbook's created and modified times
are the BIO2 draft's date, and every zip entry carries the same fixed time.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any, Final

from bio2map.formats.report_data import COVERAGE_STATUSES, SOA_STATUSES

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    from bio2map.formats.report_data import CountedControl, ReportData

__all__ = ["SHEETS", "XLSX_EXTRA", "write_xlsx", "xlsx_bytes"]

SHEETS: Final = (
    "Summary",
    "Points",
    "Annex requirements",
    "Controls",
    "BIO2 measures",
    "Not counted",
    "Sources",
)
"""The sheets of the workbook, in order."""

XLSX_EXTRA: Final = (
    "the Excel workbook needs openpyxl, which is not installed; "
    "install it with: pip install 'bio2map[xlsx]'"
)

_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_MAX_WIDTH: Final = 60
_AUDIT: Final = ("auditor status", "auditor note")

# column kinds: "id" (text, '@'), "num" (0.00), "text" (wrapped when long)
_Column = tuple[str, str]
_Sheet = tuple[str, list[_Column], "Sequence[Sequence[object]]", dict[str, str]]


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as e:
        raise ImportError(XLSX_EXTRA) from e
    return openpyxl


def _controls(controls: Sequence[CountedControl]) -> str:
    return "; ".join(f"{c.ref} ({c.soa_status})" for c in controls)


def _sheets(data: ReportData) -> list[_Sheet]:
    """Each sheet: name, columns (name, kind), rows, validation lists by column name."""
    return [
        _summary_sheet(data),
        _points_sheet(data),
        _requirements_sheet(data),
        _controls_sheet(data),
        _measures_sheet(data),
        _not_counted_sheet(data),
        _sources_sheet(data),
    ]


_COVERAGE_LIST: Final = ",".join(COVERAGE_STATUSES)
_SOA_LIST: Final = ",".join(SOA_STATUSES)
_AUDIT_COLUMNS: Final[list[_Column]] = [(a, "text") for a in _AUDIT]


def _summary_sheet(data: ReportData) -> _Sheet:
    summary: list[list[object]] = [
        ["report", "title", data.title, ""],
        ["report", "Statement of Applicability", data.soa, ""],
        ["report", "controls in the SoA", data.controls_given, ""],
        ["report", "controls counted", data.controls_counted, ""],
        ["report", "BIO2 draft", f"{data.bio2_version} ({data.bio2_label})", ""],
        ["report", "data version", data.data_version, ""],
        ["report", "user mapping layers", ", ".join(data.layers), ""],
    ]
    summary += [["metric", m.name, m.value, m.description] for m in data.metrics]
    summary += [["Art. 21(2) points", s, n, ""] for s, n in data.point_counts]
    summary += [["2024/2690 requirements", s, n, ""] for s, n in data.requirement_counts]
    summary += [
        ["handled by law", r.ref, "; ".join(f"{ref}: {lab}" for _i, ref, lab in r.law), r.label]
        for r in data.legislation
    ]
    summary += [["note", "", n, ""] for n in data.notes]
    columns = [("section", "text"), ("item", "id"), ("value", "text"), ("meaning", "text")]
    return ("Summary", columns, summary, {})


def _points_sheet(data: ReportData) -> _Sheet:
    columns: list[_Column] = [
        ("id", "id"),
        ("ref", "id"),
        ("label", "text"),
        ("status", "text"),
        ("share", "num"),
        ("reason", "text"),
        ("controls (SoA status)", "text"),
        ("annex requirements", "int"),
        *_AUDIT_COLUMNS,
    ]
    rows = [
        [
            p.id,
            p.ref,
            p.label,
            p.status,
            p.share,
            p.reason,
            _controls(p.controls),
            len(p.requirements),
            "",
            "",
        ]
        for p in data.points
    ]
    return ("Points", columns, rows, {"status": _COVERAGE_LIST, "auditor status": _COVERAGE_LIST})


def _requirements_sheet(data: ReportData) -> _Sheet:
    columns: list[_Column] = [
        ("id", "id"),
        ("ref", "id"),
        ("label", "text"),
        ("points", "id"),
        ("basis", "text"),
        ("status", "text"),
        ("share", "num"),
        ("reason", "text"),
        ("controls (SoA status)", "text"),
        *_AUDIT_COLUMNS,
    ]
    rows = [
        [
            r.id,
            r.ref,
            r.label,
            "; ".join(r.points),
            r.basis,
            r.status,
            r.share,
            r.reason,
            _controls(r.controls),
            "",
            "",
        ]
        for r in data.requirements
    ]
    lists = {"status": _COVERAGE_LIST, "auditor status": _COVERAGE_LIST}
    return ("Annex requirements", columns, rows, lists)


def _controls_sheet(data: ReportData) -> _Sheet:
    columns: list[_Column] = [
        ("id", "id"),
        ("ref", "id"),
        ("title", "text"),
        ("kind", "text"),
        ("theme", "text"),
        ("SoA status", "text"),
        ("weight", "num"),
        ("justification", "text"),
        ("points", "id"),
        ("annex requirements", "int"),
        ("BIO2 measures", "id"),
    ]
    rows = [
        [
            c.id,
            c.ref,
            c.title,
            c.kind,
            c.theme,
            c.soa_status,
            c.weight,
            c.justification,
            "; ".join(c.points),
            c.requirements,
            "; ".join(m.id for m in c.measures),
        ]
        for c in data.controls
    ]
    return ("Controls", columns, rows, {"SoA status": _SOA_LIST})


def _measures_sheet(data: ReportData) -> _Sheet:
    columns: list[_Column] = [
        ("id", "id"),
        ("control", "id"),
        ("control title", "text"),
        ("label (en)", "text"),
        ("label (nl)", "text"),
    ]
    titles = {c.id: c.title for c in data.controls}
    rows = [
        [m.id, m.control, titles.get(m.control, ""), m.label_en, m.label_nl] for m in data.measures
    ]
    return ("BIO2 measures", columns, rows, {})


def _not_counted_sheet(data: ReportData) -> _Sheet:
    columns = [("id", "id"), ("ref", "id"), ("SoA status", "text"), ("reason", "text")]
    rows = [[n.id, n.ref, n.soa_status, n.reason] for n in data.not_counted]
    return ("Not counted", columns, rows, {"SoA status": _SOA_LIST})


def _sources_sheet(data: ReportData) -> _Sheet:
    columns: list[_Column] = [
        ("dataset", "id"),
        ("version", "id"),
        ("title", "text"),
        ("licence", "text"),
        ("attribution", "text"),
        ("source", "text"),
    ]
    rows = [[s.name, s.version, s.title, s.licence, s.attribution, s.source] for s in data.sources]
    return ("Sources", columns, rows, {})


def _build(data: ReportData) -> Any:
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    band = PatternFill("solid", fgColor="F5F7FA")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for name, columns, rows, lists in _sheets(data):
        ws = wb.create_sheet(name)
        ws.append([c for c, _kind in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = band
        for row in rows:
            ws.append([v if isinstance(v, int | float) or v is None else str(v) for v in row])
        last = max(len(rows) + 1, 2)
        for j, (col, kind) in enumerate(columns, start=1):
            letter = get_column_letter(j)
            longest = max([len(col), *(len(str(r[j - 1])) for r in rows)], default=len(col))
            width = min(max(longest, 6) + 2, _MAX_WIDTH)
            ws.column_dimensions[letter].width = width
            # one style per column, set on the column and on its cells (each style is
            # registered once: setting number_format and alignment separately on every
            # cell costs more than the rest of the workbook)
            if kind == "id":
                style = _style(wb, "bio2map-id", number_format="@", alignment=top)
            elif kind == "num":
                style = _style(wb, "bio2map-num", number_format="0.00", alignment=top)
            elif kind == "text" and longest > _MAX_WIDTH:
                style = _style(wb, "bio2map-wrap", alignment=wrap)
            else:
                style = _style(wb, "bio2map-top", alignment=top)
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=j, max_col=j):
                cell.style = style
            if col in lists:
                dv = DataValidation(
                    type="list",
                    formula1=f'"{lists[col]}"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="status",
                    error=f"one of: {lists[col]}",
                )
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    stamp = _stamp(data)
    wb.properties.creator = "bio2map"
    wb.properties.title = data.title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def _style(wb: Any, name: str, **attributes: Any) -> str:
    """The name of a named cell style, registered in ``wb`` on first use."""
    if name not in wb.named_styles:
        from openpyxl.styles import NamedStyle

        style = NamedStyle(name=name)
        for key, value in attributes.items():
            setattr(style, key, value)
        wb.add_named_style(style)
    return name


def _stamp(data: ReportData) -> Any:
    import datetime

    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", data.bio2_date)
    if m is None:
        return datetime.datetime(2000, 1, 1)  # openpyxl writes naive times as UTC
    return datetime.datetime(int(m[1]), int(m[2]), int(m[3]))


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _normalise(raw: bytes, stamp: str) -> bytes:
    """The same workbook with fixed zip times and fixed created/modified properties."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, body, compresslevel=6)
    return out.getvalue()


def xlsx_bytes(data: ReportData) -> bytes:
    """The workbook as bytes; the same data always gives the same bytes.

    Raises:
        ImportError: openpyxl is not installed (the message names the ``xlsx`` extra).
    """
    wb = _build(data)
    buf = io.BytesIO()
    wb.save(buf)
    stamp = _stamp(data).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _normalise(buf.getvalue(), stamp)


def write_xlsx(data: ReportData, path: str | os.PathLike[str]) -> None:
    """Write the workbook to ``path``, all at once (a temporary file renamed into place).

    Raises:
        ImportError: openpyxl is not installed (the message names the ``xlsx`` extra).
        WriteError: the file cannot be written (nothing is left behind; see
            :func:`bio2map.core.atomic.write_file`).
    """
    from bio2map.core.atomic import write_file

    write_file(path, xlsx_bytes(data))
