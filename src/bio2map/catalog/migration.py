"""From an ISO/IEC 27001:2013 SoA (BIO 1.04) to a 2022 one (BIO2): the migration.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin,
like :mod:`bio2map.catalog.coverage`). The correspondence is the packaged
``iso27001-2013`` dataset: edges of kind ``migrates_to`` from every 2013 clause and
Annex A control to its 2022 successor(s).

The rule (docs/howto/migrate-from-bio-1.md):

* one 2013 control leads to one 2022 control: its status is carried over;
* several 2013 controls merge into one 2022 control: the **weakest** status wins
  (``planned`` < ``partially_implemented`` < ``implemented``); ``not_applicable``
  counts only when every predecessor is not applicable (one applicable part makes the
  2022 control applicable); every merge is flagged for review;
* one 2013 item split over several 2022 items: its status goes to each; a partial
  overlap (``intersects_with``, A.18.2.3) is flagged for review;
* the 11 controls new in 2022 (and clause 6.3, when the SoA names clauses) are
  ``new: not assessed``; a 2022 control none of whose predecessors the SoA names is
  ``not assessed`` too;
* every line of the old SoA is accounted for, with the 2022 ids it reached.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.core import hooks
from bio2map.core.editions import ISO2013, ISO2022, edition_readings, said_edition
from bio2map.core.errors import AmbiguousIdError, DataError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import readings, scheme_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.migration_answers import Migration
    from bio2map.core.raw import RawEdge, RawNode


# The SoA model (bio2map.core.soa) is imported when a migration asks for it: a cold query
# imports this module with the catalog, and needs neither.
def normalize_status(text: str, subject: str = "") -> str:
    from bio2map.core.soa import normalize_status as normalize

    return normalize(text, subject)


def accepted_statuses() -> str:
    from bio2map.core.soa import accepted_statuses as accepted

    return accepted()


__all__ = ["MERGE_RULE", "STATUS_ORDER", "MigrationQueries"]

# The statuses of the one SoA model (bio2map.core.soa), weakest first.
STATUS_ORDER: Final = ("not-implemented", "planned", "partial", "implemented")
_NOT_APPLICABLE: Final = "not-applicable"
MERGE_RULE: Final = (
    "several 2013 controls in one 2022 control: the weakest status wins "
    "(not-implemented < planned < partial < implemented); not-applicable only when all are; "
    "every merge is flagged for review"
)
_SOURCE_SCHEMES: Final = frozenset({ISO2013})
_TARGET_SCHEMES: Final = frozenset({"iso27002", "iso27001"})


def _weakest(statuses: Iterable[str]) -> str:
    return min((normalize_status(s) for s in statuses), key=STATUS_ORDER.index)


def _stronger(a: str, b: str) -> str:
    a, b = normalize_status(a), normalize_status(b)
    rank = {s: i for i, s in enumerate((_NOT_APPLICABLE, *STATUS_ORDER))}
    return a if rank[a] >= rank[b] else b


class MigrationQueries:
    """The 2013 -> 2022 migration of an SoA; mixed into ``Catalog``."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides
        _raw: dict[str, RawNode]
        _edges: tuple[RawEdge, ...]
        _cache: dict[tuple[str, ...], Any]
        _children: dict[str, tuple[str, ...]]

        def resolve(
            self, text: str, kinds: Iterable[str] | None = None, expected: str = ""
        ) -> str: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...
        def _scheme_ids(self, scheme: str) -> tuple[str, ...]: ...
        def _suggest(
            self, text: str, tiers: tuple[tuple[str, ...], ...], allowed: frozenset[str] | None
        ) -> tuple[str, ...]: ...

    # --- the correspondence ------------------------------------------------------------

    def _succession(self) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
        """(2013 id -> [(2022 id, relationship)], 2022 id -> [2013 ids]), cached."""
        cached = self._cache.get(("succession",))
        if cached is None:
            succ: dict[str, list[tuple[str, str]]] = {}
            pred: dict[str, list[str]] = {}
            for e in self._edges:
                if e[3] == "migrates_to":
                    succ.setdefault(e[0], []).append((e[1], e[2]))
                    pred.setdefault(e[1], []).append(e[0])
            pred = {k: list(self._sorted(v)) for k, v in pred.items()}
            cached = (succ, pred)
            self._cache[("succession",)] = cached
        return cached

    def successors(self, text: str) -> tuple[tuple[str, str], ...]:
        """The 2022 ids a 2013 control or clause leads to, with the relationship.

        ``text`` is read in the 2013 edition (``A.12.6.1``, ``12.6.1``,
        ``iso27001-2013:A.12.6.1``).

        Examples:
            >>> import bio2map
            >>> bio2map.load().successors("A.12.6.1")
            (('iso27002:8.8', 'subset_of'),)

        Raises:
            UnknownIdError: not a 2013 id (or ambiguous).
        """
        cid = self.resolve_edition(text, ISO2013)
        return tuple(self._succession()[0].get(cid, ()))

    def predecessors(self, text: str) -> tuple[str, ...]:
        """The 2013 ids that lead to a 2022 control or clause (``()``: new in 2022).

        Examples:
            >>> import bio2map
            >>> bio2map.load().predecessors("8.8")
            ('iso27001-2013:A.12.6.1', 'iso27001-2013:A.18.2.3')
        """
        cid = self.resolve(text, _TARGET_SCHEMES, "control")
        return tuple(self._succession()[1].get(cid, ()))

    def new_in_2022(self) -> tuple[str, ...]:
        """The 2022 Annex A controls without a 2013 predecessor (11), in order."""
        pred = self._succession()[1]
        return tuple(i for i in self._targets(False) if i not in pred)

    def _targets(self, clauses: bool) -> tuple[str, ...]:
        """The 2022 controls (and leaf clauses), in order: the rows of a migrated SoA."""
        key = ("migration_targets", str(clauses))
        cached = self._cache.get(key)
        if cached is None:
            controls = [i for i in self._scheme_ids("iso27002") if self._kind(i) == "control"]
            leaves = [
                i
                for i in self._scheme_ids("iso27001")
                if self._kind(i) == "clause" and i not in self._children
            ]
            cached = tuple(controls + leaves) if clauses else tuple(controls)
            self._cache[key] = cached
        return cached

    # --- ids in an edition ---------------------------------------------------------------

    def resolve_edition(self, text: str, edition: str = ISO2013, expected: str = "control") -> str:
        """The canonical id ``text`` names when the SoA is of ``edition``.

        In ``iso27001-2013`` a bare ``A.12.6.1``, ``12.6.1`` or ``9.2`` is a 2013 id; in
        ``iso27001-2022`` this is :meth:`resolve` over ISO controls and clauses.

        Raises:
            UnknownIdError: no such id in that edition (a 2022 id in a 2013 SoA too).
            AmbiguousIdError: ``6.1.2`` is clause 6.1.2 and control A.6.1.2 in 2013.
        """
        if edition == ISO2022:
            return self.resolve(text, _TARGET_SCHEMES, expected)
        if edition != ISO2013:
            msg = f"unknown edition {edition!r}; use {ISO2013} or {ISO2022}"
            raise ValueError(msg)
        exact = text.strip() if isinstance(text, str) else ""
        if exact in self._raw and scheme_of(exact) == ISO2013:
            return exact
        tiers = edition_readings(text, ISO2013)
        for tier in tiers:
            found = [c for c in tier if c in self._raw and scheme_of(c) == ISO2013]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise AmbiguousIdError(str(text)[:200], found, expected)
        raise UnknownIdError(
            str(text)[:200],
            self._suggest(text, tiers, _SOURCE_SCHEMES),
            "ISO 27001:2013 " + expected,
        )

    def edition_conflict(self, text: str, edition: str) -> str | None:
        """Why ``text`` does not belong in an SoA of ``edition``, or None when it may.

        An id that names the other edition (``ISO 27001:2022 A.8.8``), or that reads only
        as an id of the other edition (``A.5.23`` in a 2013 SoA), conflicts.
        """
        said = said_edition(text)
        if said is not None and said != edition:
            return f"{text!r} names ISO 27001:{said[-4:]}"
        if edition == ISO2013 and said is None:
            try:
                self.resolve_edition(text, ISO2013)
            except AmbiguousIdError:
                return None
            except UnknownIdError:
                other = self._reads_in_2022(text)
                if other is not None:
                    return f"{text!r} is the ISO 27001:2022 {self._kind(other)} {other}"
        if edition == ISO2022 and said is None:
            tiers = edition_readings(text, ISO2013)
            in_2013 = [c for t in tiers for c in t if c in self._raw]
            if in_2013 and self._reads_in_2022(text) is None:
                return f"{text!r} is the ISO 27001:2013 {self._kind(in_2013[0])} {in_2013[0]}"
        return None

    def _reads_in_2022(self, text: str) -> str | None:
        found = [
            c
            for tier in readings(text)
            for c in tier
            if c in self._raw and scheme_of(c) in _TARGET_SCHEMES
        ]
        return found[0] if found else None

    def _kind(self, cid: str) -> str:
        return self._field(cid, "kind")

    def _field(self, cid: str, key: str) -> str:
        node: Any = self._raw[cid]
        return str(node.get(key) or "")

    # --- the migration -------------------------------------------------------------------

    def migrate_soa(
        self,
        soa: str | os.PathLike[str] | MappingABC[str, str] | Iterable[str] | Any,
        *,
        edition: str = ISO2013,
    ) -> Migration:
        """A 2022 SoA made from a 2013 one (BIO 1.04 -> BIO2).

        Args:
            soa: a file (CSV or a list of ids, read by
                :func:`bio2map.formats.migrate.read_old_soa`), what that function returns,
                a mapping of 2013 id to status (statuses of
                :data:`~bio2map.catalog.coverage.IMPLEMENTATION_STATUSES`), or an iterable
                of 2013 ids (all implemented).
            edition: the edition of the SoA (only ``iso27001-2013`` is migrated).

        Returns:
            A :class:`~bio2map.catalog.migration_answers.Migration`: per 2022 control the
            status carried over and why, every old line accounted for. The rule is
            :data:`MERGE_RULE` (docs/howto/migrate-from-bio-1.md).

        Raises:
            DataErrorGroup: the SoA mixes editions (every such line is named), or a file
                cannot be read.
            UnknownIdError: an id of a mapping is no 2013 id.
            ValueError: a status is not known, or the edition is not 2013.

        Examples:
            >>> import bio2map
            >>> m = bio2map.load().migrate_soa({"A.12.6.1": "implemented", "A.18.2.3": "planned"})
            >>> c = {x.ref: x for x in m.controls}["A.8.8"]
            >>> c.status, c.origin, c.review
            ('planned', 'merged', True)
        """
        if edition != ISO2013:
            msg = f"only an {ISO2013} SoA can be migrated, not {edition!r}"
            raise ValueError(msg)
        if isinstance(soa, (str, os.PathLike)):
            soa = hooks.call("read_old_soa", soa, self, edition=edition)
        entries = getattr(soa, "entries", None)
        if entries is not None:
            source = str(getattr(soa, "source", "<soa>"))
            stated = [(e.line, e.raw, e.status, e.id) for e in entries]
        else:
            source = "<mapping>"
            stated = self._stated_from(soa)
        return self._migrate(source, stated)

    def _stated_from(self, soa: Any) -> list[tuple[int, str, str, str]]:
        items = (
            list(soa.items()) if isinstance(soa, MappingABC) else [(i, "implemented") for i in soa]
        )
        conflicts = []
        out = []
        for raw, status in items:
            try:  # any spelling the SoA model accepts (bio2map.core.soa)
                status = normalize_status(status)
            except ValueError:
                msg = f"status {status!r} of {raw!r} must be one of {accepted_statuses()}"
                raise ValueError(msg) from None
            problem = self.edition_conflict(raw, ISO2013)
            if problem is not None:
                conflicts.append(DataError("<mapping>", "", "control", problem))
                continue
            out.append((0, raw, status, self.resolve_edition(raw, ISO2013)))
        if conflicts:
            msg = "the SoA mixes ISO 27001 editions (it is read as 2013)"
            raise DataErrorGroup(msg, conflicts)
        return out

    def _migrate(self, source: str, stated: list[tuple[int, str, str, str]]) -> Migration:
        from bio2map.catalog.migration_answers import (
            MigratedControl,
            MigratedLine,
            Migration,
            MigrationSource,
        )

        succ, pred = self._succession()
        first: dict[str, tuple[str, int]] = {}  # 2013 id -> (status, line of first mention)
        lines: list[tuple[int, str, str, str, str]] = []
        for line, raw, status, cid in stated:
            note = ""
            if cid in first:
                prev_status, prev_line = first[cid]
                kept = _stronger(prev_status, status)
                first[cid] = (kept, prev_line)
                where = f"line {prev_line}" if prev_line else "before"
                note = f"listed again (first {where}); the stronger status counts ({kept})"
            else:
                first[cid] = (status, line)
            lines.append((line, raw, status, cid, note))
        has_clauses = any(self._kind(c) == "clause" for c in first)

        targets = self._targets(has_clauses)
        out = []
        for tid in targets:
            sources = tuple(
                MigrationSource(
                    id=p,
                    ref=self._field(p, "ref"),
                    relationship=next(r for t, r in succ[p] if t == tid),
                    status=first[p][0] if p in first else None,
                    line=first[p][1] if p in first else 0,
                )
                for p in pred.get(tid, ())
            )
            carried, origin, rule, reasons = self._carry(sources, succ, self._field(tid, "ref"))
            out.append(
                MigratedControl(
                    id=tid,
                    ref=self._field(tid, "ref"),
                    kind=self._kind(tid),
                    title=self._field(tid, "title"),
                    status=carried,
                    origin=origin,
                    rule=rule,
                    review=bool(reasons),
                    reasons=tuple(reasons),
                    sources=sources,
                )
            )
        output = {c.id for c in out}
        migrated_lines = []
        for line, raw, given, cid, note in lines:
            reached = tuple(t for t, _ in succ.get(cid, ()) if t in output)
            if not note and len(reached) > 1:
                note = "split over " + ", ".join(self._field(t, "ref") for t in reached)
            migrated_lines.append(MigratedLine(line, raw, cid, given, reached, note))
        return Migration(
            source=source,
            from_edition=ISO2013,
            to_edition=ISO2022,
            rule=MERGE_RULE,
            controls=tuple(out),
            lines=tuple(migrated_lines),
        )

    @staticmethod
    def _carry(
        sources: tuple[Any, ...], succ: dict[str, list[tuple[str, str]]], ref: str
    ) -> tuple[str | None, str, str, list[str]]:
        """(status, origin, rule, reasons for review) of one 2022 control."""
        if not sources:
            return None, "new", "new in 2022: not assessed", []
        present = [s for s in sources if s.status is not None]
        absent = [s.ref for s in sources if s.status is None]
        if not present:
            return None, "not-in-soa", "not assessed: no predecessor in the SoA", []
        reasons: list[str] = []
        applicable = [s.status for s in present if normalize_status(s.status) != _NOT_APPLICABLE]
        status = _weakest(applicable) if applicable else _NOT_APPLICABLE
        if len(sources) > 1:
            origin = "merged"
            kinds = {s.status for s in present}
            if len(kinds) > 1:
                rule = f"merged: the weakest of {len(present)} statuses wins"
                reasons.append(f"merge of {len(sources)} 2013 items with different statuses")
            else:
                rule = f"merged: {len(present)} of the same status"
                reasons.append(f"merge of {len(sources)} 2013 items")
            if applicable and len(applicable) < len(present):
                reasons.append("not applicable in part: the 2022 control is applicable")
        else:
            s = sources[0]
            if len(succ.get(s.id, ())) > 1:
                origin = "split"
                rule = f"split: {s.ref} goes to {len(succ[s.id])} 2022 items, its status to each"
            else:
                origin = "carried"
                renumbered = " (renumbered)" if "A." not in s.ref and s.ref != ref else ""
                rule = f"carried over ({s.relationship}){renumbered}"
        if absent:
            reasons.append(f"{', '.join(absent)} not in the SoA")
        overlaps = [s.ref for s in sources if s.relationship == "intersects_with"]
        if overlaps:
            reasons.append(f"{', '.join(overlaps)} overlaps only in part (intersects_with)")
        return status, origin, rule, reasons
