"""Coverage of a Statement of Applicability.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module: the scoring
rule (docs/concepts.md) is one concept, the indices it reads are another.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.core.vocab import strongest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.answers import Coverage, CoverageItem
    from bio2map.core.raw import RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Control, Draft, Measure, Requirement

__all__ = ["IMPLEMENTATION_STATUSES", "CoverageQueries"]

IMPLEMENTATION_STATUSES: Final = {
    "implemented": 1.0,
    "partially_implemented": 0.5,
    "planned": 0.0,
    "not_applicable": 0.0,
}
_SOA_SCHEMES: Final = frozenset({"iso27002", "iso27001"})
_CONTAINED: Final = frozenset({"equal", "subset_of"})
_CONTROL_SCHEMES: Final = frozenset({"iso27002", "iso27001", "bio2"})


class CoverageQueries:
    """SoA coverage; mixed into ``Catalog`` (which answers ``uncovered`` itself)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides
        _raw: dict[str, RawNode]
        _rq: dict[str, RawRequirement]
        _cache: dict[tuple[str, ...], Any]
        _maps_to: dict[str, list[RawEdge]]
        _measures: dict[str, tuple[str, ...]]
        _slug: str

        @property
        def draft(self) -> Draft: ...
        @property
        def controls(self) -> tuple[Control, ...]: ...
        @property
        def measures(self) -> tuple[Measure, ...]: ...
        def resolve(
            self, text: str, kinds: Iterable[str] | None = None, expected: str = ""
        ) -> str: ...
        def _paths(self, rid: str, _visiting: frozenset[str] = ...) -> dict[str, Any]: ...
        def _req(self, cid: str) -> Requirement: ...
        def _scheme_ids(self, scheme: str) -> tuple[str, ...]: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...

    def resolve_soa(self, implemented: Iterable[str] | MappingABC[str, str]) -> dict[str, str]:
        """Turn an SoA (ids, or id -> status) into canonical control id -> status.

        A control named twice keeps its stronger status.

        Raises:
            UnknownIdError: an id is unknown (the first one; the SoA reader reports all).
            ValueError: a status is not one of :data:`IMPLEMENTATION_STATUSES`.
        """
        items = (
            implemented.items()
            if isinstance(implemented, MappingABC)
            else ((i, "implemented") for i in implemented)
        )
        out: dict[str, str] = {}
        for raw, status in items:
            if status not in IMPLEMENTATION_STATUSES:
                msg = (
                    f"status {status!r} of {raw!r} must be one of "
                    f"{', '.join(IMPLEMENTATION_STATUSES)}"
                )
                raise ValueError(msg)
            cid = self.resolve(raw, _SOA_SCHEMES, "control")
            prev = out.get(cid)
            if prev is None or IMPLEMENTATION_STATUSES[status] > IMPLEMENTATION_STATUSES[prev]:
                out[cid] = status
        return out

    def coverage(
        self, implemented: Iterable[str] | MappingABC[str, str], *, include_clauses: bool = False
    ) -> Coverage:
        """How far the implemented controls cover each Art. 21(2) point and each
        assessable 2024/2690 requirement.

        Args:
            implemented: control ids (all counted as implemented) or a mapping of control
                id to status (see :data:`IMPLEMENTATION_STATUSES`).
            include_clauses: also count ISO 27001 clauses the ENISA mapping names (they
                must then be in ``implemented``); by default only the 93 controls count.

        The rule (``docs/concepts.md``): ``share`` is the implemented weight of the mapped
        controls divided by their number; ``none`` when it is 0; ``full`` only when it is 1
        *and* some mapping says the requirement is contained in a control (``equal`` or
        ``subset_of``); otherwise ``partial``. A requirement reached only through
        ``intersects_with`` edges is therefore at most ``partial``, however many controls
        are implemented, because overlapping controls need not cover all of it.

        Raises:
            UnknownIdError: an id in ``implemented`` is unknown.
        """
        from bio2map.catalog.answers import Coverage, CoverageItem, CoverageSummary

        soa = self.resolve_soa(implemented)
        weights = {c: IMPLEMENTATION_STATUSES[s] for c, s in soa.items()}
        counted = {c for c in soa if include_clauses or c.startswith("iso27002:")}

        def item(rid: str) -> CoverageItem:
            paths = {
                c: p
                for c, p in self._paths(rid).items()
                if include_clauses or c.startswith("iso27002:")
            }
            mapped = self._sorted(paths)
            req = self._raw[rid]
            if not mapped:
                if req.get("addressed_by") == "legislation":
                    note = "addressed by legislation"
                elif self._paths(rid):
                    note = "only ISO 27001 clauses mapped; use --include-clauses"
                else:
                    note = "no ISO control mapped"
                return CoverageItem(rid, "none", 0.0, (), (), (), "not_related", note)
            got = sum(weights.get(c, 0.0) for c in mapped)
            share = round(got / len(mapped), 4)
            best = strongest({r for p in paths.values() for r in p.rels})
            contained = any(r in _CONTAINED for p in paths.values() for r in p.rels)
            if share == 0:
                status = "none"
            elif share >= 1 and contained:
                status = "full"
            else:
                status = "partial"
            note = ""
            if share >= 1 and not contained:
                note = "all mapped implemented; at most partial (intersects_with)"
            return CoverageItem(
                id=rid,
                status=status,
                share=share,
                mapped=mapped,
                implemented=tuple(c for c in mapped if weights.get(c, 0.0) >= 1),
                missing=tuple(c for c in mapped if weights.get(c, 0.0) < 1),
                relationship=best,
                note=note,
            )

        points = tuple(
            item(i)
            for i in self._scheme_ids("nis2")
            if self._raw[i]["kind"] == "point" and i.startswith("nis2:21.2.")
        )
        reqs = tuple(item(i) for i in self._scheme_ids("ir2690") if self._rq[i]["assessable"])
        legislation = tuple(
            self._req(i)
            for i in self._scheme_ids("nis2")
            if self._rq[i].get("addressed_by") == "legislation" and self._rq[i]["parent"] is None
        )

        def n(items: tuple[CoverageItem, ...], status: str) -> int:
            return sum(1 for i in items if i.status == status)

        covered = n(points, "full") + n(points, "partial")
        summary = CoverageSummary(
            points_full=n(points, "full"),
            points_partial=n(points, "partial"),
            points_none=n(points, "none"),
            points_covered_share=round(covered / len(points), 4) if points else 0.0,
            requirements_full=n(reqs, "full"),
            requirements_partial=n(reqs, "partial"),
            requirements_none=n(reqs, "none"),
            requirements_unmapped=sum(1 for i in reqs if not i.mapped),
            controls_given=len(soa),
            controls_counted=len(counted),
        )
        return Coverage(points=points, requirements=reqs, legislation=legislation, summary=summary)
