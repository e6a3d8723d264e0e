"""The ``bio2map`` command line, for people and pipelines.

Every command takes ``--format table|json|csv|md`` (table is for people; JSON is
deterministic and meant for pipelines) and, where a BIO2 draft matters, ``--bio2``.

Exit codes: 0 ok; 1 a threshold was not met (``gaps --fail-under``); 2 bad input
(unknown id, unreadable SoA, bad option). Errors go to stderr, never as a traceback.

The CLI only calls the public API. ``main(argv)`` returns the exit code, so tests and
other tools can call it directly.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from bio2map._version import __version__
from bio2map.core.errors import Bio2MapError, DataErrorGroup
from bio2map.core.ids import plain
from bio2map.render.table import FORMATS, Ids, Table, render, to_json

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any, TextIO

    from bio2map.catalog.catalog import Catalog

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_BAD_INPUT = 2


def _catalog(args: argparse.Namespace) -> Catalog:
    from bio2map.api import load

    return load(getattr(args, "bio2", None), layers=getattr(args, "layer", None) or ())


# --- commands --------------------------------------------------------------------------


def cmd_controls(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
    cat = _catalog(args)
    doc = cat.controls_for_data(args.requirement)
    if args.no_clauses:
        doc = {**doc, "controls": [c for c in doc["controls"] if c["kind"] != "clause"]}
    if args.format == "json":  # the fast path: no records, no tables
        return doc, [], EXIT_OK
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
    return doc, [table], EXIT_OK


def cmd_requirements(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
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
    return (
        ans.as_dict(),
        [Table(title, ("requirement", "label", "relationship", "via"), rows, notes)],
        EXIT_OK,
    )


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        msg = f"argument --fail-under: expected a number from 0 to 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def cmd_gaps(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
    from bio2map.formats.soa import read_soa

    cat = _catalog(args)
    soa = read_soa(args.soa, cat)
    for w in soa.warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)
    cov = cat.coverage(soa.as_mapping(), include_clauses=args.include_clauses)
    doc = cov.as_dict()
    doc["soa"] = {"file": args.soa, "entries": len(soa.entries)}
    doc["bio2_version"] = cat.bio2_version
    s = cov.summary
    code = EXIT_OK
    notes = [
        f"Art. 21(2) points covered at least partially: {s.points_full + s.points_partial}"
        f" of {len(cov.points)} ({s.points_covered_share:.0%}); 2024/2690 requirements:"
        f" {s.requirements_full} full, {s.requirements_partial} partial,"
        f" {s.requirements_none} none ({s.requirements_unmapped} unmapped).",
        "Links from the ENISA mapping are intersects_with, so no requirement can be 'full' "
        "on them alone (see docs/concepts.md).",
    ]
    if args.fail_under is not None:
        doc["fail_under"] = args.fail_under
        doc["passed"] = s.points_covered_share >= args.fail_under
        if not doc["passed"]:
            code = EXIT_THRESHOLD
            notes.append(
                f"FAILED: {s.points_covered_share:.2f} is below --fail-under {args.fail_under:.2f}"
            )
    label = {r.id: r for r in cat.requirements}
    rows = [
        (
            label[p.id].ref,
            label[p.id].label,
            p.status,
            f"{p.share:.2f}",
            Ids((plain(m) for m in p.missing), 6) if p.missing else p.note,
        )
        for p in cov.points
    ]
    leg = Table(
        "NIS2 obligations handled by legislation (no control can cover them)",
        ("requirement", "label", "law"),
        [(r.ref, r.label, ", ".join(r.law)) for r in cov.legislation],
    )
    return (
        doc,
        [
            Table(
                f"NIS2 Art. 21(2) coverage of {args.soa}",
                ("point", "label", "status", "share", "missing"),
                rows,
                notes,
            ),
            leg,
        ],
        code,
    )


def cmd_uncovered(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
    cat = _catalog(args)
    u = cat.uncovered()
    tables = [
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
    ]
    return u.as_dict(), tables, EXIT_OK


def cmd_info(args: argparse.Namespace) -> tuple[Any, list[Table], int]:
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
    return doc, [Table(title, ("dataset", "version", "counts", "licence"), rows, notes)], EXIT_OK


# --- parser ----------------------------------------------------------------------------


class _SubParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with a width from $COLUMNS: argparse would import shutil
    for the terminal size on every start, help or not."""

    def __init__(self, prog: str) -> None:
        try:
            width = int(os.environ.get("COLUMNS", "100")) - 2
        except ValueError:
            width = 98
        super().__init__(prog, width=max(width, 40))


