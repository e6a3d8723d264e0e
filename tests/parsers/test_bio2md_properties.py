"""Property tests of the BIO2 draft parser.

1. ``parse`` never raises anything but :class:`DraftParseError`, whatever the text.
2. Random drafts rendered in each layout family (2024-06, 2024-10/2025-03, 1.1/1.1.1,
   1.2, 1.3) round-trip: ids, kinds, targets, tags and texts come back.
3. ``normalize_measure_id`` and ``normalize_text`` are idempotent.

All generated drafts use made-up words; no corpus text is used.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bio2map.core.errors import DraftParseError
from bio2map.drafts.parser import (
    KINDS,
    TAGS,
    ParsedDraft,
    control_of,
    normalize_measure_id,
    normalize_text,
    parse,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------ 1. arbitrary text

FRAGMENTS = [
    "#",
    "##",
    "###",
    "####",
    "# ",
    "## ",
    "### ",
    "#### ",
    "5.01.01",
    "5.1.1",
    "6.01.1",
    "5.10.01Blorp",
    "8.16.03 ",
    "5.01",
    "[Kop 9] ",
    "Beheersmaatregel 5.01 ",
    "Verplichte overheidsspecifieke maatregelen",
    "Draagt bij aan:",
    " Basishygiëne",
    " NIS2,",
    " ketenhygiëne",
    "Overheidsrisico",
    "  ",
    "    ",
    ">",
    "> ",
    "<br>",
    "<br><br>",
    "---",
    "***",
    "!!! warning ",
    "- ",
    "* ",
    "1. ",
    "(a) ",
    "*",
    "**",
    "_",
    "Vervallen.",
    "Verplaatst naar 5.10.02.",
    "Zie overheidsmaatregel 5.24.08.",
    "Geen overheidsmaatregel",
    "Bovenliggende beheersmaatregel is niet verplicht",
    "blorp",
    "\xa0",
    "\t",
    "\r\n",
    "\ufeff",
    "\n",
    "\n\n",
]

markdownish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60).map(
    "".join
)


def _check_invariants(draft: ParsedDraft, text: str) -> None:
    n_lines = len(text.split("\n"))
    previous_end = 0
    for m in draft.measures:
        assert m.kind in KINDS
        assert 1 <= previous_end + 1 <= m.line <= m.end_line <= n_lines
        previous_end = m.end_line
        known = [t for t in m.tags if t in TAGS]
        assert list(m.tags[: len(known)]) == [t for t in TAGS if t in known]
        assert len(set(m.tags)) == len(m.tags)
        assert (m.target is not None) == (m.kind in ("moved", "see-other"))
        if m.numbered:
            assert m.id == normalize_measure_id(m.raw_id)
            assert m.control == control_of(m.id)
        else:
            assert m.raw_id == ""
            assert m.id.startswith(m.control + ".u")
    assert list(draft.unassigned) == sorted(set(draft.unassigned))
    for n in draft.unassigned:
        assert not any(m.line <= n <= m.end_line for m in draft.measures)


@SETTINGS
@given(st.text())
def test_arbitrary_text_only_raises_draft_parse_error(text: str) -> None:
    try:
        draft = parse(text)
    except DraftParseError:
        return
    _check_invariants(draft, text)


@SETTINGS
@given(markdownish)
def test_markdownish_text_only_raises_draft_parse_error(text: str) -> None:
    try:
        draft = parse(text)
    except DraftParseError as err:
        message = str(err)
    else:
        _check_invariants(draft, text)
        return
    assert "no BIO2 measures found" in message


# -------------------------------------------------------------- 2. round trips

WORDS = (
    "blorp",
    "quandel",
    "zemik",
    "trovel",
    "frandel",
    "wusk",
    "plimbo",
    "garbo",
    "nexil",
    "dravu",
    "snorkel",
    "tumbra",
    "wexo",
    "grindel",
    "pofta",
    "klumb",
)
UNKNOWN_TAGS = ("flurbo", "zindelwerk", "Krapnix")

Block = tuple[str, tuple[str, ...]]  # ("para" | "ol" | "ul", sentences or items)


@attrs.define
class Spec:
    """One generated measure and how to render it."""

    key: tuple[int, int, int]
    numbered: bool
    raw_id: str
    kind: str
    target_raw: str | None
    tokens: tuple[str, ...]
    blocks: list[Block]
    rationale: bool
    opts: dict[str, Any]

    @property
    def control(self) -> str:
        return f"{self.key[0]}.{self.key[1]}"


sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(
    lambda ws: (" ".join(ws)).capitalize() + "."
)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(lambda s: ("para", tuple(s)))


@st.composite
def block_lists(draw: st.DrawFn) -> list[Block]:
    out: list[Block] = [draw(paragraph)]
    for _ in range(draw(st.integers(0, 3))):
        if out[-1][0] == "para" and draw(st.booleans()):
            kind = draw(st.sampled_from(["ol", "ul"]))
            out.append((kind, tuple(draw(st.lists(sentence, min_size=1, max_size=4)))))
        else:
            out.append(draw(paragraph))
    return out


def _raw_id(draw: st.DrawFn, a: int, b: int, c: int) -> str:
    return draw(st.sampled_from([f"{a}.{b:02d}.{c:02d}", f"{a}.{b}.{c}", f"{a}.{b:02d}.{c}"]))


NO_MEASURE = {
    "2024-06": "Geen aanvullende maatregel",
    "2024-10": "Geen overheidsmaatregel, zie blorp trovel",
    "1.1": "Geen overheidsmaatregel, zie blorp trovel",
    "1.2": "Geen overheidsmaatregel, zie blorp trovel.",
    "1.3": "Geen overheidsmaatregel, zie inleiding blorp.",
}


@st.composite
def specs(draw: st.DrawFn, layout: str) -> list[Spec]:
    keys = draw(
        st.lists(
            st.tuples(st.integers(5, 8), st.integers(1, 37), st.integers(1, 12)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    keys.sort()
    out: list[Spec] = []
    for i, key in enumerate(keys):
        numbered = layout != "2024-06" or i == 0 or draw(st.integers(0, 5)) > 0
        kind = draw(st.sampled_from(KINDS))
        target_raw = None
        if kind in ("moved", "see-other"):
            ta, tb, tc = draw(st.tuples(st.integers(5, 8), st.integers(1, 37), st.integers(1, 12)))
            target_raw = _raw_id(draw, ta, tb, tc)
        if kind == "measure":
            blocks = draw(block_lists())
        else:
            marker = {
                "no-measure": NO_MEASURE[layout],
                "moved": f"Verplaatst naar {target_raw}.",
                "withdrawn": "Vervallen.",
                "see-other": f"Zie overheidsmaatregel {target_raw}.",
            }[kind]
            blocks = [("para", (marker,))]
        known = draw(st.lists(st.sampled_from(TAGS), unique=True))
        tokens = [
            draw(st.sampled_from([t, t.lower(), t.upper(), t.replace("ë", "e")])) for t in known
        ]
        if layout in ("2024-06", "2024-10") and draw(st.booleans()):
            tokens.append(draw(st.sampled_from(["NIS2", "nis2", "NIS 2"])))
        if layout not in ("2024-06", "1.3"):
            tokens += draw(st.lists(st.sampled_from(UNKNOWN_TAGS), unique=True, max_size=2))
        tokens = list(draw(st.permutations(tokens))) if layout != "1.3" else []
        opts = {
            "kop": layout == "2024-06" and numbered and i > 0 and draw(st.booleans()),
            "glued": draw(st.booleans()),
            "gap": draw(st.booleans()),
            "trailing": draw(st.booleans()),
            "nbsp": draw(st.booleans()),
            "heads": draw(st.booleans()),
            "glue_tag": draw(st.booleans()),
            "lazy": draw(st.booleans()),
            "sep": draw(st.sampled_from([", ", ",", " ", " , "])),
            "br_para": draw(st.booleans()),
            "indent": draw(st.sampled_from([0, 1])),
        }
        a, b, c = key
        out.append(
            Spec(
                key=key,
                numbered=numbered,
                raw_id=_raw_id(draw, a, b, c) if numbered else "",
                kind=kind,
                target_raw=target_raw,
                tokens=tuple(tokens),
                blocks=blocks,
                rationale=layout == "2024-10"
                or (layout == "2024-06" and (not numbered or draw(st.booleans()))),
                opts=opts,
            )
        )
    return out


# ---- expected values


def expected_text(blocks: list[Block]) -> str:
    parts = []
    for kind, items in blocks:
        if kind == "para":
            parts.append(" ".join(items))
        elif kind == "ol":
            parts.append("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)))
        else:
            parts.append("\n".join(f"- {t}" for t in items))
    return "\n\n".join(parts)


def expected_tags(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    folded = {t.lower().replace("ë", "e") for t in tokens}
    known = tuple(t for t in TAGS if t.lower().replace("ë", "e") in folded)
    unknown: list[str] = []
    for t in tokens:
        if t in UNKNOWN_TAGS:
            titled = t[:1].upper() + t[1:]
            if titled not in unknown:
                unknown.append(titled)
    nis2 = any(t.replace(" ", "").lower() == "nis2" for t in tokens)
    return known + tuple(unknown), nis2


def expected_ids(specs_: list[Spec]) -> list[str]:
    counter: dict[str, int] = {}
    out = []
    for s in specs_:
        if s.numbered:
            out.append(normalize_measure_id(s.raw_id))
        else:
            counter[s.control] = counter.get(s.control, 0) + 1
            out.append(f"{s.control}.u{counter[s.control]}")
    return out


# ---- renderers


def _nb(line: str, s: Spec) -> str:
    """Apply the white-space noise the real drafts have (nbsp, trailing spaces)."""
    if s.opts["nbsp"] and " " in line:
        line = line.replace(" ", "\xa0", 1)
    if s.opts["trailing"]:
        line += "  "
    return line


def _body_lines(blocks: list[Block], s: Spec, *, heads: bool, indent: int = 0) -> list[str]:
    """Blocks after the heading paragraph, in plain markdown."""
    lines: list[str] = []
    for kind, items in blocks:
        if heads and kind == "para":
            lines.append("### " + " ".join(items))
            continue
        if heads and kind == "ol":
            lines += [f"### {i}. {t}" for i, t in enumerate(items, 1)]
            continue
        lines.append("")
        if kind == "para":
            lines += [_nb(t, s) for t in items]
        elif kind == "ol":
            lines += [" " * indent + _nb(f"{i}. {t}", s) for i, t in enumerate(items, 1)]
        else:
            lines += [" " * indent + _nb(f"- {t}", s) for t in items]
    return lines


def _controls(specs_: list[Spec]) -> list[tuple[str, list[Spec]]]:
    return [(c, list(g)) for c, g in groupby(specs_, key=lambda s: s.control)]


def _padded_control(control: str) -> str:
    a, b = control.split(".")
    return f"{a}.{int(b):02d}"


def render_2024_06(specs_: list[Spec]) -> str:
    lines = [
        "---",
        "title: Blorp zemik",
        "hide:",
        "  - navigation",
        "---",
        "",
        "# Wusk trovel plimbo",
        "",
        '!!! warning "Garbo nexil"',
        "    Dravu snorkel 5.01.01 tumbra.",
        "",
        "Wexo grindel:",
        "- Pofta",
        "      - “klumb”",
        "",
        "---",
        "",
    ]
    for control, group in _controls(specs_):
        lines += [
            f"## Beheersmaatregel {_padded_control(control)} Blorp wusk  ",
            "",
            "Quandel zemik trovel frandel.  ",
            "",
            "### Verplichte overheidsspecifieke maatregelen",
            "",
        ]
        for s in group:
            first = " ".join(s.blocks[0][1])
            if not s.numbered:
                lines.append(f"####  {first}")
            else:
                sep = "" if s.opts["glued"] else " "
                lead = "[Kop 9] " if s.opts["kop"] else "#### "
                lines.append(f"{lead}{s.raw_id}{sep}{first}")
            body = _body_lines(s.blocks[1:], s, heads=False)
            if body and not s.opts["gap"]:
                body = body[1:]
            lines += body
            lines.append("")
            if s.tokens:
                lines.append("  " + s.opts["sep"].join(s.tokens))
            else:
                lines.append("  Bovenliggende beheersmaatregel is niet verplicht, blorp.")
            lines.append("")
            if s.rationale:
                lines += ["> Wusk garbo.  ", ""]
        lines += ["", "---", ""]
    return "\n".join(lines)


def _render_heading_layout(specs_: list[Spec], layout: str) -> str:
    if layout == "2024-10":
        lines = [
            "---",
            "title: Blorp",
            "---",
            "",
            "# Verplichte overheidsspecifieke maatregelen en richtlijnen",
            "",
            '!!! warning "Blorp"',
            "    Zemik trovel.",
            "",
            "!!! info ",
            "    Frandel wusk.",
            "",
            "De opbouw:",
            "- Titel",
            "      - “draagt bij aan”",
            "",
        ]
    else:
        lines = [
            "---",
            "title: Blorp (BIO2), versie 9.9",
            "---",
            "",
            "# Verplichte overheidsspecifieke maatregelen en richtlijnen",
            "",
            "!!! Het kan voorkomen dat blorp niet **vet** is.",
            "",
            "Versie 9.9 Zemik trovel",
            "",
        ]
    for control, group in _controls(specs_):
        lines += [
            f"# Beheersmaatregel {_padded_control(control)} Garbo nexil",
            "",
            "Dravu snorkel tumbra.",
            "",
            "## Verplichte overheidsspecifieke maatregelen",
            "",
        ]
        for s in group:
            first = " ".join(s.blocks[0][1])
            lines.append(f"### {s.raw_id} {first}")
            body = _body_lines(
                s.blocks[1:],
                s,
                heads=s.opts["heads"] and s.kind == "measure",
                indent=s.opts["indent"],
            )
            if body and body[0] == "" and not s.opts["gap"]:
                body = body[1:]
            lines += body
            lines += ["", "Draagt bij aan: " + s.opts["sep"].join(s.tokens), ""]
            if s.rationale:
                lines += ["> verwerkte opmerkingen:", "> #12 blorp garbo"]
                if s.opts["lazy"]:
                    lines.append("Wexo lazy pofta.")
                lines.append("")
    return "\n".join(lines)


def _render_id_only_layout(specs_: list[Spec], layout: str) -> str:
    if layout == "1.2":
        lines = ['!!! warning "Disclaimer" ', "    Blorp zemik.", "", "# DEEL 2 BLORP–ZEMIK ", ""]
        bullet = "* "
    else:
        lines = [
            '!!! warning "Disclaimer"',
            "    Blorp zemik.",
            "",
            "# DEEL 2 BLORP–ZEMIK",
            "Trovel frandel 5.01.01 wusk.<br><br>",
            "",
            "**Plimbo garbo.**<br>",
            "Nexil dravu.",
            "",
        ]
        bullet = "- "
    for s in specs_:
        lines.append(f"## {s.raw_id}" + (" " if s.opts["trailing"] else ""))
        tag = "Draagt bij aan: " + s.opts["sep"].join(s.tokens) if layout == "1.2" else None
        glue = tag is not None and s.opts["glue_tag"] and s.blocks[-1][0] == "para"
        for i, (kind, items) in enumerate(s.blocks):
            nxt = s.blocks[i + 1][0] if i + 1 < len(s.blocks) else None
            if kind == "para":
                para = [_nb(t, s) if j else t for j, t in enumerate(items)]
                if nxt == "para":
                    if s.opts["br_para"] or layout == "1.2":
                        para[-1] += "<br><br>"
                    else:
                        para.append("")
                elif nxt is None and glue:
                    para[-1] += " " + tag  # type: ignore[operator]
                elif nxt is None and tag is not None:
                    para[-1] += "<br><br>"
                lines += para
            else:
                marks = (
                    [f"{n}. " for n in range(1, len(items) + 1)]
                    if kind == "ol"
                    else [bullet] * len(items)
                )
                lines += [m + t for m, t in zip(marks, items, strict=True)]
                lines.append("")
        if tag is not None and not glue:
            lines.append(tag)
        lines.append("")
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[list[Spec]], str]] = {
    "2024-06": render_2024_06,
    "2024-10": lambda s: _render_heading_layout(s, "2024-10"),
    "1.1": lambda s: _render_heading_layout(s, "1.1"),
    "1.2": lambda s: _render_id_only_layout(s, "1.2"),
    "1.3": lambda s: _render_id_only_layout(s, "1.3"),
}


@pytest.mark.parametrize("layout", list(RENDERERS))
@SETTINGS
@given(data=st.data())
def test_generated_drafts_round_trip(layout: str, data: st.DataObject) -> None:
    specs_ = data.draw(specs(layout), label="measures")
    text = RENDERERS[layout](specs_)
    draft = parse(text)
    assert draft.layout == layout
    assert draft.unassigned == ()
    assert [m.id for m in draft.measures] == expected_ids(specs_)
    for m, s in zip(draft.measures, specs_, strict=True):
        assert m.numbered == s.numbered
        assert m.raw_id == s.raw_id
        assert m.control == s.control
        assert m.kind == s.kind
        want_target = normalize_measure_id(s.target_raw) if s.target_raw else None
        assert m.target == want_target
        tags, nis2 = expected_tags(s.tokens)
        assert m.tags == tags
        assert m.nis2_flag == nis2
        assert m.tag_line == (layout != "1.3")
        assert m.rationale == s.rationale
        want = expected_text(s.blocks)
        assert normalize_text(m.text) == normalize_text(want)
        assert m.text == want
    _check_invariants(draft, text)
    if layout in ("2024-06", "2024-10", "1.1"):
        assert set(draft.control_titles) == {s.control for s in specs_}
    else:
        assert dict(draft.control_titles) == {}


# ------------------------------------------------------------- 3. idempotence

raw_ids = st.builds(
    lambda a, b, c, pad_b, pad_c, tail: (
        (f"{a}.{b:02d}" if pad_b else f"{a}.{b}") + (f".{c:02d}" if pad_c else f".{c}") + tail
    ),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", " ", "Blorp", " zemik", ".", ". Trovel"]),
)


@SETTINGS
@given(raw_ids)
def test_normalize_measure_id_idempotent(raw: str) -> None:
    once = normalize_measure_id(raw)
    assert normalize_measure_id(once) == once
    assert control_of(once) == control_of(raw)


@SETTINGS
@given(st.text())
def test_normalize_measure_id_only_raises_value_error(raw: str) -> None:
    try:
        once = normalize_measure_id(raw)
    except ValueError:
        return
    assert normalize_measure_id(once) == once


@SETTINGS
@given(st.text())
def test_normalize_text_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip()
