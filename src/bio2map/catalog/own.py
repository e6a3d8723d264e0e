"""A layer's own node asked the other way round: ``requirements_for("myorg:SUP-01")``.

:func:`own_requirements_doc` lists the requirements an own node is linked to and those
the controls it is linked to serve (the controls in ``via``); :func:`own_control` is the
node seen as a control record (kind ``own``) for the answer.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

from bio2map.catalog.layer import role
from bio2map.core.ids import scheme_of
from bio2map.core.vocab import basis_level, basis_rank, compose, stronger, strongest, weaker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any, Protocol

    from bio2map.core.raw import RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Control

    class _Catalog(Protocol):
        """What :func:`own_requirements_doc` uses of a catalog."""

        _raw: dict[str, RawNode]
        _maps_from: dict[str, list[RawEdge]]
        _implements_of: dict[str, list[RawEdge]]

        def _descendants(self, cid: str) -> list[str]: ...
        def _ancestors(self, cid: str) -> list[str]: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...
        def _requirements_doc(self, control: str, basis: str = "all") -> dict[str, Any]: ...
        def _cbw_framework_doc(
            self, nis2: Mapping[str, Any], basis: str = "all"
        ) -> list[dict[str, Any]]: ...


__all__ = ["own_control", "own_requirements_doc"]


class _Acc:
    """Relationships, bases, ``via`` and sources gathered for one requirement."""

    __slots__ = ("basis", "rels", "sources", "via")

    def __init__(self) -> None:
        self.rels: set[str] = set()
        self.basis = ""
        self.via: dict[str, str] = {}
        self.sources: set[str] = set()

    def add(
        self, rel: str, basis: str, via: Iterable[tuple[str, str]], sources: Iterable[str]
    ) -> None:
        self.rels.add(rel)
        self.basis = stronger(self.basis, basis)
        for v, b in via:
            self.via[v] = stronger(self.via.get(v, ""), b)
        self.sources.update(sources)


class _Gather:
    """The requirements a layer's own node reaches, in two groups: NIS2 and the rest."""

    def __init__(self, cat: _Catalog, own: set[str], limit: int, basis: str) -> None:
        self.cat = cat
        self.own = own  # the node and its parts: not requirements of themselves
        self.limit = limit
        self.basis = basis
        self.nis2: dict[str, _Acc] = {}
        self.other: dict[str, _Acc] = {}

    def add(
        self, rid: str, rel: str, b: str, via: Iterable[tuple[str, str]], sources: Iterable[str]
    ) -> None:
        """Count requirement ``rid`` in, reached with ``rel`` on basis ``b``."""
        if rid in self.own:
            return
        group = self.nis2 if scheme_of(rid) == "nis2" else self.other
        acc = group.get(rid)
        if acc is None:
            acc = group[rid] = _Acc()
        acc.add(rel, b, via, sources)

    def points(self, target: str) -> list[str]:
        """A NIS2 target and the points above it (a part counts for its point)."""
        raw = self.cat._raw
        return [target, *(a for a in self.cat._ancestors(target) if raw[a].get("kind") == "point")]

    def edge(self, e: RawEdge, rel: str) -> None:
        """Follow a link of the node (or a part), ``rel`` composed for the node itself."""
        if self.cat._raw[e[1]]["record"] == "Control":
            self.through_control(e, rel)
        else:
            self.to_requirement(e, rel)

    def through_control(self, e: RawEdge, rel: str) -> None:
        """The requirements the linked control serves, with the control in ``via``."""
        raw = self.cat._raw
        target = e[1]
        for r in self.cat._requirements_doc(target, self.basis)["requirements"]:
            if r["id"] not in raw or role(r["id"], raw[r["id"]])[0] == "own":
                continue  # other own nodes on the control are not requirements of it
            b = weaker(e[4], r["basis"])
            steps = [
                (target, b),
                *((v, weaker(e[4], vb)) for v, vb in zip(r["via"], r["via_basis"], strict=True)),
            ]
            self.add(r["id"], compose(rel, r["relationship"]), b, steps, (*e[6], *r["sources"]))

    def to_requirement(self, e: RawEdge, rel: str) -> None:
        """The linked requirement (with its points for ``implements``), and the NIS2 points
        an annex target implements, with the target in ``via``."""
        target = e[1]
        for t in self.points(target) if e[3] == "implements" else (target,):
            self.add(t, rel, e[4], (), e[6])
        for imp in self.cat._implements_of.get(target, ()):  # an annex target's NIS2 points
            if basis_rank(imp[4]) > self.limit or imp[2] == "not_related":
                continue
            b = weaker(e[4], imp[4])
            for t in self.points(imp[1]):
                self.add(t, compose(rel, imp[2]), b, ((target, b),), (*e[6], *imp[6]))


def own_requirements_doc(cat: _Catalog, oid: str, basis: str = "all") -> dict[str, Any]:
    """``requirements_for_data`` for a layer's own node ``oid``.

    The requirements the node (or a part of it) is linked to, with the NIS2 points those
    implement; and the NIS2 and 2024/2690 requirements each ISO control it is linked to
    serves, composed with the node's link and with the control in ``via``. NIS2 first,
    then the rest, each in document order.

    Raises:
        ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
    """
    limit = basis_level(basis)
    family = cat._descendants(oid)
    gather = _Gather(cat, set(family), limit, basis)
    for n in family:
        first = None if n == oid else "superset_of"
        for e in (*cat._maps_from.get(n, ()), *cat._implements_of.get(n, ())):
            if basis_rank(e[4]) > limit or e[2] == "not_related":
                continue
            gather.edge(e, e[2] if first is None else compose(first, e[2]))
    reqs = [*_requirement_docs(cat, gather.nis2), *_requirement_docs(cat, gather.other)]
    node: RawRequirement = cat._raw[oid]  # type: ignore[assignment]
    return {
        "control": oid,
        "title": node.get("label") or node["ref"],
        "basis": basis,
        "requirements": reqs,
        "cbw_framework": cat._cbw_framework_doc(gather.nis2, basis),
    }


def _requirement_docs(cat: _Catalog, group: Mapping[str, _Acc]) -> list[dict[str, Any]]:
    """The entries of ``requirements`` for one group, in document order."""
    docs = []
    for rid in cat._sorted(group):
        acc = group[rid]
        req: RawRequirement = cat._raw[rid]  # type: ignore[assignment]
        via = cat._sorted(acc.via)
        docs.append(
            {
                "id": rid,
                "ref": req["ref"],
                "label": req.get("label", ""),
                "relationship": strongest(acc.rels),
                "basis": acc.basis,
                "via": list(via),
                "via_basis": [acc.via[v] for v in via],
                "sources": sorted(acc.sources),
            }
        )
    return docs


def own_control(node: RawNode) -> Control:
    """A layer's own node seen as the control side of ``requirements_for``.

    ``standard`` is the node's prefix, ``kind`` is ``own``, ``title`` its label (or its
    reference when it has none).
    """
    from bio2map.core.records import Control

    n: RawRequirement = node  # type: ignore[assignment]
    return Control(
        id=n["id"],
        standard=n["framework"],
        kind="own",
        ref=n["ref"],
        title=n.get("label") or n["ref"],
        parent=n.get("parent"),
        seq=n.get("seq", 0),
    )
