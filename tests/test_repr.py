"""Every public record and answer has a one-line repr and an HTML view with its label.

A repr is what Jupyter and a debugger show: it must name the thing and stay short (the
attrs default printed whole nested records, tens of kilobytes for a coverage answer).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

import bio2map

MAX_REPR = 200


def things(catalog: bio2map.Catalog) -> dict[str, Any]:
    coverage = catalog.coverage({"5.19": "implemented", "8.8": "partially_implemented"})
    controls = catalog.controls_for("21(2)(d)")
    requirements = catalog.requirements_for("5.19")
    return {
        "catalog": catalog,
        "requirement": catalog.get("21(2)(d)"),
        "annex requirement": catalog.get("ir2690:5.1.4"),
        "control": catalog.get("5.19"),
        "clause": catalog.get("clause 6.1.2"),
        "measure": catalog.get("5.19.01"),
        "mapping": catalog.mappings[0],
        "dataset": catalog.datasets[0],
        "draft": catalog.draft,
        "controls answer": controls,
        "control match": controls.controls[0],
        "requirements answer": requirements,
        "requirement match": requirements.requirements[0],
        "coverage": coverage,
        "coverage item": coverage.points[0],
        "coverage summary": coverage.summary,
        "uncovered": catalog.uncovered(),
        "lineage": bio2map.history("5.10.02"),
        "version diff": bio2map.diff("1.2", "1.3"),
    }


@pytest.fixture(scope="module")
def objects(catalog: bio2map.Catalog) -> dict[str, Any]:
    return things(catalog)


def test_reprs_are_one_short_line(objects: dict[str, Any]) -> None:
    for name, obj in objects.items():
        text = repr(obj)
        assert "\n" not in text, name
        assert text.startswith("<"), (name, text)
        assert len(text) <= MAX_REPR or name == "lineage", (name, len(text))
    assert repr(objects["controls answer"]) == "<ControlsAnswer nis2:21.2.d: 5 controls>"
    assert repr(objects["requirement"]) == (
        "<Requirement nis2:21.2.d Art. 21(2)(d): supply chain security>"
    )
    assert repr(objects["measure"]) == (
        "<Measure bio2:5.19.01 BIO2 1.3: security requirements included in tenders>"
    )
    assert repr(objects["clause"]).startswith("<Control iso27001:6.1.2 (clause) 6.1.2: ")


def test_search_results_are_readable(catalog: bio2map.Catalog) -> None:
    found = catalog.search("leverancier")
    assert found
    assert all(len(repr(n)) <= MAX_REPR for n in found)


def test_html_views_show_the_label(objects: dict[str, Any]) -> None:
    expected = {
        "requirement": "supply chain security",
        "annex requirement": "contractual security clauses with suppliers",
        "control": "Information security in supplier relationships",
        "clause": "Information security risk assessment",
        "measure": "security requirements included in tenders",
        "controls answer": "supply chain security",
        "control match": "Information security in supplier relationships",
        "requirements answer": "Information security in supplier relationships",
        "requirement match": "risk analysis and information system security policies",
        "coverage": "Scores of",
        "coverage item": "nis2:21.2.a",
        "uncovered": "NIS2 obligations no ISO control reaches",
        "lineage": "Lineage of BIO2 measure 5.10.02",
        "version diff": "1.2 -&gt; 1.3",
    }
    for name, label in expected.items():
        html = objects[name]._repr_html_()
        root = ET.fromstring(html)  # well-formed: every text escaped
        assert root.get("class") == "bio2map", name
        caption = html.split("<caption>", 1)[1].split("</caption>", 1)[0]
        assert label in caption, (name, caption)


def test_record_html_hides_signatures_and_texts(catalog: bio2map.Catalog) -> None:
    html = catalog.get("5.19.01")._repr_html_()
    assert "signature" not in html
    assert "beveiligingseisen onderdeel van offerteaanvragen" in html
