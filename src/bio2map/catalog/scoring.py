"""The coverage rule: what each point and requirement reaches, and the scores of one SoA.

The rule is docs/concepts.md, "The coverage rule"; :class:`~bio2map.catalog.coverage.
CoverageQueries` asks it through :func:`run`. What does not depend on the SoA is worked
out once per catalog (:class:`Index`): the targets (the ten Art. 21(2) points and the
assessable 2024/2690 requirements), the controls and clauses each reaches, and which
targets reach the same ones (a :class:`Group`: 361 targets fall into some sixty). An SoA
is then scored once per group, not once per target, and every target takes its group's
score. :func:`document` turns a run into the plain JSON-ready document, :func:`records` into
the frozen :class:`~bio2map.catalog.answers.Coverage`.

Imported by the catalog only when coverage is asked for: a cold query never loads it.

.. versionadded:: 0.4.0
   Split from :mod:`bio2map.catalog.coverage`.
"""

from __future__ import annotations

from itertools import starmap

from bio2map.core.soa import NOT_IN_SOA, RANK, WEIGHTS, display_id, kind_of
from bio2map.core.vocab import strongest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any, Final, TypeAlias

    from bio2map.catalog.answers import Coverage, CoverageControl
    from bio2map.core.raw import RawControl, RawRequirement
    from bio2map.core.records import Requirement
    from bio2map.core.soa import StatementOfApplicability

    # A control's state for one coverage: (status, weight, justification, line, listed as)
    State: TypeAlias = tuple[str, float | None, str, int, str]

__all__ = ["Index", "Run", "document", "records", "run"]

_CONTAINED: Final = frozenset({"equal", "subset_of"})
_LEFT_OUT: Final = frozenset({"unmapped", "not-applicable"})
_GROUPS: Final = (
    ("partial", "partial"),
    ("planned", "planned"),
    ("not-implemented", "not implemented"),
    (NOT_IN_SOA, "not in the SoA"),
    ("not-applicable", "not applicable (left out)"),
)
_UNLISTED: Final = (NOT_IN_SOA, 0.0, "", 0, "")
WEIGHTS_DOC: Final = {**WEIGHTS, NOT_IN_SOA: 0.0}
"""The weight of every status a counted control can have (the ``weights`` of a document)."""
_STATUSES: Final = ("full", "partial", "none", "unmapped", "not-applicable")


_KIND: dict[str, str] = {}
"""Control, clause or theme of each id met (:func:`bio2map.core.soa.kind_of`), remembered."""


def _kind_of(cid: str) -> str:
    kind = _KIND.get(cid)
    if kind is None:
        kind = kind_of(cid)
        if len(_KIND) < 65536:  # the ids of a catalog and its layers, not without end
            _KIND[cid] = kind
    return kind


def _noun(ids: Iterable[str], *, plural: bool) -> str:
    """``control(s)``, ``clause(s)``, or both, for the ids of one requirement."""
    kinds = set(map(_kind_of, ids))
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


class Group:
    """Targets that reach the same controls and clauses (and are contained in the same
    ones): their score for an SoA is one and the same."""

    __slots__ = ("addressed_by", "clauses", "contained", "controls", "shown")

    def __init__(
        self,
        controls: tuple[str, ...],
        clauses: tuple[str, ...],
        contained: frozenset[str],
        addressed_by: str,
    ) -> None:
        self.controls = controls  # in the standard's order
        self.clauses = clauses
        self.contained = contained  # equal or subset_of: none in ENISA's data
        self.addressed_by = addressed_by
        self.shown = {c: display_id(c) for c in (*controls, *clauses)}  # as tables write it

    def fmt(self, ids: Iterable[str]) -> str:
        return ", ".join(map(self.shown.__getitem__, ids))


