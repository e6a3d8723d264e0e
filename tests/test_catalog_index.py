"""The catalog's indices (bio2map.catalog.index): what is built from the loaded records,
and the records made from it."""

from __future__ import annotations

from typing import Any

import pytest

import bio2map
from bio2map.catalog.catalog import Catalog
from bio2map.core.reader import read_manifest


def node(record: str, cid: str, parent: str | None, seq: int, **extra: Any) -> dict[str, Any]:
    return {"record": record, "id": cid, "parent": parent, "seq": seq, **extra}


@pytest.fixture
def small() -> Catalog:
    """Children listed out of document order, a not_related link, measures out of order."""
    nodes = [
        node("Requirement", "ir2690:5.1", None, 1, kind="requirement"),
        node("Requirement", "ir2690:5.1.2", "ir2690:5.1", 3, kind="requirement"),
        node("Requirement", "ir2690:5.1.1", "ir2690:5.1", 2, kind="requirement"),
        node("Control", "iso27002:5.19", None, 1, kind="control"),
        node("Control", "iso27002:5.20", None, 2, kind="control"),
        node("Measure", "bio2:5.19.02", None, 2, kind="measure", control="iso27002:5.19"),
        node("Measure", "bio2:5.19.01", None, 1, kind="measure", control="iso27002:5.19"),
        node("Measure", "bio2:5.19.03", None, 3, kind="moved", control="iso27002:5.19"),
    ]
    edges = (
        ("ir2690:5.1.1", "iso27002:5.19", "subset_of", "maps_to", "source_mapping", "e", ()),
        ("ir2690:5.1.2", "iso27002:5.20", "not_related", "maps_to", "source_mapping", "e", ()),
    )
    return Catalog._from_raw({n["id"]: n for n in nodes}, edges, read_manifest(), "1.3")


def test_children_in_document_order(small: Catalog) -> None:
    assert small._children == {"ir2690:5.1": ("ir2690:5.1.1", "ir2690:5.1.2")}
    assert small._descendants("ir2690:5.1") == ["ir2690:5.1", "ir2690:5.1.1", "ir2690:5.1.2"]
    assert small._ancestors("ir2690:5.1.2") == ["ir2690:5.1"]
    assert small._sorted(["ir2690:5.1.2", "ir2690:5.1", "ir2690:5.1.1"]) == (
        "ir2690:5.1",
        "ir2690:5.1.1",
        "ir2690:5.1.2",
    )


def test_edges_indexed_by_their_ends_without_not_related(small: Catalog) -> None:
    assert list(small._maps_from) == ["ir2690:5.1.1"]
    assert list(small._maps_to) == ["iso27002:5.19"]
    assert small._implements == {}
    assert [m.relationship for m in small.mappings] == ["subset_of", "not_related"]


def test_measures_by_control_in_draft_order(small: Catalog) -> None:
    # markers (kind moved) are nodes of the draft, not measures of a control
    assert small._measures == {"iso27002:5.19": ("bio2:5.19.01", "bio2:5.19.02")}
    assert set(small._rq) == {"ir2690:5.1", "ir2690:5.1.1", "ir2690:5.1.2"}
    assert set(small._ctl) == {"iso27002:5.19", "iso27002:5.20"}


def test_records_of_the_packaged_data(catalog: bio2map.Catalog) -> None:
    assert [r.framework for r in catalog.requirements].count("nis2") == 39
    assert len(catalog.requirements) == 478  # NIS2 and the annex; no Cbw, no framework
    ids = [c.id for c in catalog.controls]
    assert (len(ids), ids[0], ids[8:10], ids[-1]) == (
        93,
        "iso27002:5.1",
        ["iso27002:5.9", "iso27002:5.10"],  # numbers, not strings
        "iso27002:8.34",
    )
    assert [n.id for n in catalog.nodes("iso27002")][:3] == [
        "iso27002:5",
        "iso27002:5.1",
        "iso27002:5.2",
    ]
    assert (len(catalog.nodes()), len(catalog.mappings), len(catalog.measures)) == (972, 1773, 166)
    assert catalog.get("5.19.01") is catalog.get("bio2:5.19.01")  # made once


@pytest.mark.parametrize(("slug", "tags", "nis2"), [("1.3", False, False), ("1.2", True, False)])
def test_a_measure_says_what_its_draft_records(slug: str, tags: bool, nis2: bool) -> None:
    measure = bio2map.load(slug).measures[0]
    assert measure.id == "bio2:5.01.01"
    assert (measure.tags_recorded, measure.nis2_recorded) == (tags, nis2)
