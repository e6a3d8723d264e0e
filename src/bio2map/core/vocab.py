"""Vocabularies: relationships (NIST IR 8477) and BIO2 kinds and tags.

Plain constants and functions, no records: importing this module is cheap.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "BASIS_LEVELS",
    "BIO2_KINDS",
    "BIO2_TAGS",
    "RELATIONSHIPS",
    "basis_level",
    "basis_rank",
    "compose",
    "invert",
    "stronger",
    "strongest",
    "weaker",
]

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


# --- how a link is known ------------------------------------------------------------------

BASIS_LEVELS: Final = ("explicit", "heading", "all")
"""How far a query may rely on links no source states in so many words (``--basis``):

* ``explicit``: only stated links: annex -> Art. 21(2) point links whose annex text names the
  point (``explicit_text``) and ENISA's own annex -> ISO pairs (``source_mapping``);
* ``heading``: also the point links given by a section heading (``section_heading``);
* ``all`` (the default): also points inferred from the subject (``inferred_subject``) and the
  ENISA section tables bio2map inherits to annex sections 7 and 9 (``section_table``).

Edges of a user's mapping layer (``layer``) are stated links.
"""

_BASIS_RANK: Final = {
    "explicit_text": 0,
    "source_mapping": 0,
    "layer": 0,
    "numbering": 0,
    "section_heading": 1,
    "inferred_subject": 2,
    "section_table": 2,
    "explicit_node_name": 0,  # a Cbw framework group names its Cbw article
    "inferred_theme": 2,  # a Cbw framework theme -> the Art. 21(2) point: our reading
    "shape_of_pairs": 0,  # ISO/IEC 27001:2013 -> 2022 (ISO/IEC 27002:2022 Table B.2)
}
_LEVEL_RANK: Final = {"explicit": 0, "heading": 1, "all": 2}


def basis_level(level: str) -> int:
    """The highest basis rank a level admits (``explicit`` 0, ``heading`` 1, ``all`` 2).

    Raises:
        ValueError: ``level`` is not one of :data:`BASIS_LEVELS`.
    """
    rank = _LEVEL_RANK.get(level) if isinstance(level, str) else None
    if rank is None:
        msg = f"basis {level!r} must be one of {', '.join(BASIS_LEVELS)}"
        raise ValueError(msg)
    return rank


def basis_rank(basis: str) -> int:
    """How far a link's basis is from being stated: 0 stated, 1 a heading, 2 inferred.

    An unknown basis counts as stated (a layer may name its own).

    Examples:
        >>> basis_rank("explicit_text"), basis_rank("section_heading"), basis_rank("section_table")
        (0, 1, 2)
    """
    return _BASIS_RANK.get(basis, 0)


def weaker(first: str, second: str) -> str:
    """The basis of a path of two links: the less certain one (``first`` on a tie).

    Examples:
        >>> weaker("section_heading", "source_mapping")
        'section_heading'
        >>> weaker("section_heading", "section_table")
        'section_table'
    """
    return second if basis_rank(second) > basis_rank(first) else first


def stronger(first: str, second: str) -> str:
    """Of two path bases, the more certain one (ties by name, so the result is stable)."""
    if not first:
        return second
    if not second:
        return first
    return min(first, second, key=lambda b: (basis_rank(b), b))
