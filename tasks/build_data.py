#!/usr/bin/env python3
"""Regenerate every file in ``src/bio2map/data/`` from the shared reference tables.

Usage::

    python tasks/build_data.py [--shared ../shared] [--check]

Reads ``shared/reference/*.csv`` (id-level facts, see its README.md) and parses the BIO2
drafts in ``shared/corpus/bio2/`` with the package's own parser. Writes only structure:
ids, hierarchy, relationships, short labels, counts and fingerprints; never a sentence of
any source. The output is byte-for-byte reproducible (sorted keys, fixed order, no
timestamps). ``--check`` compares instead of writing and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from bio2map.core.ids import normalize_id, sort_key  # noqa: E402
from bio2map.drafts.datafile import (  # noqa: E402
    BIO2_REPOSITORY,
    data_json,
    draft_dataset,
    draft_document,
    draft_entry,
)

DATA = REPO / "src" / "bio2map" / "data"
DIGESTS = REPO / "src" / "bio2map" / "core" / "_digests.py"  # of the files as validated
LABELS = REPO / "tasks" / "labels"  # short labels of our own words (at most 8 words)
FORMAT = 1
DATA_VERSION = "2026.11.0"

CISO = "CISO Assistant (intuitem/ciso-assistant-community) commit f990d7b1b9a9f56e391acbc247c9076262a11412"

# --- authored facts: NIS2 obligations beyond Art. 21 (our own short labels) ---------------

# (id, parent, kind, ref, label, addressed_by, law)
NIS2_EXTRA: list[tuple[str, str | None, str, str, str, str, tuple[str, ...]]] = [
    (
        "20",
        None,
        "article",
        "Art. 20",
        "governance of cybersecurity risk management",
        "legislation",
        ("cbw:24",),
    ),
    (
        "20.1",
        "20",
        "paragraph",
        "Art. 20(1)",
        "management bodies approve and oversee measures",
        "legislation",
        ("cbw:24",),
    ),
    (
        "20.2",
        "20",
        "paragraph",
        "Art. 20(2)",
        "management bodies follow cybersecurity training",
        "legislation",
        ("cbw:24",),
    ),
    (
        "23",
        None,
        "article",
        "Art. 23",
        "reporting obligations for significant incidents",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.1",
        "23",
        "paragraph",
        "Art. 23(1)",
        "notify CSIRT or authority of significant incidents",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.2",
        "23",
        "paragraph",
        "Art. 23(2)",
        "inform service recipients of significant threats",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.3",
        "23",
        "paragraph",
        "Art. 23(3)",
        "criteria for a significant incident",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4",
        "23",
        "paragraph",
        "Art. 23(4)",
        "staged reporting deadlines",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4.a",
        "23.4",
        "point",
        "Art. 23(4)(a)",
        "early warning within 24 hours",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4.b",
        "23.4",
        "point",
        "Art. 23(4)(b)",
        "incident notification within 72 hours",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4.c",
        "23.4",
        "point",
        "Art. 23(4)(c)",
        "intermediate report on request",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4.d",
        "23.4",
        "point",
        "Art. 23(4)(d)",
        "final report within one month",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.4.e",
        "23.4",
        "point",
        "Art. 23(4)(e)",
        "progress report for ongoing incidents",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.5",
        "23",
        "paragraph",
        "Art. 23(5)",
        "CSIRT or authority responds within 24 hours",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.6",
        "23",
        "paragraph",
        "Art. 23(6)",
        "informing other Member States and ENISA",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.7",
        "23",
        "paragraph",
        "Art. 23(7)",
        "informing the public where needed",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.8",
        "23",
        "paragraph",
        "Art. 23(8)",
        "single point of contact forwards notifications",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.9",
        "23",
        "paragraph",
        "Art. 23(9)",
        "quarterly summary reports to ENISA",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.10",
        "23",
        "paragraph",
        "Art. 23(10)",
        "information to critical entities authorities",
        "legislation",
        ("cbw:25",),
    ),
    (
        "23.11",
        "23",
        "paragraph",
        "Art. 23(11)",
        "Commission implementing acts on reporting",
        "legislation",
        (),
    ),
]
# Art. 21(2)(j) names two things; only the first has a 2024/2690 requirement (11.7).
NIS2_PARTS: list[tuple[str, str, str, str]] = [
    (
        "21.2.j.mfa",
        "21.2.j",
        "Art. 21(2)(j), authentication",
        "multi-factor or continuous authentication",
    ),
    (
        "21.2.j.comms",
        "21.2.j",
        "Art. 21(2)(j), communications",
        "secured voice, video, text and emergency communication",
    ),
]
# Art. 21(5) empowers the Commission; the implementing regulation itself answers it.
NIS2_LEGISLATION = {"21.5"}
CBW_ARTICLES = [
    ("24", "Cbw art. 24", "governance: duties of management bodies"),
    ("21", "Cbw art. 21", "duty of care: security measures"),
    ("25", "Cbw art. 25", "duty to report incidents"),
]

ISO_THEMES = {"A.5": "organizational", "A.6": "people", "A.7": "physical", "A.8": "technological"}

SRC_NIS2 = "Directive (EU) 2022/2555 (NIS2); structure after " + CISO + ", nis2-directive.yaml v3"
SRC_IR = (
    "Commission Implementing Regulation (EU) 2024/2690, annex; structure after "
    + CISO
    + ", annex-nis2-regulation--2024-2690-with-technical-implementation-guidance-by-enisa.yaml v12"
)
SRC_ISO = (
    "ISO/IEC 27001:2022 and ISO/IEC 27002:2022 (ids and titles only); after "
    + CISO
    + ", iso27001-2022.yaml v18"
)
SRC_ENISA = (
    "ENISA NIS2 Technical Implementation Guidance mapping tables (2025); after "
    + CISO
    + ", mapping-annex-technical-and-methodological-requirements-nis2-and-iso27001-2022.yaml v2 (2025-07-09)"
)
SRC_CBW = (
    "ADR & NOREA, Cbw (NIS2) Control Framework v1.2 (2025), CC BY 4.0; after "
    + CISO
    + ", cbw_nis2.yaml v1"
)
ENISA_EDGE_SOURCE = "ENISA NIS2 Technical Implementation Guidance (2025), mapping annex 2024/2690 -> ISO/IEC 27001:2022, CC BY 4.0"
ATTR_SOURCE = "ISO/IEC 27002:2022 Table A.1 as reproduced in public sources (unverified; see docs/data-sources.md)"
# Our own short labels for the drafts (the drafts' own version lines are sentences).
DRAFT_LABELS = {
    "2024-06-draft": "BIO2 werkversie juni 2024",
    "2024-10-consultation": "BIO2 werkgroepversie oktober 2024",
    "2025-03-concept": "BIO2 conceptversie maart 2025",
    "1.1": "BIO2 versie 1.1",
    "1.1.1": "BIO2 versie 1.1.1",
    "1.2": "BIO2 versie 1.2",
    "1.3": "BIO2 versie 1.3",
}
BIO2_REPO = BIO2_REPOSITORY


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def dump(obj: Any) -> bytes:
    return data_json(obj)


def split(cell: str) -> list[str]:
    return [c for c in cell.split(";") if c]


def nis2_id(ref: str) -> str:
    return "nis2:" + ref


def ir_id(annex_id: str) -> str:
    cid = normalize_id("ir2690:" + annex_id)
    return str(cid)


def iso_id(ref: str, kind: str) -> str:
    if kind in ("control", "theme"):
        return "iso27002:" + ref.removeprefix("A.")
    return "iso27001:" + ref


# --- builders ---------------------------------------------------------------------------


def build_nis2(ref: Path) -> tuple[dict[str, Any], dict[str, int]]:
    reqs = nis2_requirements(read_csv(ref / "nis2_art21_points.csv"))
    cbw = [
        {"id": "cbw:" + n, "ref": r, "label": lab, "seq": i + 1}
        for i, (n, r, lab) in enumerate(sorted(CBW_ARTICLES))
    ]
    links = cbw_links(ref)
    counts = {
        "requirements": len(reqs),
        "article_21_nodes": sum(1 for r in reqs if r["id"].startswith("nis2:21")),
        "article_21_2_points": sum(
            1 for r in reqs if r["id"].startswith("nis2:21.2.") and r["kind"] == "point"
        ),
        "article_20_nodes": sum(1 for r in reqs if r["id"].startswith("nis2:20")),
        "article_23_nodes": sum(1 for r in reqs if r["id"].startswith("nis2:23")),
        "addressed_by_legislation": sum(1 for r in reqs if r["addressed_by"] == "legislation"),
        "cbw_articles": len(cbw),
        "cbw_links": len(links),
    }
    assert counts["article_21_2_points"] == 10, counts
    return {"dataset": "nis2", "requirements": reqs, "cbw": cbw, "links": links}, counts


def nis2_requirements(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Art. 20, the rows of Art. 21 (with the parts of point (j)), then Art. 23, numbered."""
    reqs: list[dict[str, Any]] = []

    def add(
        cid: str,
        parent: str | None,
        kind: str,
        ref_s: str,
        label: str,
        assessable: bool,
        addressed_by: str,
        law: tuple[str, ...],
    ) -> None:
        reqs.append(
            {
                "id": cid,
                "parent": parent,
                "kind": kind,
                "ref": ref_s,
                "label": label,
                "assessable": assessable,
                "addressed_by": addressed_by,
                "law": list(law),
                "seq": len(reqs) + 1,
            }
        )

    def add_extra(extra: list[tuple[str, str | None, str, str, str, str, tuple[str, ...]]]) -> None:
        for cid, parent, kind, ref_s, label, by, law in extra:
            pid = nis2_id(parent) if parent else None
            add(nis2_id(cid), pid, kind, ref_s, label, kind != "article", by, law)

    add_extra(NIS2_EXTRA[:3])  # Art. 20 before Art. 21
    for r in rows:
        rid = r["id"]
        kind = {1: "article", 2: "paragraph", 3: "point"}[int(r["depth"])]
        if rid.endswith(".sp2"):
            kind = "subparagraph"
        ref_s = "Art. " + rid.split(".")[0]
        for p in rid.split(".")[1:]:
            ref_s += f"({p})" if p != "sp2" else ", second subparagraph"
        add(
            nis2_id(rid),
            nis2_id(r["parent_id"]) if r["parent_id"] else None,
            kind,
            ref_s,
            r["label"],
            r["assessable"] == "true",
            "legislation" if rid in NIS2_LEGISLATION else "controls",
            ("cbw:21",) if rid == "21" else (),
        )
        if rid == "21.2.j":
            for pid, parent, pref, plabel in NIS2_PARTS:
                add(nis2_id(pid), nis2_id(parent), "part", pref, plabel, True, "controls", ())
    add_extra(NIS2_EXTRA[3:])  # Art. 23 after it
    return reqs


