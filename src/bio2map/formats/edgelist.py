"""Every mapping edge as CSV (``bio2map export --format csv``).

Columns: ``source,target,relationship,kind,basis,dataset,sources``; one row per
:class:`~bio2map.Mapping` (the hierarchy of each framework is in the JSON and GraphML
exports, as ``part_of`` edges). Rows are sorted by source, target (canonical order:
scheme, then numerically) and the other columns. ``sources`` is a list: items joined
with ``;``, a ``;`` or ``\\`` inside an item escaped with ``\\``
(:func:`~bio2map.formats.export.split_list` reverses it). RFC 4180 quoting, ``\\n`` line
ends, UTF-8, no byte-order mark. A cell that a spreadsheet would run as a formula (one
from a user layer that starts with ``=``, ``+``, ``-`` or ``@``) starts with ``'``
(:func:`~bio2map.formats.common.defuse`); :func:`read_csv` takes it off again.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Final

from bio2map.formats.common import defuse, join_list, mapping_order, restore, split_list

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Mapping

__all__ = ["CSV_COLUMNS", "export_csv", "read_csv"]

CSV_COLUMNS: Final = ("source", "target", "relationship", "kind", "basis", "dataset", "sources")
"""The header of :func:`export_csv`."""


def export_csv(catalog: Catalog) -> str:
    """Every mapping edge of the catalog as deterministic CSV text.

    Examples:
        >>> import bio2map
        >>> export_csv(bio2map.load("1.3")).splitlines()[0]
        'source,target,relationship,kind,basis,dataset,sources'

    .. versionadded:: 0.1.0
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for m in sorted(catalog.mappings, key=mapping_order):
        row = (m.source, m.target, m.relationship, m.kind, m.basis, m.dataset, join_list(m.sources))
        w.writerow([defuse(c) for c in row])
    return buf.getvalue()


def read_csv(text: str) -> tuple[Mapping, ...]:
    """Read :func:`export_csv` output back into :class:`~bio2map.Mapping` records.

    Raises:
        ValueError: the header is not :data:`CSV_COLUMNS`, or a row has another
            number of fields (the message gives the line).

    .. versionadded:: 0.1.0
    """
    from bio2map.core.records import Mapping

    rows = csv.reader(io.StringIO(text))
    header = tuple(next(rows, ()))
    if header != CSV_COLUMNS:
        msg = f"CSV header must be {','.join(CSV_COLUMNS)!r} (got {','.join(header)!r})"
        raise ValueError(msg)
    out = []
    for r in rows:
        if not r:
            continue
        if len(r) != len(CSV_COLUMNS):
            msg = f"CSV line {rows.line_num}: expected {len(CSV_COLUMNS)} fields, got {len(r)}"
            raise ValueError(msg)
        source, target, relationship, kind, basis, dataset, sources = map(restore, r)
        out.append(
            Mapping(
                source=source,
                target=target,
                relationship=relationship,
                kind=kind,
                basis=basis,
                dataset=dataset,
                sources=split_list(sources),
            )
        )
    return tuple(out)