class Target:
    """One point or assessable requirement: its group and its relationships."""

    __slots__ = ("group", "id", "label", "ref", "rel_all", "rel_controls")

    def __init__(self, rid: str, raw: RawRequirement, group: Group, rels: tuple[str, str]) -> None:
        self.id = rid
        self.ref: str = raw["ref"]
        self.label: str = raw["label"]
        self.group = group
        self.rel_controls, self.rel_all = rels


class Index:
    """The points, requirements and legislation coverage judges, which controls and
    clauses each reaches, and the ISO/IEC 27001 clauses with their parents (built once
    per catalog by :meth:`build`)."""

    __slots__ = ("clause_parents", "legislation", "points", "reach", "requirements")

    def __init__(
        self,
        points: tuple[Target, ...],
        requirements: tuple[Target, ...],
        legislation: tuple[str, ...],
        clause_parents: tuple[tuple[str, str | None], ...],
    ) -> None:
        self.points = points
        self.requirements = requirements
        self.legislation = legislation
        self.clause_parents = clause_parents  # every clause, in order, with its parent
        reach: dict[str, tuple[set[int], set[int]]] = {}
        for side, targets in enumerate((points, requirements)):
            for i, t in enumerate(targets):
                for c in (*t.group.controls, *t.group.clauses):
                    reach.setdefault(c, (set(), set()))[side].add(i)
        self.reach = reach

    @classmethod
    def build(
        cls,
        points: Iterable[str],
        requirements: Iterable[str],
        legislation: tuple[str, ...],
        rq: Mapping[str, RawRequirement],
        ctl: Mapping[str, RawControl],
        reach: Callable[[str], Mapping[str, set[str]]],
        clauses: Iterable[str],
    ) -> Index:
        """The index of a catalog: ``reach(rid)`` gives what requirement ``rid`` reaches
        (control or clause id -> the relationships of the paths to it)."""
        groups: dict[tuple[Any, ...], Group] = {}

        def target(rid: str) -> Target:
            raw = rq[rid]
            controls: list[tuple[int, str]] = []
            found: list[tuple[int, str]] = []
            rels: set[str] = set()
            clause_rels: set[str] = set()
            contained = []
            for cid, path_rels in reach(rid).items():
                if cid.startswith("iso27001:"):
                    found.append((ctl[cid]["seq"], cid))
                    clause_rels |= path_rels
                else:
                    controls.append((ctl[cid]["seq"], cid))
                    rels |= path_rels
                if not path_rels.isdisjoint(_CONTAINED):
                    contained.append(cid)
            controls.sort()
            found.sort()
            rel_controls = strongest(rels) if rels else "not_related"
            rels |= clause_rels
            rel_all = strongest(rels) if rels else "not_related"
            key = (
                tuple(c for _, c in controls),
                tuple(c for _, c in found),
                frozenset(contained),
                raw.get("addressed_by", "controls"),
            )
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(*key)
            return Target(rid, raw, group, (rel_controls, rel_all))

        clause_parents = tuple((c, ctl[c].get("parent")) for c in clauses)
        return cls(
            tuple(map(target, points)),
            tuple(map(target, requirements)),
            legislation,
            clause_parents,
        )


class Score:
    """The coverage of one group of targets by one SoA, as plain values."""

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
        "share",
        "status",
    )

    def __init__(self, status: str, reason: str, note: str = "") -> None:
        self.status = status
        self.reason = reason
        self.note = note
        self.share = 0.0
        self.counted = 0
        self.mapped: tuple[str, ...] = ()
        self.implemented: list[str] = []
        self.partial: list[str] = []
        self.open: list[str] = []
        self.not_applicable: list[str] = []
        self.missing: list[str] = []


def _unmapped(g: Group) -> Score:
    if g.clauses:
        return Score(
            "unmapped",
            f"only ISO 27001 clauses are mapped ({g.fmt(g.clauses)}); the SoA assesses no clause",
            "only ISO 27001 clauses mapped; list them in the SoA to assess them",
        )
    if g.addressed_by == "legislation":
        return Score("unmapped", "addressed by legislation", "addressed by legislation")
    return Score("unmapped", "no ISO control or clause is mapped", "no ISO control mapped")


