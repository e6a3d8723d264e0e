"""bio2map.formats.edgelist: every mapping edge as CSV, and read back."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

import bio2map
from bio2map.core.records import Mapping
from bio2map.formats.edgelist import CSV_COLUMNS, export_csv, read_csv

HEADER = "source,target,relationship,kind,basis,dataset,sources"


def catalog_of(*mappings: Mapping) -> SimpleNamespace:
    """What export_csv reads of a catalog: its mappings."""
    return SimpleNamespace(mappings=mappings)


def edge(
    source: str, target: str, sources: tuple[str, ...] = (), dataset: str = "enisa"
) -> Mapping:
    return Mapping(source, target, "subset_of", "maps_to", "layer", dataset, sources)


def test_rows_in_canonical_order_with_lists_joined() -> None:
    text = export_csv(
        catalog_of(  # type: ignore[arg-type]
            edge("ir2690:1.1.1.a", "iso27002:5.10"),
            edge("ir2690:1.1.1.a", "iso27002:5.9", ("a;b", "c")),
            edge("nis2:21.2.d", "iso27002:8.8"),
        )
    )
    assert text.splitlines() == [
        HEADER,
        "nis2:21.2.d,iso27002:8.8,subset_of,maps_to,layer,enisa,",
        "ir2690:1.1.1.a,iso27002:5.9,subset_of,maps_to,layer,enisa,a\\;b;c",
        "ir2690:1.1.1.a,iso27002:5.10,subset_of,maps_to,layer,enisa,",
    ]
    assert text.endswith("\n")
    assert "\r" not in text


def test_a_formula_from_a_layer_is_defused_and_read_back() -> None:
    evil = edge("myorg:=1+1", "iso27002:5.19", ("=cmd|' /C calc'!A0", "fine"), dataset="@mine")
    text = export_csv(catalog_of(evil))  # type: ignore[arg-type]
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] != "source")
    assert row[0] == "myorg:=1+1"  # only a cell that starts like a formula
    assert row[5] == "'@mine"
    assert row[6] == "'=cmd|' /C calc'!A0;fine"
    assert read_csv(text) == (evil,)


def test_round_trip_of_the_packaged_mappings(catalog: bio2map.Catalog) -> None:
    back = read_csv(export_csv(catalog))
    assert len(back) == len(catalog.mappings)
    assert set(back) == set(catalog.mappings)
    assert tuple(CSV_COLUMNS) == tuple(HEADER.split(","))


def test_blank_lines_are_skipped() -> None:
    text = HEADER + "\n\nnis2:21.2.d,iso27002:8.8,equal,maps_to,layer,x,\n\n"
    assert read_csv(text) == (
        Mapping("nis2:21.2.d", "iso27002:8.8", "equal", "maps_to", "layer", "x", ()),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "CSV header must be 'source,target,relationship,kind,basis,dataset,sources' (got '')"),
        ("source,target\n", "(got 'source,target')"),
        (HEADER + "\na,b,c\n", "CSV line 2: expected 7 fields, got 3"),
        (HEADER + "\na,b,c,d,e,f,g\n\na,b,c,d,e,f,g,h\n", "CSV line 4: expected 7 fields, got 8"),
    ],
)
def test_bad_input_names_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(text)
