"""Coverage of a Statement of Applicability.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module: what the
catalog offers (reading an SoA in any of its forms, the answers and their cache). The rule
itself (docs/concepts.md, "The coverage rule") is :mod:`bio2map.catalog.scoring`, imported
only when coverage is asked for.

The work is done once, on plain values: :meth:`CoverageQueries.coverage` turns it into
frozen records, :meth:`CoverageQueries.coverage_data` into the same document as
``coverage(...).as_dict()`` without making a record (the command line's fast path).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.core import hooks
from bio2map.core.ids import readings, scheme_of
from bio2map.core.vocab import compose, invert

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Final, TypeAlias

    from bio2map.catalog.answers import Coverage
    from bio2map.catalog.scoring import Index
    from bio2map.core.raw import RawControl, RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Control, Draft, Measure, Requirement
    from bio2map.core.soa import StatementOfApplicability

    SoaInput: TypeAlias = (
        "str | os.PathLike[str] | StatementOfApplicability | MappingABC[str, str] | Iterable[str]"
    )

__all__ = ["IMPLEMENTATION_STATUSES", "METRIC_RULES", "CoverageQueries"]

# Raw edge tuple positions (bio2map.core.raw.RawEdge)
_SRC: Final = 0
_TGT: Final = 1
_REL: Final = 2

# bio2map.core.soa.WEIGHTS (tests/test_scoring.py holds them equal): the SoA model is
# imported when an SoA is read, not by every query that imports the catalog.
IMPLEMENTATION_STATUSES: Final[dict[str, float | None]] = {
    "implemented": 1.0,
    "partial": 0.5,
    "planned": 0.0,
    "not-implemented": 0.0,
    "not-applicable": None,
}
"""What each SoA status counts for when coverage is computed (the weight of the control);
``None``: not applicable, left out of the denominator. See :mod:`bio2map.core.soa` for
every spelling that is accepted.

.. versionchanged:: 0.2.0
   The canonical names are ``partial``, ``not-implemented`` and ``not-applicable``
   (``partially_implemented`` and ``not_applicable`` are still read), and
   ``not-applicable`` has no weight.
