"""SoAs of another ISO/IEC 27001 edition: read a 2013 (BIO 1.04) SoA, write the 2022 one.

Reading (:func:`read_old_soa`, :func:`parse_old_soa`): the SoA forms of
:mod:`bio2map.formats.soa` (CSV with a ``control`` and an optional ``status`` column,
or a list of ids), plus the edition, which comes from (first that applies):

* the id itself: ``ISO 27001:2013 A.12.6.1``, ``iso27001-2013:A.12.6.1`` (2013) or
  ``ISO 27001:2022 A.8.8``, ``iso27002:8.8`` (2022);
* an ``edition`` (or ``editie``) column: ``2013``, ``ISO 27001:2013``, ``BIO 1.04``,
  ``2022``, ``BIO2``, ...;
* the edition the caller says (``--from iso27001-2013``).

An SoA read as 2013 reads bare ids as 2013 ids (``A.12.6.1``, ``12.6.1``, ``9.2``). An
SoA that mixes editions (a 2022 id, an ``edition`` cell or a prefix that says 2022, in
an SoA read as 2013; or the other way round) is refused, every such line named.

Writing (:func:`migration_csv`): the migrated 2022 SoA as CSV, one row per 2022
control; a control without a status (new in 2022, not assessed) is written as a comment
row (``# A.5.7``) that :func:`bio2map.formats.soa.parse_soa` skips, so the file can be
read back as an SoA once those are assessed.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from typing import TYPE_CHECKING

import attrs

from bio2map.core.editions import ISO2013, ISO2022, edition_of, said_edition
from bio2map.core.errors import AmbiguousIdError, DataError, DataErrorGroup, UnknownIdError
from bio2map.core.userfiles import SOA, check_path, decode_text, read_user_bytes
from bio2map.formats.soa import parse_soa

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.catalog.migration_answers import Migration

__all__ = [
    "OldSoa",
    "OldSoaEntry",
    "migration_csv",
    "parse_old_soa",
    "read_old_soa",
    "soa_edition",
]

_EDITION_COLUMNS = ("edition", "editie")
_SHORT = {ISO2013: "ISO 27001:2013", ISO2022: "ISO 27001:2022"}


@attrs.frozen
class OldSoaEntry:
    """One line of an SoA read in its edition: where, as written, status, id, edition."""

    line: int
    raw: str
    status: str
    id: str
    edition: str


@attrs.frozen
class OldSoa:
    """An SoA read in its edition; ``entries`` keep file order (what ``migrate_soa`` takes)."""

    source: str
    edition: str
    entries: tuple[OldSoaEntry, ...]
    warnings: tuple[str, ...] = ()


def _read(path: str | os.PathLike[str]) -> tuple[str, str]:
    """(name, text) of an SoA file, read as every user file is (core.userfiles): ``-`` is
    standard input; folders, devices, named pipes and files over the cap are refused."""
    source = check_path(path, "path")
    try:
        name, data = read_user_bytes(source, SOA)
        return name, decode_text(data, name, SOA)
    except DataError as e:
        msg = "cannot read the SoA"
        raise DataErrorGroup(msg, [e]) from None


def _edition_cells(text: str) -> dict[int, str]:
    """Line -> the ``edition`` cell, numbered as :func:`parse_soa` numbers its lines."""
    lines = text.splitlines()
    head_i = next(
        (i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None
    )
    if head_i is None:
        return {}
    delim = next((d for d in (",", ";", "\t") if d in lines[head_i]), None)
    if delim is None:
        return {}
    reader = csv.reader(io.StringIO("\n".join(lines[head_i:])), delimiter=delim)
    header = [h.strip().lower() for h in next(reader)]
    col = next((header.index(c) for c in _EDITION_COLUMNS if c in header), None)
    if col is None:
        return {}
    return {
        n: row[col].strip()
        for n, row in enumerate(reader, start=head_i + 2)
        if col < len(row) and row[col].strip()
    }


def _declared(
    text: str, source: str
) -> tuple[list[tuple[int, str, str, str | None]], list[DataError]]:
    """Each SoA line with the edition it says itself (its id or its ``edition`` cell)."""
    soa = parse_soa(text, source=source)
    cells = _edition_cells(text)
    out = []
    errors = []
    for e in soa.entries:
        said = said_edition(e.raw)
        cell = cells.get(e.line)
        col = edition_of(cell) if cell else None
        if cell and col is None:
            errors.append(
                DataError(
                    source,
                    f"line {e.line}",
                    "edition",
                    f"unknown edition {cell!r}; use 2013 (ISO 27001:2013, BIO 1.04) or 2022",
                )
            )
        if said and col and said != col:
            errors.append(
                DataError(
                    source,
                    f"line {e.line}",
                    "edition",
                    f"{e.raw!r} names {_SHORT[said]} but its edition cell says {cell!r}",
                )
            )
        out.append((e.line, e.raw, e.status, said or col))
    return out, errors


def soa_edition(path: str | os.PathLike[str]) -> str | None:
    """The edition an SoA file says (an ``edition`` column, or ids that name it), by
    majority; None when no line says one. Reads nothing but the file.

    Raises:
        DataErrorGroup: the file cannot be read or parsed.
    """
    source, text = _read(path)
    lines, _ = _declared(text, source)
    said = Counter(ed for *_, ed in lines if ed)
    return said.most_common(1)[0][0] if said else None


def read_old_soa(
    path: str | os.PathLike[str], catalog: Catalog, *, edition: str | None = None
) -> OldSoa:
    """Read an SoA file in its edition (see the module docstring) and resolve every id.

    Args:
        path: the SoA file.
        catalog: the catalog that knows both editions (``bio2map.load()``).
        edition: the edition the caller says (``iso27001-2013``); lines that say
            another one are refused.

    Raises:
        DataErrorGroup: the file cannot be read; the SoA mixes editions (every such line
            named); no edition is said; an id is unknown or ambiguous (every line listed).
    """
    source, text = _read(path)
    return parse_old_soa(text, catalog, source=source, edition=edition)


def parse_old_soa(
    text: str, catalog: Catalog, *, source: str = "<string>", edition: str | None = None
) -> OldSoa:
    """:func:`read_old_soa` for SoA text.

    Raises:
        DataErrorGroup: as :func:`read_old_soa`.
    """
    if edition is not None and edition not in (ISO2013, ISO2022):
        msg = "unknown edition"
        raise DataErrorGroup(
            msg, [DataError(source, "", "edition", f"{edition!r}: use {ISO2013} or {ISO2022}")]
        )
    lines, errors = _declared(text, source)
    if errors:
        msg = "problems in the SoA's editions"
        raise DataErrorGroup(msg, errors)
    soa_ed = _soa_edition(lines, catalog, source, edition)
    conflicts: list[DataError] = []
    problems: list[DataError] = []
    entries: list[OldSoaEntry] = []
    seen: dict[str, int] = {}
    warnings: list[str] = []
    for line, raw, status, declared in lines:
        where = f"line {line}"
        if declared is not None and declared != soa_ed:
            conflicts.append(
                DataError(
                    source,
                    where,
                    "edition",
                    f"{raw!r} is {_SHORT[declared]} in an {_SHORT[soa_ed]} SoA",
                )
            )
            continue
        try:
            cid = catalog.resolve_edition(raw, soa_ed)
        except (UnknownIdError, AmbiguousIdError) as err:
            conflict, why = _refusal(err, raw, soa_ed, catalog)
            (conflicts if conflict else problems).append(DataError(source, where, "control", why))
            continue
        if cid in seen:
            warnings.append(
                f"{source}: line {line}: {cid} is listed again (first on line {seen[cid]}); "
                "the stronger status counts"
            )
        seen.setdefault(cid, line)
        entries.append(OldSoaEntry(line, raw, status, cid, soa_ed))
    if conflicts:
        n = len(conflicts)
        msg = (
            f"the SoA mixes ISO 27001 editions: it is read as {_SHORT[soa_ed]} and "
            f"{n} line{'' if n == 1 else 's'} {'is' if n == 1 else 'are'} not"
        )
        raise DataErrorGroup(msg, conflicts)
    if problems:
        msg = f"unknown {_SHORT[soa_ed]} ids in the SoA"
        raise DataErrorGroup(msg, problems)
    return OldSoa(source=source, edition=soa_ed, entries=tuple(entries), warnings=tuple(warnings))


def _soa_edition(
    lines: list[tuple[int, str, str, str | None]],
    catalog: Catalog,
    source: str,
    edition: str | None,
) -> str:
    """The SoA's edition: what the caller says, else what most of its lines say.

    Raises:
        DataErrorGroup: neither says one (with a hint when the ids look like 2013 ids).
    """
    said = Counter(ed for *_, ed in lines if ed)
    soa_ed = edition or (said.most_common(1)[0][0] if said else None)
    if soa_ed is not None:
        return soa_ed
    hint = ""
    if any(catalog.edition_conflict(raw, ISO2022) for _, raw, _, _ in lines[:50]):
        hint = " (its ids look like ISO 27001:2013 ids: add --from iso27001-2013)"
    msg = "the SoA does not say its edition"
    raise DataErrorGroup(
        msg,
        [
            DataError(
                source,
                "",
                "edition",
                "say the edition: --from iso27001-2013, an 'edition' column, or ids like "
                "'ISO 27001:2013 A.12.6.1'" + hint,
            )
        ],
    )


def _refusal(
    err: UnknownIdError | AmbiguousIdError, raw: str, soa_ed: str, catalog: Catalog
) -> tuple[bool, str]:
    """Why the SoA's edition does not resolve ``raw``: (True, why) for an id of the other
    edition (a conflict), (False, why) for any other bad id."""
    problem = catalog.edition_conflict(raw, soa_ed)
    if problem is not None:
        return True, f"{problem}; the SoA is {_SHORT[soa_ed]}"
    text = str(err)
    if isinstance(err, AmbiguousIdError) and soa_ed == ISO2013:
        text += " (write 'A.6.1.2' for the control, 'clause 6.1.2' for the clause)"
    return False, text


_CSV_COLUMNS = (
    *("control", "status", "edition", "migration", "from_2013", "from_statuses", "rule"),
    *("review", "reasons"),
)


def migration_csv(migration: Migration) -> str:
    """The migrated SoA as CSV (RFC 4180, ``\\r\\n``-free: one ``\\n`` per row).

    One row per 2022 control (then clause, written ``clause 9.2.1``); a control without a
    status is a comment row (``# A.5.7,not assessed,...``) that SoA readers skip.
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(_CSV_COLUMNS)
    for c in migration.controls:
        ref = c.ref if c.kind == "control" else f"clause {c.ref}"
        w.writerow(
            (
                ref if c.status is not None else f"# {ref}",
                c.status if c.status is not None else "not assessed",
                "2022",
                c.origin,
                "; ".join(s.ref for s in c.sources),
                "; ".join(f"{s.ref} {s.status or 'not in SoA'}" for s in c.sources),
                c.rule,
                "yes" if c.review else "",
                "; ".join(c.reasons),
            )
        )
    return out.getvalue()
