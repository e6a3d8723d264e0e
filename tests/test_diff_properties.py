"""Property tests of :func:`bio2map.drafts.diff.diff_measures` on generated drafts.

A generated draft is a tuple of :class:`~bio2map.core.records.Measure` records with texts of
made-up words (fingerprints and signatures computed as the packaged data does). Each
text comes from its own random seed (hypothesis would otherwise happily make all
texts alike, which no draft does), so two texts share no word 3-shingle. A
random edit script (insert, delete, renumber, reword, retag) turns it into a second
draft, and the diff must find exactly those edits, with texts and offline. Two more
properties: ``diff(a, a)`` is empty, and ``diff(b, a)`` mirrors ``diff(a, b)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bio2map.core.records import BIO2_TAGS, Measure
from bio2map.drafts.diff import diff_measures
from bio2map.drafts.results import VersionDiff
from tests.test_diff import draft, measure, offline, sentence

CONTROLS = ("5.1", "5.10", "5.24", "6.3", "8.8", "8.16")
TAG_SETS = [(t,) for t in BIO2_TAGS] + [BIO2_TAGS[:2], BIO2_TAGS]


def _text(draw: st.DrawFn, used: set[int]) -> str:
    """A text of 12 to 40 made-up words from a seed not used before."""
    seed = draw(st.integers(0, 2**32).filter(lambda s: s not in used))
    used.add(seed)
    return sentence(seed, draw(st.integers(12, 40)))


@st.composite
def drafts(draw: st.DrawFn, used: set[int] | None = None) -> tuple[Measure, ...]:
    """A draft of 2 to 24 measures under a few controls, every one tagged."""
    used = set() if used is None else used
    n = draw(st.integers(2, 24))
    slots = draw(
        st.lists(
            st.tuples(st.sampled_from(CONTROLS), st.integers(1, 12)),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    out = []
    for control, k in slots:
        a, b = control.split(".")
        mid = f"{a}.{int(b):02d}.{k:02d}"
        out.append(measure(mid, _text(draw, used), tags=draw(st.sampled_from(TAG_SETS))))
    return draft("a", out)


@attrs.define
class Script:
    """An edit script and what a diff of its result must report."""

    new: tuple[Measure, ...]
    added: set[str] = attrs.Factory(set)
    removed: set[str] = attrs.Factory(set)
    moved: set[tuple[str, str]] = attrs.Factory(set)
    reworded: set[str] = attrs.Factory(set)
    retagged: set[str] = attrs.Factory(set)


def _free_id(draw: st.DrawFn, taken: set[str]) -> str:
    control = draw(st.sampled_from(CONTROLS))
    a, b = control.split(".")
    k = draw(st.integers(13, 99).filter(lambda k: f"{a}.{int(b):02d}.{k:02d}" not in taken))
    return f"{a}.{int(b):02d}.{k:02d}"


@st.composite
def edited(draw: st.DrawFn) -> tuple[tuple[Measure, ...], Script]:
    """A draft, and an edited copy with the edits it holds."""
    used: set[int] = set()
    old = draw(drafts(used))
    ops = draw(
        st.lists(st.sampled_from(["insert", "delete", "renumber", "reword", "retag"]), max_size=8)
    )
    by_id = {m.number: m for m in old}
    taken = set(by_id)
    untouched = sorted(by_id)
    script = Script(new=())
    for op in ops:
        if op == "insert":
            mid = _free_id(draw, taken)
            taken.add(mid)
            by_id[mid] = measure(mid, _text(draw, used), tags=draw(st.sampled_from(TAG_SETS)))
            script.added.add(mid)
            continue
        if not untouched:
            continue
        mid = draw(st.sampled_from(untouched))
        untouched.remove(mid)
        m = by_id[mid]
        text = m.text or ""
        if op == "delete":
            del by_id[mid]
            script.removed.add(mid)
        elif op == "renumber":
            to = _free_id(draw, taken)
            taken.add(to)
            del by_id[mid]
            ws = text.split()
            if len(ws) >= 20 and draw(st.booleans()):  # a light rewording on the way
                ws[draw(st.integers(0, len(ws) - 1))] = "zzvolk"
            by_id[to] = measure(to, " ".join(ws), tags=m.tags)
            script.removed.add(mid)
            script.added.add(to)
            script.moved.add((mid, to))
        elif op == "reword":
            ws = text.split()
            for i in draw(st.lists(st.integers(0, len(ws) - 1), min_size=1, max_size=3)):
                ws[i] = "zzkor" + ws[i]
            by_id[mid] = measure(mid, " ".join(ws), tags=m.tags)
            script.reworded.add(mid)
        else:  # retag
            tags = draw(st.sampled_from([t for t in TAG_SETS if t != m.tags]))
            by_id[mid] = attrs.evolve(m, tags=tags)
            script.retagged.add(mid)
    script.new = draft("b", by_id.values())
    return old, script


def _modes(old: Sequence[Measure], new: Sequence[Measure]) -> list[VersionDiff]:
    return [diff_measures(old, new), diff_measures(offline(old), offline(new))]


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(drafts())
def test_diff_of_a_draft_with_itself_is_empty(a: tuple[Measure, ...]) -> None:
    for d in _modes(a, a):
        assert d.is_empty
        assert d.unchanged == len(a)


@PROPERTY
@given(edited())
def test_edit_script_is_recovered(case: tuple[tuple[Measure, ...], Script]) -> None:
    old, script = case
    before = {m.number: m for m in old}
    after = {m.number: m for m in script.new}
    for texts, d in zip((True, False), _modes(old, script.new), strict=True):
        assert set(d.added) == script.added
        assert set(d.removed) == script.removed
        assert {(m.old_id, m.new_id) for m in d.moved} == script.moved
        assert all(m.marker_agrees is None for m in d.moved)
        assert {c.id for c in d.changed} == script.reworded
        for c in d.changed:
            a, b = before[c.id], after[c.id]
            # With texts a new word is never cosmetic. Offline, cosmetic is the documented
            # estimate "equal MinHash signatures and word counts" (matcher.py): a one-word
            # edit at a text's edge changes one shingle, which all 64 minima can miss.
            blind = a.signature == b.signature and a.words == b.words
            assert c.cosmetic == (not texts and blind)
        assert {t.id for t in d.tags_changed} == script.retagged
        assert d.splits == d.merges == d.kind_changed == d.retired == d.anomalies == ()


@PROPERTY
@given(edited())
def test_diff_backwards_mirrors_diff_forwards(case: tuple[tuple[Measure, ...], Script]) -> None:
    a, script = case
    b = script.new
    for forward, backward in zip(_modes(a, b), _modes(b, a), strict=True):
        assert forward.added == backward.removed
        assert forward.removed == backward.added
        assert {(m.old_id, m.new_id, m.similarity) for m in forward.moved} == {
            (m.new_id, m.old_id, m.similarity) for m in backward.moved
        }
        assert [(c.id, c.similarity, c.cosmetic) for c in forward.changed] == [
            (c.id, c.similarity, c.cosmetic) for c in backward.changed
        ]
        assert {(t.id, t.added, t.removed) for t in forward.tags_changed} == {
            (t.id, t.removed, t.added) for t in backward.tags_changed
        }
        assert {(k.id, k.old, k.new) for k in forward.kind_changed} == {
            (k.id, k.new, k.old) for k in backward.kind_changed
        }
        assert forward.unchanged == backward.unchanged
