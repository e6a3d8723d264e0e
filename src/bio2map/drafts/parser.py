"""Parse the markdown of a BIO2 draft (``docs/maatregelen/index.md``) into measure records.

The BIO2 measures page was published in several layouts between June 2024 and
January 2026. One data-driven, single-pass parser reads all of them: each feature
(control heading, measure heading, tag line, rationale, marker sentence, ...) has
its own precompiled pattern, and none of the patterns names a particular draft, so
a new draft in a known layout, or a close variant of one, parses without code
changes.

Layout families (the ``ParsedDraft.layout`` value) and how they are recognised
after parsing:

``"2024-06"``
    Control headings (``## Beheersmaatregel 5.01 ...``) with the ISO control text,
    level-4 measure headings with the text on the heading line, an *unlabelled*
    indented tag line (``  Basishygiëne NIS2, ketenhygiëne``) and a ``>`` rationale.
    Recognised by control headings plus more unlabelled than labelled tag lines
    (or measure headings at level 4 or deeper).
``"2024-10"``
    Control headings, level-3 measure headings with text, ``Draagt bij aan: ...``
    and a ``> verwerkte opmerkingen:`` rationale (2024-10 and 2025-03 drafts).
    Recognised by control headings plus at least one rationale blockquote.
``"1.1"``
    As 2024-10 but without rationale blocks (1.1 and 1.1.1).
``"1.2"``
    No control headings; id-only level-2 headings, text below, ``<br><br>``
    paragraph joins and a ``Draagt bij aan:`` line. Recognised by the absence of
    control headings plus at least one tag line.
``"1.3"``
    As 1.2 without any tag line; retired ids carry a one-line marker body.

Where the measures part starts:
    At the first control heading or measure heading (or ``[Kop 9] <id>``
    paragraph). Everything before it (front matter, title, admonitions, legend,
    introduction) is the preamble and is not inspected. Inside the measures part
    the recognised structure is: control headings and the control text under them
    (up to the ``Verplichte overheidsspecifieke maatregelen`` heading or the first
    measure heading), that section heading, ``---`` rules, admonitions
    (``!!! ...`` plus their indented body), tag lines, the 2024-06 sentence in the
    tag-line slot, and rationale blockquotes (including lazy continuation lines).
    A non-empty line that is none of these and lies in no measure is reported in
    ``ParsedDraft.unassigned``; a ``---`` rule or an unknown heading shallower than
    the measure headings ends the current measure.

Measures:
    * A measure starts at a heading whose text begins with an id ``X.Y.Z`` (any
      heading level, any zero padding, the id may be glued to the text as in
      ``5.10.01Bestuuders``) or at a paragraph ``[Kop 9] 5.24.06 ...`` (a leaked
      Word style name).
    * An id-less heading at (or below) the measure heading level is a
      *continuation* of the current measure while that measure is still open
      (no tag line and no rationale seen yet; 2025-03 onwards, including
      numbered list items written as headings in 1.1.1). After the current
      measure has been closed by its tag line or rationale, such a heading starts
      a new, *unnumbered* measure (the one in 2024-06 after 5.25.01, which has
      its own tag line and rationale). Unnumbered measures get the synthetic id
      ``<control>.u<N>`` (for example ``5.25.u1``), ``numbered=False``.
    * Text lines that follow the tag line or rationale inside the same measure
      are appended to its text rather than dropped.

Kinds (matched on the normalised text, case-insensitive, trailing dot optional,
``<br>`` already removed):
    ``moved``: ``Verplaatst naar [overheids]maatregel <id>`` (``target`` = id);
    ``see-other``: ``Zie [ook] [overheids]maatregel <id>`` (``target`` = id);
    ``withdrawn``: ``Vervallen``; each may carry up to 80 more characters.
    ``no-measure``: a text of at most 400 characters that starts with ``Geen
    aanvullende maatregel``, ``Geen overheidsmaatregel`` (or ``Geen maatregel``) or
    ``De richtlijn uit de iso 27002 ... van toepassing``. Anything else is a real
    ``measure``. Targets are kept even when they name no existing id (1.3 5.26.01).

Tag lines:
    ``Draagt bij aan: ...`` anywhere on a line (in 1.2, 5.20.03 has it glued to
    the last text line; the part before it stays text), or the unlabelled 2024-06
    line. Tokens are split on commas and white space and matched case- and
    accent-insensitively; ``NIS2`` sets ``nis2_flag``; unknown tokens are kept
    after the known ones (first letter upper-cased).

The 2024-06 sentence "Bovenliggende beheersmaatregel is niet verplicht ...":
    It stands in the tag-line slot of 37 entries of the 2024-06 draft (32
    no-measure entries and five real measures). It is not part of the measure
    text and it carries no contribution tags, but it *does* fill the tag-line
    slot, so the parser records it as an empty tag line (``tag_line=True``,
    ``tags=()``), just like the bare ``Draagt bij aan:`` lines of the 2024-10
    draft. That is what the corpus manifest counts: ``tag_lines = 160`` for
    2024-06 is 123 unlabelled tag lines plus these 37 sentences, i.e. every
    numbered measure (the unnumbered measure's own tag line is not counted, see
    below). Counting only real tag lines would give 123.

Counting conventions (matching the corpus manifest):
    The manifest's kind counts, ``tag_lines`` and ``rationale_blocks`` are over
    numbered measures; the unnumbered 2024-06 measure is counted only in
    ``unnumbered_measure_headings``. An empty blockquote (``>`` alone, 2024-06
    6.03.02) still counts as a rationale block.

Duplicate ids:
    None of the seven published drafts repeats an id (also after zero padding).
    Should a future draft do so, both measures are kept, in document order, with
    the same ``id``; callers that need uniqueness must check.

Text:
    Paragraphs are separated by a blank line; list items are kept one per line
    with a normalised marker (``- `` for bullets, the label as written plus
    ``. `` or ``) `` for numbered items, nested items indented by two spaces);
    ``<br><br>`` makes a paragraph break and a single ``<br>`` a line break;
    emphasis and heading markers are removed; soft-wrapped lines are joined with
    a space; a measure's heading text is its first paragraph; a list starts a new
    block, and so does a non-indented line right after a list (an indented one
    continues the last item); runs of white space (including non-breaking spaces and tabs) become
    one space. Encoding damage in the source is kept as is.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import attrs

from bio2map.core.errors import DataError, DraftParseError, SourceError
from bio2map.core.userfiles import MARKDOWN, check_path, decode_text, read_user_bytes

__all__ = [
    "KINDS",
    "TAGS",
    "ParsedDraft",
    "ParsedMeasure",
    "control_of",
    "fingerprint",
    "normalize_measure_id",
    "normalize_text",
    "parse",
    "parse_file",
]

KINDS: tuple[str, ...] = ("measure", "no-measure", "moved", "withdrawn", "see-other")
"""The kinds of entry a measure id can carry in a draft."""

TAGS: tuple[str, ...] = ("Basishygiëne", "Ketenhygiëne", "Overheidsrisico")
"""Canonical spelling (and order) of the contribution tags."""


@attrs.frozen
class ParsedMeasure:
    """One measure entry of a draft.

    Attributes:
        id: normalised id (``5.10.02``); synthetic ``<control>.u<N>`` when unnumbered.
        control: parent ISO/IEC 27002 control without padding (``5.10``).
        kind: one of :data:`KINDS`.
        target: normalised id a ``moved`` or ``see-other`` marker points to, else None.
        tags: contribution tags, known ones in :data:`TAGS` order, unknown ones after.
        nis2_flag: the tag line names NIS2 (older drafts).
        tag_line: the measure has a tag line (possibly empty, see module docs).
        rationale: a change-rationale blockquote is present.
        raw_id: the id as written; ``""`` for unnumbered measures.
        numbered: False for an id-less measure heading.
        line: 1-based line of the heading (or ``[Kop 9]`` paragraph).
        end_line: last non-empty line that belongs to the measure.
        text: clean plain text (see module docs); for markers the marker sentence.
    """

    id: str
    control: str
    kind: str
    target: str | None
    tags: tuple[str, ...]
    nis2_flag: bool
    tag_line: bool
    rationale: bool
    raw_id: str
    numbered: bool
    line: int
    end_line: int
    text: str


@attrs.frozen
class ParsedDraft:
    """A whole parsed draft.

    Attributes:
        layout: layout family: ``2024-06``, ``2024-10``, ``1.1``, ``1.2`` or ``1.3``.
        measures: the measures in document order.
        control_titles: control (``5.1``) to the title of its control heading; ``{}``
            for layouts without control headings.
        unassigned: line numbers of non-empty lines of the measures part that are
            neither recognised structure nor part of a measure.
        source: file name or ``<string>``.
    """

    layout: str
    measures: tuple[ParsedMeasure, ...]
    control_titles: Mapping[str, str]
    unassigned: tuple[int, ...]
    source: str


# --------------------------------------------------------------------------- ids

_ID = r"(?P<id>[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3})(?![0-9])(?!\.[0-9])"
_ID_RE = re.compile(r"^\s*" + _ID)
_SYNTHETIC_RE = re.compile(r"^\s*([0-9]{1,2})\.([0-9]{1,2})\.u([0-9]{1,4})\s*$")
_CONTROL_ID_RE = re.compile(r"^\s*([0-9]{1,2})\.([0-9]{1,2})\s*$")


def normalize_measure_id(raw: str) -> str:
    """Return the canonical BIO2 form ``X.YY.ZZ`` of a measure id.

    Zero padding is added to the control number and the sequence number; text glued
    after the id is ignored. Synthetic ids of unnumbered measures (``5.25.u1``) are
    returned in their canonical form too.

    Args:
        raw: the id as written, e.g. ``5.10.3``, ``6.01.1`` or ``5.10.01Bestuuders``.

    Returns:
        The normalised id, e.g. ``5.10.03``.

    Raises:
        ValueError: ``raw`` does not start with a three-part measure id.
    """
    m = _ID_RE.match(raw)
    if m is None:
        s = _SYNTHETIC_RE.match(raw)
        if s is None:
            msg = f"not a BIO2 measure id: {raw!r}"
            raise ValueError(msg)
        return f"{int(s.group(1))}.{int(s.group(2))}.u{int(s.group(3))}"
    a, b, c = m.group("id").split(".")
    return f"{int(a)}.{int(b):02d}.{int(c):02d}"


def control_of(measure_id: str) -> str:
    """Return the parent ISO/IEC 27002 control of a measure id, without padding.

    Args:
        measure_id: a measure id in any accepted spelling (``5.01.02``, ``5.1.2``).

    Returns:
        The control, e.g. ``5.1`` for ``5.01.02``.

    Raises:
        ValueError: ``measure_id`` is not a measure id.
    """
    a, b, _ = normalize_measure_id(measure_id).split(".")
    return f"{int(a)}.{int(b)}"


def _normalize_control(raw: str) -> str:
    m = _CONTROL_ID_RE.match(raw)
    if m is None:  # pragma: no cover - callers pass regex-matched controls
        msg = f"not an ISO/IEC 27002 control: {raw!r}"
        raise ValueError(msg)
    return f"{int(m.group(1))}.{int(m.group(2))}"


# -------------------------------------------------------------------------- text


def normalize_text(text: str) -> str:
    """Return the canonical form of a text for comparisons and fingerprints.

    NFC normalisation, every run of white space (including line breaks and
    non-breaking spaces) collapsed to one space, leading and trailing space
    removed. Case, punctuation and any encoding damage are kept.

    Args:
        text: any text.

    Returns:
        The normalised text.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(text: str) -> str:
    """Return a short stable fingerprint of a text.

    Args:
        text: any text; it is normalised with :func:`normalize_text` first.

    Returns:
        ``sha256:`` followed by the first 16 hex digits of the SHA-256 of the
        normalised text encoded as UTF-8.
    """
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
    return "sha256:" + digest[:16]


