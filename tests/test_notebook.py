"""Jupyter helpers: escaped, deterministic HTML; DataFrames; figures (Agg)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import pytest

import bio2map
from bio2map.render import notebook
from bio2map.render.notebook import (
    ATTRIBUTE_NAMES,
    DRAFT_KINDS,
    TRANSITION_KINDS,
    changes_per_draft,
    coverage_grid,
    coverage_heatmap,
    to_html,
    to_pandas,
)

if TYPE_CHECKING:
    from bio2map.catalog.answers import Coverage

HAS_DIFF = importlib.util.find_spec("bio2map.drafts.diff") is not None
needs_diff = pytest.mark.skipif(not HAS_DIFF, reason="bio2map.drafts.diff is not there yet")

SUPPLY_CHAIN = ["iso27002:5.19", "iso27002:5.20", "iso27002:5.21", "iso27002:5.22", "iso27002:8.30"]
SOA = {
    "5.19": "implemented",
    "A.5.20": "implemented",
    "8.8": "partially_implemented",
    "8.5": "implemented",
    "8.24": "planned",
}


@pytest.fixture(scope="module")
def coverage(catalog: bio2map.Catalog) -> Coverage:
    return catalog.coverage(SOA)


class Doc:
    """Anything with as_dict(), as a VersionDiff looks from outside."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def as_dict(self) -> dict[str, Any]:
        return self.doc


NASTY = Doc(
    {
        "from": "<1.2>",
        "to": "1.3 & 'more'",
        "texts": False,
        "added": ["<script>alert(1)</script>", "a&b"],
        "moved": [{"from": '"x"', "to": "<y>", "similarity": 0.5, "words": [{"op": "x"}]}],
        "impact": {"controls": [{"id": "c<1>", "before": ["a"], "after": []}], "mapped": True},
        "counts": {"added": 2},
    }
)


def parse(text: str) -> ET.Element:
    """The HTML is well-formed XML: every tag closed, every text escaped."""
    return ET.fromstring(text)


def tables(root: ET.Element) -> list[ET.Element]:
    return root.findall("table")


def body_rows(table: ET.Element) -> list[list[str]]:
    return [["".join(td.itertext()) for td in tr] for tr in table.iterfind("tbody/tr")]


# --- HTML -------------------------------------------------------------------------------


