"""The matcher: how measures are followed from one draft to the next.

:class:`Differ` compares two :class:`~bio2map.drafts.side.Side` objects and returns a
:class:`~bio2map.drafts.results.VersionDiff` (:func:`bio2map.drafts.diff.diff` is the
public entry; :func:`bio2map.drafts.lineage.history` chains differs).

Only entries of kind ``measure`` carry content; ``no-measure`` entries and the
retirement stubs (``moved``, ``withdrawn``, ``see-other``) take part in the id and
kind comparisons only.

1. *Similarity* of two measures is the Jaccard similarity of their sets of word
   3-shingles: exact when both texts are attached, else estimated from the 64 MinHash
   values (1.0 when the fingerprints are equal). An inverted index finds every pair
   that shares anything, so no pair without overlap is ever compared
   (:mod:`bio2map.drafts.similarity`).
2. *Matching*: every pair becomes a candidate with a score. A pair under the same
   id always is one, scored ``similarity + SAME_ID_BONUS``; a pair under two
   different ids is one when its similarity reaches :data:`MOVE_THRESHOLD`, or
   :data:`MARKER_THRESHOLD` when the old id's stub in the new draft points to the
   new id (it then scores ``similarity + MARKER_BONUS``). Candidates are taken
   greedily, best score first, each old and each new measure at most once; ties are
   broken by the two ids, so that ``diff(b, a)`` is the mirror of ``diff(a, b)``
   (except for moves that only a stub's lower bar lets through: stubs live in the
   newer draft).
3. A matched pair under two ids is a *move* (renumbering included); under one id
   whose fingerprint changed, a *rewording*. A move reports whether a stub agrees:
   ``marker_agrees`` is True when the old id's stub (``moved`` or ``see-other``)
   points to the new id, False when it points elsewhere or says ``withdrawn``, and
   None when the old id carries no stub in the new draft.
4. *Splits and merges*: for an unmatched pair (old x, new y), the shingles of y
   that its own predecessor did not have and that x had are counted (offline:
   estimated from the similarities and word counts). At least
   :data:`FLOW_MIN_SHINGLES` of them (or, for a short x, :data:`FLOW_WHOLE_SHARE` of
   x), and at least :data:`FLOW_MIN_SHARE` of y, mean part of x now lives in y:
   a *split* when x itself continues (is matched), a *merge* when it does not. A
   new measure whose text duplicates another new measure is reported as an anomaly
   instead.
5. A rewording is *cosmetic* when the two texts have the same words once case,
   punctuation, white space, list markers, encoding damage (letters outside ASCII
   inside a word, as in mojibake) and the term swaps of
   :data:`~bio2map.drafts.similarity.TERM_SWAPS` are set aside. Offline, only the
   first four can be seen: a rewording is cosmetic when the signatures and word
   counts are equal.

Tags are compared only when both drafts record them: a draft without a single tag
line (1.3) is "tags not recorded", not "all tags removed". The pseudo-tag ``NIS2``
stands for the NIS2 flag of the older drafts; it too is compared only when both
drafts carry the flag somewhere (1.1 and later drafts never do). When one draft
records it and the other does not, the entries that carry it in the one that does
(matched or kept under their id) are listed as ``nis2_not_recorded`` (by their id in
the new draft): 2025-03 -> 1.1 says the NIS2 tag is no longer recorded for them.

The *impact* is the set of ISO/IEC 27002 controls whose BIO2 measures changed (an
id added, removed or retired, a kind change, a move, split or merge, or a
substantive rewording; cosmetic rewordings and tag changes do not count), and the
NIS2 Art. 21(2) points and 2024/2690 requirements those controls serve
(:meth:`~bio2map.catalog.catalog.Catalog.requirements_for`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

import attrs

from bio2map.drafts.results import (
    Anomaly,
    Change,
    Impact,
    ImpactedControl,
    KindChange,
    Move,
    PartialMove,
    TagChange,
    VersionDiff,
    WordOp,
    rounded,
)
from bio2map.drafts.side import Side, id_key, plain_id, sorted_ids
from bio2map.drafts.similarity import (
    cosmetic_texts,
    measure_similarity,
    normalized,
    overlapping_pairs,
    shingle_set,
    word_ops,
)

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Measure

__all__ = [
    "FLOW_MIN_SHARE",
    "FLOW_MIN_SHINGLES",
    "FLOW_MIN_WHOLE",
    "FLOW_WHOLE_SHARE",
    "MARKER_BONUS",
    "MARKER_THRESHOLD",
    "MOVE_THRESHOLD",
    "SAME_ID_BONUS",
    "STUB_KINDS",
    "Differ",
    "match",
]

# --- thresholds and tables ----------------------------------------------------------

MOVE_THRESHOLD: Final = 0.3
"""Least similarity of a move that no stub announces."""

MARKER_THRESHOLD: Final = 0.05
"""Least similarity of a move that the old id's stub announces (some shared text)."""