def cbw_links(ref: Path) -> list[dict[str, Any]]:
    """The Cbw articles that transpose NIS2 Art. 20, 21 and 23."""
    links = []
    for row in read_csv(ref / "cbw_links.csv"):
        if row["link_type"] == "nis2_article":
            cbw_art = {"21": "cbw:21", "20": "cbw:24", "23": "cbw:25"}[row["target_id"]]
            links.append(
                {
                    "source": cbw_art,
                    "target": nis2_id(row["target_id"]),
                    "relationship": "intersects_with",
                    "kind": "transposes",
                    "basis": row["basis"],
                }
            )
    links.sort(key=lambda e: (sort_key(e["source"]), sort_key(e["target"])))
    return links


def build_ir2690(ref: Path) -> tuple[dict[str, Any], dict[str, int], dict[str, str]]:
    rows = read_csv(ref / "ir2024_2690_annex_requirements.csv")
    reqs = []
    by_urn: dict[str, str] = {}
    labels = {r["annex_id"]: r["label"] for r in read_csv(LABELS / "ir2690_labels.csv")}
    assert list(labels) == [r["annex_id"] for r in rows], "ir2690_labels.csv: ids or order differ"
    for r in rows:
        cid = ir_id(r["annex_id"])
        by_urn[r["ciso_urn_suffix"]] = cid
        # the reference labels sections and subsections; ours label every node
        assert not r["label"] or r["label"] == labels[r["annex_id"]], r["annex_id"]
        r["label"] = labels[r["annex_id"]]
        assert 0 < len(r["label"].split()) <= 8, (r["annex_id"], r["label"])
        points = [nis2_id(p) for p in split(r["art21_2_points"])]
        if r["annex_id"].startswith("11.7"):
            # 11.7 (multi-factor authentication) serves the first part of 21(2)(j), and
            # access control (21(2)(i)) as the reference says since 2026-11-30.
            points = [nis2_id("21.2.j.mfa") if p == nis2_id("21.2.j") else p for p in points]
        reqs.append(
            {
                "id": cid,
                "ref": r["annex_id"],
                "parent": ir_id(r["parent_annex_id"]) if r["parent_annex_id"] else None,
                "kind": r["node_kind"],
                "section": int(r["section"]),
                "assessable": r["assessable"] == "true",
                "label": r["label"],
                "points": points,
                "basis": r["art21_2_basis"],
                "seq": int(r["seq"]),
            }
        )
    kinds = Counter(r["kind"] for r in reqs)
    counts = {
        "requirements": len(reqs),
        "sections": kinds["section"],
        "subsections": kinds["subsection"],
        "paragraphs": kinds["paragraph"],
        "points": kinds["point"],
        "subpoints": kinds["subpoint"],
        "assessable": sum(1 for r in reqs if r["assessable"]),
    }
    assert counts["requirements"] == 439, counts
    return {"dataset": "ir2690", "requirements": reqs}, counts, by_urn


