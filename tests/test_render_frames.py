"""bio2map.render.frames: the columns, rows and attrs behind ``to_pandas`` (no pandas)."""

from __future__ import annotations

from typing import Any

import pytest

import bio2map
from bio2map.render.frames import answer_records


def test_controls_rows(catalog: bio2map.Catalog) -> None:
    answer = catalog.controls_for("21(2)(d)")
    cols, rows, meta = answer_records(answer)
    assert cols[:3] == ("requirement", "id", "ref")
    assert len(rows) == len(answer.controls)
    assert [r["id"] for r in rows] == [c.control.id for c in answer.controls]
    first = rows[0]
    assert set(first) == set(cols)
    assert first["requirement"] == "nis2:21.2.d"
    assert first["sources"] == answer.controls[0].sources
    assert meta == {
        "requirement": "nis2:21.2.d",
        "label": answer.requirement.label,
        "addressed_by": answer.requirement.addressed_by,
        "bio2_version": "1.3",
        "basis": "all",
    }


def test_requirements_rows(catalog: bio2map.Catalog) -> None:
    answer = catalog.requirements_for("5.19")
    cols, rows, meta = answer_records(answer)
    assert cols[:2] == ("control", "measure")
    assert {r["control"] for r in rows} == {"iso27002:5.19"}
    assert [r["id"] for r in rows] == [m.requirement.id for m in answer.requirements]
    assert meta["control"] == "iso27002:5.19"
    assert meta["basis"] == "all"


def test_coverage_rows_points_then_requirements(catalog: bio2map.Catalog) -> None:
    cov = catalog.coverage({"5.19": "implemented", "5.20": "implemented"})
    cols, rows, meta = answer_records(cov)
    groups = [r["group"] for r in rows]
    assert groups == ["point"] * len(cov.points) + ["requirement"] * len(cov.requirements)
    d = next(r for r in rows if r["id"] == "nis2:21.2.d")
    item = next(p for p in cov.points if p.id == "nis2:21.2.d")
    assert (d["n_mapped"], d["n_implemented"]) == (len(item.mapped), len(item.implemented))
    assert d["implemented"] == item.implemented
    assert set(cols) == set(d)
    assert meta["summary"] == cov.summary.as_dict()
    assert meta["legislation"] == tuple(r.id for r in cov.legislation)


def test_uncovered_rows_have_every_column(catalog: bio2map.Catalog) -> None:
    gaps = catalog.uncovered()
    cols, rows, meta = answer_records(gaps)
    assert all(tuple(r) == cols for r in rows)  # the same keys in the same order
    kinds = (
        "nis2_without_controls",
        "ir2690_without_target",
        "controls_without_requirement",
        "clauses_without_requirement",
        "controls_without_measure",
        "measures_without_requirement",
    )
    assert [r["gap"] for r in rows] == [k for k in kinds for _ in getattr(gaps, k)]
    measure_rows = [r for r in rows if r["gap"] == "measures_without_requirement"]
    assert measure_rows
    assert all(r["control"] and r["label"] is None for r in measure_rows)
    law = next(r for r in rows if r["gap"] == "nis2_without_controls")
    assert law["law"] == gaps.nis2_without_controls[0].law
    assert meta == {"bio2_version": "1.3", "basis": "all"}


def test_a_generic_document_becomes_rows_and_attrs() -> None:
    doc: dict[str, Any] = {
        "old": "1.2",
        "added": ["5.1.01", "5.1.02"],
        "moved": [{"from": "5.1.03", "to": "5.2.01", "sources": ["a", ["b"]]}],
        "impact": {"points": [{"id": "nis2:21.2.d"}], "note": "n"},
        "summary": {"added": 2},
    }
    cols, rows, meta = answer_records(doc)
    assert rows == [
        {"category": "added", "id": "5.1.01"},
        {"category": "added", "id": "5.1.02"},
        {"category": "moved", "from": "5.1.03", "to": "5.2.01", "sources": ("a", ("b",))},
        {"category": "impact.points", "id": "nis2:21.2.d"},
    ]
    assert cols == ("category", "id", "from", "to", "sources")
    assert meta == {"old": "1.2", "impact.note": "n", "summary": {"added": 2}}


def test_what_has_no_document_is_refused() -> None:
    with pytest.raises(TypeError, match="to_pandas takes an answer record"):
        answer_records(object())
