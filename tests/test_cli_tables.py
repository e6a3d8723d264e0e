"""The table model every view uses (:mod:`bio2map.render.table`): cells and renderers.

The command line prints these tables as text, Markdown and CSV; Jupyter shows them as
HTML. The answers' own tables are tested through the CLI (test_cli.py) and the
notebook helpers (test_notebook.py); here the model itself.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bio2map.core import ids as core_ids
from bio2map.formats.common import defuse, join_list, restore
from bio2map.render.table import (
    FORMATS,
    RENDERERS,
    Ids,
    Table,
    as_csv,
    as_data,
    as_html,
    as_markdown,
    as_text,
    cell,
    render,
    to_json,
    wrap,
)

SAMPLE = Table(
    "Controls | for (d)",
    ("control", "measures"),
    [("5.19", Ids(["5.19.01"])), ("5.20", Ids([f"5.20.0{i}" for i in range(1, 7)]))],
    ["A note."],
)


# --- cells -------------------------------------------------------------------------------


def test_ids_short_form_and_tooltip() -> None:
    assert Ids(list("abcdef")).text() == "a, b, c, d, e, f"
    assert Ids(list("abcdef")).text(short=True) == str(Ids(list("abcdef"))) == "a, b, c, d (+2)"
    assert str(Ids([])) == ""
    assert str(Ids(["a", "b", "c", "d"])) == "a, b, c, d"
    assert Ids(["a", "b", "c", "d"]).tooltip == ""
    many = Ids([f"x:{i}" for i in range(100)])
    assert str(many) == "x:0, x:1, x:2, x:3 (+96)"
    assert many.tooltip.startswith("x:0, x:1, ")
    assert many.tooltip.endswith("x:39 (+60)")
    assert str(Ids(["a", "b", "c", "d", "e", "f", "g"], 6)) == "a, b, c, d, e, f (+1)"


def test_counted_ids() -> None:
    assert str(Ids([], counted=True)) == "0"
    assert str(Ids(["a", "b"], counted=True)) == "2: a, b"
    assert str(Ids(list("abcdef"), counted=True)) == "6: a, b, c, d (+2)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (0.5, "0.5"),
        (3, "3"),
        ("text", "text"),
        ({"a": 1, "b": None}, "a: 1, b: "),
        ([{"op": "x"}], "1 item"),
        ([{"op": "x"}, {"op": "y"}], "2 items"),
    ],
)
def test_cell(value: object, expected: str) -> None:
    assert cell(value) == expected


def test_a_list_is_ids() -> None:
    assert cell(["a", 1, None]) == Ids(["a", "1", ""])
    ids = Ids(["a"])
    assert cell(ids) is ids


def test_tables_and_ids_are_frozen() -> None:
    with pytest.raises(AttributeError, match="frozen"):
        SAMPLE.title = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        Ids(["a"]).ids = ()  # type: ignore[misc]
    more = SAMPLE.with_notes("Another.")
    assert more.notes == ("A note.", "Another.")
    assert SAMPLE.notes == ("A note.",)
    assert more.rows == SAMPLE.rows
    assert more != SAMPLE
    assert more.with_notes() == more
    assert hash(Table("t", ["a"], [[1]])) == hash(Table("t", ("a",), [("1",)]))


def test_plain_is_the_one_in_core_ids() -> None:
    assert core_ids.plain("bio2:5.19.01") == "5.19.01"


# --- renderers ---------------------------------------------------------------------------


def test_text() -> None:
    assert as_text([SAMPLE]) == (
        "Controls | for (d)\n"
        "==================\n"
        "control  measures\n"
        "-------  " + "-" * 52 + "\n"
        "5.19     5.19.01\n"
        "5.20     5.20.01, 5.20.02, 5.20.03, 5.20.04, 5.20.05, 5.20.06\n"
        "A note.\n"
    )
    # on a terminal: lists shortened, the table fitted to its width
    assert as_text([SAMPLE], 40, short_ids=True).splitlines()[3:] == [
        "-------  -------------------------------",
        "5.19     5.19.01",
        "5.20     5.20.01, 5.20.02, 5.20.03,",
        "         5.20.04 (+2)",
        "A note.",
    ]
    long = Table("t", ["c"], [["x" * 70]])
    assert as_text([long]).splitlines()[-1] == "x" * 70  # never cut
    assert as_text([long], 30).splitlines()[-3:] == ["x" * 30, "x" * 30, "x" * 10]
    assert as_text([Table("Empty", ["a"], [])]) == "Empty\n=====\n(none)\n"
    assert as_text([Table("Empty", ["a"], [], empty="nothing here")]).endswith("(nothing here)\n")


def test_text_wraps_to_the_width() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    table = Table(
        "A title that is longer than the width of this narrow terminal",
        ("id", "relationship", "label"),
        [("5.19", "intersects_with", words), ("5.20", "equal", "short")],
        ["A note that is long as well, so that it has to wrap to stay inside the width."],
    )
    text = as_text([table], 50)
    assert all(len(line) <= 50 for line in text.splitlines())
    assert "word39" in text  # nothing lost
    assert " ".join(text.split()).count("word") == 40
    header = text.splitlines()[3]
    assert header.split() == ["id", "relationship", "label"]  # a header word is not broken
    assert as_text([table]).count("\n") == 7  # no width: one line per row and note
    blank = as_text([Table("t", ["", "b"], [["x" * 30, "y" * 30]])], 30).splitlines()
    assert blank[-1] == "xx              yy"  # a column without a header wraps too


def test_wrap() -> None:
    assert wrap("", 5) == [""]
    assert wrap("a b", 5) == ["a b"]
    assert wrap("alpha beta gamma", 10) == ["alpha beta", "gamma"]
    assert wrap("one\ntwo", 10) == ["one", "two"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


@given(st.text(alphabet="ab \n", max_size=60), st.integers(1, 20))
def test_wrap_keeps_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_markdown() -> None:
    assert as_markdown([SAMPLE, Table("Empty", ["a"], [])]) == (
        "## Controls | for (d)\n\n"
        "| control | measures |\n"
        "|---|---|\n"
        "| 5.19 | 5.19.01 |\n"
        "| 5.20 | 5.20.01, 5.20.02, 5.20.03, 5.20.04, 5.20.05, 5.20.06 |\n"
        "\n> A note.\n\n"
        "## Empty\n\n_none_\n"
    )
    assert "| a\\|b |" in as_markdown([Table("t", ["c"], [["a|b"]])])


def test_csv() -> None:
    assert as_csv([SAMPLE]) == (
        "control,measures\n5.19,5.19.01\n5.20,5.20.01;5.20.02;5.20.03;5.20.04;5.20.05;5.20.06\n"
    )


def test_csv_of_several_tables_is_one_table() -> None:
    second = Table("Second", ["x", "control"], [[1, None]], name="second")
    text = as_csv([SAMPLE, second])
    assert text == (
        "table,control,measures,x\n"
        "Controls | for (d),5.19,5.19.01,\n"
        "Controls | for (d),5.20,5.20.01;5.20.02;5.20.03;5.20.04;5.20.05;5.20.06,\n"
        "second,,,1\n"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert {len(r) for r in rows} == {4}
    clash = as_csv([Table("a", ["table"], [["t"]]), Table("b", ["table", "table"], [["u", "v"]])])
    assert clash.splitlines() == ["section,table,table", "a,t,", "b,u,v"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("-", "-"),
        ("-0.5", "-0.5"),
        ("+31", "+31"),
        ("5.19", "5.19"),
        ("'=x", "''=x"),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_defused(value: str, written: str) -> None:
    (row,) = list(csv.reader(io.StringIO(as_csv([Table("t", ["c"], [[value]])]))))[1:]
    assert row == [written]
    if written != value:  # a list that starts with such a cell
        ids = Ids([value, "b"])
        (row,) = list(csv.reader(io.StringIO(as_csv([Table("t", ["c"], [[ids]])]))))[1:]
        assert row == [f"{written};b"]


def test_json_gives_whole_id_lists() -> None:
    (doc,) = as_data([SAMPLE])
    assert doc == {
        "title": "Controls | for (d)",
        "columns": ["control", "measures"],
        "rows": [["5.19", ["5.19.01"]], ["5.20", [f"5.20.0{i}" for i in range(1, 7)]]],
        "notes": ["A note."],
    }
    assert json.loads(render([SAMPLE], "json")) == [doc]
    assert to_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'
    assert to_json({"a": "é →"}, ascii_only=True) == '{\n  "a": "\\u00e9 \\u2192"\n}\n'


def test_html() -> None:
    text = as_html([SAMPLE, Table("<none>", ["a", "b"], [], empty="no <rows>")])
    root = ET.fromstring(text)
    first, empty = root.findall("table")
    assert first.findtext("caption") == "Controls | for (d)"
    cells = first.findall("tbody/tr/td")
    assert [c.text for c in cells[:2]] == ["5.19", "5.19.01"]
    assert cells[3].get("title") == ", ".join(f"5.20.0{i}" for i in range(1, 7))
    assert cells[1].get("title") is None
    assert first.findtext("tfoot/tr/td") == "A note."
    assert empty.findtext("caption") == "<none>"
    (row,) = empty.findall("tbody/tr")
    assert (row[0].get("colspan"), row[0].text) == ("2", "no <rows>")
    assert empty.find("tfoot") is None


def test_html_max_rows() -> None:
    rows = [[str(i)] for i in range(5)]
    limited = ET.fromstring(as_html([Table("t", ["n"], rows)], max_rows=2))
    texts = ["".join(td.itertext()) for td in limited.iterfind("table/tbody/tr/td")]
    assert texts == ["0", "1", "… 3 more rows (to_pandas() gives all)"]
    summary = ET.fromstring(as_html([Table("t", ["n"], rows, limited=False)], max_rows=2))
    assert len(summary.findall("table/tbody/tr")) == 5
    assert render([Table("t", ["n"], rows)], "html", max_rows=0).count("<tr>") == 2


def test_render_names() -> None:
    assert set(FORMATS) - {"json"} <= set(RENDERERS)
    for fmt in RENDERERS:
        assert render([SAMPLE], fmt).endswith("\n")
    with pytest.raises(ValueError, match="unknown table format 'xml'"):
        render([SAMPLE], "xml")


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(
    st.lists(st.lists(texts | st.lists(texts, max_size=8), min_size=2, max_size=2), max_size=6),
)
def test_every_renderer_shows_every_row(rows: list[list[object]]) -> None:
    table = Table("title", ["a", "b"], rows, ["note"])
    parsed = list(csv.reader(io.StringIO(as_csv([table]))))
    full = [[defuse(c if isinstance(c, str) else join_list(c.ids)) for c in r] for r in table.rows]
    assert parsed == [["a", "b"], *full]
    assert [restore(c) for r in parsed[1:] for c in r] == [
        c if isinstance(c, str) else join_list(c.ids) for r in table.rows for c in r
    ]
    text_rows = as_text([table]).splitlines()[4:]
    assert len(text_rows) >= len(rows)
    md_rows = [line for line in as_markdown([table]).splitlines() if line.startswith("| ")]
    assert len(md_rows) == (len(rows) + 1 if rows else 0)
    html = ET.fromstring(as_html([table]))
    assert len(html.findall("table/tbody/tr")) == max(len(rows), 1)
    assert json.loads(render([table], "json"))[0]["rows"] == as_data([table])[0]["rows"]
