"""The gap report as Markdown, for merge requests and wikis.

:func:`markdown_report` writes the same contents as the HTML report
(:mod:`bio2map.render.report_html`) from the same
:class:`~bio2map.formats.report_data.ReportData`: the summary, the heat map as a table,
the points with their controls and annex requirements, what the law handles, the
controls with their BIO2 measures, what was not counted, and the sources. Every point,
requirement and control has an anchor (``<a id="nis2-21.2.d"></a>``) like in the HTML
report. Deterministic: no timestamps.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bio2map._version import __version__
from bio2map.formats.report_data import HEAT_LABELS
from bio2map.render.report_html import SECTIONS, anchor

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from bio2map.formats.report_data import CountedControl, ReportData

__all__ = ["markdown_report"]

_HEAT_MARK = {"all": "●", "some": "◐", "none": "○", "na": "⊘", "empty": "·"}


def _c(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out.extend("| " + " | ".join(_c(v) for v in row) + " |" for row in rows)
    return [*out, ""]


def _a(cid: str) -> str:
    return f'<a id="{anchor(cid)}"></a>'


def _controls_cell(controls: Iterable[CountedControl]) -> str:
    return "; ".join(f"{c.ref} ({c.soa_status})" for c in controls) or "–"


def markdown_report(data: ReportData) -> str:
    """The report as one Markdown document (final newline)."""
    titles = dict(SECTIONS)
    out = [f"# {data.title}", ""]
    soa = f"SoA `{data.soa}` · " if data.soa else ""
    out += [
        f"{soa}NIS2 Art. 21(2) and Implementing Regulation (EU) 2024/2690 against ISO/IEC "
        f"27001/27002:2022 · BIO2 {data.bio2_version} · data {data.data_version}",
        "",
    ]
    for key, section in (
        ("summary", _summary),
        ("heatmap", _heatmap),
        ("points", _points),
        ("legislation", _legislation),
        ("controls", _controls),
        ("not-counted", _not_counted),
        ("sources", _sources),
    ):
        out += [f"## {titles[key]}", ""]
        out += section(data)
    out += [f"_Made with bio2map {__version__}._", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _summary(data: ReportData) -> list[str]:
    out = _table(
        ("metric", "score", "meaning"),
        ((f"`{m.name}`", f"{m.value:.0%}", m.description) for m in data.metrics),
    )
    out += _table(("Art. 21(2) points", "count"), data.point_counts)
    out += _table(("2024/2690 requirements", "count"), data.requirement_counts)
    facts = [
        ("Statement of Applicability", data.soa or "(given in Python)"),
        ("controls in the SoA", data.controls_given),
        ("controls counted", data.controls_counted),
        ("BIO2 draft", f"{data.bio2_version} ({data.bio2_label})"),
        ("data version", data.data_version),
        ("user mapping layers", ", ".join(data.layers) or "none"),
    ]
    out += _table(("this report", ""), facts)
    return out + [f"> {n}" for n in data.notes] + [""]


def _heatmap(data: ReportData) -> list[str]:
    heat = data.heatmap
    out = [
        "Implemented / mapped controls of each point per "
        + ("ISO/IEC 27002 theme" if heat.by == "theme" else heat.by.replace("_", " "))
        + ". "
        + ", ".join(f"{_HEAT_MARK[k]} {v}" for k, v in HEAT_LABELS.items())
        + ".",
        "",
    ]
    return out + _table(
        ("point", *heat.columns),
        (
            (
                f"[{ref}](#{anchor(pid)}) {label}",
                *(
                    f"{_HEAT_MARK[c.status]} {c.implemented}/{c.mapped}"
                    if c.mapped
                    else _HEAT_MARK[c.status]
                    for c in cells
                ),
            )
            for (pid, ref, label), cells in zip(heat.rows, heat.cells, strict=True)
        ),
    )


def _points(data: ReportData) -> list[str]:
    """Each point with its controls and annex requirements (a requirement's anchor on
    its first appearance only)."""
    out: list[str] = []
    seen: set[str] = set()
    for p in data.points:
        out += [f"### {_a(p.id)}{p.ref} {p.label}: {p.status} (share {p.share:.2f})", ""]
        out += [f"**Why:** {p.reason}", ""]
        out += _table(
            ("control", "title", "SoA status", "weight", "justification"),
            (
                (
                    c.ref,
                    c.title,
                    c.soa_status,
                    "–" if c.weight is None else f"{c.weight:g}",
                    c.justification,
                )
                for c in p.controls
            ),
        )
        rows = []
        for r in p.requirements:
            ref = r.ref if r.id in seen else f"{_a(r.id)}{r.ref}"
            seen.add(r.id)
            rows.append(
                (ref, r.label, r.status, f"{r.share:.2f}", _controls_cell(r.controls), r.reason)
            )
        if rows:
            out += _table(("requirement", "label", "status", "share", "controls", "reason"), rows)
    return out


def _legislation(data: ReportData) -> list[str]:
    return _table(
        ("NIS2", "obligation", "Dutch law (Cbw)"),
        (
            (f"{_a(r.id)}{r.ref}", r.label, "; ".join(f"{ref}: {lab}" for _i, ref, lab in r.law))
            for r in data.legislation
        ),
    )


def _controls(data: ReportData) -> list[str]:
    return _table(
        ("control", "title", "SoA status", "justification", "points", "BIO2 measures"),
        (
            (
                f"{_a(c.id)}{c.ref}",
                c.title,
                c.soa_status,
                c.justification,
                ", ".join(p.partition(":")[2] for p in c.points),
                "; ".join(
                    f"{m.id.partition(':')[2]} {m.label_en} ({m.label_nl})" for m in c.measures
                ),
            )
            for c in data.controls
        ),
    )


def _not_counted(data: ReportData) -> list[str]:
    if not data.not_counted:
        return ["Every line of the SoA was counted.", ""]
    return _table(
        ("SoA line", "SoA status", "why not counted"),
        ((n.ref, n.soa_status, n.reason) for n in data.not_counted),
    )


def _sources(data: ReportData) -> list[str]:
    return _table(
        ("dataset", "version", "title", "licence", "attribution"),
        ((s.name, s.version, s.title, s.licence, s.attribution) for s in data.sources),
    )
