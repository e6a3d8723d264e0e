"""Finding nodes by what people type (bio2map.catalog.lookup): resolution, suggestions,
hints for an id of the wrong kind, descriptions."""

from __future__ import annotations

import pytest

import bio2map
from bio2map.catalog.layer import Layer
from bio2map.core.errors import AmbiguousIdError, UnknownIdError

REQUIREMENTS = {"nis2", "ir2690"}


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("A.5.19", None, "iso27002:5.19"),
        ("  5.19 ", None, "iso27002:5.19"),
        ("21(2)(d)", REQUIREMENTS, "nis2:21.2.d"),
        ("5.1.4", REQUIREMENTS, "ir2690:5.1.4"),
        ("nis2:21", None, "nis2:21"),
        ("cbwcf:6.1", None, "cbwcf:6.1"),
        # a bare two-part number is read as a control first, unless kinds say otherwise
        ("6.2", None, "iso27002:6.2"),
        ("6.2", REQUIREMENTS, "ir2690:6.2"),
        ("6.2", {"iso27001"}, "iso27001:6.2"),
    ],
)
def test_resolve(
    catalog: bio2map.Catalog, text: str, kinds: set[str] | None, expected: str
) -> None:
    assert catalog.resolve(text, kinds) == expected


@pytest.mark.parametrize(
    ("text", "kinds", "suggestions"),
    [
        (
            "5.199",
            None,
            ("iso27002:5.19", "iso27002:5.9", "iso27002:5.1", "iso27002:8.19", "iso27001:5.1"),
        ),
        ("5.199", {"iso27002"}, ("iso27002:5.19", "iso27002:5.9", "iso27002:5.1", "iso27002:8.19")),
        ("21(2)(z)", REQUIREMENTS, ("nis2:21.2.j", "nis2:21.2.i", "nis2:21.2.h", "nis2:21.2.g")),
        (
            "A.12.6.1",
            None,
            (
                "iso27001-2013:A.12.6.1",
                "iso27001-2013:A.12.7.1",
                "iso27001-2013:A.12.6.2",
                "iso27001-2013:A.12.5.1",
            ),
        ),
        ("leverancier", None, ("cbwcf:governance",)),
        ("x", None, ()),
    ],
)
def test_unknown_ids_get_the_closest_ids_of_the_kinds_asked(
    catalog: bio2map.Catalog, text: str, kinds: set[str] | None, suggestions: tuple[str, ...]
) -> None:
    with pytest.raises(UnknownIdError) as e:
        catalog.resolve(text, kinds, "thing")
    assert e.value.suggestions == suggestions
    assert str(e.value).startswith(f"unknown thing id {text!r}")


def test_at_most_five_suggestions_each_once(catalog: bio2map.Catalog) -> None:
    with pytest.raises(UnknownIdError) as e:
        catalog.resolve("A.5.19", REQUIREMENTS)
    assert e.value.suggestions == (
        "ir2690:5.1",
        "ir2690:6.5.1",
        "ir2690:5.1.7",
        "ir2690:5.1.6",
        "ir2690:3.5.1",
    )


def test_an_id_of_another_kind_says_which_question_to_ask(catalog: bio2map.Catalog) -> None:
    cases = {
        (catalog.requirements_for_data, "nis2:21"): (
            "nis2:21 is a NIS2 article (nis2:21), not a control: ask controls_for('nis2:21')"
        ),
        (catalog.requirements_for_data, "cbwcf:6.1"): (
            "cbwcf:6.1 is a Cbw framework control (cbwcf:6.1), not a control: "
            "ask controls_for('cbwcf:6.1')"
        ),
        (catalog.controls_for_data, " 5.19 "): (
            "5.19 is an ISO control (iso27002:5.19), not a requirement: "
            "ask requirements_for('5.19')"
        ),
        (catalog.controls_for_data, "cbw:24"): (
            "cbw:24 is a Cbw article (cbw:24), not a requirement: ask get('cbw:24')"
        ),
    }
    for (ask, text), message in cases.items():
        with pytest.raises(UnknownIdError) as e:
            ask(text)
        assert str(e.value) == message


def test_an_ambiguous_id_is_not_turned_into_a_hint(catalog: bio2map.Catalog) -> None:
    with pytest.raises(AmbiguousIdError) as e:
        catalog.resolve("6.1.2", {"iso27001", "ir2690"}, "thing")
    assert set(e.value.suggestions) == {"iso27001:6.1.2", "ir2690:6.1.2"}
    # the same id where only one of its readings is of the kind asked
    assert catalog.requirements_for_data("6.1.2")["control"] == "iso27001:6.1.2"


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("nis2:21", "a NIS2 article"),
        ("21(2)(d)", "a NIS2 requirement"),
        ("5.1.4", "a 2024/2690 annex requirement"),
        ("5.19", "an ISO control"),
        ("iso27002:5", "an ISO 27002 theme"),
        ("iso27001:6.2", "an ISO 27001 clause"),
        ("iso27001-2013:A.12.6.1", "an ISO 27001:2013 control"),
        ("cbw:24", "a Cbw article"),
        ("cbwcf:6.1", "a Cbw framework control"),
        ("5.19.01", "a BIO2 measure"),
        ("5.04.02", "a BIO2 moved marker"),
    ],
)
def test_describe(catalog: bio2map.Catalog, text: str, description: str) -> None:
    assert catalog.describe(text) == description


def test_a_layer_node_is_resolved_described_and_suggested(catalog: bio2map.Catalog) -> None:
    node = {
        "record": "Requirement",
        "id": "myorg:SUP-01",
        "framework": "myorg",
        "ref": "SUP-01",
        "kind": "item",
        "parent": None,
        "label": "Supplier register",
        "assessable": True,
        "seq": 1,
    }
    edge = ("myorg:SUP-01", "iso27002:5.19", "equal", "maps_to", "layer", "mine", ("row 2",))
    layered = catalog.with_layers(Layer("mine", "mine.csv", {"myorg:SUP-01": node}, [edge]))
    assert layered.resolve("myorg:SUP-01") == "myorg:SUP-01"
    assert layered.describe("myorg:SUP-01") == "a myorg requirement"
    assert layered.controls_for_data("myorg:SUP-01")["controls"][0]["id"] == "iso27002:5.19"
    with pytest.raises(UnknownIdError) as e:
        layered.resolve("myorg:SUP-02")
    assert e.value.suggestions[0] == "myorg:SUP-01"
    assert "myorg:SUP-01" not in catalog


def test_search_folds_case_and_accents_and_needs_every_word(catalog: bio2map.Catalog) -> None:
    assert [n.id for n in catalog.search("EARLY warning")] == ["nis2:23.4.a", "cbwcf:16"]
    assert catalog.search("early nonsenseword") == ()
    assert catalog.search("") == ()
