"""The Markdown report of a watch of the upstream BIO2 text.

:meth:`bio2map.drafts.watching.WatchResult.as_markdown` reaches it through
:mod:`bio2map.core.hooks`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from bio2map.drafts.watching import CATEGORIES, WatchResult

__all__ = ["watch_markdown"]


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _demoted(report: str) -> list[str]:
    """The diff report with each heading one level down and its tag section left out
    (the watch report has its own, which compares tags the diff does not)."""
    out: list[str] = []
    skip = False
    for line in report.rstrip("\n").split("\n"):
        if line.startswith("#"):
            skip = line == "## Tag changes"
            line = "#" + line
        if not skip:
            out.append(line)
    return out


def watch_markdown(r: WatchResult, fail_on: tuple[str, ...]) -> str:
    lines = [f"# BIO2 upstream watch: {r.status}", "", r.summary(), ""]
    rows = [
        ("source", r.source),
        ("read from", r.origin),
        ("commit", r.commit or "-"),
        ("date", r.date or "-"),
        ("sha256", r.sha256),
        ("compared with", f"packaged draft {r.against} (sha256 {r.against_sha256})"),
    ]
    lines += ["| what | value |", "|---|---|"]
    lines += [f"| {k} | {_md_cell(v)} |" for k, v in rows]
    lines.append("")
    if not r.readable:
        lines += [
            "## Lines the draft parser could not place",
            "",
            "| line | text |",
            "|---|---|",
            *(f"| {u.line} | {_md_cell(u.text)} |" for u in r.unassigned),
            "",
        ]
        return "\n".join(lines).rstrip("\n") + "\n"
    counts = r.categories() or {}
    failed = set(r.failed(fail_on))
    lines += ["## What changed", "", "| category | count | meaning |", "|---|---|---|"]
    for c, meaning in CATEGORIES.items():
        mark = " **(fails)**" if c in failed else ""
        lines.append(f"| {c}{mark} | {counts.get(c, 0)} | {meaning} |")
    lines.append("")
    if fail_on:
        if failed:
            listed = ", ".join(f"{c} ({counts[c]})" for c in fail_on if c in failed)
            lines += [f"**FAILED --fail-on: {listed}**", ""]
        else:
            lines += [f"Passed --fail-on {','.join(fail_on)}: none of them changed.", ""]
    if r.diff is None:
        return "\n".join(lines).rstrip("\n") + "\n"
    lines += ["## Tag changes", ""]
    if r.diff.tags_recorded != (True, True):
        lines += [
            "Compared with the packaged draft although one of the two records no tags "
            "(a tag the text adds counts as added); the diff below leaves tags out.",
            "",
        ]
    if r.tags:
        lines += ["| id | from id | added | removed |", "|---|---|---|---|"]
        lines += [
            f"| {t.id} | {t.old_id} | {', '.join(t.added)} | {', '.join(t.removed)} |"
            for t in r.tags
        ]
    else:
        lines.append("_none_")
    lines.append("")
    lines += _demoted(r.diff.as_markdown())
    return "\n".join(lines).rstrip("\n") + "\n"


# ``bio2map.watch`` is this function once looked up through the package (see
# ``bio2map.__init__``), but this module after ``import bio2map.watch``; make the
# module callable as the function, so that ``bio2map.watch(...)`` works either way.
