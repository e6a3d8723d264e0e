"""How alike two measure texts are: shingles, MinHash estimates and cosmetic wording.

*Similarity* of two measures is the Jaccard similarity of their sets of word
3-shingles (:mod:`bio2map.drafts.signatures`): exact when both texts are attached,
else estimated from the 64 MinHash values (1.0 when the fingerprints are equal), with
the number of shared shingles estimated from the similarity and the word counts. An
inverted index (shingle, or MinHash position and value, to measures) finds every pair
that shares anything (:func:`overlapping_pairs`), so no pair without overlap is ever
compared.

A rewording is *cosmetic* (:func:`cosmetic_texts`) when the two texts have the same
words once case, punctuation, white space, list markers, encoding damage (letters
outside ASCII inside a word, as in mojibake) and the term swaps of
:data:`TERM_SWAPS` are set aside. Offline, only the first four can be seen: a
rewording is cosmetic when the signatures and word counts are equal.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from bio2map.drafts.results import WordOp
from bio2map.drafts.signatures import NUM_HASHES, shingles, words

if TYPE_CHECKING:
    from bio2map.core.records import Measure
    from bio2map.drafts.side import Side

__all__ = [
    "TERM_SWAPS",
    "cosmetic_texts",
    "estimated_shared",
    "estimated_size",
    "measure_similarity",
    "normalized",
    "overlapping_pairs",
    "overlaps",
    "shingle_set",
    "signature_overlaps",
    "signature_values",
    "word_ops",
]

TERM_SWAPS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # 1.3 (BIO2 as legislation) says entiteit where earlier drafts say organisatie.
        "organisatie": "entiteit",
        "organisaties": "entiteiten",
        "overheidsorganisatie": "entiteit",
        "overheidsorganisaties": "entiteiten",
        # 1.1.1 made the terms consistent (its version table says so).
        "beveiligingsincident": "informatiebeveiligingsincident",
        "beveiligingsincidenten": "informatiebeveiligingsincidenten",
        "conform": "volgens",
    }
)
"""Word swaps that make a rewording cosmetic: each word maps to its canonical term.