# ----------------------------------------------------------------- line patterns

# Every pattern below sees user text; each is linear in the length of a line (checked
# by tests/hostile and timed by benchmarks/bench_hostile.py). Closing hashes of a heading
# are stripped without a regular expression: "[ \t]+#+[ \t]*$" searched from every
# blank of a long run of blanks is quadratic.
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$|(?=[0-9]))(.*)$")
_MEASURE_HEAD_RE = re.compile(
    r"^(?:\[\s*kop\s*[0-9]+\s*\]\s*)?" + _ID + r"\.?(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
_KOP_PARA_RE = re.compile(
    r"^\s*\[\s*kop\s*[0-9]+\s*\]\s*" + _ID + r"\.?(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
_CONTROL_HEAD_RE = re.compile(
    r"^(?P<word>beheersmaatregel\s+)?(?P<ctl>[0-9]{1,2}\.[0-9]{1,2})(?![0-9])(?!\.[0-9])\.?"
    r"(?:\s+(?P<title>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_SECTION_HEAD_RE = re.compile(r"^verplichte\s+overheids\S*\s+maatregel(?:en)?\s*:?$", re.IGNORECASE)
_ADMONITION_RE = re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?)(?:\s|$)")
_QUOTE_RE = re.compile(r"^ {0,3}>")
_TAG_LABEL_RE = re.compile(r"(?:^|(?<=\s))[*_]{0,2}draagt\s+bij\s+aan\s*:[*_]{0,2}", re.IGNORECASE)
_SLOT_SENTENCE_RE = re.compile(
    r"^\s*bovenliggende\s+beheersmaatregel\s+is\s+niet\s+verplicht", re.IGNORECASE
)
_FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)\s*$")

# text pieces
# starts at "<br", never at a blank: blanks before it stay in the segment, which is stripped
_BR_SPLIT_RE = re.compile(r"((?:<br[ \t]*/?>[ \t]*)+)", re.IGNORECASE)
_BULLET_RE = re.compile(r"^([-*+•▪◦])\s+(.*)$", re.DOTALL)
_NUMBERED_RE = re.compile(
    r"^(?:([0-9]{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6}|[a-zA-Z])([.)])|\(([0-9]{1,3}|[a-zA-Z]{1,4})\))"
    r"\s+(.*)$",
    re.DOTALL,
)
# emphasis: the content may not contain the marker character, which keeps the
# matching linear on pathological input such as "*x *x *x ..."
_BOLD_RE = re.compile(r"\*\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*\*|__(?=[^\s_])([^_]+?)(?<=[^\s_])__")
_ITALIC_STAR_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE_RE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])")