"""

METRIC_RULES: Final = {
    "points-mean": "mean share over the Art. 21(2) points that can be assessed",
    "points-min": "lowest share of an Art. 21(2) point that can be assessed",
    "annex-mean": "mean share over the assessable 2024/2690 requirements that can be assessed",
    "points-any": "share of the ten Art. 21(2) points with any implemented weight "
    "(the gate of 0.1)",
}
"""What each metric of :data:`bio2map.core.soa.METRICS` measures. A point or requirement
"can be assessed" when it is neither ``unmapped`` nor ``not-applicable``."""

_SOA_SCHEMES: Final = frozenset({"iso27002", "iso27001"})
_ANSWERS_KEPT: Final = 16
"""Coverage answers a catalog keeps (the most recent SoAs)."""


def _answer_key(soa: StatementOfApplicability) -> tuple[object, ...]:
    """What makes two SoAs give the same coverage: their source and every field of every
    entry, as plain tuples (hashed in C; an entry's own hash is worked out in Python, and
    a hundred of them cost a first call a tenth of its time)."""
    global _ENTRY_FIELDS  # made on first use, with the SoA model
    if _ENTRY_FIELDS is None:
        from operator import attrgetter

        from bio2map.core.soa import SoaEntry

        _ENTRY_FIELDS = attrgetter(*SoaEntry._fields)
    return (soa.source, tuple(map(_ENTRY_FIELDS, soa.entries)))


_ENTRY_FIELDS: Callable[[object], tuple[object, ...]] | None = None


class CoverageQueries:
    """SoA coverage; mixed into ``Catalog`` (which answers ``uncovered`` itself)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides
        _raw: dict[str, RawNode]
        _rq: dict[str, RawRequirement]
        _ctl: dict[str, RawControl]
        _cache: dict[tuple[str, ...], Any]
        _maps_to: dict[str, list[RawEdge]]
        _maps_from: dict[str, list[RawEdge]]
        _implements: dict[str, list[RawEdge]]
        _measures: dict[str, tuple[str, ...]]
        _children: dict[str, tuple[str, ...]]
        _slug: str
        _base: Any

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
        def _descendants(self, cid: str) -> list[str]: ...
        def _ancestors(self, cid: str) -> list[str]: ...
        def _req(self, cid: str) -> Requirement: ...
        def _scheme_ids(self, scheme: str) -> tuple[str, ...]: ...
        def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]: ...

    # --- reading an SoA ---------------------------------------------------------------

    def resolve_soa_id(self, text: str, *, kind: str | None = None, ids: str | None = None) -> str:
        """The canonical id of the control or clause an SoA line names.

        Args:
            text: the id as written (``A.5.19``, ``5.19``, ``clause 6.2``, ``iso27001:6.2``).
            kind: what the line says it is (``control`` or ``clause``), or None.
            ids: how to read a bare id that is both a clause and a control (``6.2``) when
                ``kind`` does not say: ``controls``, ``clauses``, or None to refuse it.

        Raises:
            AmbiguousSoaIdError: a bare id that is both an ISO/IEC 27001 clause and an
                ISO/IEC 27002 control (or theme), and neither ``kind`` nor ``ids`` says which.
            UnknownIdError: it names no control or clause (with the closest ids).
            ValueError: ``kind`` or ``ids`` is not one of the accepted words.

        Examples:
            >>> import bio2map
            >>> cat = bio2map.load()
            >>> cat.resolve_soa_id("A.6.2"), cat.resolve_soa_id("clause 6.2")
            ('iso27002:6.2', 'iso27001:6.2')
            >>> cat.resolve_soa_id("6.2", ids="clauses")
            'iso27001:6.2'
        """
        key = ("soa_id", text, kind or "", ids or "")
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        from bio2map.core.soa import IDS_MODES, AmbiguousSoaIdError

        if kind not in (None, "control", "clause"):
            msg = f"kind must be 'control' or 'clause', got {kind!r}"
            raise ValueError(msg)
        if ids not in (None, *IDS_MODES):
            msg = f"ids must be one of {', '.join(IDS_MODES)}, got {ids!r}"
            raise ValueError(msg)
        if kind is not None:
            cid = self.resolve(text, {"iso27002" if kind == "control" else "iso27001"}, kind)
        else:
            found = {
                c
                for tier in readings(text)
                for c in tier
                if c in self._raw and scheme_of(c) in _SOA_SCHEMES
            }
            if len(found) > 1:
                clause, control = sorted(found)  # iso27001 sorts before iso27002
                if ids is None:
                    titles = (self._ctl[clause]["title"], self._ctl[control]["title"])
                    raise AmbiguousSoaIdError(text, (clause, control), titles)
                cid = control if ids == "controls" else clause
            elif found:
                cid = found.pop()
            else:  # unknown: resolve() raises with the closest ids
                cid = self.resolve(text, _SOA_SCHEMES, "control")
        if len(self._cache) < 8192:
            self._cache[key] = cid
        return cid

    def _soa_of(self, soa: SoaInput, ids: str | None) -> StatementOfApplicability:
        """Any accepted form of an SoA as one with resolved ids."""
        from bio2map.core.soa import SoaEntry, StatementOfApplicability, normalize_status

        if isinstance(soa, str | os.PathLike):
            # a file is read by the formats room (bio2map.formats.soa.read_soa)
            read: StatementOfApplicability = hooks.call("read_soa", soa, self, ids=ids)
            return read
        resolve = self.resolve_soa_id
        if isinstance(soa, StatementOfApplicability):
            if all(e.id for e in soa.entries):
                return soa
            entries = [
                e if e.id else e.resolved(resolve(e.raw, kind=e.kind or None, ids=ids))
                for e in soa.entries
            ]
            return StatementOfApplicability(soa.source, entries, soa.warnings)
        if isinstance(soa, MappingABC):
            source = "<mapping>"
            spelled: dict[str, str] = {}  # a few spellings, each folded once

            def status_of(status: Any, raw: str) -> str:
                found = spelled.get(status) if type(status) is str else None
                if found is None:
                    found = normalize_status(status, raw)  # refuses what it does not know
                    if type(status) is str:
                        spelled[status] = found
                return found

            entries = [
                SoaEntry(0, raw, status_of(status, raw), resolve(raw, ids=ids))
                for raw, status in soa.items()
            ]
        elif isinstance(soa, bytes):
            msg = "an SoA must be a path, a mapping or an iterable of ids, not bytes"
            raise TypeError(msg)
        else:
            source = "<list>"
            entries = [SoaEntry(0, raw, "implemented", resolve(raw, ids=ids)) for raw in soa]
        # without lines, the entries come in the standards' order (controls, then clauses),
        # so that the answer does not depend on the order of a mapping
        ctl = self._ctl
        entries.sort(key=lambda e: (scheme_of(e.id) == "iso27001", ctl[e.id]["seq"]))
        return StatementOfApplicability(source, entries)

    def resolve_soa(self, implemented: SoaInput, *, ids: str | None = None) -> dict[str, str]:
        """Turn an SoA (a path, ids, id -> status, or :func:`read_soa`'s answer) into
        canonical id -> canonical status.

        An id named twice keeps its stronger status (:data:`bio2map.core.soa.RANK`).

        Raises:
            UnknownIdError: an id is unknown (the first one; the SoA reader reports all),
                or is both a clause and a control (:class:`~bio2map.core.soa.AmbiguousSoaIdError`).
            ValueError: a status is not an accepted spelling
                (:class:`~bio2map.core.soa.UnknownStatusError`, listing them).
        """
        return self._soa_of(implemented, ids).as_mapping()

    # --- coverage -------------------------------------------------------------------------

    def coverage(
        self,
        implemented: SoaInput,
        *,
        ids: str | None = None,
        include_clauses: bool | None = None,
    ) -> Coverage:
        """How far an SoA covers each NIS2 Art. 21(2) point and each assessable 2024/2690
        requirement, with four scores (:data:`METRIC_RULES`).

        Args:
            implemented: the SoA: a path to a file (``str`` or ``os.PathLike``, read as
                :func:`bio2map.formats.soa.read_soa` reads it), what ``read_soa`` returns, a
                mapping of id to status (any spelling of :mod:`bio2map.core.soa`), or an
                iterable of ids (all implemented). Ids are controls (``A.5.19``) or ISO/IEC
                27001 clauses (``clause 9.3``).
            ids: how to read a bare id that is both a clause and a control (``6.2``):
                ``"controls"`` or ``"clauses"``; None refuses such an id.
            include_clauses: deprecated and ignored: clauses named in the SoA are assessed.

        The rule (``docs/concepts.md``): the controls a requirement maps to are counted,
        and its ISO/IEC 27001 clauses too when the SoA names any clause. A control the SoA
        does not list counts 0; a not-applicable one leaves the denominator. ``share`` is
        the implemented weight divided by the number counted. ``unmapped``: nothing in the
        graph can evidence the requirement (no target, or only clauses while the SoA
        names none); ``not-applicable``: every mapped control is; ``none`` when the share
        is 0; ``full`` only when it is 1 *and* some mapping says the requirement is
        contained in a counted control (``equal`` or ``subset_of``); otherwise
        ``partial``. A requirement reached only through ``intersects_with`` edges is
        therefore at most ``partial``, however many controls are implemented.

        Raises:
            UnknownIdError: an id is unknown, or both a clause and a control.
            ValueError: a status is not an accepted spelling, or ``ids`` is not.
            DataErrorGroup: the SoA file cannot be read or has bad lines.
        """
        if include_clauses is not None:
            import warnings

            warnings.warn(
                "coverage(include_clauses=...) is ignored since 0.2: the ISO 27001 clauses "
                "named in the SoA are assessed",
                DeprecationWarning,
                stacklevel=2,
            )
        soa = self._soa_of(implemented, ids)
        # answers are cached, like every answer of the catalog; a few SoAs at a time
        answers: dict[tuple[object, ...], Coverage] = self._cache.setdefault(
            ("coverage_answers",), {}
        )
        key = _answer_key(soa)
        hit = answers.get(key)
        if hit is None:
            from bio2map.catalog.scoring import records

            hit = records(self._coverage_run(soa), self._req)
            if len(answers) >= _ANSWERS_KEPT:
                answers.pop(next(iter(answers)), None)
            answers[key] = hit
        return hit

    def coverage_data(self, implemented: SoaInput, *, ids: str | None = None) -> dict[str, Any]:
        """:meth:`coverage` as plain JSON-ready data (``Coverage.as_dict()``), without
        making a record: the command line's fast path.

        Raises:
            UnknownIdError: an id is unknown, or both a clause and a control.
            ValueError: a status is not an accepted spelling, or ``ids`` is not.
            DataErrorGroup: the SoA file cannot be read or has bad lines.
        """
        from bio2map.catalog.scoring import document

        return document(self._coverage_run(self._soa_of(implemented, ids)), self._rq)

    def _coverage_index(self) -> Index:
        """Points, assessable requirements and legislation, with what each reaches (cached)."""
        cached = self._cache.get(("coverage_index",))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        from bio2map.catalog.scoring import Index

        nis2 = self._in_order("nis2")
        index = Index.build(
            (i for i in nis2 if self._raw[i]["kind"] == "point" and i.startswith("nis2:21.2.")),
            (i for i in self._in_order("ir2690") if self._rq[i]["assessable"]),
            tuple(
                i
                for i in nis2
                if self._rq[i].get("addressed_by") == "legislation"
                and self._rq[i]["parent"] is None
            ),
            self._rq,
            self._ctl,
            self._reach,
            self._in_order("iso27001"),
        )
        self._cache[("coverage_index",)] = index
        return index

    def _reach(self, rid: str) -> dict[str, set[str]]:
        """What requirement ``rid`` (an NIS2 point or an annex requirement) reaches: control
        or clause id -> relationships, as ``_paths(rid)`` gives them (``rels``), without
        the provenance ``_paths`` gathers on the way (``via``, ``sources``, ``basis``),
        which coverage does not read: a cold ``gaps`` builds 361 of these.

        The same walk as ``_paths`` (:mod:`bio2map.catalog.paths`) with basis ``all``
        (which admits every link): an NIS2 point goes through the annex requirements that
        implement it and its own links, anything else through its own links and its
        descendants' (then, when none, its nearest mapped ancestor's, as an intersection);
        a link to another requirement continues along that requirement's ``_paths``.
        ``tests/test_scoring.py`` holds the two equal on every packaged draft and with
        layers.
        """
        out: dict[str, set[str]] = {}
        visiting = frozenset({rid})
        raw, maps_from = self._raw, self._maps_from

        def walk(n: str, first: str | None) -> None:
            for e in maps_from.get(n, ()):  # every basis admits every link
                rel = e[_REL] if first is None else compose(first, e[_REL])
                target = e[_TGT]
                if raw[target]["record"] == "Control":
                    out.setdefault(target, set()).add(rel)
                elif target not in visiting:
                    for cid, sub in self._paths(target, visiting).items():
                        out.setdefault(cid, set()).update(compose(rel, r) for r in sub.rels)

        if scheme_of(rid) == "nis2":
            for n in self._descendants(rid):
                for imp in self._implements.get(n, ()):
                    walk(imp[_SRC], invert(imp[_REL]))
                walk(n, None if n == rid else "superset_of")
            return out
        for n in self._descendants(rid):
            walk(n, None if n == rid else "superset_of")
        if not out:
            for anc in self._ancestors(rid):
                if maps_from.get(anc):
                    walk(anc, "intersects_with")
                    break
        return out

    def _in_order(self, scheme: str) -> tuple[str, ...]:
        """The ids of ``scheme`` in document order, as ``_scheme_ids`` gives them: by
        ``seq`` when no two share one (then that is the order), else ``_scheme_ids``
        itself. Sorting by the ids as well costs a cold ``gaps`` a few milliseconds."""
        cached: tuple[str, ...] | None = self._cache.get(("scheme_ids", scheme))
        if cached is not None:
            return cached
        prefix, raw = scheme + ":", self._raw
        ids = [i for i in raw if i.startswith(prefix)]
        seqs = [raw[i].get("seq", 0) for i in ids]
        if len(set(seqs)) < len(ids):
            return self._scheme_ids(scheme)
        return tuple(i for _, i in sorted(zip(seqs, ids, strict=True)))

    def _coverage_run(self, soa: StatementOfApplicability) -> Any:
        from bio2map.catalog.scoring import run

        return run(soa, self._coverage_index(), METRIC_RULES)
