"""Editions of ISO/IEC 27001: reading ids when the edition is said.

BIO 1.04 is built on ISO/IEC 27001/27002:2013 (114 Annex A controls, ids like
``A.12.6.1``); BIO2 on the 2022 edition (93 controls, ``A.8.8``). An SoA of either
edition writes its ids the same lenient ways (``A.12.6.1``, ``12.6.1``, ``ISO 27001
A.12.6.1``), so a bare id can only be read once the edition is known: from
``--from iso27001-2013``, an SoA ``edition`` column, or the id itself
(``ISO 27001:2013 A.12.6.1``, ``iso27001-2013:A.12.6.1``).

:func:`edition_of` turns what people write for an edition into its name;
:func:`edition_readings` reads an id in a given edition; :func:`said_edition` tells
which edition an id names by itself, if any.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import functools
import re

from bio2map.core.ids import CanonicalId, _clean, _iso2013, _tokens, readings, scheme_of

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Final

__all__ = ["EDITIONS", "ISO2013", "ISO2022", "edition_of", "edition_readings", "said_edition"]

ISO2013: Final = "iso27001-2013"
"""The 2013 edition (BIO 1.04): the scheme of its ids."""
ISO2022: Final = "iso27001-2022"
"""The 2022 edition (BIO2): ids in the schemes ``iso27002`` (controls) and ``iso27001``."""
EDITIONS: Final = (ISO2013, ISO2022)

_EDITION_WORDS: Final = {
    ISO2013: (
        *("2013", "iso27001-2013", "iso27001:2013", "iso 27001:2013", "iso27002:2013"),
        *("iso 27002:2013", "iso/iec 27001:2013", "bio 1.04", "bio1.04", "bio 1", "bio1"),
    ),
    ISO2022: (
        *("2022", "iso27001-2022", "iso27001:2022", "iso 27001:2022", "iso27002:2022"),
        *("iso 27002:2022", "iso/iec 27001:2022", "bio2", "bio 2", "bio 2.0"),
    ),
}
_BY_WORD: Final = {w: e for e, words in _EDITION_WORDS.items() for w in words}


# Compiled on first use: importing the catalog (every cold query) needs neither.
@functools.cache
def _generic() -> re.Pattern[str]:
    """A generic standard name before the id (no year): read in the edition that is said."""
    return re.compile(
        r"^(?:iso(?:/iec)?\s*)?(?:27001|27002)\s*(?:annex\s*)?", re.IGNORECASE | re.ASCII
    )


@functools.cache
def _says_2022() -> re.Pattern[str]:
    return re.compile(
        r"^(?:iso27001|iso27002)\s*:|^(?:iso(?:/iec)?\s*)?2700[12]\s*:\s*2022", re.ASCII
    )


def edition_of(text: str) -> str | None:
    """The edition ``text`` names (``2013``, ``ISO 27001:2013``, ``BIO 1.04`` ->
    ``iso27001-2013``; ``2022``, ``BIO2`` -> ``iso27001-2022``), or None.

    Examples:
        >>> edition_of("ISO 27001:2013"), edition_of("bio2"), edition_of("x")
        ('iso27001-2013', 'iso27001-2022', None)
    """
    key = " ".join(str(text).strip().lower().split())
    return _BY_WORD.get(key)


@functools.lru_cache(maxsize=4096)
def said_edition(text: str) -> str | None:
    """The edition an id names by itself (its prefix or year), or None when it does not.

    Examples:
        >>> said_edition("ISO 27001:2013 A.12.6.1"), said_edition("iso27002:5.19")
        ('iso27001-2013', 'iso27001-2022')
        >>> said_edition("A.12.6.1") is None
        True
    """
    s = _clean(text)
    tiers = readings(s)
    if tiers and all(scheme_of(c) == ISO2013 for tier in tiers for c in tier):
        return ISO2013
    if _says_2022().match(s):
        return ISO2022
    return None


@functools.lru_cache(maxsize=4096)
def edition_readings(text: str, edition: str) -> tuple[tuple[CanonicalId, ...], ...]:
    """What ``text`` may mean when the SoA is of ``edition``, best tier first.

    In the 2013 edition a bare id (``A.12.6.1``, ``12.6.1``, ``9.2``, ``ISO 27001
    A.12.6.1``, ``clause 6.1.2``) reads as a 2013 id; ``6.1.2`` may be clause 6.1.2 or
    control A.6.1.2 (both are returned; a catalog refuses the ambiguity). An id that
    names its edition keeps it, so a 2022 id in a 2013 SoA is seen as such. In the 2022
    edition this is :func:`bio2map.core.ids.readings`.

    Examples:
        >>> edition_readings("12.6.1", "iso27001-2013")
        (('iso27001-2013:A.12.6.1',),)
        >>> edition_readings("ISO 27001 A.12.6.1", "iso27001-2013")
        (('iso27001-2013:A.12.6.1',),)
    """
    if edition != ISO2013:
        return readings(text)
    s = _clean(text)
    if said_edition(s) is not None:
        return readings(s)
    toks = _tokens(_generic().sub("", s, count=1).strip())
    if toks is None:
        return ()
    found = _iso2013(toks)
    return (tuple(CanonicalId(c) for c in found),) if found else ()
