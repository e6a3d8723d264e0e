"""bio2map.drafts.signatures: words, shingles, exact Jaccard, MinHash signatures and their
estimate; the packaged data's figures are these functions' figures."""

from __future__ import annotations

from pathlib import Path

import bio2map
from bio2map.drafts.parser import parse
from bio2map.drafts.signatures import NUM_HASHES, jaccard, shingles, signature, similarity, words
from tests.conftest import needs_shared

OLD = (
    "De organisatie heeft een beleid voor de beveiliging van leveranciers en hun diensten "
    "vastgesteld en onderhoudt dit jaarlijks."
)
NEW = (
    "De entiteit heeft een beleid voor de beveiliging van leveranciers en hun diensten "
    "vastgesteld en onderhoudt dit elk jaar."
)
OTHER = "Toegang tot systemen wordt beperkt tot geautoriseerde gebruikers met een noodzaak."


def test_words_are_lower_case_nfkc_without_markup() -> None:
    assert words("Het **beleid**, is: Goed! 5.19 ﬁets café") == [
        *("het", "beleid", "is", "goed", "5", "19", "fiets", "café")
    ]
    assert words("") == []
    assert words("— … !") == []


def test_shingles_are_word_triples() -> None:
    assert shingles("a b c d") == {"a b c", "b c d"}
    assert shingles("A, b. C! a b c") == {"a b c", "b c a", "c a b"}  # repeats collapse
    assert shingles("twee woorden") == {"twee", "woorden"}  # too short: the words
    assert shingles("") == frozenset()


def test_jaccard() -> None:
    assert jaccard(frozenset(), frozenset()) == 1.0
    assert jaccard(frozenset({"a"}), frozenset()) == 0.0
    assert jaccard(frozenset("abc"), frozenset("bcd")) == 0.5
    assert jaccard(shingles(OLD), shingles(NEW)) == 0.65


def test_signature_is_fixed_hex_and_ignores_case_and_punctuation() -> None:
    sig = signature(OLD)
    assert len(sig) == 4 * NUM_HASHES == 256
    assert int(sig, 16) >= 0
    # pinned: the packaged data holds signatures; a change here changes every data file
    assert signature("De organisatie heeft een beleid voor leveranciers.")[:32] == (
        "44606b9128baabda021e08542f85d35e"
    )
    assert signature(OLD.upper().replace(",", "")) == sig
    assert signature("") == signature("…") == ""


def test_similarity_estimates_jaccard() -> None:
    assert similarity(signature(OLD), signature(OLD)) == 1.0
    assert similarity(signature(OLD), signature(NEW)) == 0.640625  # exact: 0.65
    assert similarity(signature(OLD), signature(OTHER)) == 0.0  # exact: 0.0
    half = "0000" * 32 + "ffff" * 32
    assert similarity(half, "0000" * 64) == 0.5


def test_similarity_of_missing_signatures() -> None:
    assert similarity("", "") == 1.0  # two texts without words are alike
    assert similarity(signature(OLD), "") == 0.0
    assert similarity("0000" * 64, "0000" * 32) == 0.0  # not the same kind of signature


@needs_shared
def test_the_packaged_figures_are_these(shared: Path, catalog: bio2map.Catalog) -> None:
    text = (shared / "corpus" / "bio2" / "1.3" / "maatregelen.md").read_text(encoding="utf-8")
    parsed = {f"bio2:{m.id}": m.text for m in parse(text).measures}
    checked = 0
    for m in catalog.measures:
        if m.kind == "measure" and m.id in parsed:
            assert m.signature == signature(parsed[m.id]), m.id
            assert m.words == len(words(parsed[m.id])), m.id
            checked += 1
    assert checked > 100
