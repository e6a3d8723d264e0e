"""bio2map.render.documents: an answer's document (its ``as_dict()``) and its lists."""

from __future__ import annotations

from typing import Any

import pytest

from bio2map.render.documents import answer_document, columns, has_lists, is_records


class _WithDoc:
    def as_dict(self) -> dict[str, Any]:
        return {"id": "x", "items": [{"a": 1}]}


class _BadDoc:
    def as_dict(self) -> list[int]:
        return [1]


def test_a_mapping_is_its_own_document() -> None:
    doc = {"id": "x"}
    assert answer_document(doc, "to_html") == (doc, "answer")


def test_an_object_gives_its_as_dict_named_after_its_type() -> None:
    assert answer_document(_WithDoc(), "to_html") == (
        {"id": "x", "items": [{"a": 1}]},
        "_WithDoc",
    )


def test_what_has_no_document_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"^bio2map\.render\.notebook\.to_pandas takes .*'int'"):
        answer_document(3, "to_pandas")
    with pytest.raises(
        TypeError, match=r"^_BadDoc\.as_dict\(\) must return a mapping \(got 'list'\)"
    ):
        answer_document(_BadDoc(), "to_html")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"a": 1}, {"b": 2}], True),
        (({"a": 1},), True),
        ([], False),
        ([{"a": 1}, 2], False),
        ("ab", False),
        ({"a": 1}, False),
        (None, False),
    ],
)
def test_is_records(value: object, expected: bool) -> None:
    assert is_records(value) is expected


def test_has_lists() -> None:
    assert has_lists({"a": 1, "b": [1]})
    assert has_lists({"b": ()})
    assert not has_lists({"a": "text", "b": {"c": [1]}})  # only direct values count
    assert not has_lists({})


def test_columns_in_order_of_first_appearance() -> None:
    assert columns([{"b": 1, "a": 2}, {"c": 3, "a": 4}, {}]) == ("b", "a", "c")
    assert columns([]) == ()
