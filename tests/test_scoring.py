"""The coverage index and its shortcuts agree with the catalog they stand in for."""

from __future__ import annotations

from pathlib import Path

import pytest

import bio2map
from bio2map.catalog.catalog import Catalog
from bio2map.catalog.scoring import Group

SLUGS = [d.slug for d in bio2map.load().drafts]

LAYER = """# mapping_set_id: https://example.org/myorg
subject_id,subject_label,predicate_id,object_id,source,confidence,comment
myorg:SUP-01,supplier register,skos:exactMatch,A.5.19,internal framework v3,0.9,
myorg:SUP-01,,bio2map:subset_of,21(2)(d),,,
myorg:SUP-02,supplier audits,skos:broadMatch,5.22,internal framework v3,,audits yearly
nis2:21.2.d,,subset_of,iso27002:5.23,auditor,,
ir2690:5.1.4,,bio2map:subset_of,myorg:SUP-02,,,
ir2690:6.1.1,,skos:narrowMatch,clause 6.1.2,,,
"""


@pytest.fixture(scope="module")
def layered(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    p: Path = tmp_path_factory.mktemp("layer") / "myorg.csv"
    p.write_text(LAYER, encoding="utf-8")
    return bio2map.load("1.3").with_layers(p)


def _requirements(cat: Catalog) -> list[str]:
    return [i for i in cat._rq if i.startswith(("nis2:", "ir2690:"))]


def _reach_is_paths(cat: Catalog) -> None:
    for rid in _requirements(cat):
        want = {cid: set(p.rels) for cid, p in cat._paths(rid).items()}
        assert cat._reach(rid) == want, rid


@pytest.mark.parametrize("slug", SLUGS)
def test_reach_gives_the_relationships_of_paths(slug: str) -> None:
    _reach_is_paths(bio2map.load(slug))


def test_reach_gives_the_relationships_of_paths_with_layers(layered: Catalog) -> None:
    base = bio2map.load("1.3")
    # the layer's own links: an annex requirement to a clause, a point to a control, and
    # a point through the layer's own requirement (SUP-01 exactMatch A.5.19)
    assert "iso27001:6.1.2" in layered._reach("ir2690:6.1.1")
    assert "iso27001:6.1.2" not in base._reach("ir2690:6.1.1")
    assert "iso27002:5.23" in layered._reach("nis2:21.2.d")
    assert "superset_of" in layered._reach("nis2:21.2.d")["iso27002:5.19"]
    assert "superset_of" not in base._reach("nis2:21.2.d")["iso27002:5.19"]
    _reach_is_paths(layered)


@pytest.mark.parametrize("slug", SLUGS)
def test_ids_in_document_order_as_the_catalog_sorts_them(slug: str) -> None:
    cat = bio2map.load(slug)
    for scheme in ("nis2", "ir2690", "iso27001"):
        fresh = Catalog._from_raw(cat._raw, cat._edges, cat._manifest, slug)
        assert fresh._in_order(scheme) == fresh._scheme_ids(scheme)


def test_ids_in_document_order_when_seqs_repeat(layered: Catalog) -> None:
    raw = dict(layered._raw)
    raw["ir2690:5.1.4"] = {**raw["ir2690:5.1.4"], "seq": raw["ir2690:5.1.5"]["seq"]}
    cat = Catalog._from_raw(raw, layered._edges, layered._manifest, "1.3")
    assert cat._in_order("ir2690") == cat._scheme_ids("ir2690")


def test_targets_that_reach_the_same_controls_share_a_group() -> None:
    index = bio2map.load("1.3")._coverage_index()
    targets = (*index.points, *index.requirements)
    assert (len(index.points), len(index.requirements)) == (10, 351)
    groups = {t.group for t in targets}
    assert 1 < len(groups) < len(targets)
    keys = {(g.controls, g.clauses, g.contained, g.addressed_by) for g in groups}
    assert len(keys) == len(groups)  # one group per key
    d = next(t for t in index.points if t.id == "nis2:21.2.d")
    assert "iso27002:5.19" in d.group.controls
    assert isinstance(d.group, Group)
    assert d.group.shown["iso27002:5.19"] == "A.5.19"


def test_a_group_scores_alike_for_every_target() -> None:
    cat = bio2map.load("1.3")
    cov = cat.coverage({"A.5.19": "implemented", "A.5.20": "partial", "clause 6.1": "planned"})
    index = cat._coverage_index()
    by_id = {i.id: i for i in (*cov.points, *cov.requirements)}
    for t in (*index.points, *index.requirements):
        mates = [u for u in (*index.points, *index.requirements) if u.group is t.group]
        scores = {(by_id[u.id].status, by_id[u.id].share, by_id[u.id].reason) for u in mates}
        assert len(scores) == 1, t.id


def test_implementation_statuses_are_the_soa_weights() -> None:
    from bio2map.catalog.coverage import IMPLEMENTATION_STATUSES
    from bio2map.core.soa import WEIGHTS

    assert IMPLEMENTATION_STATUSES == WEIGHTS
    assert list(IMPLEMENTATION_STATUSES) == list(WEIGHTS)
