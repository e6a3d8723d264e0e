"""CLI commands ``diff`` and ``history``: what changed between BIO2 drafts.

* ``bio2map diff OLD NEW [--texts SOURCE] [--fail-on added,removed,moved,...]``
  compares two drafts (any two). ``--format md`` prints a report to read top to
  bottom; ``json`` the :meth:`bio2map.drafts.results.VersionDiff.as_dict` document; ``table``
  and ``csv`` one table per section. ``--fail-on`` exits 1 when any listed category
  is not empty (see :data:`FAIL_ON`).
* ``bio2map history ID [--bio2 VERSION] [--texts SOURCE]`` traces one measure
  through every draft, with the ids it carried before.

Without ``--texts`` both commands use the packaged figures only (fingerprints,
MinHash signatures, word counts); with it they compare the texts exactly, and the
report marks the changed words. When the texts cannot all be used (a truncated file,
the file of another draft, texts that are not the pinned ones), ``diff`` says so: one
``bio2map: warning:`` line each on standard error, the same words in the output
(``texts_warnings`` in JSON, notes under the summary, quoted under the report's
title), and which ones made it fall back to the offline estimates.

Both return a :class:`~bio2map.cli.command.CommandResult` like every command;
``diff --format md`` gives the report (:meth:`~bio2map.drafts.results.VersionDiff.as_markdown`)
as its output text in place of tables.

Module-level imports are light; the diff is imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys

from bio2map.cli.command import EXIT_OK, EXIT_THRESHOLD, CommandResult, add_command
from bio2map.core.ids import plain
from bio2map.render.table import Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Final

    from bio2map.catalog.catalog import Catalog
    from bio2map.cli.command import AddParser, Subparsers
    from bio2map.drafts.lineage import Lineage
    from bio2map.drafts.results import VersionDiff

__all__ = ["FAIL_ON", "PARSERS", "cmd_diff", "cmd_history"]

FAIL_ON: Final = (
    "added",
    "removed",
    "retired",
    "moved",
    "splits",
    "merges",
    "changed",
    "substantive",
    "kind_changed",
    "tags_changed",
    "anomalies",
)
"""Categories ``--fail-on`` accepts (``any`` means all of them)."""

_ALIASES: Final = {
    "kind": "kind_changed",
    "kinds": "kind_changed",
    "tags": "tags_changed",
    "split": "splits",
    "merge": "merges",
    "move": "moved",
    "reworded": "changed",
}


def _fail_on(text: str) -> tuple[str, ...]:
    """Parse ``--fail-on``: a comma-separated list of :data:`FAIL_ON` categories."""
    out: list[str] = []
    for raw in text.split(","):
        word = raw.strip().lower().replace("-", "_")
        if not word:
            continue
        if word == "any":
            return FAIL_ON
        cat = _ALIASES.get(word, word)
        if cat not in FAIL_ON:
            msg = f"unknown category {raw.strip()!r}; choose from {', '.join(FAIL_ON)} or any"
            raise argparse.ArgumentTypeError(msg)
        if cat not in out:
            out.append(cat)
    if not out:
        msg = f"expected one or more of {', '.join(FAIL_ON)}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return tuple(out)


def _marker(agrees: bool | None, kind: str | None) -> str:
    if agrees is None:
        return "no marker"
    return f"{'agrees' if agrees else 'disagrees'} ({kind})"


def _tables(d: VersionDiff) -> list[Table]:
    """The summary, then a table per kind of change, then the impact and anomalies."""
    return [_summary_table(d), *_change_tables(d), *_impact_tables(d)]


def _summary_table(d: VersionDiff) -> Table:
    c = d.counts()
    mode = "texts compared" if d.texts else "offline estimates"
    return Table(
        f"BIO2 {d.old} -> {d.new} ({mode})",
        ("what", "count"),
        [
            ("ids added", c["added"]),
            ("ids removed", c["removed"]),
            ("ids retired to a stub", c["retired"]),
            ("moves", c["moved"]),
            ("splits", c["splits"]),
            ("merges", c["merges"]),
            ("reworded, substantive", c["substantive"]),
            ("reworded, cosmetic", c["cosmetic"]),
            ("unchanged measures", c["unchanged"]),
            ("kind changes", c["kind_changed"]),
            ("tag changes", c["tags_changed"]),
            *(
                [("NIS2 tag no longer recorded", c["nis2_not_recorded"])]
                if d.nis2_recorded == (True, False)
                else [("NIS2 tag recorded anew", c["nis2_not_recorded"])]
                if d.nis2_recorded == (False, True)
                else []
            ),
            ("controls touched", c["controls"]),
            ("NIS2 Art. 21(2) points touched", c["nis2"]),
            ("2024/2690 requirements touched", c["ir2690"]),
            ("anomalies", c["anomalies"]),
        ],
        name="summary",
    )


def _change_tables(d: VersionDiff) -> list[Table]:
    moves = Table(
        "Moves (text under another id)",
        ("from", "to", "similarity", "evidence", "marker"),
        [
            (
                m.old_id,
                m.new_id,
                f"{m.similarity:.3f}",
                m.evidence,
                _marker(m.marker_agrees, m.marker),
            )
            for m in d.moved
        ],
        name="moves",
    )
    parts = Table(
        "Splits and merges",
        ("kind", "from", "to", "share of from", "similarity"),
        [
            (p.kind, p.old_id, p.new_id, f"{p.share:.3f}", f"{p.similarity:.3f}")
            for p in (*d.splits, *d.merges)
        ],
        name="splits and merges",
    )
    changed = Table(
        "Reworded measures",
        ("id", "similarity", "class"),
        [
            (ch.id, f"{ch.similarity:.3f}", "cosmetic" if ch.cosmetic else "substantive")
            for ch in d.changed
        ],
        name="reworded",
    )
    ids = Table(
        "Ids added, removed and retired",
        ("change", "id"),
        [
            *(("added", i) for i in d.added),
            *(("removed", i) for i in d.removed),
            *(("retired", i) for i in d.retired),
        ],
        name="ids",
    )
    kinds = Table(
        "Kind changes",
        ("id", "from", "to"),
        [(k.id, k.old, k.new) for k in d.kind_changed],
        name="kind changes",
    )
    notes: list[str] = []
    if d.tags_recorded != (True, True):
        missing = [s for s, rec in zip((d.old, d.new), d.tags_recorded, strict=True) if not rec]
        notes.append(f"Not compared: {' and '.join(missing)} records no contribution tags.")
    from bio2map.render.diff_report import nis2_tag_note

    nis2 = nis2_tag_note(d)
    if nis2:
        notes.append(f"NIS2 tag {nis2}: {', '.join(d.nis2_not_recorded)}.")
    tags = Table(
        "Tag changes",
        ("id", "from id", "added", "removed"),
        [(t.id, t.old_id, list(t.added), list(t.removed)) for t in d.tags_changed],
        notes,
        name="tag changes",
    )
    return [moves, parts, changed, ids, kinds, tags]


def _impact_tables(d: VersionDiff) -> list[Table]:
    impact_notes = []
    if d.impact.mapped:
        points = ", ".join(plain(p) for p in d.impact.nis2) or "none"
        impact_notes = [
            f"NIS2 Art. 21(2) points: {points}",
            f"2024/2690 requirements: {len(d.impact.ir2690)} (listed in --format json)",
        ]
    impact = Table(
        "Controls whose measures changed",
        ("control", "measures before", "measures after"),
        [(plain(ic.id), list(ic.before), list(ic.after)) for ic in d.impact.controls],
        impact_notes,
        name="impact",
    )
    anomalies = Table(
        "Anomalies",
        ("kind", "ids", "note"),
        [(a.kind, list(a.ids), a.note) for a in d.anomalies],
        name="anomalies",
    )
    return [impact, anomalies]


def cmd_diff(args: argparse.Namespace) -> CommandResult:
    """Compare two BIO2 drafts.

    Returns:
        The JSON document (with ``fail_on`` and ``failed`` when ``--fail-on`` is
        given), the tables (or, for ``--format md``, the report as one text), and
        exit code 1 when a ``--fail-on`` category is not empty, else 0.

    Raises:
        UnknownVersionError: OLD or NEW names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.

    .. versionadded:: 0.1.0
    """
    from bio2map.api import diff, load

    if args.texts is None:
        d = diff(args.old, args.new)
        warnings: list[str] = []
    else:  # the same as diff(OLD, NEW, texts=...), with the catalogs at hand to check
        old, new = load(args.old, texts=args.texts), load(args.new, texts=args.texts)
        d = diff(old, new)
        warnings = _texts_warnings(args.texts, (old, new), d.texts)
    for w in warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)
    doc = d.as_dict()
    if args.texts is not None:
        doc["texts_warnings"] = warnings
    code = EXIT_OK
    failed: list[str] = []
    if args.fail_on:
        counts = d.counts()
        failed = [c for c in args.fail_on if counts[c]]
        doc["fail_on"] = list(args.fail_on)
        doc["failed"] = failed
        code = EXIT_THRESHOLD if failed else EXIT_OK
    verdict = (
        f"FAILED --fail-on: {', '.join(f'{c} ({d.counts()[c]})' for c in failed)}" if failed else ""
    )
    if args.format == "md":
        report = d.as_markdown()
        if warnings:
            head, sep, rest = report.partition("\n")
            said = "".join(f"> **Warning:** {w}\n" for w in warnings)
            report = f"{head}{sep}\n{said}{rest}" if sep else f"{report}\n\n{said}"
        if verdict:
            report += f"\n**{verdict}**\n"
        return CommandResult(doc, report, code)
    tables = _tables(d)
    if warnings:
        tables[0] = tables[0].with_notes(*(f"Warning: {w}" for w in warnings))
    if verdict:
        tables[0] = tables[0].with_notes(verdict)
    return CommandResult(doc, tuple(tables), code)


def _texts_warnings(source: str, drafts: tuple[Catalog, Catalog], compared: bool) -> list[str]:
    """What keeps ``--texts SOURCE`` from giving the exact comparison of two drafts:
    measures without a text (a truncated file, or the file of another draft), texts
    that are not the pinned ones, and the fallback to offline estimates."""
    out: list[str] = []
    for cat in drafts:
        slug = cat.bio2_version
        content = [m for m in cat.measures if m.kind == "measure"]
        missing = [m.number for m in content if m.text is None]
        if missing:
            out.append(
                f"draft {slug}: {len(missing)} of {len(content)} measures have no text in "
                f"{source!r} (first: {missing[0]}); the file is truncated or is not this draft's"
            )
        if cat.text_mismatches:
            n = len(cat.text_mismatches)
            out.append(
                f"draft {slug}: {n} text{'s do' if n > 1 else ' does'} not match the packaged "
                f"fingerprint (first: {plain(cat.text_mismatches[0])}); the source is not the "
                "pinned file of this draft"
            )
    if not compared:
        out.append(
            "texts not compared: the results are offline estimates from the packaged "
            "fingerprints and signatures, as without --texts"
        )
    return out


def _lineage_table(lin: Lineage) -> Table:
    rows = [
        (
            s.draft,
            s.id or "-",
            s.kind or "-",
            s.change,
            "" if s.similarity is None else f"{s.similarity:.3f}",
            s.previous_id or "",
            list(s.received),
        )
        for s in lin.steps
    ]
    earlier = ", ".join(lin.earlier_ids) or "none"
    return Table(
        f"History of BIO2 {lin.measure_id} (looked up in {lin.at})",
        ("draft", "id", "kind", "change", "similarity", "previous id", "received text from"),
        rows,
        [f"Earlier ids: {earlier}"],
    )


def cmd_history(args: argparse.Namespace) -> CommandResult:
    """Trace one BIO2 measure through every packaged draft.

    Raises:
        UnknownIdError: the id is in none of the drafts (or not in ``--bio2``).
        UnknownVersionError: ``--bio2`` names no known draft.

    .. versionadded:: 0.1.0
    """
    from bio2map.api import history

    lin = history(args.measure, at=args.bio2, texts=args.texts)
    return CommandResult(lin.as_dict(), (_lineage_table(lin),))


_TEXTS_HELP = (
    "compare the texts, read from a BIO2 git clone, a folder with <slug>/maatregelen.md, "
    "a markdown file, or 'download' (pinned commit, sha256-checked, cached)"
)


def _diff_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "diff",
        help="what changed between two BIO2 drafts",
        description="Compare two BIO2 drafts: ids added, removed and retired, moves, splits "
        "and merges, rewordings, kind and tag changes, and the controls and NIS2 points "
        "they touch.",
        epilog="Exit codes: 0 ok, 1 a --fail-on category is not empty, 2 bad input.",
    )
    p.add_argument("old", metavar="OLD", help="the old draft (slug or label, e.g. 1.2)")
    p.add_argument("new", metavar="NEW", help="the new draft (slug or label, e.g. 1.3)")
    p.add_argument("--texts", metavar="SOURCE", default=None, help=_TEXTS_HELP)
    p.add_argument(
        "--fail-on",
        metavar="CATEGORIES",
        type=_fail_on,
        default=(),
        help=f"exit 1 when any of these is not empty: {', '.join(FAIL_ON)} (or any)",
    )
    p.set_defaults(func=cmd_diff)


def _history_parser(sub: Subparsers) -> None:
    p = add_command(
        sub, "history", bio2=True, help="one BIO2 measure through every draft, with its earlier ids"
    )
    p.add_argument("measure", metavar="ID", help="BIO2 measure id, e.g. 5.10.02")
    p.add_argument("--texts", metavar="SOURCE", default=None, help=_TEXTS_HELP)
    p.set_defaults(func=cmd_history)


PARSERS: Final[dict[str, AddParser]] = {"diff": _diff_parser, "history": _history_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
