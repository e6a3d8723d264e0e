"""Answers as tables: the view Jupyter shows (:func:`bio2map.render.notebook.to_html`).

:func:`answer_tables` gives the :class:`~bio2map.render.table.Table` list of a
:class:`~bio2map.catalog.answers.ControlsAnswer`,
:class:`~bio2map.catalog.answers.RequirementsAnswer`,
:class:`~bio2map.catalog.answers.Coverage` or :class:`~bio2map.catalog.answers.Uncovered`;
anything else with an ``as_dict()`` (a :class:`~bio2map.drafts.diff.VersionDiff`) gets a
``field | value`` table and then a table per list of records and per nested section.

The tables hold ids, short titles, our short labels, relationships and counts; never
measure texts, even when they are attached to the catalog.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bio2map.core.ids import plain
from bio2map.core.soa import display_id
from bio2map.render.table import Ids, Table, cell

TYPE_CHECKING = False  # typing is not imported at run time: `gaps` draws its tables from here
if TYPE_CHECKING:
    from typing import Any

    from bio2map.catalog.answers import (
        ControlsAnswer,
        Coverage,
        RequirementsAnswer,
        Uncovered,
    )

__all__ = ["answer_tables", "coverage_tables"]


def _controls_tables(a: ControlsAnswer) -> list[Table]:
    r = a.requirement
    n = len(a.controls)
    title = (
        f"ISO controls for {r.id} ({r.ref}): {r.label} - BIO2 {a.bio2_version}, "
        f"{n} control{'' if n == 1 else 's'}"
    )
    empty = "no ISO control reaches this requirement"
    if r.addressed_by == "legislation":
        empty += "; it is addressed by legislation" + (f" ({', '.join(r.law)})" if r.law else "")
    rows = [
        (
            c.control.id,
            c.control.ref,
            c.control.title,
            c.relationship,
            c.basis,
            Ids(c.via),
            Ids(plain(m) for m in c.measures),
        )
        for c in a.controls
    ]
    cols = ("control", "ref", "title", "relationship", "basis", "via (2024/2690)", "BIO2 measures")
    return [Table(title, cols, rows, empty=empty)]


def _requirements_tables(a: RequirementsAnswer) -> list[Table]:
    c = a.control
    n = len(a.requirements)
    measure = f", for BIO2 measure {plain(a.measure)}" if a.measure else ""
    title = (
        f"NIS2 and 2024/2690 requirements for {c.id} ({c.ref}): {c.title}{measure} - "
        f"{n} requirement{'' if n == 1 else 's'}"
    )
    rows = [
        (
            m.requirement.id,
            m.requirement.ref,
            m.requirement.label,
            m.relationship,
            m.basis,
            Ids(m.via),
        )
        for m in a.requirements
    ]
    cols = ("requirement", "ref", "label", "relationship", "basis", "via (2024/2690)")
    out = [Table(title, cols, rows, empty="no NIS2 requirement reaches this control")]
    if a.cbw_framework:
        out.append(
            Table(
                f"Cbw (NIS2) Control Framework controls {c.ref} helps with",
                ("control", "label", "label (nl)", "via"),
                [
                    (m.requirement.id, m.requirement.label, m.requirement.label_nl, Ids(m.via))
                    for m in a.cbw_framework
                ],
            )
        )
    return out


def _weight(value: float | None) -> str:
    return "left out" if value is None else format(value, "g")


def _item_rows(items: Sequence[Mapping[str, Any]]) -> list[tuple[object, ...]]:
    return [
        (
            i["ref"] or i["id"],
            i["label"],
            i["status"],
            f"{i['share']:.2f}",
            f"{len(i['implemented'])} of {i['counted']}" if i["counted"] else "-",
            i["reason"],
        )
        for i in items
    ]


def _counts(summary: Mapping[str, Any], prefix: str) -> str:
    names = ("full", "partial", "none", "not_applicable", "unmapped")
    return ", ".join(
        f"{summary[f'{prefix}_{n}']} {n.replace('_', '-')}"
        for n in names
        if n in ("full", "partial", "none") or summary[f"{prefix}_{n}"]
    )


def _score_table(doc: Mapping[str, Any], metric: str | None) -> Table:
    rows = [
        (
            name + (" (gate)" if name == metric else ""),
            f"{m['value']:.2f}",
            f"{m['over']} of {m['of']}",
            Ids(x["ref"] or x["id"] for x in m["left_out"]),
        )
        for name, m in doc["metrics"].items()
    ]
    notes = [f"{name}: {m['rule']}." for name, m in doc["metrics"].items()]
    if "fail_under" in doc:
        verdict = "passed: " if doc["passed"] else "FAILED: "
        notes.append(
            f"{verdict}{doc['score']:.2f} {'>=' if doc['passed'] else 'is below'} "
            f"--fail-under {doc['fail_under']:.2f} ({metric})"
        )
    return Table(
        f"Scores of {doc['source']}",
        ("metric", "score", "over", "left out (unmapped or not applicable)"),
        rows,
        notes,
        limited=False,
    )


def _soa_table(doc: Mapping[str, Any]) -> Table:
    entries = doc["soa_entries"]
    rows = [
        (
            str(e["line"]) if e["line"] else "",
            display_id(e["id"]),
            e["kind"],
            e["status"],
            _weight(e["weight"]),
            f"{e['points']} / {e['requirements']}" if e["counted"] else "not counted",
            e["reason"],
            e["justification"],
        )
        for e in entries
    ]
    skipped = sum(1 for e in entries if not e["counted"])
    notes = [
        f"{len(entries) - skipped} of {len(entries)} lines counted; "
        + (f"{skipped} not counted (see the note column)." if skipped else "none left out.")
    ]
    cols = ("line", "id", "kind", "status", "weight", "points / requirements", "note")
    return Table(f"SoA lines of {doc['source']}", (*cols, "justification"), rows, notes)


def coverage_tables(
    doc: Mapping[str, Any], *, annex: bool = True, metric: str | None = None
) -> list[Table]:
    """The tables of a coverage document (``Coverage.as_dict()`` or
    ``Catalog.coverage_data``, and what ``bio2map gaps`` adds to it).

    The scores; the ten Art. 21(2) points; with ``annex`` every assessable 2024/2690
    requirement; every SoA line (counted or not, with the reason and its justification);
    the obligations the law handles. Controls are written ``A.5.19`` and clauses
    ``cl. 9.3``, so the two cannot be confused.

    Args:
        doc: the document.
        annex: include the table of 2024/2690 requirements.
        metric: the metric a gate used (marked in the scores table).

    .. versionadded:: 0.2.0
    """
    s = doc["summary"]
    clauses = "clauses assessed" if s["clauses_assessed"] else "no clause in the SoA"
    tables = [
        _score_table(doc, metric),
        Table(
            f"NIS2 Art. 21(2) points: {_counts(s, 'points')} ({clauses})",
            ("point", "label", "status", "share", "implemented", "reason"),
            _item_rows(doc["points"]),
        ),
    ]
    if annex:
        tables.append(
            Table(
                f"2024/2690 requirements: {_counts(s, 'requirements')}",
                ("requirement", "label", "status", "share", "implemented", "reason"),
                _item_rows(doc["requirements"]),
            )
        )
    tables.append(_soa_table(doc))
    tables.append(
        Table(
            "NIS2 obligations handled by legislation (no control can cover them)",
            ("requirement", "label", "law"),
            [(r["id"], r["label"], Ids(r["law"])) for r in doc["legislation"]],
        )
    )
    return tables


def _coverage_tables(a: Coverage) -> list[Table]:
    return coverage_tables(a.as_dict())


def _uncovered_tables(a: Uncovered) -> list[Table]:
    v = a.bio2_version
    return [
        Table(
            "NIS2 obligations no ISO control reaches",
            ("requirement", "ref", "label", "addressed by", "law"),
            [(r.id, r.ref, r.label, r.addressed_by, Ids(r.law)) for r in a.nis2_without_controls],
        ),
        Table(
            "2024/2690 requirements without an ISO target",
            ("requirement", "kind", "label"),
            [(r.id, r.kind, r.label) for r in a.ir2690_without_target],
        ),
        Table(
            "ISO 27002 controls no NIS2 requirement reaches",
            ("control", "ref", "title"),
            [(c.id, c.ref, c.title) for c in a.controls_without_requirement],
        ),
        Table(
            "ISO 27001 clauses no NIS2 requirement reaches",
            ("clause", "ref", "title"),
            [(c.id, c.ref, c.title) for c in a.clauses_without_requirement],
        ),
        Table(
            f"ISO 27002 controls without a BIO2 {v} measure",
            ("control", "ref", "title"),
            [(c.id, c.ref, c.title) for c in a.controls_without_measure],
        ),
        Table(
            f"BIO2 {v} measures that trace to no NIS2 requirement",
            ("measure", "control"),
            [(m.id, m.control) for m in a.measures_without_requirement],
        ),
        Table(
            "NIS2 obligations the law handles: Cbw articles and Cbw framework controls",
            ("requirement", "ref", "label", "Cbw", "Cbw framework controls"),
            [
                (
                    h.requirement.id,
                    h.requirement.ref,
                    h.requirement.label,
                    Ids(h.law),
                    Ids(x.id for x in h.controls),
                )
                for h in a.cbw_framework
            ],
        ),
    ]


def _generic_title(doc: Mapping[str, Any], name: str) -> str:
    if name == "Lineage":
        ids = ", ".join(doc.get("ids", ()))
        return f"Lineage of BIO2 measure {doc.get('id')} (looked up in {doc.get('at')}): {ids}"
    old, new = doc.get("from"), doc.get("to")
    if isinstance(old, str) and isinstance(new, str):
        return f"{name} {old} -> {new}"
    return name


def _generic_tables(doc: Mapping[str, Any], title: str, prefix: str = "") -> list[Table]:
    """One ``field | value`` table, then a table per list of records and nested section."""
    from bio2map.render.documents import columns, has_lists, is_records

    fields: list[tuple[object, object]] = []
    more: list[Table] = []
    for key, value in doc.items():
        name = prefix + str(key)
        if isinstance(value, Mapping) and has_lists(value):
            fields.append((name, "see below"))
            more.extend(_generic_tables(value, name, name + "."))
        elif is_records(value):
            n = len(value)
            fields.append((name, f"{n} entr{'y' if n == 1 else 'ies'}, see below"))
            cols = columns(value)
            more.append(Table(f"{name} ({n})", cols, [[r.get(c) for c in cols] for r in value]))
        elif isinstance(value, Sequence) and not isinstance(value, str):
            listed = cell(value)  # Ids, or "3 items" for a list that holds records
            if isinstance(listed, Ids):
                fields.append((name, Ids(listed.ids, counted=True)))
            else:
                fields.append((name, f"{len(value)}: {listed}"))
        else:
            fields.append((name, value))
    return [Table(title, ("field", "value"), fields, limited=False), *more]


_HIDDEN = frozenset({"signature", "text", "seq"})  # never shown: long, or not ours to show


def _record_title(r: object) -> str:
    from bio2map.catalog import answers as model
    from bio2map.core import records

    if isinstance(r, records.Requirement):
        return f"Requirement {r.id} ({r.ref}): {r.label}"
    if isinstance(r, records.Control):
        return f"ISO {r.kind} {r.id} ({r.ref}): {r.title}"
    if isinstance(r, records.Measure):
        return f"BIO2 {r.draft} measure {r.number}: {r.label_en} / {r.label_nl}"
    if isinstance(r, model.ControlMatch):
        return f"{r.control.id} ({r.control.ref}): {r.control.title} - {r.relationship}"
    if isinstance(r, model.RequirementMatch):
        q = r.requirement
        return f"{q.id} ({q.ref}): {q.label} - {r.relationship}"
    if isinstance(r, model.CoverageItem):
        return f"Coverage of {r.id} ({r.ref}): {r.label} - {r.status}, share {r.share:.2f}"
    if isinstance(r, model.CoverageControl):
        return f"{r.id} in the SoA: {r.status}"
    return type(r).__name__


def _record_tables(r: object) -> list[Table]:
    """A record (requirement, control, measure, match, coverage item) as ``field | value``."""
    import attrs

    rows: list[tuple[object, object]] = []
    for f in attrs.fields(type(r)):  # type: ignore[arg-type]  # a record: checked by the caller
        if f.name in _HIDDEN:
            continue
        value = getattr(r, f.name)
        if attrs.has(type(value)):  # a nested record: its id, or its fields in short
            value = getattr(value, "id", None) or ", ".join(
                f"{k}: {cell(v)}" for k, v in attrs.asdict(value).items()
            )
        rows.append((f.name, value))
    return [Table(_record_title(r), ("field", "value"), rows, limited=False)]


def answer_tables(answer: object) -> list[Table]:
    """The tables of an answer record, or of anything with an ``as_dict()`` (or a dict).

    Raises:
        TypeError: ``answer`` is none of these.
    """
    from bio2map.catalog import answers as model

    if isinstance(answer, model.ControlsAnswer):
        return _controls_tables(answer)
    if isinstance(answer, model.RequirementsAnswer):
        return _requirements_tables(answer)
    if isinstance(answer, model.Coverage):
        return _coverage_tables(answer)
    if isinstance(answer, model.Uncovered):
        return _uncovered_tables(answer)
    from bio2map.core import records

    if isinstance(
        answer,
        records.Requirement
        | records.Control
        | records.Measure
        | model.ControlMatch
        | model.RequirementMatch
        | model.CoverageItem
        | model.CoverageControl,
    ):
        return _record_tables(answer)

    from bio2map.render.documents import answer_document

    doc, name = answer_document(answer, "to_html")
    return _generic_tables(doc, _generic_title(doc, name))
