"""A user mapping layer as the catalog takes it: validated nodes and edges.

The formats room reads layer files (:mod:`bio2map.formats.layers`) and hands
:class:`Layer` records to :meth:`bio2map.catalog.catalog.Catalog.with_layers`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from types import MappingProxyType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from bio2map.core.raw import RawEdge, RawNode

__all__ = ["Layer"]


class Layer:
    """A validated, immutable layer: its name, source, own nodes and edges.

    ``nodes`` is a read-only mapping and ``edges`` a tuple; setting an attribute raises
    ``AttributeError``.
    """

    __slots__ = ("edges", "name", "nodes", "source")

    name: str
    source: str
    nodes: Mapping[str, RawNode]
    edges: tuple[RawEdge, ...]

    def __init__(
        self, name: str, source: str, nodes: Mapping[str, RawNode], edges: Iterable[RawEdge]
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "nodes", MappingProxyType(dict(nodes)))
        object.__setattr__(self, "edges", tuple(edges))

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Layer is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Layer is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return f"<Layer {self.name!r}: {len(self.nodes)} nodes, {len(self.edges)} edges>"
