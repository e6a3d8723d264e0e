"""Answers as DataFrame rows: the records behind :func:`bio2map.render.notebook.to_pandas`.

:func:`answer_records` gives the columns, the rows (one per control, requirement,
coverage item, gap or diff entry; lists as tuples) and what goes into
``DataFrame.attrs``. It imports no pandas.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from bio2map.render.documents import answer_document, columns, has_lists

if TYPE_CHECKING:
    from bio2map.catalog.answers import ControlsAnswer, Coverage, RequirementsAnswer, Uncovered

__all__ = ["answer_records"]

_CONTROL_COLUMNS: Final = (
    "requirement",
    "id",
    "ref",
    "kind",
    "title",
    "relationship",
    "basis",
    "via",
    "via_basis",
    "sources",
    "measures",
)
_REQUIREMENT_COLUMNS: Final = (
    "control",
    "measure",
    "id",
    "framework",
    "ref",
    "kind",
    "label",
    "relationship",
    "basis",
    "via",
    "via_basis",
    "sources",
)
_COVERAGE_COLUMNS: Final = (
    "group",
    "id",
    "status",
    "share",
    "relationship",
    "n_mapped",
    "n_implemented",
    "mapped",
    "implemented",
    "missing",
    "note",
)
_UNCOVERED_COLUMNS: Final = ("gap", "id", "ref", "label", "addressed_by", "law", "control")


def _frozen(value: object) -> object:
    """Lists (also nested) as tuples, so DataFrame cells hash and compare."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


_Records = tuple[tuple[str, ...], list[dict[str, Any]], dict[str, Any]]


def answer_records(answer: object) -> _Records:
    """Columns, rows and ``DataFrame.attrs`` for :func:`~bio2map.render.notebook.to_pandas`.

    Raises:
        TypeError: ``answer`` is neither an answer record nor has ``as_dict()``.
    """
    from bio2map.catalog import answers as model

    if isinstance(answer, model.ControlsAnswer):
        return _controls_records(answer)
    if isinstance(answer, model.RequirementsAnswer):
        return _requirements_records(answer)
    if isinstance(answer, model.Coverage):
        return _coverage_records(answer)
    if isinstance(answer, model.Uncovered):
        meta = {"bio2_version": answer.bio2_version, "basis": answer.basis}
        return _UNCOVERED_COLUMNS, _uncovered_records(answer), meta
    doc, _ = answer_document(answer, "to_pandas")
    rows, meta = _generic_records(doc)
    return columns([{"category": None}, *rows]), rows, meta


def _controls_records(answer: ControlsAnswer) -> _Records:
    r = answer.requirement
    rows = [
        {
            "requirement": r.id,
            "id": c.control.id,
            "ref": c.control.ref,
            "kind": c.control.kind,
            "title": c.control.title,
            "relationship": c.relationship,
            "basis": c.basis,
            "via": c.via,
            "via_basis": c.via_basis,
            "sources": c.sources,
            "measures": c.measures,
        }
        for c in answer.controls
    ]
    meta = {
        "requirement": r.id,
        "label": r.label,
        "addressed_by": r.addressed_by,
        "bio2_version": answer.bio2_version,
        "basis": answer.basis,
    }
    return _CONTROL_COLUMNS, rows, meta


def _requirements_records(answer: RequirementsAnswer) -> _Records:
    rows = [
        {
            "control": answer.control.id,
            "measure": answer.measure,
            "id": m.requirement.id,
            "framework": m.requirement.framework,
            "ref": m.requirement.ref,
            "kind": m.requirement.kind,
            "label": m.requirement.label,
            "relationship": m.relationship,
            "basis": m.basis,
            "via": m.via,
            "via_basis": m.via_basis,
            "sources": m.sources,
        }
        for m in answer.requirements
    ]
    meta = {
        "control": answer.control.id,
        "title": answer.control.title,
        "measure": answer.measure,
        "basis": answer.basis,
    }
    return _REQUIREMENT_COLUMNS, rows, meta


def _coverage_records(answer: Coverage) -> _Records:
    rows = [
        {
            "group": group,
            "id": i.id,
            "status": i.status,
            "share": i.share,
            "relationship": i.relationship,
            "n_mapped": len(i.mapped),
            "n_implemented": len(i.implemented),
            "mapped": i.mapped,
            "implemented": i.implemented,
            "missing": i.missing,
            "note": i.note,
        }
        for group, items in (("point", answer.points), ("requirement", answer.requirements))
        for i in items
    ]
    meta = {
        "summary": answer.summary.as_dict(),
        "legislation": tuple(r.id for r in answer.legislation),
    }
    return _COVERAGE_COLUMNS, rows, meta


def _uncovered_records(a: Uncovered) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    empty = dict.fromkeys(_UNCOVERED_COLUMNS)
    for gap, reqs in (
        ("nis2_without_controls", a.nis2_without_controls),
        ("ir2690_without_target", a.ir2690_without_target),
    ):
        rows.extend(
            {
                **empty,
                "gap": gap,
                "id": r.id,
                "ref": r.ref,
                "label": r.label,
                "addressed_by": r.addressed_by,
                "law": r.law,
            }
            for r in reqs
        )
    for gap, controls in (
        ("controls_without_requirement", a.controls_without_requirement),
        ("clauses_without_requirement", a.clauses_without_requirement),
        ("controls_without_measure", a.controls_without_measure),
    ):
        rows.extend(
            {**empty, "gap": gap, "id": c.id, "ref": c.ref, "label": c.title} for c in controls
        )
    rows.extend(
        {**empty, "gap": "measures_without_requirement", "id": m.id, "control": m.control}
        for m in a.measures_without_requirement
    )
    return rows


def _generic_records(
    doc: Mapping[str, Any], prefix: str = ""
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows (``category`` + the entry's fields) for every list entry; the rest as attrs."""
    rows: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    for key, value in doc.items():
        name = prefix + str(key)
        if isinstance(value, Mapping) and has_lists(value):
            sub_rows, sub_meta = _generic_records(value, name + ".")
            rows.extend(sub_rows)
            meta.update(sub_meta)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for v in value:
                if isinstance(v, Mapping):
                    rows.append({"category": name, **{k: _frozen(x) for k, x in v.items()}})
                else:
                    rows.append({"category": name, "id": v})
        elif isinstance(value, Mapping):
            meta[name] = dict(value)
        else:
            meta[name] = value
    return rows, meta