def _score(g: Group, assess: bool, state: dict[str, State]) -> Score:
    """The rule of docs/concepts.md for the targets of one group."""
    mapped = g.controls + g.clauses if assess else g.controls
    if not mapped:
        return _unmapped(g)
    s = Score("", "")
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
        got += weight
        if weight >= 1:
            implemented.append(cid)
            continue
        missing.append(cid)
        (partial if st[0] == "partial" else open_).append(cid)
        groups.setdefault(st[0], []).append(cid)
    counted = s.counted = len(mapped) - len(na)
    if na:
        groups["not-applicable"] = na
    if not counted:
        s.status = "not-applicable"
        s.reason = f"every mapped {_noun(mapped, plural=False)} is not applicable: {g.fmt(na)}"
        return s
    share = s.share = round(got / counted, 4)
    if share == 0:
        s.status = "none"
    elif share >= 1 and not g.contained.isdisjoint(implemented):
        s.status = "full"
    else:
        s.status = "partial"
        if share >= 1:
            s.note = "all mapped implemented; at most partial (intersects_with)"
    if na:
        noun = _noun([c for c in mapped if c not in na], plural=counted != 1)
    else:
        noun = _NOUNS[bool(g.controls), assess and bool(g.clauses), counted != 1]
    head = f"{len(implemented)} of {counted} {noun} implemented"
    if s.note:
        head += "; at most partial (intersects_with)"
    s.reason = "; ".join(
        [head, *(f"{g.fmt(groups[name])} {words}" for name, words in _GROUPS if name in groups)]
    )
    return s


class Run:
    """Everything one coverage works out, as plain values: each target with its score."""

    __slots__ = (
        "assess",
        "entries",
        "legislation",
        "metrics",
        "points",
        "requirements",
        "source",
        "state",
        "summary",
    )

    def __init__(self, source: str, state: dict[str, State], assess: bool) -> None:
        self.source = source
        self.state = state
        self.assess = assess
        self.legislation: tuple[str, ...] = ()
        self.points: list[tuple[Target, Score]] = []
        self.requirements: list[tuple[Target, Score]] = []
        self.entries: list[dict[str, Any]] = []
        self.metrics: dict[str, dict[str, Any]] = {}
        self.summary: dict[str, Any] = {}

    def relationship(self, t: Target, s: Score) -> str:
        if s.status == "unmapped":
            return "not_related"
        return t.rel_all if self.assess else t.rel_controls


def _states(soa: StatementOfApplicability, index: Index) -> tuple[dict[str, State], set[int], bool]:
    """Each listed id's state (the stronger line wins), the lines that lost, and whether
    the SoA names a clause (then clauses are assessed)."""
    state: dict[str, State] = {}
    winner: dict[str, int] = {}
    for i, e in enumerate(soa.entries):
        prev = state.get(e.id)
        if prev is not None and RANK[e.status] <= RANK[prev[0]]:
            continue
        state[e.id] = (e.status, WEIGHTS[e.status], e.justification, e.line, e.id)
        winner[e.id] = i
    lost = set(range(len(soa.entries))) - set(winner.values())
    assess = any(c.startswith("iso27001:") for c in state)  # scheme iso27001: a clause
    if assess:
        # a clause the SoA does not list has the status of the nearest listed one above it
        listed = set(state)
        parent_of = dict(index.clause_parents)
        for cid, parent in index.clause_parents:
            if cid in listed:
                continue
            while parent is not None and parent not in listed:
                parent = parent_of.get(parent)
            if parent is not None:
                state[cid] = (*state[parent][:4], parent)
    return state, lost, assess


