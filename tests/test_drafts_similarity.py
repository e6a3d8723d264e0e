"""bio2map.drafts.similarity: how alike two measure texts are, exactly (texts attached)
or estimated from the packaged MinHash figures, and when a rewording is cosmetic."""

from __future__ import annotations

import pytest

from bio2map.core.records import Measure
from bio2map.drafts.parser import fingerprint
from bio2map.drafts.results import WordOp
from bio2map.drafts.side import Side
from bio2map.drafts.signatures import NUM_HASHES, signature, words
from bio2map.drafts.similarity import (
    TERM_SWAPS,
    cosmetic_texts,
    estimated_shared,
    estimated_size,
    measure_similarity,
    normalized,
    overlapping_pairs,
    overlaps,
    shingle_set,
    signature_overlaps,
    signature_values,
    word_ops,
)

SUPPLIERS = "de organisatie legt de eisen aan leveranciers vast in een overeenkomst"
SUPPLIERS_2 = "de organisatie legt de eisen aan leveranciers vast in elk contract"
ACCESS = "toegang tot systemen wordt beperkt tot geautoriseerde gebruikers"


def measure(mid: str, text: str, draft: str = "old", *, with_text: bool = True) -> Measure:
    """A measure with the figures the packaged data would hold for ``text``."""
    return Measure(
        id=f"bio2:{mid}",
        draft=draft,
        control="iso27002:" + ".".join(mid.split(".")[:2]),
        kind="measure",
        target=None,
        tags=(),
        nis2_flag=False,
        fingerprint=fingerprint(text),
        signature=signature(text),
        words=len(words(text)),
        text=text if with_text else None,
    )


def test_estimated_size_from_the_word_count() -> None:
    sizes = [estimated_size(measure("5.1.1", " ".join(["w"] * n))) for n in (0, 1, 2, 3, 10)]
    assert sizes == [1, 1, 2, 1, 8]  # n words make n - 2 triples; never 0


def test_estimated_shared_inverts_jaccard() -> None:
    # two sets of 10 sharing 5: J = 5 / 15
    assert estimated_shared(5 / 15, 10, 10) == pytest.approx(5.0)
    assert estimated_shared(1.0, 7, 7) == 7.0
    assert estimated_shared(0.0, 7, 9) == 0.0


def test_overlaps_counts_shared_items_of_overlapping_pairs_only() -> None:
    old = {"x": ["a", "b"], "y": ["c"], "z": ["q"]}
    new = {"p": ["a", "b", "c"], "r": ["b"], "s": ["t"]}
    assert overlaps(old, new) == {("x", "p"): 2, ("x", "r"): 1, ("y", "p"): 1}


def test_signature_values_and_overlaps_per_position() -> None:
    sig = signature(SUPPLIERS)
    assert len(signature_values(sig)) == NUM_HASHES
    assert "".join(signature_values(sig)) == sig
    assert signature_values("") == ()
    a = measure("5.1.1", SUPPLIERS)
    b = measure("5.1.1", SUPPLIERS_2, "new")
    same = measure("5.1.2", SUPPLIERS, "new")
    hits = signature_overlaps({"5.1.1": a}, {"5.1.1": b, "5.1.2": same}, {})
    assert hits[("5.1.1", "5.1.2")] == NUM_HASHES  # the same text: every position
    equal = sum(
        p == q
        for p, q in zip(signature_values(a.signature), signature_values(b.signature), strict=True)
    )
    assert hits[("5.1.1", "5.1.1")] == equal
    # a twin (same fingerprint; its similarity is 1.0 anyway) is skipped where it holds a
    # value alone; where another measure shares the value, the bucket still counts
    twin = {"5.1.1": "5.1.2"}
    assert signature_overlaps({"5.1.1": a}, {"5.1.2": same}, twin) == {}
    with_twin = signature_overlaps({"5.1.1": a}, {"5.1.1": b, "5.1.2": same}, twin)
    assert with_twin == {("5.1.1", "5.1.1"): equal, ("5.1.1", "5.1.2"): equal}


def sides(*, with_text: bool) -> tuple[Side, Side]:
    old = [
        measure("5.1.1", SUPPLIERS, with_text=with_text),
        measure("5.1.2", ACCESS, with_text=with_text),
    ]
    new = [
        measure("5.1.1", ACCESS, "new", with_text=with_text),  # moved here from 5.1.2
        measure("5.1.3", SUPPLIERS_2, "new", with_text=with_text),
    ]
    return Side("old", old), Side("new", new)


