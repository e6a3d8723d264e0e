"""CLI commands about BIO2 drafts: ``drafts``, ``show`` and ``parse``.

* ``bio2map drafts`` lists the BIO2 drafts the packaged data knows.
* ``bio2map show 5.17.01 [--bio2 VERSION] [--texts SOURCE]`` shows one measure; with
  ``--texts`` also its text and the Dutch control title, read from a source the user
  names (see :mod:`bio2map.drafts.sources`).
* ``bio2map parse FILE`` parses a draft file the user holds and lists its measures.
  Its output never holds the measure text unless ``--with-text`` is given.

Module-level imports are kept light (the CLI imports this module on every run); the
data, the sources and the parser are imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bio2map.render.table import Table

__all__ = ["cmd_drafts", "cmd_parse", "cmd_show", "register"]

_OK = 0

_KIND_COUNTS = (
    ("measures", "measures"),
    ("no-measure", "no_measure"),
    ("moved", "moved"),
    ("withdrawn", "withdrawn"),
    ("see-other", "see_other"),
)
"""Table column and ``Draft.counts`` key of each entry kind."""


# --- drafts ----------------------------------------------------------------------------


def cmd_drafts(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
    """List the BIO2 drafts of the packaged data, oldest first.

    Returns:
        A JSON list (one object per draft, ``default: true`` on the default draft), one
        table, and exit code 0.

    .. versionadded:: 0.1.0
    """
    from bio2map.core.reader import read_manifest
    from bio2map.render.table import Table

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
    return doc, [Table("BIO2 drafts", headers, rows, notes)], _OK


# --- show ------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
    """Show one BIO2 measure of a draft; with ``--texts`` also its text.

    Raises:
        UnknownIdError: the measure id is not in the draft (with suggestions).
        UnknownVersionError: ``--bio2`` names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.

    .. versionadded:: 0.1.0
    """
    from bio2map.api import load
    from bio2map.core.ids import plain
    from bio2map.core.records import Control, Measure
    from bio2map.render.table import Table

    cat = load(args.bio2)
    cid = cat.resolve(args.measure, {"bio2"}, "measure")
    if args.texts is not None:
        cat = cat.attach_texts(args.texts)
    node = cat.get(cid)
    assert isinstance(node, Measure)  # resolve() kept only bio2 ids
    control = cat.get(node.control)
    title = control.title if isinstance(control, Control) else ""
    ref = control.ref if isinstance(control, Control) else plain(node.control)
    with_texts = args.texts is not None
    matches = (cid not in cat.text_mismatches) if with_texts else None
    doc: dict[str, Any] = {
        "id": node.id,
        "number": node.number,
        "draft": node.draft,
        "kind": node.kind,
        "target": node.target,
        "tags": list(node.tags),
        "nis2": node.nis2_flag,
        "numbered": node.numbered,
        "fingerprint": node.fingerprint,
        "words": node.words,
        "control": {"id": node.control, "ref": ref, "title": title},
        "control_title_nl": node.control_title,
        "text": node.text,
        "texts_source": cat.texts_source,
        "text_matches_fingerprint": matches,
    }
    rows: list[tuple[str, object]] = [
        ("id", node.number),
        ("draft", f"BIO2 {node.draft}"),
        ("control", f"{plain(node.control)} {title}".strip()),
        ("kind", node.kind + (f" -> {plain(node.target)}" if node.target else "")),
        ("tags", ", ".join(node.tags)),
        ("NIS2 flag", "yes" if node.nis2_flag else "no"),
        ("fingerprint", node.fingerprint),
    ]
    notes: list[str] = []
    if with_texts:
        rows.append(("control (nl)", node.control_title or ""))
        rows.append(("text from", cat.texts_source or ""))
        if not matches:
            notes.append(
                "Warning: this text does not match the packaged fingerprint "
                "(the source is not the pinned file of this draft)."
            )
        if node.text is None:
            notes.append("The source has no entry for this measure.")
        elif args.format == "csv":
            rows.append(("text", node.text))
        else:
            notes.extend(["", *node.text.splitlines()])
    else:
        notes.append("Add --texts SOURCE (a clone, a folder, a file or 'download') for the text.")
    table = Table(f"BIO2 {node.draft} measure {node.number}", ("field", "value"), rows, notes)
    return doc, [table], _OK


# --- parse -----------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
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
    from bio2map.render.table import Table

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
    rows = [(m.id, m.control, m.kind, m.target, ", ".join(m.tags)) for m in parsed.measures]
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    notes = [f"{len(parsed.measures)} entries ({summary}); layout family {parsed.layout}."]
    if parsed.unassigned:
        lines = ", ".join(str(n) for n in parsed.unassigned[:20])
        more = f" (+{len(parsed.unassigned) - 20})" if len(parsed.unassigned) > 20 else ""
        notes.append(f"Lines the parser could not place in a measure: {lines}{more}.")
    title = f"BIO2 measures in {parsed.source}"
    return doc, [Table(title, ("id", "control", "kind", "target", "tags"), rows, notes)], _OK


# --- registration ----------------------------------------------------------------------


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    drafted: argparse.ArgumentParser,
) -> None:
    """Add the ``drafts``, ``show`` and ``parse`` commands to the ``bio2map`` parser.

    Args:
        sub: the subparsers object of the main parser.
        common: parent parser with ``--format``.
        drafted: parent parser with ``--format`` and ``--bio2``.

    .. versionadded:: 0.1.0
    """
    d = sub.add_parser("drafts", parents=[common], help="the BIO2 drafts the data knows")
    d.set_defaults(func=cmd_drafts)

    s = sub.add_parser("show", parents=[drafted], help="one BIO2 measure (with --texts: its text)")
    s.add_argument("measure", help="BIO2 measure id, e.g. 5.17.01")
    s.add_argument(
        "--texts",
        metavar="SOURCE",
        default=None,
        help="read the text from a BIO2 git clone, a folder with <slug>/maatregelen.md, "
        "a markdown file, or 'download' (pinned commit, sha256-checked, cached)",
    )
    s.set_defaults(func=cmd_show)

    p = sub.add_parser("parse", parents=[common], help="parse a BIO2 draft file you hold")
    p.add_argument("file", metavar="FILE", help="a BIO2 maatregelen markdown file")
    p.add_argument(
        "--with-text",
        action="store_true",
        help="include the measure texts and control titles in the output",
    )
    p.set_defaults(func=cmd_parse)
