"""bio2map.render.spelling: ASCII spellings of what an output encoding cannot show."""

from __future__ import annotations

import unicodedata

import pytest

from bio2map.render.spelling import SPELLINGS, fit, fit_tables, spell
from bio2map.render.table import Ids, Table


def test_every_spelling_is_printable_ascii() -> None:
    for ch, spelled in SPELLINGS.items():
        assert spelled.isascii(), ch
        assert spelled.isprintable(), ch  # "" (a zero-width space) is printable too
        assert not ch.isascii(), ch  # ASCII needs no spelling


@pytest.mark.parametrize(
    ("ch", "spelled"),
    [
        ("→", "->"),
        ("⇔", "<=>"),
        ("—", "--"),
        ("…", "..."),
        ("“", '"'),
        ("’", "'"),
        ("€", "EUR"),
        ("\u00a0", " "),
        ("\ufeff", ""),
        ("ß", "ss"),
        ("Ø", "O"),
        ("ë", "e"),  # accents fall off
        ("Ë", "E"),
        ("ĳ", "ij"),  # a compatibility decomposition
        ("ﬁ", "fi"),
        ("a", "a"),  # ASCII as it is
        ("☃", "[U+2603]"),  # no spelling: the code point, never '?'
        ("😀", "[U+1F600]"),
        ("\u0301", "[U+0301]"),  # a combining accent alone leaves nothing to spell
        ("\u00ad", "[U+00AD]"),  # soft hyphen: not printable
    ],
)
def test_spell(ch: str, spelled: str) -> None:
    assert spell(ch) == spelled


def test_fit_spells_only_what_the_encoding_cannot_show() -> None:
    text = "5.04.02 → 5.10.02 … geïmplementeerd, €5"
    assert fit(text, "ascii") == "5.04.02 -> 5.10.02 ... geimplementeerd, EUR5"
    assert fit(text, "cp1252") == "5.04.02 -> 5.10.02 … geïmplementeerd, €5"
    assert fit(text, "utf-8") == text
    decomposed = unicodedata.normalize("NFD", "geïmplementeerd")
    assert fit(decomposed, "ascii") == "gei[U+0308]mplementeerd"  # each character alone


def test_fit_tables_spells_every_text_and_keeps_the_layout() -> None:
    table = Table(
        "Maatregelen → controls",
        ["id", "label…"],
        [["5.19", "leveranciers → beheer"], [Ids(["é", "ü", "c", "d", "e"], 2, counted=True), "x"]],
        ["let op: geïmplementeerd"],
        empty="geen…",
        limited=False,
        name="maatregelen",
    )
    (fitted,) = fit_tables([table], "ascii")
    assert fitted.title == "Maatregelen -> controls"
    assert fitted.columns == ("id", "label...")
    assert fitted.rows[0] == ("5.19", "leveranciers -> beheer")
    ids = fitted.rows[1][0]
    assert isinstance(ids, Ids)
    assert (ids.ids, ids.shown, ids.counted) == (("e", "u", "c", "d", "e"), 2, True)
    assert str(ids) == "5: e, u (+3)"
    assert fitted.notes == ("let op: geimplementeerd",)
    assert (fitted.empty, fitted.limited, fitted.name) == ("geen...", False, "maatregelen")
    assert table.title == "Maatregelen → controls"  # the original is untouched
    assert fit_tables([], "ascii") == ()
