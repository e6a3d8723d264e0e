"""Read a Statement of Applicability (SoA; Dutch: Verklaring van Toepasselijkheid, VvT).

Two forms are accepted:

* CSV (comma, semicolon or tab separated) with a header row that has a ``control``
  column and, optionally, a ``status`` column. Other columns are ignored.
* A plain list: one control id per line (a first line ``control`` is a header and
  is skipped). ``#`` starts a comment; blank lines are
  skipped. Every listed control counts as ``implemented``.

Statuses (case-insensitive; spaces and hyphens count as ``_``): ``implemented``,
``partially_implemented``, ``planned``, ``not_applicable``; an empty status cell means
``implemented``. See :data:`bio2map.catalog.catalog.IMPLEMENTATION_STATUSES` for what each
counts as.

Every problem is reported at once, each with file, line and field: a binary or
non-UTF-8 file, a header without a ``control`` column, an empty SoA, an unknown
status, an unknown or ambiguous control id (with the closest known ids), an id with a
control character. Nothing is dropped silently, and nothing takes long: each distinct id
is resolved once, an unknown id is reported once with the number of lines that list it,
close matches are computed for the first 20 unknown ids, and after 100 unknown ids the
rest of the file is counted rather than checked. The file is opened by
:mod:`bio2map.core.userfiles` (``-`` for standard input, at most 10 MiB; UTF-8, or
UTF-16/32 with a byte order mark).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os
from typing import TYPE_CHECKING

import attrs

from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import Suggester, control_character, has_reading
from bio2map.core.userfiles import SOA, allow_csv_fields, check_path, decode_text, read_user_bytes

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["SoaEntry", "StatementOfApplicability", "parse_soa", "read_soa"]

_STATUSES = ("implemented", "partially_implemented", "planned", "not_applicable")
_STATUS_ALIASES = {
    "": "implemented",
    "yes": "implemented",
    "ja": "implemented",
    "done": "implemented",
    "partial": "partially_implemented",
    "partially": "partially_implemented",
    "deels": "partially_implemented",
    "gedeeltelijk": "partially_implemented",
    "in_progress": "partially_implemented",
    "gepland": "planned",
    "no": "planned",
    "nee": "planned",
    "n/a": "not_applicable",
    "na": "not_applicable",
    "not_applicable": "not_applicable",
    "niet_van_toepassing": "not_applicable",
}
_RANK = {"implemented": 3, "partially_implemented": 2, "planned": 1, "not_applicable": 0}
_CONTROL_SCHEMES = ("iso27002", "iso27001")
_MAX_PROBLEMS = 100
"""Unknown ids listed before the reader stops checking (the rest are counted)."""
_MAX_SUGGESTED = 20
"""Unknown ids that get close-match suggestions (they cost milliseconds each)."""
_MAX_REPEAT_WARNINGS = 20
"""Ids listed more than once that get a warning line of their own."""


@attrs.frozen
class SoaEntry:
    """One line of an SoA: where it stands, what it says and what it means."""

    line: int
    raw: str
    status: str
    id: str = ""


@attrs.frozen
class StatementOfApplicability:
    """A parsed SoA. ``entries`` keep file order; ``as_mapping`` feeds ``coverage``."""

    source: str
    entries: tuple[SoaEntry, ...]
    warnings: tuple[str, ...] = ()

    def as_mapping(self) -> dict[str, str]:
        """Control id (canonical if resolved, else as written) -> status.

        A control listed twice keeps its stronger status.
        """
        out: dict[str, str] = {}
        for e in self.entries:
            key = e.id or e.raw
            if key not in out or _RANK[e.status] > _RANK[out[key]]:
                out[key] = e.status
        return out


def _status(raw: str) -> str | None:
    s = raw.strip().lower().replace(" ", "_").replace("-", "_")
    if s in _STATUSES:
        return s
    return _STATUS_ALIASES.get(s)


def _show(raw: str) -> str:
    return repr(raw) if len(raw) <= 60 else f"{raw[:60]!r}… ({len(raw)} characters)"


def _rows(text: str, source: str) -> list[tuple[int, str, str]]:
    """(line, id as written, status) for every SoA line; every problem at once."""
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
    rows: list[tuple[int, str, str]] = []
    if delim is not None:
        allow_csv_fields(SOA.limit)  # a cell may be as long as the file
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
                        "the header row has no 'control' column (columns: "
                        f"{', '.join(header)[:300]})",
                    )
                ],
            )
        ci = header.index("control")
        si = header.index("status") if "status" in header else None
        try:
            for n, row in enumerate(reader, start=head_i + 2):
                if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                    continue
                raw = row[ci].strip() if ci < len(row) else ""
                if not raw:
                    errors.append(DataError(source, f"line {n}", "control", "empty control cell"))
                    continue
                status_raw = row[si] if si is not None and si < len(row) else ""
                status = _status(status_raw)
                if status is None:
                    errors.append(
                        DataError(
                            source,
                            f"line {n}",
                            "status",
                            f"unknown status {_show(status_raw.strip())}; use one of "
                            + ", ".join(_STATUSES),
                        )
                    )
                    if len(errors) >= _MAX_PROBLEMS:
                        break
                    continue
                rows.append((n, raw, status))
        except csv.Error as e:
            where = f"line {head_i + reader.line_num}"
            errors.append(DataError(source, where, "", f"not valid CSV: {e}"))
    else:
        skip = head_i if head.strip().lower() == "control" else -1  # a one-column CSV
        for n, ln in enumerate(lines, start=1):
            raw = ln.split("#", 1)[0].strip()
            if raw and n - 1 != skip:
                rows.append((n, raw, "implemented"))
    if errors:
        msg = "problems in the SoA"
        raise DataErrorGroup(msg, errors)
    if not rows:
        msg = "empty SoA"
        raise DataErrorGroup(msg, [DataError(source, "", "control", "no control ids in the file")])
    return rows


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
    rows = _rows(text, source)
    return StatementOfApplicability(
        source=source, entries=tuple(SoaEntry(line=n, raw=raw, status=st) for n, raw, st in rows)
    )


class _Problem:
    """An id that names no control: where it is first and how often it is listed."""

    __slots__ = ("count", "line", "message")

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        self.count = 1


def read_soa(path: str | os.PathLike[str], catalog: Catalog) -> StatementOfApplicability:
    """Read an SoA file and resolve every id against ``catalog``.

    ``path`` may be ``-`` (standard input) or a pipe such as ``<(cmd)``; see
    :mod:`bio2map.core.userfiles` for what is refused (folders, devices, named pipes,
    files over 10 MiB). Each distinct unknown id is reported once, at its first line,
    with how often it is listed; after 100 of them the rest of the file is counted, not
    checked. An id listed more than once gives one warning.

    Raises:
        TypeError: ``path`` is not a path or ``catalog`` not a catalog.
        DataErrorGroup: the file cannot be read, or any line is wrong (each unknown id
            with the closest known ids).
    """
    source = check_path(path, "path")
    _check_catalog(catalog)
    try:
        name, data = read_user_bytes(source, SOA)
        text = decode_text(data, name, SOA)
    except DataError as e:
        msg = "cannot read the SoA"
        raise DataErrorGroup(msg, [e]) from None
    rows = _rows(text, name)
    known = catalog._raw
    suggest: Suggester | None = None
    ok: dict[str, str] = {}
    bad: dict[str, _Problem] = {}
    unchecked = 0
    resolved: list[SoaEntry] = []
    seen: dict[str, list[int]] = {}  # id -> [first line, count, second line, last line]
    for n, raw, status in rows:
        cid = ok.get(raw)
        if cid is None:
            problem = bad.get(raw)
            if problem is not None:
                problem.count += 1
                continue
            if len(bad) >= _MAX_PROBLEMS:
                unchecked += 1
                continue
            message = None
            ch = control_character(raw)
            if ch is not None:
                message = f"the id {_show(raw)} holds the control character U+{ord(ch):04X}"
            elif has_reading(raw, known, _CONTROL_SCHEMES):
                try:  # an id or an ambiguous one: resolve() computes no suggestions here
                    cid = catalog.resolve(raw, _CONTROL_SCHEMES, "control")
                except UnknownIdError as err:
                    message = str(err)
            else:
                hints: tuple[str, ...] = ()
                if len(bad) < _MAX_SUGGESTED:
                    suggest = suggest or Suggester(known, _CONTROL_SCHEMES)
                    hints = suggest(raw)
                message = str(UnknownIdError(raw, hints, "control"))
            if message is not None or cid is None:
                bad[raw] = _Problem(n, message or "unknown control id")
                continue
            ok[raw] = cid
        resolved.append(SoaEntry(line=n, raw=raw, status=status, id=cid))
        where = seen.get(cid)
        if where is None:
            seen[cid] = [n, 1, 0, n]
        else:
            where[1] += 1
            if where[1] == 2:
                where[2] = n
            where[3] = n
    if bad:
        errors = [
            DataError(
                name,
                f"line {p.line}",
                "control",
                p.message + (f" (listed {p.count} times)" if p.count > 1 else ""),
            )
            for p in bad.values()
        ]
        if unchecked:
            errors.append(
                DataError(
                    name,
                    "",
                    "control",
                    f"and {unchecked} more lines not checked (stopped after {_MAX_PROBLEMS} "
                    "unknown ids)",
                )
            )
        msg = "unknown control ids in the SoA"
        raise DataErrorGroup(msg, errors)
    return StatementOfApplicability(
        source=source, entries=tuple(resolved), warnings=_repeats(name, seen)
    )


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
