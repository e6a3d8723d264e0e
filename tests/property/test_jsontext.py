"""The fast indented JSON writer is ``json.dumps(..., indent=2)`` byte for byte."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bio2map.render.jsontext import dumps_indented
from bio2map.render.table import to_json

# Strings with what JSON must escape: quotes, backslashes, control characters (the
# writer's own separators among them), non-ASCII, lone surrogates, brackets and commas.
text = st.one_of(
    st.text(),
    st.text(alphabet='"\\\x00\x01\n\t{}[],: é€😀\ud800'),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(text, inner, max_size=6),
    ),
    max_leaves=60,
)


def _same(doc: Any, *, sort_keys: bool, ensure_ascii: bool) -> None:
    want = json.dumps(doc, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    got = dumps_indented(doc, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    assert got == want


@settings(max_examples=400)
@given(json_values, st.booleans(), st.booleans())
def test_same_text_as_json_dumps(doc: Any, sort_keys: bool, ensure_ascii: bool) -> None:
    _same(doc, sort_keys=sort_keys, ensure_ascii=ensure_ascii)


@given(st.dictionaries(text, st.dictionaries(text, scalars, max_size=5), max_size=5))
def test_nested_scalar_containers(doc: dict[str, Any]) -> None:
    _same(doc, sort_keys=True, ensure_ascii=False)
    _same({"points": [doc, [doc], {"x": doc}]}, sort_keys=True, ensure_ascii=True)


class Weight(enum.IntEnum):
    FULL = 1


class Label(str):
    pass


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param({1: "a", 2.5: "b", False: "c", None: "d"}, id="keys json converts"),
        pytest.param({"a": [Weight.FULL, Label("x"), -0.0, math.inf]}, id="subclasses"),
        pytest.param({Label("k"): {"n": 1}}, id="a str subclass as key"),
        pytest.param([[], {}, [[]], {"a": {}}, ""], id="empty containers"),
        pytest.param("just a string", id="a scalar"),
    ],
)
def test_unusual_values_are_written_as_json_dumps_writes_them(doc: Any) -> None:
    _same(doc, sort_keys=False, ensure_ascii=True)
    if not (isinstance(doc, dict) and any(not isinstance(k, str) for k in doc)):
        _same(doc, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        pytest.param({"a": object()}, TypeError, id="not serializable"),
        pytest.param({1: "a", "b": 2}, TypeError, id="keys that cannot be sorted"),
    ],
)
def test_errors_are_json_dumps_errors(doc: Any, error: type[Exception]) -> None:
    with pytest.raises(error) as want:
        json.dumps(doc, indent=2, sort_keys=True)
    with pytest.raises(error) as got:
        dumps_indented(doc, sort_keys=True)
    assert str(got.value) == str(want.value)


def test_a_cycle_is_refused_as_json_dumps_refuses_it() -> None:
    doc: dict[str, Any] = {"a": [1]}
    doc["a"].append(doc)
    with pytest.raises(ValueError, match="Circular reference detected"):
        dumps_indented(doc)


def test_to_json_is_sorted_indented_and_ends_with_a_newline() -> None:
    doc = {"b": ["é", {"z": 1, "a": None}], "a": 0.5}
    assert to_json(doc) == json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert to_json(doc, ascii_only=True) == (
        '{\n  "a": 0.5,\n  "b": [\n    "\\u00e9",\n    {\n      "a": null,\n      "z": 1\n'
        "    }\n  ]\n}\n"
    )