Both texts are read through this table (lower-cased words), so a swap counts in
either direction.
"""

_LIST_MARK: Final = re.compile(
    # a bullet or a list label at the start of a line, or a list label written inline
    # ("... twee situaties: 1. vanaf ...")
    r"(?:^[ \t]*[-*+•▪◦][ \t]+)"
    r"|(?:(?:^|(?<=\s))\(?(?:[0-9]{1,2}|[ivx]{1,4}|[a-zA-Z])[.)](?=\s))",
    re.MULTILINE,
)


# --- similarity of two measures --------------------------------------------------------


@lru_cache(maxsize=4096)
def shingle_set(text: str) -> frozenset[str]:
    """The word 3-shingles of a text (memoised)."""
    return shingles(text)


_HEX4: Final = re.compile(r"[0-9a-f]{4}")


@lru_cache(maxsize=8192)
def signature_values(sig: str) -> tuple[str, ...]:
    """The 64 MinHash values of a signature, as 4-digit hex strings."""
    return tuple(_HEX4.findall(sig))


def estimated_size(m: Measure) -> int:
    """The number of shingles of a measure, from its word count (offline)."""
    return max(m.words - 2, 1) if m.words >= 3 else max(m.words, 1)


def estimated_shared(sim: float, na: int, nb: int) -> float:
    """Shingles two sets of ``na`` and ``nb`` share, from their Jaccard similarity."""
    return sim * (na + nb) / (1 + sim)


def overlaps(
    old_items: Mapping[str, Iterable[str]], new_items: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], int]:
    """(old id, new id) -> number of shared items, for every pair that shares one."""
    index: dict[str, list[str]] = {}
    for k, items in new_items.items():
        for it in items:
            ys = index.get(it)
            if ys is None:
                index[it] = [k]
            else:
                ys.append(k)
    out: dict[tuple[str, str], int] = {}
    for x, items in old_items.items():
        found = [ys for it in items if (ys := index.get(it)) is not None]
        for y, n in Counter(chain.from_iterable(found)).items():
            out[(x, y)] = n
    return out


def signature_overlaps(
    old: Mapping[str, Measure], new: Mapping[str, Measure], twins: Mapping[str, str]
) -> dict[tuple[str, str], int]:
    """(old id, new id) -> number of equal MinHash positions, for every pair with one.

    One index per position. ``twins`` maps an old id to the new id with the same
    fingerprint; that pair is not counted (its similarity is 1.0 anyway).
    """
    index: list[dict[str, list[str]]] = [{} for _ in range(NUM_HASHES)]
    for k, m in new.items():
        for d, v in zip(index, signature_values(m.signature), strict=False):
            ys = d.get(v)
            if ys is None:
                d[v] = [k]
            else:
                ys.append(k)
    out: dict[tuple[str, str], int] = {}
    for x, m in old.items():
        twin = [twins[x]] if x in twins else None
        found = [
            ys
            for d, v in zip(index, signature_values(m.signature), strict=False)
            if (ys := d.get(v)) is not None and ys != twin
        ]
        for y, n in Counter(chain.from_iterable(found)).items():
            out[(x, y)] = n
    return out


def overlapping_pairs(
    old: Side, new: Side, use_texts: bool
) -> dict[tuple[str, str], tuple[float, float]]:
    """(old id, new id) -> (similarity, shared shingles) for every pair that overlaps.

    Pairs under the same id are always present (similarity 0.0 when nothing is shared).
    """
    out: dict[tuple[str, str], tuple[float, float]] = {}
    if use_texts:
        old_sh = {k: shingle_set(m.text or "") for k, m in old.content.items()}
        new_sh = {k: shingle_set(m.text or "") for k, m in new.content.items()}
        old.size.update((k, len(v)) for k, v in old_sh.items())
        new.size.update((k, len(v)) for k, v in new_sh.items())
        for (x, y), n in overlaps(old_sh, new_sh).items():
            union = old.size[x] + new.size[y] - n
            out[(x, y)] = (n / union if union else 1.0, float(n))
    else:
        old.size.update((k, estimated_size(m)) for k, m in old.content.items())
        new.size.update((k, estimated_size(m)) for k, m in new.content.items())
        by_fp: dict[str, list[str]] = {}
        for k, m in new.content.items():
            by_fp.setdefault(m.fingerprint, []).append(k)
        twins: dict[str, str] = {}
        for x, m in old.content.items():
            same = by_fp.get(m.fingerprint)
            if same is not None and len(same) == 1:
                twins[x] = same[0]
        hits = signature_overlaps(old.content, new.content, twins)
        for x, m in old.content.items():
            for y in by_fp.get(m.fingerprint, ()):
                hits[(x, y)] = NUM_HASHES
        for (x, y), n in hits.items():
            sim = min(n / NUM_HASHES, 1.0)
            out[(x, y)] = (sim, estimated_shared(sim, old.size[x], new.size[y]))
    for k in old.content.keys() & new.content.keys():
        out.setdefault((k, k), (0.0, 0.0))
    return out


def measure_similarity(a: Measure, b: Measure, use_texts: bool) -> tuple[float, float]:
    """(similarity, shared shingles) of two measures of the same draft."""
    if use_texts:
        sa, sb = shingle_set(a.text or ""), shingle_set(b.text or "")
        n = len(sa & sb)
        union = len(sa) + len(sb) - n
        return (n / union if union else 1.0), float(n)
    if a.fingerprint == b.fingerprint:
        sim = 1.0
    else:
        va, vb = signature_values(a.signature), signature_values(b.signature)
        sim = (
            sum(1 for p, q in zip(va, vb, strict=False) if p == q) / NUM_HASHES
            if va and vb
            else 0.0
        )
    return sim, estimated_shared(sim, estimated_size(a), estimated_size(b))


# --- word-level comparison -----------------------------------------------------------


def normalized(text: str) -> str:
    """A text with its white space collapsed and NFC-normalised (as fingerprinted)."""
    # The fingerprint's normalisation (bio2map.drafts.parser.normalize_text), kept
    # here so that importing bio2map does not compile the parser's patterns.
    return " ".join(unicodedata.normalize("NFC", text).split())


def _canon_words(text: str) -> list[str]:
    return [TERM_SWAPS.get(w, w) for w in words(_LIST_MARK.sub("", text))]


def _skeleton(ws: Sequence[str]) -> str:
    return "".join(ch for ch in "".join(ws) if ch.isascii() and ch.isalnum())


def cosmetic_texts(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only cosmetically (see the module docstring)."""
    if words(a) == words(b):  # white space, punctuation, case
        return True
    wa, wb = _canon_words(a), _canon_words(b)
    if wa == wb:
        return True
    import difflib  # only with texts: keeps ``import bio2map`` light

    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return all(
        tag == "equal" or _skeleton(wa[i1:i2]) == _skeleton(wb[j1:j2])
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
    )


def word_ops(a: str, b: str) -> tuple[WordOp, ...]:
    """The word-level differences of two texts (``difflib`` opcodes over words)."""
    import difflib

    ta, tb = a.split(), b.split()
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    return tuple(
        WordOp(tag, tuple(ta[i1:i2]), tuple(tb[j1:j2])) for tag, i1, i2, j1, j2 in sm.get_opcodes()
    )
