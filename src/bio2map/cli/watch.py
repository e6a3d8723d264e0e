"""CLI command ``watch``: has BZK published a new BIO2 text, and what does it change?

``bio2map watch --source SOURCE [--against VERSION] [--format table|md|json]
[--fail-on CATEGORIES] [--write-data DIR]`` reads the BIO2 measures page from
SOURCE (a git clone of the BIO2 repository, a folder laid out like it, a markdown
file, or ``download``: the head of the upstream branch) and compares it with the
latest packaged draft (or ``--against``); see :func:`bio2map.watch.watch`.

Output: unchanged is one line (``--format json``: the document); changed is a
report (``md``), the tables of ``bio2map diff`` under a summary by category
(``table``, ``csv``), or the :meth:`bio2map.watch.WatchResult.as_dict` document
plus ``fail_on``, ``failed`` and ``data_dir`` (``json``; its schema is
``bio2map/schemas/watch.schema.json``).

Exit codes: 0 unchanged (or, with ``--fail-on``, no named category changed); 1
changed (or a named category changed); 2 the text cannot be read fully (its
unassigned lines are reported), or bad input (one ``bio2map:`` line on stderr).

Module-level imports are kept light (the CLI imports this module on every run).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Final

from bio2map.cli.command import CommandResult, add_command

if TYPE_CHECKING:
    from bio2map.cli.command import AddParser, Subparsers
    from bio2map.render.table import Table
    from bio2map.watch import WatchResult

__all__ = ["PARSERS", "cmd_watch"]


def _tables(r: WatchResult, fail_on: tuple[str, ...], written: str | None) -> list[Table]:
    from bio2map.cli.diff import _tables as diff_tables
    from bio2map.render.table import Table
    from bio2map.watch import CATEGORIES

    source = Table(
        f"BIO2 upstream watch: {r.status}",
        ("what", "value"),
        [
            ("source", r.source),
            ("read from", r.origin),
            ("commit", r.commit or "-"),
            ("date", r.date or "-"),
            ("sha256", r.sha256),
            ("compared with", f"packaged draft {r.against}"),
            ("layout", r.layout or "-"),
        ],
        [r.summary()] + ([f"Data folder written: {written}"] if written else []),
        name="source",
    )
    if not r.readable:
        unassigned = Table(
            "Lines the draft parser could not place",
            ("line", "text"),
            [(u.line, u.text) for u in r.unassigned],
            name="unassigned",
        )
        return [source, unassigned]
    counts = r.categories() or {}
    failed = r.failed(fail_on)
    notes = []
    if fail_on:
        notes.append(
            "FAILED --fail-on: " + ", ".join(f"{c} ({counts[c]})" for c in failed)
            if failed
            else f"Passed --fail-on {','.join(fail_on)}: none of them changed."
        )
    summary = Table(
        "What changed, by category (names for --fail-on)",
        ("category", "count", "meaning"),
        [(c, counts.get(c, 0), meaning) for c, meaning in CATEGORIES.items()],
        notes,
        name="categories",
    )
    tags = Table(
        "Tag changes (the NIS2 tag included)",
        ("id", "from id", "added", "removed"),
        [(t.id, t.old_id, list(t.added), list(t.removed)) for t in r.tags],
        name="tag changes",
    )
    rest = [] if r.diff is None else diff_tables(r.diff)
    return [source, summary, tags, *(t for t in rest if t.title != "Tag changes")]


def cmd_watch(args: argparse.Namespace) -> CommandResult:
    """Compare the upstream BIO2 text with a packaged draft.

    Returns:
        The JSON document, the tables (or a prerendered string: the one line when
        unchanged, the report for ``--format md``), and the exit code of
        :meth:`bio2map.watch.WatchResult.exit_code`.

    Raises:
        UnknownCategoryError: ``--fail-on`` names an unknown category.
        SourceError: the source cannot be read.
        DraftParseError: the text holds no BIO2 measure.
        UnknownVersionError: ``--against`` names no packaged draft.
        WatchWriteError: ``--write-data`` cannot be written.

    .. versionadded:: 0.1.0
    """
    from bio2map.watch import parse_fail_on, watch, write_data

    fail_on = parse_fail_on(args.fail_on) if args.fail_on is not None else ()
    result = watch(args.source, args.against)
    written = None
    if args.write_data is not None and result.readable:
        written = str(write_data(result, args.write_data))
    code = result.exit_code(fail_on)
    doc = result.as_dict()
    doc["fail_on"] = list(fail_on)
    doc["failed"] = list(result.failed(fail_on))
    doc["data_dir"] = written
    if not result.readable:
        not_written = "; no data folder written" if args.write_data is not None else ""
        print(f"bio2map: error: {result.summary()}{not_written}", file=sys.stderr)
    if args.format == "json":
        return CommandResult(doc, (), code)
    if not result.changed:
        line = result.summary() + (f"; data folder written: {written}" if written else "")
        return CommandResult(doc, line + "\n", code)
    if args.format == "md":
        report = result.as_markdown(fail_on)
        if written:
            report += (
                f"\nData folder written: `{written}` (use `--data-dir` and `--bio2 upstream`).\n"
            )
        return CommandResult(doc, report, code)
    return CommandResult(doc, tuple(_tables(result, fail_on, written)), code)


def _watch_parser(sub: Subparsers) -> None:
    """Add the ``watch`` command to the ``bio2map`` parser."""
    w = add_command(
        sub,
        "watch",
        help="is there a new BIO2 text upstream, and what does it change?",
        description="Read the BIO2 measures page (docs/maatregelen/index.md) from SOURCE, "
        "compare it with the latest packaged draft by fingerprint and, when it differs, "
        "parse it and report what changed: ids, moves, splits and merges, rewordings, kind "
        "and tag changes, the NIS2 tag, and the Art. 21(2) points, 2024/2690 requirements "
        "and ISO controls touched.",
        epilog="Exit codes: 0 unchanged (or no --fail-on category changed), 1 changed (or "
        "a --fail-on category changed), 2 the text cannot be read fully, or bad input.",
    )
    w.add_argument(
        "--source",
        required=True,
        metavar="SOURCE",
        help="a git clone of the BIO2 repository (the checked-out commit), a folder with "
        "docs/maatregelen/index.md, a markdown file, or 'download' (the head of the "
        "upstream branch; $BIO2MAP_DOWNLOAD_URL names a mirror)",
    )
    w.add_argument(
        "--against",
        metavar="VERSION",
        default=None,
        help="the packaged draft to compare with (default: the latest)",
    )
    w.add_argument(
        "--fail-on",
        metavar="CATEGORIES",
        default=None,
        help="exit 1 only when one of these changed (comma-separated): added, removed, "
        "retired, moved, splits, merges, reworded, cosmetic, kind_changed, tags, nis2_tag, "
        "nis2, ir2690, controls, anomalies, or any",
    )
    w.add_argument(
        "--write-data",
        metavar="DIR",
        default=None,
        help="write a data folder: the packaged data plus this text as draft 'upstream' "
        "(read it with --data-dir DIR --bio2 upstream)",
    )
    w.set_defaults(func=cmd_watch)


PARSERS: Final[dict[str, AddParser]] = {"watch": _watch_parser}
