"""Tests of the draft diff (:mod:`bio2map.drafts`) and its CLI, on made-up drafts.

The synthetic drafts are tuples of :class:`~bio2map.core.records.Measure` records whose
texts are strings of made-up words (see :func:`sentence`), with fingerprints and
signatures computed as the packaged data computes them. Apart from a few common
Dutch words (articles, the terms of the term-swap table, one word with an
apostrophe) the texts are made up; there is no BIO2 text. Tests on the real drafts
live in ``test_diff_golden.py``.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
import pytest

import bio2map
from bio2map.cli.diff import FAIL_ON, cmd_diff
from bio2map.cli.main import main
from bio2map.core import hooks
from bio2map.core.errors import UnknownIdError, UnknownVersionError
from bio2map.core.records import Measure
from bio2map.drafts.diff import diff, diff_measures
from bio2map.drafts.lineage import Lineage, history
from bio2map.drafts.matcher import MARKER_THRESHOLD, MOVE_THRESHOLD
from bio2map.drafts.parser import control_of, fingerprint
from bio2map.drafts.results import VersionDiff
from bio2map.drafts.signatures import signature, words
from bio2map.drafts.similarity import TERM_SWAPS

SRC = Path(bio2map.__file__).resolve().parent

# --- made-up drafts -------------------------------------------------------------------

_SYLLABLES = ("ka", "lo", "mi", "ru", "te", "vo", "sa", "ni", "pe", "do", "gu", "fi")
VOCAB: tuple[str, ...] = tuple(
    a + b + c for a, b, c in itertools.product(_SYLLABLES, _SYLLABLES, ("n", "r", "s", "l"))
)
"""576 made-up words; random texts over them share no word 3-shingle in practice."""


def sentence(seed: int, n: int = 20) -> str:
    """A reproducible text of ``n`` made-up words."""
    rnd = random.Random(seed)
    return " ".join(rnd.choice(VOCAB) for _ in range(n)) + "."


def measure(
    mid: str,
    text: str | None,
    *,
    draft: str = "old",
    kind: str = "measure",
    target: str | None = None,
    tags: Sequence[str] = ("Basishygiëne",),
    nis2: bool = False,
    seq: int = 0,
) -> Measure:
    """A Measure record as the packaged data would hold it, with its text attached."""
    body = text if text is not None else ""
    return Measure(
        id=f"bio2:{mid}",
        draft=draft,
        control=f"iso27002:{control_of(mid)}",
        kind=kind,
        target=None if target is None else f"bio2:{target}",
        tags=tuple(tags),
        nis2_flag=nis2,
        fingerprint=fingerprint(body),
        signature=signature(body),
        words=len(words(body)),
        text=text,
        seq=seq,
    )


def draft(name: str, entries: Iterable[Measure]) -> tuple[Measure, ...]:
    """Re-label measures with a draft name and number them in order."""
    return tuple(attrs.evolve(m, draft=name, seq=i) for i, m in enumerate(entries, 1))


def offline(measures: Iterable[Measure]) -> tuple[Measure, ...]:
    """The same measures without texts (as the packaged data holds them)."""
    return tuple(attrs.evolve(m, text=None) for m in measures)


def both_modes(old: Sequence[Measure], new: Sequence[Measure]) -> list[VersionDiff]:
    """The diff with texts and the diff without."""
    return [diff_measures(old, new), diff_measures(offline(old), offline(new))]


T = {i: sentence(i) for i in range(40)}

BASE = draft(
    "old",
    [
        measure("5.01.01", T[1]),
        measure("5.01.02", T[2]),
        measure("5.02.01", T[3]),
        measure("5.03.01", "(no measure)", kind="no-measure", tags=()),
        measure("8.16.01", T[4]),
        measure("8.16.02", T[5]),
    ],
)


# --- identity and basics --------------------------------------------------------------


def test_same_draft_is_empty_in_both_modes() -> None:
    for d in both_modes(BASE, BASE):
        assert d.is_empty
        assert d.unchanged == 5
        assert d.as_dict()["counts"]["changed"] == 0


def test_insert_delete_move_reword_retag() -> None:
    reworded = T[2].replace(T[2].split()[3], "zzvor", 1)
    new = draft(
        "new",
        [
            measure("5.01.01", T[1], tags=("Basishygiëne", "Ketenhygiëne")),  # retag
            measure("5.01.02", reworded),  # reword
            measure("5.03.01", "(no measure)", kind="no-measure", tags=()),
            measure("5.04.01", T[3]),  # 5.02.01 renumbered
            measure("8.16.01", T[4]),
            measure("8.16.03", T[20]),  # inserted; 8.16.02 deleted
        ],
    )
    for d in both_modes(BASE, new):
        assert d.added == ("5.04.01", "8.16.03")
        assert d.removed == ("5.02.01", "8.16.02")
        assert [(m.old_id, m.new_id, m.similarity, m.marker_agrees) for m in d.moved] == [
            ("5.02.01", "5.04.01", 1.0, None)
        ]
        assert [c.id for c in d.changed] == ["5.01.02"]
        assert not d.changed[0].cosmetic
        assert [(t.id, t.added, t.removed) for t in d.tags_changed] == [
            ("5.01.01", ("Ketenhygiëne",), ())
        ]
        assert d.splits == d.merges == d.kind_changed == d.anomalies == ()
        assert d.impact.mapped is False
        assert [c.id for c in d.impact.controls] == [
            "iso27002:5.1",
            "iso27002:5.2",
            "iso27002:5.4",
            "iso27002:8.16",
        ]
    text_diff, sig_diff = both_modes(BASE, new)
    assert text_diff.texts
    assert not sig_diff.texts
    assert text_diff.moved[0].evidence == "text"
    assert sig_diff.moved[0].evidence == "fingerprint"
    assert text_diff.changed[0].words  # word-level differences with texts only
    assert not sig_diff.changed[0].words


def test_as_dict_shape_sorted_and_rounded() -> None:
    new = draft(
        "new",
        [
            measure("8.16.02", T[5]),
            measure("5.01.01", T[1] + " " + sentence(99, 3)),
            measure("5.09.01", T[2]),
            measure("5.03.01", "(no measure)", kind="no-measure", tags=()),
            measure("5.08.01", T[3]),
            measure("8.16.01", T[4]),
        ],
    )
    doc = diff_measures(offline(BASE), offline(new), old_label="a", new_label="b").as_dict()
    assert {
        "from",
        "to",
        "added",
        "removed",
        "retired",
        "moved",
        "changed",
        "kind_changed",
        "tags_changed",
        "impact",
    } <= set(doc)
    assert (doc["from"], doc["to"]) == ("a", "b")
    assert doc["added"] == ["5.08.01", "5.09.01"]
    assert doc["removed"] == ["5.01.02", "5.02.01"]
    assert [(m["from"], m["to"]) for m in doc["moved"]] == [
        ("5.01.02", "5.09.01"),
        ("5.02.01", "5.08.01"),
    ]
    assert set(doc["moved"][0]) >= {"from", "to", "similarity", "marker_agrees"}
    assert set(doc["changed"][0]) == {"id", "similarity", "cosmetic"}
    for obj in (*doc["moved"], *doc["changed"]):
        assert obj["similarity"] == round(obj["similarity"], 3)
    json.dumps(doc)  # JSON-ready


def test_repr_is_readable() -> None:
    d = diff_measures(BASE, BASE, old_label="a", new_label="b")
    assert repr(d).startswith("<VersionDiff a -> b (texts): +0 -0 ids")
    assert len(repr(d)) < 300


def test_texts_true_needs_texts() -> None:
    with pytest.raises(ValueError, match="carry no text"):
        diff_measures(offline(BASE), BASE, texts=True)
    assert not diff_measures(BASE, BASE, texts=False).texts


# --- cosmetic and substantive ---------------------------------------------------------


@pytest.mark.parametrize(
    ("old_text", "new_text", "offline_cosmetic"),
    [
        # case, punctuation and white space: the offline figures see it too
        ("Kalor misen, rutes tevol sanil.", "kalor   misen rutes; tevol sanil!", True),
        # a term swap of the documented table
        ("De organisatie kalor misen rutes tevol.", "De entiteit kalor misen rutes tevol.", False),
        ("Elke overheidsorganisatie kalor misen rutes.", "Elke entiteit kalor misen rutes.", False),
        # list markup: numbered items become bullets, or an inline list becomes lines
        (
            "Kalor misen:\n1. rutes tevol\n2. sanil pedor",
            "Kalor misen:\n- rutes tevol\n- sanil pedor",
            False,
        ),
        (
            "Kalor misen: 1. rutes tevol 2. sanil pedor",
            "Kalor misen:\n- rutes tevol\n- sanil pedor",
            False,
        ),
        ("Kalor misen: (a) rutes tevol (b) sanil", "Kalor misen: rutes tevol; sanil", False),
        # encoding damage (an apostrophe read in the wrong code page) and word joins
        ("De risico’s kalor misen rutes.", "De risicoís kalor misen rutes.", False),
        ("Kalor mail servers misen rutes.", "Kalor mailservers misen rutes.", False),
    ],
)
def test_cosmetic_rewordings(old_text: str, new_text: str, offline_cosmetic: bool) -> None:
    old = draft("old", [measure("5.01.01", old_text)])
    new = draft("new", [measure("5.01.01", new_text)])
    with_texts, without = both_modes(old, new)
    assert [c.cosmetic for c in with_texts.changed] == [True]
    assert [c.cosmetic for c in without.changed] == [offline_cosmetic]


def test_substantive_rewording_and_swap_table() -> None:
    assert TERM_SWAPS["organisatie"] == "entiteit"
    assert all(k == k.lower() and v == v.lower() for k, v in TERM_SWAPS.items())
    old = draft("old", [measure("5.01.01", "De organisatie kalor misen rutes tevol.")])
    new = draft("new", [measure("5.01.01", "De organisatie kalor misen rutes nooit tevol.")])
    for d in both_modes(old, new):
        assert [c.cosmetic for c in d.changed] == [False]
        assert d.substantive == d.changed


def test_whitespace_only_change_is_no_change() -> None:
    old = draft("old", [measure("5.01.01", "Kalor misen.\n\nRutes tevol.")])
    new = draft("new", [measure("5.01.01", "Kalor misen. Rutes tevol.")])
    for d in both_modes(old, new):
        assert d.is_empty


# --- markers --------------------------------------------------------------------------


def test_marker_agrees_disagrees_and_absent() -> None:
    old = draft(
        "old", [measure("5.04.02", T[6]), measure("5.04.03", T[7]), measure("5.05.01", T[8])]
    )
    new = draft(
        "new",
        [
            measure("5.04.02", "(stub)", kind="moved", target="5.10.02", tags=()),
            measure("5.04.03", "(stub)", kind="withdrawn", tags=()),
            measure("5.10.02", T[6]),
            measure("5.10.03", T[7]),
            measure("5.10.04", T[8]),
        ],
    )
    for d in both_modes(old, new):
        got = {(m.old_id, m.new_id): (m.marker_agrees, m.marker) for m in d.moved}
        assert got == {
            ("5.04.02", "5.10.02"): (True, "moved"),
            ("5.04.03", "5.10.03"): (False, "withdrawn"),
            ("5.05.01", "5.10.04"): (None, None),
        }
        assert d.retired == ("5.04.02", "5.04.03")
        assert [(k.id, k.old, k.new) for k in d.kind_changed] == [
            ("5.04.02", "measure", "moved"),
            ("5.04.03", "measure", "withdrawn"),
        ]
        assert d.anomalies == ()


def test_marker_lowers_the_move_threshold() -> None:
    head = " ".join(T[9].split()[:6])
    old_text = head + " " + sentence(100, 30)
    new_text = head + " " + sentence(101, 30)
    old = draft("old", [measure("5.25.01", old_text)])
    announced = draft(
        "new",
        [
            measure("5.25.01", "(stub)", kind="moved", target="5.26.02", tags=()),
            measure("5.26.02", new_text),
        ],
    )
    silent = draft("new", [measure("5.26.02", new_text)])
    with_marker = diff_measures(old, announced)
    assert MARKER_THRESHOLD <= with_marker.moved[0].similarity < MOVE_THRESHOLD
    assert [(m.old_id, m.new_id, m.marker_agrees) for m in with_marker.moved] == [
        ("5.25.01", "5.26.02", True)
    ]
    assert diff_measures(old, silent).moved == ()


def test_marker_anomalies() -> None:
    old = draft(
        "old",
        [
            measure("5.25.01", T[10]),
            measure("5.26.01", "(no measure)", kind="no-measure", tags=()),
            measure("5.27.01", T[11]),
            measure("5.28.01", T[12]),
        ],
    )
    new = draft(
        "new",
        [
            measure("5.25.01", "(stub)", kind="moved", target="5.28.01", tags=()),
            measure("5.26.01", "(stub)", kind="moved", target="5.25.02", tags=()),
            measure("5.27.01", "(stub)", kind="see-other", target="5.26.01", tags=()),
            measure("5.28.01", T[12]),
        ],
    )
    for d in both_modes(old, new):
        assert [(a.kind, a.ids) for a in d.anomalies] == [
            ("unconfirmed-marker", ("5.25.01", "5.28.01")),
            ("dangling-marker", ("5.26.01", "5.25.02")),
            ("marker-without-text", ("5.26.01",)),
            ("marker-target-not-measure", ("5.27.01", "5.26.01")),
        ]
        assert all("5." in a.note for a in d.anomalies)
    # the same stubs in both drafts are no news
    assert diff_measures(new, new).is_empty


def test_duplicate_text_and_reference_anomalies() -> None:
    old = draft(
        "old",
        [
            measure("5.20.03", T[13] + " Zie 5.21.1."),
            measure("5.21.01", T[14]),
            measure("8.16.02", T[15]),
            measure("8.16.03", T[16]),
        ],
    )
    new = draft(
        "new",
        [
            measure("5.20.03", T[13] + " Zie 5.21.1."),
            measure("5.21.01", "(stub)", kind="withdrawn", tags=()),
            measure("8.16.02", T[15]),
            measure("8.16.03", T[15]),
        ],
    )
    with_texts, without = both_modes(old, new)
    for d in (with_texts, without):
        assert ("duplicate-text", ("8.16.02", "8.16.03")) in [(a.kind, a.ids) for a in d.anomalies]
        assert [(c.id, c.similarity) for c in d.changed] == [("8.16.03", 0.0)]
        assert d.moved == d.splits == d.merges == ()
    assert ("reference-to-retired", ("5.20.03", "5.21.01")) in [
        (a.kind, a.ids) for a in with_texts.anomalies
    ]
    assert "reference-to-retired" not in [a.kind for a in without.anomalies]


# --- splits and merges ----------------------------------------------------------------


def test_split_and_merge() -> None:
    first, second = sentence(200, 30), sentence(201, 20)
    small = sentence(202, 7)
    old = draft(
        "old",
        [
            measure("8.01.02", first + " " + second),
            measure("8.29.01", T[17]),
            measure("8.29.02", small),
        ],
    )
    new = draft(
        "new",
        [
            measure("6.03.04", second),  # the second part of 8.01.02 moved out
            measure("8.01.02", first),
            measure("8.29.01", T[17] + " " + small),  # 8.29.02 merged into 8.29.01
        ],
    )
    for d in both_modes(old, new):
        assert [(p.kind, p.old_id, p.new_id) for p in d.splits] == [("split", "8.01.02", "6.03.04")]
        assert [(p.kind, p.old_id, p.new_id) for p in d.merges] == [("merge", "8.29.02", "8.29.01")]
        assert 0.2 < d.splits[0].share < 0.6
        assert d.merges[0].share > 0.8
        assert d.moved == ()
        assert d.removed == ("8.29.02",)
        assert {c.id for c in d.impact.controls} == {
            "iso27002:6.3",
            "iso27002:8.1",
            "iso27002:8.29",
        }


# --- tags -----------------------------------------------------------------------------


def test_tags_not_recorded_is_not_all_removed() -> None:
    untagged = draft("new", [attrs.evolve(m, tags=()) for m in BASE])
    for d in both_modes(BASE, untagged):
        assert d.tags_changed == ()
        assert d.tags_recorded == (True, False)
        assert d.is_empty
        assert d.as_dict()["tags_recorded"] == {"from": True, "to": False}
    report = diff_measures(BASE, untagged, new_label="1.3").as_markdown()
    assert "not compared (1.3 records no contribution tags)" in report


def test_nis2_flag_compared_only_when_both_drafts_carry_it() -> None:
    flagged = draft("old", [attrs.evolve(m, nis2_flag=(i == 0)) for i, m in enumerate(BASE)])
    other = draft("new", [attrs.evolve(m, nis2_flag=(i == 1)) for i, m in enumerate(BASE)])
    none = draft("new", [attrs.evolve(m, nis2_flag=False) for m in BASE])
    d = diff_measures(flagged, other)
    assert [(t.id, t.added, t.removed) for t in d.tags_changed] == [
        ("5.01.01", (), ("NIS2",)),
        ("5.01.02", ("NIS2",), ()),
    ]
    assert diff_measures(flagged, none).tags_changed == ()


# --- mirror ---------------------------------------------------------------------------


def test_mirror_of_a_swap() -> None:
    old = draft("old", [measure("5.20.04", T[18]), measure("5.20.06", T[19])])
    new = draft("new", [measure("5.20.04", T[19]), measure("5.20.06", T[18])])
    for forward, backward in zip(both_modes(old, new), both_modes(new, old), strict=True):
        assert {(m.old_id, m.new_id) for m in forward.moved} == {
            ("5.20.04", "5.20.06"),
            ("5.20.06", "5.20.04"),
        }
        assert {(m.new_id, m.old_id) for m in backward.moved} == {
            (m.old_id, m.new_id) for m in forward.moved
        }


# --- impact ---------------------------------------------------------------------------


def test_impact_with_a_catalog() -> None:
    cat = bio2map.load("1.3")
    new = draft("new", [m for m in BASE if m.number != "8.16.02"])
    d = diff_measures(BASE, new, catalog=cat)
    assert d.impact.mapped
    assert [c.id for c in d.impact.controls] == ["iso27002:8.16"]
    assert d.impact.controls[0].before == ("8.16.01", "8.16.02")
    assert d.impact.controls[0].after == ("8.16.01",)
    want = {
        r.requirement.id
        for r in cat.requirements_for("iso27002:8.16").requirements
        if r.requirement.framework == "nis2" and r.requirement.kind == "point"
    }
    assert set(d.impact.nis2) == want
    assert d.impact.nis2
    assert all(r.startswith("nis2:21.2.") for r in d.impact.nis2)
    assert all(r.startswith("ir2690:") for r in d.impact.ir2690)


# --- markdown -------------------------------------------------------------------------


def test_markdown_report_order_and_no_text_offline() -> None:
    new = draft(
        "new",
        [
            measure("5.01.01", T[1].replace(T[1].split()[0], "Zzvol", 1)),
            measure("5.01.02", T[2]),
            measure("5.03.01", "(no measure)", kind="no-measure", tags=()),
            measure("5.04.01", T[3]),
            measure("8.16.01", T[4]),
            measure("8.16.02", T[5]),
        ],
    )
    offline_md = diff_measures(
        offline(BASE), offline(new), old_label="A", new_label="B"
    ).as_markdown()
    assert offline_md.startswith("# BIO2 A → B\n")
    order = [offline_md.index(h) for h in ("## Summary", "## Moves", "## Substantive rewordings")]
    assert order == sorted(order)
    assert "| 5.02.01 | 5.04.01 | 1.000 | fingerprint | no marker |" in offline_md
    made_up = {w for t in T.values() for w in words(t)}
    assert not made_up & set(words(offline_md))  # ids and figures only
    texts_md = diff_measures(BASE, new).as_markdown()
    assert "~~" in texts_md
    assert "**Zzvol**" in texts_md
    assert texts_md.endswith("\n")
    assert not texts_md.endswith("\n\n")


# --- history --------------------------------------------------------------------------


def _series() -> list[tuple[Measure, ...]]:
    d1 = draft("d1", [measure("5.10.02", T[21]), measure("5.10.03", T[22])])
    d2 = draft("d2", [measure("5.04.02", T[21]), measure("5.04.03", T[22] + " Tevol.")])
    d3 = draft(
        "d3",
        [
            measure("5.04.02", "(stub)", kind="moved", target="5.10.02", tags=()),
            measure("5.04.03", T[22] + " Tevol."),
            measure("5.10.02", T[21]),
        ],
    )
    return [d1, d2, d3]


def test_history_through_renumbering() -> None:
    lin = history("5.10.02", _series())
    assert isinstance(lin, Lineage)
    assert lin.at == "d3"
    assert [(s.draft, s.id, s.change) for s in lin.steps] == [
        ("d1", "5.10.02", "new"),
        ("d2", "5.04.02", "moved"),
        ("d3", "5.10.02", "moved"),
    ]
    assert lin.ids == ("5.10.02", "5.04.02")
    assert lin.earlier_ids == ("5.04.02",)
    assert lin.step("d2").previous_id == "5.10.02"
    assert repr(lin).startswith("<Lineage 5.10.02 @d3: d1 5.10.02 -> d2 5.04.02")
    doc = lin.as_dict()
    assert doc["earlier_ids"] == ["5.04.02"]
    assert [s["change"] for s in doc["steps"]] == ["new", "moved", "moved"]


def test_history_of_a_stub_and_of_the_old_id() -> None:
    series = _series()
    stub = history("bio2:5.04.02", series)
    assert [(s.id, s.change) for s in stub.steps] == [
        ("5.10.02", "new"),
        ("5.04.02", "moved"),
        ("5.04.02", "kind"),
    ]
    early = history("5.10.03", series, at="d1")
    assert [(s.id, s.change) for s in early.steps] == [
        ("5.10.03", "new"),
        ("5.04.03", "moved"),
        ("5.04.03", "unchanged"),
    ]
    assert early.step("d2").similarity is not None
    assert early.step("d2").similarity < 1.0


def test_history_errors() -> None:
    with pytest.raises(UnknownIdError):
        history("9.99.99", _series())
    with pytest.raises(UnknownIdError):
        history("not an id", _series())
    with pytest.raises(UnknownIdError):
        history("5.10.03", _series(), at="d3")
    with pytest.raises(UnknownVersionError):
        history("5.10.02", _series(), at="d9")


def test_history_on_packaged_drafts() -> None:
    lin = history("5.10.02")
    assert lin.at == "1.3"
    assert lin.earlier_ids == ("5.04.02",)
    assert [s.draft for s in lin.steps] == [d.slug for d in bio2map.load().drafts]


# --- diff() inputs --------------------------------------------------------------------


def test_diff_accepts_slugs_catalogs_and_measures() -> None:
    by_slug = diff("1.2", "1.3")
    by_catalog = diff(bio2map.load("1.2"), bio2map.load("1.3"))
    by_measures = diff(bio2map.load("1.2").measures, bio2map.load("1.3").measures)
    assert by_slug == by_catalog
    assert by_slug.as_dict() == by_catalog.as_dict()
    assert (by_measures.old, by_measures.new) == ("1.2", "1.3")
    assert by_measures.impact.mapped is False
    assert by_measures.moved == by_slug.moved
    with pytest.raises(UnknownVersionError):
        diff("1.2", "0.9")


# --- rooms: slugs become catalogs in bio2map.api, the drafts room compares them --------


def test_public_diff_and_history_load_slugs_in_the_api() -> None:
    assert bio2map.diff is bio2map.api.diff
    assert bio2map.history is bio2map.api.history
    with pytest.raises(UnknownVersionError):
        bio2map.diff("1.2", "0.9")
    with pytest.raises(UnknownVersionError):
        bio2map.history("5.10.02", ["1.2", "0.9"])


def test_drafts_room_hands_slugs_up_to_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given slugs, the drafts functions call bio2map.api through core.hooks, which calls
    back with catalogs; given catalogs or measures, they never call a hook."""
    calls: list[str] = []
    real = hooks.call

    def spy(name: str, /, *args: object, **kwargs: object) -> object:
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(hooks, "call", spy)
    assert diff("1.2", bio2map.load("1.3")) == bio2map.api.diff("1.2", "1.3")
    assert calls == ["diff"]
    calls.clear()
    assert history("5.10.02").as_dict() == bio2map.api.history("5.10.02").as_dict()
    assert calls == ["history"]
    calls.clear()
    diff(bio2map.load("1.2"), bio2map.load("1.3").measures)
    history("5.10.02", _series())
    assert calls == []


