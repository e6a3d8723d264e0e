"""bio2map.formats.common: what every exporter shares: order, lists in flat formats, cells
a spreadsheet would run, names, licences, and YAML written by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest

import bio2map
from bio2map.core.records import Mapping, Measure
from bio2map.formats.common import (
    BASE_URI,
    ID_PREFIXES,
    UUID_NAMESPACE,
    defuse,
    draft_dataset,
    draft_source_url,
    id_order,
    iso_ref,
    join_list,
    label_of,
    licence_uri,
    mapping_order,
    measures_by_control,
    restore,
    split_list,
    stable_uuid,
    to_json,
    yaml_document,
    yaml_scalar,
)


def test_stable_uuids_are_version_5_in_the_kept_namespace() -> None:
    u = stable_uuid("oscal", "bio2-1.3")
    assert u == "37a211cd-65e0-57fc-b264-4652e2d8533b"  # kept from 0.1: same object, same UUID
    assert uuid.UUID(u).version == 5
    assert u == str(uuid.uuid5(UUID_NAMESPACE, "oscal\x1fbio2-1.3"))
    assert stable_uuid("oscal", "bio2-1.2") != u
    assert stable_uuid("a", "bc") != stable_uuid("ab", "c")  # parts are separated


def test_id_prefixes_are_under_our_namespace() -> None:
    assert ID_PREFIXES["nis2"] == "https://w3id.org/bio2map/id/nis2/"
    assert all(uri.startswith(BASE_URI + "id/") for uri in ID_PREFIXES.values())


def test_ids_in_canonical_order() -> None:
    ids = ["iso27002:5.10", "bio2:5.19.01", "nis2:21.2.d", "iso27002:5.9", "ir2690:1.1.1.a"]
    assert sorted(ids, key=id_order) == [
        *("nis2:21.2.d", "ir2690:1.1.1.a", "iso27002:5.9", "iso27002:5.10", "bio2:5.19.01")
    ]


def test_mappings_sort_by_source_target_then_every_field() -> None:
    def m(source: str, target: str, dataset: str = "enisa") -> Mapping:
        return Mapping(source, target, "intersects_with", "maps_to", "source_mapping", dataset, ())

    edges = [
        m("ir2690:1.1.1.a", "iso27002:5.10"),
        m("ir2690:1.1.1.a", "iso27002:5.9", "mine"),
        m("ir2690:1.1.1.a", "iso27002:5.9", "enisa"),
        m("nis2:21.2.d", "iso27002:8.8"),
    ]
    assert [(e.source, e.target, e.dataset) for e in sorted(edges, key=mapping_order)] == [
        ("nis2:21.2.d", "iso27002:8.8", "enisa"),
        ("ir2690:1.1.1.a", "iso27002:5.9", "enisa"),
        ("ir2690:1.1.1.a", "iso27002:5.9", "mine"),
        ("ir2690:1.1.1.a", "iso27002:5.10", "enisa"),
    ]


@pytest.mark.parametrize(
    ("items", "text"),
    [
        (["a", "b"], "a;b"),
        (["a;b", "c"], "a\\;b;c"),
        (["back\\slash"], "back\\\\slash"),
        (["", ""], ";"),
        ([";"], "\\;"),
        (["end\\"], "end\\\\"),
    ],
)
def test_lists_in_flat_formats(items: list[str], text: str) -> None:
    assert join_list(items) == text
    assert split_list(text) == tuple(items)


def test_split_list_edges() -> None:
    assert split_list("") == ()  # the empty list, not one empty item
    assert split_list("a\\") == ("a\\",)  # a lone trailing backslash is kept
    assert split_list("a|b\\|c", "|") == ("a", "b|c")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),  # a ' already there does not hide the formula
        ("-0.5", "-0.5"),  # numbers stay numbers
        ("+1e3", "+1e3"),
        ("-", "-"),
        ("5.19", "5.19"),
        ("supplier = register", "supplier = register"),
        ("'quoted", "'quoted"),
    ],
)
def test_defuse_and_restore(value: str, cell: str) -> None:
    assert defuse(value) == cell
    assert restore(cell) == value


def test_labels(catalog: bio2map.Catalog) -> None:
    assert (
        label_of(catalog.get("iso27002:5.19")) == "Information security in supplier relationships"
    )
    assert label_of(catalog.get("bio2:5.19.01")) == "BIO2 5.19.01"
    assert label_of(catalog.get("nis2:21.2.d")) == "supply chain security"


def test_the_draft_dataset_and_its_source_url(catalog: bio2map.Catalog) -> None:
    ds = draft_dataset(catalog)
    assert ds is not None
    assert ds.name == "bio2-1.3"
    url = draft_source_url(catalog)
    assert url == (
        "https://raw.githubusercontent.com/MinBZK/Baseline-Informatiebeveiliging-Overheid/"
        f"{catalog.draft.commit}/docs/maatregelen/index.md"
    )


def _catalog(source: str | None) -> SimpleNamespace:
    draft = SimpleNamespace(slug="x", commit="c0ffee", source_path="docs/m.md")
    datasets = [] if source is None else [SimpleNamespace(name="bio2-x", source=source)]
    return SimpleNamespace(draft=draft, datasets=datasets)


def test_a_source_url_only_for_a_github_repository() -> None:
    assert draft_source_url(_catalog("https://github.com/me/bio2 docs/m.md at commit c0ffee")) == (
        "https://raw.githubusercontent.com/me/bio2/c0ffee/docs/m.md"
    )
    assert draft_source_url(_catalog("https://gitlab.com/me/bio2")) is None
    assert draft_source_url(_catalog("https://github.com/me")) is None  # no repository
    assert draft_source_url(_catalog(None)) is None  # the draft is not in the manifest
    assert draft_dataset(_catalog(None)) is None  # type: ignore[arg-type]


def test_licence_uris() -> None:
    assert licence_uri("CC BY-SA 4.0 (Staat der Nederlanden)") == (
        "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    assert licence_uri("CC BY 4.0") == "https://creativecommons.org/licenses/by/4.0/"
    assert licence_uri("reuse under Decision 2011/833/EU") == (
        "http://data.europa.eu/eli/dec/2011/833/oj"
    )
    assert licence_uri("all rights reserved") is None


def test_measures_by_control_keep_the_draft_order() -> None:
    def m(mid: str, control: str, seq: int) -> Measure:
        return Measure(f"bio2:{mid}", "1.3", control, "measure", None, (), False, "", seq=seq)

    grouped = measures_by_control(
        [
            m("5.2.01", "iso27002:5.2", 3),
            m("5.1.02", "iso27002:5.1", 2),
            m("5.1.01", "iso27002:5.1", 1),
        ]
    )
    assert list(grouped) == ["iso27002:5.1", "iso27002:5.2"]
    assert [x.id for x in grouped["iso27002:5.1"]] == ["bio2:5.1.01", "bio2:5.1.02"]


def test_iso_ref() -> None:
    assert iso_ref("iso27002:5.19") == "A.5.19"
    assert iso_ref("iso27001:6.1.2") == "6.1.2"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("BIO2 test", "BIO2 test"),
        ("a-b_c/d (e)", "a-b_c/d (e)"),
        ("5.19", '"5.19"'),  # a number to a YAML reader
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("a: b", '"a: b"'),
        ("a #c", '"a #c"'),
        ("ends:", '"ends:"'),
        ("x ", '"x "'),
        ("-x", '"-x"'),
        ("", '""'),
        ("Ketenhygiëne", '"Ketenhygiëne"'),  # plain only in ASCII
        ('say "hi"\\', '"say \\"hi\\"\\\\"'),
        ("a\nb\tc", '"a\\nb\\tc"'),
        ("\x01\u2028\ufeff", '"\\u0001\\u2028\\ufeff"'),
        (3, "3"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (dt.date(2025, 1, 2), "2025-01-02"),
    ],
)
def test_yaml_scalars(value: str | int | bool | dt.date | None, written: str) -> None:
    assert yaml_scalar(value) == written


def test_yaml_documents_in_block_style() -> None:
    doc = {"a": [1, {"b": 2, "c": []}, [3, 4]], "d": {}, "e": {"f": None}, "z": "last"}
    text = yaml_document(doc)
    assert text == ("a:\n- 1\n- b: 2\n  c: []\n- - 3\n  - 4\nd: {}\ne:\n  f: null\nz: last\n")
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(text) == doc
    assert yaml_document({"a": 1, "b": [1]}, prefix="# ") == "# a: 1\n# b:\n# - 1\n"


def test_to_json_is_sorted_utf8_with_a_final_newline() -> None:
    assert to_json({"b": 1, "a": "ë"}) == '{\n  "a": "ë",\n  "b": 1\n}\n'
