"""ASCII spellings for what an output encoding cannot show.

The command line writes to whatever standard output is: a UTF-8 terminal, a Windows
console in cp1252 (``PYTHONIOENCODING=cp1252``), a pipe in a ``C`` locale (ASCII). What
the encoding can show is written as it is; each character it cannot show is spelled in
ASCII (:func:`spell`): typography the way a typewriter would (``→`` as ``->``, ``–`` as
``-``, ``…`` as ``...``, curly quotes as straight ones), accented letters without their
accents (``ë`` as ``e``), ligatures and a few letters spelled out (``ß`` as ``ss``), and
anything else as its code point (``[U+2603]``), never as ``?``.

:func:`fit` spells a text, :func:`fit_tables` the cells of tables (so that the text
renderer lays the columns out with the spellings). JSON is not spelled: the command
line writes it with ``\\u`` escapes instead (the same document).

Only the command line imports this module, and only when the encoding fails.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Sequence

from bio2map.render.table import Ids, Table

__all__ = ["SPELLINGS", "fit", "fit_tables", "spell"]

SPELLINGS = {
    "\u2192": "->",  # →
    "\u2190": "<-",  # ←
    "\u2194": "<->",  # ↔
    "\u21d2": "=>",  # ⇒
    "\u21d0": "<=",  # ⇐
    "\u21d4": "<=>",  # ⇔
    "\u2191": "^",  # ↑
    "\u2193": "v",  # ↓
    "\u2010": "-",  # ‐
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # ‒
    "\u2013": "-",  # –
    "\u2014": "--",  # —
    "\u2015": "--",  # ―
    "\u2212": "-",  # minus
    "\u2026": "...",  # …
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u2032": "'",  # ′
    "\u2033": '"',  # ″
    "\u00ab": "<<",  # «
    "\u00bb": ">>",  # »
    "\u2039": "<",  # ‹
    "\u203a": ">",  # ›
    "\u2022": "*",  # •
    "\u00b7": ".",  # ·
    "\u2264": "<=",  # ≤
    "\u2265": ">=",  # ≥
    "\u2260": "!=",  # ≠
    "\u2248": "~",  # ≈
    "\u00d7": "x",  # ×
    "\u00f7": "/",  # ÷
    "\u00b1": "+/-",  # ±
    "\u00b0": " deg",  # °
    "\u00a7": "S.",  # §
    "\u00b6": "P.",  # ¶
    "\u00a9": "(c)",  # ©
    "\u00ae": "(R)",  # ®
    "\u2122": "(TM)",  # ™
    "\u20ac": "EUR",  # €
    "\u2713": "v",  # ✓
    "\u2714": "v",  # ✔
    "\u2717": "x",  # ✗
    "\u2718": "x",  # ✘
    "\u26a0": "!",  # ⚠
    "\u2500": "-",  # ─
    "\u2502": "|",  # │
    "\u2550": "=",  # ═
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2009": " ",  # thin space
    "\u200b": "",  # zero width space
    "\ufeff": "",  # byte-order mark
    "\u00df": "ss",  # ß
    "\u00e6": "ae",  # æ
    "\u00c6": "AE",  # Æ
    "\u0153": "oe",  # œ
    "\u0152": "OE",  # Œ
    "\u00f8": "o",  # ø
    "\u00d8": "O",  # Ø
    "\u0142": "l",  # ł
    "\u0141": "L",  # Ł
    "\u0111": "d",  # đ
    "\u0110": "D",  # Đ
    "\u00f0": "d",  # ð
    "\u00de": "Th",  # Þ
    "\u00fe": "th",  # þ
    "\u0131": "i",  # ı
}
"""Characters whose ASCII spelling is not their decomposition without accents."""

_HANDLER = "bio2map.spell"


def spell(ch: str) -> str:
    """The ASCII spelling of one character (see the module).

    Examples:
        >>> spell("→"), spell("ë"), spell("ß"), spell("☃")
        ('->', 'e', 'ss', '[U+2603]')
    """
    if ch in SPELLINGS:
        return SPELLINGS[ch]
    if ch.isascii():
        return ch
    plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if plain and plain.isascii() and plain.isprintable():
        return plain
    return f"[U+{ord(ch):04X}]"


def _spell_error(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):  # pragma: no cover - encoding only
        raise err
    return "".join(spell(ch) for ch in err.object[err.start : err.end]), err.end


def _register() -> None:
    codecs.register_error(_HANDLER, _spell_error)


def fit(text: str, encoding: str) -> str:
    """``text`` with every character ``encoding`` cannot encode spelled in ASCII.

    Examples:
        >>> fit("5.04.02 → 5.10.02 … geïmplementeerd", "ascii")
        '5.04.02 -> 5.10.02 ... geimplementeerd'
        >>> fit("café →", "cp1252")
        'café ->'
    """
    _register()
    return text.encode(encoding, _HANDLER).decode(encoding)


def _fit_cell(c: str | Ids, encoding: str) -> str | Ids:
    if isinstance(c, Ids):
        return Ids((fit(i, encoding) for i in c.ids), c.shown, counted=c.counted)
    return fit(c, encoding)


def fit_tables(tables: Sequence[Table], encoding: str) -> tuple[Table, ...]:
    """The tables with every text and id spelled for ``encoding`` (see :func:`fit`)."""
    return tuple(
        Table(
            fit(t.title, encoding),
            (fit(c, encoding) for c in t.columns),
            ((_fit_cell(c, encoding) for c in r) for r in t.rows),
            (fit(n, encoding) for n in t.notes),
            empty=fit(t.empty, encoding),
            limited=t.limited,
            name=t.name,
        )
        for t in tables
    )
