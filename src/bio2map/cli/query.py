"""Commands that ask the catalog: ``controls``, ``requirements``, ``gaps``,
``uncovered``, ``info`` and ``show``.

* ``bio2map controls REQUIREMENT`` gives the ISO controls (and BIO2 measures) for a
  NIS2 or 2024/2690 requirement; ``requirements CONTROL`` the other way round.
* ``bio2map gaps --soa FILE [--fail-under RATIO] [--metric NAME]`` measures how far a
  Statement of Applicability covers NIS2 Art. 21(2) and the 2024/2690 requirements;
  exit code 1 when the score is below ``--fail-under``.
* ``bio2map uncovered`` lists the gaps in the dataset itself; ``info`` the datasets,
  versions, counts, sources and licences.
* ``bio2map show 5.17.01 [--bio2 VERSION] [--texts SOURCE]`` shows one measure; with
  ``--texts`` also its text and the Dutch control title, read from a source the user
  names (see :mod:`bio2map.drafts.sources`).

``controls --format json`` is the cold path pipelines take: it builds no record and
no table. Module-level imports are light; the catalog and the SoA reader are
imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys

from bio2map._version import __version__
from bio2map.cli.command import EXIT_OK, EXIT_THRESHOLD, CommandResult, add_command
from bio2map.core.ids import plain
from bio2map.render.table import Ids, Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.catalog import Catalog
    from bio2map.cli.command import AddParser, Subparsers

__all__ = [
    "PARSERS",
    "cmd_controls",
    "cmd_gaps",
    "cmd_info",
    "cmd_requirements",
    "cmd_show",
    "cmd_uncovered",
]


def _catalog(args: argparse.Namespace) -> Catalog:
    from bio2map.api import load

    return load(getattr(args, "bio2", None), layers=getattr(args, "layer", None) or ())


def cmd_controls(args: argparse.Namespace) -> CommandResult:
    """ISO controls (and BIO2 measures) for a NIS2 or 2024/2690 requirement."""
    cat = _catalog(args)
    doc = cat.controls_for_data(args.requirement)
    if args.no_clauses:
        doc = {**doc, "controls": [c for c in doc["controls"] if c["kind"] != "clause"]}
    if args.format == "json":  # the fast path: no records, no tables
        return CommandResult(doc)
    r = cat.get(doc["requirement"])
    rows = [
        (
            c["ref"],
            c["title"],
            c["relationship"],
            Ids(c["via"]),
            Ids(plain(m) for m in c["measures"]),
        )
        for c in doc["controls"]
    ]
    notes = []
    if not doc["controls"]:
        law = ", ".join(getattr(r, "law", ()))
        notes.append(
            f"No ISO control reaches {r.id}"
            + (f"; it is addressed by legislation ({law})." if law else ".")
        )
    ref = getattr(r, "ref", "")
    title = f"{r.id} ({ref}): {doc['label']} - ISO controls, BIO2 {cat.bio2_version}"
    table = Table(
        title, ("control", "title", "relationship", "via (2024/2690)", "BIO2 measures"), rows, notes
    )
    return CommandResult(doc, (table,))


def cmd_requirements(args: argparse.Namespace) -> CommandResult:
    """NIS2 and 2024/2690 requirements an ISO control or BIO2 measure serves."""
    cat = _catalog(args)
    ans = cat.requirements_for(args.control)
    rows = [
        (
            m.requirement.ref if m.requirement.framework == "nis2" else m.requirement.id,
            m.requirement.label,
            m.relationship,
            Ids(m.via),
        )
        for m in ans.requirements
    ]
    title = (
        f"{ans.control.id} ({ans.control.ref}): {ans.control.title}"
        " - NIS2 and 2024/2690 requirements"
    )
    notes = (
        []
        if ans.requirements
        else [f"No NIS2 requirement reaches {ans.control.id} in the ENISA mapping."]
    )
    table = Table(title, ("requirement", "label", "relationship", "via"), rows, notes)
    return CommandResult(ans.as_dict(), (table,))


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        msg = f"argument --fail-under: expected a number from 0 to 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def cmd_gaps(args: argparse.Namespace) -> CommandResult:
    """Coverage of NIS2 Art. 21(2) by an SoA; exit code 1 below ``--fail-under``."""
    from bio2map.formats.soa import read_soa

    if args.include_clauses:
        print(
            "bio2map: note: --include-clauses is deprecated and does nothing: the ISO 27001 "
            "clauses named in the SoA are assessed",
            file=sys.stderr,
        )
    cat = _catalog(args)
    soa = read_soa(args.soa, cat, ids=args.ids)
    for w in soa.warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)
    doc = cat.coverage_data(soa)
    doc["soa"] = {"file": soa.source, "entries": len(soa.entries)}
    doc["bio2_version"] = cat.bio2_version
    doc["metric"] = args.metric
    doc["score"] = doc["metrics"][args.metric]["value"]
    code = EXIT_OK
    if args.fail_under is not None:
        doc["fail_under"] = args.fail_under
        doc["passed"] = doc["score"] >= args.fail_under
        if not doc["passed"]:
            code = EXIT_THRESHOLD
    if args.format == "json":  # no tables: the document is the output
        return CommandResult(doc, (), code)
    return CommandResult(doc, _gaps_tables(doc, args), code)


def _gaps_tables(doc: dict[str, Any], args: argparse.Namespace) -> tuple[Table, ...]:
    from bio2map.render.answer_tables import coverage_tables

    tables = coverage_tables(doc, annex=args.annex, metric=args.metric)
    notes = [
        "The ENISA links are intersects_with, so no requirement can be 'full' on them alone;"
        " a share of 1.00 means every counted control is implemented (docs/concepts.md).",
    ]
    if not args.annex:
        s = doc["summary"]
        notes.insert(
            0,
            f"2024/2690 requirements: {s['requirements_full']} full, "
            f"{s['requirements_partial']} partial, {s['requirements_none']} none, "
            f"{s['requirements_not_applicable']} not-applicable, "
            f"{s['requirements_unmapped']} unmapped (--annex lists them).",
        )
    tables[1] = tables[1].with_notes(*notes)
    return tuple(tables)


def cmd_uncovered(args: argparse.Namespace) -> CommandResult:
    """The gaps in the dataset itself."""
    cat = _catalog(args)
    u = cat.uncovered()
    tables = (
        Table(
            "NIS2 obligations no ISO control reaches",
            ("requirement", "label", "addressed by"),
            [
                (r.ref, r.label, r.addressed_by + (f" ({', '.join(r.law)})" if r.law else ""))
                for r in u.nis2_without_controls
            ],
        ),
        Table(
            "2024/2690 requirements without an ISO target",
            ("requirement", "kind"),
            [(r.id, r.kind) for r in u.ir2690_without_target],
        ),
        Table(
            "ISO 27002 controls no NIS2 requirement reaches",
            ("control", "title"),
            [(c.ref, c.title) for c in u.controls_without_requirement],
        ),
        Table(
            f"ISO 27002 controls without a BIO2 {cat.bio2_version} measure",
            ("control", "title"),
            [(c.ref, c.title) for c in u.controls_without_measure],
        ),
        Table(
            f"BIO2 {cat.bio2_version} measures that trace to no NIS2 requirement",
            ("measure", "control"),
            [(m.number, plain(m.control)) for m in u.measures_without_requirement],
        ),
    )
    return CommandResult(u.as_dict(), tables)


def cmd_info(args: argparse.Namespace) -> CommandResult:
    """The datasets: versions, counts, checksums (verified), sources and licences."""
    from bio2map.core.reader import read_manifest

    man = read_manifest()
    problems = man.verify()
    doc = {
        "bio2map": __version__,
        "verified": not problems,
        "problems": list(problems),
        "data_version": man.data_version,
        "default_bio2": man.default_bio2,
        "datasets": [
            {
                "name": d.name,
                "version": d.version,
                "file": d.file,
                "sha256": d.sha256,
                "title": d.title,
                "source": d.source,
                "licence": d.licence,
                "attribution": d.attribution,
                "counts": dict(d.counts),
            }
            for d in man.datasets
        ],
    }
    rows = [
        (d.name, d.version, ", ".join(f"{k} {v}" for k, v in d.counts), d.licence)
        for d in man.datasets
    ]
    title = (
        f"bio2map {__version__}, data {man.data_version} (default BIO2 draft {man.default_bio2})"
    )
    notes = [
        "All data files match their sha256 in the manifest."
        if not problems
        else "DATA FILES DO NOT MATCH THE MANIFEST: " + "; ".join(problems),
        "Sources and attribution: bio2map info --format json, or docs/data-sources.md.",
    ]
    table = Table(title, ("dataset", "version", "counts", "licence"), rows, notes)
    return CommandResult(doc, (table,))


def cmd_show(args: argparse.Namespace) -> CommandResult:
    """Show one BIO2 measure of a draft; with ``--texts`` also its text.

    Raises:
        UnknownIdError: the measure id is not in the draft (with suggestions).
        UnknownVersionError: ``--bio2`` names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.

    .. versionadded:: 0.1.0
    """
    from bio2map.api import load
    from bio2map.core.records import Control, Measure

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
    return CommandResult(doc, (table,))


# --- parsers ---------------------------------------------------------------------------


def _controls_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "controls",
        bio2=True,
        layers=True,
        help="ISO controls (and BIO2 measures) for a requirement",
    )
    p.add_argument("requirement", help="NIS2 or 2024/2690 requirement, e.g. '21(2)(d)' or '5.1.4'")
    p.add_argument("--no-clauses", action="store_true", help="leave out ISO 27001 clauses")
    p.set_defaults(func=cmd_controls)


def _requirements_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "requirements",
        bio2=True,
        layers=True,
        help="NIS2 / 2024/2690 requirements a control serves",
    )
    p.add_argument("control", help="ISO 27002 control (5.19, A.5.19) or BIO2 measure (5.19.01)")
    p.set_defaults(func=cmd_requirements)


def _gaps_parser(sub: Subparsers) -> None:
    import argparse as _argparse  # the formatter class only

    from bio2map.catalog.coverage import METRIC_RULES
    from bio2map.core.soa import IDS_MODES, METRICS, STATUS_WORDS, WEIGHTS

    def words(status: str) -> str:
        import textwrap
        import unicodedata

        text = ", ".join(STATUS_WORDS[status][1:])
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if ord(c) < 128)
        weight = WEIGHTS[status]
        head = f"  {status:<16} {'left out' if weight is None else format(weight, 'g'):<9}"
        return textwrap.fill(text, 88, initial_indent=head, subsequent_indent=" " * len(head))

    statuses = "\n".join(words(s) for s in STATUS_WORDS)
    metrics = "\n".join(f"  {m:<12} {METRIC_RULES[m]}" for m in METRICS)
    epilog = (
        "SoA statuses (weight; case, accents, spaces, '_', '-', '.' and '/' do not matter;\n"
        "an empty cell is implemented):\n"
        f"{statuses}\n\n"
        "Metrics (--metric):\n"
        f"{metrics}\n\n"
        "Ids: A.5.19 or iso27002:5.19 is a control, 'clause 9.3' or iso27001:9.3 a clause. A\n"
        "bare id that is both (5.1-5.3, 6.1-6.3, 7.1-7.5, 8.1-8.3) is refused unless a kind\n"
        "column (control/clause) or --ids says which. See docs/howto/gap-analysis.md."
    )
    p = add_command(
        sub,
        "gaps",
        bio2=True,
        layers=True,
        help="coverage of NIS2 by your Statement of Applicability",
        description="How far a Statement of Applicability (SoA, VvT) covers the ten NIS2 "
        "Art. 21(2) points\nand the assessable 2024/2690 requirements, with the reason for "
        "each and four scores.",
        epilog=epilog,
        formatter_class=_argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--soa",
        required=True,
        metavar="FILE",
        help="CSV with a 'control' column and optional 'status', 'justification' and 'kind' "
        "columns, or a text list of ids; '-' reads standard input",
    )
    p.add_argument(
        "--ids",
        choices=IDS_MODES,
        default=None,
        help="read a bare id that is both a clause and a control (6.2) as this",
    )
    p.add_argument(
        "--fail-under",
        type=_ratio,
        metavar="RATIO",
        default=None,
        help="exit 1 when the --metric score is below RATIO",
    )
    p.add_argument(
        "--metric",
        choices=METRICS,
        default=METRICS[0],
        help=f"the score --fail-under compares (default: {METRICS[0]})",
    )
    p.add_argument(
        "--annex",
        action="store_true",
        help="also list every assessable 2024/2690 requirement (table, csv and md; json "
        "always has them)",
    )
    p.add_argument(
        "--include-clauses",
        action="store_true",
        help="deprecated, does nothing: clauses named in the SoA are assessed",
    )
    p.set_defaults(func=cmd_gaps)


def _uncovered_parser(sub: Subparsers) -> None:
    p = add_command(sub, "uncovered", bio2=True, layers=True, help="gaps in the dataset itself")
    p.set_defaults(func=cmd_uncovered)


def _info_parser(sub: Subparsers) -> None:
    p = add_command(sub, "info", help="datasets, versions, counts, sources and licences")
    p.set_defaults(func=cmd_info)


def _show_parser(sub: Subparsers) -> None:
    p = add_command(sub, "show", bio2=True, help="one BIO2 measure (with --texts: its text)")
    p.add_argument("measure", help="BIO2 measure id, e.g. 5.17.01")
    p.add_argument(
        "--texts",
        metavar="SOURCE",
        default=None,
        help="read the text from a BIO2 git clone, a folder with <slug>/maatregelen.md, "
        "a markdown file, or 'download' (pinned commit, sha256-checked, cached)",
    )
    p.set_defaults(func=cmd_show)


PARSERS: Final[dict[str, AddParser]] = {
    "controls": _controls_parser,
    "requirements": _requirements_parser,
    "gaps": _gaps_parser,
    "uncovered": _uncovered_parser,
    "info": _info_parser,
    "show": _show_parser,
}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
