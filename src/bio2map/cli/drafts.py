"""Commands about the BIO2 drafts themselves: ``drafts`` and ``parse``.

* ``bio2map drafts`` lists the BIO2 drafts the packaged data knows.
* ``bio2map parse FILE`` parses a draft file the user holds and lists its measures.
  Its output never holds the measure text unless ``--with-text`` is given.

(``show``, one measure of a draft, is in :mod:`bio2map.cli.query`; ``diff`` and
``history`` in :mod:`bio2map.cli.diff`.) Module-level imports are light; the data and
the parser are imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from bio2map.cli.command import CommandResult, add_command
from bio2map.render.table import Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    import argparse
    from typing import Any, Final

    from bio2map.cli.command import AddParser, Subparsers

__all__ = ["PARSERS", "cmd_drafts", "cmd_parse"]

_KIND_COUNTS = (
    ("measures", "measures"),
    ("no-measure", "no_measure"),
    ("moved", "moved"),
    ("withdrawn", "withdrawn"),
    ("see-other", "see_other"),
)
"""Table column and ``Draft.counts`` key of each entry kind."""


# --- drafts ----------------------------------------------------------------------------


def cmd_drafts(args: argparse.Namespace) -> CommandResult:
    """List the BIO2 drafts of the packaged data, oldest first.

    Returns:
        A JSON list (one object per draft, ``default: true`` on the default draft), one
        table, and exit code 0.

    .. versionadded:: 0.1.0
    """
    from bio2map.core.reader import read_manifest

    man = read_manifest()
    doc = [
        {
            "slug": d.slug,
            "label": d.label,
            "status": d.status,
            "date": d.date,
            "commit": d.commit,
            "source_path": d.source_path,
            "sha256": d.sha256,
            "layout": d.layout,
            "counts": dict(d.counts),
            "default": d.slug == man.default_bio2,
        }
        for d in man.drafts
    ]
    rows = []
    for d in man.drafts:
        counts = dict(d.counts)
        default = "yes" if d.slug == man.default_bio2 else ""
        kinds = (counts.get(k, 0) for _, k in _KIND_COUNTS)
        rows.append((d.slug, d.label, d.status, d.date, d.commit[:7], default, *kinds))
    kind_headers = (h for h, _ in _KIND_COUNTS)
    headers = ("slug", "label", "status", "date", "commit", "default", *kind_headers)
    notes = [
        f"Default draft: {man.default_bio2}; choose another with --bio2 SLUG or label.",
        "Texts are not packaged: attach them with 'bio2map show ID --texts SOURCE'.",
    ]
    return CommandResult(doc, (Table("BIO2 drafts", headers, rows, notes),))


# --- parse -----------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> CommandResult:
    """Parse a BIO2 draft file the user holds and list its measures.

    The measure texts (and control titles) are left out unless ``--with-text`` is
    given: the user owns the file, and the default output must not reproduce it.

    Raises:
        SourceError: the file cannot be read.
        DraftParseError: the file is not a BIO2 draft (the message names the file and
            the line).

    .. versionadded:: 0.1.0
    """
    from bio2map.drafts.parser import fingerprint, parse_file

    parsed = parse_file(args.file)
    measures = []
    for m in parsed.measures:
        item: dict[str, Any] = {
            "id": m.id,
            "raw_id": m.raw_id,
            "control": m.control,
            "kind": m.kind,
            "target": m.target,
            "tags": list(m.tags),
            "nis2": m.nis2_flag,
            "tag_line": m.tag_line,
            "rationale": m.rationale,
            "numbered": m.numbered,
            "line": m.line,
            "end_line": m.end_line,
            "fingerprint": fingerprint(m.text),
        }
        if args.with_text:
            item["text"] = m.text
        measures.append(item)
    counts: dict[str, int] = {}
    for m in parsed.measures:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    doc: dict[str, Any] = {
        "source": parsed.source,
        "layout": parsed.layout,
        "counts": counts,
        "measures": measures,
        "unassigned": list(parsed.unassigned),
    }
    if args.with_text:
        doc["control_titles"] = dict(sorted(parsed.control_titles.items()))
    rows = [(m.id, m.control, m.kind, m.target, list(m.tags)) for m in parsed.measures]
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    notes = [f"{len(parsed.measures)} entries ({summary}); layout family {parsed.layout}."]
    if parsed.unassigned:
        lines = ", ".join(str(n) for n in parsed.unassigned[:20])
        more = f" (+{len(parsed.unassigned) - 20})" if len(parsed.unassigned) > 20 else ""
        notes.append(f"Lines the parser could not place in a measure: {lines}{more}.")
    title = f"BIO2 measures in {parsed.source}"
    table = Table(title, ("id", "control", "kind", "target", "tags"), rows, notes)
    return CommandResult(doc, (table,))


# --- parsers ---------------------------------------------------------------------------


def _drafts_parser(sub: Subparsers) -> None:
    p = add_command(sub, "drafts", help="the BIO2 drafts the data knows")
    p.set_defaults(func=cmd_drafts)


def _parse_parser(sub: Subparsers) -> None:
    p = add_command(sub, "parse", help="parse a BIO2 draft file you hold")
    p.add_argument("file", metavar="FILE", help="a BIO2 maatregelen markdown file")
    p.add_argument(
        "--with-text",
        action="store_true",
        help="include the measure texts and control titles in the output",
    )
    p.set_defaults(func=cmd_parse)


PARSERS: Final[dict[str, AddParser]] = {"drafts": _drafts_parser, "parse": _parse_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
