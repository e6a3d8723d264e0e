"""Read a Statement of Applicability (SoA; Dutch: Verklaring van Toepasselijkheid, VvT).

Two forms are accepted:

* CSV (comma, semicolon or tab separated) with a header row that has a ``control``
  column and, optionally, these (header names are case and accent insensitive):

  - ``status``: any spelling of :data:`bio2map.core.soa.STATUS_WORDS` (``implemented``,
    ``partial``, ``planned``, ``not-implemented``, ``not-applicable``, in English or
    Dutch: ``deels``, ``n.v.t.``, ...); an empty cell means ``implemented``;
  - ``justification`` (or ``rationale``, ``reason``, ``toelichting``, ``motivering``,
    ``onderbouwing``, ``reden``): carried to every output of the coverage;
  - ``kind`` (or ``type``, ``soort``): ``control`` or ``clause``, which says how to read
    an id such as ``6.2`` that is both an ISO/IEC 27001 clause and an Annex A control.

  Other columns are ignored.
* A plain list: one control id per line (a first line ``control`` is a header and
  is skipped). ``#`` starts a comment; blank lines are
  skipped. Every listed control counts as ``implemented``.

Every problem is reported at once, each with file, line and field: a binary or
non-UTF-8 file, a header without a ``control`` column, an empty SoA, an unknown
status (with the accepted words), an unknown kind, an unknown id (with the closest known
ids), a bare id that is both a clause and a control (with both readings and how to write
each). Nothing is dropped silently.

The model (:class:`~bio2map.core.soa.SoaEntry`,
:class:`~bio2map.core.soa.StatementOfApplicability`) and the vocabulary live in
:mod:`bio2map.core.soa`; this module reads files.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os
import sys

from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["SoaEntry", "StatementOfApplicability", "parse_soa", "read_soa"]

_COLUMNS = {
    "status": ("status",),
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
_STDIN = "<stdin>"
_MAX_BYTES = 10 * 1024 * 1024


def _decode(data: bytes, source: str) -> str:
    if len(data) > _MAX_BYTES:
        msg = "cannot read the SoA"
        raise DataErrorGroup(
            msg,
            [
                DataError(
                    source, "", "", f"file is {len(data)} bytes; an SoA may be at most {_MAX_BYTES}"
                )
            ],
        )
    if b"\x00" in data[:8192]:
        msg = "cannot read the SoA"
        raise DataErrorGroup(
            msg,
            [
                DataError(
                    source,
                    "",
                    "",
                    "binary file (NUL bytes); expected CSV or a text list of control ids",
                )
            ],
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        msg = "cannot read the SoA"
        raise DataErrorGroup(
            msg,
            [
                DataError(
                    source,
                    f"line {line}",
                    "",
                    f"not UTF-8 text (byte {e.start}); save the file as UTF-8",
                )
            ],
        ) from None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if h in names), None)


def parse_soa(text: str, *, source: str = "<string>") -> StatementOfApplicability:
    """Parse SoA text into entries (ids as written; not checked against a catalog).

    Raises:
        DataErrorGroup: every problem found, each with line and field.
    """
    lines = text.splitlines()
    first = next(
        ((i, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")),
        None,
    )
    if first is None:
        msg = "empty SoA"
        raise DataErrorGroup(msg, [DataError(source, "", "control", "no control ids in the file")])
    head_i, head = first
    delim = next((d for d in (",", ";", "\t") if d in head), None)
    errors: list[DataError] = []
    entries: list[SoaEntry] = []
    if delim is not None:
        reader = csv.reader(io.StringIO("\n".join(lines[head_i:])), delimiter=delim)
        header = [h.strip().lower() for h in next(reader)]
        if "control" not in header:
            msg = "bad SoA header"
            raise DataErrorGroup(
                msg,
                [
                    DataError(
                        source,
                        f"line {head_i + 1}",
                        "control",
                        f"the header row has no 'control' column (columns: {', '.join(header)})",
                    )
                ],
            )
        ci = header.index("control")
        folded = [fold(h) for h in header]
        si, ji, ki = (_column(folded, _COLUMNS[c]) for c in ("status", "justification", "kind"))

        def cell(row: list[str], i: int | None) -> str:
            return row[i].strip() if i is not None and i < len(row) else ""

        for n, row in enumerate(reader, start=head_i + 2):
            if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            raw = cell(row, ci)
            if not raw:
                errors.append(DataError(source, f"line {n}", "control", "empty control cell"))
                continue
            try:
                status = normalize_status(cell(row, si))
            except UnknownStatusError as e:
                errors.append(
                    DataError(
                        source,
                        f"line {n}",
                        "status",
                        f"unknown status {e.value[:60]!r}; use one of: {accepted_statuses()} "
                        "(case and accents do not matter)",
                    )
                )
                continue
            kind = normalize_kind(cell(row, ki))
            if kind is None:
                errors.append(
                    DataError(
                        source,
                        f"line {n}",
                        header[ki] if ki is not None else "kind",
                        f"unknown kind {cell(row, ki)[:60]!r}; write control (an Annex A "
                        "control) or clause (an ISO 27001 clause), or leave it empty",
                    )
                )
                continue
            entries.append(SoaEntry(n, raw, status, "", cell(row, ji), kind))
    else:
        skip = head_i if head.strip().lower() == "control" else -1  # a one-column CSV
        for n, ln in enumerate(lines, start=1):
            raw = ln.split("#", 1)[0].strip()
            if raw and n - 1 != skip:
                entries.append(SoaEntry(line=n, raw=raw, status="implemented"))
    if errors:
        msg = "problems in the SoA"
        raise DataErrorGroup(msg, errors)
    if not entries:
        msg = "empty SoA"
        raise DataErrorGroup(msg, [DataError(source, "", "control", "no control ids in the file")])
    return StatementOfApplicability(source=source, entries=tuple(entries))


def read_soa(
    path: str | os.PathLike[str], catalog: Catalog, *, ids: str | None = None
) -> StatementOfApplicability:
    """Read an SoA file (``-``: standard input) and resolve every id against ``catalog``.

    Args:
        path: the file.
        catalog: the catalog whose ids count.
        ids: how to read a bare id that is both an ISO/IEC 27001 clause and an Annex A
            control (``6.2``) on a line whose ``kind`` column does not say:
            ``"controls"`` or ``"clauses"``; None refuses such ids.

    Raises:
        DataErrorGroup: the file cannot be read, or any line is wrong (all are listed,
            each unknown id with the closest known ids, each ambiguous id with both
            readings and how to write each).
    """
    source = os.fspath(path)
    if source == "-":
        data = sys.stdin.buffer.read(_MAX_BYTES + 1)
        source = _STDIN
    else:
        try:
            with open(source, "rb") as f:  # noqa: PTH123 - str or PathLike both fine here
                data = f.read(_MAX_BYTES + 1)
        except OSError as e:
            msg = "cannot read the SoA"
            raise DataErrorGroup(msg, [DataError(source, "", "", e.strerror or str(e))]) from None
    soa = parse_soa(_decode(data, source), source=source)
    return _resolve_entries(soa, catalog, ids=ids)


def _resolve_entries(
    soa: StatementOfApplicability, catalog: Catalog, *, ids: str | None = None
) -> StatementOfApplicability:
    """``soa`` with every id resolved against ``catalog`` (see :func:`read_soa`).

    Raises:
        DataErrorGroup: every id that names no control or clause, or two.
    """
    source = soa.source
    errors: list[DataError] = []
    ambiguous = 0
    resolved: list[SoaEntry] = []
    seen: dict[str, SoaEntry] = {}
    warnings: list[str] = []
    for entry in soa.entries:
        where = f"line {entry.line}" if entry.line else ""
        try:
            cid = catalog.resolve_soa_id(entry.raw, kind=entry.kind or None, ids=ids)
        except AmbiguousSoaIdError as err:
            errors.append(DataError(source, where, "control", err.readings()))
            ambiguous += 1
            continue
        except UnknownIdError as err:
            errors.append(DataError(source, where, "control", str(err)))
            continue
        if cid in seen:
            warnings.append(
                f"{source}: {where}: {cid} is listed again (first on line "
                f"{seen[cid].line}); the stronger status counts"
            )
        seen.setdefault(cid, entry)
        resolved.append(entry.resolved(cid))
    if errors:
        if ambiguous:
            errors.append(DataError(source, "", "", f"or {SAY_WHICH}"))
        if not ambiguous:
            msg = "unknown control ids in the SoA"
        elif ambiguous == len(errors) - 1:
            msg = "ids in the SoA that are both an ISO 27001 clause and an Annex A control"
        else:
            msg = "unknown ids, and ids that are both a clause and a control, in the SoA"
        raise DataErrorGroup(msg, errors)
    return StatementOfApplicability(
        source=source, entries=tuple(resolved), warnings=tuple(warnings)
    )
