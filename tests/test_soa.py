"""Reading a Statement of Applicability (VvT)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bio2map
from bio2map.core.errors import DataErrorGroup
from bio2map.formats.soa import parse_soa, read_soa


def write(tmp_path: Path, text: str | bytes, name: str = "soa.csv") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_csv_with_status(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = write(
        tmp_path,
        "control;status;owner\nA.5.19;Implemented;ciso\n5.20;partially implemented;x\n"
        "ISO 27002 8.30;n/a;\n5.21;;\n",
    )
    soa = read_soa(p, catalog)
    assert soa.as_mapping() == {
        "iso27002:5.19": "implemented",
        "iso27002:5.20": "partially_implemented",
        "iso27002:8.30": "not_applicable",
        "iso27002:5.21": "implemented",
    }
    assert [e.line for e in soa.entries] == [2, 3, 4, 5]


def test_plain_list_with_comments_and_bom(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = write(tmp_path, "\ufeff# our VvT\nA.5.19\n\n5.20  # supplier agreements\n", "soa.txt")
    soa = read_soa(p, catalog)
    assert soa.as_mapping() == {"iso27002:5.19": "implemented", "iso27002:5.20": "implemented"}


def test_duplicates_keep_the_stronger_status(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = write(tmp_path, "control,status\n5.19,planned\nA.5.19,implemented\n")
    soa = read_soa(p, catalog)
    assert soa.as_mapping() == {"iso27002:5.19": "implemented"}
    assert soa.warnings == (
        f"{p}: line 3: iso27002:5.19 is listed again (first on line 2); the stronger status counts",
    )


def test_unknown_ids_are_all_reported(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = write(tmp_path, "control\n5.19\n5.99\nA.9.1\n8.30\n")
    with pytest.raises(DataErrorGroup) as e:
        read_soa(p, catalog)
    errors = [str(x) for x in e.value.exceptions]
    assert len(errors) == 2
    assert errors[0].startswith(f"{p}: line 3: control: unknown control id '5.99'; did you mean")
    assert errors[1].startswith(f"{p}: line 4: control: unknown control id 'A.9.1'")


def test_bad_status_names_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(DataErrorGroup) as e:
        parse_soa("control,status\n5.19,maybe\n", source="x.csv")
    assert str(e.value.exceptions[0]).startswith("x.csv: line 2: status: unknown status 'maybe'")


def test_header_without_control_column() -> None:
    with pytest.raises(DataErrorGroup) as e:
        parse_soa("id,status\n5.19,implemented\n", source="x.csv")
    assert "x.csv: line 1: control: the header row has no 'control' column" in str(e.value)


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing\n", "control,status\n"])
def test_empty_soa(text: str) -> None:
    with pytest.raises(DataErrorGroup) as e:
        parse_soa(text, source="empty.csv")
    assert "empty.csv: control: no control ids in the file" in str(e.value)


def test_binary_and_garbled_files(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    with pytest.raises(DataErrorGroup) as e:
        read_soa(write(tmp_path, b"PK\x03\x04\x00\x00binary", "soa.xlsx"), catalog)
    assert "binary file" in str(e.value)
    with pytest.raises(DataErrorGroup) as e2:
        read_soa(write(tmp_path, b"control\n5.19\n5.2\xe9\xff\n", "latin.csv"), catalog)
    assert "latin.csv: line 3: not UTF-8" in str(e2.value)
    with pytest.raises(DataErrorGroup) as e3:
        read_soa(tmp_path / "missing.csv", catalog)
    assert "missing.csv" in str(e3.value)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_parse_soa_never_crashes(text: str) -> None:
    try:
        soa = parse_soa(text, source="fuzz")
    except DataErrorGroup as e:
        problems = [str(x) for x in e.exceptions]
    else:
        assert soa.entries
        assert all(e.raw.strip() == e.raw and e.raw for e in soa.entries)
        return
    assert problems
    assert all(p.startswith("fuzz") for p in problems)
