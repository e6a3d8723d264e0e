"""The Markdown report of a draft diff, to read top to bottom.

:meth:`bio2map.drafts.results.VersionDiff.as_markdown` reaches :func:`markdown` through
:mod:`bio2map.core.hooks` (the drafts room does not import the render room). The
report holds summary counts, moves, splits and merges, substantive rewordings (with
texts: their changed words, ``~~old~~ **new**``), cosmetic rewordings, ids, kind and
tag changes, impact and anomalies; its tables are drawn by
:func:`bio2map.render.table.render`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from bio2map.drafts.side import id_key
from bio2map.render.table import Table, as_markdown

if TYPE_CHECKING:
    from bio2map.drafts.results import Move, VersionDiff, WordOp

__all__ = ["markdown", "nis2_tag_note"]

_MD_SPECIAL: Final = re.compile(r"([\\`*_~\[\]<>|#])")


def markdown(d: VersionDiff) -> str:
    """The report of ``d``: offline reports hold ids and figures only; with texts, each
    substantive rewording (and each move whose text changed) shows its changed words."""
    c = d.counts()
    tags = _tags_compared(d, c)
    lines = [
        *_summary(d, c, tags),
        *_moves(d),
        *_rewordings(d),
        *_ids_section(d),
        *_section(
            "Kind changes", ("id", "from", "to"), [(k.id, k.old, k.new) for k in d.kind_changed]
        ),
        *_tag_changes(d, tags),
        *_impact(d, c),
        *_section(
            "Anomalies",
            ("kind", "ids", "note"),
            [(a.kind, ", ".join(a.ids), a.note) for a in d.anomalies],
        ),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- pieces -------------------------------------------------------------------------------


def _esc(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "_none_"


def _section(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, level: int = 2
) -> list[str]:
    """A heading, a blank line, the table (or ``_none_``) and a blank line."""
    lines = as_markdown([Table(title, headers, rows)]).rstrip("\n").split("\n")
    lines[0] = "#" * (level - 2) + lines[0]  # render.table writes "## title"
    return [*lines, ""]


def _marked(ops: Sequence[WordOp], context: int = 4) -> str:
    """Changed words struck out (old) and bold (new), with ``context`` words around them."""
    out: list[str] = []
    for i, w in enumerate(ops):
        if w.op == "equal":
            ws = list(w.old)
            head = ws[:context] if i else []
            tail = ws[-context:] if i < len(ops) - 1 else []
            if len(ws) > len(head) + len(tail):
                out.append(
                    " ".join(_esc(t) for t in head)
                    + (" … " if head or tail else "…")
                    + " ".join(_esc(t) for t in tail)
                )
            else:
                out.append(" ".join(_esc(t) for t in ws))
            continue
        if w.old:
            out.append("~~" + " ".join(_esc(t) for t in w.old) + "~~")
        if w.new:
            out.append("**" + " ".join(_esc(t) for t in w.new) + "**")
    return " ".join(p.strip() for p in out if p.strip())


# --- sections -----------------------------------------------------------------------------


def nis2_tag_note(d: VersionDiff) -> str:
    """What the diff says about the NIS2 tag when only one draft records it, else ``""``.

    ``2025-03-concept -> 1.1``: "no longer recorded in 1.1 for 125 entries tagged NIS2 in
    2025-03-concept (1.1 tags no entry NIS2)".
    """
    old, new = d.nis2_recorded
    if old == new:
        return ""
    n = len(d.nis2_not_recorded)
    entries = f"{n} entr{'y' if n == 1 else 'ies'}"
    if old:
        return (
            f"no longer recorded in {d.new} for {entries} tagged NIS2 in {d.old} "
            f"({d.new} tags no entry NIS2)"
        )
    return f"recorded anew in {d.new} for {entries} ({d.old} tags no entry NIS2)"


def _tags_compared(d: VersionDiff, c: dict[str, int]) -> str:
    """The tag-change count, or why tags were not compared."""
    if d.tags_recorded == (True, True):
        return str(c["tags_changed"])
    missing = " and ".join(
        s for s, rec in zip((d.old, d.new), d.tags_recorded, strict=True) if not rec
    )
    return f"not compared ({missing} records no contribution tags)"


def _summary(d: VersionDiff, c: dict[str, int], tags: str) -> list[str]:
    mode = (
        "with texts: similarities are exact Jaccard similarities of word 3-shingles; "
        "~~struck~~ words were removed, **bold** words added"
        if d.texts
        else "offline: packaged fingerprints and MinHash signatures; similarities are estimates "
        "(about ±0.06)"
    )
    impact = f"{c['controls']} controls"
    if d.impact.mapped:
        impact += f", {c['nis2']} NIS2 Art. 21(2) points, {c['ir2690']} 2024/2690 requirements"
    rows = [
        ("ids added", str(c["added"])),
        ("ids removed", str(c["removed"])),
        ("ids retired to a stub", str(c["retired"])),
        ("moves (text under another id)", str(c["moved"])),
        ("splits / merges", f"{c['splits']} / {c['merges']}"),
        ("reworded: substantive / cosmetic", f"{c['substantive']} / {c['cosmetic']}"),
        ("unchanged measures", str(c["unchanged"])),
        ("kind changes", str(c["kind_changed"])),
        ("tag changes", tags),
        *([("NIS2 tag", nis2)] if (nis2 := nis2_tag_note(d)) else []),
        ("impact", impact),
        ("anomalies", str(c["anomalies"])),
    ]
    return [
        f"# BIO2 {d.old} → {d.new}",
        "",
        f"Compared {mode}.",
        "",
        *_section("Summary", ("what", "count"), rows),
    ]


def _marker(m: Move) -> str:
    if m.marker_agrees is None:
        return "no marker"
    return f"{'agrees' if m.marker_agrees else 'disagrees'} ({m.marker})"


def _moves(d: VersionDiff) -> list[str]:
    lines = _section(
        "Moves",
        ("from", "to", "similarity", "evidence", "marker"),
        [(m.old_id, m.new_id, _fmt(m.similarity), m.evidence, _marker(m)) for m in d.moved],
    )
    if d.splits or d.merges:
        parts = sorted((*d.splits, *d.merges), key=lambda p: (id_key(p.old_id), id_key(p.new_id)))
        lines += _section(
            "Splits and merges",
            ("kind", "from", "to", "share of from", "similarity"),
            [(p.kind, p.old_id, p.new_id, _fmt(p.share), _fmt(p.similarity)) for p in parts],
            level=3,
        )
    return lines


def _rewordings(d: VersionDiff) -> list[str]:
    subst = sorted(d.substantive, key=lambda ch: (ch.similarity, id_key(ch.id)))
    lines = _section(
        "Substantive rewordings",
        ("id", "similarity"),
        [(ch.id, _fmt(ch.similarity)) for ch in subst],
    )
    if d.texts:
        for ch in subst:
            lines += [f"**{ch.id}** ({_fmt(ch.similarity)}): {_marked(ch.words)}", ""]
        for m in d.moved:
            if m.words:
                lines += [
                    f"**{m.old_id} → {m.new_id}** ({_fmt(m.similarity)}): {_marked(m.words)}",
                    "",
                ]
    cosmetic = _ids([ch.id for ch in d.changed if ch.cosmetic])
    return [*lines, "## Cosmetic rewordings", "", cosmetic, ""]


def _ids_section(d: VersionDiff) -> list[str]:
    return [
        "## Ids",
        "",
        f"- added: {_ids(d.added)}",
        f"- removed: {_ids(d.removed)}",
        f"- retired: {_ids(d.retired)}",
        "",
    ]


def _tag_changes(d: VersionDiff, tags: str) -> list[str]:
    if d.tags_recorded != (True, True):
        why = tags.removeprefix("not compared (").removesuffix(")")
        lines = ["## Tag changes", "", f"Not compared: {why}.", ""]
    else:
        lines = _section(
            "Tag changes",
            ("id", "from id", "added", "removed"),
            [(t.id, t.old_id, ", ".join(t.added), ", ".join(t.removed)) for t in d.tags_changed],
        )
    note = nis2_tag_note(d)
    if note:
        lines += [f"NIS2 tag {note}: {_ids(d.nis2_not_recorded)}", ""]
    return lines


def _impact(d: VersionDiff, c: dict[str, int]) -> list[str]:
    lines = _section(
        "Impact",
        ("control", "measures before", "measures after"),
        [
            (ic.id.partition(":")[2], ", ".join(ic.before) or "-", ", ".join(ic.after) or "-")
            for ic in d.impact.controls
        ],
    )
    if d.impact.mapped:
        lines += [
            f"NIS2 Art. 21(2) points: {_ids([r.partition(':')[2] for r in d.impact.nis2])}",
            "",
            f"2024/2690 requirements: {c['ir2690']} (listed in the JSON output, ``impact.ir2690``)",
            "",
        ]
    return lines
