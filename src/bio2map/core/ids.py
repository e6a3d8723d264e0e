"""Canonical identifiers and lenient parsing of what people type.

Inside bio2map every node has one canonical id, ``<scheme>:<body>``:

==============  ============================  ==========================================
scheme          example                       what
==============  ============================  ==========================================
``nis2``        ``nis2:21.2.d``               Directive (EU) 2022/2555 (articles 20, 21, 23)
``ir2690``      ``ir2690:5.1.4``              annex to Implementing Regulation (EU) 2024/2690
``iso27001``    ``iso27001:6.1.2``            ISO/IEC 27001:2022 clauses 4-10
``iso27002``    ``iso27002:5.19``             ISO/IEC 27002:2022 controls (= 27001 Annex A)
``bio2``        ``bio2:5.19.01``              BIO2 government measures (draft kept apart)
``cbw``         ``cbw:25``                    Dutch Cyberbeveiligingswet articles
``cbwcf``       ``cbwcf:6.1``                 ADR & NOREA Cbw (NIS2) Control Framework
``iso27001-2013`` ``iso27001-2013:A.12.6.1``  ISO/IEC 27001:2013 clauses and Annex A
==============  ============================  ==========================================

People type ids in many ways: ``21(2)(d)``, ``Art. 21(2)(d)``, ``NIS2 21.2.d``,
``A.5.19``, ``5.19``, ``ISO 27002 5.19``, ``5.19.1``, ``1.1.1(a)``. :func:`readings`
turns such text into the canonical ids it can mean, grouped in tiers of preference;
the catalog then keeps the ones that exist. :func:`normalize_id` does the same without a
catalog and raises :class:`~bio2map.core.errors.AmbiguousIdError` when the text alone does
not decide.

Preference rules (documented in ``docs/concepts.md``):

* A scheme word (``NIS2``, ``Art.``, ``2024/2690``, ``ISO 27001``, ``ISO 27002``, ``A.``,
  ``clause``, ``BIO2``, ``Cbw``, ``Cbw CF``, ``ISO 27001:2013``) or canonical prefix
  decides the scheme. The 2013 edition is only read when it is said (the prefix, the year,
  or :func:`bio2map.core.editions.edition_readings` with the edition an SoA gives).
* Without one, article numbers 14 and up are NIS2; ids with letters are NIS2 (article
  14 and up) or 2024/2690 annex points; a bare ``X.Y`` with X in 5-8 is first of all the
  ISO 27002 control; an id with a zero-padded part (``5.01.01``) is a BIO2 measure.
  Everything else may be several things (``6.1.2`` is a 27001 clause, a 2024/2690 annex
  paragraph and the BIO2 measure ``6.01.02``) and the catalog decides which exist.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import re

from bio2map.core.errors import AmbiguousIdError, UnknownIdError

__all__ = [
    "SCHEMES",
    "CanonicalId",
    "Suggester",
    "control_character",
    "has_reading",
    "normalize_id",
    "plain",
    "readings",
    "scheme_of",
    "sort_key",
]

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Collection, Container, Iterable
    from typing import NewType

    CanonicalId = NewType("CanonicalId", str)
else:
    CanonicalId = str
"""A canonical id such as ``nis2:21.2.d``; see the module docstring."""

SCHEMES = ("nis2", "ir2690", "iso27001", "iso27002", "bio2", "cbw", "cbwcf", "iso27001-2013")

_MAX_INPUT = 200

# Scheme words at the start of the text. Order matters: longer, more specific first.
# Compiled on first use (most ids people type start with a digit and need none).
_HINT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^iso27001-2013\s*:\s*", "iso27001-2013"),
    (r"^(?:iso(?:/iec)?\s*)?2700[12]\s*:\s*2013\s*(?:annex\s*)?", "iso27001-2013"),
    (r"^cbwcf\s*:\s*", "cbwcf"),
    (r"^(?:cbw\s*-?\s*cf|cbw\s*(?:\(nis2\)\s*)?control\s*framework)\b\s*", "cbwcf"),
    (r"^(?:nis2|nis\s*2)\s*:\s*", "nis2"),
    (r"^(?:ir2690|ir\s*2690)\s*:\s*", "ir2690"),
    (r"^iso27001\s*:\s*a\.?\s*", "iso27002"),
    (r"^iso27001\s*:\s*", "iso27001"),
    (r"^iso27002\s*:\s*", "iso27002"),
    (r"^bio2?\s*:\s*", "bio2"),
    (r"^cbw\s*:\s*", "cbw"),
    (r"^(?:directive\s*(?:\(eu\)\s*)?)?2022/2555\s*", "nis2"),
    (r"^(?:nis2|nis\s*2)(?:\s+directive|\s*richtlijn)?\s*", "nis2"),
    (
        r"^(?:(?:commission\s+)?implementing\s+regulation\s*(?:\(eu\)\s*)?)?2024/2690\s*",
        "ir2690",
    ),
    (r"^(?:ir|eu|cir)\s*2690\s*", "ir2690"),
    (r"^(?:uitvoeringsverordening|annex|bijlage)\s*", "ir2690"),
    (r"^(?:iso(?:/iec)?\s*)?27001(?::\s*2022)?\s*(?:annex\s*)?a\s*\.?\s*(?=\d)", "iso27002"),
    (r"^(?:iso(?:/iec)?\s*)?27001(?::\s*2022)?\s*(?:clause|clausule)?\s*", "iso27001"),
    (
        r"^(?:iso(?:/iec)?\s*)?27002(?::\s*2022)?\s*(?:control|beheersmaatregel)?\s*a?\.?\s*",
        "iso27002",
    ),
    (r"^(?:clause|clausule)\s*", "iso27001"),
    (r"^(?:control|beheersmaatregel)\s*a?\.?\s*", "iso27002"),
    (r"^a\s*\.?\s*(?=\d)", "iso27002"),
    (r"^(?:bio2?|bio-?2)(?:\s*-?\s*(?:measure|maatregel|overheidsmaatregel))?\s*", "bio2"),
    (r"^(?:measure|overheidsmaatregel|maatregel)\s*", "bio2"),
    (r"^(?:cbw|cyberbeveiligingswet)\s*", "cbw"),
    (r"^(?:art(?:icle|ikel)?\s*\.?)\s*", "nis2"),
)
_DIGIT_HINTS = ("2022/", "2024/", "27001", "27002")
_TOKEN = re.compile(r"sp[0-9]+|p[0-9]+|u[0-9]+|[0-9]+|[a-z]+", re.ASCII)
_BODY_OK = re.compile(r"^[0-9a-z.()\s\-_/]*$", re.ASCII)
# what _BODY_OK allows besides letters and digits (no regex: it would be compiled on every
# cold query)
_SEPARATORS = str.maketrans("", "", ".()-_/ \t\n\r\f\v")


# Compiled on first use, like the hints: a cold query needs none of these.
@functools.cache
def _art_after_scheme() -> re.Pattern[str]:
    return re.compile(r"^(?:art(?:icle|ikel)?\s*\.?)\s*", re.IGNORECASE | re.ASCII)


@functools.cache
def _roman() -> re.Pattern[str]:
    return re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv)$")


@functools.cache
def _padded() -> re.Pattern[str]:
    return re.compile(r"(?:^|\.)0[0-9]")


# What each hint pattern can start with, in their order: a pattern is compiled only when a
# text starts with one of these (reading "A.5.19" compiles two patterns, not twenty-six).
# tests/test_ids.py checks with hypothesis that no pattern matches a text starting otherwise.
_HINT_STARTS: tuple[str, ...] = (
    *("i", "i2", "c", "c", "n", "i", "i", "i", "i", "b", "c", "d2", "n", "ci2", "iec", "uab"),
    *("i2", "i2", "i2", "c", "cb", "a", "b", "mo", "c", "a"),
)


@functools.cache
def _hint(i: int) -> re.Pattern[str]:
    return re.compile(_HINT_PATTERNS[i][0], re.IGNORECASE | re.ASCII)


def _fail(text: str) -> UnknownIdError:
    return UnknownIdError(text[:_MAX_INPUT])


def _split_scheme(text: str) -> tuple[str | None, str]:
    """Return (scheme or None, remaining body) after removing one scheme word."""
    if text[:1].isdigit() and not text.startswith(_DIGIT_HINTS):
        return None, text
    first = text[:1].lower()
    for i, (_, scheme) in enumerate(_HINT_PATTERNS):
        if first not in _HINT_STARTS[i]:
            continue  # cannot match: not worth compiling
        m = _hint(i).match(text)
        if m and (m.end() > 0):
            rest = text[m.end() :]
            if scheme in ("nis2", "cbw"):
                rest = _art_after_scheme().sub("", rest, count=1)
            return scheme, rest
    return None, text


def _tokens(body: str) -> list[str] | None:
    if not body or not _BODY_OK.match(body):
        return None
    toks = _TOKEN.findall(body)
    # Every character that is not a separator must belong to a token.
    if sum(len(t) for t in toks) != len(body.translate(_SEPARATORS)):
        return None
    return toks or None


def _num(tok: str) -> int | None:
    return int(tok) if tok.isdigit() and len(tok) <= 4 else None


def _nis2(toks: list[str]) -> str | None:
    art = _num(toks[0])
    if art is None or not 1 <= art <= 46:
        return None
    parts = [str(art)]
    for t in toks[1:]:
        n = _num(t)
        if n is not None:
            parts.append(str(n))
        elif t.isalpha() or t.startswith("sp"):
            parts.append(t)
        else:
            return None
    return "nis2:" + ".".join(parts)


def _ir2690(toks: list[str]) -> str | None:
    sec = _num(toks[0])
    if sec is None or not 1 <= sec <= 13:
        return None
    parts = [str(sec)]
    suffix = ""
    for i, t in enumerate(toks[1:], start=1):
        n = _num(t)
        if n is not None and not suffix:
            parts.append(str(n))
        elif t.startswith("p") and t[1:].isdigit() and i == len(toks) - 1:
            suffix = "-p" + str(int(t[1:]))
        elif t.isalpha() and len(t) <= 4 and (len(t) == 1 or _roman().match(t)):
            parts.append(t)
        else:
            return None
    return "ir2690:" + ".".join(parts) + suffix


def _clause(toks: list[str]) -> str | None:
    nums = [_num(t) for t in toks]
    if any(n is None for n in nums) or len(nums) > 3:
        return None
    first = nums[0]
    if first is None or not 4 <= first <= 10:
        return None
    return "iso27001:" + ".".join(str(n) for n in nums)


def _control(toks: list[str]) -> str | None:
    if len(toks) not in (1, 2):
        return None
    nums = [_num(t) for t in toks]
    if any(n is None for n in nums):
        return None
    theme = nums[0]
    if theme is None or not 5 <= theme <= 8:
        return None
    return "iso27002:" + ".".join(str(n) for n in nums)


def _measure(toks: list[str]) -> str | None:
    if len(toks) != 3:
        return None
    a, b = _num(toks[0]), _num(toks[1])
    if a is None or b is None or not 5 <= a <= 8 or b > 99:
        return None
    last = toks[2]
    if last.startswith("u") and last[1:].isdigit():
        seq = "u" + str(int(last[1:]))
    else:
        c = _num(last)
        if c is None or c > 99:
            return None
        seq = f"{c:02d}"
    return f"bio2:{a}.{b:02d}.{seq}"


_CBWCF_GROUPS = frozenset({"zorgplicht", "governance", "meldplicht"})


def _cbwcf(toks: list[str]) -> str | None:
    """A Cbw framework node: a group word, a theme (``6``) or a control (``6.1``)."""
    if len(toks) == 1 and toks[0] in _CBWCF_GROUPS:
        return "cbwcf:" + toks[0]
    nums = [_num(t) for t in toks]
    if len(toks) not in (1, 2) or any(n is None or n > 99 for n in nums):
        return None
    return "cbwcf:" + ".".join(str(n) for n in nums)


_2013_CLAUSE_WORDS = frozenset({"clause", "clausule"})
_2013_CONTROL_WORDS = frozenset({"a", "control", "beheersmaatregel"})


def _iso2013(toks: list[str]) -> tuple[str, ...]:
    """ISO/IEC 27001:2013 readings: Annex A controls (``A.12.6.1``, three numbers, 5-18)
    and clauses (``9.2``, ``6.1.2``, 4-10). ``6.1.2`` is both a clause and a control:
    both readings are returned and a catalog (or the writer) decides."""
    clause_said = bool(toks) and toks[0] in _2013_CLAUSE_WORDS
    control_said = bool(toks) and toks[0] in _2013_CONTROL_WORDS
    if clause_said or control_said:
        toks = toks[1:]
        if control_said and toks[:1] == ["a"]:  # "control A.5.1.1"
            toks = toks[1:]
    nums = [_num(t) for t in toks]
    if not nums or any(n is None for n in nums):
        return ()
    first = nums[0]
    out = []
    if not clause_said and len(nums) == 3 and first is not None and 5 <= first <= 18:
        out.append("iso27001-2013:A." + ".".join(str(n) for n in nums))
    if not control_said and 1 <= len(nums) <= 3 and first is not None and 4 <= first <= 10:
        out.append("iso27001-2013:" + ".".join(str(n) for n in nums))
    return tuple(out)


def _cbw(toks: list[str]) -> str | None:
    if len(toks) != 1:
        return None
    n = _num(toks[0])
    return None if n is None else f"cbw:{n}"


_BUILDERS = {
    "nis2": _nis2,
    "ir2690": _ir2690,
    "iso27001": _clause,
    "iso27002": _control,
    "bio2": _measure,
    "cbw": _cbw,
    "cbwcf": _cbwcf,
}


def _clean(text: object) -> str:
    if not isinstance(text, str):
        msg = f"text must be a str (an id), got {type(text).__name__}"
        raise TypeError(msg)
    if not text.isascii():  # ASCII is its own NFKC form (and unicodedata costs a cold query)
        import unicodedata

        text = unicodedata.normalize("NFKC", text)
    s = text.strip().lower()
    return s.replace("\u2013", "-").replace("\u2014", "-")


def readings(text: str) -> tuple[tuple[CanonicalId, ...], ...]:
    """Return what ``text`` may mean, as tiers of canonical ids, best tier first.

    Does not look at any catalog: an id in a tier may not exist. Text that cannot be
    an id gives ``()``.

    Examples:
        >>> readings("Art. 21(2)(d)")
        (('nis2:21.2.d',),)
        >>> readings("5.19")
        (('iso27002:5.19',), ('iso27001:5.19', 'ir2690:5.19'))

    .. versionadded:: 0.1.0
    """
    s = _clean(text)
    if not s or len(s) > _MAX_INPUT:
        return ()
    scheme, body = _split_scheme(s)
    toks = _tokens(body.strip())
    if toks is None:
        return ()
    if scheme == "iso27001-2013":
        found = _iso2013(toks)
        return (tuple(CanonicalId(c) for c in found),) if found else ()
    if scheme is not None:
        built = _BUILDERS[scheme](toks)
        if built is None and scheme == "iso27002" and len(toks) == 3:
            # "ISO 27002 5.19.01" is how some people name a BIO2 measure.
            built = _measure(toks)
        return ((CanonicalId(built),),) if built else ()
    return _unhinted(toks, body)


def _unhinted(toks: list[str], body: str) -> tuple[tuple[CanonicalId, ...], ...]:
    first = _num(toks[0])
    if first is None:
        return ()
    has_letters = any(not t.isdigit() for t in toks)
    tiers: list[list[str | None]] = []
    if first >= 14:
        tiers.append([_nis2(toks)])
    elif has_letters:
        if toks[-1].startswith("u") and toks[-1][1:].isdigit():
            tiers.append([_measure(toks)])
        else:
            tiers.append([_ir2690(toks)])
    elif len(toks) == 2 and 5 <= first <= 8:
        tiers.append([_control(toks)])
        tiers.append([_clause(toks), _ir2690(toks)])
    elif len(toks) == 3 and _padded().search(body.replace(" ", "")):
        tiers.append([_measure(toks)])
    else:
        tiers.append([_clause(toks), _ir2690(toks), _measure(toks), _control(toks)])
    out = tuple(tuple(CanonicalId(c) for c in tier if c) for tier in tiers)
    return tuple(t for t in out if t)


def normalize_id(text: str) -> CanonicalId:
    """Return the one canonical id ``text`` means, judged from the text alone.

    Raises:
        UnknownIdError: the text cannot be an id.
        AmbiguousIdError: the best tier holds several readings (use a catalog's
            ``resolve``, which keeps only ids that exist).

    Examples:
        >>> normalize_id("A.5.19")
        'iso27002:5.19'
        >>> normalize_id("21(2)(d)")
        'nis2:21.2.d'

    .. versionadded:: 0.1.0
    """
    tiers = readings(text)
    if not tiers:
        raise _fail(str(text))
    best = tiers[0]
    if len(best) > 1:
        raise AmbiguousIdError(str(text)[:_MAX_INPUT], best)
    return best[0]


def scheme_of(cid: str) -> str:
    """Return the scheme of a canonical id (``nis2:21.2.d`` -> ``nis2``)."""
    return cid.partition(":")[0]


def plain(cid: str) -> str:
    """Return a canonical id without its scheme (``bio2:5.19.01`` -> ``5.19.01``)."""
    return cid.partition(":")[2]


_SCHEME_RANK = {s: i for i, s in enumerate(SCHEMES)}
_SPLIT = re.compile(r"([0-9]+)")


def sort_key(cid: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """A key that sorts canonical ids by scheme, then numerically (5.2 before 5.10).

    Examples:
        >>> sorted(["iso27002:5.10", "iso27002:5.2"], key=sort_key)
        ['iso27002:5.2', 'iso27002:5.10']
    """
    scheme, _, body = cid.partition(":")
    parts: list[tuple[int, int | str]] = []
    prev_alpha = False
    for piece in body.replace("-", ".").split("."):
        for chunk in _SPLIT.split(piece):
            if not chunk:
                continue
            if chunk.isdigit():
                parts.append((0, int(chunk)))
                prev_alpha = False
            elif prev_alpha and _roman().match(chunk):
                parts.append((1, _roman_value(chunk)))
            else:
                parts.append((2, chunk))
                prev_alpha = True
    return (_SCHEME_RANK.get(scheme, len(SCHEMES)), tuple(parts))


def _roman_value(s: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for i, ch in enumerate(s):
        v = values[ch]
        total += -v if i + 1 < len(s) and values[s[i + 1]] > v else v
    return total


# --- unknown ids: is there a reading at all, and what is close --------------------------


def has_reading(text: str, known: Container[str], schemes: Collection[str] | None = None) -> bool:
    """Whether ``text`` names at least one id in ``known`` (of one of ``schemes``).

    This is the test a catalog's ``resolve`` makes before it gives up: when it is true,
    ``resolve`` returns an id or raises :class:`~bio2map.core.errors.AmbiguousIdError`;
    when it is false, ``resolve`` would raise :class:`~bio2map.core.errors.UnknownIdError`
    (and spend its time on suggestions). Readers of large files ask this first and
    compute suggestions only for the few unknown ids they report.

    Examples:
        >>> has_reading("A.5.19", {"iso27002:5.19"})
        True
        >>> has_reading("5.99", {"iso27002:5.19"})
        False

    .. versionadded:: 0.2.0
    """
    if not isinstance(text, str):
        msg = f"text must be a str (an id), got {type(text).__name__}"
        raise TypeError(msg)
    exact = text.strip()
    if exact in known and (schemes is None or scheme_of(exact) in schemes):
        return True
    return any(
        c in known and (schemes is None or scheme_of(c) in schemes)
        for tier in readings(text)
        for c in tier
    )


class Suggester:
    """The closest known ids to an unknown one, as ``Catalog.resolve`` suggests them.

    The same suggestions as the catalog's (``difflib`` close matches, cutoff 0.6, of the
    text's readings, their plain forms and the text itself, against every known id and
    its plain form), but the pool of ids is indexed once, each probe is compared once,
    ids of a length that cannot reach the cutoff are skipped, and each distinct text is
    answered once.

    Args:
        known: the known canonical ids, in the catalog's order.
        schemes: keep only ids of these schemes (None: all).

    Examples:
        >>> suggest = Suggester(["iso27002:5.19", "iso27002:5.2", "nis2:21.2.d"])
        >>> suggest("5.99")
        ('iso27002:5.19', 'iso27002:5.2')

    .. versionadded:: 0.2.0
    """

    _CUTOFF = 0.6
    _PER_PROBE = 4
    _MAX = 5

    def __init__(self, known: Iterable[str], schemes: Collection[str] | None = None) -> None:
        pool: dict[str, list[str]] = {}
        for cid in known:
            if schemes is None or scheme_of(cid) in schemes:
                pool.setdefault(plain(cid), []).append(cid)
                pool.setdefault(cid, []).append(cid)
        self._pool = pool
        by_length: dict[int, list[str]] = {}
        for key in pool:
            by_length.setdefault(len(key), []).append(key)
        self._by_length = by_length
        self._answers: dict[str, tuple[str, ...]] = {}
        self._matches: dict[str, list[str]] = {}

    def __call__(self, text: str) -> tuple[str, ...]:
        """The suggestions for ``text``, best first (at most five).

        Raises:
            TypeError: ``text`` is not a str.
        """
        if not isinstance(text, str):
            msg = f"text must be a str (an id), got {type(text).__name__}"
            raise TypeError(msg)
        answer = self._answers.get(text)
        if answer is None:
            answer = self._suggest(text)
            if len(self._answers) < 100_000:
                self._answers[text] = answer
        return answer

    def _suggest(self, text: str) -> tuple[str, ...]:
        tiers = readings(text)
        probes = [c for tier in tiers for c in tier] + [plain(c) for tier in tiers for c in tier]
        probes.append(str(text).strip().lower()[:60])
        out: list[str] = []
        for probe in dict.fromkeys(probes):  # a probe asked twice adds nothing new
            for m in self._close(probe):
                for cid in self._pool[m]:
                    if cid not in out:
                        out.append(cid)
        return tuple(out[: self._MAX])

    def _close(self, probe: str) -> list[str]:
        """``difflib.get_close_matches(probe, pool, 4, 0.6)``, the same answer, faster.

        Every key's ``quick_ratio`` (an upper bound of its ``ratio``) is computed first;
        the costly ``ratio`` is then computed best bound first, and not at all once the
        bound falls below the fourth-best ratio found.
        """
        hit = self._matches.get(probe)
        if hit is not None:
            return hit
        import difflib
        import heapq

        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(probe)
        size = len(probe)
        bounded: list[tuple[float, str]] = []
        for length, keys in self._by_length.items():
            total = size + length
            # difflib's real_quick_ratio, the same for every key of this length
            if total and 2.0 * min(size, length) / total < self._CUTOFF:
                continue
            for key in keys:
                matcher.set_seq1(key)
                bound = matcher.quick_ratio()
                if bound >= self._CUTOFF:
                    bounded.append((bound, key))
        bounded.sort(reverse=True)
        best: list[tuple[float, str]] = []  # a heap of the best (ratio, key) so far
        for bound, key in bounded:
            if len(best) == self._PER_PROBE and bound < best[0][0]:
                break  # no key left can reach the fourth-best ratio
            matcher.set_seq1(key)
            score = matcher.ratio()
            if score >= self._CUTOFF:
                if len(best) < self._PER_PROBE:
                    heapq.heappush(best, (score, key))
                else:
                    heapq.heappushpop(best, (score, key))
        hit = [key for _, key in sorted(best, reverse=True)]
        if len(self._matches) < 100_000:
            self._matches[probe] = hit
        return hit


def control_character(text: str) -> str | None:
    """The first control or format character in ``text`` (NUL, ESC, a bidi override, a
    line separator), or None. Ids holding one are refused: printed raw, they could hide
    or rewrite what a terminal or a spreadsheet shows.

    Examples:
        >>> control_character("myorg:SUP-01") is None
        True
        >>> control_character("myorg:\\x1b[2JSUP")
        '\\x1b'

    .. versionadded:: 0.2.0
    """
    if not isinstance(text, str):
        msg = f"text must be a str, got {type(text).__name__}"
        raise TypeError(msg)
    if text.isprintable():
        return None
    import unicodedata

    for ch in text:
        if not ch.isprintable() and unicodedata.category(ch) not in ("Zs",):
            return ch
    return None
