"""Coverage of a Statement of Applicability.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module: the scoring
rule (docs/concepts.md, "The coverage rule") is one concept, the indices it reads are
another.

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
from bio2map.core.soa import (
    IDS_MODES,
    NOT_IN_SOA,
    RANK,
    WEIGHTS,
    AmbiguousSoaIdError,
    SoaEntry,
    StatementOfApplicability,
    display_id,
    kind_of,
    normalize_status,
)
from bio2map.core.vocab import strongest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, TypeAlias

    from bio2map.catalog.answers import Coverage
    from bio2map.core.raw import RawControl, RawEdge, RawNode, RawRequirement
    from bio2map.core.records import Control, Draft, Measure, Requirement

    SoaInput: TypeAlias = (
        "str | os.PathLike[str] | StatementOfApplicability | MappingABC[str, str] | Iterable[str]"
    )

__all__ = ["IMPLEMENTATION_STATUSES", "METRIC_RULES", "CoverageQueries"]

IMPLEMENTATION_STATUSES: Final[dict[str, float | None]] = dict(WEIGHTS)
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
_CONTAINED: Final = frozenset({"equal", "subset_of"})
_LEFT_OUT: Final = frozenset({"unmapped", "not-applicable"})
_GROUPS: Final = (
    ("partial", "partial"),
    ("planned", "planned"),
    ("not-implemented", "not implemented"),
    (NOT_IN_SOA, "not in the SoA"),
    ("not-applicable", "not applicable (left out)"),
)

# A control's state for one coverage: (status, weight, justification, line, listed as)
_State: TypeAlias = "tuple[str, float | None, str, int, str]"
_UNLISTED: Final = (NOT_IN_SOA, 0.0, "", 0, "")
_WEIGHTS: Final = {**WEIGHTS, NOT_IN_SOA: 0.0}
"""The weight of every status a counted control can have (the ``weights`` of a document)."""


class _Target:
    """One point or assessable requirement, and what it reaches (cached per catalog)."""

    __slots__ = (
        "addressed_by",
        "clauses",
        "contained",
        "controls",
        "id",
        "label",
        "ref",
        "rel_all",
        "rel_controls",
    )

    def __init__(self, rid: str, raw: RawRequirement, paths: dict[str, Any], ctl: Any) -> None:
        self.id = rid
        self.ref: str = raw["ref"]
        self.label: str = raw["label"]
        self.addressed_by: str = raw.get("addressed_by", "controls")
        controls: list[tuple[int, str]] = []
        clauses: list[tuple[int, str]] = []
        rels: set[str] = set()
        clause_rels: set[str] = set()
        contained = []
        for cid, path in paths.items():
            if cid.startswith("iso27001:"):
                clauses.append((ctl[cid]["seq"], cid))
                clause_rels |= path.rels
            else:
                controls.append((ctl[cid]["seq"], cid))
                rels |= path.rels
            if not path.rels.isdisjoint(_CONTAINED):
                contained.append(cid)  # equal or subset_of: none in ENISA's data
        controls.sort()
        clauses.sort()
        self.controls = tuple(c for _, c in controls)  # in the standard's order
        self.clauses = tuple(c for _, c in clauses)
        self.rel_controls = strongest(rels) if rels else "not_related"
        rels |= clause_rels
        self.rel_all = strongest(rels) if rels else "not_related"
        self.contained = frozenset(contained)


class _Index:
    """The points, requirements and legislation coverage judges, and which of them each
    control or clause reaches (cached per catalog)."""

    __slots__ = ("legislation", "points", "reach", "requirements")

    def __init__(
        self, points: tuple[_Target, ...], requirements: tuple[_Target, ...], legislation: Any
    ) -> None:
        self.points = points
        self.requirements = requirements
        self.legislation: tuple[str, ...] = legislation
        reach: dict[str, tuple[set[int], set[int]]] = {}
        for group, targets in enumerate((points, requirements)):
            for i, t in enumerate(targets):
                for c in (*t.controls, *t.clauses):
                    reach.setdefault(c, (set(), set()))[group].add(i)
        self.reach = reach


class _Scored:
    """The coverage of one point or requirement, as plain values."""

    __slots__ = (
        "counted",
        "implemented",
        "mapped",
        "missing",
        "not_applicable",
        "note",
        "open",
        "partial",
        "reason",
        "relationship",
        "share",
        "status",
        "target",
    )

    def __init__(self, target: _Target, status: str, relationship: str, reason: str) -> None:
        self.target = target
        self.status = status
        self.relationship = relationship
        self.reason = reason
        self.share = 0.0
        self.counted = 0
        self.note = ""
        self.mapped: tuple[str, ...] = ()
        self.implemented: list[str] = []
        self.partial: list[str] = []
        self.open: list[str] = []
        self.not_applicable: list[str] = []
        self.missing: list[str] = []


def _unmapped(t: _Target) -> _Scored:
    if t.clauses:
        s = _Scored(
            t,
            "unmapped",
            "not_related",
            f"only ISO 27001 clauses are mapped ({_fmt(t.clauses)}); the SoA assesses no clause",
        )
        s.note = "only ISO 27001 clauses mapped; list them in the SoA to assess them"
    elif t.addressed_by == "legislation":
        s = _Scored(t, "unmapped", "not_related", "addressed by legislation")
        s.note = "addressed by legislation"
    else:
        s = _Scored(t, "unmapped", "not_related", "no ISO control or clause is mapped")
        s.note = "no ISO control mapped"
    return s


def _score(t: _Target, assess: bool, state: dict[str, _State]) -> _Scored:
    """The rule of docs/concepts.md for one point or requirement."""
    mapped = t.controls + t.clauses if assess else t.controls
    if not mapped:
        return _unmapped(t)
    s = _Scored(t, "", t.rel_all if assess else t.rel_controls, "")
    s.mapped = mapped
    implemented, partial, open_, na, missing = (
        s.implemented,
        s.partial,
        s.open,
        s.not_applicable,
        s.missing,
    )
    groups: dict[str, list[str]] = {}
    got = 0.0
    for cid in mapped:
        st = state.get(cid, _UNLISTED)
        weight = st[1]
        if weight is None:
            na.append(cid)
            missing.append(cid)
            continue
        if weight >= 1:
            implemented.append(cid)
            got += weight
            continue
        got += weight
        missing.append(cid)
        (partial if st[0] == "partial" else open_).append(cid)
        group = groups.get(st[0])
        if group is None:
            groups[st[0]] = [cid]
        else:
            group.append(cid)
    counted = s.counted = len(mapped) - len(na)
    if na:
        groups["not-applicable"] = na
    if not counted:
        s.status = "not-applicable"
        s.reason = f"every mapped {_noun(mapped, plural=False)} is not applicable: {_fmt(na)}"
        return s
    share = s.share = round(got / counted, 4)
    if share == 0:
        s.status = "none"
    elif share >= 1 and not t.contained.isdisjoint(implemented):
        s.status = "full"
    else:
        s.status = "partial"
        if share >= 1:
            s.note = "all mapped implemented; at most partial (intersects_with)"
    if na:
        noun = _noun([c for c in mapped if c not in na], plural=counted != 1)
    else:
        noun = _NOUNS[bool(t.controls), assess and bool(t.clauses), counted != 1]
    head = f"{len(implemented)} of {counted} {noun} implemented"
    if s.note:
        head += "; at most partial (intersects_with)"
    s.reason = "; ".join(
        [head, *(f"{_fmt(groups[name])} {words}" for name, words in _GROUPS if name in groups)]
    )
    return s


class _Run:
    """Everything one ``coverage`` call works out, as plain values."""

    __slots__ = (
        "entries",
        "legislation",
        "metrics",
        "points",
        "requirements",
        "source",
        "state",
        "summary",
    )

    def __init__(self, source: str, state: dict[str, _State], index: _Index) -> None:
        self.source = source
        self.state = state
        self.legislation = index.legislation
        self.points: list[_Scored] = []
        self.requirements: list[_Scored] = []
        self.entries: list[dict[str, Any]] = []
        self.metrics: dict[str, dict[str, Any]] = {}
        self.summary: dict[str, Any] = {}


def _noun(ids: Iterable[str], *, plural: bool) -> str:
    """``control(s)``, ``clause(s)``, or both, for the ids of one requirement."""
    kinds = {kind_of(c) for c in ids}
    if kinds == {"clause"}:
        return "clauses" if plural else "clause"
    if "clause" in kinds:
        return "controls and clauses" if plural else "control or clause"
    return "controls" if plural else "control"


_NOUNS: Final = {
    (controls, clauses, plural): _noun(
        ["iso27002:5.1"] * controls + ["iso27001:4.1"] * clauses, plural=plural
    )
    for controls in (False, True)
    for clauses in (False, True)
    for plural in (False, True)
    if controls or clauses
}


def _fmt(ids: Iterable[str]) -> str:
    return ", ".join(display_id(c) for c in ids)


class CoverageQueries:
    """SoA coverage; mixed into ``Catalog`` (which answers ``uncovered`` itself)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides
        _raw: dict[str, RawNode]
        _rq: dict[str, RawRequirement]
        _ctl: dict[str, RawControl]
        _cache: dict[tuple[str, ...], Any]
        _maps_to: dict[str, list[RawEdge]]
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
            entries = [
                SoaEntry(0, raw, normalize_status(status, raw), resolve(raw, ids=ids))
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
        key = (soa.source, soa.entries)
        hit = answers.get(key)
        if hit is None:
            hit = self._coverage_records(self._coverage_run(soa))
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
        return self._coverage_document(self._coverage_run(self._soa_of(implemented, ids)))

    def _coverage_index(self) -> _Index:
        """Points, assessable requirements and legislation, with what each reaches (cached)."""
        cached = self._cache.get(("coverage_index",))
        if cached is not None:
            return cached  # type: ignore[no-any-return]

        def target(rid: str) -> _Target:
            return _Target(rid, self._rq[rid], self._paths(rid), self._ctl)

        nis2 = self._scheme_ids("nis2")
        index = _Index(
            tuple(
                target(i)
                for i in nis2
                if self._raw[i]["kind"] == "point" and i.startswith("nis2:21.2.")
            ),
            tuple(target(i) for i in self._scheme_ids("ir2690") if self._rq[i]["assessable"]),
            tuple(
                i
                for i in nis2
                if self._rq[i].get("addressed_by") == "legislation"
                and self._rq[i]["parent"] is None
            ),
        )
        self._cache[("coverage_index",)] = index
        return index

    def _soa_states(self, soa: StatementOfApplicability) -> tuple[dict[str, _State], set[int]]:
        """Each listed id's state (the stronger line wins), and the lines that lost."""
        state: dict[str, _State] = {}
        winner: dict[str, int] = {}
        for i, e in enumerate(soa.entries):
            prev = state.get(e.id)
            if prev is not None and RANK[e.status] <= RANK[prev[0]]:
                continue
            state[e.id] = (e.status, WEIGHTS[e.status], e.justification, e.line, e.id)
            winner[e.id] = i
        lost = set(range(len(soa.entries))) - set(winner.values())
        if any(scheme_of(c) == "iso27001" for c in state):
            # a clause the SoA does not list has the status of the nearest listed one above it
            listed = set(state)
            for cid in self._scheme_ids("iso27001"):
                if cid in listed:
                    continue
                parent = self._ctl[cid].get("parent")
                while parent is not None and parent not in listed:
                    parent = self._ctl[parent].get("parent")
                if parent is not None:
                    state[cid] = (*state[parent][:4], parent)
        return state, lost

    def _coverage_run(self, soa: StatementOfApplicability) -> _Run:
        index = self._coverage_index()
        state, lost = self._soa_states(soa)
        assess = any(scheme_of(c) == "iso27001" for c in state)
        run = _Run(soa.source, state, index)
        run.points = [_score(t, assess, state) for t in index.points]
        run.requirements = [_score(t, assess, state) for t in index.requirements]
        run.entries = _entries(soa, state, lost, index)
        run.metrics = _metrics(run.points, run.requirements)
        p, r = run.points, run.requirements
        run.summary = {
            "points_full": _count(p, "full"),
            "points_partial": _count(p, "partial"),
            "points_none": _count(p, "none"),
            "points_unmapped": _count(p, "unmapped"),
            "points_not_applicable": _count(p, "not-applicable"),
            "points_covered_share": run.metrics["points-any"]["value"],
            "requirements_full": _count(r, "full"),
            "requirements_partial": _count(r, "partial"),
            "requirements_none": _count(r, "none"),
            "requirements_unmapped": _count(r, "unmapped"),
            "requirements_not_applicable": _count(r, "not-applicable"),
            "controls_given": len({e.id for e in soa.entries}),
            "controls_counted": len({e["id"] for e in run.entries if e["counted"]}),
            "clauses_assessed": assess,
            "not_counted": sum(1 for e in run.entries if not e["counted"]),
        }
        return run

    def _item_doc(self, run: _Run, s: _Scored) -> dict[str, Any]:
        state = run.state
        return {
            "id": s.target.id,
            "ref": s.target.ref,
            "label": s.target.label,
            "status": s.status,
            "share": s.share,
            "counted": s.counted,
            "mapped": list(s.mapped),
            "implemented": s.implemented,
            "missing": s.missing,
            "controls": {c: state.get(c, _UNLISTED)[0] for c in s.mapped},
            "relationship": s.relationship,
            "note": s.note,
            "reason": s.reason,
        }

    def _coverage_document(self, run: _Run) -> dict[str, Any]:
        return {
            "points": [self._item_doc(run, s) for s in run.points],
            "requirements": [self._item_doc(run, s) for s in run.requirements],
            "legislation": [
                {"id": i, "label": self._rq[i]["label"], "law": list(self._rq[i].get("law", ()))}
                for i in run.legislation
            ],
            "summary": run.summary,
            "metrics": run.metrics,
            "weights": dict(_WEIGHTS),
            "soa_entries": run.entries,
            "not_counted": [dict(e) for e in run.entries if not e["counted"]],
            "source": run.source,
        }

    def _coverage_records(self, run: _Run) -> Coverage:
        from bio2map.catalog import answers as model

        made: dict[str, model.CoverageControl] = {}

        def control(cid: str) -> model.CoverageControl:
            c = made.get(cid)
            if c is None:
                c = made[cid] = model.CoverageControl(
                    cid, kind_of(cid), *run.state.get(cid, _UNLISTED)
                )
            return c

        def item(s: _Scored) -> model.CoverageItem:
            return model.CoverageItem(
                s.target.id,
                s.status,
                s.share,
                s.mapped,
                tuple(s.implemented),
                tuple(s.missing),
                s.relationship,
                s.note,
                tuple(s.partial),
                tuple(s.open),
                tuple(s.not_applicable),
                s.counted,
                tuple(control(c) for c in s.mapped),
                s.reason,
                s.target.ref,
                s.target.label,
            )

        return model.Coverage(
            points=tuple(item(s) for s in run.points),
            requirements=tuple(item(s) for s in run.requirements),
            legislation=tuple(self._req(i) for i in run.legislation),
            summary=model.CoverageSummary(**run.summary),
            metrics=tuple(
                model.CoverageMetric(
                    m["name"],
                    m["value"],
                    m["over"],
                    m["of"],
                    tuple(x["id"] for x in m["left_out"]),
                    m["rule"],
                )
                for m in run.metrics.values()
            ),
            entries=tuple(model.CoverageEntry(**e) for e in run.entries),
            source=run.source,
        )


def _count(items: list[_Scored], status: str) -> int:
    return sum(1 for s in items if s.status == status)


def _metrics(points: list[_Scored], requirements: list[_Scored]) -> dict[str, dict[str, Any]]:
    """The four scores (:data:`METRIC_RULES`), each with what it is taken over."""

    def metric(name: str, items: list[_Scored], value: float, *, all_items: bool = False) -> Any:
        over = [s for s in items if all_items or s.status not in _LEFT_OUT]
        return {
            "name": name,
            "value": round(value, 4),
            "over": len(over),
            "of": len(items),
            "left_out": [
                {"id": s.target.id, "ref": s.target.ref, "status": s.status, "reason": s.reason}
                for s in items
                if not all_items and s.status in _LEFT_OUT
            ],
            "rule": METRIC_RULES[name],
        }

    pts = [s.share for s in points if s.status not in _LEFT_OUT]
    reqs = [s.share for s in requirements if s.status not in _LEFT_OUT]
    covered = sum(1 for s in points if s.status in ("full", "partial"))
    return {
        "points-mean": metric("points-mean", points, sum(pts) / len(pts) if pts else 0.0),
        "points-min": metric("points-min", points, min(pts, default=0.0)),
        "annex-mean": metric("annex-mean", requirements, sum(reqs) / len(reqs) if reqs else 0.0),
        "points-any": metric(
            "points-any", points, covered / len(points) if points else 0.0, all_items=True
        ),
    }


def _entries(
    soa: StatementOfApplicability, state: dict[str, _State], lost: set[int], index: _Index
) -> list[dict[str, Any]]:
    """Every SoA line: whether it counted, for how many points and requirements, and
    why not."""
    members: dict[str, list[str]] = {}
    for cid, st in state.items():
        members.setdefault(st[4], []).append(cid)
    out = []
    for i, e in enumerate(soa.entries):
        cid = e.id
        reached: tuple[set[int], set[int]] = (set(), set())
        for m in members.get(cid, ()):  # the id, and the clauses that take its status
            hit = index.reach.get(m)
            if hit is not None:
                reached[0].update(hit[0])
                reached[1].update(hit[1])
        reason = ""
        if i in lost:
            first = state[cid][3]
            at = f"line {first}" if first else "the stronger status"
            reason = f"listed again: {at} ({state[cid][0]}) counts"
        elif kind_of(cid) == "theme":
            reason = "an ISO 27002 theme, not a control: list its controls"
        elif not (reached[0] or reached[1]):
            reason = "maps to no Art. 21(2) point or 2024/2690 requirement"
        out.append(
            {
                "line": e.line,
                "id": cid,
                "raw": e.raw,
                "kind": kind_of(cid),
                "status": e.status,
                "weight": WEIGHTS[e.status],
                "justification": e.justification,
                "counted": not reason,
                "points": 0 if reason else len(reached[0]),
                "requirements": 0 if reason else len(reached[1]),
                "reason": reason,
            }
        )
    return out
