"""Nothing shared escapes: changing what bio2map hands out changes no later answer."""

from __future__ import annotations

import pytest

import bio2map
from bio2map.catalog.layer import Layer


def test_clearing_returned_controls_changes_no_later_answer(catalog: bio2map.Catalog) -> None:
    first = catalog.controls_for_data("21(2)(d)")
    n = len(first["controls"])
    assert n == 5  # A.5.19-A.5.22 and A.8.30
    first["controls"].clear()
    first["controls_extra"] = True
    again = catalog.controls_for_data("21(2)(d)")
    assert len(again["controls"]) == n
    assert "controls_extra" not in again
    again["controls"][0]["via"].clear()
    assert catalog.controls_for_data("21(2)(d)")["controls"][0]["via"]
    assert len(catalog.controls_for("21(2)(d)").controls) == n


def test_requirements_data_is_fresh(catalog: bio2map.Catalog) -> None:
    doc = catalog.requirements_for_data("5.19")
    doc["requirements"].clear()
    assert catalog.requirements_for_data("5.19")["requirements"]


def test_as_dict_is_fresh(catalog: bio2map.Catalog) -> None:
    answer = catalog.controls_for("21(2)(d)")
    answer.as_dict()["controls"].clear()
    assert answer.as_dict()["controls"]


def test_manifest_is_frozen() -> None:
    manifest = bio2map.read_manifest()
    with pytest.raises(AttributeError, match="immutable"):
        manifest.default_bio2 = "1.1"  # type: ignore[misc]
    with pytest.raises(TypeError):
        manifest.raw_drafts[0]["slug"] = "x"  # type: ignore[index]
    assert bio2map.load().bio2_version == manifest.default_bio2 == "1.3"


def test_layer_is_frozen() -> None:
    layer = Layer("mine", "mine.csv", {}, [])
    with pytest.raises(AttributeError, match="immutable"):
        layer.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        layer.nodes["x"] = {}  # type: ignore[index]
    assert layer.edges == ()


def test_catalog_is_frozen(catalog: bio2map.Catalog) -> None:
    with pytest.raises(AttributeError):
        catalog.texts_source = "x"  # type: ignore[misc]