SAME_ID_BONUS: Final = 0.2
"""Added to the score of a pair under one id: a move must beat staying by this much."""

MARKER_BONUS: Final = 0.2
"""Added to the score of a pair that a stub announces."""

FLOW_MIN_SHINGLES: Final = 8
"""Least number of shingles (about words) of one measure found anew in another."""

FLOW_MIN_SHARE: Final = 0.1
"""Least share of the receiving measure's shingles that a split or merge brings."""

FLOW_WHOLE_SHARE: Final = 0.8
"""A short measure counts as flowed (below :data:`FLOW_MIN_SHINGLES`) when at least
this share of it, and at least :data:`FLOW_MIN_WHOLE` shingles, is found anew."""

FLOW_MIN_WHOLE: Final = 4
"""Least number of shingles of a short measure found anew (see :data:`FLOW_WHOLE_SHARE`)."""

STUB_KINDS: Final = frozenset({"moved", "withdrawn", "see-other"})
"""Kinds of entry that retire an id (the id keeps a one-line stub)."""

_NIS2_TAG: Final = "NIS2"
_TAG_ORDER: Final = {
    t: i for i, t in enumerate(("Basishygiëne", "Ketenhygiëne", "Overheidsrisico", _NIS2_TAG))
}
_ID_REF: Final = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2}\.\d{1,3})(?![\d])")


@lru_cache(maxsize=4096)
def _references(text: str) -> frozenset[str]:
    """The measure ids a text names, normalised (``8.16.3`` -> ``8.16.03``)."""
    from bio2map.drafts.parser import normalize_measure_id

    return frozenset(normalize_measure_id(r) for r in _ID_REF.findall(text))


# --- matching ---------------------------------------------------------------------------


def _tagset(m: Measure, flags: bool) -> frozenset[str]:
    return frozenset(m.tags) | ({_NIS2_TAG} if flags and m.nis2_flag else frozenset())


def _tag_sorted(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(tags, key=lambda t: (_TAG_ORDER.get(t, len(_TAG_ORDER)), t)))


def match(
    old: Side, new: Side, pairs: Mapping[tuple[str, str], tuple[float, float]]
) -> dict[str, str]:
    """Greedy one-to-one matching of old to new measures; returns old id -> new id."""
    cands: list[tuple[float, tuple[Any, ...], tuple[Any, ...], str, str]] = []
    for (x, y), (sim, _) in pairs.items():
        if x == y:
            score = sim + SAME_ID_BONUS
        else:
            stub = new.by_id.get(x)
            announced = (
                stub is not None and stub.kind in STUB_KINDS and plain_id(stub.target or "") == y
            )
            if announced:
                if sim < MARKER_THRESHOLD:
                    continue
                score = sim + MARKER_BONUS
            elif sim < MOVE_THRESHOLD:
                continue
            else:
                score = sim
        lo, hi = sorted((x, y), key=id_key)
        cands.append((-round(score, 9), id_key(lo), id_key(hi), x, y))
    cands.sort()
    fwd: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, _, x, y in cands:
        if x not in fwd and y not in taken:
            fwd[x] = y
            taken.add(y)
    return fwd


