"""Tests of the BIO2 draft markdown parser.

The corpus tests read the seven drafts from the shared folder at run time (they skip
when it is absent) and compare with the counts in its ``MANIFEST.toml``. No corpus
text is copied here: expectations are ids, short marker phrases and values computed
from the raw files by independent, simpler scans. Synthetic drafts use made-up words.

For all seven real drafts ``unassigned`` is empty, and no draft repeats an id (also
after zero padding), so there is nothing to justify.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from bio2map.core.errors import DataError, DraftParseError, SourceError
from bio2map.drafts.parser import (
    KINDS,
    TAGS,
    ParsedDraft,
    ParsedMeasure,
    control_of,
    fingerprint,
    normalize_measure_id,
    normalize_text,
    parse,
    parse_file,
)

SLUGS = [
    "2024-06-draft",
    "2024-10-consultation",
    "2025-03-concept",
    "1.1",
    "1.1.1",
    "1.2",
    "1.3",
]
LAYOUT = {
    "2024-06-draft": "2024-06",
    "2024-10-consultation": "2024-10",
    "2025-03-concept": "2024-10",
    "1.1": "1.1",
    "1.1.1": "1.1",
    "1.2": "1.2",
    "1.3": "1.3",
}
CONTROL_LAYOUTS = ["2024-06-draft", "2024-10-consultation", "2025-03-concept", "1.1", "1.1.1"]
LABELLED_TAG_DRAFTS = ["2024-10-consultation", "2025-03-concept", "1.1", "1.1.1", "1.2"]


# --------------------------------------------------------------------------- helpers


@cache
def _parsed(path: Path) -> ParsedDraft:
    return parse_file(path)


@cache
def _raw_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def _path(shared: Path, slug: str) -> Path:
    return shared / "corpus" / "bio2" / slug / "maatregelen.md"


@pytest.fixture
def draft_of(shared: Path, drafts: dict[str, dict[str, Any]]) -> Callable[[str], ParsedDraft]:
    def get(slug: str) -> ParsedDraft:
        assert slug in drafts, f"{slug} is not in MANIFEST.toml"
        return _parsed(_path(shared, slug))

    return get


@pytest.fixture
def raw_of(shared: Path) -> Callable[[str], tuple[str, ...]]:
    def get(slug: str) -> tuple[str, ...]:
        return _raw_lines(_path(shared, slug))

    return get


def _by_id(draft: ParsedDraft) -> dict[str, ParsedMeasure]:
    return {m.id: m for m in draft.measures}


def _numbered(draft: ParsedDraft) -> list[ParsedMeasure]:
    return [m for m in draft.measures if m.numbered]


# ------------------------------------------------------------ corpus: manifest counts


@pytest.mark.parametrize("slug", SLUGS)
def test_counts_match_manifest(
    slug: str, drafts: dict[str, dict[str, Any]], draft_of: Callable[[str], ParsedDraft]
) -> None:
    entry = drafts[slug]
    draft = draft_of(slug)
    numbered = _numbered(draft)
    kinds = Counter(m.kind for m in numbered)
    got = {
        "measure_ids": len(numbered),
        "real_measures": kinds["measure"],
        "no_measure_ids": kinds["no-measure"],
        "moved_markers": kinds["moved"],
        "withdrawn_markers": kinds["withdrawn"],
        "see_markers": kinds["see-other"],
        "unnumbered_measure_headings": sum(not m.numbered for m in draft.measures),
        "tag_lines": sum(m.tag_line for m in numbered),
        "rationale_blocks": sum(m.rationale for m in numbered),
    }
    want = {k: entry[k] for k in got}
    assert got == want


@pytest.mark.parametrize("slug", SLUGS)
def test_structure_invariants(slug: str, draft_of: Callable[[str], ParsedDraft]) -> None:
    draft = draft_of(slug)
    assert draft.layout == LAYOUT[slug]
    assert draft.source == "maatregelen.md"
    # every non-empty line of the measures part is placed: nothing unassigned
    assert draft.unassigned == ()
    # no real draft repeats an id, also not after zero padding
    ids = [m.id for m in draft.measures]
    assert len(ids) == len(set(ids))
    raw_ids = [normalize_measure_id(m.raw_id) for m in draft.measures if m.numbered]
    assert len(raw_ids) == len(set(raw_ids))
    previous_end = 0
    for m in draft.measures:
        assert m.kind in KINDS
        assert previous_end < m.line <= m.end_line
        previous_end = m.end_line
        known = [t for t in m.tags if t in TAGS]
        assert known == [t for t in TAGS if t in known]
        assert m.text == m.text.strip()
        assert "<br" not in m.text.lower()
        assert "\xa0" not in m.text
        assert not any(line != line.rstrip() for line in m.text.split("\n"))
        assert "draagt bij aan" not in m.text.lower()
        assert not m.text.startswith("#")
        if m.numbered:
            assert m.id == normalize_measure_id(m.id)
            assert m.control == control_of(m.id)
            assert normalize_measure_id(m.raw_id) == m.id
            assert re.fullmatch(r"\d\.\d\d\.\d\d", m.id)
        else:
            assert m.raw_id == ""
            assert m.id.startswith(m.control + ".u")
        if m.kind in ("moved", "see-other"):
            assert m.target is not None
            assert m.target == normalize_measure_id(m.target)
        else:
            assert m.target is None
    assert isinstance(draft.control_titles, MappingProxyType)


@pytest.mark.parametrize("slug", CONTROL_LAYOUTS)
def test_control_titles_and_iso_text_kept_out(
    slug: str, draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    draft = draft_of(slug)
    assert set(draft.control_titles) == {m.control for m in draft.measures}
    assert len(draft.control_titles) == 93
    assert all(title.strip() == title and title for title in draft.control_titles.values())
    # independent scan: the ISO control text is what stands between a control heading
    # and the next heading; none of it may leak into a measure text
    measure_text = "\n".join(normalize_text(m.text) for m in draft.measures)
    control_lines: list[str] = []
    inside = False
    for line in raw_of(slug):
        if re.match(r"#+ Beheersmaatregel ", line):
            inside = True
        elif line.startswith("#"):
            inside = False
        elif inside and line.strip():
            control_lines.append(normalize_text(line))
    assert len(control_lines) == 93
    assert not [c for c in control_lines if c in measure_text]


@pytest.mark.parametrize("slug", ["1.2", "1.3"])
def test_layouts_without_control_headings(
    slug: str, draft_of: Callable[[str], ParsedDraft]
) -> None:
    assert dict(draft_of(slug).control_titles) == {}


# ------------------------------------------------------------------ corpus: 2024-06


def test_2024_06_unpadded_and_glued_ids(draft_of: Callable[[str], ParsedDraft]) -> None:
    by_id = _by_id(draft_of("2024-06-draft"))
    for raw, norm in [
        ("5.10.3", "5.10.03"),
        ("5.10.4", "5.10.04"),
        ("5.20.4", "5.20.04"),
        ("8.31.2", "8.31.02"),
    ]:
        assert by_id[norm].raw_id == raw
        assert by_id[norm].control == control_of(norm)
    glued = by_id["5.10.01"]
    assert glued.raw_id == "5.10.01"
    assert glued.kind == "measure"
    assert glued.text[:1].isalpha()  # the id is not left in the text
    assert "5.10.01" not in glued.text


def test_2024_06_kop9_paragraphs(
    draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    by_id = _by_id(draft_of("2024-06-draft"))
    kop_lines = {
        re.search(r"\d+\.\d+\.\d+", line).group(0): n  # type: ignore[union-attr]
        for n, line in enumerate(raw_of("2024-06-draft"), 1)
        if line.startswith("[Kop 9]")
    }
    assert set(kop_lines) == {"5.24.06", "8.13.06", "8.15.06"}
    for mid, lineno in kop_lines.items():
        m = by_id[mid]
        assert m.numbered
        assert m.line == lineno
        assert m.kind == "measure"
        assert "Kop" not in m.text
        assert m.tag_line
    assert by_id["5.24.06"].rationale is False  # the one numbered measure without one
    assert by_id["5.24.06"].tags == ("Basishygiëne",)
    assert by_id["5.24.06"].nis2_flag
    # its six bullets are kept as list items
    assert sum(line.startswith("- ") for line in by_id["5.24.06"].text.split("\n")) == 6
    assert [m.id for m in _numbered(draft_of("2024-06-draft")) if not m.rationale] == ["5.24.06"]


def test_2024_06_unnumbered_heading_is_its_own_measure(
    draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    draft = draft_of("2024-06-draft")
    unnumbered = [m for m in draft.measures if not m.numbered]
    assert len(unnumbered) == 1
    m = unnumbered[0]
    assert (m.id, m.control, m.raw_id, m.kind) == ("5.25.u1", "5.25", "", "measure")
    assert m.tag_line
    assert m.rationale
    assert m.tags == ("Basishygiëne",)
    assert m.nis2_flag
    assert raw_of("2024-06-draft")[m.line - 1].startswith("####  ")
    ids = [x.id for x in draft.measures]
    assert ids[ids.index("5.25.u1") - 1] == "5.25.01"
    previous = _by_id(draft)["5.25.01"]
    assert previous.end_line < m.line
    assert previous.tags == ("Basishygiëne", "Overheidsrisico")
    assert normalize_text(m.text) not in normalize_text(previous.text)


def test_2024_06_slot_sentence_is_an_empty_tag_line(
    draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    draft = draft_of("2024-06-draft")
    by_id = _by_id(draft)
    slot_lines = [n for n, line in enumerate(raw_of("2024-06-draft"), 1) if "Bovenliggende" in line]
    assert len(slot_lines) == 37
    holders = [m for m in draft.measures if any(m.line < n <= m.end_line for n in slot_lines)]
    assert len(holders) == 37
    for m in holders:
        assert m.tag_line
        assert m.tags == ()
        assert not m.nis2_flag
    assert all("Bovenliggende" not in m.text for m in draft.measures)
    # five real measures carry the sentence, the rest are 'no measure' entries
    real = sorted(m.id for m in holders if m.kind == "measure")
    assert real == ["7.10.01", "7.10.02", "7.10.03", "8.18.01", "8.19.01"]
    assert sum(m.kind == "no-measure" for m in holders) == 32
    # no-measure entries with an ordinary tag line
    assert by_id["5.13.01"].kind == "no-measure"
    assert by_id["5.13.01"].tags == ("Ketenhygiëne",)
    assert not by_id["5.13.01"].nis2_flag


def test_2024_06_tags_and_kinds(draft_of: Callable[[str], ParsedDraft]) -> None:
    by_id = _by_id(draft_of("2024-06-draft"))
    assert by_id["5.01.01"].tags == ("Basishygiëne", "Ketenhygiëne")
    assert by_id["5.01.01"].nis2_flag
    assert by_id["5.05.01"].tags == ("Ketenhygiëne",)
    assert not by_id["5.05.01"].nis2_flag
    # "De richtlijn uit de iso 27002 ... is van toepassing" is a no-measure entry
    assert by_id["5.07.01"].kind == "no-measure"
    assert by_id["5.18.01"].kind == "no-measure"
    assert by_id["5.03.01"].kind == "no-measure"
    assert by_id["5.03.01"].text == "Geen aanvullende maatregel"
    assert by_id["7.14.01"].kind == "measure"
    # the empty blockquote under 6.03.02 still counts as a rationale block
    assert by_id["6.03.02"].rationale
    # nested numbered list (5.17.01): three sub-items indented under item 1
    lines = by_id["5.17.01"].text.split("\n")
    assert sum(line.startswith("  ") for line in lines) == 3
    assert [line[:3] for line in lines if re.match(r"\d\. ", line)] == ["1. ", "2. ", "3. ", "4. "]


# ---------------------------------------------------------- corpus: 2024-10 .. 1.1.1


def test_2024_10_padding_and_empty_tag_lines(draft_of: Callable[[str], ParsedDraft]) -> None:
    for slug in ["2024-10-consultation", "2025-03-concept"]:
        draft = draft_of(slug)
        by_id = _by_id(draft)
        assert by_id["6.01.01"].raw_id == "6.01.1"
        assert by_id["6.01.01"].control == "6.1"
        empty = [m for m in draft.measures if m.tag_line and not m.tags and not m.nis2_flag]
        assert len(empty) == 33
        assert by_id["5.03.01"].kind == "no-measure"
        assert by_id["5.03.01"].tags == ()
        assert by_id["5.01.01"].tags == ("Basishygiëne", "Ketenhygiëne")
        assert by_id["5.01.01"].nis2_flag
        # encoding damage is kept as is
        assert any("Î" in m.text or "oís" in m.text for m in draft.measures)


def test_2024_10_lazy_blockquote_line(
    draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    m = _by_id(draft_of("2024-10-consultation"))["5.14.02"]
    raw = raw_of("2024-10-consultation")
    body = list(enumerate(raw[m.line : m.end_line], m.line + 1))
    quote_lines = [n for n, line in body if line.startswith(">")]
    lazy = [
        n for n, line in body if n > quote_lines[0] and line.strip() and not line.startswith(">")
    ]
    assert len(lazy) == 1
    assert m.end_line > lazy[0]  # the lazy line belongs to this measure's rationale
    assert normalize_text(raw[lazy[0] - 1]) not in normalize_text(m.text)
    assert m.rationale
    assert m.tags == ("Basishygiëne",)
    assert m.nis2_flag


@pytest.mark.parametrize(("slug", "expected"), [("2025-03-concept", 1), ("1.1", 4), ("1.1.1", 12)])
def test_continuation_headings_fold_into_the_measure(
    slug: str,
    expected: int,
    draft_of: Callable[[str], ParsedDraft],
    raw_of: Callable[[str], tuple[str, ...]],
) -> None:
    draft = draft_of(slug)
    raw = raw_of(slug)
    idless = [
        n
        for n, line in enumerate(raw, 1)
        if line.startswith("### ") and not re.match(r"### \d+\.\d+\.\d+", line)
    ]
    with_continuations = {
        m.id for m in draft.measures if any(m.line < n <= m.end_line for n in idless)
    }
    assert len(with_continuations) == expected
    assert all(m.numbered for m in draft.measures)
    for m in draft.measures:
        if m.id in with_continuations:
            assert "\n\n" in m.text or "\n" in m.text
    if slug == "2025-03-concept":
        assert with_continuations == {"5.04.01"}


def test_1_1_1_list_items_written_as_headings(draft_of: Callable[[str], ParsedDraft]) -> None:
    m = _by_id(draft_of("1.1.1"))["5.15.01"]
    lines = m.text.split("\n")
    assert [line[:3] for line in lines if re.match(r"\d\. ", line)] == ["1. ", "2. "]
    assert "#" not in m.text
    assert m.tags == ("Basishygiëne", "Ketenhygiëne")
    assert not m.nis2_flag


@pytest.mark.parametrize("slug", LABELLED_TAG_DRAFTS)
def test_tags_equal_an_independent_scan(
    slug: str, draft_of: Callable[[str], ParsedDraft], raw_of: Callable[[str], tuple[str, ...]]
) -> None:
    """The contribution tags of every measure equal what the draft says.

    For 1.2 this covers all 160 ids, including 5.20.03 whose tag phrase is glued to
    the end of its last text line.
    """
    canon = {t.lower(): t for t in TAGS}
    expected: dict[str, tuple[tuple[str, ...], bool]] = {}
    current: str | None = None
    for line in raw_of(slug):
        head = re.match(r"#+ (\d+\.\d+\.\d+)", line)
        if head:
            current = normalize_measure_id(head.group(1))
            continue
        if line.startswith("# "):
            current = None
        found = re.search(r"Draagt bij aan:(.*)$", line)
        if found and current is not None:
            words = [w for w in re.split(r"[,\s]+", found.group(1)) if w]
            tags = tuple(t for t in TAGS if t.lower() in {w.lower() for w in words})
            assert all(w.lower() in canon or w == "NIS2" for w in words)
            expected[current] = (tags, "NIS2" in words)
    draft = draft_of(slug)
    got = {m.id: (m.tags, m.nis2_flag) for m in draft.measures}
    assert len(expected) == len(draft.measures)
    assert got == expected
    if slug == "1.2":
        assert len(expected) == 160
        m = _by_id(draft)["5.20.03"]
        assert m.tags == ("Basishygiëne", "Ketenhygiëne")
        assert m.tag_line
        assert m.text.endswith(".")  # the text before the glued phrase stays text


# ---------------------------------------------------------------- corpus: 1.2 / 1.3


def test_1_2_text_cleaning(draft_of: Callable[[str], ParsedDraft]) -> None:
    draft = draft_of("1.2")
    by_id = _by_id(draft)
    assert by_id["5.03.01"].kind == "no-measure"
    assert by_id["5.03.01"].tags == ("Overheidsrisico",)
    # '<br><br>' joins become paragraph breaks
    assert by_id["5.14.05"].text.count("\n\n") == 1
    # bullets are normalised to '- '
    assert sum(line.startswith("- ") for line in by_id["8.15.01"].text.split("\n")) == 6
    assert not any(line.startswith("* ") for m in draft.measures for line in m.text.split("\n"))


def test_1_3_markers(draft_of: Callable[[str], ParsedDraft]) -> None:
    draft = draft_of("1.3")
    by_id = _by_id(draft)
    moved = {m.id: m.target for m in draft.measures if m.kind == "moved"}
    assert moved == {
        "5.04.02": "5.10.02",
        "5.04.03": "5.10.03",
        "5.24.06": "5.21.05",
        "5.25.01": "5.26.02",
        "5.26.01": "5.25.02",  # points at an id that does not exist: kept as written
    }
    assert "5.25.02" not in by_id
    assert by_id["5.04.02"].text == "Verplaatst naar 5.10.02."
    withdrawn = sorted(m.id for m in draft.measures if m.kind == "withdrawn")
    assert withdrawn == ["5.21.01", "5.35.01", "7.01.01", "8.24.03"]
    assert by_id["5.21.01"].text == "Vervallen."
    see = [(m.id, m.target) for m in draft.measures if m.kind == "see-other"]
    assert see == [("8.08.06", "5.24.08")]
    assert by_id["8.08.06"].text == "Zie overheidsmaatregel 5.24.08."
    assert not any(m.tag_line or m.tags or m.rationale for m in draft.measures)
    # 8.16.03 carries a verbatim copy of 8.16.02's text
    assert fingerprint(by_id["8.16.03"].text) == fingerprint(by_id["8.16.02"].text)
    assert by_id["5.02.01"].text.count("\n- ") == 2


# Parsing speed is measured by benchmarks/bench_parse.py, never by a timed test.


# ------------------------------------------------------------------- synthetic drafts

SYNTHETIC = """\
---
title: Flombrix
---

