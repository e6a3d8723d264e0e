"""``bio2map report`` and ``Coverage.to_html_report`` / ``to_excel``: contents, anchors,
determinism, the workbook read back with openpyxl, and bad input (exit 2, nothing written).

The browser tests of the HTML page are in ``tests/test_report_browser.py``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.formats.report_data import COVERAGE_STATUSES, SOA_STATUSES, report_data
from bio2map.formats.xlsx import SHEETS
from bio2map.render.report_html import SECTIONS

HAS_OPENPYXL = importlib.util.find_spec("openpyxl") is not None
needs_openpyxl = pytest.mark.skipif(
    not HAS_OPENPYXL, reason="needs openpyxl: pip install -e '.[xlsx]'"
)

SOA_TEXT = """control,status,justification
A.5.1,implemented,
5.10,implemented,
5.15,implemented,
A.5.19,implemented,
5.20,implemented,
5.21,partial,two of five suppliers assessed
5.24,implemented,
5.29,planned,
8.5,implemented,
8.8,in progress,
8.13,implemented,
8.24,n/a,no cryptography in scope
clause 6.1.2,implemented,
A.5.8,implemented,
"""

LAYER_TEXT = """subject_id,subject_label,predicate_id,object_id,source,confidence,comment
myorg:SUP-01,supplier register,skos:exactMatch,A.5.19,internal framework v3,0.9,
myorg:SUP-01,,subset_of,21(2)(d),internal framework v3,,
"""


@pytest.fixture
def soa(tmp_path: Path) -> Path:
    path = tmp_path / "vvt.csv"
    path.write_text(SOA_TEXT, encoding="utf-8")
    return path


def run(*args: str) -> int:
    return main(["report", *args])


class Ids(HTMLParser):
    """Every id= in the page, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.external: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.external.append(value)


def parsed(text: str) -> Ids:
    p = Ids()
    p.feed(text)
    return p


# --- HTML ------------------------------------------------------------------------------------


def test_html_report_cli(soa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert run("--soa", str(soa), "-o", str(out)) == 0
    assert capsys.readouterr().out.startswith(f"bio2map: wrote {out} (html, ")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    page = parsed(text)
    assert page.external == []  # self-contained: no link leaves the file
    assert not {"link", "img", "iframe", "object", "embed"} & page.tags
    assert "url(" not in text
    assert "@import" not in text
    assert len(page.ids) == len(set(page.ids)), "anchors are unique"
    ids = set(page.ids)
    for key, _title in SECTIONS:
        assert key in ids
    cat = bio2map.load()
    cov = cat.coverage({"5.19": "implemented"})
    for item in (*cov.points, *cov.requirements):
        assert item.id.replace(":", "-", 1) in ids, item.id
    for r in cov.legislation:
        assert r.id.replace(":", "-", 1) in ids
    assert "iso27002-5.19" in ids
    assert "bio2-5.19.01" in ids  # the BIO2 measures of each control, with labels
    measure = cat.get("5.19.01")
    assert measure.label_en in text
    assert measure.label_nl in text
    assert "<svg" in text
    assert "Cbw art. 25" in text
    assert "CC BY 4.0" in text  # licences and attribution from the manifest
    assert "cl. 6.1.2" in text  # a clause named in the SoA is assessed
    assert "two of five suppliers assessed" in text  # justifications are carried
    assert "maps to no Art. 21(2) point or 2024/2690 requirement" in text  # A.5.8


def test_html_reads_without_script(soa: Path) -> None:
    text = bio2map.load().coverage({"5.19": "implemented"}).to_html_report(soa=soa)
    # every <details> is open, the toolbar is hidden until the script shows it
    assert text.count("<details") == text.count("<details class='point' id=") == 10
    assert all(" open>" in d for d in re.findall(r"<details[^>]*>", text))
    assert "id='toolbar' hidden" in text
    scripts = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)
    assert len(scripts) == 1
    assert len(scripts[0]) < 1000
    assert "http" not in scripts[0]


