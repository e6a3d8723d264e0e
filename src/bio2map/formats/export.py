"""Exports of a catalog in standard formats, byte-stable.

==================  =========================================================
format              what (function)
==================  =========================================================
``json``            the graph as networkx node-link JSON (:func:`export_json`)
``graphml``         the graph as GraphML for networkx, Gephi and yEd
                    (:func:`export_graphml`)
``csv``             every mapping edge, one per row (:func:`export_csv`)
``sssom``           every mapping layer as an SSSOM mapping set
                    (:func:`export_sssom`)
``oscal``           the BIO2 draft as an OSCAL catalog (:func:`export_oscal`)
``oscal-mapping``   the ENISA mapping as an OSCAL mapping collection
                    (:func:`export_oscal_mapping`)
``ciso-assistant``  the BIO2 draft as a CISO Assistant library
                    (:func:`export_ciso_assistant`)
==================  =========================================================

Every export is a ``str`` that depends on the catalog only: sorted nodes and edges,
no timestamps (dates come from the data), UUIDs derived from ids, a final newline.
Exports hold what the catalog holds (ids, short titles and labels, relationships,
tags, provenance); BIO2 measure texts appear in the OSCAL and CISO Assistant exports
only when the user attached them (:meth:`Catalog.attach_texts
<bio2map.Catalog.attach_texts>`).

Readers for round trips: :func:`read_csv`, :func:`read_sssom`,
:func:`read_sssom_mappings`, :func:`split_list` (lists in GraphML, CSV and SSSOM
cells); the JSON loads with ``networkx.node_link_graph(data, edges="edges")`` and the
GraphML with ``networkx.read_graphml(path, force_multigraph=True)``.

Importing this package reads no file and imports no networkx.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from bio2map.formats.ciso_export import export_ciso_assistant
from bio2map.formats.common import BASE_URI, ID_PREFIXES, join_list, split_list
from bio2map.formats.edgelist import CSV_COLUMNS, export_csv, read_csv
from bio2map.formats.graphml import export_graphml
from bio2map.formats.nodelink import export_json, node_link_data
from bio2map.formats.oscal import (
    OSCAL_NAMESPACE,
    OSCAL_VERSION,
    export_oscal,
    export_oscal_mapping,
)
from bio2map.formats.sssom import (
    SSSOM_COLUMNS,
    export_sssom,
    read_sssom,
    read_sssom_mappings,
)

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = [
    "BASE_URI",
    "CSV_COLUMNS",
    "EXPORTERS",
    "FORMATS",
    "ID_PREFIXES",
    "OSCAL_NAMESPACE",
    "OSCAL_VERSION",
    "SSSOM_COLUMNS",
    "export",
    "export_ciso_assistant",
    "export_csv",
    "export_graphml",
    "export_json",
    "export_oscal",
    "export_oscal_mapping",
    "export_sssom",
    "join_list",
    "node_link_data",
    "read_csv",
    "read_sssom",
    "read_sssom_mappings",
    "split_list",
]

EXPORTERS: Final[dict[str, Callable[[Catalog], str]]] = {
    "graphml": export_graphml,
    "json": export_json,
    "csv": export_csv,
    "sssom": export_sssom,
    "oscal": export_oscal,
    "oscal-mapping": export_oscal_mapping,
    "ciso-assistant": export_ciso_assistant,
}
"""Format name -> export function."""

FORMATS: Final = tuple(EXPORTERS)
"""The format names :func:`export` takes (``bio2map export --format``)."""


def export(catalog: Catalog, fmt: str) -> str:
    """Export ``catalog`` in format ``fmt`` (one of :data:`FORMATS`).

    Examples:
        >>> import bio2map
        >>> export(bio2map.load("1.3"), "csv").splitlines()[0]
        'source,target,relationship,kind,basis,dataset,sources'

    Raises:
        ValueError: ``fmt`` is not a known format (the message suggests close ones).

    .. versionadded:: 0.1.0
    """
    func = EXPORTERS.get(fmt)
    if func is None:
        msg = f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}"
        close = difflib.get_close_matches(str(fmt), FORMATS, n=1)
        if close:
            msg += f" (did you mean {close[0]!r}?)"
        raise ValueError(msg)
    return func(catalog)


def __dir__() -> list[str]:
    return list(__all__)