def build_iso(ref: Path) -> tuple[dict[str, Any], dict[str, int]]:
    rows = read_csv(ref / "iso27001_2022.csv")
    attrs_rows = {r["id"]: r for r in read_csv(ref / "iso27002_2022_attributes.csv")}
    nodes = []
    for r in rows:
        kind = r["kind"]
        cid = iso_id(r["id"], kind)
        node: dict[str, Any] = {
            "id": cid,
            "kind": kind,
            "ref": r["id"],
            "title": r["title"],
            "parent": iso_id(r["parent"], "theme" if kind == "control" else "clause")
            if r["parent"]
            else None,
            "theme": r["theme"],
            "seq": int(r["seq"]),
        }
        if kind == "control":
            a = attrs_rows[r["id"]]
            node["attributes"] = {
                "control_type": split(a["control_type"]),
                "information_security_properties": split(a["information_security_properties"]),
                "cybersecurity_concepts": split(a["cybersecurity_concepts"]),
                "operational_capabilities": split(a["operational_capabilities"]),
                "security_domains": split(a["security_domains"]),
            }
        nodes.append(node)
    kinds = Counter(n["kind"] for n in nodes)
    themes = Counter(n["theme"] for n in nodes if n["kind"] == "control")
    counts = {
        "clauses": kinds["clause"],
        "themes": kinds["theme"],
        "controls": kinds["control"],
        "organizational": themes["organizational"],
        "people": themes["people"],
        "physical": themes["physical"],
        "technological": themes["technological"],
    }
    assert counts == {
        "clauses": 41,
        "themes": 4,
        "controls": 93,
        "organizational": 37,
        "people": 8,
        "physical": 14,
        "technological": 34,
    }, counts
    return {
        "dataset": "iso27001-2022",
        "attributes_source": ATTR_SOURCE,
        "attributes_verified": False,
        "nodes": nodes,
    }, counts