# marker sentences (matched on the normalised text, case-insensitive)
_MOVED_RE = re.compile(
    r"^verplaatst\s+naar\s+(?:de\s+)?(?:overheids)?(?:maatregel\s+)?" + _ID + r".{0,80}$",
    re.IGNORECASE,
)
_SEE_RE = re.compile(
    r"^zie\s+(?:ook\s+)?(?:overheids)?(?:maatregel\s+)?" + _ID + r".{0,80}$", re.IGNORECASE
)
_WITHDRAWN_RE = re.compile(r"^(?:deze\s+maatregel\s+is\s+)?vervallen\b.{0,80}$", re.IGNORECASE)
_NO_MEASURE_MAX = 400  # a 'no measure' entry is one short statement
_NO_MEASURE_RE = re.compile(
    r"^(?:geen\s+(?:aanvullende\s+|overheids(?:specifieke\s+)?)?maatregel(?:en)?\b"
    r"|de\s+richtlijn\s+uit\s+de\s+iso[\s/-]*(?:iec\s*)?27002\b.*\bvan\s+toepassing)",
    re.IGNORECASE,
)

_NIS2_RE = re.compile(r"\bnis[\s-]?2\b", re.IGNORECASE)
_TAG_SPLIT_RE = re.compile(r"[\s,;/|+&]+")
_TAG_FILLERS = frozenset({"en", "and", "of", "ook"})
_TAG_PREFIXES: tuple[tuple[str, str], ...] = (
    ("basishyg", TAGS[0]),
    ("ketenhyg", TAGS[1]),
    ("overheidsrisic", TAGS[2]),
)
_NIS2 = "NIS2"
_TAG_STARTS = ("nis", *(prefix for prefix, _ in _TAG_PREFIXES))
_TOKEN_PUNCT = ".:;()[]'\"*_`“”‘’"