_CORE_COMMANDS = frozenset({"controls", "requirements", "gaps", "uncovered", "info"})


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; feature commands are added unless ``command`` is a core one
    (importing them would only slow a cold query down)."""
    common = _SubParser(add_help=False)
    common.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="table",
        help="output format (default: table; json for pipelines)",
    )
    drafted = _SubParser(add_help=False, parents=[common])
    drafted.add_argument(
        "--bio2",
        metavar="VERSION",
        default=None,
        help="BIO2 draft slug or label (default: the latest definitive draft)",
    )

    layered = _SubParser(add_help=False, parents=[drafted])
    layered.add_argument(
        "--layer",
        action="append",
        metavar="FILE",
        help="add a user mapping layer (CSV/TSV with SSSOM columns, or CISO Assistant YAML)"
        " for this run; repeatable",
    )

    p = argparse.ArgumentParser(
        prog="bio2map",
        formatter_class=_Formatter,
        description="Query BIO2, NIS2 (2024/2690) and ISO/IEC 27001/27002:2022 as one graph.",
        epilog="Exit codes: 0 ok, 1 threshold not met, 2 bad input.",
    )
    p.add_argument("--version", action="version", version=f"bio2map {__version__}")
    sub = p.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_SubParser
    )

    c = sub.add_parser(
        "controls", parents=[layered], help="ISO controls (and BIO2 measures) for a requirement"
    )
    c.add_argument("requirement", help="NIS2 or 2024/2690 requirement, e.g. '21(2)(d)' or '5.1.4'")
    c.add_argument("--no-clauses", action="store_true", help="leave out ISO 27001 clauses")
    c.set_defaults(func=cmd_controls)

    r = sub.add_parser(
        "requirements", parents=[layered], help="NIS2 / 2024/2690 requirements a control serves"
    )
    r.add_argument("control", help="ISO 27002 control (5.19, A.5.19) or BIO2 measure (5.19.01)")
    r.set_defaults(func=cmd_requirements)

    g = sub.add_parser(
        "gaps", parents=[layered], help="coverage of NIS2 by your Statement of Applicability"
    )
    g.add_argument(
        "--soa",
        required=True,
        metavar="FILE",
        help="CSV with a 'control' (and optional 'status') column, or a text list of ids",
    )
    g.add_argument(
        "--fail-under",
        type=_ratio,
        metavar="RATIO",
        default=None,
        help="exit 1 when the share of Art. 21(2) points at least partially covered is below RATIO",
    )
    g.add_argument(
        "--include-clauses",
        action="store_true",
        help="count ISO 27001 clauses the mapping names (they must be in the SoA)",
    )
    g.set_defaults(func=cmd_gaps)

    u = sub.add_parser("uncovered", parents=[layered], help="gaps in the dataset itself")
    u.set_defaults(func=cmd_uncovered)

    i = sub.add_parser(
        "info", parents=[common], help="datasets, versions, counts, sources and licences"
    )
    i.set_defaults(func=cmd_info)

    if command not in _CORE_COMMANDS:
        for name in _EXTENSIONS:
            importlib.import_module(name).register(sub, common, drafted)
    return p


# Feature modules that add commands: each has ``register(sub, common, drafted)``, which
# adds subparsers whose ``func`` returns ``(json_doc, tables, exit_code)`` like the ones
# above. They must import nothing heavy at module level (cold-start cost).
_EXTENSIONS = ("bio2map.cli.drafts", "bio2map.cli.diff", "bio2map.cli.export")


def _error(stream: TextIO, err: BaseException) -> None:
    if isinstance(err, DataErrorGroup):
        print(f"bio2map: error: {err.message}:", file=stream)
        for e in err.exceptions:
            print(f"  {e}", file=stream)
    else:
        print(f"bio2map: error: {err}", file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    parser = _parser(first)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as e:  # argparse: --help / --version (0) or a usage error (2)
        return int(e.code) if isinstance(e.code, int) else EXIT_BAD_INPUT
    func: Callable[[argparse.Namespace], tuple[Any, list[Table] | str | None, int]] = args.func
    try:
        doc, tables, code = func(args)
    except Bio2MapError as err:
        _error(sys.stderr, err)
        return EXIT_BAD_INPUT
    fmt = getattr(args, "format", "table")
    if tables is None:  # the command rendered its own output (export)
        sys.stdout.write(str(doc))
    elif isinstance(tables, str) and fmt != "json":  # a prerendered report (diff --format md)
        sys.stdout.write(tables)
    else:
        out = (
            render(tables if isinstance(tables, list) else [], fmt)
            if fmt != "json"
            else to_json(doc)
        )
        sys.stdout.write(out)
    return code


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `bio2map info | head -1`
        code = 0
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)
