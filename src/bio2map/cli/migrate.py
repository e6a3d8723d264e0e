"""``bio2map migrate``: a BIO 1.04 (ISO/IEC 27001:2013) SoA becomes a BIO2 (2022) one;
and what ``gaps`` needs for ``--from`` and ``--against cbw``.

* ``bio2map migrate --soa old.csv --from iso27001-2013 [-o new.csv]`` prints, per 2022
  control, the status carried over and why (the 2013 controls, their statuses, the
  rule), flags every merge for review, marks the 11 new controls ``new: not assessed``
  and accounts for every line of the old SoA. ``-o`` writes the 2022 SoA as CSV;
  ``--format csv`` prints it.
* ``bio2map gaps --soa old.csv --from iso27001-2013`` migrates first (also when the SoA
  says its edition itself) and says in the JSON which statuses came from the migration.
* ``bio2map gaps --soa soa.csv --against cbw`` reads the SoA against the ADR & NOREA
  Cbw (NIS2) Control Framework.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import argparse
import os
import sys

from bio2map.cli.command import CommandResult, add_command
from bio2map.core.editions import ISO2013, ISO2022
from bio2map.core.ids import plain
from bio2map.render.table import Ids, Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.catalog import Catalog
    from bio2map.catalog.migration_answers import Migration
    from bio2map.cli.command import AddParser, Subparsers

__all__ = ["PARSERS", "cbw_gaps", "cmd_migrate", "gaps_soa", "migration_part"]

EDITION_CHOICES: Final = (ISO2013, ISO2022)


def _catalog(args: argparse.Namespace) -> Catalog:
    from bio2map.api import load

    return load(getattr(args, "bio2", None), layers=getattr(args, "layer", None) or ())


def _warn(warnings: tuple[str, ...]) -> None:
    for w in warnings:
        print(f"bio2map: warning: {w}", file=sys.stderr)


def _migrate(args: argparse.Namespace, cat: Catalog) -> Migration:
    from bio2map.core.errors import DataError, DataErrorGroup
    from bio2map.formats.migrate import read_old_soa

    old = read_old_soa(args.soa, cat, edition=getattr(args, "from_edition", None))
    if old.edition != ISO2013:
        msg = "nothing to migrate"
        raise DataErrorGroup(
            msg, [DataError(args.soa, "", "edition", "the SoA is ISO 27001:2022 already")]
        )
    _warn(old.warnings)
    return cat.migrate_soa(old)


def _write(path: str, text: str) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as f:  # noqa: PTH123
        f.write(text)
    os.replace(tmp, path)  # noqa: PTH105


def _status(status: str | None) -> str:
    return status if status is not None else "not assessed"


def migration_tables(m: Migration, *, lines: bool = True) -> list[Table]:
    """The tables of a migration: its 2022 controls, then (``lines``) every old line."""
    s = m.summary()
    title = (
        f"{m.source}: ISO 27001:2013 -> 2022, {s['lines']} lines, {s['assessed']} of "
        f"{len(m.controls)} 2022 items assessed, {s['review']} flagged for review"
    )
    rows = [
        (
            c.ref if c.kind == "control" else f"cl. {c.ref}",
            c.title,
            _status(c.status) if c.origin != "new" else "new: not assessed",
            c.origin,
            Ids((f"{x.ref} {x.status or 'not in SoA'}" for x in c.sources), 6),
            c.rule,
            "; ".join(c.reasons) if c.review else "",
        )
        for c in m.controls
    ]
    notes = [
        f"Rule: {m.rule}.",
        f"{s['carried']} carried over, {s['merged']} merged, {s['split']} split, "
        f"{s['new']} new in 2022, {s['not_in_soa']} without a predecessor in the SoA.",
    ]
    out = [
        Table(
            title,
            ("2022", "title", "status", "migration", "from 2013", "rule", "review"),
            rows,
            notes,
        )
    ]
    if lines:
        out.append(
            Table(
                "Every line of the old SoA and where it went",
                ("line", "as written", "2013 id", "status", "2022", "note"),
                [
                    (
                        str(ln.line),
                        ln.raw,
                        plain(ln.id),
                        ln.status,
                        Ids((plain(t) for t in ln.targets), 6),
                        ln.note,
                    )
                    for ln in m.lines
                ],
            )
        )
    return out


def cmd_migrate(args: argparse.Namespace) -> CommandResult:
    """A 2022 SoA from a 2013 one: statuses carried over, merges flagged, new controls."""
    from bio2map.formats.migrate import migration_csv

    cat = _catalog(args)
    m = _migrate(args, cat)
    doc = m.as_dict()
    text = migration_csv(m)
    if args.output:
        _write(args.output, text)
        doc["output"] = args.output
    if args.format == "csv":
        return CommandResult(doc, text)
    tables = migration_tables(m)
    if args.output:
        note = f"Written to {args.output} (controls not assessed as '# A.x' comment rows)."
        tables[0] = tables[0].with_notes(note)
    return CommandResult(doc, tuple(tables))


# --- gaps --from / --against ---------------------------------------------------------------


class _MigratedSoa:
    """What ``gaps`` reads of an SoA (entries, warnings, as_mapping), after a migration."""

    def __init__(self, migration: Migration) -> None:
        self.migration = migration
        self.source = getattr(migration, "source", "")
        self.entries = migration.lines
        self.warnings: tuple[str, ...] = ()

    def as_mapping(self) -> dict[str, str]:
        return self.migration.as_mapping()


def _may_say_an_edition(path: str) -> bool:
    """Whether a regular file could say its edition at all: an id names 2013 only with
    ``2013`` in it, and an edition column is headed ``edition`` or ``editie``. Keeps the
    migration code (and attrs) off the cold path of an ordinary ``gaps``."""
    if not os.path.isfile(path):  # noqa: PTH113 - a pipe is read once: only --from says
        return False
    try:
        with open(path, "rb") as f:  # noqa: PTH123 - a str path, read once more below
            head = f.read(16 * 1024 * 1024).lower()
    except OSError:
        return True  # let the reader report it
    return any(word in head for word in (b"2013", b"edition", b"editie"))


def gaps_soa(args: argparse.Namespace, cat: Catalog) -> Any:
    """The SoA ``gaps`` scores: migrated when ``--from iso27001-2013`` is given or the SoA
    says it is of 2013 (an ``edition`` column, ids like ``ISO 27001:2013 A.12.6.1``), else
    read by :func:`bio2map.formats.soa.read_soa`. Standard input and pipes are read once,
    so only ``--from`` says their edition."""
    from bio2map.formats.soa import read_soa

    edition = getattr(args, "from_edition", None)
    if edition is None and _may_say_an_edition(args.soa):
        from bio2map.formats.migrate import soa_edition

        edition = soa_edition(args.soa)
    if edition == ISO2013:
        return _MigratedSoa(_migrate(args, cat))
    return read_soa(args.soa, cat, ids=getattr(args, "ids", None))


def migration_part(doc: dict[str, Any], soa: Any) -> list[Table]:
    """Add to a ``gaps`` document which statuses came from the migration; its tables."""
    m = getattr(soa, "migration", None)
    if m is None:
        return []
    doc["soa"]["migrated_from"] = m.from_edition
    doc["migration"] = {
        "from": m.from_edition,
        "to": m.to_edition,
        "rule": m.rule,
        "summary": m.summary(),
        "statuses": {
            c.id: {
                "status": _status(c.status),
                "origin": c.origin,
                "from": {x.ref: x.status for x in c.sources},
                "review": c.review,
            }
            for c in m.controls
        },
        "not_assessed": [c.id for c in m.not_assessed],
        "review": [c.id for c in m.review],
    }
    return migration_tables(m, lines=False)


def cbw_gaps(args: argparse.Namespace, cat: Catalog) -> CommandResult:
    """``gaps --against cbw``: the SoA read against the Cbw (NIS2) Control Framework."""
    from bio2map.core.errors import DataError, DataErrorGroup

    if args.fail_under is not None:
        msg = "bad options"
        raise DataErrorGroup(
            msg, [DataError("--fail-under", "", "", "applies to --against nis2 only")]
        )
    soa = gaps_soa(args, cat)
    _warn(soa.warnings)
    cov = cat.cbw_coverage(soa.as_mapping(), include_clauses=args.include_clauses)
    doc = cov.as_dict()
    doc["soa"] = {"file": args.soa, "entries": len(soa.entries)}
    doc["bio2_version"] = cat.bio2_version
    tables = migration_part(doc, soa)
    s = cov.summary()
    rows = [
        (
            plain(i.control.id),
            i.control.label,
            ", ".join(str(getattr(cat.get(p), "ref", p)) for p in i.points),
            i.status,
            f"{i.share:.2f}" if i.evidence == "soa" else "",
            f"{len(i.implemented)} of {len(i.mapped)}" if i.evidence == "soa" else "",
            Ids((plain(c) for c in i.missing), 6) if i.missing else i.note,
        )
        for i in cov.items
    ]
    notes = [
        f"{s['evidenced']} evidenced, {s['partial']} partial, {s['none']} none by the SoA; "
        f"{s['process']} only the organisation's process can show (reporting, board training, "
        "alerts).",
        "Themes link to Art. 21(2) points by our reading (basis inferred_theme).",
        f"Framework: {cov.attribution}.",
    ]
    table = Table(
        f"Cbw (NIS2) Control Framework against {args.soa}",
        ("control", "label", "Art. 21(2)", "status", "share", "implemented", "missing / shown by"),
        rows,
        notes,
    )
    return CommandResult(doc, (table, *tables))


# --- parsers ---------------------------------------------------------------------------


def _migrate_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "migrate",
        bio2=True,
        help="turn a BIO 1.04 (ISO 27001:2013) SoA into a BIO2 (2022) one",
        description="Carry the statuses of an ISO/IEC 27001:2013 SoA over to the 2022 "
        "controls. Several 2013 controls in one 2022 control: the weakest status wins "
        "and the merge is flagged for review; controls new in 2022 are 'new: not assessed'.",
    )
    p.add_argument(
        "--soa",
        required=True,
        metavar="FILE",
        help="the old SoA: CSV with a 'control' (and optional 'status', 'edition') column, "
        "or a text list of ids",
    )
    p.add_argument(
        "--from",
        dest="from_edition",
        choices=EDITION_CHOICES,
        default=None,
        help="the edition of the SoA (default: what its 'edition' column or ids say)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="write the 2022 SoA as CSV to FILE",
    )
    p.set_defaults(func=cmd_migrate)


PARSERS: Final[dict[str, AddParser]] = {"migrate": _migrate_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