def test_report_statuses_and_reasons(soa: Path) -> None:
    cat = bio2map.load()
    from bio2map.formats.soa import read_soa

    sheet = read_soa(soa, cat)
    data = report_data(cat.coverage(sheet.as_mapping()), cat, sheet)
    d = next(p for p in data.points if p.id == "nis2:21.2.d")
    statuses = {c.ref: c.soa_status for c in d.controls}
    assert statuses["A.5.19"] == "implemented"
    assert statuses["A.5.21"] == "partial"
    assert statuses["A.8.30"] == "not-in-soa"
    assert d.reason.startswith("2 of 5 controls implemented; A.5.21 partial;")
    assert {r.id for r in d.requirements} >= {"ir2690:5.1.1", "ir2690:5.1.4"}
    assert all(r.reason for r in data.requirements)
    na = next(c for c in data.controls if c.ref == "A.8.24")
    assert na.soa_status == "not-applicable"
    assert na.weight is None  # not applicable: out of the denominator
    names = [m.name for m in data.metrics]
    assert names == ["points-mean", "points-min", "annex-mean", "points-any"]
    assert [n.id for n in data.not_counted] == ["iso27002:5.8"]
    assert data.not_counted[0].reason == "maps to no Art. 21(2) point or 2024/2690 requirement"
    assert data.heatmap.columns == ("organizational", "people", "physical", "technological")
    assert len(data.heatmap.rows) == 10
    assert {s for s, _n in data.point_counts} <= set(COVERAGE_STATUSES)


