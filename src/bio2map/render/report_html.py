"""The gap report as one self-contained HTML page.

:func:`html_report` turns :class:`~bio2map.formats.report_data.ReportData` into a single
HTML file that needs nothing else: the style sheet (``report.css``, a package resource)
is inlined, the charts are inline SVG, there are no fonts, images or scripts to fetch,
so the page opens from a USB stick or on an air-gapped laptop. A tiny inline script adds
"collapse all / expand all" buttons and opens every section before printing; without
it the page reads fully (every ``<details>`` is open).

Sections, each a ``<section class="report-section">`` that starts a new page in print:
``summary`` (metrics, counts by status, data versions), ``heatmap`` (the ten Art. 21(2)
points against ISO/IEC 27002 themes or attribute values, coloured by status),
``points`` (per point: the controls counted with their SoA status and justification,
the one-line reason, and the annex requirements), ``legislation`` (Art. 20 and 23, and
the Dutch Cbw articles), ``controls`` (with their BIO2 measures in Dutch and English),
``not-counted`` and ``sources``. Every point, requirement, control and measure has a
stable anchor (``#nis2-21.2.d``, ``#ir2690-5.1.4``, ``#iso27002-5.19``,
``#bio2-5.19.01``).

The output depends on the data only (no timestamps), so two runs give the same bytes.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Final

from bio2map._version import __version__
from bio2map.formats.report_data import HEAT_LABELS, HEAT_STATUSES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bio2map.formats.report_data import (
        CountedControl,
        HeatMap,
        PointRow,
        ReportData,
        RequirementRow,
    )

__all__ = ["SECTIONS", "anchor", "html_report", "report_frame"]

SECTIONS: Final = (
    ("summary", "Summary"),
    ("heatmap", "Heat map"),
    ("points", "Art. 21(2) points"),
    ("legislation", "Handled by law"),
    ("controls", "Controls and BIO2 measures"),
    ("not-counted", "Not counted"),
    ("sources", "Sources"),
)
"""The report's sections: (anchor, heading), in order."""

_SCRIPT: Final = """\
(function () {
  var all = function (open) {
    var d = document.querySelectorAll("details");
    for (var i = 0; i < d.length; i++) { d[i].open = open; }
  };
  var bar = document.getElementById("toolbar");
  if (bar) {
    bar.hidden = false;
    document.getElementById("collapse").onclick = function () { all(false); };
    document.getElementById("expand").onclick = function () { all(true); };
  }
  window.addEventListener("beforeprint", function () { all(true); });
})();
"""


def anchor(cid: str) -> str:
    """The anchor of a canonical id: ``nis2:21.2.d`` -> ``nis2-21.2.d``."""
    return cid.replace(":", "-", 1)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _badge(status: str) -> str:
    cls = "st-" + status.replace(" ", "-")
    return f'<span class="st {_e(cls)}">{_e(status)}</span>'


def _weight(weight: float | None) -> str:
    """``1``, ``0.5``, ``0``; ``–`` for a not-applicable control (out of the denominator)."""
    return "–" if weight is None else f"{weight:g}"


def _css() -> str:
    return resources.files("bio2map.render").joinpath("report.css").read_text(encoding="utf-8")


# --- summary -------------------------------------------------------------------------------


def _bar(value: float, width: int = 160) -> str:
    filled = round(max(0.0, min(1.0, value)) * width)
    return (
        f'<svg width="{width}" height="10" viewBox="0 0 {width} 10" role="img" '
        f'aria-label="{_pct(value)}">'
        f'<rect width="{width}" height="10" fill="#dcdfe4"/>'
        f'<rect width="{filled}" height="10" fill="#1b5e9a"/></svg>'
    )


