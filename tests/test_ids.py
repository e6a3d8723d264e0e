"""Identifier normalisation: examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bio2map
from bio2map.core.errors import AmbiguousIdError, UnknownIdError
from bio2map.core.ids import normalize_id, plain, readings, scheme_of, sort_key
from tests.property.strategies import id_like


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21(2)(d)", "nis2:21.2.d"),
        ("Art. 21(2)(d)", "nis2:21.2.d"),
        ("art 21 (2) (d)", "nis2:21.2.d"),
        ("NIS2 21.2.d", "nis2:21.2.d"),
        ("nis2:21.2.d", "nis2:21.2.d"),
        ("Article 23(4)(a)", "nis2:23.4.a"),
        ("A.5.19", "iso27002:5.19"),
        ("a5.19", "iso27002:5.19"),
        ("5.19", "iso27002:5.19"),
        ("ISO 27002 5.19", "iso27002:5.19"),
        ("ISO/IEC 27001:2022 A.5.19", "iso27002:5.19"),
        ("iso27001:A.5.19", "iso27002:5.19"),
        ("ISO 27001 6.1.2", "iso27001:6.1.2"),
        ("clause 9.3", "iso27001:9.3"),
        ("5.01.01", "bio2:5.01.01"),
        ("BIO2 5.19.1", "bio2:5.19.01"),
        ("bio2:5.25.u1", "bio2:5.25.u1"),
        ("1.1.1(a)", "ir2690:1.1.1.a"),
        ("9.2(c)(iv)", "ir2690:9.2.c.iv"),
        ("4.3.2-p2", "ir2690:4.3.2-p2"),
        ("2024/2690 5.1.4", "ir2690:5.1.4"),
        ("Cbw art. 25", "cbw:25"),
        ("  21(2)(D)  ", "nis2:21.2.d"),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize_id(text) == expected


def test_tiers_prefer_controls_for_bare_two_part_numbers() -> None:
    assert readings("5.1") == (("iso27002:5.1",), ("iso27001:5.1", "ir2690:5.1"))


def test_ambiguous_without_catalog() -> None:
    with pytest.raises(AmbiguousIdError) as e:
        normalize_id("6.1.2")
    assert e.value.suggestions == ("iso27001:6.1.2", "ir2690:6.1.2", "bio2:6.01.02")
    assert "ambiguous id '6.1.2'" in str(e.value)


@pytest.mark.parametrize(
    "text", ["", "   ", "foo", "x" * 500, "A.99.x!", "#5.19", "5.19;drop", "5.19 and 5.20"]
)
def test_not_an_id(text: str) -> None:
    with pytest.raises(UnknownIdError):
        normalize_id(text)


def test_non_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        normalize_id(519)  # type: ignore[arg-type]


def test_helpers() -> None:
    assert scheme_of("bio2:5.19.01") == "bio2"
    assert plain("bio2:5.19.01") == "5.19.01"
    ids = ["iso27002:5.10", "iso27002:5.2", "nis2:21.2.d", "ir2690:9.2.c.x", "ir2690:9.2.c.ix"]
    assert sorted(ids, key=sort_key) == [
        "nis2:21.2.d",
        "ir2690:9.2.c.ix",
        "ir2690:9.2.c.x",
        "iso27002:5.2",
        "iso27002:5.10",
    ]


@given(id_like)
@settings(max_examples=400, deadline=None)
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    try:
        cid = normalize_id(text)
    except UnknownIdError:  # AmbiguousIdError is one too
        return
    assert normalize_id(cid) == cid
    assert scheme_of(cid) in bio2map.core.ids.SCHEMES


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_readings_of_arbitrary_text(text: str) -> None:
    for tier in readings(text):
        assert tier
        for cid in tier:
            assert normalize_id(cid) == cid


@given(id_like)
@settings(max_examples=300, deadline=None)
def test_catalog_resolve_is_idempotent(text: str) -> None:
    catalog = bio2map.load()
    try:
        cid = catalog.resolve(text)
    except UnknownIdError as e:
        suggestions = e.suggestions
    else:
        assert catalog.resolve(cid) == cid
        assert catalog.get(cid).id == cid
        return
    assert all(catalog.resolve(s) == s for s in suggestions)
