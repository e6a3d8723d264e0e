"""Path composition: which controls a requirement reaches, and which requirements a
control serves, with the relationship composed along the way.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin on
:class:`~bio2map.catalog.index.Index`). A path runs from a NIS2 point through the
2024/2690 requirements that implement it (edges of kind ``implements``) to the ISO
controls and clauses the ENISA mapping links them to (``maps_to``); each step's
relationship is composed (:func:`bio2map.core.vocab.compose`) and the basis of the path
is that of its weakest link (:func:`bio2map.core.vocab.weaker`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

from bio2map.catalog.index import _BASIS, _REL, _SOURCES, _SRC, _TGT, Index
from bio2map.core.ids import scheme_of
from bio2map.core.vocab import basis_level, basis_rank, compose, invert, stronger, weaker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.core.raw import RawEdge

__all__ = ["Paths"]


class _Path:
    """Relationships and provenance gathered for one (requirement, control) pair.

    ``via`` maps each requirement on the way to the basis of the best path through it;
    ``basis`` is the basis of the best path of all (see :func:`bio2map.core.vocab.weaker`).
    """

    __slots__ = ("basis", "rels", "sources", "via")

    def __init__(self) -> None:
        self.rels: set[str] = set()
        self.via: dict[str, str] = {}
        self.sources: set[str] = set()
        self.basis = ""

    def add(self, basis: str, via: Iterable[str] = ()) -> None:
        """Note a path of ``basis`` that runs through ``via``."""
        self.basis = stronger(self.basis, basis)
        for v in via:
            self.via[v] = stronger(self.via.get(v, ""), basis)


class Paths(Index):
    """Path composition; mixed into ``Catalog``."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides (bio2map.catalog.cbw)

        def _cbwcf_points(self, rid: str) -> dict[str, RawEdge]: ...

    def _paths(
        self, rid: str, _visiting: frozenset[str] = frozenset(), basis: str = "all"
    ) -> dict[str, _Path]:
        """Controls reachable from a requirement, with composed relationships.

        A ``maps_to`` edge may end at another requirement (a layer's node mapped to a
        2024/2690 requirement); the path then goes on through that requirement's controls.
        ``basis`` (``explicit``, ``heading``, ``all``) leaves out the links it does not
        admit (:data:`bio2map.core.vocab.BASIS_LEVELS`); answers are cached per basis.
        """
        key = ("paths", rid, basis)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        walk = _Walk(self, _visiting | {rid}, basis)
        if scheme_of(rid) == "cbwcf":
            walk.framework(rid)
        elif scheme_of(rid) == "nis2":
            walk.point(rid)
        else:
            walk.requirement(rid)
        out = walk.out
        # Layers that would make a cycle are refused (catalog.layer_checks.check_layers), so no
        # result is cut short by `visiting` and every one is cached: a deep chain of
        # requirement -> requirement links costs linear, not exponential, time.
        self._cache[key] = out
        return out

    def _paths_back(self, cid: str, limit: int) -> tuple[dict[str, _Path], dict[str, _Path]]:
        """The requirements control ``cid`` helps with: (NIS2 points, 2024/2690
        requirements), each with the relationship from the control's side.

        Follows the links up to basis level ``limit``
        (:func:`bio2map.core.vocab.basis_level`): the ENISA mapping back to the annex
        requirements, then their ``implements`` edges to NIS2 points and those points'
        parent points.
        """
        nis2: dict[str, _Path] = {}
        annex: dict[str, _Path] = {}
        for e in self._maps_to.get(cid, ()):
            if basis_rank(e[_BASIS]) > limit:
                continue
            back = invert(e[_REL])
            a = (nis2 if scheme_of(e[_SRC]) == "nis2" else annex).setdefault(e[_SRC], _Path())
            a.rels.add(back)
            a.add(e[_BASIS])
            a.sources.update(e[_SOURCES])
            for imp in self._implements_of.get(e[_SRC], ()):
                if basis_rank(imp[_BASIS]) > limit:
                    continue
                rel = compose(back, imp[_REL])
                label = weaker(imp[_BASIS], e[_BASIS])
                targets = [imp[_TGT]] + [
                    anc for anc in self._ancestors(imp[_TGT]) if self._raw[anc]["kind"] == "point"
                ]
                for t in targets:
                    p = nis2.setdefault(t, _Path())
                    p.rels.add(rel)
                    p.add(label, (e[_SRC],))
                    p.sources.update(e[_SOURCES])
                    p.sources.update(imp[_SOURCES])
        return nis2, annex


