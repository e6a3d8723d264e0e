"""Read a Statement of Applicability (SoA; Dutch: Verklaring van Toepasselijkheid, VvT).

Two forms are accepted:

* CSV (comma, semicolon or tab separated) with a header row that has a ``control``
  column (or ``control id``, ``id``, ``controle``, ``nr``, ``nummer``: the first of these
  the header has) and, optionally, these (header names are case and accent insensitive):

  - ``status`` (or ``implementation status``, ``implementatiestatus``): any spelling of
    :data:`bio2map.core.soa.STATUS_WORDS` (``implemented``, ``partial``, ``planned``,
    ``not-implemented``, ``not-applicable``, in English or Dutch: ``deels``, ``n.v.t.``,
    ...); an empty cell means ``implemented``;
  - ``justification`` (or ``rationale``, ``reason``, ``toelichting``, ``motivering``,
    ``onderbouwing``, ``reden``): carried to every output of the coverage;
  - ``kind`` (or ``type``, ``soort``): ``control`` or ``clause``, which says how to read
    an id such as ``6.2`` that is both an ISO/IEC 27001 clause and an Annex A control.

  Other columns are ignored.
* A plain list: one control id per line (a first line ``control``, ``id``, ... is a
  header and is skipped). ``#`` starts a comment; blank lines are
  skipped. Every listed control counts as ``implemented``.

Every problem is reported at once, each with file, line and field: a binary or
non-UTF-8 file, a header without a ``control`` column, an empty SoA, an unknown
status (with the accepted words), an unknown kind, an unknown id (with the closest known
ids), a bare id that is both a clause and a control (with both readings and how to write
each), an id with a control character. Nothing is dropped silently, and nothing takes
long: each distinct id is resolved once, an unknown id is reported once with the number of
lines that list it, and after 100 unknown ids the rest of the file is counted rather than
checked. The file is opened by :mod:`bio2map.core.userfiles` (``-`` for standard input,
``<(cmd)`` pipes, at most 10 MiB; UTF-8, or UTF-16/32 with a byte order mark).

The model (:class:`~bio2map.core.soa.SoaEntry`,
:class:`~bio2map.core.soa.StatementOfApplicability`) and the vocabulary live in
:mod:`bio2map.core.soa`; this module reads files.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os

from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import control_character, has_reading
from bio2map.core.soa import (
    SAY_WHICH,
    AmbiguousSoaIdError,
    SoaEntry,
    StatementOfApplicability,
    UnknownStatusError,
    accepted_statuses,
    fold,
    normalize_kind,
    normalize_status,
)
from bio2map.core.userfiles import SOA, allow_csv_fields, check_path, decode_text, read_user_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["SoaEntry", "StatementOfApplicability", "parse_soa", "read_soa"]

_COLUMNS = {
    # folded (see core.soa.fold); the id column: the first of these the header has
    "control": ("control", "controlid", "id", "controle", "nr", "nummer"),
    "status": ("status", "implementationstatus", "implementatiestatus"),
    "justification": (
        "justification",
        "justificatie",
        "rationale",
        "reason",
        "toelichting",
        "motivering",
        "onderbouwing",
        "reden",
    ),
    "kind": ("kind", "type", "soort"),
}
_MAX_PROBLEMS = 100
"""Unknown ids listed before the reader stops checking (the rest are counted)."""
_MAX_SUGGESTED = 20
"""Unknown ids that get close-match suggestions (they cost milliseconds each)."""
_SCHEMES = ("iso27002", "iso27001")
_MAX_REPEAT_WARNINGS = 20
"""Ids listed more than once that get a warning line of their own."""


def _show(raw: str) -> str:
    return repr(raw) if len(raw) <= 60 else f"{raw[:60]!r}… ({len(raw)} characters)"


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def parse_soa(text: str, *, source: str = "<string>") -> StatementOfApplicability:
    """Parse SoA text into entries (ids as written; not checked against a catalog).

    Raises:
        TypeError: ``text`` or ``source`` is not a str.
        DataErrorGroup: every problem found, each with line and field.
    """
    if not isinstance(text, str):
        msg = f"text must be a str, got {type(text).__name__}"
        raise TypeError(msg)
    if not isinstance(source, str):
        msg = f"source must be a str, got {type(source).__name__}"
        raise TypeError(msg)
    lines = text.splitlines()
    first = next(
        ((i, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")),
        None,
    )
    if first is None:
        raise _empty(source)
    head_i, head = first
    delim = next((d for d in (",", ";", "\t") if d in head), None)
    errors: list[DataError] = []
    if delim is not None:
        entries = _csv_entries(lines, head_i, delim, source, errors)
    else:
        entries = _listed_entries(lines, head_i, head)
    if errors:
        msg = "problems in the SoA"
        raise DataErrorGroup(msg, errors)
    if not entries:
        raise _empty(source)
    return StatementOfApplicability(source=source, entries=tuple(entries))


def _empty(source: str) -> DataErrorGroup:
    msg = "empty SoA"
    return DataErrorGroup(msg, [DataError(source, "", "control", "no control ids in the file")])


def _listed_entries(lines: list[str], head_i: int, head: str) -> list[SoaEntry]:
    """A plain list: one id per line, each implemented; a first line ``control`` (or
    another name of the id column) is a header."""
    skip = head_i if fold(head.strip().lower()) in _COLUMNS["control"] else -1
    entries = []
    for n, ln in enumerate(lines, start=1):
        raw = ln.split("#", 1)[0].strip()
        if raw and n - 1 != skip:
            entries.append(SoaEntry(line=n, raw=raw, status="implemented"))
    return entries


def _csv_entries(
    lines: list[str], head_i: int, delim: str, source: str, errors: list[DataError]
) -> list[SoaEntry]:
    """The entries of a CSV SoA whose header is line ``head_i``; problems go to ``errors``."""
    allow_csv_fields(SOA.limit)  # a cell may be as long as the file
    reader = csv.reader(io.StringIO("\n".join(lines[head_i:])), delimiter=delim)
    header = [h.strip().lower() for h in next(reader)]
    folded = [fold(h) for h in header]
    ci = next((folded.index(n) for n in _COLUMNS["control"] if n in folded), None)
    if ci is None:
        msg = "bad SoA header"
        raise DataErrorGroup(
            msg,
            [
                DataError(
                    source,
                    f"line {head_i + 1}",
                    "control",
                    "the header row has no 'control' column (or 'control id', 'id', "
                    f"'controle', 'nr', 'nummer'; columns: {', '.join(header)[:300]})",
                )
            ],
        )
    si, ji, ki = (_column(folded, _COLUMNS[c]) for c in ("status", "justification", "kind"))
    kind_field = header[ki] if ki is not None else "kind"
    entries: list[SoaEntry] = []
    for n, row in enumerate(reader, start=head_i + 2):
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        entry = _row_entry(n, row, (ci, si, ji, ki), kind_field, source, errors)
        if entry is not None:
            entries.append(entry)
    return entries


def _row_entry(
    n: int,
    row: list[str],
    columns: tuple[int, int | None, int | None, int | None],
    kind_field: str,
    source: str,
    errors: list[DataError],
) -> SoaEntry | None:
    """One CSV row (line ``n``) as an entry, or None with its problem added to ``errors``."""

    def cell(i: int | None) -> str:
        return row[i].strip() if i is not None and i < len(row) else ""

    def problem(field: str, message: str) -> None:
        errors.append(DataError(source, f"line {n}", field, message))

    ci, si, ji, ki = columns
    raw = cell(ci)
    if not raw:
        problem("control", "empty control cell")
        return None
    try:
        status = normalize_status(cell(si))
    except UnknownStatusError as e:
        problem(
            "status",
            f"unknown status {e.value[:60]!r}; use one of: {accepted_statuses()} "
            "(case and accents do not matter)",
        )
        return None
    kind = normalize_kind(cell(ki))
    if kind is None:
        problem(
            kind_field,
            f"unknown kind {cell(ki)[:60]!r}; write control (an Annex A control) or clause "
            "(an ISO 27001 clause), or leave it empty",
        )
        return None
    return SoaEntry(n, raw, status, "", cell(ji), kind)


def read_soa(
    path: str | os.PathLike[str], catalog: Catalog, *, ids: str | None = None
) -> StatementOfApplicability:
    """Read an SoA file and resolve every id against ``catalog``.

    Args:
        path: the file; ``-`` (standard input) or a pipe such as ``<(cmd)`` too. See
            :mod:`bio2map.core.userfiles` for what is refused (folders, devices, named
            pipes, files over 10 MiB).
        catalog: the catalog whose ids count.
        ids: how to read a bare id that is both an ISO/IEC 27001 clause and an Annex A
            control (``6.2``) on a line whose ``kind`` column does not say:
            ``"controls"`` or ``"clauses"``; None refuses such ids.

    Raises:
        TypeError: ``path`` is not a path or ``catalog`` not a catalog.
        DataErrorGroup: the file cannot be read, or any line is wrong (all are listed,
            each unknown id once with the closest known ids and how often it is listed,
            each ambiguous id with both readings and how to write each).
    """
    source = check_path(path, "path")
    _check_catalog(catalog)
    try:
        name, data = read_user_bytes(source, SOA)
        text = decode_text(data, name, SOA)
    except DataError as e:
        msg = "cannot read the SoA"
        raise DataErrorGroup(msg, [e]) from None
    soa = parse_soa(text, source=name)
    return _resolve_entries(soa, catalog, ids=ids)


class _Problem:
    """An id that names no control: where it is first and how often it is listed."""

    __slots__ = ("ambiguous", "count", "line", "message")

    def __init__(self, line: int, message: str, ambiguous: bool = False) -> None:
        self.line = line
        self.message = message
        self.ambiguous = ambiguous
        self.count = 1


def _resolve_entries(
    soa: StatementOfApplicability, catalog: Catalog, *, ids: str | None = None
) -> StatementOfApplicability:
    """``soa`` with every id resolved against ``catalog`` (see :func:`read_soa`).

    Each distinct (id, kind) is resolved once; after 100 problems the rest is counted.

    Raises:
        DataErrorGroup: every id that names no control or clause, or two.
    """
    source = soa.source
    known = catalog._raw
    ok: dict[tuple[str, str], str] = {}
    bad: dict[tuple[str, str], _Problem] = {}
    unchecked = 0
    resolved: list[SoaEntry] = []
    seen: dict[str, list[int]] = {}  # id -> [first line, count, second line, last line]
    for entry in soa.entries:
        key = (entry.raw, entry.kind or "")
        cid = ok.get(key)
        if cid is None:
            problem = bad.get(key)
            if problem is not None:
                problem.count += 1
                continue
            if len(bad) >= _MAX_PROBLEMS:
                unchecked += 1
                continue
            ch = control_character(entry.raw)
            if ch is not None:
                message = f"the id {_show(entry.raw)} holds the control character U+{ord(ch):04X}"
                bad[key] = _Problem(entry.line, message)
                continue
            if len(bad) >= _MAX_SUGGESTED and not has_reading(entry.raw, known, _SCHEMES):
                # close matches cost milliseconds: the first 20 unknown ids get them
                bad[key] = _Problem(entry.line, str(UnknownIdError(entry.raw, (), "control")))
                continue
            try:
                cid = catalog.resolve_soa_id(entry.raw, kind=entry.kind or None, ids=ids)
            except AmbiguousSoaIdError as err:
                bad[key] = _Problem(entry.line, err.readings(), ambiguous=True)
                continue
            except UnknownIdError as err:
                bad[key] = _Problem(entry.line, str(err))
                continue
            ok[key] = cid
        resolved.append(entry.resolved(cid))
        where = seen.get(cid)
        if where is None:
            seen[cid] = [entry.line, 1, 0, entry.line]
        else:
            where[1] += 1
            if where[1] == 2:
                where[2] = entry.line
            where[3] = entry.line
    if bad:
        raise _problems(source, bad, unchecked)
    return StatementOfApplicability(
        source=source, entries=tuple(resolved), warnings=_repeats(source, seen)
    )


def _problems(source: str, bad: dict[tuple[str, str], _Problem], unchecked: int) -> DataErrorGroup:
    errors = [
        DataError(
            source,
            f"line {p.line}" if p.line else "",
            "control",
            p.message + (f" (listed {p.count} times)" if p.count > 1 else ""),
        )
        for p in bad.values()
    ]
    ambiguous = sum(1 for p in bad.values() if p.ambiguous)
    if unchecked:
        errors.append(
            DataError(
                source,
                "",
                "control",
                f"and {unchecked} more lines not checked (stopped after {_MAX_PROBLEMS} "
                "unknown ids)",
            )
        )
    if ambiguous:
        errors.append(DataError(source, "", "", f"or {SAY_WHICH}"))
    if not ambiguous:
        msg = "unknown control ids in the SoA"
    elif ambiguous == len(bad):
        msg = "ids in the SoA that are both an ISO 27001 clause and an Annex A control"
    else:
        msg = "unknown ids, and ids that are both a clause and a control, in the SoA"
    return DataErrorGroup(msg, errors)


def _repeats(name: str, seen: dict[str, list[int]]) -> tuple[str, ...]:
    """One warning per id listed more than once (at most 20, then a count)."""
    repeated = sorted((w[2], cid, w) for cid, w in seen.items() if w[1] > 1)
    warnings = []
    for second, cid, (first, count, _, last) in repeated[:_MAX_REPEAT_WARNINGS]:
        more = f"; {count} times in all, the last on line {last}" if count > 2 else ""
        warnings.append(
            f"{name}: line {second}: {cid} is listed again (first on line {first}{more}); "
            "the stronger status counts"
        )
    if len(repeated) > _MAX_REPEAT_WARNINGS:
        warnings.append(
            f"{name}: and {len(repeated) - _MAX_REPEAT_WARNINGS} more control ids are listed "
            "more than once; the stronger status counts"
        )
    return tuple(warnings)


def _check_catalog(catalog: object) -> None:
    from bio2map.catalog.catalog import Catalog

    if not isinstance(catalog, Catalog):
        msg = f"catalog must be a bio2map Catalog, got {type(catalog).__name__}"
        raise TypeError(msg)
