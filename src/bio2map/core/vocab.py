"""Vocabularies: relationships (NIST IR 8477) and BIO2 kinds and tags.

Plain constants and functions, no records: importing this module is cheap.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Final

__all__ = ["BIO2_KINDS", "BIO2_TAGS", "RELATIONSHIPS", "compose", "invert", "strongest"]

RELATIONSHIPS: Final = ("equal", "subset_of", "superset_of", "intersects_with", "not_related")
"""NIST IR 8477 set-theory relationships, read as ``source <relationship> target``."""

_INVERSE: Final = {
    "equal": "equal",
    "subset_of": "superset_of",
    "superset_of": "subset_of",
    "intersects_with": "intersects_with",
    "not_related": "not_related",
}

BIO2_KINDS: Final = ("measure", "no-measure", "moved", "withdrawn", "see-other")
BIO2_TAGS: Final = ("Basishygiëne", "Ketenhygiëne", "Overheidsrisico")


def invert(relationship: str) -> str:
    """Return the relationship read the other way (``subset_of`` -> ``superset_of``)."""
    return _INVERSE[relationship]


def compose(first: str, second: str) -> str:
    """Compose ``A first B`` and ``B second C`` into the strongest sound ``A ? C``.

    ``equal`` passes the other through; two subsets make a subset and two supersets a
    superset. ``A superset_of B`` with ``B subset_of C`` or ``B intersects_with C`` gives
    ``A intersects_with C`` (their common part is not empty). Where set theory gives no
    guarantee (``subset_of`` then ``superset_of``, ``subset_of`` then
    ``intersects_with``), the result is ``intersects_with``, the weakest positive claim;
    ``not_related`` on either side gives ``not_related``.

    Examples:
        >>> compose("superset_of", "intersects_with")
        'intersects_with'
    """
    if "not_related" in (first, second):
        return "not_related"
    if first == "equal":
        return second
    if second == "equal":
        return first
    if first == second and first in ("subset_of", "superset_of"):
        return first
    return "intersects_with"


_STRENGTH: Final = {
    "equal": 4,
    "superset_of": 3,
    "subset_of": 2,
    "intersects_with": 1,
    "not_related": 0,
}


def strongest(relationships: Iterable[str]) -> str:
    """Return the strongest of several relationships (``equal`` first)."""
    return max(relationships, key=_STRENGTH.__getitem__)