def test_report_with_a_layer_names_it(soa: Path, tmp_path: Path) -> None:
    layer = tmp_path / "mine.csv"
    layer.write_text(LAYER_TEXT, encoding="utf-8")
    out = tmp_path / "r.md"
    assert run("--soa", str(soa), "--layer", str(layer), "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "| layer 1 |  | mine | as its author states | user mapping layer |" in text
    assert "| user mapping layers | mine |" in text


def test_two_runs_give_the_same_bytes(soa: Path, tmp_path: Path) -> None:
    suffixes = [".html", ".md"] + ([".xlsx"] if HAS_OPENPYXL else [])
    for suffix in suffixes:
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        assert run("--soa", str(soa), "-o", str(a)) == 0
        assert run("--soa", str(soa), "-o", str(b)) == 0
        assert a.read_bytes() == b.read_bytes(), suffix


def test_markdown_has_the_same_contents(soa: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert run("--soa", str(soa), "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    for _key, title in SECTIONS:
        assert f"\n## {title}\n" in text
    assert '<a id="nis2-21.2.d"></a>Art. 21(2)(d) supply chain security' in text
    assert '<a id="ir2690-5.1.4"></a>5.1.4' in text
    assert "| A.5.21 | Managing information security in the ICT supply chain | partial |" in text
    assert "Cbw art. 25" in text


def test_stdout_and_format_option(soa: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--soa", str(soa), "-o", "-", "--format", "md") == 0
    assert capsys.readouterr().out.startswith("# NIS2 gap report\n")
    assert run("--soa", str(soa), "-o", "-", "--format", "html", "--title", "VvT 2026") == 0
    assert "<title>VvT 2026</title>" in capsys.readouterr().out


def test_heat_map_by_attribute(soa: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("--soa", str(soa), "-o", str(out), "--by", "cybersecurity_concepts") == 0
    text = out.read_text(encoding="utf-8")
    assert ">Identify</text>" in text
    assert "Art. 21(2) points by cybersecurity concepts" in text


# --- bad input: the gap command's errors, nothing written ----------------------------------


@pytest.mark.parametrize(
    ("soa_text", "output", "message"),
    [
        ("control,status\n5.99,yes\n", "r.html", "bio2map: error: unknown control ids in the SoA:"),
        ("control,status\n5.1,bogus\n", "r.xlsx", "bio2map: error: problems in the SoA:"),
        ("", "r.md", "bio2map: error: empty SoA:"),
        ("control\n5.1\n", "r.pdf", "bio2map: error: cannot tell the report format from"),
        ("control\n5.1\n", "missing/r.html", "bio2map: error: cannot write '"),
        ("control\n5.1\n", "-", "bio2map: error: give --format html or --format md"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    soa_text: str,
    output: str,
    message: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    soa = work / "vvt.csv"
    soa.write_text(soa_text, encoding="utf-8")
    target = output if output == "-" else str(work / output)
    assert run("--soa", str(soa), "-o", target) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert "Traceback" not in captured.err
    assert sorted(p.name for p in work.iterdir()) == ["vvt.csv"]


def test_output_targets(soa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a folder is refused before any work; a device is written to directly, as '>' does
    assert run("--soa", str(soa), "-o", str(tmp_path), "--format", "html") == 2
    assert capsys.readouterr().err == (
        f"bio2map: error: cannot write {str(tmp_path)!r}: it is a folder\n"
    )
    assert run("--soa", str(soa), "-o", "/dev/null", "--format", "html") == 0
    assert Path("/dev/null").is_char_device()
    readonly = tmp_path / "old.html"
    readonly.write_text("old", encoding="utf-8")
    readonly.chmod(0o444)
    assert run("--soa", str(soa), "-o", str(readonly)) == 2
    assert "read-only" in capsys.readouterr().err
    assert readonly.read_text(encoding="utf-8") == "old"


def test_soa_from_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SOA_TEXT.encode())))
    out = tmp_path / "r.md"
    assert run("--soa", "-", "-o", str(out)) == 0
    assert "| Statement of Applicability | <stdin> |" in out.read_text(encoding="utf-8")


def test_missing_soa_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--soa", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.html")) == 2
    assert capsys.readouterr().err.startswith("bio2map: error: cannot read the SoA:")
    assert list(tmp_path.iterdir()) == []


def test_missing_openpyxl_names_the_extra(
    soa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    out = tmp_path / "r.xlsx"
    assert run("--soa", str(soa), "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'bio2map[xlsx]'" in err
    assert not out.exists()
    cov = bio2map.load().coverage({"5.19": "implemented"})
    with pytest.raises(ImportError, match=r"bio2map\[xlsx\]"):
        cov.to_excel(out)
    assert not out.exists()


def test_a_failed_write_leaves_nothing(
    soa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    out = tmp_path / "out"
    out.mkdir()
    assert run("--soa", str(soa), "-o", str(out / "r.html")) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert list(out.iterdir()) == []


# --- the workbook, read back ----------------------------------------------------------------


@needs_openpyxl
def test_workbook_reads_back(soa: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "report.xlsx"
    assert run("--soa", str(soa), "-o", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    heads = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert heads["Points"][:6] == ["id", "ref", "label", "status", "share", "reason"]
    assert heads["Points"][-2:] == ["auditor status", "auditor note"]
    assert heads["Controls"][:6] == ["id", "ref", "title", "kind", "theme", "SoA status"]
    assert heads["BIO2 measures"] == ["id", "control", "control title", "label (en)", "label (nl)"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref is not None, ws.title
        assert ws.auto_filter.ref.startswith("A1:"), ws.title
        for letter, dim in ws.column_dimensions.items():
            assert 6 <= (dim.width or 0) <= 62, (ws.title, letter)
    controls = wb["Controls"]
    rows = {r[1].value: r for r in controls.iter_rows(min_row=2)}
    five_ten = rows["A.5.10"]
    assert five_ten[0].value == "iso27002:5.10"
    assert five_ten[0].data_type == "s"
    assert five_ten[0].number_format == "@"
    assert five_ten[5].value == "implemented"
    assert rows["A.8.24"][5].value == "not-applicable"
    measures = wb["BIO2 measures"]
    ids = [r[0].value for r in measures.iter_rows(min_row=2)]
    assert [i for i in ids if i.startswith("bio2:5.10.")] == ["bio2:5.10.02", "bio2:5.10.03"]
    assert all(isinstance(i, str) for i in ids)
    points = wb["Points"]
    d = next(r for r in points.iter_rows(min_row=2) if r[0].value == "nis2:21.2.d")
    assert d[3].value == "partial"
    assert isinstance(d[4].value, float)
    assert "A.5.21 (partial)" in d[6].value

    def lists(ws: object) -> dict[str, str]:
        return {
            str(dv.sqref): dv.formula1
            for dv in ws.data_validations.dataValidation  # type: ignore[attr-defined]
        }

    point_lists = lists(points)
    assert point_lists["D2:D11"] == '"' + ",".join(COVERAGE_STATUSES) + '"'
    assert point_lists["I2:I11"] == '"' + ",".join(COVERAGE_STATUSES) + '"'
    assert '"' + ",".join(SOA_STATUSES) + '"' in lists(controls).values()
    summary = {(r[0].value, r[1].value): r[2].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary[("metric", "points-any")] == pytest.approx(0.7)
    assert summary[("handled by law", "Art. 23")].startswith("Cbw art. 25")
    not_counted = [r[0].value for r in wb["Not counted"].iter_rows(min_row=2)]
    assert not_counted == ["iso27002:5.8"]
    sources = [r[0].value for r in wb["Sources"].iter_rows(min_row=2)]
    assert sources == ["nis2", "ir2690", "iso27001-2022", "enisa-ir2690-iso27001", "bio2-1.3"]
    assert wb.properties.created == wb.properties.modified


@needs_openpyxl
def test_to_excel_in_python(soa: Path, tmp_path: Path) -> None:
    cat = bio2map.load()
    cov = cat.coverage({"5.19": "implemented", "8.5": "partially_implemented"})
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    cov.to_excel(a, cat)
    cov.to_excel(b, cat, soa={"5.19": "implemented", "8.5": "partially_implemented"})
    assert a.read_bytes() != b.read_bytes()  # the SoA adds the statuses of the rest
    cov.to_excel(a, cat)
    import openpyxl

    wb = openpyxl.load_workbook(b)
    rows = {r[1].value: r[5].value for r in wb["Controls"].iter_rows(min_row=2)}
    assert rows["A.8.5"] == "partial"
    assert rows["A.8.8"] == "not-in-soa"


# --- the adapter reads the coverage model of issue 9 where it is there ----------------------


def test_adapter_reads_the_new_coverage_fields(catalog: bio2map.Catalog) -> None:
    """Each item's controls (SoA status, weight, justification), its reason, the four
    metrics and the SoA lines not counted, as the reworked coverage answer carries them."""
    from types import SimpleNamespace as Ns

    old = catalog.coverage({"5.19": "implemented"})

    def control(cid: str, status: str, weight: float | None, why: str = "") -> Ns:
        return Ns(id=cid, kind="control", status=status, weight=weight, justification=why)

    d_controls = (
        control("iso27002:5.19", "implemented", 1.0),
        control("iso27002:5.20", "partial", 0.5, "two of five suppliers assessed"),
        control("iso27002:5.21", "planned", 0.0),
        control("iso27002:5.22", "not-in-soa", 0.0),
        control("iso27002:8.30", "not-applicable", None, "no outsourced development"),
    )
    points = tuple(
        Ns(
            **{
                **{f: getattr(p, f) for f in ("id", "share", "mapped", "implemented", "note")},
                "status": "partial" if p.id == "nis2:21.2.d" else "unmapped",
                "controls": d_controls if p.id == "nis2:21.2.d" else (),
                "reason": "1 of 4 controls implemented; A.5.20 partial"
                if p.id == "nis2:21.2.d"
                else "only clauses mapped",
            }
        )
        for p in old.points
    )
    metric = Ns(name="points-mean", value=0.375, over=1, of=10, left_out=(), rule="mean share")
    entry = Ns(
        id="iso27001:6.2",
        raw="clause 6.2",
        status="implemented",
        justification="",
        reason="maps to no Art. 21(2) point or 2024/2690 requirement",
        counted=False,
    )
    cov = Ns(
        points=points,
        requirements=old.requirements[:3],
        legislation=old.legislation,
        summary=old.summary,
        metrics=(metric,),
        entries=(entry,),
        not_counted=(entry,),
        source="vvt.csv",
    )
    data = report_data(cov, catalog)  # type: ignore[arg-type]
    d = next(p for p in data.points if p.id == "nis2:21.2.d")
    assert d.reason == "1 of 4 controls implemented; A.5.20 partial"
    assert [(c.ref, c.soa_status, c.weight) for c in d.controls] == [
        ("A.5.19", "implemented", 1.0),
        ("A.5.20", "partial", 0.5),
        ("A.5.21", "planned", 0.0),
        ("A.5.22", "not-in-soa", 0.0),
        ("A.8.30", "not-applicable", None),
    ]
    assert d.controls[1].justification == "two of five suppliers assessed"
    assert [(m.name, m.value) for m in data.metrics] == [("points-mean", 0.375)]
    assert data.metrics[0].description == "mean share (over 1 of 10)"
    assert [(n.ref, n.reason) for n in data.not_counted] == [
        ("cl. 6.2", "maps to no Art. 21(2) point or 2024/2690 requirement")
    ]
    assert data.soa == "vvt.csv"
    assert dict(data.point_counts) == {"partial": 1, "unmapped": 9}
    cells = dict(zip(data.heatmap.columns, data.heatmap.cells[3], strict=True))
    assert (cells["organizational"].implemented, cells["organizational"].mapped) == (1, 4)
    assert cells["technological"].status == "na"  # 8.30 alone, not applicable
    from bio2map.render.report_html import html_report
    from bio2map.render.report_markdown import markdown_report

    html = html_report(data)
    assert "two of five suppliers assessed" in html
    assert "no outsourced development" in html
    assert (
        "| A.8.30 | Outsourced development | not-applicable | – | no outsourced development |"
        in (markdown_report(data))
    )