def run(soa: StatementOfApplicability, index: Index, metric_rules: Mapping[str, str]) -> Run:
    """Score ``soa``: each group once, each target with its group's score."""
    state, lost, assess = _states(soa, index)
    r = Run(soa.source, state, assess)
    r.legislation = index.legislation
    scores: dict[Group, Score] = {}

    def scored(t: Target) -> tuple[Target, Score]:
        s = scores.get(t.group)
        if s is None:
            s = scores[t.group] = _score(t.group, assess, state)
        return t, s

    r.points = list(map(scored, index.points))
    r.requirements = list(map(scored, index.requirements))
    r.entries = _entries(soa, state, lost, index)
    r.metrics = _metrics(r.points, r.requirements, metric_rules)
    p = _counts(r.points)
    q = _counts(r.requirements)
    r.summary = {
        "points_full": p["full"],
        "points_partial": p["partial"],
        "points_none": p["none"],
        "points_unmapped": p["unmapped"],
        "points_not_applicable": p["not-applicable"],
        "points_covered_share": r.metrics["points-any"]["value"],
        "requirements_full": q["full"],
        "requirements_partial": q["partial"],
        "requirements_none": q["none"],
        "requirements_unmapped": q["unmapped"],
        "requirements_not_applicable": q["not-applicable"],
        "controls_given": len({e.id for e in soa.entries}),
        "controls_counted": len({e["id"] for e in r.entries if e["counted"]}),
        "clauses_assessed": assess,
        "not_counted": sum(1 for e in r.entries if not e["counted"]),
    }
    return r


def _counts(items: list[tuple[Target, Score]]) -> dict[str, int]:
    counts = dict.fromkeys(_STATUSES, 0)
    for _, s in items:
        counts[s.status] += 1
    return counts


def _metrics(
    points: list[tuple[Target, Score]],
    requirements: list[tuple[Target, Score]],
    rules: Mapping[str, str],
) -> dict[str, dict[str, Any]]:
    """The four scores (``METRIC_RULES``), each with what it is taken over."""

    def metric(
        name: str, items: list[tuple[Target, Score]], value: float, *, all_items: bool = False
    ) -> Any:
        left_out = [] if all_items else [(t, s) for t, s in items if s.status in _LEFT_OUT]
        return {
            "name": name,
            "value": round(value, 4),
            "over": len(items) - len(left_out),
            "of": len(items),
            "left_out": [
                {"id": t.id, "ref": t.ref, "status": s.status, "reason": s.reason}
                for t, s in left_out
            ],
            "rule": rules[name],
        }

    pts = [s.share for _, s in points if s.status not in _LEFT_OUT]
    reqs = [s.share for _, s in requirements if s.status not in _LEFT_OUT]
    covered = sum(1 for _, s in points if s.status in ("full", "partial"))
    return {
        "points-mean": metric("points-mean", points, sum(pts) / len(pts) if pts else 0.0),
        "points-min": metric("points-min", points, min(pts, default=0.0)),
        "annex-mean": metric("annex-mean", requirements, sum(reqs) / len(reqs) if reqs else 0.0),
        "points-any": metric(
            "points-any", points, covered / len(points) if points else 0.0, all_items=True
        ),
    }


