"""Reading a Statement of Applicability (VvT)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bio2map
from bio2map.core.errors import DataErrorGroup
from bio2map.core.soa import (
    RANK,
    STATUS_WORDS,
    STATUSES,
    WEIGHTS,
    UnknownStatusError,
    accepted_statuses,
    display_id,
    fold,
    kind_of,
    normalize_kind,
    normalize_status,
)
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
        "iso27002:5.20": "partial",
        "iso27002:8.30": "not-applicable",
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
        parse_soa("item,status\n5.19,implemented\n", source="x.csv")
    assert "x.csv: line 1: control: the header row has no 'control' column" in str(e.value)
    assert "columns: item, status" in str(e.value)


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


# --- the vocabulary (bio2map.core.soa) ----------------------------------------------------

SPELLINGS = [(status, word) for status, words in STATUS_WORDS.items() for word in words]


def _respell(word: str, data: st.DataObject) -> str:
    """``word`` as people may type it: any case, accents composed or not, any of
    ``_ - space`` between words, spaces around."""
    chars = []
    for ch in word:
        if ch == " ":
            ch = data.draw(st.sampled_from([" ", "_", "-", "  ", " - "]))
        elif data.draw(st.booleans()):
            ch = ch.upper()
        chars.append(ch)
    text = "".join(chars)
    form = data.draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
    pad = data.draw(st.sampled_from(["", " ", "\t", "  "]))
    return pad + unicodedata.normalize(form, text) + pad[::-1]


@given(st.sampled_from(SPELLINGS), st.data())
@settings(max_examples=300, deadline=None)
def test_every_spelling_normalises(spelling: tuple[str, str], data: st.DataObject) -> None:
    status, word = spelling
    text = _respell(word, data)
    assert normalize_status(text) == status
    assert normalize_status(normalize_status(text)) == status  # canonical names are spellings


KNOWN = {fold(w) for words in STATUS_WORDS.values() for w in words} | {""}


@given(st.one_of(st.text(max_size=40), st.sampled_from([w for _, w in SPELLINGS])))
@settings(max_examples=300, deadline=None)
def test_any_text_is_a_status_or_a_clear_error(text: str) -> None:
    if fold(text) in KNOWN:
        status = normalize_status(text)
        assert status in STATUSES
        assert normalize_status(status) == status
    else:
        with pytest.raises(UnknownStatusError, match=r"must be one of: implemented \("):
            normalize_status(text)


def test_the_accepted_words_are_listed_in_ascii() -> None:
    words = accepted_statuses()
    assert words.isascii()
    assert "not-applicable (n/a, na, n.v.t., nvt," in words
    with pytest.raises(ValueError, match="niet geimplementeerd"):
        normalize_status("misschien", "5.19")


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("ja", "implemented"),
        ("Geïmplementeerd", "implemented"),
        ("geimplementeerd", "implemented"),
        ("", "implemented"),
        ("deels", "partial"),
        ("Gedeeltelijk", "partial"),
        ("partially_implemented", "partial"),  # the 0.1 spelling
        ("gepland", "planned"),
        ("In progress", "planned"),
        ("in_progress", "planned"),
        ("nee", "not-implemented"),
        ("Open", "not-implemented"),
        ("niet geïmplementeerd", "not-implemented"),
        ("N/A", "not-applicable"),
        ("n.v.t.", "not-applicable"),
        ("NVT", "not-applicable"),
        ("not_applicable", "not-applicable"),  # the 0.1 spelling
        ("uitgesloten", "not-applicable"),
        ("Excluded", "not-applicable"),
    ],
)
def test_dutch_english_and_old_spellings(text: str, status: str) -> None:
    assert normalize_status(text) == status


def test_weights_and_rank() -> None:
    assert WEIGHTS == {
        "implemented": 1.0,
        "partial": 0.5,
        "planned": 0.0,
        "not-implemented": 0.0,
        "not-applicable": None,
    }
    assert sorted(STATUSES, key=RANK.__getitem__, reverse=True) == list(STATUSES)
    assert set(STATUS_WORDS) == set(STATUSES)
    assert all(words[0] == s.replace("-", " ") for s, words in STATUS_WORDS.items())


def test_kinds_and_display() -> None:
    assert [normalize_kind(k) for k in ("Control", "clausule", "Annex A", " ", "x")] == [
        "control",
        "clause",
        "control",
        "",
        None,
    ]
    assert [display_id(c) for c in ("iso27002:8.30", "iso27001:9.3.1", "iso27002:8")] == [
        "A.8.30",
        "cl. 9.3.1",
        "theme 8",
    ]
    assert [kind_of(c) for c in ("iso27002:8.30", "iso27001:9.3.1", "iso27002:8")] == [
        "control",
        "clause",
        "theme",
    ]


@pytest.mark.parametrize("name", ["id", "Control ID", "controle", "Nr", "nummer"])
def test_the_id_column_may_have_other_common_names(name: str) -> None:
    soa = parse_soa(f"{name};Beheersmaatregel;Status\n5.19;Leveranciers;deels\n", source="v.csv")
    assert [(e.raw, e.status) for e in soa.entries] == [("5.19", "partial")]


def test_control_column_wins_over_id_column() -> None:
    soa = parse_soa("id,control,status\nrow-1,5.19,ja\n")
    assert [e.raw for e in soa.entries] == ["5.19"]


def test_a_plain_list_may_have_an_id_header() -> None:
    soa = parse_soa("id\n5.19\n5.20\n")
    assert [e.raw for e in soa.entries] == ["5.19", "5.20"]
