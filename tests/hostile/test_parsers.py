"""Every parser fed pathological input: long runs of blanks, ``#``, ``*``, digits and
dots, ``<br>``, unclosed markup. Each must give the right answer (or a clean refusal);
``benchmarks/bench_hostile.py`` times the same inputs against a budget.
"""

from __future__ import annotations

import re

import pytest

import bio2map
from bio2map.core.errors import DataErrorGroup, UnknownIdError
from bio2map.core.ids import normalize_id, readings
from bio2map.drafts import parser
from bio2map.drafts.parser import parse
from bio2map.formats.layers import parse_layer
from bio2map.formats.soa import parse_soa

RUN = 600_000  # characters in a run: 600 KB, as in the report


def _one(text: str) -> parser.ParsedMeasure:
    (measure,) = parse(text).measures
    return measure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("## 5.01.01" + " \t" * (RUN // 2) + "Tekst\n", "Tekst", id="blanks after id"),
        pytest.param("## 5.01.01 Tekst" + " " * RUN + "##\n", "Tekst", id="closing hashes"),
        pytest.param("## 5.01.01 Tekst" + " \t" * (RUN // 2) + "\n", "Tekst", id="blanks at end"),
        pytest.param("## 5.01.01 Tekst " + "#" * RUN + "x\n", "Tekst " + "#" * RUN + "x", id="#"),
        pytest.param("## 5.01.01\n\nA" + " <br>" * (RUN // 5) + "B\n", "A\n\nB", id="<br> run"),
        pytest.param("## 5.01.01\n\nA" + " " * RUN + "<br>B\n", "A\nB", id="blanks, <br>"),
        pytest.param("## 5.01.01\n\nA <br" + " " * RUN + "B\n", "A <br B", id="unclosed <br"),
        pytest.param("## 5.01.01\n\n" + "**x " * (RUN // 4) + "\n", None, id="unclosed bold"),
        pytest.param("## 5.01.01\n\n" + "*x " * (RUN // 3) + "\n", None, id="unclosed italics"),
        pytest.param("## 5.01.01\n\n" + "_" * RUN + "\n", None, id="underscores"),
        pytest.param("## 5.01.01\n\n" + "5." * (RUN // 2) + "\n", None, id="digits and dots"),
        pytest.param("## 5.01.01\n\n" + "- " * (RUN // 2) + "x\n", None, id="bullets"),
        pytest.param("## 5.01.01\n\n" + "-" * RUN + " x\n", None, id="dashes"),
        pytest.param("## 5.01.01\n\n" + "> " * (RUN // 2) + "\n", "", id="quote markers"),
    ],
)
def test_draft_parser(text: str, expected: str | None) -> None:
    measure = _one(text)
    assert measure.id == "5.01.01"
    if expected is not None:
        assert measure.text == expected


def test_tag_line_after_a_long_run() -> None:
    measure = _one("## 5.01.01 Tekst\n\nDraagt bij aan:" + " " * RUN + "Basishygiëne, NIS2\n")
    assert measure.tags == ("Basishygiëne",)
    assert measure.nis2_flag


def test_marker_after_a_long_run() -> None:
    measure = _one("## 5.01.01\n\nVerplaatst naar maatregel" + " \t" * (RUN // 2) + "5.01.02\n")
    assert (measure.kind, measure.target) == ("moved", "5.01.02")


def test_kop_paragraph_with_a_long_run() -> None:
    measure = _one("# T\n\n[Kop 9]" + " " * RUN + "5.01.01 Tekst\n")
    assert measure.text == "Tekst"


def test_every_parser_pattern_is_documented_as_linear() -> None:
    # A new pattern is reviewed for backtracking before it is added to this list.
    patterns = sorted(k for k, v in vars(parser).items() if isinstance(v, re.Pattern))
    assert patterns == [
        "_ADMONITION_RE",
        "_BOLD_RE",
        "_BR_SPLIT_RE",
        "_BULLET_RE",
        "_CONTROL_HEAD_RE",
        "_CONTROL_ID_RE",
        "_FRONT_MATTER_END_RE",
        "_HEADING_RE",
        "_ID_RE",
        "_ITALIC_STAR_RE",
        "_ITALIC_UNDERSCORE_RE",
        "_KOP_PARA_RE",
        "_MEASURE_HEAD_RE",
        "_MOVED_RE",
        "_NIS2_RE",
        "_NO_MEASURE_RE",
        "_NUMBERED_RE",
        "_QUOTE_RE",
        "_SECTION_HEAD_RE",
        "_SEE_RE",
        "_SLOT_SENTENCE_RE",
        "_SYNTHETIC_RE",
        "_TAG_LABEL_RE",
        "_TAG_SPLIT_RE",
        "_WITHDRAWN_RE",
    ]


@pytest.mark.parametrize(
    "text",
    [" " * RUN, "#" * RUN, "*" * RUN, "5." * (RUN // 2), "<br>" * (RUN // 4), "A." + "1" * RUN],
)
def test_ids_of_any_length(text: str) -> None:
    assert readings(text) == ()
    with pytest.raises(UnknownIdError) as info:
        normalize_id(text)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize(
    "text",
    [
        "control," + " " * RUN + "\n5.19\n",
        "control\n" + " " * RUN + "5.19\n",
        "control;status\n" + ";" * RUN + "\n5.19;ja\n",
        "control\n" + "#" * RUN + "\n5.19\n",
        '"' * RUN + "\n",
    ],
)
def test_soa_parser(text: str) -> None:
    problems: list[str] = []
    try:
        soa = parse_soa(text, source="s.csv")
    except DataErrorGroup as e:
        problems = [str(x) for x in e.exceptions]
    else:
        assert soa.entries
    assert all(p.startswith("s.csv") for p in problems)


@pytest.mark.parametrize(
    "cell",
    [
        "a" * RUN + ":" + " " * 10 + "b",  # a prefix that never reaches its colon
        "myorg:" + "x" * RUN + " y",  # an own id whose tail holds a blank
        " " * RUN,
        "5." * (RUN // 2),
    ],
)
def test_layer_parser(cell: str) -> None:
    cat = bio2map.load()
    rows = ["subject_id,predicate_id,object_id\n", f'"{cell}",equal,5.19\n']
    with pytest.raises(DataErrorGroup) as info:
        parse_layer(rows, cat, name="t", source="t.csv")
    assert all(len(str(x)) < 1000 for x in info.value.exceptions)