# Zorvak plimten

!!! warning "Quendel"
    Brasko 5.01.01 tralm.

## Beheersmaatregel 5.01 Vramble torsk

Quibble marsh dervin.

### Verplichte overheidsspecifieke maatregelen

### 5.01.01 Zandor pluvik **trenko** bast.
Grelmo sniv
wobbel fant.<br><br>
1. Eerst plonk;
2. dan *snar*.

- kribbel
   voort
- _drubs_

Draagt bij aan: basishygiene, NIS 2, Flurbo, ketenhygiëne

> verwerkte opmerkingen:
> #1 gronk
lazy brimble

### Blorfen heading zonder nummer

Draagt bij aan: Overheidsrisico

### 5.1.2 Verplaatst naar 5.1.3

Draagt bij aan:

---

Strandel kwop.

## Beheersmaatregel 5.02 Plonter

Vask.

### 5.02.01 vervallen<br>

### 5.02.02 Zie maatregel 5.2.1

### 5.02.03 geen overheidsmaatregel, zie elders.

### 5.02.01 Dubbel grimsel.
"""


def test_synthetic_draft() -> None:
    draft = parse(SYNTHETIC, source="x.md")
    assert draft.source == "x.md"
    assert draft.layout == "2024-10"
    assert [m.id for m in draft.measures] == [
        "5.01.01",
        "5.1.u1",
        "5.01.02",
        "5.02.01",
        "5.02.02",
        "5.02.03",
        "5.02.01",  # duplicates are kept, in document order
    ]
    first = draft.measures[0]
    assert first.text == (
        "Zandor pluvik trenko bast.\n\n"
        "Grelmo sniv wobbel fant.\n\n"
        "1. Eerst plonk;\n2. dan snar.\n- kribbel voort\n- drubs"
    )
    assert first.tags == ("Basishygiëne", "Ketenhygiëne", "Flurbo")
    assert first.nis2_flag
    assert first.tag_line
    assert first.rationale
    lines = SYNTHETIC.split("\n")
    assert lines[first.end_line - 1] == "lazy brimble"
    unnumbered = draft.measures[1]
    assert (unnumbered.numbered, unnumbered.raw_id, unnumbered.control) == (False, "", "5.1")
    assert unnumbered.text == "Blorfen heading zonder nummer"
    assert unnumbered.tags == ("Overheidsrisico",)
    moved = draft.measures[2]
    assert (moved.kind, moved.target, moved.raw_id) == ("moved", "5.01.03", "5.1.2")
    assert moved.tag_line
    assert moved.tags == ()
    assert [m.kind for m in draft.measures[3:]] == [
        "withdrawn",
        "see-other",
        "no-measure",
        "measure",
    ]
    assert draft.measures[4].target == "5.02.01"
    # the stray line after the rule is reported, not dropped
    assert draft.unassigned == (lines.index("Strandel kwop.") + 1,)
    assert dict(draft.control_titles) == {"5.1": "Vramble torsk", "5.2": "Plonter"}
    with pytest.raises(TypeError):
        draft.control_titles["5.3"] = "x"  # type: ignore[index]


def test_synthetic_id_only_layout_with_glued_tags() -> None:
    text = (
        "# DEEL 2 TRIMBLE\n\nIntro plonk.\n\n"
        "## 6.01.01 \nVorp snabble.<br><br>\nKlimber\ndrost. Draagt bij aan: Ketenhygiëne\n\n"
        "## 6.01.02\nGeen overheidsmaatregel, zie plonk.<br><br>\n"
    )
    draft = parse(text)
    assert draft.layout == "1.2"
    a, b = draft.measures
    assert a.text == "Vorp snabble.\n\nKlimber drost."
    assert a.tags == ("Ketenhygiëne",)
    assert (b.kind, b.tag_line, b.text) == (
        "no-measure",
        False,
        "Geen overheidsmaatregel, zie plonk.",
    )
    assert draft.unassigned == ()


def test_synthetic_unlabelled_tags_and_slot_sentence() -> None:
    text = (
        "## Beheersmaatregel 7.02 Trobel\n\nSnork.\n\n"
        "### Verplichte overheidsspecifieke maatregelen\n\n"
        "#### 7.02.01 Plimsel vark.\n\n  ketenhygiëne NIS2, Basishygiëne\n\n> Zwoep\n\n"
        "#### 7.02.2 Geen aanvullende maatregel\n\n"
        "  Bovenliggende beheersmaatregel is niet verplicht, blorp.\n\n> Kwast\n\n---\n"
    )
    draft = parse(text)
    assert draft.layout == "2024-06"
    a, b = draft.measures
    assert (a.tags, a.nis2_flag, a.text) == (
        ("Basishygiëne", "Ketenhygiëne"),
        True,
        "Plimsel vark.",
    )
    assert (b.id, b.raw_id, b.kind, b.tag_line, b.tags) == (
        "7.02.02",
        "7.02.2",
        "no-measure",
        True,
        (),
    )
    assert b.text == "Geen aanvullende maatregel"


def test_bare_control_headings_variant() -> None:
    text = (
        "# 1.2 Wijzigingen\n\nBlorp.\n\n# 5.01 Zwaan\n\nIso plonk.\n\n### 5.01.01 Zwik.\n\n"
        "## 5.02 Twee\n\n### 5.02.01 Vlam.\n"
    )
    draft = parse(text)
    assert dict(draft.control_titles) == {"5.1": "Zwaan", "5.2": "Twee"}
    assert [m.text for m in draft.measures] == ["Zwik.", "Vlam."]
    assert draft.unassigned == ()


def test_kop9_paragraph_and_nbsp() -> None:
    text = "## 5.24.05\nTrams\xa0vlok.\n\n[Kop 9] 5.24.06 Brolm\xa0pank  \n- zwik\n"
    a, b = parse(text).measures
    assert a.text == "Trams vlok."
    assert (b.id, b.line, b.text) == ("5.24.06", 4, "Brolm pank\n\n- zwik")


def test_br_and_line_breaks() -> None:
    m = parse("## 5.05.01\nEen<br>twee<br/><br>drie\nvier  \n").measures[0]
    assert m.text == "Een\ntwee\n\ndrie vier"


@pytest.mark.parametrize(
    ("body", "kind", "target"),
    [
        ("Verplaatst naar 5.1.2", "moved", "5.01.02"),
        ("verplaatst naar overheidsmaatregel 5.10.02 (samengevoegd).", "moved", "5.10.02"),
        ("VERVALLEN", "withdrawn", None),
        ("Vervallen.<br><br>", "withdrawn", None),
        ("  Vervallen .  ", "withdrawn", None),
        ("Zie maatregel 5.24.8", "see-other", "5.24.08"),
        ("zie ook overheidsmaatregel 5.24.08.<br>", "see-other", "5.24.08"),
        ("Geen overheidsmaatregel.<br><br>Zie de inleiding.", "no-measure", None),
        ("geen aanvullende maatregel", "no-measure", None),
        (
            "De richtlijn uit de ISO 27002 bij beheersmaatregel 8.1 is van toepassing",
            "no-measure",
            None,
        ),
        ("Geen overheidsmaatregel, " + "blorp " * 80, "measure", None),
        ("Blorp verplaatst naar 5.10.02.", "measure", None),
        ("Zwik, zie overheidsmaatregel 5.24.08.", "measure", None),
    ],
)
def test_marker_variants(body: str, kind: str, target: str | None) -> None:
    m = parse(f"## 5.01.01\n{body}\n").measures[0]
    assert (m.kind, m.target) == (kind, target)


def test_stray_structure_in_control_text_is_reported() -> None:
    text = (
        "# Beheersmaatregel 5.01 Blorp\n\nZwik.\n> verdwaald\nDraagt bij aan: Basishygiëne\n\n"
        "## Verplichte overheidsspecifieke maatregelen\n\nLos plonk.\n\n### 5.01.01 Trams.\n"
    )
    draft = parse(text)
    assert draft.unassigned == (4, 5, 9)
    assert draft.measures[0].text == "Trams."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "Just some prose without any measure.\n",
        "# Title\n\n## Beheersmaatregel 5.01 Only a control\n\nText.\n",
        "5.01.01 not a heading\n",
    ],
)
def test_no_measures_raises(text: str) -> None:
    with pytest.raises(DraftParseError) as info:
        parse(text, source="empty.md")
    err = info.value
    assert isinstance(err, DataError)
    assert isinstance(err, ValueError)
    assert err.file == "empty.md"
    assert err.location == "line 1"
    assert "no BIO2 measures found" in str(err)


def test_parse_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.md"
    bad.write_bytes(b"## 5.01.01 ok\n\xff\xfe broken\n")
    with pytest.raises(DraftParseError) as info:
        parse_file(bad)
    assert info.value.file == "kapot.md"
    assert info.value.location == "line 2"
    with pytest.raises(SourceError):
        parse_file(tmp_path / "missing.md")
    good = tmp_path / "goed.md"
    good.write_text("\ufeff## 5.01.01 Vlinder.\r\n", encoding="utf-8")
    draft = parse_file(str(good))
    assert draft.source == "goed.md"
    assert draft.measures[0].text == "Vlinder."


# ----------------------------------------------------------------------- id helpers


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("5.10.3", "5.10.03"),
        ("6.01.1", "6.01.01"),
        ("5.10.01Bestuuders", "5.10.01"),
        ("5.1.1", "5.01.01"),
        ("8.16.03", "8.16.03"),
        (" 5.24.06 (tekst)", "5.24.06"),
        ("5.10.02.", "5.10.02"),
        ("5.25.u1", "5.25.u1"),
    ],
)
def test_normalize_measure_id(raw: str, norm: str) -> None:
    assert normalize_measure_id(raw) == norm
    assert normalize_measure_id(norm) == norm


@pytest.mark.parametrize("raw", ["", "abc", "5.10", "5.10.x", "5.10.01.02", "5..01", "٥.١.١"])
def test_normalize_measure_id_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="not a BIO2 measure id"):
        normalize_measure_id(raw)


@pytest.mark.parametrize(
    ("mid", "control"),
    [
        ("5.01.02", "5.1"),
        ("8.16.03", "8.16"),
        ("5.1.2", "5.1"),
        ("6.01.1", "6.1"),
        ("5.25.u1", "5.25"),
    ],
)
def test_control_of(mid: str, control: str) -> None:
    assert control_of(mid) == control


def test_normalize_text_and_fingerprint() -> None:
    assert normalize_text("  a\u00a0\u00a0b\n\n c\t") == "a b c"
    assert normalize_text("e\u0301") == "\u00e9"
    assert normalize_text("Keep CASE, punct!") == "Keep CASE, punct!"
    fp = fingerprint("Blorp  zwik\n")
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", fp)
    assert fp == fingerprint("Blorp zwik") != fingerprint("blorp zwik")


def test_public_constants() -> None:
    assert KINDS == ("measure", "no-measure", "moved", "withdrawn", "see-other")
    assert TAGS == ("Basishygiëne", "Ketenhygiëne", "Overheidsrisico")
