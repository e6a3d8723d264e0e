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
status, an unknown or ambiguous control id (with the closest known ids). Nothing is
dropped silently.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os
from typing import TYPE_CHECKING

import attrs

from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError

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
_MAX_BYTES = 10 * 1024 * 1024


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
        si = header.index("status") if "status" in header else None
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
                        f"unknown status {status_raw.strip()!r}; use one of "
                        + ", ".join(_STATUSES),
                    )
                )
                continue
            entries.append(SoaEntry(line=n, raw=raw, status=status))
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


def read_soa(path: str | os.PathLike[str], catalog: Catalog) -> StatementOfApplicability:
    """Read an SoA file and resolve every id against ``catalog``.

    Raises:
        DataErrorGroup: the file cannot be read, or any line is wrong (all are listed,
            each unknown id with the closest known ids).
    """
    source = os.fspath(path)
    try:
        with open(source, "rb") as f:  # noqa: PTH123 - str or PathLike both fine here
            data = f.read(_MAX_BYTES + 1)
    except OSError as e:
        msg = "cannot read the SoA"
        raise DataErrorGroup(msg, [DataError(source, "", "", e.strerror or str(e))]) from None
    soa = parse_soa(_decode(data, source), source=source)
    errors: list[DataError] = []
    resolved: list[SoaEntry] = []
    seen: dict[str, SoaEntry] = {}
    warnings: list[str] = []
    for entry in soa.entries:
        try:
            cid = catalog.resolve(entry.raw, ("iso27002", "iso27001"), "control")
        except UnknownIdError as err:
            errors.append(DataError(source, f"line {entry.line}", "control", str(err)))
            continue
        if cid in seen:
            warnings.append(
                f"{source}: line {entry.line}: {cid} is listed again (first on line "
                f"{seen[cid].line}); the stronger status counts"
            )
        seen.setdefault(cid, entry)
        resolved.append(attrs.evolve(entry, id=cid))
    if errors:
        msg = "unknown control ids in the SoA"
        raise DataErrorGroup(msg, errors)
    return StatementOfApplicability(
        source=source, entries=tuple(resolved), warnings=tuple(warnings)
    )
