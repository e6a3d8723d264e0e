"""Commands that ask the catalog: ``controls``, ``requirements``, ``gaps``,
``uncovered``, ``info`` and ``show``.

* ``bio2map controls REQUIREMENT`` gives the ISO controls (and BIO2 measures) for a
  NIS2 or 2024/2690 requirement; ``requirements CONTROL`` the other way round.
* ``bio2map gaps --soa FILE [--fail-under RATIO] [--metric NAME]`` measures how far a
  Statement of Applicability covers NIS2 Art. 21(2) and the 2024/2690 requirements;
  exit code 1 when the score is below ``--fail-under``.
* ``bio2map uncovered`` lists the gaps in the dataset itself; ``info`` the datasets,
  versions, counts, sources and licences.
* ``bio2map show ID [--bio2 VERSION] [--texts SOURCE]`` shows one node of any kind (NIS2,
  2024/2690, ISO control or clause, BIO2 measure, Cbw article) with its labels, parent,
  children and links (:mod:`bio2map.cli.show`); for a measure with ``--texts`` also its
  text and the Dutch control title, read from a source the user names (see
  :mod:`bio2map.drafts.sources`).
* ``--basis explicit|heading|all`` on ``controls``, ``requirements`` and ``uncovered``
  follows only the links a source states (:data:`bio2map.core.vocab.BASIS_LEVELS`).
* An id of the wrong kind (a control given to ``controls``) is refused with a hint that
  names the command to use (exit 2).

``controls --format json`` is the cold path pipelines take: it builds no record and
no table. Module-level imports are light; the catalog and the SoA reader are
imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import sys

from bio2map._version import __version__
from bio2map.cli.command import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_THRESHOLD,
    CommandResult,
    add_command,
    add_soa_arguments,
)
from bio2map.core.errors import UnknownIdError
from bio2map.core.ids import plain, scheme_of
from bio2map.core.vocab import BASIS_LEVELS
from bio2map.render.table import Ids, Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    import argparse
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


# The command that takes an id of each scheme (any other: a layer's requirement).
_COMMAND_FOR: Final = {
    "iso27002": "requirements",
    "iso27001": "requirements",
    "bio2": "requirements",
    "cbw": "show",
}


def _hinted(cat: Catalog, err: UnknownIdError, asked: str) -> UnknownIdError:
    """The catalog's wrong-kind hint in the words of the command line.

    ``Catalog.controls_for("5.19")`` says to ask ``requirements_for``; ``bio2map controls
    5.19`` says "5.19 is an ISO control: try `bio2map requirements 5.19` ...".
    """
    if not err.hint or not err.suggestions:
        return err
    import shlex

    other = err.suggestions[0]
    text = err.value.strip()
    command = _COMMAND_FOR.get(scheme_of(other), "controls")
    what = cat.describe(other)
    tries = [f"`bio2map {command} {shlex.quote(text)}`"]
    if command != "show":
        tries.append(f"`bio2map show {shlex.quote(text)}`")
    hint = f"{text} is {what}: try {' or '.join(tries)} ({asked} takes a {err.expected} id)"
    return UnknownIdError(err.value, err.suggestions, err.expected, hint)


def _basis_note(basis: str) -> list[str]:
    if basis == "all":
        return []
    kept = "explicit_text" if basis == "explicit" else "explicit_text and section_heading"
    return [
        f"--basis {basis}: only {kept} links to the Art. 21(2) points and ENISA's own "
        "source_mapping edges are followed (see docs/concepts.md)."
    ]


def cmd_controls(args: argparse.Namespace) -> CommandResult:
    """ISO controls (and BIO2 measures) for a NIS2 or 2024/2690 requirement."""
    cat = _catalog(args)
    try:
        doc = cat.controls_for_data(args.requirement, args.basis)
    except UnknownIdError as err:
        raise _hinted(cat, err, "controls") from None
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
            c["basis"],
            Ids(c["via"]),
            Ids(plain(m) for m in c["measures"]),
        )
        for c in doc["controls"]
    ]
    notes = _basis_note(args.basis)
    if not doc["controls"] and doc["addressed_by"] == "process":
        law = ", ".join(getattr(r, "law", ()))
        notes.append(f"No ISO control stands behind {r.id}: only the organisation's own process")
        notes.append(f"(reporting, board training, handling advice) can show it ({law}).")
    elif not doc["controls"]:
        law = ", ".join(getattr(r, "law", ()))
        notes.append(
            f"No ISO control reaches {r.id}"
            + (f"; it is addressed by legislation ({law})." if law else ".")
        )
    if cat.layers:
        notes.extend(_own_nodes_note(cat, doc))
    ref = getattr(r, "ref", "")
    title = f"{r.id} ({ref}): {doc['label']} - ISO controls, BIO2 {cat.bio2_version}"
    columns = ("control", "title", "relationship", "basis", "via (2024/2690)", "BIO2 measures")
    table = Table(title, columns, rows, notes)
    return CommandResult(doc, (table,))


def _own_nodes_note(cat: Catalog, doc: dict[str, Any]) -> list[str]:
    """The layers' own nodes linked to each control of a ``controls`` answer (a note;
    the JSON answer is unchanged: ``requirements_for`` lists them)."""
    from bio2map.core.ids import SCHEMES

    lines = []
    for c in doc["controls"]:
        own = [
            r["id"]
            for r in cat.requirements_for_data(c["id"])["requirements"]
            if scheme_of(r["id"]) not in SCHEMES and r["id"] != doc["requirement"]
        ]
        if own:
            more = f" and {len(own) - 5} more" if len(own) > 5 else ""
            lines.append(f"  {c['ref']}: {', '.join(own[:5])}{more}")
    if not lines:
        return []
    return ["Own nodes of your layers linked to these controls:", *lines]


def cmd_requirements(args: argparse.Namespace) -> CommandResult:
    """NIS2 and 2024/2690 requirements an ISO control or BIO2 measure serves."""
    cat = _catalog(args)
    try:
        ans = cat.requirements_for(args.control, args.basis)
    except UnknownIdError as err:
        raise _hinted(cat, err, "requirements") from None
    rows = [
        (
            m.requirement.ref if m.requirement.framework == "nis2" else m.requirement.id,
            m.requirement.label,
            m.relationship,
            m.basis,
            Ids(m.via),
        )
        for m in ans.requirements
    ]
    title = (
        f"{ans.control.id} ({ans.control.ref}): {ans.control.title}"
        " - NIS2 and 2024/2690 requirements"
    )
    notes = _basis_note(args.basis)
    if not ans.requirements:
        notes.append(f"No NIS2 requirement reaches {ans.control.id} in the ENISA mapping.")
    table = Table(title, ("requirement", "label", "relationship", "basis", "via"), rows, notes)
    cbw = Table(
        f"Cbw (NIS2) Control Framework controls {ans.control.ref} helps with",
        ("control", "label", "label (nl)", "via"),
        [
            (m.requirement.id, m.requirement.label, m.requirement.label_nl, Ids(m.via))
            for m in ans.cbw_framework
        ],
        ["Through the Art. 21(2) point of each control's theme (our reading, inferred_theme)."],
    )
    return CommandResult(ans.as_dict(), (table, cbw))


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        import argparse  # only a bad --fail-under gets here, after argparse is loaded

        msg = f"argument --fail-under: expected a number from 0 to 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def cmd_gaps(args: argparse.Namespace) -> CommandResult:
    """Coverage of NIS2 Art. 21(2) by an SoA; exit code 1 below ``--fail-under``."""
    from bio2map.cli.migrate import cbw_gaps, gaps_soa, migration_part

    if args.include_clauses:
        print(
            "bio2map: note: --include-clauses is deprecated and does nothing: the ISO 27001 "
            "clauses named in the SoA are assessed",
            file=sys.stderr,
        )
    cat = _catalog(args)
    if args.against == "cbw":
        return cbw_gaps(args, cat)
    soa = gaps_soa(args, cat)  # migrated first when the SoA is of ISO 27001:2013
    for w in soa.warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)
    # a migrated SoA (gaps --from iso27001-2013) is scored by its 2022 statuses
    doc = cat.coverage_data(soa.as_mapping() if hasattr(soa, "migration") else soa)
    doc["soa"] = {"file": soa.source, "entries": len(soa.entries)}
    doc["bio2_version"] = cat.bio2_version
    migrated = migration_part(doc, soa)
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
    return CommandResult(doc, (*_gaps_tables(doc, args), *migrated), code)


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
    u = cat.uncovered(args.basis)
    tables = (
        Table(
            "NIS2 obligations no ISO control reaches",
            ("requirement", "label", "addressed by"),
            [
                (r.ref, r.label, r.addressed_by + (f" ({', '.join(r.law)})" if r.law else ""))
                for r in u.nis2_without_controls
            ],
            name="nis2 without controls",
        ),
        Table(
            "2024/2690 requirements without an ISO target",
            ("requirement", "kind"),
            [(r.id, r.kind) for r in u.ir2690_without_target],
            name="ir2690 without target",
        ),
        Table(
            "ISO 27002 controls no NIS2 requirement reaches",
            ("control", "title"),
            [(c.ref, c.title) for c in u.controls_without_requirement],
            name="controls without requirement",
        ),
        Table(
            "ISO 27001 clauses no NIS2 requirement reaches",
            ("clause", "title"),
            [(c.ref, c.title) for c in u.clauses_without_requirement],
            ["A clause counts as reached when one of its sub-clauses is."],
            name="clauses without requirement",
        ),
        Table(
            f"ISO 27002 controls without a BIO2 {cat.bio2_version} measure",
            ("control", "title"),
            [(c.ref, c.title) for c in u.controls_without_measure],
            name="controls without measure",
        ),
        Table(
            f"BIO2 {cat.bio2_version} measures that trace to no NIS2 requirement",
            ("measure", "control"),
            [(m.number, plain(m.control)) for m in u.measures_without_requirement],
            _basis_note(args.basis),
            name="measures without requirement",
        ),
        Table(
            "NIS2 obligations the law handles: Cbw articles and Cbw framework controls",
            ("requirement", "label", "Cbw", "Cbw framework controls"),
            [
                (h.requirement.ref, h.requirement.label, Ids(h.law), Ids(c.id for c in h.controls))
                for h in u.cbw_framework
            ],
            ["Cbw framework: ADR & NOREA, Cbw (NIS2) Control Framework (2025), CC-BY 4.0."],
        ),
    )
    return CommandResult(u.as_dict(), tables)


def cmd_info(args: argparse.Namespace) -> CommandResult:
    """The datasets: versions, counts, checksums (verified), sources and licences.

    Exit code 2 (and one ``bio2map: error:`` line) when a packaged file does not match
    its sha256 in the manifest; the answer, ``verified: false`` and the problems, is
    printed all the same.
    """
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
    if problems:  # the answer is still printed, but a pipeline must not take it as sound
        print(
            f"bio2map: error: {len(problems)} data file(s) do not match the manifest: "
            + "; ".join(problems),
            file=sys.stderr,
        )
        return CommandResult(doc, (table,), EXIT_BAD_INPUT)
    return CommandResult(doc, (table,))


def cmd_show(args: argparse.Namespace) -> CommandResult:
    """Show one node of any kind: its labels, parent, children and links.

    A BIO2 measure shows the fields of its draft (``not recorded`` where the draft does
    not record one); with ``--texts`` also its text.

    Raises:
        UnknownIdError: the id names no node (with suggestions), or several.
        UnknownVersionError: ``--bio2`` names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 every kind of id, not only BIO2 measures.
    """
    from bio2map.api import load
    from bio2map.cli.show import show

    cat = load(args.bio2, layers=getattr(args, "layer", None) or ())
    cid = cat.resolve(args.id)
    with_texts = args.texts is not None and scheme_of(cid) == "bio2"
    if with_texts:
        cat = cat.attach_texts(args.texts)
    doc, tables = show(cat, cid, with_texts=with_texts, fmt=args.format)
    if args.texts is not None and not with_texts:
        tables = (tables[0].with_notes("--texts applies to BIO2 measures only."), tables[1])
    return CommandResult(doc, tables)


# --- parsers ---------------------------------------------------------------------------


def _basis_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--basis",
        choices=BASIS_LEVELS,
        default="all",
        help="follow only stated links: 'explicit' (annex text names the point, ENISA's own "
        "pairs), 'heading' (also section headings), 'all' (default: also inferred points and "
        "the inherited section tables of annex sections 7 and 9)",
    )


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
    _basis_argument(p)
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
    _basis_argument(p)
    p.set_defaults(func=cmd_requirements)


def _status_help(status: str) -> str:
    """One SoA status for ``gaps --help``: its weight and the words that say it (ASCII)."""
    import textwrap
    import unicodedata

    from bio2map.core.soa import STATUS_WORDS, WEIGHTS

    text = ", ".join(STATUS_WORDS[status][1:])
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if ord(c) < 128)
    weight = WEIGHTS[status]
    head = f"  {status:<16} {'left out' if weight is None else format(weight, 'g'):<9}"
    return textwrap.fill(text, 88, initial_indent=head, subsequent_indent=" " * len(head))


def _gaps_epilog() -> str:
    """The end of ``gaps --help``: the SoA statuses, the metrics and how ids are read."""
    from bio2map.catalog.coverage import METRIC_RULES
    from bio2map.core.soa import METRICS, STATUS_WORDS

    statuses = "\n".join(_status_help(s) for s in STATUS_WORDS)
    metrics = "\n".join(f"  {m:<12} {METRIC_RULES[m]}" for m in METRICS)
    return (
        "SoA statuses (weight; case, accents, spaces, '_', '-', '.' and '/' do not matter;\n"
        "an empty cell is implemented):\n"
        f"{statuses}\n\n"
        "Metrics (--metric):\n"
        f"{metrics}\n\n"
        "Ids: A.5.19 or iso27002:5.19 is a control, 'clause 9.3' or iso27001:9.3 a clause. A\n"
        "bare id that is both (5.1-5.3, 6.1-6.3, 7.1-7.5, 8.1-8.3) is refused unless a kind\n"
        "column (control/clause) or --ids says which. See docs/howto/gap-analysis.md."
    )


def _gaps_parser(sub: Subparsers) -> None:
    import argparse as _argparse  # the formatter class only

    from bio2map.core.soa import METRICS

    p = add_command(
        sub,
        "gaps",
        bio2=True,
        layers=True,
        help="coverage of NIS2 by your Statement of Applicability",
        description="How far a Statement of Applicability (SoA, VvT) covers the ten NIS2 "
        "Art. 21(2) points\nand the assessable 2024/2690 requirements, with the reason for "
        "each and four scores.",
        epilog=_gaps_epilog(),
        formatter_class=_argparse.RawDescriptionHelpFormatter,
    )
    add_soa_arguments(p)
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
    p.add_argument(
        "--from",
        dest="from_edition",
        choices=("iso27001-2013", "iso27001-2022"),
        default=None,
        help="the SoA's ISO 27001 edition; a 2013 (BIO 1.04) SoA is migrated first "
        "(bio2map migrate); default: what its 'edition' column or ids say, else 2022",
    )
    p.add_argument(
        "--against",
        choices=("nis2", "cbw"),
        default="nis2",
        help="nis2: NIS2 Art. 21(2) and 2024/2690 (default); cbw: the ADR & NOREA Cbw "
        "(NIS2) Control Framework, per framework control",
    )
    p.set_defaults(func=cmd_gaps)


def _uncovered_parser(sub: Subparsers) -> None:
    p = add_command(sub, "uncovered", bio2=True, layers=True, help="gaps in the dataset itself")
    _basis_argument(p)
    p.set_defaults(func=cmd_uncovered)


def _info_parser(sub: Subparsers) -> None:
    p = add_command(sub, "info", help="datasets, versions, counts, sources and licences")
    p.set_defaults(func=cmd_info)


def _show_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "show",
        bio2=True,
        layers=True,
        help="one node of any kind: labels, parent, children, links",
    )
    p.add_argument(
        "id",
        help="any id: NIS2 '21(2)(d)', annex '5.1.4', ISO control 'A.5.19' or clause "
        "'iso27001:6.2', BIO2 measure '5.17.01', Cbw 'cbw:24'",
    )
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