def build_enisa(ref: Path, by_urn: dict[str, str]) -> tuple[dict[str, Any], dict[str, int]]:
    rows = read_csv(ref / "enisa_annex_to_iso27001.csv")
    rel = {"intersect": "intersects_with"}
    pairs = []
    for r in rows:
        src = by_urn[r["ciso_urn_suffix"]]
        assert src == ir_id(r["annex_id"]), (src, r)
        pairs.append(
            [
                src,
                iso_id(r["iso_id"], r["iso_kind"]),
                rel[r["relationship"]],
                int(r["occurrences_in_source"]),
            ]
        )
    counts = {
        "pairs": len(pairs),
        "to_controls": sum(1 for p in pairs if p[1].startswith("iso27002:")),
        "to_clauses": sum(1 for p in pairs if p[1].startswith("iso27001:")),
        "source_rows": sum(p[3] for p in pairs),
        "annex_nodes_mapped": len({p[0] for p in pairs}),
        "controls_targeted": len({p[1] for p in pairs if p[1].startswith("iso27002:")}),
    }
    assert counts["pairs"] == 926, counts
    assert counts["source_rows"] == 954, counts
    inherited = inherit_section_tables(ref, pairs)
    counts["inherited_pairs"] = len(inherited)
    counts["inherited_nodes"] = len({p[0] for p in inherited})
    assert counts["inherited_pairs"] == 74, counts  # 8 nodes x 5 clauses + 17 nodes x 2 controls
    assert counts["inherited_nodes"] == 25, counts
    return {
        "dataset": "enisa-ir2690-iso27001",
        "columns": ["source", "target", "relationship", "occurrences_in_source"],
        "edge_source": ENISA_EDGE_SOURCE,
        "pairs": pairs,
        "inherited_columns": ["source", "target", "relationship", "inherited_from"],
        "inherited": inherited,
    }, counts


# Sections 7 and 9 of the annex have no subsections; ENISA gives one mapping table per
# section, but the packaged source put it on 7.1 and 9.1 only (reference README, "Coverage
# of the ENISA mappings"). We inherit the section's table to the rest of the section,
# kept apart from the 926 source pairs (basis ``section_table``).
SECTION_TABLES = {"7": "7.1", "9": "9.1"}


def inherit_section_tables(ref: Path, pairs: list[list[Any]]) -> list[list[Any]]:
    annex = read_csv(ref / "ir2024_2690_annex_requirements.csv")
    targets: dict[str, list[str]] = {}
    for src, tgt, _rel, _n in pairs:
        targets.setdefault(src, []).append(tgt)
    out = []
    for section, table_node in SECTION_TABLES.items():
        table_ids = {ir_id(r["annex_id"]) for r in annex if r["annex_id"].startswith(table_node)}
        table = sorted({t for i in table_ids for t in targets.get(i, ())}, key=sort_key)
        for r in annex:
            aid = r["annex_id"]
            if r["section"] != section or aid == section or aid.startswith(table_node):
                continue
            node = ir_id(aid)
            assert node not in targets, node  # only nodes the source left without a table
            out.extend([node, t, "intersects_with", ir_id(table_node)] for t in table)
    return out


# --- ISO/IEC 27001:2013 -> 2022 (BIO 1.04 -> BIO2) -----------------------------------------

SRC_ISO2013 = (
    "ISO/IEC 27002:2022 Annex B, Table B.2, and the 27001:2022 clause changes (ids, titles, "
    "pairs); relationships by bio2map from the shape of the pairs; checked against CISO "
    "Assistant's mapping-iso27001-2013-to-iso27001-2022.yaml (13 pairs added, 3 corrected)"
)
ISO2013_RELATIONSHIPS = {"equal", "subset_of", "superset_of", "intersects_with"}


def iso2013_id(ref: str) -> str:
    return "iso27001-2013:" + ref