class Differ:
    """Holds the state of one comparison: the overlapping pairs and the matching.

    Attributes:
        fwd: old id -> new id of every matched measure.
        back: new id -> old id, the other way round.
    """

    def __init__(self, old: Side, new: Side, use_texts: bool, catalog: Catalog | None) -> None:
        self.o = old
        self.n = new
        self.texts = use_texts
        self.catalog = catalog
        self.pairs = overlapping_pairs(old, new, use_texts)
        self.fwd = match(old, new, self.pairs)
        self.back = {y: x for x, y in self.fwd.items()}

    def sim(self, x: str, y: str) -> float:
        """The similarity of old ``x`` and new ``y`` (0.0 when they share nothing)."""
        return self.pairs.get((x, y), (0.0, 0.0))[0]

    def _same_text(self, a: Measure, b: Measure) -> bool:
        if self.texts:
            return normalized(a.text or "") == normalized(b.text or "")
        return a.fingerprint == b.fingerprint

    def evidence(self, x: str, y: str) -> str:
        """What a move rests on: ``text``, ``fingerprint`` or ``signature``."""
        if self.texts:
            return "text"
        if self.o.content[x].fingerprint == self.n.content[y].fingerprint:
            return "fingerprint"
        return "signature"

    def run(self) -> VersionDiff:
        """Compare the two drafts: every category of :class:`VersionDiff`."""
        o, n = self.o, self.n
        old_ids, new_ids = o.by_id.keys(), n.by_id.keys()
        both = old_ids & new_ids
        kind_changed = tuple(
            KindChange(k, o.by_id[k].kind, n.by_id[k].kind)
            for k in sorted_ids(both)
            if o.by_id[k].kind != n.by_id[k].kind
        )
        retired = sorted_ids(
            k.id for k in kind_changed if k.new in STUB_KINDS and k.old not in STUB_KINDS
        )
        moved = self.moves()
        changed, unchanged = self.changes()
        splits, merges, copies = self.flows()
        tags_changed = self.tags() if (o.tagged and n.tagged) else ()
        nis2_not_recorded = self.nis2_not_recorded() if o.flagged != n.flagged else ()
        result = VersionDiff(
            old=o.label,
            new=n.label,
            texts=self.texts,
            added=sorted_ids(new_ids - old_ids),
            removed=sorted_ids(old_ids - new_ids),
            retired=retired,
            moved=moved,
            splits=splits,
            merges=merges,
            changed=changed,
            kind_changed=kind_changed,
            tags_changed=tags_changed,
            tags_recorded=(o.tagged, n.tagged),
            nis2_recorded=(o.flagged, n.flagged),
            nis2_not_recorded=nis2_not_recorded,
            anomalies=self.anomalies(moved, splits, merges, copies),
            unchanged=unchanged,
        )
        return attrs.evolve(result, impact=self.impact(result))

    def moves(self) -> tuple[Move, ...]:
        """Matched pairs under two ids, with what the old id's stub says."""
        out = []
        for x, y in self.fwd.items():
            if x == y:
                continue
            stub = self.n.by_id.get(x)
            marker = stub.kind if stub is not None and stub.kind in STUB_KINDS else None
            agrees: bool | None = None
            if marker is not None and stub is not None:
                agrees = marker != "withdrawn" and plain_id(stub.target or "") == y
            ops: tuple[WordOp, ...] = ()
            a, b = self.o.content[x], self.n.content[y]
            if self.texts and not self._same_text(a, b):
                ops = word_ops(a.text or "", b.text or "")
            out.append(
                Move(x, y, rounded(self.sim(x, y)), agrees, marker, self.evidence(x, y), ops)
            )
        return tuple(sorted(out, key=lambda m: (id_key(m.old_id), id_key(m.new_id))))

    def changes(self) -> tuple[tuple[Change, ...], int]:
        """Rewordings under one id, and the number of measures left unchanged."""
        out = []
        same = 0
        for x in sorted_ids(k for k, y in self.fwd.items() if k == y):
            a, b = self.o.content[x], self.n.content[x]
            if self._same_text(a, b):
                same += 1
                continue
            if self.texts:
                ta, tb = a.text or "", b.text or ""
                cosmetic = cosmetic_texts(ta, tb)
                ops = word_ops(ta, tb)
            else:
                cosmetic = a.signature == b.signature and a.words == b.words
                ops = ()
            out.append(Change(x, rounded(self.sim(x, x)), cosmetic, ops))
        return tuple(out), same

    def flows(
        self,
    ) -> tuple[tuple[PartialMove, ...], tuple[PartialMove, ...], set[tuple[str, str]]]:
        """Splits, merges, and (old, new) pairs whose text went into a duplicated text."""
        o, n = self.o, self.n
        fp_count = Counter(m.fingerprint for m in n.content.values())
        splits: list[PartialMove] = []
        merges: list[PartialMove] = []
        copies: set[tuple[str, str]] = set()
        for (x, y), (sim, inter) in self.pairs.items():
            if x == y or self.fwd.get(x) == y or inter < FLOW_MIN_WHOLE:
                continue
            partner = self.back.get(y)
            if self.texts:
                sy = shingle_set(n.content[y].text or "")
                if partner is not None:
                    sy = sy - shingle_set(o.content[partner].text or "")
                shared = float(len(sy & shingle_set(o.content[x].text or "")))
            else:
                shared = inter
                if partner is not None:
                    shared -= measure_similarity(o.content[x], o.content[partner], False)[1]
            enough = shared >= FLOW_MIN_SHINGLES or (
                shared >= FLOW_MIN_WHOLE and shared >= FLOW_WHOLE_SHARE * o.size[x]
            )
            if not enough or shared < FLOW_MIN_SHARE * n.size[y]:
                continue
            if fp_count[n.content[y].fingerprint] > 1:
                copies.add((x, y))
                continue
            share = rounded(min(shared / o.size[x], 1.0))
            part = PartialMove("split" if x in self.fwd else "merge", x, y, share, rounded(sim))
            (splits if x in self.fwd else merges).append(part)

        def key(p: PartialMove) -> tuple[Any, ...]:
            return (id_key(p.old_id), id_key(p.new_id))

        return tuple(sorted(splits, key=key)), tuple(sorted(merges, key=key)), copies

    def _tag_pairs(self) -> dict[str, str]:
        """Old id -> new id of the entries whose tags are compared: matched measures and
        entries kept under their id (no stub on either side)."""
        o, n = self.o, self.n
        pairs = dict(self.fwd)
        for k in o.by_id.keys() & n.by_id.keys():
            if (
                k not in pairs
                and k not in self.back
                and not (o.by_id[k].kind in STUB_KINDS or n.by_id[k].kind in STUB_KINDS)
            ):
                pairs[k] = k
        return pairs

    def nis2_not_recorded(self) -> tuple[str, ...]:
        """The entries (new ids) with the NIS2 tag in the one draft that records it."""
        o, n = self.o, self.n
        return sorted_ids(
            y
            for x, y in self._tag_pairs().items()
            if (o.by_id[x].nis2_flag if o.flagged else n.by_id[y].nis2_flag)
        )

    def tags(self) -> tuple[TagChange, ...]:
        """Tag changes of matched measures and of entries kept under their id."""
        o, n = self.o, self.n
        pairs = self._tag_pairs()
        flags = o.flagged and n.flagged
        out = []
        for x, y in pairs.items():
            a, b = _tagset(o.by_id[x], flags), _tagset(n.by_id[y], flags)
            if a != b:
                out.append(TagChange(y, x, _tag_sorted(b - a), _tag_sorted(a - b)))
        return tuple(sorted(out, key=lambda t: (id_key(t.id), id_key(t.old_id))))

    def anomalies(
        self,
        moved: Sequence[Move],
        splits: Sequence[PartialMove],
        merges: Sequence[PartialMove],
        copies: set[tuple[str, str]],
    ) -> tuple[Anomaly, ...]:
        """Stubs that do not add up, texts naming retired ids, new duplicated texts."""
        went = {(m.old_id, m.new_id) for m in moved} | {
            (p.old_id, p.new_id) for p in (*splits, *merges)
        }
        went |= copies
        out = self.stubs(went, {m.old_id for m in moved})
        if self.texts:
            out.extend(self.references())
        out.extend(self.duplicates())
        return tuple(sorted(out, key=lambda a: (id_key(a.ids[0]), a.kind)))

    def stubs(self, went: set[tuple[str, str]], moved_from: set[str]) -> list[Anomaly]:
        """New ``moved`` and ``see-other`` stubs whose target or old text does not add up.

        ``went`` holds the (old id, new id) pairs that text was found to go along (moves,
        splits, merges, copies); ``moved_from`` the old ids of the moves.
        """
        o, n = self.o, self.n
        out: list[Anomaly] = []
        for k in sorted_ids(n.by_id):
            stub = n.by_id[k]
            if stub.kind not in ("moved", "see-other"):
                continue
            before = o.by_id.get(k)
            if before is not None and before.kind == stub.kind and before.target == stub.target:
                continue  # the same stub was already there
            t = plain_id(stub.target or "")
            target = n.by_id.get(t)
            if not t or target is None:
                out.append(
                    Anomaly(
                        "dangling-marker",
                        (k, t) if t else (k,),
                        f"{k} points to {t or 'nothing'}, which is not in {n.label}",
                    )
                )
            elif target.kind != "measure":
                out.append(
                    Anomaly(
                        "marker-target-not-measure",
                        (k, t),
                        f"{k} points to {t}, which is {target.kind} in {n.label}",
                    )
                )
            if before is None:
                continue  # added and retired in between: nothing to check against
            if before.kind != "measure":
                if stub.kind == "moved":
                    out.append(
                        Anomaly(
                            "marker-without-text",
                            (k,),
                            f"{k} is marked moved but was {before.kind} in {o.label}: "
                            "no text to move",
                        )
                    )
            elif (
                target is not None
                and target.kind == "measure"
                and (k, t) not in went
                and k not in moved_from
            ):
                out.append(
                    Anomaly(
                        "unconfirmed-marker",
                        (k, t),
                        f"no text of {k} ({o.label}) is found under {t} ({n.label})",
                    )
                )
        return out

    def duplicates(self) -> list[Anomaly]:
        """Measures of the new draft with identical text (unless already so in the old one)."""
        o, n = self.o, self.n
        out: list[Anomaly] = []
        groups: dict[str, list[str]] = {}
        for k, m in n.content.items():
            groups.setdefault(m.fingerprint, []).append(k)
        for ids in groups.values():
            if len(ids) < 2:
                continue
            before_fps = {o.content[k].fingerprint for k in ids if k in o.content}
            if len(before_fps) == 1 and all(k in o.content for k in ids):
                continue  # already duplicated in the old draft
            s = sorted_ids(ids)
            out.append(
                Anomaly("duplicate-text", s, f"{' and '.join(s)} have identical text in {n.label}")
            )
        return out

    def references(self) -> list[Anomaly]:
        """Measure texts that name an id the new draft retired or lacks (texts only)."""
        o, n = self.o, self.n
        out = []
        for y in sorted_ids(n.content):
            refs = _references(n.content[y].text or "") - {y}
            old_refs = _references(o.content[y].text or "") if y in o.content else frozenset()
            for r in sorted_ids(refs):
                now = n.by_id.get(r)
                if now is not None and now.kind not in STUB_KINDS:
                    continue
                then = o.by_id.get(r)
                if r in old_refs and (then is None or then.kind in STUB_KINDS):
                    continue  # the same dangling reference was already there
                state = f"{now.kind} in" if now is not None else "not in"
                out.append(
                    Anomaly(
                        "reference-to-retired",
                        (y, r),
                        f"{y} refers to {r}, which is {state} {n.label}",
                    )
                )
        return out

    def impact(self, d: VersionDiff) -> Impact:
        """The controls whose measures ``d`` changes, and what they serve (with a catalog)."""
        o, n = self.o, self.n
        touched: set[str] = set()
        by = {**o.by_id, **n.by_id}
        for k in (
            *d.added,
            *d.removed,
            *(c.id for c in d.kind_changed),
            *(c.id for c in d.substantive),
        ):
            touched.add(by[k].control)
        flows: list[tuple[str, str]] = [(m.old_id, m.new_id) for m in d.moved]
        flows.extend((p.old_id, p.new_id) for p in (*d.splits, *d.merges))
        for x, y in flows:
            touched.update((o.by_id[x].control, n.by_id[y].control))
        before: dict[str, list[str]] = {}
        after: dict[str, list[str]] = {}
        for k, m in o.content.items():
            before.setdefault(m.control, []).append(k)
        for k, m in n.content.items():
            after.setdefault(m.control, []).append(k)
        controls = tuple(
            ImpactedControl(c, sorted_ids(before.get(c, ())), sorted_ids(after.get(c, ())))
            for c in sorted(touched, key=lambda c: id_key(plain_id(c)))
        )
        if self.catalog is None:
            return Impact(controls, mapped=False)
        nis2: set[str] = set()
        ir: set[str] = set()
        reqs: dict[str, int] = {}
        for c in controls:
            for rm in self.catalog.requirements_for(c.id).requirements:
                r = rm.requirement
                reqs[r.id] = r.seq
                if r.framework == "nis2" and r.kind == "point" and r.id.startswith("nis2:21.2."):
                    nis2.add(r.id)
                elif r.framework == "ir2690":
                    ir.add(r.id)
        return Impact(
            controls,
            tuple(sorted(nis2, key=reqs.__getitem__)),
            tuple(sorted(ir, key=lambda r: (reqs[r], r))),
        )