def _fold(token: str) -> str:
    if token.isascii():
        return token.casefold()
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _canon_tag(token: str) -> str | None:
    """Return the canonical tag (or ``NIS2``) for a token, None when unknown."""
    folded = _fold(token)
    if folded == "nis2":
        return _NIS2
    for prefix, tag in _TAG_PREFIXES:
        if folded.startswith(prefix):
            return tag
    return None


def _tag_tokens(text: str) -> list[str]:
    text = _NIS2_RE.sub("NIS2", text)
    out: list[str] = []
    for raw in _TAG_SPLIT_RE.split(text):
        tok = raw.strip(_TOKEN_PUNCT)
        if tok and _fold(tok) not in _TAG_FILLERS:
            out.append(tok)
    return out


def _unlabelled_tags(line: str) -> list[str] | None:
    """Return the tokens of an unlabelled (2024-06 style) tag line, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    if not _fold(stripped.lstrip(_TOKEN_PUNCT)[:16]).startswith(_TAG_STARTS):
        return None  # cheap test first: the first token must be a known tag
    tokens = _tag_tokens(stripped)
    if not tokens:
        return None
    known = [_canon_tag(t) is not None for t in tokens]
    if all(known):
        return tokens
    indent = len(line) - len(line.lstrip(" \t\xa0"))
    if (
        1 <= indent <= 3
        and known[0]
        and len(tokens) <= 8
        and not stripped.endswith(".")
        and not _NUMBERED_RE.match(stripped)
        and not _BULLET_RE.match(stripped)
    ):
        return tokens
    return None


def _strip_emphasis(text: str) -> str:
    if "*" in text or "_" in text:
        text = _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), text)
        text = _ITALIC_STAR_RE.sub(r"\1", text)
        text = _ITALIC_UNDERSCORE_RE.sub(r"\1", text)
    return text


def _clean(text: str) -> str:
    return " ".join(_strip_emphasis(text).split())


# ----------------------------------------------------------------- text builder

_PARA = 0
_LIST = 1
_NO_BREAK = 0
_LINE_BREAK = 1
_PARA_BREAK = 2


class _Text:
    """Accumulates the clean text of one measure, block by block."""

    __slots__ = ("blocks", "list_indent", "pending")

    def __init__(self) -> None:
        # each block: (kind, lines); a line is a list of pieces joined by one space
        # (a paragraph's lines are its hard lines, a list's lines its items)
        self.blocks: list[tuple[int, list[list[str]]]] = []
        self.pending = _NO_BREAK
        self.list_indent = 0

    def brk(self, kind: int) -> None:
        self.pending = max(self.pending, kind)

    def add_source_line(self, line: str, *, heading: bool = False) -> None:
        """Add one source line (or heading text) to the text."""
        if heading:
            self.brk(_PARA_BREAK)
        parts = _BR_SPLIT_RE.split(line) if "<" in line and ">" in line else [line]
        for i in range(0, len(parts), 2):
            if i:
                sep = parts[i - 1]
                self.brk(_PARA_BREAK if sep.lower().count("<br") >= 2 else _LINE_BREAK)
            seg = parts[i]
            if not seg.strip():
                continue
            indent = len(seg) - len(seg.lstrip(" \t\xa0")) if i == 0 and not heading else 0
            self._add_segment(seg.strip(), indent, heading=heading)
        if heading:
            self.brk(_PARA_BREAK)

    def _add_segment(self, content: str, indent: int, *, heading: bool) -> None:
        item = self._list_item(content)
        last = self.blocks[-1] if self.blocks else None
        if item is not None:
            if last is not None and last[0] == _LIST:
                nested = indent >= self.list_indent + 2
                last[1].append([("  " + item) if nested else item])
            else:
                self.list_indent = indent
                self.blocks.append((_LIST, [[item]]))
            self.pending = _NO_BREAK
            return
        text = _clean(content)
        if not text:
            return
        if last is not None and last[0] == _LIST:
            if self.pending == _NO_BREAK and indent >= 2 and not heading:
                last[1][-1].append(text)  # continuation of the last item
            else:
                self.blocks.append((_PARA, [[text]]))
        elif last is None or self.pending == _PARA_BREAK:
            self.blocks.append((_PARA, [[text]]))
        elif self.pending == _LINE_BREAK:
            last[1].append([text])
        else:
            last[1][-1].append(text)  # soft-wrapped line: joined with a space
        self.pending = _NO_BREAK

    @staticmethod
    def _list_item(content: str) -> str | None:
        m = _BULLET_RE.match(content)
        if m is not None:
            body = _clean(m.group(2))
            return "- " + body if body else None
        m = _NUMBERED_RE.match(content)
        if m is not None:
            body = _clean(m.group(4))
            if not body:
                return None
            label = f"({m.group(3)})" if m.group(3) is not None else m.group(1) + m.group(2)
            return f"{label} {body}"
        return None

    def render(self) -> str:
        return "\n\n".join(
            "\n".join(" ".join(pieces) for pieces in lines) for _, lines in self.blocks
        )


# --------------------------------------------------------------- measure builder


class _Measure:
    __slots__ = (
        "closed",
        "control",
        "end_line",
        "id",
        "in_quote",
        "line",
        "nis2",
        "numbered",
        "rationale",
        "raw_id",
        "tag_line",
        "tags",
        "text",
    )

    def __init__(self, mid: str, raw_id: str, control: str, line: int, *, numbered: bool) -> None:
        self.id = mid
        self.raw_id = raw_id
        self.control = control
        self.line = line
        self.end_line = line
        self.numbered = numbered
        self.text = _Text()
        self.tags: list[str] = []
        self.nis2 = False
        self.tag_line = False
        self.rationale = False
        self.closed = False
        self.in_quote = False

    def add_tags(self, tokens: list[str]) -> None:
        self.tag_line = True
        self.closed = True
        for tok in tokens:
            canon = _canon_tag(tok)
            if canon == _NIS2:
                self.nis2 = True
            elif canon is not None:
                self.tags.append(canon)
            else:
                self.tags.append(tok[:1].upper() + tok[1:])

    def finish(self) -> ParsedMeasure:
        text = self.text.render()
        norm = normalize_text(text)
        kind = "measure"
        target: str | None = None
        if (m := _MOVED_RE.match(norm)) is not None:
            kind, target = "moved", normalize_measure_id(m.group("id"))
        elif (m := _SEE_RE.match(norm)) is not None:
            kind, target = "see-other", normalize_measure_id(m.group("id"))
        elif _WITHDRAWN_RE.match(norm):
            kind = "withdrawn"
        elif len(norm) <= _NO_MEASURE_MAX and _NO_MEASURE_RE.match(norm):
            kind = "no-measure"
        known = [t for t in TAGS if t in self.tags]
        unknown: list[str] = []
        for t in self.tags:
            if t not in TAGS and t not in unknown:
                unknown.append(t)
        return ParsedMeasure(
            id=self.id,
            control=self.control,
            kind=kind,
            target=target,
            tags=tuple(known + unknown),
            nis2_flag=self.nis2,
            tag_line=self.tag_line,
            rationale=self.rationale,
            raw_id=self.raw_id,
            numbered=self.numbered,
            line=self.line,
            end_line=self.end_line,
            text=text,
        )


# ------------------------------------------------------------------------ parser

_PREAMBLE = 0
_CONTROL_TEXT = 1
_SECTION = 2
_MEASURE = 3
_LOOSE = 4  # after a rule or an unknown heading: nothing open


def _split_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def _heading(line: str) -> tuple[int, str] | None:
    if "#" not in line[:4]:
        return None
    m = _HEADING_RE.match(line)
    if m is None:
        return None
    return len(m.group(1)), _strip_closing_hashes(m.group(2)).strip()


def _is_rule(line: str) -> bool:
    """A thematic break (``---``, ``* * *``, ``___``): at most three leading spaces, then
    three or more of one of ``-*_`` and nothing else but blanks. Written without a
    regular expression: ``(?:-[ \t]*){3,}$`` backtracks over a long run that ends in
    something else."""
    body = line.lstrip(" ")
    if len(line) - len(body) > 3 or body[:1] not in ("-", "*", "_"):
        return False
    mark = body[0]
    return body.count(mark) >= 3 and not body.replace(mark, "").strip(" \t")


def _strip_closing_hashes(body: str) -> str:
    """Drop a closing ``###`` that follows a blank (``## 5.01 Titel ##``), in linear time."""
    end = body.rstrip(" \t")
    hashes = end.rstrip("#")
    if len(hashes) < len(end) and hashes[-1:] in (" ", "\t"):
        return hashes.rstrip(" \t")
    return body


