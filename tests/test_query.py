"""The three questions, the coverage rule, dataset gaps, search and the graph."""

from __future__ import annotations

import pickle
import threading
from collections import Counter

import networkx as nx
import pytest

import bio2map
from bio2map.core.errors import AmbiguousIdError, UnknownIdError
from bio2map.core.records import Control, Requirement

SUPPLY_CHAIN = ["iso27002:5.19", "iso27002:5.20", "iso27002:5.21", "iso27002:5.22", "iso27002:8.30"]


@pytest.mark.parametrize("spelling", ["21(2)(d)", "Art. 21(2)(d)", "NIS2 21.2.d", "nis2:21.2.d"])
def test_controls_for_supply_chain(catalog: bio2map.Catalog, spelling: str) -> None:
    ans = catalog.controls_for(spelling)
    assert ans.requirement.id == "nis2:21.2.d"
    assert [c.id for c in ans.controls] == SUPPLY_CHAIN
    first = ans.controls[0]
    assert first.relationship == "intersects_with"
    assert "ir2690:5.1.1" in first.via
    assert all(v.startswith("ir2690:5.") for c in ans.controls for v in c.via)
    assert any("ENISA" in s for s in first.sources)
    assert first.measures == ("bio2:5.19.01",)
    by_id = {c.id: c for c in ans.controls}
    assert by_id["iso27002:5.22"].via == ("ir2690:5.2.a", "ir2690:5.2.b")


def test_record_answer_and_data_answer_agree(catalog: bio2map.Catalog) -> None:
    for req in ("21(2)(a)", "21(2)(j)", "5.1.4", "ir2690:4.3.2-p2", "Art. 23"):
        assert catalog.controls_for(req).as_dict() == catalog.controls_for_data(req)
    for ctrl in ("5.19", "A.8.5", "6.1.2", "5.19.01", "7.6"):
        assert catalog.requirements_for(ctrl).as_dict() == catalog.requirements_for_data(ctrl)


def test_controls_come_before_clauses(catalog: bio2map.Catalog) -> None:
    kinds = [c.control.kind for c in catalog.controls_for("21(2)(a)").controls]
    assert "clause" in kinds
    assert kinds == sorted(kinds, key=lambda k: k == "clause")


def test_mfa_part_of_point_j(catalog: bio2map.Catalog) -> None:
    j = catalog.controls_for("21(2)(j)")
    assert [c.id for c in j.controls] == ["iso27002:8.5"]
    assert catalog.controls_for("nis2:21.2.j.mfa").controls[0].via == (
        "ir2690:11.7.1",
        "ir2690:11.7.2",
    )
    assert catalog.controls_for("nis2:21.2.j.comms").controls == ()