def test_module_import_is_light() -> None:
    code = (
        "import sys, bio2map.render.notebook; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    assert dir(notebook) == sorted(notebook.__all__)


def test_controls_html(catalog: bio2map.Catalog) -> None:
    text = to_html(catalog.controls_for("21(2)(d)"))
    root = parse(text)
    assert root.tag == "div"
    assert root.get("class") == "bio2map"
    (table,) = tables(root)
    assert table.findtext("caption") == (
        "ISO controls for nis2:21.2.d (Art. 21(2)(d)): supply chain security - BIO2 1.3, 5 controls"
    )
    assert [th.text for th in table.iterfind("thead/tr/th")] == [
        "control",
        "ref",
        "title",
        "relationship",
        "basis",
        "via (2024/2690)",
        "BIO2 measures",
    ]
    rows = body_rows(table)
    assert [r[0] for r in rows] == SUPPLY_CHAIN
    assert {r[4] for r in rows} == {"section_heading"}
    assert rows[0][6] == "5.19.01"
    assert rows[1][6] == "5.20.01, 5.20.02, 5.20.03, 5.20.04 (+2)"
    assert rows[0][5].endswith("(+18)")
    via = table.find("tbody/tr/td[6]")
    assert via is not None
    assert via.get("title", "").startswith("ir2690:5.1.1, ir2690:5.1.2, ")
    assert text.endswith("</div>\n")


def test_empty_answer_says_why(catalog: bio2map.Catalog) -> None:
    (table,) = tables(parse(to_html(catalog.controls_for("Art. 23"))))
    (row,) = table.iterfind("tbody/tr")
    assert row[0].get("colspan") == "7"
    assert row[0].text == (
        "no ISO control reaches this requirement; it is addressed by legislation (cbw:25)"
    )


def test_requirements_html(catalog: bio2map.Catalog) -> None:
    ans = catalog.requirements_for("5.19.01")
    table, cbw = tables(parse(to_html(ans, max_rows=None)))
    caption = table.findtext("caption") or ""
    assert caption.startswith("NIS2 and 2024/2690 requirements for iso27002:5.19 (A.5.19)")
    assert [r[0] for r in body_rows(cbw)] == [m.id for m in ans.cbw_framework]
    assert "for BIO2 measure 5.19.01" in caption
    assert [r[0] for r in body_rows(table)] == [m.id for m in ans.requirements]


def test_coverage_html(catalog: bio2map.Catalog, coverage: Coverage) -> None:
    scores, points, reqs, soa, legislation = tables(parse(to_html(coverage)))
    s = coverage.summary
    assert (points.findtext("caption") or "").startswith(
        f"NIS2 Art. 21(2) points: {s.points_full} full, {s.points_partial} partial"
    )
    assert [r[0] for r in body_rows(scores)] == [m.name for m in coverage.metrics]
    rows = body_rows(points)
    assert len(rows) == 10
    d = rows[3]
    assert d[0] == "Art. 21(2)(d)"
    assert d[2:] == [
        "partial",
        "0.40",
        "2 of 5",
        "2 of 5 controls implemented; A.5.21, A.5.22, A.8.30 not in the SoA",
    ]
    assert [r[1] for r in body_rows(soa)] == ["A.5.19", "A.5.20", "A.8.5", "A.8.8", "A.8.24"]
    assert len(body_rows(reqs)) == 61  # 60 rows and a "more rows" note
    assert body_rows(reqs)[-1] == [
        f"… {len(coverage.requirements) - 60} more rows (to_pandas() gives all)"
    ]
    assert [r[0] for r in body_rows(legislation)] == ["nis2:20", "nis2:23"]


def test_uncovered_html(catalog: bio2map.Catalog) -> None:
    u = catalog.uncovered()
    found = tables(parse(to_html(u, max_rows=None)))
    assert len(found) == 7
    counts = [len(body_rows(t)) for t in found]
    # an empty table shows one row that says so
    assert counts == [
        max(1, len(group))
        for group in (
            u.nis2_without_controls,
            u.ir2690_without_target,
            u.controls_without_requirement,
            u.clauses_without_requirement,
            u.controls_without_measure,
            u.measures_without_requirement,
            u.cbw_framework,
        )
    ]
    assert len(u.ir2690_without_target) == 0
    assert found[3].findtext("caption") == "ISO 27001 clauses no NIS2 requirement reaches"
    assert [r[1] for r in body_rows(found[3])] == ["4", "5.1", "7.4", "7.5", "10.2"]
    assert found[4].findtext("caption") == "ISO 27002 controls without a BIO2 1.3 measure"


def test_html_is_escaped() -> None:
    text = to_html(NASTY)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, a&amp;b" in text
    assert "&quot;x&quot;" in text
    root = parse(text)
    summary, moved, impact, controls = tables(root)
    assert summary.findtext("caption") == "Doc <1.2> -> 1.3 & 'more'"
    assert body_rows(summary)[3] == ["added", "2: <script>alert(1)</script>, a&b"]
    assert body_rows(summary)[-1] == ["counts", "added: 2"]
    # nested records (word-level differences, which may hold text) are only counted
    assert body_rows(moved) == [['"x"', "<y>", "0.5", "1 item"]]
    assert impact.findtext("caption") == "impact"
    assert body_rows(controls) == [["c<1>", "a", ""]]


def test_html_is_deterministic(catalog: bio2map.Catalog, coverage: Coverage) -> None:
    assert to_html(catalog.controls_for("21(2)(d)")) == to_html(catalog.controls_for("nis2:21.2.d"))
    assert to_html(coverage) == to_html(catalog.coverage(dict(reversed(SOA.items()))))
    # and the same in another process with another hash seed
    code = (
        "import hashlib, bio2map; from bio2map.render.notebook import to_html; "
        f"c = bio2map.load('1.3'); print(hashlib.sha256(to_html(c.coverage({SOA!r})).encode()"
        ").hexdigest(), hashlib.sha256(to_html(c.uncovered()).encode()).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout.split()
    assert out == [
        hashlib.sha256(to_html(coverage).encode()).hexdigest(),
        hashlib.sha256(to_html(catalog.uncovered()).encode()).hexdigest(),
    ]


def test_max_rows(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("21(2)(d)")
    (table,) = tables(parse(to_html(ans, max_rows=2)))
    rows = body_rows(table)
    assert [r[0] for r in rows[:2]] == SUPPLY_CHAIN[:2]
    assert rows[2] == ["… 3 more rows (to_pandas() gives all)"]
    assert len(body_rows(tables(parse(to_html(ans, max_rows=None)))[0])) == 5
    with pytest.raises(ValueError, match=r"max_rows must be None or at least 0 \(got -1\)"):
        to_html(ans, max_rows=-1)


def test_tooltips_are_capped() -> None:
    ids = [f"x:{i}" for i in range(100)]
    text = to_html({"ids": ids})
    assert 'title="x:0, x:1, ' in text
    assert "x:39 (+60)" in text
    assert "x:40," not in text


def test_bad_input() -> None:
    with pytest.raises(TypeError, match=r"takes an answer record or an object with as_dict\(\)"):
        to_html(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Doc.as_dict\(\) must return a mapping \(got 'list'\)"):
        to_html(Doc([]))  # type: ignore[arg-type]


@needs_diff
def test_version_diff_html() -> None:
    from bio2map.drafts.diff import diff

    d = diff("1.2", "1.3")
    doc = d.as_dict()
    found = tables(parse(to_html(d, max_rows=None)))
    assert found[0].findtext("caption") == "VersionDiff 1.2 -> 1.3"
    captions = [t.findtext("caption") for t in found]
    assert f"moved ({len(doc['moved'])})" in captions
    moved = found[captions.index(f"moved ({len(doc['moved'])})")]
    assert [r[:2] for r in body_rows(moved)] == [[m["from"], m["to"]] for m in doc["moved"]]
    assert to_html(d) == to_html(diff("1.2", "1.3"))


# --- DataFrames ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas")


def test_pandas_controls(catalog: bio2map.Catalog, pd: Any) -> None:
    df = to_pandas(catalog.controls_for("21(2)(d)"))
    assert df.shape == (5, 11)
    assert list(df["id"]) == SUPPLY_CHAIN
    assert set(df["requirement"]) == {"nis2:21.2.d"}
    assert df.loc[0, "measures"] == ("bio2:5.19.01",)
    assert df.loc[3, "via"] == ("ir2690:5.2.a", "ir2690:5.2.b")
    assert df.loc[3, "via_basis"] == ("section_heading", "section_heading")
    assert set(df["basis"]) == {"section_heading"}
    assert df.attrs == {
        "requirement": "nis2:21.2.d",
        "label": "supply chain security",
        "addressed_by": "controls",
        "bio2_version": "1.3",
        "basis": "all",
    }
    empty = to_pandas(catalog.controls_for("Art. 23"))
    assert empty.shape == (0, 11)
    assert list(empty.columns) == list(df.columns)


def test_pandas_requirements(catalog: bio2map.Catalog, pd: Any) -> None:
    ans = catalog.requirements_for("5.19")
    df = to_pandas(ans)
    assert df.shape == (len(ans.requirements), 12)
    assert df.attrs["basis"] == "all"
    assert list(df["id"]) == [m.id for m in ans.requirements]
    assert list(df["framework"].unique()) == ["nis2", "ir2690"]
    assert df["measure"].isna().all()
    assert df.attrs["control"] == "iso27002:5.19"


def test_pandas_coverage(coverage: Coverage, pd: Any) -> None:
    df = to_pandas(coverage)
    assert df.shape == (len(coverage.points) + len(coverage.requirements), 11)
    points = df[df["group"] == "point"]
    assert len(points) == 10
    d = points.set_index("id").loc["nis2:21.2.d"]
    assert (d["status"], d["share"], d["n_mapped"], d["n_implemented"]) == ("partial", 0.4, 5, 2)
    assert d["missing"] == ("iso27002:5.21", "iso27002:5.22", "iso27002:8.30")
    assert list(df["share"]) == [i.share for i in (*coverage.points, *coverage.requirements)]
    assert df.attrs["summary"] == coverage.summary.as_dict()
    assert df.attrs["legislation"] == ("nis2:20", "nis2:23")


def test_pandas_uncovered(catalog: bio2map.Catalog, pd: Any) -> None:
    u = catalog.uncovered()
    df = to_pandas(u)
    doc = u.as_dict()
    # cbw_framework says which law handles Art. 20 and 23: context, not a gap row
    expected = {
        k: len(v) for k, v in doc.items() if isinstance(v, list) and v and k != "cbw_framework"
    }
    assert df["gap"].value_counts().to_dict() == expected
    assert df.shape == (sum(expected.values()), 7)
    first = df.iloc[0]
    assert (first["gap"], first["id"], first["law"]) == (
        "nis2_without_controls",
        "nis2:20",
        ("cbw:24",),
    )


def test_pandas_generic(pd: Any) -> None:
    df = to_pandas(NASTY)
    assert list(df["category"]) == ["added", "added", "moved", "impact.controls"]
    assert df.loc[2, "words"] == ({"op": "x"},)
    assert df.loc[3, "before"] == ("a",)
    assert df.attrs == {
        "from": "<1.2>",
        "to": "1.3 & 'more'",
        "texts": False,
        "impact.mapped": True,
        "counts": {"added": 2},
    }
    assert list(to_pandas({}).columns) == ["category"]


@needs_diff
def test_pandas_version_diff(pd: Any) -> None:
    from bio2map.drafts.diff import diff

    d = diff("1.2", "1.3")
    doc = d.as_dict()
    df = to_pandas(d)
    counts = df["category"].value_counts().to_dict()
    for key in ("added", "removed", "retired", "moved", "changed", "kind_changed"):
        assert counts.get(key, 0) == len(doc[key])
    assert counts.get("impact.controls", 0) == len(doc["impact"]["controls"])
    assert (df.attrs["from"], df.attrs["to"]) == ("1.2", "1.3")


def test_missing_pandas_names_the_extra(
    catalog: bio2map.Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'bio2map\[pandas\]'"):
        to_pandas(catalog.controls_for("21(2)(d)"))


# --- figures -------------------------------------------------------------------------------


def test_coverage_grid(catalog: bio2map.Catalog, coverage: Coverage) -> None:
    grid = coverage_grid(coverage, catalog)
    assert grid.by == "theme"
    assert grid.columns == ("organizational", "people", "physical", "technological")
    assert grid.rows == tuple(p.id for p in coverage.points)
    d = grid.rows.index("nis2:21.2.d")
    assert grid.labels[d] == "Art. 21(2)(d) supply chain security"
    assert grid.mapped[d] == (4, 0, 0, 1)
    assert grid.implemented[d] == (2, 0, 0, 0)
    assert grid.shares[d] == (0.5, None, None, 0.0)
    # every control has one theme: the row sums are the mapped ISO 27002 controls
    for item, mapped, done in zip(coverage.points, grid.mapped, grid.implemented, strict=True):
        assert sum(mapped) == len([c for c in item.mapped if c.startswith("iso27002:")])
        assert sum(done) == len(item.implemented)


@pytest.mark.parametrize("by", ATTRIBUTE_NAMES)
def test_coverage_grid_by_attribute(catalog: bio2map.Catalog, coverage: Coverage, by: str) -> None:
    grid = coverage_grid(coverage, catalog, by)
    values = {v for c in catalog.controls if c.attributes for v in getattr(c.attributes, by)}
    assert set(grid.columns) == values
    j = grid.rows.index("nis2:21.2.j")  # only 8.5, implemented
    attrs = catalog.get("8.5").attributes  # type: ignore[union-attr]
    assert attrs is not None
    for col, share in zip(grid.columns, grid.shares[j], strict=True):
        assert share == (1.0 if col in getattr(attrs, by) else None)


def test_coverage_grid_bad_by(catalog: bio2map.Catalog, coverage: Coverage) -> None:
    with pytest.raises(ValueError, match=r"got 'cyber_concepts' \(did you mean 'cybersecurity"):
        coverage_grid(coverage, catalog, "cyber_concepts")


@pytest.fixture(scope="module")
def agg() -> Any:
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return FigureCanvasAgg


def png(fig: Any, canvas: Any) -> bytes:
    canvas(fig).draw()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_coverage_heatmap(catalog: bio2map.Catalog, coverage: Coverage, agg: Any) -> None:
    fig = coverage_heatmap(coverage, catalog)
    ax, _colorbar = fig.axes
    (image,) = ax.get_images()
    data = image.get_array()
    assert data is not None
    assert data.shape == (10, 4)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "organizational",
        "people",
        "physical",
        "technological",
    ]
    assert ax.get_yticklabels()[3].get_text() == "Art. 21(2)(d) supply chain security"
    assert "2/4" in [t.get_text() for t in ax.texts]
    assert png(fig, agg).startswith(b"\x89PNG")
    wide = coverage_heatmap(coverage, catalog, by="operational_capabilities")
    assert len(wide.axes[0].get_xticklabels()) == 15
    assert png(wide, agg).startswith(b"\x89PNG")


def test_changes_per_draft(catalog: bio2map.Catalog, agg: Any) -> None:
    fig = changes_per_draft(catalog)
    (ax,) = fig.axes
    assert len(ax.containers) == len(DRAFT_KINDS)
    measures = [bar.get_height() for bar in ax.containers[0]]
    assert measures == [dict(d.counts)["measures"] for d in catalog.drafts]
    tops = [sum(c[i].get_height() for c in ax.containers) for i in range(len(catalog.drafts))]
    assert tops == [dict(d.counts)["entries"] for d in catalog.drafts]
    assert [t.get_text() for t in ax.get_xticklabels()] == [d.slug for d in catalog.drafts]
    assert png(fig, agg).startswith(b"\x89PNG")


@needs_diff
def test_changes_per_draft_with_transitions(catalog: bio2map.Catalog, agg: Any) -> None:
    from bio2map.drafts.diff import diff

    fig = changes_per_draft(catalog, transitions=True)
    _, tx = fig.axes
    assert len(tx.containers) == len(TRANSITION_KINDS)
    last = diff("1.2", "1.3").as_dict()
    assert [c[-1].get_height() for c in tx.containers] == [len(last[k]) for k in TRANSITION_KINDS]
    assert png(fig, agg).startswith(b"\x89PNG")


def test_missing_matplotlib_names_the_extra(
    catalog: bio2map.Catalog, coverage: Coverage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'bio2map\[plot\]'"):
        coverage_heatmap(coverage, catalog)
    with pytest.raises(ImportError, match=r"changes_per_draft needs matplotlib"):
        changes_per_draft(catalog)