def _counts_table(caption: str, counts: Iterable[tuple[str, int]]) -> str:
    rows = "".join(
        f"<tr><td>{_badge(status)}</td><td class='num'>{n}</td></tr>" for status, n in counts
    )
    return (
        f"<table class='counts'><caption>{_e(caption)}</caption>"
        f"<thead><tr><th>status</th><th class='num'>count</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _summary(data: ReportData) -> str:
    cards = "".join(
        f"<div class='card'><div class='name'>{_e(m.name)}</div>"
        f"<div class='value'>{_pct(m.value)}</div>{_bar(m.value)}"
        f"<div class='what'>{_e(m.description)}</div></div>"
        for m in data.metrics
    )
    layers = ", ".join(data.layers) or "none"
    facts = [
        ("Statement of Applicability", data.soa or "(given in Python)"),
        ("controls in the SoA", str(data.controls_given)),
        ("controls counted", str(data.controls_counted)),
        ("BIO2 draft", f"{data.bio2_version} ({data.bio2_label})"),
        ("data version", data.data_version),
        ("user mapping layers", layers),
    ]
    fact_rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    notes = "".join(f"<p class='lead'>{_e(n)}</p>" for n in data.notes)
    return (
        f"<div class='cards'>{cards}</div>"
        f"<div class='summary-grid'>"
        f"<div>{_counts_table('Art. 21(2) points', data.point_counts)}</div>"
        f"<div>{_counts_table('2024/2690 requirements', data.requirement_counts)}</div>"
        f"<div><table class='facts'><caption>This report</caption><tbody>{fact_rows}</tbody>"
        f"</table></div></div>{notes}"
    )


# --- heat map ------------------------------------------------------------------------------

_FILL: Final = {
    "all": ("#1b5e9a", "#ffffff"),
    "some": ("#9cc8e8", "#10263d"),
    "none": ("#f0a04b", "#2b1600"),
    "na": ("#ffffff", "#3c4652"),
    "empty": ("#f2f3f5", "#55606e"),
}


def heatmap_svg(heat: HeatMap) -> str:
    """The heat map as inline SVG: a labelled cell per point and column, and a legend."""
    label_w, cell_w, cell_h, head_h = 420, 118, 34, 46
    cols = heat.columns
    width = label_w + cell_w * len(cols) + 2
    height = head_h + cell_h * len(heat.rows) + 2
    by = "ISO/IEC 27002 theme" if heat.by == "theme" else heat.by.replace("_", " ")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="heat-title heat-desc">',
        f'<title id="heat-title">Art. 21(2) points by {_e(by)}</title>',
        '<desc id="heat-desc">Each cell counts the mapped controls of that point and column '
        "that the SoA implements; its colour says whether all, some or none are.</desc>",
    ]
    for j, col in enumerate(cols):
        x = label_w + j * cell_w + cell_w / 2
        out.append(
            f'<text x="{x:.0f}" y="{head_h - 14}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="#1d232b">{_e(col.replace("_", " "))}</text>'
        )
    for i, (pid, ref, label) in enumerate(heat.rows):
        y = head_h + i * cell_h
        text = f"{ref} {label}"
        if len(text) > 56:
            text = text[:55].rstrip() + "…"
        out.append(
            f'<a href="#{_e(anchor(pid))}"><text x="4" y="{y + cell_h / 2 + 5:.0f}" '
            f'font-size="13" fill="#1f4e8c">{_e(text)}</text></a>'
        )
        for j, c in enumerate(heat.cells[i]):
            x = label_w + j * cell_w
            fill, ink = _FILL[c.status]
            tip = f"{ref} x {cols[j]}: {c.implemented} of {c.mapped} implemented" + (
                f" ({', '.join(c.controls)})" if c.controls else ""
            )
            shown = (
                f"{c.implemented}/{c.mapped}" if c.mapped else ("n/a" if c.status == "na" else "–")
            )
            dash = ' stroke-dasharray="4 3"' if c.status == "na" else ""
            out.append(
                f"<g><title>{_e(tip)}</title>"
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'rx="3" fill="{fill}" stroke="{"#3c4652" if c.status == "na" else "#ffffff"}"'
                f"{dash}/>"
                f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 5:.0f}" '
                f'text-anchor="middle" font-size="13" fill="{ink}">{_e(shown)}</text></g>'
            )
    out.append("</svg>")
    legend = "".join(f"<span>{_badge(s)} {_e(HEAT_LABELS[s])}</span>" for s in HEAT_STATUSES)
    return (
        f"<div class='heatmap'>{''.join(out)}</div>"
        f"<div class='legend' aria-label='legend'>{legend}</div>"
        "<p class='lead'>A cell shows implemented / mapped controls of the point that carry "
        "that value; a partial control adds colour but is not counted as implemented.</p>"
    )


# --- points ---------------------------------------------------------------------------------