def _entries(
    soa: StatementOfApplicability, state: dict[str, State], lost: set[int], index: Index
) -> list[dict[str, Any]]:
    """Every SoA line: whether it counted, for how many points and requirements, and
    why not."""
    members: dict[str, list[str]] = {}
    for cid, st in state.items():
        members.setdefault(st[4], []).append(cid)
    reach = index.reach
    none: tuple[set[int], set[int]] = (set(), set())
    out = []
    for i, e in enumerate(soa.entries):
        cid = e.id
        ids = members.get(cid, ())
        if len(ids) == 1:  # the id alone (no clause takes its status)
            reached = reach.get(ids[0], none)
        else:
            reached = (set(), set())
            for m in ids:  # the id, and the clauses that take its status
                hit = reach.get(m)
                if hit is not None:
                    reached[0].update(hit[0])
                    reached[1].update(hit[1])
        kind = _kind_of(cid)
        reason = ""
        if i in lost:
            first = state[cid][3]
            at = f"line {first}" if first else "the stronger status"
            reason = f"listed again: {at} ({state[cid][0]}) counts"
        elif kind == "theme":
            reason = "an ISO 27002 theme, not a control: list its controls"
        elif not (reached[0] or reached[1]):
            reason = "maps to no Art. 21(2) point or 2024/2690 requirement"
        out.append(
            {
                "line": e.line,
                "id": cid,
                "raw": e.raw,
                "kind": kind,
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


def document(r: Run, rq: Mapping[str, RawRequirement]) -> dict[str, Any]:
    """The run as ``Coverage.as_dict()`` has it, made of fresh values."""
    state = r.state
    controls: dict[Score, dict[str, str]] = {}

    def item(t: Target, s: Score) -> dict[str, Any]:
        statuses = controls.get(s)
        if statuses is None:
            statuses = controls[s] = {c: state.get(c, _UNLISTED)[0] for c in s.mapped}
        return {
            "id": t.id,
            "ref": t.ref,
            "label": t.label,
            "status": s.status,
            "share": s.share,
            "counted": s.counted,
            "mapped": list(s.mapped),
            "implemented": list(s.implemented),
            "missing": list(s.missing),
            "controls": dict(statuses),
            "relationship": r.relationship(t, s),
            "note": s.note,
            "reason": s.reason,
        }

    return {
        "points": [item(t, s) for t, s in r.points],
        "requirements": [item(t, s) for t, s in r.requirements],
        "legislation": [
            {"id": i, "label": rq[i]["label"], "law": list(rq[i].get("law", ()))}
            for i in r.legislation
        ],
        "summary": r.summary,
        "metrics": r.metrics,
        "weights": dict(WEIGHTS_DOC),
        "soa_entries": r.entries,
        "not_counted": [dict(e) for e in r.entries if not e["counted"]],
        "source": r.source,
    }


def records(r: Run, requirement: Callable[[str], Requirement]) -> Coverage:
    """The run as a frozen :class:`~bio2map.catalog.answers.Coverage`."""
    from bio2map.catalog import answers as model

    made: dict[str, CoverageControl] = {}
    parts: dict[Score, tuple[Any, ...]] = {}

    def control(cid: str) -> CoverageControl:
        c = made.get(cid)
        if c is None:
            c = made[cid] = model.CoverageControl(cid, _kind_of(cid), *r.state.get(cid, _UNLISTED))
        return c

    new_item, assess = model.CoverageItem, r.assess

    def item(t: Target, s: Score) -> model.CoverageItem:
        p = parts.get(s)
        if p is None:  # what every target of the group shares
            p = parts[s] = (
                tuple(s.implemented),
                tuple(s.missing),
                tuple(s.partial),
                tuple(s.open),
                tuple(s.not_applicable),
                tuple(map(control, s.mapped)),
            )
        unmapped = s.status == "unmapped"
        rel = "not_related" if unmapped else t.rel_all if assess else t.rel_controls
        return new_item(
            t.id,
            s.status,
            s.share,
            s.mapped,
            p[0],
            p[1],
            rel,
            s.note,
            p[2],
            p[3],
            p[4],
            s.counted,
            p[5],
            s.reason,
            t.ref,
            t.label,
        )

    return model.Coverage(
        points=tuple(starmap(item, r.points)),
        requirements=tuple(starmap(item, r.requirements)),
        legislation=tuple(map(requirement, r.legislation)),
        summary=model.CoverageSummary(**r.summary),
        metrics=tuple(
            model.CoverageMetric(
                m["name"],
                m["value"],
                m["over"],
                m["of"],
                tuple(x["id"] for x in m["left_out"]),
                m["rule"],
            )
            for m in r.metrics.values()
        ),
        entries=tuple(model.CoverageEntry(*e.values()) for e in r.entries),  # in field order
        source=r.source,
    )
