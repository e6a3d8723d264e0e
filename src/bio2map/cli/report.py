"""``bio2map report``: the gap report people send, as HTML, an Excel workbook or Markdown.

``bio2map report --soa FILE [--layer FILE ...] [--bio2 VERSION] -o report.html`` reads
the SoA like ``gaps`` does, judges it the same way and writes the report. The format
comes from the suffix of ``-o`` (``.html``/``.htm``, ``.xlsx``, ``.md``/``.markdown``)
or from ``--format``; ``-o -`` prints HTML or Markdown to stdout.

Bad input gets the ``gaps`` command's errors: one ``bio2map: error:`` line (the SoA's
problems listed under it), exit code 2, and nothing written. The report is written by
:func:`bio2map.core.atomic.write_file`: to a temporary file in the target's folder,
renamed into place only when it is complete (a device such as ``/dev/null`` is written
to directly, a folder or a read-only file refused).

.. versionadded:: 0.3.0
"""

from __future__ import annotations

import argparse
import os
import sys

from bio2map.cli.command import CommandResult, add_command, add_soa_arguments
from bio2map.core.errors import Bio2MapError

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Final

    from bio2map.cli.command import AddParser, Subparsers

__all__ = ["PARSERS", "REPORT_FORMATS", "ReportError", "cmd_report"]

REPORT_FORMATS: Final = {
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
}
"""Suffix of ``-o`` -> report format."""

_HEAT_BY = (
    "theme",
    "control_type",
    "information_security_properties",
    "cybersecurity_concepts",
    "operational_capabilities",
    "security_domains",
)


class ReportError(Bio2MapError, ValueError):
    """The report cannot be made as asked (format, output path, a missing extra)."""


def _format(args: argparse.Namespace) -> str:
    if args.report_format is not None:
        return str(args.report_format)
    if args.output == "-":
        msg = "give --format html or --format md to write the report to stdout"
        raise ReportError(msg)
    suffix = os.path.splitext(args.output)[1].lower()  # noqa: PTH122 - a str path
    fmt = REPORT_FORMATS.get(suffix)
    if fmt is None:
        msg = (
            f"cannot tell the report format from {args.output!r}: name it .html, .xlsx or .md,"
            " or give --format html|xlsx|md"
        )
        raise ReportError(msg)
    return fmt


def _check_target(path: str, fmt: str) -> None:
    """Refuse a target that cannot be written before any work is done."""
    if path == "-":
        if fmt == "xlsx":
            msg = "an Excel workbook cannot go to stdout: give -o FILE.xlsx"
            raise ReportError(msg)
        return
    folder = os.path.dirname(os.path.abspath(path))  # noqa: PTH100, PTH120 - str paths
    if not os.path.isdir(folder):  # noqa: PTH112
        msg = f"cannot write {path!r}: the folder {folder} does not exist"
        raise ReportError(msg)
    if os.path.isdir(path):  # noqa: PTH112 - a str path
        msg = f"cannot write {path!r}: it is a folder"
        raise ReportError(msg)
    if fmt == "xlsx":
        try:
            import openpyxl  # noqa: F401 - only: is it there?
        except ImportError:
            from bio2map.formats.xlsx import XLSX_EXTRA

            raise ReportError(XLSX_EXTRA) from None


def cmd_report(args: argparse.Namespace) -> CommandResult:
    """Write the gap report of an SoA as HTML, an Excel workbook or Markdown."""
    from bio2map.api import load
    from bio2map.formats.report_data import report_data
    from bio2map.formats.soa import read_soa

    fmt = _format(args)
    _check_target(args.output, fmt)
    cat = load(args.bio2, layers=args.layer or ())
    soa = read_soa(args.soa, cat, ids=args.ids)
    for w in soa.warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)
    cov = cat.coverage(soa)  # the lines keep their justification and line numbers
    data = report_data(cov, cat, soa, title=args.title or "", by=args.by)
    if fmt == "xlsx":
        from bio2map.formats.xlsx import xlsx_bytes

        body = xlsx_bytes(data)
    elif fmt == "html":
        from bio2map.render.report_html import html_report

        body = html_report(data).encode("utf-8")
    else:
        from bio2map.render.report_markdown import markdown_report

        body = markdown_report(data).encode("utf-8")
    doc = {
        "format": fmt,
        "output": args.output,
        "bytes": len(body),
        "soa": args.soa,
        "bio2_version": cat.bio2_version,
    }
    if args.output == "-":
        return CommandResult(doc, body.decode("utf-8"))
    from bio2map.core.atomic import write_file

    write_file(args.output, body)  # a WriteError (exit 2) names the file and says why
    return CommandResult(doc, f"bio2map: wrote {args.output} ({fmt}, {len(body)} bytes)\n")


def _report_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "report",
        table_format=False,
        bio2=True,
        layers=True,
        help="the gap report of your SoA as HTML, an Excel workbook or Markdown",
        description="Write the gap report of a Statement of Applicability: one "
        "self-contained HTML page, an Excel workbook (needs bio2map[xlsx]) or Markdown.",
    )
    add_soa_arguments(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="report.html, report.xlsx or report.md (the suffix gives the format); "
        "'-' prints HTML or Markdown",
    )
    p.add_argument(
        "--format",
        dest="report_format",
        choices=("html", "xlsx", "md"),
        default=None,
        help="the report format (default: from the suffix of --output)",
    )
    p.add_argument("--title", default=None, help="the report's title (default: NIS2 gap report)")
    p.add_argument(
        "--by",
        choices=_HEAT_BY,
        default="theme",
        help="the heat map's columns: ISO/IEC 27002 theme (default) or one attribute",
    )
    p.set_defaults(func=cmd_report)


PARSERS: Final[dict[str, AddParser]] = {"report": _report_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