ROOMS = ("core", "catalog", "drafts", "formats", "render", "api", "cli")
"""The rooms of the package, lowest first (``bio2map/__init__.py`` sits above them all)."""


def _imported_rooms(path: Path) -> set[str]:
    """The rooms a module imports, anywhere in it (functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "bio2map":
                names = [f"bio2map.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "bio2map":
                found.add(parts[1] if len(parts) > 1 and parts[1] in ROOMS else "bio2map")
    return found


@pytest.mark.parametrize(
    ("room", "path"),
    [
        *(("drafts", p) for p in sorted((SRC / "drafts").glob("*.py"))),
        ("render", SRC / "render" / "diff_report.py"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_diff_modules_import_no_higher_room(room: str, path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path.name} is not there")
    allowed = set(ROOMS[: ROOMS.index(room) + 1])
    assert _imported_rooms(path) <= allowed


def test_catalog_history_goes_through_the_api() -> None:
    with pytest.warns(DeprecationWarning, match=r"Catalog\.history\(\) is deprecated"):
        lin = bio2map.load("1.2").history("5.04.02")
    assert lin.as_dict() == bio2map.history("5.04.02", at="1.2").as_dict()


# --- CLI ------------------------------------------------------------------------------


def test_cli_diff_json_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1.2", "1.3", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["from"] == "1.2"
    assert doc["to"] == "1.3"
    assert doc["added"][:2] == ["5.10.02", "5.10.03"]
    assert "fail_on" not in doc
    assert main(["diff", "1.2", "1.3", "--format", "json", "--fail-on", "added,moved"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["failed"] == ["added", "moved"]
    assert main(["diff", "1.1.1", "1.2", "--fail-on", "added,removed,moved"]) == 0
    assert "FAILED" not in capsys.readouterr().out
    assert main(["diff", "1.2", "1.2", "--fail-on", "any"]) == 0


def test_cli_diff_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1.2", "0.9"]) == 2
    assert "unknown BIO2 version '0.9'" in capsys.readouterr().err
    assert main(["diff", "1.2", "1.3", "--fail-on", "bogus"]) == 2
    assert "unknown category 'bogus'" in capsys.readouterr().err
    assert main(["history", "9.99.99"]) == 2


def test_cli_diff_table_and_md(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1.2", "1.3", "--fail-on", "moved"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("BIO2 1.2 -> 1.3 (offline estimates)")
    assert "FAILED --fail-on: moved (5)" in out
    args = argparse.Namespace(old="1.2", new="1.3", texts=None, fail_on=("moved",), format="md")
    doc, report, code = cmd_diff(args)
    assert code == 1
    assert isinstance(report, str)
    assert report.startswith("# BIO2 1.2 → 1.3\n")
    assert report.rstrip().endswith("**FAILED --fail-on: moved (5)**")
    assert doc["failed"] == ["moved"]
    assert main(["diff", "1.2", "1.3", "--format", "md"]) == 0
    assert capsys.readouterr().out == diff("1.2", "1.3").as_markdown()


def test_cli_fail_on_categories_match_counts() -> None:
    counts = diff("1.2", "1.3").counts()
    assert set(FAIL_ON) <= set(counts)


def test_cli_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "5.10.02", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["earlier_ids"] == ["5.04.02"]
    assert main(["history", "5.10.02", "--bio2", "2024-06-draft"]) == 0
    out = capsys.readouterr().out
    assert "looked up in 2024-06-draft" in out
    assert "Earlier ids: 5.04.02" in out


def test_cli_diff_with_texts(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = str(shared / "corpus" / "bio2")
    assert main(["diff", "1.2", "1.3", "--texts", corpus, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["texts"] is True
    assert {(s["from"], s["to"]) for s in doc["splits"]} == {
        ("5.01.01", "5.02.01"),
        ("8.01.02", "6.03.04"),
    }
