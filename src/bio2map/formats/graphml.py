"""The catalog graph as GraphML (``bio2map export --format graphml``).

Opens in networkx (``networkx.read_graphml(path, force_multigraph=True)``), Gephi and
yEd. Written by hand, so the bytes depend on the data only:

* one ``<key>`` per attribute name and element kind (ids ``g_<name>``, ``n_<name>``,
  ``e_<name>``), sorted by name; its type is ``boolean``, ``long``, ``double`` or
  ``string``, inferred from the values;
* nodes sorted by canonical id, edges by source, target and key (the same order and
  keys as the JSON export);
* GraphML has no list type, so tuples and lists are strings joined with ``;``, a ``;``
  or ``\\`` inside an item escaped with ``\\``; such keys say ``list`` in their
  ``<desc>``, and :func:`~bio2map.formats.export.split_list` turns the value back into a
  tuple;
* edges have no ``id`` (GraphML does not need one, and Gephi rejects repeated ids);
  the multigraph key is the ``key`` attribute, which networkx uses as the edge key;
* no timestamp; UTF-8; final newline.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from bio2map.formats.common import join_list
from bio2map.formats.nodelink import graph_attributes, graph_edges, graph_nodes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bio2map.catalog.catalog import Catalog

__all__ = ["LIST_DESCRIPTION", "export_graphml"]

LIST_DESCRIPTION: Final = (
    "list: items joined with ';' (a ';' or '\\' in an item is escaped with '\\')"
)
"""The ``<desc>`` of a GraphML key whose values are encoded lists."""

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str, *, attr: bool = False) -> str:
    text = _INVALID_XML.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
        text = text.replace("\r", "&#13;")
    return text


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, tuple | list):
        return "list"
    return "string"


def _types(dicts: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Attribute name -> GraphML kind (``list`` for encoded lists); mixed -> string."""
    out: dict[str, str] = {}
    for d in dicts:
        for name, value in d.items():
            if value is None:
                continue
            kind = _kind(value)
            prev = out.setdefault(name, kind)
            if prev != kind:
                out[name] = "string"
    return out


def _text(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "list":
        assert isinstance(value, tuple | list)
        return join_list(str(v) for v in value)
    if kind == "string" and isinstance(value, tuple | list):
        return join_list(str(v) for v in value)
    if kind == "string" and isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _key_lines(scope: str, prefix: str, types: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(types):
        kind = types[name]
        gtype = "string" if kind == "list" else kind
        head = (
            f'  <key id="{prefix}_{_xml(name, attr=True)}" for="{scope}" '
            f'attr.name="{_xml(name, attr=True)}" attr.type="{gtype}"'
        )
        if kind == "list":
            lines.append(f"{head}>")
            lines.append(f"    <desc>{_xml(LIST_DESCRIPTION)}</desc>")
            lines.append("  </key>")
        else:
            lines.append(f"{head}/>")
    return lines


def _data_lines(
    indent: str, prefix: str, attrs: dict[str, Any], types: dict[str, str]
) -> list[str]:
    return [
        f'{indent}<data key="{prefix}_{_xml(name, attr=True)}">'
        f"{_xml(_text(attrs[name], types[name]))}</data>"
        for name in sorted(attrs)
        if attrs[name] is not None
    ]


def export_graphml(catalog: Catalog) -> str:
    """The catalog graph as deterministic GraphML text (see the module docs).

    Examples:
        >>> import bio2map
        >>> text = export_graphml(bio2map.load("1.3"))
        >>> head = '<?xml version="1.0" encoding="UTF-8"?>'
        >>> text.startswith(head), text.endswith("</graphml>\\n")
        (True, True)

    .. versionadded:: 0.1.0
    """
    gattrs: dict[str, Any] = dict(graph_attributes(catalog))
    nodes = graph_nodes(catalog)
    edges = graph_edges(catalog)
    edge_attrs = [{**d, "key": k} for _, _, k, d in edges]
    gtypes = _types([gattrs])
    ntypes = _types(d for _, d in nodes)
    etypes = _types(edge_attrs)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        *_key_lines("graph", "g", gtypes),
        *_key_lines("node", "n", ntypes),
        *_key_lines("edge", "e", etypes),
        '  <graph id="bio2map" edgedefault="directed">',
        *_data_lines("    ", "g", gattrs, gtypes),
    ]
    for nid, attrs in nodes:
        out.append(f'    <node id="{_xml(nid, attr=True)}">')
        out.extend(_data_lines("      ", "n", attrs, ntypes))
        out.append("    </node>")
    for (u, v, _, _), attrs in zip(edges, edge_attrs, strict=True):
        out.append(f'    <edge source="{_xml(u, attr=True)}" target="{_xml(v, attr=True)}">')
        out.extend(_data_lines("      ", "e", attrs, etypes))
        out.append("    </edge>")
    out.extend(["  </graph>", "</graphml>"])
    return "\n".join(out) + "\n"
