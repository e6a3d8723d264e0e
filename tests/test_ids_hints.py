"""The scheme-word patterns of bio2map.core.ids are compiled only for texts that can start
one of their matches: each pattern's first letters must be right."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bio2map.core import ids
from bio2map.core.ids import readings


def test_every_pattern_says_how_it_can_start() -> None:
    assert len(ids._HINT_STARTS) == len(ids._HINT_PATTERNS)
    assert all(s and s == s.lower() for s in ids._HINT_STARTS)


@pytest.mark.parametrize("i", range(len(ids._HINT_PATTERNS)))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_match_starts_with_one_of_the_first_letters(i: int, data: st.DataObject) -> None:
    pattern = re.compile(ids._HINT_PATTERNS[i][0], re.IGNORECASE | re.ASCII)
    text = data.draw(st.from_regex(pattern))
    m = pattern.match(text)
    assert m is not None
    assert text[:1].lower() in ids._HINT_STARTS[i], (ids._HINT_PATTERNS[i][0], text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A.5.19", (("iso27002:5.19",),)),
        ("Art. 21(2)(d)", (("nis2:21.2.d",),)),
        ("ISO 27001:2013 A.12.6.1", (("iso27001-2013:A.12.6.1",),)),
        ("2024/2690 5.1.4", (("ir2690:5.1.4",),)),
        ("Cbw art. 25", (("cbw:25",),)),
        ("bijlage 5.1.4", (("ir2690:5.1.4",),)),
        ("clause 9.3", (("iso27001:9.3",),)),
        ("BIO2 5.19.01", (("bio2:5.19.01",),)),
    ],
)
def test_hinted_ids_read_as_before(text: str, want: tuple[tuple[str, ...], ...]) -> None:
    assert readings(text) == want
