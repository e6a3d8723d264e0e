"""bio2map.core.vocab: relationships read both ways, composed soundly, ranked; bases ranked."""

from __future__ import annotations

import itertools

import pytest

from bio2map.core.vocab import (
    BASIS_LEVELS,
    RELATIONSHIPS,
    basis_level,
    basis_rank,
    compose,
    invert,
    stronger,
    strongest,
    weaker,
)

# Every non-empty subset of a four-element universe: enough to show each relationship
# between three sets in every arrangement.
SETS = [frozenset(c) for n in range(1, 5) for c in itertools.combinations(range(4), n)]


def relationship(a: frozenset[int], b: frozenset[int]) -> str:
    """What NIST IR 8477 calls the relationship of ``a`` to ``b``."""
    if a == b:
        return "equal"
    if a < b:
        return "subset_of"
    if a > b:
        return "superset_of"
    return "intersects_with" if a & b else "not_related"


def holds(rel: str, a: frozenset[int], c: frozenset[int]) -> bool:
    """Whether the claim ``a rel c`` is true of the two sets."""
    if rel == "intersects_with":  # the weakest positive claim: something in common
        return bool(a & c)
    if rel == "not_related":
        return not a & c
    return relationship(a, c) == rel


def test_invert_is_reading_the_other_way() -> None:
    for a, b in itertools.product(SETS, repeat=2):
        assert invert(relationship(a, b)) == relationship(b, a)
    assert [invert(invert(r)) for r in RELATIONSHIPS] == list(RELATIONSHIPS)
    with pytest.raises(KeyError):
        invert("part_of")


# the compositions set theory guarantees (the others are a convention, tested below)
SOUND = [
    *((("equal", r)) for r in RELATIONSHIPS),
    *(((r, "equal")) for r in RELATIONSHIPS),
    ("subset_of", "subset_of"),
    ("superset_of", "superset_of"),
    ("superset_of", "subset_of"),
    ("superset_of", "intersects_with"),
    ("subset_of", "not_related"),
    ("equal", "not_related"),
]


@pytest.mark.parametrize(("first", "second"), SOUND)
def test_compose_is_sound_where_set_theory_decides(first: str, second: str) -> None:
    result = compose(first, second)
    seen = 0
    for a, b, c in itertools.product(SETS, repeat=3):
        if relationship(a, b) == first and relationship(b, c) == second:
            seen += 1
            assert holds(result, a, c), (first, second, result, sorted(a), sorted(b), sorted(c))
    assert seen  # the universe holds an example of the pair


def test_compose_without_a_guarantee_is_the_weakest_positive_claim() -> None:
    assert compose("subset_of", "superset_of") == "intersects_with"
    assert compose("subset_of", "intersects_with") == "intersects_with"
    assert compose("intersects_with", "intersects_with") == "intersects_with"
    assert compose("intersects_with", "subset_of") == "intersects_with"
    assert compose("not_related", "equal") == "not_related"
    assert compose("intersects_with", "not_related") == "not_related"
    assert compose("equal", "equal") == "equal"


def test_strongest() -> None:
    assert strongest(["intersects_with", "subset_of", "superset_of"]) == "superset_of"
    assert strongest(["not_related", "intersects_with"]) == "intersects_with"
    assert strongest(iter(["subset_of", "equal"])) == "equal"
    assert strongest(["not_related"]) == "not_related"
    with pytest.raises(ValueError, match="empty"):
        strongest([])


def test_basis_levels_admit_more_and_more() -> None:
    assert [basis_level(level) for level in BASIS_LEVELS] == [0, 1, 2]
    for bad in ("stated", "", None, 1):
        with pytest.raises(ValueError, match="must be one of explicit, heading, all"):
            basis_level(bad)  # type: ignore[arg-type]


def test_basis_rank() -> None:
    assert [basis_rank(b) for b in ("explicit_text", "source_mapping", "layer")] == [0, 0, 0]
    assert basis_rank("section_heading") == 1
    assert [basis_rank(b) for b in ("inferred_subject", "section_table", "inferred_theme")] == [
        2,
        2,
        2,
    ]
    assert basis_rank("my-own-basis") == 0  # a layer may name its own: counts as stated


def test_weaker_and_stronger() -> None:
    assert weaker("source_mapping", "section_table") == "section_table"
    assert weaker("section_table", "source_mapping") == "section_table"
    assert weaker("explicit_text", "layer") == "explicit_text"  # a tie keeps the first
    assert stronger("section_table", "section_heading") == "section_heading"
    assert stronger("source_mapping", "explicit_text") == "explicit_text"  # tie: by name
    assert stronger("explicit_text", "source_mapping") == "explicit_text"
    assert stronger("", "section_table") == "section_table"
    assert stronger("section_table", "") == "section_table"
