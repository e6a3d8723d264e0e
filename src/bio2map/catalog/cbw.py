"""The ADR & NOREA Cbw (NIS2) Control Framework in the catalog: queries both ways.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin).
The framework's nodes (``cbwcf:zorgplicht``, ``cbwcf:6``, ``cbwcf:6.1``) are linked by
edges of kind ``evaluates``: groups to the Cbw articles (``cbw:21``, ``cbw:24``,
``cbw:25``; stated in the framework), themes to the Art. 21(2) points (our reading,
basis ``inferred_theme``). Through those points a framework control reaches the ISO
controls and BIO2 measures (``controls cbwcf:6.1``), and an ISO control reaches the
framework controls it helps with (``requirements 5.19``).

.. versionadded:: 0.3.0
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.core.ids import scheme_of
from bio2map.core.vocab import basis_level, basis_rank

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.cbw_answers import CbwCoverage, CbwHandling
    from bio2map.core.raw import RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Requirement

__all__ = ["CbwQueries"]

# what only the organisation can show, by framework group (our words)
_PROCESS_NOTE: Final = {
    "cbwcf:zorgplicht": "no ISO control behind it: the organisation's own handling shows it",
    "cbwcf:governance": "only board training records show it",
    "cbwcf:meldplicht": "only the incident reporting process and its records show it",
}


class CbwQueries:
    """Cbw framework queries; mixed into ``Catalog``."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides
        _raw: dict[str, RawNode]
        _rq: dict[str, RawRequirement]
        _edges: tuple[RawEdge, ...]
        _cache: dict[tuple[str, ...], Any]
        _children: dict[str, tuple[str, ...]]

        def _paths(self, rid: str, _visiting: frozenset[str] = ...) -> dict[str, Any]: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...
        def _descendants(self, cid: str) -> list[str]: ...
        def _ancestors(self, cid: str) -> list[str]: ...
        def _req(self, cid: str) -> Requirement: ...
        def _scheme_ids(self, scheme: str) -> tuple[str, ...]: ...
        def resolve_soa(
            self, implemented: Iterable[str] | MappingABC[str, str]
        ) -> dict[str, str]: ...

    def _evaluates(self) -> tuple[dict[str, list[RawEdge]], dict[str, list[RawEdge]]]:
        """(source -> its ``evaluates`` edges, target -> the edges to it), cached."""
        cached = self._cache.get(("evaluates",))
        if cached is None:
            out: dict[str, list[RawEdge]] = {}
            back: dict[str, list[RawEdge]] = {}
            for e in self._edges:
                if e[3] == "evaluates":
                    out.setdefault(e[0], []).append(e)
                    back.setdefault(e[1], []).append(e)
            cached = (out, back)
            self._cache[("evaluates",)] = cached
        return cached

    def _cbwcf_points(self, rid: str) -> dict[str, RawEdge]:
        """The Art. 21(2) points a framework node is linked to (through its theme, or,
        for a group, its themes), each with the link, in document order."""
        links = self._evaluates()[0]
        found: dict[str, RawEdge] = {}
        for n in [*self._ancestors(rid), *self._descendants(rid)]:
            for e in links.get(n, ()):
                if scheme_of(e[1]) == "nis2":
                    found.setdefault(e[1], e)
        return {p: found[p] for p in self._sorted(found)}

    def _cbwcf_controls_for_points(self, points: Iterable[str]) -> dict[str, set[str]]:
        """Framework control -> the given Art. 21(2) points its theme evaluates."""
        back = self._evaluates()[1]
        out: dict[str, set[str]] = {}
        for point in points:
            for e in back.get(point, ()):
                if scheme_of(e[0]) != "cbwcf":
                    continue
                for n in self._descendants(e[0]):
                    if self._rq[n]["kind"] == "control":
                        out.setdefault(n, set()).add(point)
        return out

    def _cbw_framework_doc(
        self, nis2: MappingABC[str, Any], basis: str = "all"
    ) -> list[dict[str, Any]]:
        """The ``cbw_framework`` part of ``requirements_for_data``: the framework controls
        whose theme evaluates an Art. 21(2) point the control reaches (none when ``basis``
        admits no inferred link: the theme -> point links are our reading)."""
        if basis_rank("inferred_theme") > basis_level(basis):
            return []
        points = [p for p in nis2 if self._rq[p]["kind"] in ("point", "part")]
        found = self._cbwcf_controls_for_points(points)
        out = []
        for cid in self._sorted(found):
            r = self._rq[cid]
            sources: set[str] = set()
            for p in found[cid]:
                sources.update(nis2[p].sources)
            via = list(self._sorted(found[cid]))
            out.append(
                {
                    "id": cid,
                    "ref": r["ref"],
                    "label": r["label"],
                    "relationship": "intersects_with",
                    # the theme -> point link is our reading: no path through it is surer
                    "basis": "inferred_theme",
                    "via": via,
                    "via_basis": ["inferred_theme"] * len(via),
                    "sources": sorted(sources | {self._attribution()}),
                    "label_nl": r.get("label_nl", ""),
                }
            )
        return out

    def _attribution(self) -> str:
        for e in self._edges:
            if e[3] == "evaluates":
                return e[6][0]
        return ""

    def cbw_framework(self) -> tuple[Requirement, ...]:
        """Every node of the Cbw (NIS2) Control Framework (3 groups, 17 themes, 27
        controls), in the framework's order."""
        return tuple(self._req(i) for i in self._scheme_ids("cbwcf"))

    def cbw_handling(self) -> tuple[CbwHandling, ...]:
        """For each NIS2 obligation the law handles (Art. 20, Art. 23): the Cbw articles
        and the framework groups and controls that check them."""
        cached = self._cache.get(("cbw_handling",))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        from bio2map.catalog.cbw_answers import CbwHandling

        back = self._evaluates()[1]
        out = []
        for rid in self._scheme_ids("nis2"):
            r = self._rq[rid]
            if r.get("addressed_by") != "legislation" or r.get("parent") is not None:
                continue
            law = tuple(r.get("law", ()))
            groups = self._sorted(
                {e[0] for a in law for e in back.get(a, ()) if scheme_of(e[0]) == "cbwcf"}
            )
            controls = self._sorted(
                n for g in groups for n in self._descendants(g) if self._rq[n]["kind"] == "control"
            )
            out.append(
                CbwHandling(
                    requirement=self._req(rid),
                    law=law,
                    groups=tuple(self._req(g) for g in groups),
                    controls=tuple(self._req(c) for c in controls),
                )
            )
        answer = tuple(out)
        self._cache[("cbw_handling",)] = answer
        return answer

    def cbw_coverage(
        self, implemented: Iterable[str] | MappingABC[str, str], *, include_clauses: bool = False
    ) -> CbwCoverage:
        """Read an SoA against the Cbw (NIS2) Control Framework.

        Per framework control: the ISO controls behind it (through the Art. 21(2) point
        its theme evaluates), their SoA statuses and the implemented share; or, where no
        point fits (reporting, board training, alerts and advice), that only the
        organisation's own process can show it.

        Args:
            implemented: control ids or a mapping of control id to status (as
                :meth:`coverage` takes them).
            include_clauses: also count ISO 27001 clauses behind a point.

        Raises:
            UnknownIdError: an id in ``implemented`` is unknown.
        """
        from bio2map.catalog.cbw_answers import CbwCoverage, CbwItem
        from bio2map.core.soa import WEIGHTS, normalize_status

        soa = self.resolve_soa(implemented)
        # one vocabulary (bio2map.core.soa); a not-applicable control evidences nothing here
        weights = {c: WEIGHTS[normalize_status(s)] or 0.0 for c, s in soa.items()}
        items = []
        for cid in self._scheme_ids("cbwcf"):
            if self._rq[cid]["kind"] != "control":
                continue
            r = self._req(cid)
            points = tuple(self._cbwcf_points(cid))
            paths = self._paths(cid)
            mapped = self._sorted(
                c
                for c in paths
                if c.startswith("iso27002:") or (include_clauses and c.startswith("iso27001:"))
            )
            refs = ", ".join(str(self._rq[p]["ref"]) for p in points)
            if not mapped and paths:
                note = f"only ISO 27001 clauses behind {refs}; use --include-clauses"
                items.append(CbwItem(r, points, "soa", "none", 0.0, (), (), (), (), note))
                continue
            if not mapped:
                group = next(
                    a for a in [cid, *self._ancestors(cid)] if self._rq[a]["parent"] is None
                )
                items.append(
                    CbwItem(
                        r, points, "process", "process", 0.0, (), (), (), (), _PROCESS_NOTE[group]
                    )
                )
                continue
            got = sum(weights.get(c, 0.0) for c in mapped)
            share = round(got / len(mapped), 4)
            status = "none" if share == 0 else "evidenced" if share >= 1 else "partial"
            items.append(
                CbwItem(
                    control=r,
                    points=points,
                    evidence="soa",
                    status=status,
                    share=share,
                    mapped=mapped,
                    implemented=tuple(c for c in mapped if weights.get(c, 0.0) >= 1),
                    missing=tuple(c for c in mapped if weights.get(c, 0.0) < 1),
                    statuses=tuple((c, soa[c]) for c in mapped if c in soa),
                    note=f"ISO controls behind {refs}; the framework's own test is the auditor's",
                )
            )
        return CbwCoverage(items=tuple(items), attribution=self._attribution())
