"""Text signatures that let bio2map compare measure texts it does not ship.

The packaged data holds no BIO2 text, only figures computed from it:

* a *fingerprint*: ``sha256:`` plus 16 hex digits of the normalised text (equal texts,
  up to white space, have equal fingerprints; see :func:`bio2map.drafts.parser.fingerprint`);
* a *MinHash signature*: :data:`NUM_HASHES` 16-bit minimum hashes of the set of word
  3-shingles, written as one hex string. The share of equal positions in two signatures
  estimates the Jaccard similarity of the two shingle sets (standard error about
  ``sqrt(J(1-J)/64)``, so ±0.06 at J = 0.5), enough to find a measure that moved to
  another number without reading its text.

Signatures are deterministic: the hash is BLAKE2b, keyed by nothing, and the 64
permutations are fixed below.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["NUM_HASHES", "jaccard", "shingles", "signature", "similarity", "words"]

NUM_HASHES = 64
SHINGLE = 3
_PRIME = (1 << 61) - 1
_MASK = 0xFFFF
# Fixed (a, b) pairs for the permutations h -> (a*h + b) mod p, from a seeded LCG.
_PERMS: tuple[tuple[int, int], ...] = tuple(
    (
        (6364136223846793005 * (i + 1) + 1442695040888963407) % _PRIME or 1,
        (2862933555777941757 * (i + 7) + 3037000493) % _PRIME,
    )
    for i in range(NUM_HASHES)
)
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (NFKC; punctuation and markup dropped)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def shingles(text: str) -> frozenset[str]:
    """The set of word 3-shingles (for texts of fewer words: the words themselves)."""
    ws = words(text)
    if len(ws) < SHINGLE:
        return frozenset(ws)
    return frozenset(" ".join(ws[i : i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(text: str) -> str:
    """The MinHash signature of ``text`` as 256 hex digits ('' for a text without words)."""
    sh = shingles(text)
    if not sh:
        return ""
    hashes = [
        int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
        for s in sh
    ]
    out = []
    for a, b in _PERMS:
        out.append(min((a * h + b) % _PRIME for h in hashes) & _MASK)
    return "".join(f"{v:04x}" for v in out)


def similarity(sig_a: str, sig_b: str) -> float:
    """Estimated Jaccard similarity of two signatures (0.0 when either is empty)."""
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 1.0 if sig_a == sig_b else 0.0
    same = sum(1 for i in range(0, len(sig_a), 4) if sig_a[i : i + 4] == sig_b[i : i + 4])
    return same / (len(sig_a) // 4)