def test_overlapping_pairs_with_texts_are_exact() -> None:
    old, new = sides(with_text=True)
    pairs = overlapping_pairs(old, new, use_texts=True)
    a, b = shingle_set(SUPPLIERS), shingle_set(SUPPLIERS_2)
    shared = len(a & b)
    assert pairs[("5.1.1", "5.1.3")] == (shared / len(a | b), float(shared))
    assert pairs[("5.1.2", "5.1.1")] == (1.0, float(len(shingle_set(ACCESS))))
    assert pairs[("5.1.1", "5.1.1")] == (0.0, 0.0)  # the same id: always compared
    assert ("5.1.2", "5.1.3") not in pairs  # nothing shared: never compared
    assert old.size == {"5.1.1": len(a), "5.1.2": len(shingle_set(ACCESS))}


def test_overlapping_pairs_offline_are_estimated_from_the_figures() -> None:
    old, new = sides(with_text=False)
    pairs = overlapping_pairs(old, new, use_texts=False)
    size = estimated_size(old.content["5.1.2"])
    assert pairs[("5.1.2", "5.1.1")] == (1.0, float(size))  # equal fingerprints
    sim, shared = pairs[("5.1.1", "5.1.3")]
    exact = len(shingle_set(SUPPLIERS) & shingle_set(SUPPLIERS_2)) / len(
        shingle_set(SUPPLIERS) | shingle_set(SUPPLIERS_2)
    )
    assert abs(sim - exact) < 0.2
    assert shared == pytest.approx(estimated_shared(sim, old.size["5.1.1"], new.size["5.1.3"]))
    assert pairs[("5.1.1", "5.1.1")] == (0.0, 0.0)
    assert old.size["5.1.1"] == estimated_size(old.content["5.1.1"])


def test_measure_similarity() -> None:
    a, b = measure("5.1.1", SUPPLIERS), measure("5.1.3", SUPPLIERS_2)
    sa, sb = shingle_set(SUPPLIERS), shingle_set(SUPPLIERS_2)
    assert measure_similarity(a, b, use_texts=True) == (
        len(sa & sb) / len(sa | sb),
        float(len(sa & sb)),
    )
    assert measure_similarity(a, a, use_texts=False)[0] == 1.0
    offline = measure_similarity(a, b, use_texts=False)[0]
    assert (
        offline
        == sum(
            p == q
            for p, q in zip(
                signature_values(a.signature), signature_values(b.signature), strict=True
            )
        )
        / NUM_HASHES
    )
    empty = measure("5.1.4", "")
    assert measure_similarity(a, empty, use_texts=False)[0] == 0.0
    assert measure_similarity(empty, measure("5.1.5", ""), use_texts=True)[0] == 1.0


def test_normalized_collapses_white_space_and_composes() -> None:
    assert normalized("  een\n\ttekst  met   ruimte ") == "een tekst met ruimte"
    assert normalized("gei\u0308mplementeerd") == "geïmplementeerd"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("De organisatie moet, waar nodig, loggen.", "de organisatie moet waar nodig loggen"),
        ("De organisatie legt het vast.", "De entiteit legt het vast."),  # a term swap
        ("De entiteiten melden het.", "De organisaties melden het."),  # either direction
        ("- de eerste\n- de tweede", "1. de eerste 2. de tweede"),  # list markers
        ("de eisen: a) loggen b) melden", "de eisen: loggen melden"),
        ("het is geÃ¯mplementeerd", "het is geïmplementeerd"),  # encoding damage
    ],
)
def test_cosmetic_rewordings(a: str, b: str) -> None:
    assert cosmetic_texts(a, b)
    assert cosmetic_texts(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("De organisatie moet loggen.", "De organisatie mag loggen."),
        ("De organisatie logt.", "De organisatie logt en meldt."),
        ("het is geïmplementeerd", "het is gepland"),
    ],
)
def test_real_rewordings(a: str, b: str) -> None:
    assert not cosmetic_texts(a, b)


def test_term_swaps_map_to_one_term() -> None:
    assert TERM_SWAPS["organisatie"] == TERM_SWAPS["overheidsorganisatie"] == "entiteit"
    assert all(v not in TERM_SWAPS for v in TERM_SWAPS.values())  # one step, no chains
    with pytest.raises(TypeError):
        TERM_SWAPS["x"] = "y"  # type: ignore[index]


def test_word_ops() -> None:
    assert word_ops("de eisen vast in een overeenkomst", "de eisen vast in elk contract") == (
        WordOp("equal", ("de", "eisen", "vast", "in"), ("de", "eisen", "vast", "in")),
        WordOp("replace", ("een", "overeenkomst"), ("elk", "contract")),
    )
    assert word_ops("a b", "a b c") == (
        WordOp("equal", ("a", "b"), ("a", "b")),
        WordOp("insert", (), ("c",)),
    )
    assert word_ops("", "") == ()
