"""A user mapping layer as the catalog takes it, and what each kind of layer edge means.

The formats room reads layer files (:mod:`bio2map.formats.layers`,
:mod:`bio2map.formats.ciso`) and hands :class:`Layer` records to
:meth:`bio2map.catalog.catalog.Catalog.with_layers`. Both readers turn every stated edge
into the edge the catalog keeps with one :class:`EdgeRules`, so a CSV layer and a CISO
Assistant library mean the same thing.

The rules (``docs/howto/own-mapping-layer.md`` has them as a table):

* **Ends.** An end is a layer's own node (``myorg:SUP-01``), a NIS2 or 2024/2690
  requirement, an ISO/IEC 27002:2022 control, an ISO/IEC 27001:2022 clause or a BIO2
  measure. Refused, with the reason: an ISO/IEC 27002 theme (link its controls), a BIO2
  marker (``no-measure``, ``moved``, ...), an ISO/IEC 27001:2013 id (link the 2022
  edition), a Cbw article and a node of the Cbw (NIS2) Control Framework (they reach
  controls through their NIS2 point).
* **Direction.** Edges point from the specific to the general side: own nodes, then the
  2024/2690 annex, then NIS2, then ISO. An edge stated the other way round
  (``A.8.5 skos:relatedMatch 21(2)(j)``) is kept turned round with the inverse
  relationship (``nis2:21.2.j intersects_with iso27002:8.5``): the same statement.
* **Kind.** An own node or annex requirement linked to a NIS2 requirement:
  ``implements``. A requirement (own, annex or NIS2) linked to a control: ``maps_to``;
  ``controls_for``, ``requirements_for``, coverage, ``gaps``, ``report`` and
  ``uncovered`` follow it. A requirement linked to another requirement (own to own,
  own to annex, annex to annex, NIS2 to NIS2): ``maps_to``, and a path goes on through
  the object's own controls.
* **Measures.** A BIO2 measure is a part of its ISO control, so an edge between a
  requirement (or own node) and a measure is kept as an edge to the measure's control
  with the relationship composed (``myorg:X equal bio2:5.19.01`` is kept as
  ``myorg:X subset_of iso27002:5.19``; its sources say which measure was named).
* **Side links.** An edge between two controls, or a measure and a control, or two
  measures (``relates_to``) says how controls overlap. It is kept as stated (graph,
  ``mappings``, exports, ``show``) and followed by no query: which controls serve a
  requirement comes from requirement -> control links only, so a side link can neither
  widen an answer nor move coverage.
* **not_related** edges are kept and followed by no query.
* **Refused**: an edge from a node to itself, an edge between a requirement and its own
  ancestor or descendant (the hierarchy says that already), and edges that make a cycle
  of requirement -> requirement paths (checked again when layers are merged, since a
  cycle may span layers). Every refusal names the file and line.
* **Labels** name a layer's own nodes; one own node has one label. A label given to a
  packaged id is not applied (packaged ids keep their label, so answers stay comparable):
  an SSSOM label is informational, and bio2map's own exports write the packaged labels.

Own nodes are answered both ways: ``controls_for("myorg:SUP-01")`` follows the node's
links to controls; ``requirements_for("myorg:SUP-01")``
(:func:`bio2map.catalog.own.own_requirements_doc`) lists the requirements it is linked
to and the requirements the controls it is linked to serve, with those controls in
``via``. Cycles and over-long chains are found by :mod:`bio2map.catalog.layer_checks`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from array import array
from types import MappingProxyType

from bio2map.core.ids import scheme_of
from bio2map.core.vocab import compose, invert

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Final

    from bio2map.core.raw import RawEdge, RawNode


__all__ = [
    "EDGE_KINDS",
    "EdgeRules",
    "Layer",
    "role",
]

EDGE_KINDS: Final = ("implements", "maps_to", "relates_to")
"""The kinds of edge a layer holds (see the module docstring)."""

_RANK: Final = {"own": 0, "ir2690": 1, "nis2": 2, "control": 3}
_CONTROL_PREFIXES: Final = ("iso27002:", "iso27001:")


class Layer:
    """A validated, immutable layer: its name, source, own nodes and edges.

    ``nodes`` is a read-only mapping and ``edges`` a tuple; ``lines`` gives, for each
    edge, the line of the file it was read from (0 when unknown), for messages about a
    cycle that only shows when layers are merged. Setting an attribute raises
    ``AttributeError``.
    """

    __slots__ = ("edges", "lines", "name", "nodes", "source")

    name: str
    source: str
    nodes: Mapping[str, RawNode]
    edges: tuple[RawEdge, ...]
    lines: Sequence[int]

    def __init__(
        self,
        name: str,
        source: str,
        nodes: Mapping[str, RawNode],
        edges: Iterable[RawEdge],
        lines: Iterable[int] = (),
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "nodes", MappingProxyType(dict(nodes)))
        object.__setattr__(self, "edges", tuple(edges))
        packed = lines if isinstance(lines, array) else array("l", lines)
        object.__setattr__(self, "lines", memoryview(packed).toreadonly())

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Layer is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Layer is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return f"<Layer {self.name!r}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def where(self, index: int) -> str:
        """Where edge ``index`` was stated: ``line 12``, or ``edge 3`` when unknown."""
        line = self.lines[index] if index < len(self.lines) else 0
        return f"line {line}" if line else f"edge {index + 1}"


# --- the rules ----------------------------------------------------------------------------


def role(cid: str, node: RawNode) -> tuple[str, str]:
    """What a node can be in a layer edge: ``(role, "")`` or ``("", why it cannot)``.

    Roles: ``own`` (a layer's node), ``ir2690``, ``nis2``, ``control`` (an ISO/IEC 27002
    control or ISO/IEC 27001 clause) and ``measure`` (a BIO2 measure).
    """
    record = node["record"]
    scheme = scheme_of(cid)
    if record == "Requirement":
        if scheme in ("nis2", "ir2690"):
            return scheme, ""
        if scheme == "cbw":
            return "", (
                f"{cid} is a Cbw article; it transposes NIS2, so link the NIS2 requirement instead"
            )
        if scheme == "cbwcf":
            return "", (
                f"{cid} is a node of the Cbw (NIS2) Control Framework, which reaches controls "
                "through the Art. 21(2) point of its theme; link that point instead"
            )
        return "own", ""
    kind = str(node.get("kind", ""))
    if record == "Control":
        if node.get("standard") == "iso27001-2013":
            return "", (
                f"{cid} is an ISO/IEC 27001:2013 id; a layer links the 2022 edition "
                f"(`bio2map show {cid}` names its successors)"
            )
        if kind == "theme":
            return "", f"{cid} is an ISO/IEC 27002 theme (a group of controls); link its controls"
        return "control", ""
    if kind == "measure":
        return "measure", ""
    return "", f"{cid} is a BIO2 {kind} marker, not a measure; link a measure or a control"


def _plan(rs: str, ro: str) -> tuple[bool, str]:
    """(turn round?, kind) for an edge between two roles other than ``measure``."""
    if rs == "control" and ro == "control":
        return False, "relates_to"
    swap = _RANK[rs] > _RANK[ro]
    a, b = (ro, rs) if swap else (rs, ro)
    if b == "nis2" and a in ("own", "ir2690"):
        return swap, "implements"
    return swap, "maps_to"


_PLANS: Final = {(a, b): _plan(a, b) for a in _RANK for b in _RANK}


class EdgeRules:
    """Turns a stated edge into the edge the catalog keeps, or says why it cannot.

    ``nodes`` holds every node an edge may name (the catalog's and the layer's own);
    :meth:`role_of` must have been asked about each end first (the readers do that
    when they resolve an id, so the reason comes with the id's line and column).
    """

    def __init__(self, nodes: Mapping[str, RawNode]) -> None:
        self.nodes = nodes
        self.roles: dict[str, str] = {}

    def role_of(self, cid: str) -> str:
        """The role of ``cid`` (see :func:`role`); raises ``ValueError`` with the reason."""
        r = self.roles.get(cid)
        if r is None:
            r, why = role(cid, self.nodes[cid])
            if why:
                raise ValueError(why)
            self.roles[cid] = r
        return r

    def edge(
        self, subject: str, rel: str, obj: str
    ) -> tuple[str, str, str, str, tuple[str, ...]] | str:
        """``(source, target, relationship, kind, extra sources)``, or why it is refused."""
        if subject == obj:
            return f"links {subject} to itself"
        rs, ro = self.roles[subject], self.roles[obj]
        extra: tuple[str, ...] = ()
        if rs == "measure" or ro == "measure":
            if rs in ("measure", "control") and ro in ("measure", "control"):
                return subject, obj, rel, "relates_to", ()
            # a measure is a part of its control: say it of the control
            if rs == "measure":
                extra = (f"stated for the BIO2 measure {subject}",)
                subject, rel, rs = self._control(subject), compose("superset_of", rel), "control"
            else:
                extra = (f"stated for the BIO2 measure {obj}",)
                obj, rel, ro = self._control(obj), compose(rel, "subset_of"), "control"
        swap, kind = _PLANS[(rs, ro)]
        if swap:
            subject, obj, rel, rs, ro = obj, subject, invert(rel), ro, rs
        if rel == "not_related" and kind == "implements":
            kind = "maps_to"  # kept, followed by no query
        if rs == ro and rs != "control":
            why = self._kin(subject, obj)
            if why:
                return why
        return subject, obj, rel, kind, extra

    def _control(self, measure: str) -> str:
        control = str(self.nodes[measure]["control"])  # type: ignore[typeddict-item]
        self.roles[control] = "control"
        return control

    def _kin(self, a: str, b: str) -> str:
        """Why two requirements of one framework cannot be linked (one is part of the other)."""
        for x, y in ((a, b), (b, a)):
            if y in _ancestors(self.nodes, x):
                return (
                    f"links {a} and {b}, but {x} is part of {y}; a layer may not link a "
                    "requirement to its own ancestor or descendant"
                )
        return ""


def _ancestors(nodes: Mapping[str, RawNode], cid: str) -> list[str]:
    out: list[str] = []
    parent = nodes[cid].get("parent") if cid in nodes else None
    while isinstance(parent, str) and parent not in out:
        out.append(parent)
        parent = nodes[parent].get("parent") if parent in nodes else None
    return out
