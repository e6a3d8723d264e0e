"""From BIO 1.04 to BIO2: the ISO/IEC 27001:2013 ids, the migration of an SoA to 2022,
mixed editions refused, and migration + gap analysis in one go (issue 12)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

import bio2map
from bio2map.catalog.migration import MERGE_RULE, STATUS_ORDER
from bio2map.cli.main import main
from bio2map.core.editions import ISO2013, ISO2022, edition_of, edition_readings, said_edition
from bio2map.core.errors import AmbiguousIdError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import readings
from bio2map.core.reader import read_manifest
from bio2map.formats.migrate import migration_csv, parse_old_soa, read_old_soa, soa_edition
from bio2map.formats.soa import read_soa

NEW_2022 = ("5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28")

# A BIO 1.04 Verklaring van Toepasselijkheid as organisations keep them: all 114 Annex A
# controls of ISO/IEC 27001:2013, written in the usual ways (A.5.1.1, 12.6.1, with the
# standard's name), statuses in English and Dutch. Most are implemented; the exceptions:
STATUS = {
    "A.5.1.2": "deels",  # policies reviewed only in part: merges into 5.1 with 5.1.1 (ja)
    "A.6.1.4": "nee",
    "A.6.2.2": "n/a",  # no teleworking
    "A.8.3.3": "partial",
    "A.9.2.5": "deels",  # access reviews in part: 5.18 merges 9.2.2, 9.2.5, 9.2.6
    "A.11.1.6": "n/a",  # no delivery area: 7.2 merges it with 11.1.2 (implemented)
    "A.12.6.1": "implemented",  # vulnerabilities handled ...
    "A.18.2.3": "planned",  # ... technical compliance reviews only planned: 8.8 and 5.36
    "A.12.6.2": "gepland",
    "A.13.2.3": "partially implemented",
    "A.14.2.7": "niet van toepassing",  # no outsourced development
    "A.14.2.8": "planned",
    "A.16.1.7": "deels",
    "A.17.1.3": "no",
}
_IDS_TEXT = """
A.5.1.1 A.5.1.2 A.6.1.1 A.6.1.2 A.6.1.3 A.6.1.4 A.6.1.5 A.6.2.1 A.6.2.2 A.7.1.1 A.7.1.2
A.7.2.1 A.7.2.2 A.7.2.3 A.7.3.1 A.8.1.1 A.8.1.2 A.8.1.3 A.8.1.4 A.8.2.1 A.8.2.2 A.8.2.3
A.8.3.1 A.8.3.2 A.8.3.3 A.9.1.1 A.9.1.2 A.9.2.1 A.9.2.2 A.9.2.3 A.9.2.4 A.9.2.5 A.9.2.6
A.9.3.1 A.9.4.1 A.9.4.2 A.9.4.3 A.9.4.4 A.9.4.5 A.10.1.1 A.10.1.2 A.11.1.1 A.11.1.2 A.11.1.3
A.11.1.4 A.11.1.5 A.11.1.6 A.11.2.1 A.11.2.2 A.11.2.3 A.11.2.4 A.11.2.5 A.11.2.6 A.11.2.7
A.11.2.8 A.11.2.9 A.12.1.1 A.12.1.2 A.12.1.3 A.12.1.4 A.12.2.1 A.12.3.1 A.12.4.1 A.12.4.2
A.12.4.3 A.12.4.4 A.12.5.1 A.12.6.1 A.12.6.2 A.12.7.1 A.13.1.1 A.13.1.2 A.13.1.3 A.13.2.1
A.13.2.2 A.13.2.3 A.13.2.4 A.14.1.1 A.14.1.2 A.14.1.3 A.14.2.1 A.14.2.2 A.14.2.3 A.14.2.4
A.14.2.5 A.14.2.6 A.14.2.7 A.14.2.8 A.14.2.9 A.14.3.1 A.15.1.1 A.15.1.2 A.15.1.3 A.15.2.1
A.15.2.2 A.16.1.1 A.16.1.2 A.16.1.3 A.16.1.4 A.16.1.5 A.16.1.6 A.16.1.7 A.17.1.1 A.17.1.2
A.17.1.3 A.17.2.1 A.18.1.1 A.18.1.2 A.18.1.3 A.18.1.4 A.18.1.5 A.18.2.1 A.18.2.2 A.18.2.3
"""
IDS_2013 = tuple(_IDS_TEXT.split())


def bio104_soa() -> str:
    """The SoA above as CSV (semicolons, as Dutch spreadsheets write them)."""
    rows = ["control;status;toelichting"]
    for i, cid in enumerate(IDS_2013):
        written = cid
        if i % 7 == 3 and not cid.startswith("A.6.1."):  # 6.1.1-6.1.3 are clauses too
            written = cid.removeprefix("A.")  # 12.6.1
        elif i % 11 == 5:
            written = "ISO 27001 " + cid
        rows.append(f"{written};{STATUS.get(cid, 'ja' if i % 2 else 'implemented')};")
    return "\n".join(rows) + "\n"


@pytest.fixture
def old_soa(tmp_path: Path) -> Path:
    p = tmp_path / "vvt-bio-1.04.csv"
    p.write_text(bio104_soa(), encoding="utf-8")
    return p


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the dataset ------------------------------------------------------------------------


def test_counts_in_the_manifest_and_the_catalog(catalog: bio2map.Catalog) -> None:
    counts = {d.name: dict(d.counts) for d in read_manifest().datasets}
    c = counts["iso27001-2013"]
    assert c["correspondence_rows"] == 144
    assert (c["controls_2013"], c["controls_2022"], c["new_controls_2022"]) == (114, 93, 11)
    assert (c["equal"], c["subset_of"], c["superset_of"], c["intersects_with"]) == (82, 55, 5, 2)
    old = list(catalog.nodes("iso27001-2013"))
    assert Counter(n.kind for n in old) == {"control": 114, "clause": 26}
    edges = [m for m in catalog.mappings if m.kind == "migrates_to"]
    assert len(edges) == 144
    assert {m.basis for m in edges} == {"shape_of_pairs"}
    assert len(catalog.controls) == 93  # the 2013 controls are not 2022 controls
    assert [c.removeprefix("iso27002:") for c in catalog.new_in_2022()] == list(NEW_2022)
    ds = next(d for d in catalog.datasets if d.name == "iso27001-2013")
    assert "Annex B" in ds.source
    assert "copyright ISO/IEC" in ds.licence


def test_successors_and_predecessors(catalog: bio2map.Catalog) -> None:
    assert catalog.successors("A.12.6.1") == (("iso27002:8.8", "subset_of"),)
    assert catalog.successors("A.18.2.3") == (
        ("iso27002:5.36", "intersects_with"),
        ("iso27002:8.8", "intersects_with"),
    )
    assert catalog.successors("9.2") == (
        ("iso27001:9.2.1", "superset_of"),
        ("iso27001:9.2.2", "superset_of"),
    )
    assert catalog.successors("clause 10.1") == (("iso27001:10.2", "equal"),)  # swapped
    assert catalog.predecessors("A.5.18") == (
        "iso27001-2013:A.9.2.2",
        "iso27001-2013:A.9.2.5",
        "iso27001-2013:A.9.2.6",
    )
    assert catalog.predecessors("5.23") == ()
    # information transfer became 5.14 (CISO Assistant's table says 8.14)
    assert catalog.successors("A.13.2.1") == (("iso27002:5.14", "subset_of"),)


@pytest.mark.parametrize(
    "text",
    [
        "iso27001-2013:A.12.6.1",
        "ISO 27001:2013 A.12.6.1",
        "ISO/IEC 27001:2013 A.12.6.1",
        "iso 27002:2013 12.6.1",
    ],
)
def test_ids_that_say_2013_resolve_everywhere(catalog: bio2map.Catalog, text: str) -> None:
    assert catalog.resolve(text) == "iso27001-2013:A.12.6.1"
    assert said_edition(text) == ISO2013


@pytest.mark.parametrize(
    "text", ["A.12.6.1", "12.6.1", "ISO 27001:2013 A.12.6.1", "ISO 27001 A.12.6.1", "a.12.6.1"]
)
def test_lenient_2013_ids_when_the_edition_is_said(catalog: bio2map.Catalog, text: str) -> None:
    assert catalog.resolve_edition(text, ISO2013) == "iso27001-2013:A.12.6.1"


def test_bare_ids_are_not_2013_unless_said(catalog: bio2map.Catalog) -> None:
    with pytest.raises(UnknownIdError):
        catalog.resolve("A.12.6.1")
    assert readings("12.6.1") == (("ir2690:12.6.1",),)
    assert said_edition("A.12.6.1") is None
    assert said_edition("iso27002:8.8") == ISO2022


def test_2013_clauses_and_the_clause_control_ambiguity(catalog: bio2map.Catalog) -> None:
    assert catalog.resolve_edition("9.2", ISO2013) == "iso27001-2013:9.2"
    assert catalog.resolve_edition("clause 6.1.2", ISO2013) == "iso27001-2013:6.1.2"
    assert catalog.resolve_edition("A.6.1.2", ISO2013) == "iso27001-2013:A.6.1.2"
    with pytest.raises(AmbiguousIdError) as e:
        catalog.resolve_edition("6.1.2", ISO2013)
    assert "iso27001-2013:6.1.2" in str(e.value)
    assert "iso27001-2013:A.6.1.2" in str(e.value)
    assert edition_readings("6.1.2", ISO2013) == (("iso27001-2013:A.6.1.2", "iso27001-2013:6.1.2"),)


def test_edition_words() -> None:
    assert edition_of("BIO 1.04") == edition_of("2013") == edition_of("ISO 27001:2013") == ISO2013
    assert edition_of("bio2") == edition_of("2022") == ISO2022
    assert edition_of("2017") is None


# --- the migration ----------------------------------------------------------------------


def test_bio104_soa_migrates_with_every_line_accounted_for(
    old_soa: Path, catalog: bio2map.Catalog
) -> None:
    old = read_old_soa(old_soa, catalog, edition=ISO2013)
    assert len(old.entries) == 114
    assert len({e.id for e in old.entries}) == 114
    m = catalog.migrate_soa(old)
    s = m.summary()
    assert s["lines"] == 114
    assert s["controls_2013"] == 114
    assert s["controls_2022"] == 93
    assert s["new"] == 11
    assert s["not_in_soa"] == 0
    assert s["assessed"] == 82
    # nothing dropped: every line reached a 2022 control, every 2013 control is a source
    assert all(ln.targets for ln in m.lines)
    sources = {src.id for c in m.controls for src in c.sources}
    assert sources == {e.id for e in old.entries}
    assert [c.ref for c in m.not_assessed] == [f"A.{n}" for n in NEW_2022]
    assert all(c.origin == "new" and c.rule == "new in 2022: not assessed" for c in m.not_assessed)
    by = {c.ref: c for c in m.controls}
    # the merge with conflicting statuses: the weakest wins, flagged
    c = by["A.8.8"]
    assert (c.status, c.origin, c.review) == ("planned", "merged", True)
    assert [(x.ref, x.status) for x in c.sources] == [
        ("A.12.6.1", "implemented"),
        ("A.18.2.3", "planned"),
    ]
    assert any("intersects_with" in r for r in c.reasons)
    assert by["A.5.18"].status == "partial"
    assert by["A.5.1"].status == "partial"
    # every merge is flagged for review, also when the statuses agree
    merged = [c for c in m.controls if len(c.sources) > 1]
    assert merged
    assert all(c.review and c.origin == "merged" for c in merged)
    assert by["A.5.9"].rule == "merged: 2 of the same status"
    # not applicable: alone it is carried; next to an applicable part it yields
    assert (by["A.8.30"].status, by["A.8.30"].origin) == ("not-applicable", "carried")
    assert by["A.6.7"].status == "not-applicable"
    assert by["A.7.2"].status == "implemented"
    assert "not applicable in part" in " ".join(by["A.7.2"].reasons)
    # one to one: carried, not flagged
    assert (by["A.5.19"].origin, by["A.5.19"].review) == ("carried", False)
    # A.18.2.3 went to two controls: the line says so
    line = next(ln for ln in m.lines if ln.id.endswith("A.18.2.3"))
    assert line.targets == ("iso27002:5.36", "iso27002:8.8")
    assert line.note == "split over A.5.36, A.8.8"
    assert m.rule == MERGE_RULE
    assert STATUS_ORDER[:2] == ("not-implemented", "planned")


def test_migration_of_a_mapping_and_of_clauses(catalog: bio2map.Catalog) -> None:
    m = catalog.migrate_soa({"A.15.1.1": "implemented", "9.2": "partial", "10.1": "implemented"})
    by = {c.id: c for c in m.controls}
    assert by["iso27002:5.19"].status == "implemented"
    assert by["iso27001:9.2.1"].status == by["iso27001:9.2.2"].status == "partial"
    assert by["iso27001:9.2.1"].origin == "split"
    assert by["iso27001:10.2"].rule == "carried over (equal) (renumbered)"
    assert by["iso27001:6.3"].origin == "new"  # the SoA names clauses: 6.3 is new
    assert by["iso27002:5.20"].origin == "not-in-soa"
    assert m.as_mapping() == {
        "iso27002:5.19": "implemented",
        "iso27001:9.2.1": "partial",
        "iso27001:9.2.2": "partial",
        "iso27001:10.2": "implemented",
    }
    assert catalog.migrate_soa(["A.15.1.1"]).as_mapping() == {"iso27002:5.19": "implemented"}
    with pytest.raises(ValueError, match="status 'maybe'"):
        catalog.migrate_soa({"A.15.1.1": "maybe"})


def test_a_2022_id_in_a_2013_mapping_is_refused(catalog: bio2map.Catalog) -> None:
    with pytest.raises(DataErrorGroup) as e:
        catalog.migrate_soa({"A.12.6.1": "implemented", "A.5.23": "implemented"})
    assert "mixes ISO 27001 editions" in str(e.value)
    assert "A.5.23" in str(e.value.exceptions[0])


def test_mixed_edition_soa_is_refused_with_the_lines_named(
    tmp_path: Path, catalog: bio2map.Catalog
) -> None:
    text = (
        "control,status,edition\n"
        "A.12.6.1,implemented,\n"  # line 2
        "A.5.23,implemented,\n"  # line 3: only a 2022 control
        "ISO 27001:2022 A.8.8,planned,\n"  # line 4: says 2022
        "A.15.1.1,implemented,BIO2\n"  # line 5: its edition cell says 2022
        "12.6.2,deels,2013\n"  # line 6
    )
    with pytest.raises(DataErrorGroup) as e:
        parse_old_soa(text, catalog, source="vvt.csv", edition=ISO2013)
    assert "mixes ISO 27001 editions" in e.value.message
    lines = [x.location for x in e.value.exceptions]
    assert lines == ["line 3", "line 4", "line 5"]
    assert "iso27002:5.23" in str(e.value.exceptions[0])


def test_the_edition_comes_from_the_file(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = tmp_path / "vvt.csv"
    p.write_text(
        "control;status;edition\n12.6.1;ja;BIO 1.04\nISO 27001:2013 A.9.4.2;deels;2013\n",
        encoding="utf-8",
    )
    assert soa_edition(p) == ISO2013
    old = read_old_soa(p, catalog)
    assert old.edition == ISO2013
    assert [e.id for e in old.entries] == ["iso27001-2013:A.12.6.1", "iso27001-2013:A.9.4.2"]
    bare = tmp_path / "bare.csv"
    bare.write_text("control\nA.12.6.1\n", encoding="utf-8")
    with pytest.raises(DataErrorGroup, match="does not say its edition") as e:
        read_old_soa(bare, catalog)
    assert "--from iso27001-2013" in str(e.value.exceptions[0])


def test_migrated_csv_reads_back_as_a_2022_soa(
    old_soa: Path, tmp_path: Path, catalog: bio2map.Catalog
) -> None:
    m = catalog.migrate_soa(read_old_soa(old_soa, catalog, edition=ISO2013))
    text = migration_csv(m)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 93
    assert sum(1 for r in rows if r["control"].startswith("# ")) == 11
    new = tmp_path / "vvt-2022.csv"
    new.write_text(text, encoding="utf-8")
    assert read_soa(new, catalog).as_mapping() == m.as_mapping()


# --- the command line -------------------------------------------------------------------


def test_cli_migrate_and_gaps_end_to_end(
    old_soa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "vvt-2022.csv"
    code, out, _ = run(
        capsys, "migrate", "--soa", str(old_soa), "--from", ISO2013, "-o", str(out_csv)
    )
    assert code == 0
    assert "new: not assessed" in out
    assert "weakest" in out
    assert out_csv.is_file()
    code, out, _ = run(capsys, "migrate", "--soa", str(old_soa), "--from", ISO2013, "-f", "json")
    doc = json.loads(out)
    assert doc["summary"]["lines"] == 114
    assert len(doc["lines"]) == 114
    code, out, _ = run(capsys, "migrate", "--soa", str(old_soa), "--from", ISO2013, "-f", "csv")
    assert out == out_csv.read_text(encoding="utf-8")
    for fmt in ("table", "md"):
        assert run(capsys, "migrate", "--soa", str(old_soa), "--from", ISO2013, "-f", fmt)[0] == 0

    # gaps in one go: the statuses that came from the migration are named
    code, out, _ = run(capsys, "gaps", "--soa", str(old_soa), "--from", ISO2013, "-f", "json")
    assert code == 0
    gaps = json.loads(out)
    assert gaps["soa"]["migrated_from"] == ISO2013
    mig = gaps["migration"]
    assert mig["statuses"]["iso27002:8.8"] == {
        "status": "planned",
        "origin": "merged",
        "from": {"A.12.6.1": "implemented", "A.18.2.3": "planned"},
        "review": True,
    }
    assert mig["statuses"]["iso27002:5.7"]["status"] == "not assessed"
    assert len(mig["not_assessed"]) == 11
    assert "iso27002:8.8" in mig["review"]
    # the same as scoring the written 2022 SoA
    code, out, _ = run(capsys, "gaps", "--soa", str(out_csv), "-f", "json")
    direct = json.loads(out)
    assert direct["points"] == gaps["points"]
    assert "migration" not in direct
    # an SoA that says it is of 2013 is migrated without --from
    said = tmp_path / "said.csv"
    said.write_text("control,status\nISO 27001:2013 A.12.6.1,implemented\n", encoding="utf-8")
    code, out, _ = run(capsys, "gaps", "--soa", str(said), "-f", "json")
    assert json.loads(out)["soa"]["migrated_from"] == ISO2013


def test_cli_refuses_a_mixed_soa(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "mixed.csv"
    p.write_text("control,status\nA.12.6.1,implemented\nA.5.23,implemented\n", encoding="utf-8")
    for cmd in ("migrate", "gaps"):
        code, out, err = run(capsys, cmd, "--soa", str(p), "--from", ISO2013)
        assert code == 2
        assert out == ""
        assert "mixes ISO 27001 editions" in err
        assert f"{p}: line 3: control: 'A.5.23' is the ISO 27001:2022 control" in err


def test_show_a_2013_control_and_its_successor(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "ISO 27001:2013 A.18.2.3", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["is"] == "an ISO 27001:2013 control"
    assert [(x["link"], x["id"]) for x in doc["links"]] == [
        ("succeeded by (intersects_with)", "iso27002:5.36"),
        ("succeeded by (intersects_with)", "iso27002:8.8"),
    ]
    code, out, _ = run(capsys, "show", "8.8", "-f", "json")
    succeeds = [x["id"] for x in json.loads(out)["links"] if x["link"] == "succeeds"]
    assert succeeds == ["iso27001-2013:A.12.6.1", "iso27001-2013:A.18.2.3"]