def test_legislation_obligations_reach_no_control(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("Art. 23(4)(b)")
    assert ans.controls == ()
    assert ans.requirement.addressed_by == "legislation"


def test_annex_requirement_covered_through_its_parent(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("4.3.2-p2")
    assert [c.id for c in ans.controls] == ["iso27002:5.26", "iso27002:5.29", "iso27002:5.30"]
    assert all(c.via == ("ir2690:4.3.2",) for c in ans.controls)


def test_requirements_for_control(catalog: bio2map.Catalog) -> None:
    ans = catalog.requirements_for("A.5.19")
    assert ans.control.id == "iso27002:5.19"
    nis2 = [r.id for r in ans.requirements if r.requirement.framework == "nis2"]
    assert nis2 == ["nis2:21.2.a", "nis2:21.2.d"]
    annex = [r.id for r in ans.requirements if r.requirement.framework == "ir2690"]
    assert "ir2690:5.1.1" in annex
    assert all(r.relationship == "intersects_with" for r in ans.requirements)
    d = next(r for r in ans.requirements if r.id == "nis2:21.2.d")
    assert "ir2690:5.1.4" in d.via


def test_requirements_for_measure_uses_its_control(catalog: bio2map.Catalog) -> None:
    ans = catalog.requirements_for("5.19.01")
    assert ans.measure == "bio2:5.19.01"
    assert ans.control.id == "iso27002:5.19"


def test_requirements_for_lists_enclosing_point_of_a_part(catalog: bio2map.Catalog) -> None:
    ids = [r.id for r in catalog.requirements_for("8.5").requirements]
    # annex 11.7 (authentication) serves access control (i) and the first part of (j)
    assert ids[:3] == ["nis2:21.2.i", "nis2:21.2.j", "nis2:21.2.j.mfa"]


# --- links and their basis --------------------------------------------------------------


def test_every_link_carries_its_basis(catalog: bio2map.Catalog) -> None:
    implements = Counter(m.basis for m in catalog.mappings if m.kind == "implements")
    assert implements == {"section_heading": 369, "inferred_subject": 44, "explicit_text": 32}
    maps_to = Counter(m.basis for m in catalog.mappings if m.kind == "maps_to")
    # ENISA's 926 pairs, and its tables of sections 7 and 9 inherited to 74 more
    assert maps_to == {"source_mapping": 926, "section_table": 74}
    inherited = [m for m in catalog.mappings if m.basis == "section_table"]
    assert all(m.source.startswith(("ir2690:7.", "ir2690:9.")) for m in inherited)
    assert all("inherited" in m.sources[-1] for m in inherited)


def test_authentication_serves_access_control(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("21(2)(i)")
    a85 = next(c for c in ans.controls if c.id == "iso27002:8.5")
    assert a85.via == ("ir2690:11.7.1", "ir2690:11.7.2")
    assert a85.via_basis == ("section_heading", "section_heading")
    assert a85.basis == "section_heading"


def test_inherited_section_table_reaches_cryptography(catalog: bio2map.Catalog) -> None:
    ans = catalog.controls_for("ir2690:9.2.a")
    assert [c.id for c in ans.controls] == ["iso27002:5.31", "iso27002:8.24"]
    assert [(c.basis, c.via, c.via_basis) for c in ans.controls] == [
        ("section_table", ("ir2690:9.2.a",), ("section_table",))
    ] * 2
    assert any("inherited to ir2690:9.2.a" in s for s in ans.controls[0].sources)
    h = {c.id: c for c in catalog.controls_for("21(2)(h)").controls}
    via = dict(zip(h["iso27002:8.24"].via, h["iso27002:8.24"].via_basis, strict=True))
    assert via["ir2690:9.1"] == "section_heading"  # ENISA's own table, heading link
    assert via["ir2690:9.2.a"] == "section_table"  # the inherited table
    assert h["iso27002:8.24"].basis == "section_heading"  # the best path


def test_basis_restricts_to_stated_links(catalog: bio2map.Catalog) -> None:
    explicit = catalog.controls_for("21(2)(i)", basis="explicit")
    assert [c.control.ref for c in explicit.controls] == [
        "A.5.15", "A.7.1", "A.7.2", "A.7.4", "A.8.3", "A.8.21",
    ]  # fmt: skip
    assert {c.basis for c in explicit.controls} == {"explicit_text"}
    assert set(explicit.controls[0].via_basis) == {"explicit_text"}
    heading = catalog.controls_for("21(2)(i)", basis="heading")
    assert {c.basis for c in heading.controls} == {"explicit_text", "section_heading"}
    every = catalog.controls_for("21(2)(i)")
    assert {c.basis for c in every.controls} == {
        "explicit_text",
        "section_heading",
        "inferred_subject",
    }
    assert len(explicit.controls) < len(heading.controls) < len(every.controls)
    assert catalog.controls_for("21(2)(d)", basis="explicit").controls == ()
    assert [c.id for c in catalog.controls_for("21(2)(d)", basis="heading").controls] == (
        SUPPLY_CHAIN
    )


def test_requirements_for_with_basis(catalog: bio2map.Catalog) -> None:
    every = {r.id: r for r in catalog.requirements_for("8.24").requirements}
    assert every["ir2690:9.1"].basis == "source_mapping"
    assert every["ir2690:9.2.a"].basis == "section_table"
    assert every["nis2:21.2.h"].basis == "section_heading"
    heading = {r.id for r in catalog.requirements_for("8.24", basis="heading").requirements}
    assert "ir2690:9.1" in heading
    assert "nis2:21.2.h" in heading
    assert not heading & set(SECTIONS_7_9)
    d = every["nis2:21.2.h"]
    assert len(d.via) == len(d.via_basis)
    assert dict(zip(d.via, d.via_basis, strict=True))["ir2690:9.3"] == "section_table"


@pytest.mark.parametrize("basis", ["explicit", "heading", "all"])
def test_basis_in_answers_and_data(catalog: bio2map.Catalog, basis: str) -> None:
    for req in ("21(2)(a)", "21(2)(i)", "5.1.4", "ir2690:4.3.2-p2", "ir2690:9.2.c"):
        ans = catalog.controls_for(req, basis=basis)
        assert ans.basis == basis
        assert ans.as_dict() == catalog.controls_for_data(req, basis)
        assert catalog.controls_for(req, basis=basis) is ans  # cached per basis
        for c in ans.controls:
            assert len(c.via) == len(c.via_basis)
            assert c.basis in c.via_basis or not c.via
    for ctrl in ("5.19", "A.8.5", "6.1.2", "5.19.01", "8.24"):
        got = catalog.requirements_for(ctrl, basis=basis)
        assert got.as_dict() == catalog.requirements_for_data(ctrl, basis)
    doc = catalog.controls_for_data("21(2)(i)", basis)
    first = doc["controls"][0]
    assert {"id", "ref", "kind", "title", "relationship", "via", "sources", "measures"} < set(first)
    assert {"basis", "via_basis"} < set(first)
    assert doc["basis"] == basis


def test_unknown_basis(catalog: bio2map.Catalog) -> None:
    for call in (catalog.controls_for, catalog.requirements_for, catalog.controls_for_data):
        with pytest.raises(ValueError, match="basis 'stated' must be one of explicit, heading"):
            call("21(2)(d)" if call != catalog.requirements_for else "5.19", basis="stated")
    with pytest.raises(ValueError, match="must be one of"):
        catalog.uncovered(basis="")


def test_wrong_kind_of_id_says_what_to_ask(catalog: bio2map.Catalog) -> None:
    with pytest.raises(UnknownIdError) as e:
        catalog.controls_for("5.19")
    assert str(e.value) == (
        "5.19 is an ISO control (iso27002:5.19), not a requirement: ask requirements_for('5.19')"
    )
    assert e.value.suggestions == ("iso27002:5.19",)
    assert e.value.expected == "requirement"
    with pytest.raises(UnknownIdError) as e2:
        catalog.requirements_for("21(2)(d)")
    assert str(e2.value).startswith("21(2)(d) is a NIS2 requirement (nis2:21.2.d), not a control")
    assert str(e2.value).endswith("ask controls_for('21(2)(d)')")
    with pytest.raises(UnknownIdError) as e3:
        catalog.controls_for("5.19.01")
    assert "is a BIO2 measure (bio2:5.19.01)" in str(e3.value)
    restored = pickle.loads(pickle.dumps(e.value))
    assert (str(restored), restored.hint) == (str(e.value), e.value.hint)
    # an id that names nothing keeps the suggestions
    with pytest.raises(UnknownIdError) as e4:
        catalog.controls_for("21(2)(k)")
    assert e4.value.hint == ""
    assert "did you mean" in str(e4.value)
    assert catalog.describe("iso27001:6.2") == "an ISO 27001 clause"
    assert catalog.describe("cbw:24") == "a Cbw article"
    assert catalog.describe("5.1.4") == "a 2024/2690 annex requirement"
    assert catalog.describe("5.04.02") == "a BIO2 moved marker"


def test_unknown_and_ambiguous_ids(catalog: bio2map.Catalog) -> None:
    with pytest.raises(UnknownIdError) as e:
        catalog.requirements_for("5.99")
    assert e.value.value == "5.99"
    assert "iso27002:5.9" in e.value.suggestions
    assert "unknown control id '5.99'; did you mean" in str(e.value)
    with pytest.raises(UnknownIdError) as e2:
        catalog.controls_for("21(2)(k)")
    assert "nis2:21.2.a" in e2.value.suggestions or "nis2:21.2.j" in e2.value.suggestions
    with pytest.raises(AmbiguousIdError) as e3:
        catalog.get("6.1.2")
    assert set(e3.value.suggestions) >= {"iso27001:6.1.2", "ir2690:6.1.2"}
    assert catalog.resolve("6.1.2", {"ir2690"}) == "ir2690:6.1.2"
    with pytest.raises(KeyError):  # UnknownIdError is a KeyError too
        catalog.get("nonsense")


def test_get_children_and_contains(catalog: bio2map.Catalog) -> None:
    assert isinstance(catalog.get("21(2)(d)"), Requirement)
    assert isinstance(catalog.get("A.5.19"), Control)
    kids = [n.id for n in catalog.children("Art. 21(2)")]
    assert kids == [f"nis2:21.2.{c}" for c in "abcdefghij"]
    assert "5.19" in catalog
    assert "5.99" not in catalog
    assert 5 not in catalog
    assert [m.id for m in catalog.measures_for("5.20")][:2] == ["bio2:5.20.01", "bio2:5.20.02"]


def test_search(catalog: bio2map.Catalog) -> None:
    ids = [n.id for n in catalog.search("supplier")]
    assert ids[:2] == ["nis2:21.3", "ir2690:4.3.2.a"]  # every annex node has a label now
    assert {"ir2690:5.2", "iso27002:5.19", "iso27002:5.20", "iso27002:5.22"} <= set(ids)
    assert ids.index("ir2690:5.2") < ids.index("iso27002:5.19")  # requirements first
    assert [n.id for n in catalog.search("early warning")] == ["nis2:23.4.a", "cbwcf:16"]
    assert catalog.search("   ") == ()


# --- coverage ---------------------------------------------------------------------------


def test_coverage_is_at_most_partial_through_intersects_with(catalog: bio2map.Catalog) -> None:
    everything = [c.id for c in catalog.controls]
    cov = catalog.coverage(everything)
    d = next(p for p in cov.points if p.id == "nis2:21.2.d")
    assert d.share == 1.0
    assert d.status == "partial"  # never full: ENISA links are intersects_with
    assert "at most partial" in d.note
    assert d.reason == "5 of 5 controls implemented; at most partial (intersects_with)"
    assert cov.summary.points_full == 0
    assert cov.summary.points_partial == 9
    f = next(p for p in cov.points if p.id == "nis2:21.2.f")
    assert f.status == "unmapped"  # only clauses, and the SoA names none: not "none"
    assert "only ISO 27001 clauses" in f.note
    assert cov.summary.points_unmapped == 1
    assert cov.summary.points_none == 0


def test_coverage_with_clauses(catalog: bio2map.Catalog) -> None:
    clauses = [n.id for n in catalog.nodes("iso27001")]
    cov = catalog.coverage([c.id for c in catalog.controls] + clauses)
    assert cov.summary.clauses_assessed
    assert cov.summary.points_partial == 10
    assert cov.summary.points_covered_share == 1.0
    # sections 7 and 9 inherit their section's ENISA table: every requirement is mapped
    assert cov.summary.requirements_unmapped == 0
    assert cov.summary.requirements_partial == 351


def test_include_clauses_is_deprecated_and_ignored(catalog: bio2map.Catalog) -> None:
    with pytest.warns(DeprecationWarning, match=r"include_clauses=...\) is ignored"):
        cov = catalog.coverage(["A.5.19"], include_clauses=True)
    assert cov == catalog.coverage(["A.5.19"])


def test_coverage_statuses_and_shares(catalog: bio2map.Catalog) -> None:
    cov = catalog.coverage(
        {
            "A.5.19": "implemented",
            "5.20": "partially_implemented",
            "5.21": "planned",
            "8.30": "not_applicable",
        }
    )
    d = next(p for p in cov.points if p.id == "nis2:21.2.d")
    assert d.mapped == tuple(SUPPLY_CHAIN)
    # 8.30 is not applicable: it leaves the denominator
    assert d.share == pytest.approx((1 + 0.5) / 4)
    assert d.counted == 4
    assert d.status == "partial"
    assert d.implemented == ("iso27002:5.19",)
    assert d.partial == ("iso27002:5.20",)
    assert d.open == ("iso27002:5.21", "iso27002:5.22")
    assert d.not_applicable == ("iso27002:8.30",)
    # missing keeps its 0.1 meaning: every mapped control not fully implemented
    assert d.missing == ("iso27002:5.20", "iso27002:5.21", "iso27002:5.22", "iso27002:8.30")
    assert d.reason == (
        "1 of 4 controls implemented; A.5.20 partial; A.5.21 planned; A.5.22 not in the SoA; "
        "A.8.30 not applicable (left out)"
    )
    assert [(c.id, c.status, c.weight) for c in d.controls] == [
        ("iso27002:5.19", "implemented", 1.0),
        ("iso27002:5.20", "partial", 0.5),
        ("iso27002:5.21", "planned", 0.0),
        ("iso27002:5.22", "not-in-soa", 0.0),
        ("iso27002:8.30", "not-applicable", None),
    ]
    b = next(p for p in cov.points if p.id == "nis2:21.2.b")
    assert (b.status, b.share) == ("none", 0.0)
    assert cov.summary.points_covered_share == pytest.approx(0.2)
    assert [r.id for r in cov.legislation] == ["nis2:20", "nis2:23"]
    assert len(cov.requirements) == 351


def test_coverage_rejects_unknown_ids_and_statuses(catalog: bio2map.Catalog) -> None:
    with pytest.raises(UnknownIdError):
        catalog.coverage(["5.99"])
    with pytest.raises(ValueError, match="must be one of") as e:
        catalog.coverage({"5.19": "done-ish"})
    assert "'5.19'" in str(e.value)
    assert "deels" in str(e.value)  # the accepted words are listed


def test_empty_soa_covers_nothing(catalog: bio2map.Catalog) -> None:
    cov = catalog.coverage([])
    assert cov.summary.points_none == 9
    assert cov.summary.points_unmapped == 1
    assert cov.summary.points_covered_share == 0.0
    assert {m.name: m.value for m in cov.metrics} == {
        "points-mean": 0.0,
        "points-min": 0.0,
        "annex-mean": 0.0,
        "points-any": 0.0,
    }


def test_coverage_data_is_the_answer_as_dict(catalog: bio2map.Catalog) -> None:
    soa = {"A.5.19": "ja", "5.20": "deels", "8.30": "n.v.t.", "clause 9.3": "implemented"}
    assert catalog.coverage_data(soa) == catalog.coverage(soa).as_dict()
    doc = catalog.coverage_data(soa)
    doc["points"].clear()  # a fresh document every time
    assert catalog.coverage_data(soa)["points"]


# --- gaps in the data -------------------------------------------------------------------


def test_uncovered(catalog: bio2map.Catalog) -> None:
    u = catalog.uncovered()
    assert [r.id for r in u.nis2_without_controls] == [
        "nis2:20",
        "nis2:21.1",
        "nis2:21.2.j.comms",
        "nis2:21.3",
        "nis2:21.4",
        "nis2:21.5",
        "nis2:23",
    ]
    # the 24 requirements of sections 7 and 9 the source left without a table inherit
    # their section's table (basis section_table): every annex requirement reaches ISO
    assert [r.id for r in u.ir2690_without_target] == []
    ctrls = [c.ref for c in u.controls_without_requirement]
    assert len(ctrls) == 24
    assert ctrls[:3] == ["A.5.5", "A.5.6", "A.5.8"]
    assert ctrls[-1] == "A.8.28"
    assert "iso27002:5.19" not in {c.id for c in u.controls_without_measure}
    orphans = [m.id for m in u.measures_without_requirement]
    assert "bio2:5.05.01" in orphans  # 5.5 contact with authorities: no ENISA target
    assert all(m.kind == "measure" for m in u.measures_without_requirement)


SECTIONS_7_9 = [
    *("ir2690:7.2", *(f"ir2690:7.2.{x}" for x in "abcdef"), "ir2690:7.3"),
    *("ir2690:9.2.a", "ir2690:9.2.b", "ir2690:9.2.c"),
    *(f"ir2690:9.2.c.{x}" for x in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")),
    *(f"ir2690:9.2.c.{x}" for x in ("ix", "x", "xi", "xii")),
    "ir2690:9.3",
]


def test_uncovered_lists_the_clauses_no_requirement_reaches(catalog: bio2map.Catalog) -> None:
    u = catalog.uncovered()
    # the topmost of each branch: 4 (context) has no sub-clause reached; 7.5 none of 7.5.x
    assert [c.id for c in u.clauses_without_requirement] == [
        "iso27001:4",
        "iso27001:5.1",
        "iso27001:7.4",
        "iso27001:7.5",
        "iso27001:10.2",
    ]
    assert all(c.kind == "clause" for c in u.clauses_without_requirement)
    doc = u.as_dict()
    assert doc["clauses_without_requirement"][1] == {
        "id": "iso27001:5.1",
        "ref": "5.1",
        "title": "Leadership and commitment",
    }
    assert doc["basis"] == "all"
    # the keys that were there before are still there
    assert {
        "bio2_version",
        "nis2_without_controls",
        "ir2690_without_target",
        "controls_without_requirement",
        "controls_without_measure",
        "measures_without_requirement",
    } <= set(doc)


@pytest.mark.parametrize("basis", ["heading", "explicit"])
def test_stated_links_only_leave_sections_7_and_9_without_target(
    catalog: bio2map.Catalog, basis: str
) -> None:
    u = catalog.uncovered(basis=basis)
    assert u.basis == basis
    assert [r.id for r in u.ir2690_without_target] == SECTIONS_7_9
    assert len(SECTIONS_7_9) == 24
    for rid in SECTIONS_7_9:
        assert catalog.controls_for(rid, basis=basis).controls == ()
        assert catalog.controls_for(rid).controls  # through the inherited section table


def test_uncovered_with_headings_only() -> None:
    u = bio2map.load("1.3").uncovered(basis="heading")
    # inferred points and inherited tables left out: four more controls, none of them
    # reached by a stated link, and their measures with them
    assert len(u.controls_without_requirement) == 28
    assert {c.ref for c in u.controls_without_requirement} - {
        c.ref for c in bio2map.load("1.3").uncovered().controls_without_requirement
    } == {"A.5.16", "A.5.17", "A.8.2", "A.8.18"}
    explicit = bio2map.load("1.3").uncovered(basis="explicit")
    assert [c.id for c in explicit.clauses_without_requirement] == [
        f"iso27001:{n}" for n in range(4, 11)
    ]
    assert "nis2:21.2.d" in {r.id for r in explicit.nis2_without_controls}


def test_uncovered_depends_on_draft() -> None:
    a = bio2map.load("1.2").uncovered()
    b = bio2map.load("1.3").uncovered()
    assert a.bio2_version == "1.2"
    assert a.nis2_without_controls == b.nis2_without_controls
    assert a.controls_without_requirement == b.controls_without_requirement


# --- graph and threads ---------------------------------------------------------------------


def test_graph_is_frozen_and_complete(catalog: bio2map.Catalog) -> None:
    g = catalog.graph
    assert g is catalog.graph
    assert g.number_of_nodes() == len(catalog.nodes())
    assert g.number_of_edges() == len(catalog.mappings) + sum(
        1 for n in catalog.nodes() if getattr(n, "parent", None)
    )
    assert g.nodes["iso27002:5.19"]["ref"] == "A.5.19"
    edges = g.get_edge_data("ir2690:5.1.1", "iso27002:5.19")
    assert [e["relationship"] for e in edges.values()] == ["intersects_with"]
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")


def test_threads_share_one_catalog(catalog: bio2map.Catalog) -> None:
    results: list[list[str]] = []

    def work() -> None:
        results.append([c.id for c in catalog.controls_for("21(2)(d)").controls])
        _ = catalog.graph

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [SUPPLY_CHAIN] * 8


@pytest.mark.parametrize("slug", [d.slug for d in bio2map.read_manifest().drafts])
def test_every_measure_of_every_draft_has_labels(slug: str) -> None:
    for m in bio2map.load(slug).measures:
        assert 0 < len(m.label_nl.split()) <= 8, (slug, m.id)
        assert 0 < len(m.label_en.split()) <= 8, (slug, m.id)
        assert m.label == m.label_en


def test_marker_labels_say_what_they_are() -> None:
    moved = bio2map.load("1.3").get("5.04.02")
    assert (moved.kind, moved.label_en, moved.label_nl) == (
        "moved",
        "moved to 5.10.02",
        "verplaatst naar 5.10.02",
    )


def test_every_annex_node_has_a_short_label(catalog: bio2map.Catalog) -> None:
    annex = catalog.nodes("ir2690")
    assert len(annex) == 439
    assert all(0 < len(r.label.split()) <= 8 for r in annex)


def test_search_is_case_and_accent_insensitive_in_both_languages(
    catalog: bio2map.Catalog,
) -> None:
    dutch = [n.id for n in catalog.search("leverancier")]
    assert dutch[:2] == ["bio2:5.20.02", "bio2:5.20.03"]
    assert [n.id for n in catalog.search("LEVERANCIER")] == dutch
    english = {n.id for n in catalog.search("supplier")}
    assert "bio2:5.21.04" in english  # its English label says supplier
    assert [n.id for n in catalog.search("vóór contractsluiting")] == [
        n.id for n in catalog.search("voor CONTRACTSLUITING")
    ]
    assert catalog.search("voor contractsluiting")