def _chips(controls: Iterable[CountedControl]) -> str:
    items = []
    for c in controls:
        tip = f"{c.title}: {c.soa_status}" + (f" - {c.justification}" if c.justification else "")
        cls = "st st-" + c.soa_status.replace(" ", "-")
        items.append(
            f'<a class="{_e(cls)}" href="#{_e(anchor(c.id))}" title="{_e(tip)}">{_e(c.ref)}</a>'
        )
    return f"<div class='chips'>{''.join(items)}</div>" if items else "–"


def _controls_table(controls: tuple[CountedControl, ...]) -> str:
    if not controls:
        return "<p>No ISO control is mapped to this point.</p>"
    rows = "".join(
        f"<tr><td><a class='id' href='#{_e(anchor(c.id))}'>{_e(c.ref)}</a></td>"
        f"<td>{_e(c.title)}</td><td>{_badge(c.soa_status)}</td>"
        f"<td class='num'>{_weight(c.weight)}</td><td>{_e(c.justification)}</td></tr>"
        for c in controls
    )
    return (
        "<table><caption>Controls counted (weight –: not applicable, left out)</caption>"
        "<thead><tr><th>control</th><th>title</th>"
        "<th>SoA status</th><th class='num'>weight</th><th>justification</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _requirements_table(reqs: tuple[RequirementRow, ...], seen: set[str]) -> str:
    if not reqs:
        return "<p>No assessable 2024/2690 requirement implements this point.</p>"
    rows = []
    for r in reqs:
        ident = "" if r.id in seen else f" id='{_e(anchor(r.id))}'"
        seen.add(r.id)
        rows.append(
            f"<tr{ident}><td><a class='id' href='#{_e(anchor(r.id))}'>{_e(r.ref)}</a></td>"
            f"<td>{_e(r.label)}</td><td>{_badge(r.status)}</td>"
            f"<td class='num'>{r.share:.2f}</td><td>{_chips(r.controls)}</td>"
            f"<td>{_e(r.reason)}</td></tr>"
        )
    return (
        "<table><caption>2024/2690 annex requirements</caption><thead><tr>"
        "<th>requirement</th><th>label</th><th>status</th><th class='num'>share</th>"
        "<th>controls (colour: SoA status)</th><th>reason</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _point(p: PointRow, seen: set[str]) -> str:
    return (
        f"<details class='point' id='{_e(anchor(p.id))}' open><summary>"
        f"<h3>{_e(p.ref)} {_e(p.label)}</h3> {_badge(p.status)} "
        f"<span class='num'>share {p.share:.2f}</span></summary>"
        f"<p class='reason'><strong>Why:</strong> {_e(p.reason)}</p>"
        f"{_controls_table(p.controls)}{_requirements_table(p.requirements, seen)}</details>"
    )


def _points(data: ReportData) -> str:
    seen: set[str] = set()
    toolbar = (
        "<div class='toolbar' id='toolbar' hidden><button type='button' id='collapse'>"
        "Collapse all</button> <button type='button' id='expand'>Expand all</button></div>"
    )
    return toolbar + "".join(_point(p, seen) for p in data.points)


# --- the rest --------------------------------------------------------------------------------


def _legislation(data: ReportData) -> str:
    if not data.legislation:
        return "<p>None.</p>"
    rows = "".join(
        f"<tr id='{_e(anchor(r.id))}'><td class='id'>{_e(r.ref)}</td><td>{_e(r.label)}</td>"
        f"<td>{'<br>'.join(f'{_e(ref)}: {_e(label)}' for _i, ref, label in r.law)}</td></tr>"
        for r in data.legislation
    )
    return (
        "<p class='lead'>These NIS2 obligations are met by what the law itself arranges "
        "(governance, reporting to the CSIRT); no control can cover them, so they are not "
        "scored.</p><table><thead><tr><th>NIS2</th><th>obligation</th>"
        f"<th>Dutch law (Cbw)</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _controls(data: ReportData) -> str:
    rows = []
    for c in data.controls:
        measures = (
            "<ul class='measures'>"
            + "".join(
                f"<li id='{_e(anchor(m.id))}'><span class='id'>{_e(m.id.partition(':')[2])}"
                f"</span> {_e(m.label_en)} <span class='nl' lang='nl'>({_e(m.label_nl)})</span>"
                "</li>"
                for m in c.measures
            )
            + "</ul>"
            if c.measures
            else "–"
        )
        points = ", ".join(
            f"<a href='#{_e(anchor(p))}'>{_e(p.partition(':')[2])}</a>" for p in c.points
        )
        rows.append(
            f"<tr id='{_e(anchor(c.id))}'><td class='id'>{_e(c.ref)}</td><td>{_e(c.title)}</td>"
            f"<td>{_badge(c.soa_status)}</td><td>{_e(c.justification)}</td>"
            f"<td>{points or '–'}</td><td class='num'>{c.requirements}</td><td>{measures}</td></tr>"
        )
    return (
        f"<p class='lead'>The controls in the SoA or mapped to an Art. 21(2) point, with the "
        f"BIO2 {_e(data.bio2_version)} government measures under each (our short labels, "
        "English and Dutch).</p><table><thead><tr><th>control</th><th>title</th>"
        "<th>SoA status</th><th>justification</th><th>points</th>"
        "<th class='num'>annex req.</th><th>BIO2 measures</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _not_counted(data: ReportData) -> str:
    if not data.not_counted:
        return "<p>Every line of the SoA was counted.</p>"
    rows = "".join(
        f"<tr><td class='id'>{_e(n.ref)}</td><td>{_badge(n.soa_status)}</td>"
        f"<td>{_e(n.reason)}</td></tr>"
        for n in data.not_counted
    )
    return (
        "<table><thead><tr><th>SoA line</th><th>SoA status</th><th>why not counted</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _sources(data: ReportData) -> str:
    rows = "".join(
        f"<tr><td class='id'>{_e(s.name)}</td><td>{_e(s.version)}</td><td>{_e(s.title)}</td>"
        f"<td>{_e(s.licence)}</td><td>{_e(s.attribution)}</td><td>{_e(s.source)}</td></tr>"
        for s in data.sources
    )
    return (
        "<table><thead><tr><th>dataset</th><th>version</th><th>title</th><th>licence</th>"
        f"<th>attribution</th><th>source</th></tr></thead><tbody>{rows}</tbody></table>"
        "<p class='lead'>The packaged data holds ids, our own short labels and the mappings; "
        "no text of BIO2, ISO or the law.</p>"
    )


def html_report(data: ReportData) -> str:
    """The report as one self-contained HTML document (UTF-8 text, final newline)."""
    bodies = {
        "summary": _summary(data),
        "heatmap": heatmap_svg(data.heatmap),
        "points": _points(data),
        "legislation": _legislation(data),
        "controls": _controls(data),
        "not-counted": _not_counted(data),
        "sources": _sources(data),
    }
    toc = "".join(f'<a href="#{key}">{_e(title)}</a>' for key, title in SECTIONS)
    sections = "".join(
        f'<section class="report-section{" first" if i == 0 else ""}" id="{key}">'
        f"<h2>{_e(title)}</h2>\n{bodies[key]}</section>\n"
        for i, (key, title) in enumerate(SECTIONS)
    )
    soa = f"SoA {data.soa} · " if data.soa else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="bio2map {_e(__version__)}">\n'
        f"<title>{_e(data.title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f'<header class="report-head"><h1>{_e(data.title)}</h1>'
        f"<p>{_e(soa)}NIS2 Art. 21(2) and Implementing Regulation (EU) 2024/2690 against "
        f"ISO/IEC 27001/27002:2022 · BIO2 {_e(data.bio2_version)} · data "
        f"{_e(data.data_version)}</p></header>\n"
        f'<nav class="toc" aria-label="sections">{toc}</nav>\n<main>\n{sections}</main>\n'
        f"<footer>Made with bio2map {_e(__version__)}. The coverage rule is explained in the "
        "bio2map documentation (Concepts, the coverage rule).</footer>\n"
        f"<script>\n{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def report_frame(html: str, height: int = 640) -> str:
    """The report page inside an ``<iframe srcdoc>`` (in a ``<div>``), for Jupyter: its
    style sheet stays inside the frame and does not restyle the notebook.

    Examples:
        >>> report_frame("<p>a & b</p>", height=100)[:72]
        '<div class="bio2map-report"><iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;'
    """
    return (
        f'<div class="bio2map-report"><iframe srcdoc="{escape(html, quote=True)}" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #d5dbe3" '
        'title="bio2map gap report"></iframe></div>'
    )