class _Parser:
    """Single pass over the lines of a draft."""

    def __init__(self, lines: list[str], source: str) -> None:
        self.lines = lines
        self.source = source
        self.measures: list[ParsedMeasure] = []
        self.cur: _Measure | None = None
        self.state = _PREAMBLE
        self.control: str | None = None
        self.control_titles: dict[str, str] = {}
        self.unassigned: list[int] = []
        self.measure_level: int | None = None
        self.in_admonition = False
        self.unnumbered_per_control: dict[str, int] = {}
        self.n_labelled = 0
        self.n_unlabelled = 0
        self.n_rationale = 0

    # -- helpers
    def _close_current(self) -> None:
        if self.cur is not None:
            self.measures.append(self.cur.finish())
            self.cur = None

    def _start_measure(self, raw_id: str, rest: str, lineno: int, level: int | None) -> None:
        self._close_current()
        mid = normalize_measure_id(raw_id)
        if level is not None and self.measure_level is None:
            self.measure_level = level
        self.control = control_of(mid)
        self.cur = _Measure(mid, raw_id, self.control, lineno, numbered=True)
        if rest.strip():
            self.cur.text.add_source_line(rest, heading=True)
        self.cur.text.brk(_PARA_BREAK)
        self.state = _MEASURE

    def _start_unnumbered(self, body: str, lineno: int) -> bool:
        if self.control is None:
            return False
        self._close_current()
        n = self.unnumbered_per_control.get(self.control, 0) + 1
        self.unnumbered_per_control[self.control] = n
        self.cur = _Measure(f"{self.control}.u{n}", "", self.control, lineno, numbered=False)
        self.cur.text.add_source_line(body, heading=True)
        self.state = _MEASURE
        return True

    def _unplaced(self, lineno: int) -> None:
        self.unassigned.append(lineno)

    # -- main loop
    def run(self) -> ParsedDraft:
        lines = self.lines
        start = 0
        if lines and lines[0].strip() == "---":
            for j in range(1, len(lines)):
                if _FRONT_MATTER_END_RE.match(lines[j]):
                    start = j + 1
                    break
        for idx in range(start, len(lines)):
            self._line(lines[idx], idx + 1)
        self._close_current()
        if not self.measures:
            if not any(ln.strip() for ln in lines):
                msg = "no BIO2 measures found: the text is empty"
            else:
                msg = (
                    "no BIO2 measures found: no heading or '[Kop 9]' paragraph starts with a"
                    f" measure id such as '5.01.01' in {len(lines)} lines"
                )
            raise DraftParseError(self.source, "line 1", "", msg)
        return ParsedDraft(
            layout=self._layout(),
            measures=tuple(self.measures),
            control_titles=MappingProxyType(dict(self.control_titles)),
            unassigned=tuple(self.unassigned),
            source=self.source,
        )

    def _layout(self) -> str:
        if self.control_titles:
            if self.n_unlabelled > self.n_labelled or (self.measure_level or 0) >= 4:
                return "2024-06"
            return "2024-10" if self.n_rationale else "1.1"
        return "1.2" if (self.n_labelled or self.n_unlabelled) else "1.3"

    def _line(self, line: str, lineno: int) -> None:
        """Read one line: structure first (blank, heading, Kop paragraph, rule,
        admonition), then what it adds to the measure being read."""
        if not line.strip():
            self._blank_line()
            return
        if self.in_admonition:
            if line.startswith(("    ", "\t")):
                return
            self.in_admonition = False
        head = _heading(line)
        if head is not None:
            self._heading_line(head[0], head[1], lineno)
            return
        if self.state == _PREAMBLE:
            self._preamble_line(line, lineno)
        elif not self._structure_line(line, lineno):
            self._body_line(line, lineno)

    def _blank_line(self) -> None:
        if self.cur is not None:
            self.cur.in_quote = False
            self.cur.text.brk(_PARA_BREAK)

    def _preamble_line(self, line: str, lineno: int) -> None:
        """Before the first measure or control: only a '[Kop 9]' measure paragraph or an
        admonition counts."""
        m = _KOP_PARA_RE.match(line)
        if m is not None:
            self._start_measure(m.group("id"), m.group("rest"), lineno, None)
        elif _ADMONITION_RE.match(line):
            self.in_admonition = True

    def _structure_line(self, line: str, lineno: int) -> bool:
        """A '[Kop 9]' measure paragraph, a horizontal rule or an admonition: True if so."""
        m = _KOP_PARA_RE.match(line) if "[" in line[:8] else None
        if m is not None:
            self._start_measure(m.group("id"), m.group("rest"), lineno, None)
            return True
        if _is_rule(line):
            self._close_current()
            self.state = _LOOSE
            return True
        if _ADMONITION_RE.match(line):
            self.in_admonition = True
            return True
        return False

    def _body_line(self, line: str, lineno: int) -> None:
        """A line of running text: a rationale quote, a tag line or the measure's text."""
        cur = self.cur
        if _QUOTE_RE.match(line):
            self._quote_line(lineno)
            return
        label = _TAG_LABEL_RE.search(line)
        if label is not None:
            self._labelled_tags(line, label, lineno)
            return
        if self.state == _CONTROL_TEXT:
            return  # the ISO control text: recognised, never measure text
        if cur is None:
            self._unplaced(lineno)
            return
        if cur.in_quote:  # lazy continuation of the rationale blockquote
            cur.end_line = lineno
            return
        if _SLOT_SENTENCE_RE.match(line):
            cur.tag_line = True
            cur.closed = True
            cur.end_line = lineno
            return
        tokens = _unlabelled_tags(line) if cur.text.blocks else None
        if tokens is not None:
            self.n_unlabelled += 1
            cur.add_tags(tokens)
            cur.end_line = lineno
            return
        cur.text.add_source_line(line)
        cur.end_line = lineno

    def _quote_line(self, lineno: int) -> None:
        """A '>' line: the rationale of the measure being read, which closes it."""
        cur = self.cur
        if cur is None:
            self._unplaced(lineno)
            return
        if not cur.rationale:
            self.n_rationale += 1
        cur.rationale = True
        cur.closed = True
        cur.in_quote = True
        cur.end_line = lineno

    def _labelled_tags(self, line: str, label: re.Match[str], lineno: int) -> None:
        """A line with a tag label: the tags after it, any text before it."""
        self.n_labelled += 1
        cur = self.cur
        if cur is None:
            self._unplaced(lineno)
            return
        before = line[: label.start()]
        if before.strip():
            cur.text.add_source_line(before)
        cur.add_tags(_tag_tokens(line[label.end() :]))
        cur.in_quote = False
        cur.end_line = lineno

    def _heading_line(self, level: int, body: str, lineno: int) -> None:
        m = _MEASURE_HEAD_RE.match(body)
        if m is not None:
            self._start_measure(m.group("id"), m.group("rest"), lineno, level)
            return
        c = _CONTROL_HEAD_RE.match(body)
        if c is not None and (
            c.group("word") is not None
            # a bare '5.01 <titel>' heading only for ISO/IEC 27002 themes 5-8, above
            # the measure headings (so '# 1.2 Wijzigingen' in an intro is no control)
            or (
                c.group("ctl")[0] in "5678"
                and c.group("ctl")[1] == "."
                and (self.measure_level is None or level < self.measure_level)
            )
        ):
            self._close_current()
            self.control = _normalize_control(c.group("ctl"))
            self.control_titles[self.control] = " ".join((c.group("title") or "").split())
            self.state = _CONTROL_TEXT
            return
        if self.state == _PREAMBLE:
            return
        if _SECTION_HEAD_RE.match(body):
            self._close_current()
            self.state = _SECTION
            return
        at_measure_level = self.measure_level is None or level >= self.measure_level
        cur = self.cur
        if at_measure_level and cur is not None and not cur.closed:
            # continuation heading: part of the open measure's text
            cur.text.add_source_line(body, heading=True)
            cur.end_line = lineno
            return
        if (
            at_measure_level
            and body
            and (cur is not None or self.state == _SECTION)
            and self._start_unnumbered(body, lineno)
        ):
            return
        if self.state == _CONTROL_TEXT:
            return
        self._close_current()
        self.state = _LOOSE
        self._unplaced(lineno)