class _Walk:
    """One walk from a requirement to the controls it reaches: the steps of
    :meth:`Paths._paths`.

    ``out`` gathers a :class:`_Path` per control reached; ``visiting`` holds the
    requirements on the way (a path through them is not followed again, so a cycle of
    layer edges ends); ``limit`` is the basis level of the links admitted.
    """

    __slots__ = ("basis", "cat", "limit", "out", "visiting")

    def __init__(self, cat: Paths, visiting: frozenset[str], basis: str) -> None:
        self.cat = cat
        self.visiting = visiting
        self.basis = basis
        self.limit = basis_level(basis)
        self.out: dict[str, _Path] = {}

    def admitted(self, e: RawEdge) -> bool:
        return basis_rank(e[_BASIS]) <= self.limit

    def framework(self, rid: str) -> None:
        """From a Cbw framework node (``cbwcf:6.1``)."""
        cat, out, visiting, basis = self.cat, self.out, self.visiting, self.basis
        # a Cbw framework node reaches controls through the Art. 21(2) point(s) its
        # theme evaluates (bio2map.catalog.cbw); those links are our reading
        for point, link in cat._cbwcf_points(rid).items():
            if basis_rank(link[_BASIS]) > self.limit:
                continue
            for cid, sub in cat._paths(point, visiting, basis).items():
                p = out.setdefault(cid, _Path())
                p.rels.update(compose(link[_REL], r) for r in sub.rels)
                for v, b in sub.via.items():
                    p.add(weaker(link[_BASIS], b), (v,))
                p.add(weaker(link[_BASIS], sub.basis), (point,))
                p.sources.update((*sub.sources, *link[_SOURCES]))

    def point(self, rid: str) -> None:
        """From a NIS2 node: through the annex requirements that implement it and its
        parts, and along its and its parts' own edges (user layers)."""
        cat, out = self.cat, self.out
        for n in cat._descendants(rid):
            for imp in cat._implements.get(n, ()):
                if self.admitted(imp):
                    self.reach(imp[_SRC], invert(imp[_REL]), (), imp[_SOURCES], imp[_BASIS])
            # direct requirement -> control edges (user layers) join here
            for e in cat._maps_from.get(n, ()):
                if not self.admitted(e):
                    continue
                rel = e[_REL] if n == rid else compose("superset_of", e[_REL])
                if cat._raw[e[_TGT]]["record"] != "Control":
                    self.through(n, rel, e, e[_BASIS])
                    continue
                p = out.setdefault(e[_TGT], _Path())
                p.rels.add(rel)
                p.add(e[_BASIS])
                p.sources.update(e[_SOURCES])

    def requirement(self, rid: str) -> None:
        """From any other requirement (2024/2690, a layer's own node): along its and its
        parts' mapping edges, else along those of its nearest mapped ancestor."""
        cat = self.cat
        for n in cat._descendants(rid):
            self.reach(n, None if n == rid else "superset_of", (), ())
        if not self.out:
            for anc in cat._ancestors(rid):
                if any(self.admitted(e) for e in cat._maps_from.get(anc, ())):
                    # covered through its parent's mapping (e.g. 4.3.2-p2): weakest claim
                    self.reach(anc, "intersects_with", (anc,), ())
                    break

    def reach(
        self,
        annex: str,
        first: str | None,
        extra_via: tuple[str, ...],
        sources: tuple[str, ...],
        point_basis: str | None = None,
    ) -> None:
        """Follow the mapping edges of ``annex``, ``first`` being the relationship so far."""
        cat, out = self.cat, self.out
        for e in cat._maps_from.get(annex, ()):
            if not self.admitted(e):
                continue
            rel = e[_REL] if first is None else compose(first, e[_REL])
            label = e[_BASIS] if point_basis is None else weaker(point_basis, e[_BASIS])
            if cat._raw[e[_TGT]]["record"] != "Control":
                self.through(annex, rel, e, label)
                continue
            p = out.get(e[_TGT])
            if p is None:
                p = out[e[_TGT]] = _Path()
            p.rels.add(rel)
            p.add(label, (*extra_via, annex))
            p.sources.update(e[_SOURCES])
            if sources:
                p.sources.update(sources)

    def through(self, annex: str, rel: str, e: RawEdge, label: str) -> None:
        """``e`` ends at a requirement: continue along that requirement's own paths."""
        out, visiting = self.out, self.visiting
        target = e[_TGT]
        if target in visiting:
            return
        for cid, sub in self.cat._paths(target, visiting, self.basis).items():
            p = out.get(cid)
            if p is None:
                p = out[cid] = _Path()
            p.rels.update(compose(rel, r) for r in sub.rels)
            for v, b in sub.via.items():
                p.add(weaker(label, b), (v,))
            p.add(weaker(label, sub.basis), (annex, target))
            p.sources.update(sub.sources)
            p.sources.update(e[_SOURCES])