def build_iso2013(ref: Path, iso2022: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The 2013 edition's clauses and Annex A controls and their 2022 successors."""
    rows = read_csv(ref / "iso27001_2013_to_2022.csv")
    known_2022 = {n["id"]: n for n in iso2022["nodes"]}
    nodes: dict[str, dict[str, Any]] = {}
    pairs = []
    for r in rows:
        kind = r["kind"]
        assert kind in ("clause", "control"), r
        assert (kind == "control") == r["from_id"].startswith("A."), r
        cid = iso2013_id(r["from_id"])
        if cid not in nodes:
            nodes[cid] = {
                "id": cid,
                "kind": kind,
                "ref": r["from_id"],
                "title": r["from_title"],  # the 2013 edition's short title, as given
                "seq": len(nodes) + 1,
            }
        assert nodes[cid]["title"] == r["from_title"], r
        target = iso_id(r["to_id"], "control" if r["to_id"].startswith("A.") else "clause")
        assert target in known_2022, r
        assert r["relationship"] in ISO2013_RELATIONSHIPS, r
        pairs.append({"source": cid, "target": target, "relationship": r["relationship"]})
    targets = {p["target"] for p in pairs}
    controls_2022 = [n["id"] for n in iso2022["nodes"] if n["kind"] == "control"]
    new_controls = [c for c in controls_2022 if c not in targets]
    leaves = {n["parent"] for n in iso2022["nodes"]}
    new_clauses = [
        n["id"]
        for n in iso2022["nodes"]
        if n["kind"] == "clause" and n["id"] not in leaves and n["id"] not in targets
    ]
    kinds = Counter(n["kind"] for n in nodes.values())
    rels = Counter(p["relationship"] for p in pairs)
    counts = {
        "correspondence_rows": len(pairs),
        "controls_2013": kinds["control"],
        "clauses_2013": kinds["clause"],
        "controls_2022": len(controls_2022),
        "controls_2022_reached": len([c for c in controls_2022 if c in targets]),
        "new_controls_2022": len(new_controls),
        "new_clauses_2022": len(new_clauses),
        "equal": rels["equal"],
        "subset_of": rels["subset_of"],
        "superset_of": rels["superset_of"],
        "intersects_with": rels["intersects_with"],
    }
    assert counts["correspondence_rows"] == 144, counts
    assert counts["controls_2013"] == 114, counts
    assert counts["controls_2022"] == 93, counts
    assert counts["new_controls_2022"] == 11, counts
    assert [c.removeprefix("iso27002:") for c in new_controls] == [
        *("5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28")
    ], new_controls
    assert new_clauses == ["iso27001:6.3"], new_clauses
    assert (rels["equal"], rels["subset_of"], rels["superset_of"], rels["intersects_with"]) == (
        82,
        55,
        5,
        2,
    ), rels
    return {
        "dataset": "iso27001-2013",
        "nodes": list(nodes.values()),
        "correspondence": pairs,
        "new_in_2022": new_controls + new_clauses,
        "relationship_basis": "shape_of_pairs",
    }, counts


# --- ADR & NOREA Cbw (NIS2) Control Framework ----------------------------------------------

CBW_ATTRIBUTION = "ADR & NOREA, Cbw (NIS2) Control Framework (2025), CC-BY 4.0 licensed"
# Group ids: the Dutch name of the group (the source's URN suffix holds it too).
CBWCF_GROUPS = {
    "zorgplicht-(art.-21)": ("zorgplicht", "art. 21"),
    "governance-(art.-24)": ("governance", "art. 24"),
    "meldplicht-(art.-25)": ("meldplicht", "art. 25"),
}
# Theme names longer than 8 words are replaced by a short name of our own (the source's
# name would be a sentence of the framework in the packaged data).
CBWCF_THEME_SHORT = {
    "governance-(art.-24):1": ("training van het bestuur", "board training"),
}


def build_cbwcf(ref: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The framework's 3 groups, 17 themes and 27 controls, and their links."""
    theme_links: dict[str, list[str]] = {}
    group_law: dict[str, str] = {}
    for link in read_csv(ref / "cbw_links.csv"):
        if link["link_type"] == "nis2_art21_2_point":
            theme_links.setdefault(link["cbw_node"], []).append(link["target_id"])
        elif link["link_type"] == "cbw_article":
            group_law[link["cbw_node"]] = "cbw:" + link["target_id"].split(":")[1]
    nodes = cbwcf_nodes(read_csv(ref / "cbw_control_framework.csv"))
    links = cbwcf_links(nodes, group_law, theme_links)
    cbwcf_addressed_by(nodes, group_law, theme_links)
    kinds = Counter(n["kind"] for n in nodes)
    counts = {
        "nodes": len(nodes),
        "groups": kinds["group"],
        "themes": kinds["theme"],
        "controls": kinds["control"],
        "assessable": sum(1 for n in nodes if n["assessable"]),
        "links_to_cbw_articles": sum(1 for e in links if e["target"].startswith("cbw:")),
        "links_to_art21_2_points": sum(1 for e in links if e["target"].startswith("nis2:")),
        "controls_process_only": sum(
            1 for n in nodes if n["kind"] == "control" and n["addressed_by"] == "process"
        ),
    }
    assert counts["nodes"] == 47, counts
    assert counts["assessable"] == 27, counts
    assert (counts["groups"], counts["themes"], counts["controls"]) == (3, 17, 27), counts
    assert counts["links_to_cbw_articles"] == 3, counts
    assert counts["links_to_art21_2_points"] == 12, counts
    return {"dataset": "cbwcf", "nodes": nodes, "links": links}, counts


def cbwcf_nodes(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Each row of the framework as a node: its id, kind, reference and our short labels."""
    labels = {r["ref_id"]: r for r in read_csv(LABELS / "cbw_labels.csv")}
    by_urn: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    for r in rows:
        depth = int(r["depth"])
        urn = r["urn_suffix"]
        parent = by_urn.get(r["parent_urn_suffix"]) if r["parent_urn_suffix"] else None
        if depth == 1:
            word, art = CBWCF_GROUPS[urn]
            cid, kind, ref_s = "cbwcf:" + word, "group", art
            name_nl, name_en = r["name_nl"], r["name_en"]
        elif depth == 2:
            kind = "theme"
            children = [c["ref_id"] for c in rows if c["parent_urn_suffix"] == urn]
            number = {c.split(".")[0] for c in children}
            assert len(number) == 1, (urn, children)  # theme N holds controls N.x
            ref_s = number.pop()
            cid = "cbwcf:" + ref_s
            name_nl, name_en = CBWCF_THEME_SHORT.get(urn, (r["name_nl"], r["name_en"]))
        else:
            kind = "control"
            ref_s = r["ref_id"]
            cid = "cbwcf:" + ref_s
            assert not r["name_nl"], r  # the source has texts only: sentences
            assert not r["name_en"], r
            name_nl, name_en = labels[ref_s]["label_nl"], labels[ref_s]["label_en"]
        assert (kind == "control") == (r["assessable"] == "True"), r
        for name in (name_nl, name_en):
            assert 0 < len(name.split()) <= 8, (cid, name)
        by_urn[urn] = cid
        nodes.append(
            {
                "id": cid,
                "kind": kind,
                "ref": ref_s,
                "parent": parent,
                "label_nl": name_nl,
                "label_en": name_en,
                "assessable": kind == "control",
                "source_ref": urn,
                "seq": int(r["seq"]),
            }
        )
    assert sorted(labels) == sorted(n["ref"] for n in nodes if n["kind"] == "control"), labels
    return nodes


def cbwcf_links(
    nodes: list[dict[str, Any]], group_law: dict[str, str], theme_links: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """A group evaluates its Cbw article (named in the source); a theme, its Art. 21(2)
    point(s) (our reading)."""
    links = []
    for n in nodes:
        urn = n["source_ref"]
        if urn in group_law:
            links.append(
                {
                    "source": n["id"],
                    "target": group_law[urn],
                    "relationship": "intersects_with",
                    "kind": "evaluates",
                    "basis": "explicit_node_name",
                }
            )
        links.extend(
            {
                "source": n["id"],
                "target": nis2_id(point),
                "relationship": "intersects_with",
                "kind": "evaluates",
                "basis": "inferred_theme",
            }
            for point in theme_links.get(urn, ())
        )
    return links


def cbwcf_addressed_by(
    nodes: list[dict[str, Any]], group_law: dict[str, str], theme_links: dict[str, list[str]]
) -> None:
    """Set what shows each node (``addressed_by``): the ISO controls behind its Art. 21(2)
    point, or only the organisation's own process (reporting, governance, handling
    advice); and its group's Cbw article (``law``)."""
    parent_of = {n["id"]: n["parent"] for n in nodes}
    urn_of = {n["id"]: n["source_ref"] for n in nodes}

    def group(cid: str) -> str:
        while parent_of[cid] is not None:
            cid = parent_of[cid]
        return cid

    themed = {n["id"] for n in nodes if theme_links.get(n["source_ref"])}
    for n in nodes:
        reach = {n["id"], n["parent"]} if n["kind"] != "group" else set()
        if n["kind"] == "group":
            reach = {m["id"] for m in nodes if m["parent"] == n["id"]}
        n["addressed_by"] = "controls" if reach & themed else "process"
        n["law"] = [group_law[urn_of[group(n["id"])]]]


def build_bio2(shared: Path) -> list[tuple[str, dict[str, Any], dict[str, int], dict[str, Any]]]:
    """Parse every corpus draft into its data file (the library's draft_document)."""
    manifest = tomllib.loads(
        (shared / "corpus" / "bio2" / "MANIFEST.toml").read_text(encoding="utf-8")
    )
    out = []
    for d in manifest["draft"]:
        slug = d["slug"]
        raw = (shared / d["maatregelen_path"]).read_bytes()
        doc, counts, meta = draft_document(
            raw,
            slug=slug,
            label=DRAFT_LABELS.get(slug, f"BIO2 {slug}"),
            status=d["status"],
            date=str(d["date"]),
            commit=d["commit"],
            source_path=d["maatregelen_source_path"],
            source_repository=BIO2_REPO,
        )
        if meta["git_blob"] != d["maatregelen_git_blob"]:
            raise SystemExit(f"{slug}: the corpus file is not the blob its manifest names")
        add_measure_labels(slug, doc["measures"])
        out.append((slug, doc, counts, meta))
    return out


# markers stand where a measure was or is not: their labels say what they are
MARKER_LABELS = {
    "no-measure": ("geen overheidsmaatregel", "no government measure"),
    "moved": ("verplaatst naar {target}", "moved to {target}"),
    "withdrawn": ("vervallen", "withdrawn"),
    "see-other": ("zie {target}", "see {target}"),
}


def measure_labels() -> dict[tuple[str, str], dict[str, str]]:
    """Our Dutch and English labels of every BIO2 measure, by (draft, id)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for name in ("bio2_measures_2024_2025.csv", "bio2_measures_1x.csv"):
        for r in read_csv(LABELS / name):
            assert (r["draft"], r["id"]) not in out, (name, r["draft"], r["id"])
            for lang in ("label_nl", "label_en"):
                assert 0 < len(r[lang].split()) <= 8, (name, r["draft"], r["id"], lang)
            out[(r["draft"], r["id"])] = r
    return out


def add_measure_labels(slug: str, measures: list[dict[str, Any]]) -> None:
    """Every measure of a draft gets its labels; the fingerprint must be the labelled text's."""
    labels = measure_labels()
    for m in measures:
        if m["kind"] != "measure":
            nl, en = MARKER_LABELS[m["kind"]]
            target = m.get("target") or ""
            m["label_nl"] = nl.format(target=target)
            m["label_en"] = en.format(target=target)
            continue
        row = labels.get((slug, m["id"]))
        assert row is not None, f"{slug} {m['id']}: no label in tasks/labels"
        assert row["fingerprint"] == m["fingerprint"], f"{slug} {m['id']}: text changed"
        m["label_nl"] = row["label_nl"]
        m["label_en"] = row["label_en"]


# Long by design: one entry per dataset, with its manifest facts, in the manifest's order
def build(shared: Path) -> dict[str, bytes]:
    ref = shared / "reference"
    files: dict[str, bytes] = {}
    datasets = []

    def add(
        name: str,
        file: str,
        doc: dict[str, Any],
        counts: dict[str, int],
        *,
        version: str,
        title: str,
        source: str,
        licence: str,
        attribution: str,
    ) -> None:
        blob = dump(doc)
        files[file] = blob
        datasets.append(
            {
                "name": name,
                "version": version,
                "file": file,
                "sha256": hashlib.sha256(blob).hexdigest(),
                "title": title,
                "source": source,
                "licence": licence,
                "attribution": attribution,
                "counts": counts,
            }
        )

    nis2, c = build_nis2(ref)
    add(
        "nis2",
        "nis2.json",
        nis2,
        c,
        version="2022/2555+bio2map.1",
        title="NIS2 Art. 20, 21, 23 and Cbw links",
        source=SRC_NIS2 + "; Art. 20 and 23 nodes and the Cbw links authored by bio2map",
        licence="EU law (reuse allowed, Commission Decision 2011/833/EU); structure and labels by bio2map",
        attribution="Directive (EU) 2022/2555; Cbw links after ADR & NOREA, Cbw (NIS2) Control Framework (2025), CC BY 4.0",
    )
    ir, c, by_urn = build_ir2690(ref)
    add(
        "ir2690",
        "ir2690.json",
        ir,
        c,
        version="2024/2690+ciso-v12",
        title="Implementing Regulation 2024/2690 annex",
        source=SRC_IR,
        licence="EU law (reuse allowed, Commission Decision 2011/833/EU); labels by bio2map",
        attribution="Commission Implementing Regulation (EU) 2024/2690, annex (structure only)",
    )
    iso, c = build_iso(ref)
    add(
        "iso27001-2022",
        "iso27001-2022.json",
        iso,
        c,
        version="2022+ciso-v18",
        title="ISO/IEC 27001:2022 clauses and 27002:2022 controls",
        source=SRC_ISO,
        licence="ids and short titles only; the standards are copyright ISO/IEC and sold by ISO and NEN",
        attribution="ISO/IEC 27001:2022, ISO/IEC 27002:2022 (identifiers and titles)",
    )
    enisa, c = build_enisa(ref, by_urn)
    add(
        "enisa-ir2690-iso27001",
        "enisa-ir2690-iso27001.json",
        enisa,
        c,
        version="2025-07-09",
        title="ENISA mapping 2024/2690 annex to ISO 27001",
        source=SRC_ENISA,
        licence="CC BY 4.0",
        attribution="Source: ENISA, NIS2 Technical Implementation Guidance mapping tables (2025), CC BY 4.0, "
        "as packaged by CISO Assistant (intuitem); changed: ids normalised, duplicate rows merged.",
    )
    iso2013, c = build_iso2013(ref, iso)
    add(
        "iso27001-2013",
        "iso27001-2013.json",
        iso2013,
        c,
        version="2013-to-2022+bio2map.1",
        title="ISO/IEC 27001:2013 ids and their 2022 successors",
        source=SRC_ISO2013,
        licence="ids, short titles and correspondence only; the standards are copyright ISO/IEC "
        "and sold by ISO and NEN; relationships by bio2map",
        attribution="ISO/IEC 27001:2013, ISO/IEC 27002:2022 Annex B (identifiers, titles, "
        "correspondence)",
    )
    cbwcf, c = build_cbwcf(ref)
    add(
        "cbwcf",
        "cbw-control-framework.json",
        cbwcf,
        c,
        version="1.2+ciso-v1",
        title="ADR & NOREA Cbw (NIS2) Control Framework",
        source=SRC_CBW + "; control labels and Art. 21(2) links by bio2map",
        licence="CC BY 4.0",
        attribution=CBW_ATTRIBUTION,
    )
    drafts = []
    for slug, doc, c, meta in build_bio2(shared):
        file = f"bio2-{slug}.json"
        blob = dump(doc)
        files[file] = blob
        datasets.append(draft_dataset(meta, file, blob, c))
        drafts.append(draft_entry(meta, file, c))
    definitive = [d for d in drafts if d["status"] == "definitief"]
    manifest = {
        "format": FORMAT,
        "data_version": DATA_VERSION,
        "default_bio2": max(definitive, key=lambda d: d["date"])["slug"],
        "datasets": datasets,
        "bio2_drafts": drafts,
    }
    files["manifest.json"] = dump(manifest)
    return files


def validate(files: dict[str, bytes]) -> None:
    """Read the built files with the package's strict reader (every field, every
    reference, every sha256, for every draft); exit with every problem if any."""
    import tempfile

    from bio2map.core.errors import DataErrorGroup
    from bio2map.core.reader import forget, read_manifest, read_raw

    with tempfile.TemporaryDirectory() as tmp:
        for name, blob in files.items():
            (Path(tmp) / name).write_bytes(blob)
        try:
            manifest = read_manifest(tmp)  # a folder: never trusted, always validated
            for draft in manifest.raw_drafts:
                read_raw(manifest, draft["slug"])
        except DataErrorGroup as e:
            problems = "\n".join(f"  {x}" for x in e.exceptions)
            sys.exit(f"the built data does not pass the reader: {e.message}:\n{problems}")
        finally:
            forget(tmp)


def digests_module(files: dict[str, bytes]) -> str:
    """The text of ``bio2map/core/_digests.py``: the digest of every file as built."""
    from bio2map.core.trusted import digest

    lines = [
        '"""The BLAKE2b digests of the packaged data files, as built and validated.',
        "",
        "Generated by tasks/build_data.py after the strict reader passed every file; do not",
        "edit. A packaged file with these bytes is read without checks",
        "(:mod:`bio2map.core.trusted`); ``build_data.py --check`` compares this module too.",
        '"""',
        "",
        "DIGESTS: dict[str, str] = {",
        *(f'    "{name}": "{digest(blob)}",' for name, blob in sorted(files.items())),
        "}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("BIO2MAP_SHARED", REPO.parent / "shared")),
    )
    p.add_argument(
        "--check", action="store_true", help="compare with the committed files; write nothing"
    )
    p.add_argument("--out", type=Path, default=DATA)
    args = p.parse_args(argv)
    files = build(args.shared)
    validate(files)
    digests = digests_module(files)
    packaged = args.out.resolve() == DATA.resolve()  # the digests describe the packaged data
    if args.check:
        bad = [
            n
            for n, b in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != b
        ]
        extra = sorted(p.name for p in args.out.glob("*.json") if p.name not in files)
        if packaged and (not DIGESTS.is_file() or DIGESTS.read_text(encoding="utf-8") != digests):
            bad.append(str(DIGESTS.relative_to(REPO)))
        for n in bad + extra:
            print(f"differs: {n}")
        return 1 if bad or extra else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, blob in sorted(files.items()):
        tmp = args.out / (name + ".tmp")
        tmp.write_bytes(blob)
        tmp.replace(args.out / name)
    for stale in args.out.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    if packaged:
        tmp = DIGESTS.with_suffix(".tmp")
        tmp.write_text(digests, encoding="utf-8")
        tmp.replace(DIGESTS)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