def parse(text: str, *, source: str = "<string>") -> ParsedDraft:
    """Parse the markdown of a BIO2 draft.

    Args:
        text: the content of a ``maatregelen.md`` (any published layout).
        source: name used in the result and in error messages.

    Returns:
        The parsed draft.

    Raises:
        TypeError: ``text`` or ``source`` is not a str.
        DraftParseError: the text holds no BIO2 measure at all.
    """
    for param, value in (("text", text), ("source", source)):
        if not isinstance(value, str):
            msg = f"{param} must be a str, got {type(value).__name__}"
            raise TypeError(msg)
    return _Parser(_split_lines(text), source).run()


def parse_file(path: str | os.PathLike[str]) -> ParsedDraft:
    """Read a draft file as UTF-8 and parse it.

    ``-`` reads standard input, and a pipe such as ``<(git show ...)`` is read to its
    end; a folder, a device, a named pipe or a file over 16 MiB is refused (see
    :mod:`bio2map.core.userfiles`). A UTF-16 file with a byte order mark is read too.

    Args:
        path: the file; its name becomes ``ParsedDraft.source``.

    Returns:
        The parsed draft.

    Raises:
        TypeError: ``path`` is not a str or path.
        SourceError: the file cannot be read or is refused.
        DraftParseError: the file is not valid UTF-8, or holds no BIO2 measure.
    """
    shown = check_path(path, "path")
    source = "<stdin>" if shown == "-" else Path(shown).name
    try:
        _, data = read_user_bytes(shown, MARKDOWN)
    except DataError as exc:
        msg = f"cannot read BIO2 draft {exc}"
        raise SourceError(msg) from None
    try:
        text = decode_text(data, source, MARKDOWN)
    except DataError as exc:
        raise DraftParseError(source, exc.location, "", exc.message) from None
    return parse(text, source=source)
