"""What ``bio2map show ID`` prints: one node of any kind, its place and its links.

:func:`show` takes a catalog and any id (a NIS2 article or point, a 2024/2690 annex
node, an ISO 27002 control or theme, an ISO 27001 clause, a BIO2 measure or marker, a
Cbw article) and returns the JSON document and two tables: the node's fields (labels,
parent, children, ...) and its links, one row per linked node with the basis of the
link. A field the loaded draft does not record (the NIS2 tag from 1.1 on, the
contribution tags in 1.3) is ``not recorded``, never ``no``; in JSON it is null.

Only the public catalog API is used (:meth:`~bio2map.catalog.catalog.Catalog.get`,
``children``, ``controls_for``, ``requirements_for``, ``mappings``, ``describe``).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from bio2map.cli.command import ref_of
from bio2map.core.ids import SCHEMES, plain
from bio2map.core.vocab import invert
from bio2map.render.table import Ids, Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any

    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Control, Measure, Requirement

__all__ = ["NOT_RECORDED", "show"]

NOT_RECORDED = "not recorded"
"""What a table says for a field the draft does not record."""

_LINK_COLUMNS = ("link", "id", "ref", "label", "basis")


def _name(node: Any) -> str:
    return str(getattr(node, "label", "") or getattr(node, "title", "") or "")


def _brief(cat: Catalog, cid: str | None) -> dict[str, str] | None:
    if cid is None:
        return None
    node = cat.get(cid)
    return {"id": node.id, "ref": ref_of(node), "label": _name(node)}


def _place(cat: Catalog, node: Any) -> tuple[dict[str, Any], list[tuple[str, object]]]:
    """Parent and children: the JSON fields and the table rows."""
    parent = _brief(cat, getattr(node, "parent", None))
    children = [c.id for c in cat.children(node.id)]
    rows: list[tuple[str, object]] = [
        ("parent", f"{parent['id']} ({parent['ref']}) {parent['label']}".strip() if parent else ""),
        ("children", Ids(children, counted=True)),
    ]
    return {"parent": parent, "children": children}, rows


def _link(cat: Catalog, link: str, cid: str, basis: str) -> dict[str, str]:
    node = cat.get(cid)
    return {"link": link, "id": cid, "ref": ref_of(node), "label": _name(node), "basis": basis}


def _links_table(title: str, links: list[dict[str, str]]) -> Table:
    return Table(
        title,
        _LINK_COLUMNS,
        [tuple(x[c] for c in _LINK_COLUMNS) for x in links],
        empty="no links",
        name="links",
    )


def _side_links(cat: Catalog, cid: str) -> list[dict[str, str]]:
    """A layer's side links of a control or measure (kept, followed by no query)."""
    if not cat.layers:
        return []
    out = []
    for m in cat.mappings:
        if m.kind == "relates_to" and cid in (m.source, m.target):
            rel = m.relationship if m.source == cid else invert(m.relationship)
            other = m.target if m.source == cid else m.source
            out.append(_link(cat, f"{rel} (layer {m.dataset})", other, m.basis))
    return out


def _requirement(cat: Catalog, r: Requirement) -> tuple[dict[str, Any], list[tuple[str, object]]]:
    links: list[dict[str, str]] = []
    if r.framework == "ir2690":
        links.extend(_link(cat, "implements", p, r.basis) for p in r.points)
    implemented_by: list[dict[str, str]] = []
    transposed_by: list[dict[str, str]] = []
    for m in cat.mappings:
        if m.target == r.id and m.kind == "implements":
            implemented_by.append(_link(cat, "implemented by", m.source, m.basis))
        elif m.target == r.id and m.kind == "transposes":
            transposed_by.append(_link(cat, "transposed by", m.source, m.basis))
        elif m.source == r.id and m.kind == "transposes":
            links.append(_link(cat, "transposes", m.target, m.basis))
    links.extend(implemented_by)
    links.extend(transposed_by)
    if r.framework != "cbw":
        for c in cat.controls_for(r.id).controls:
            links.append(_link(cat, "served by", c.id, c.basis))
    if r.framework not in SCHEMES:  # a layer's own node: asked the other way round too
        for match in cat.requirements_for(r.id).requirements:
            links.append(_link(cat, "serves", match.id, match.basis))
    doc: dict[str, Any] = {
        "framework": r.framework,
        "ref": r.ref,
        "kind": r.kind,
        "label": r.label,
        "assessable": r.assessable,
        "addressed_by": r.addressed_by,
        "law": list(r.law),
    }
    rows: list[tuple[str, object]] = [
        ("ref", r.ref),
        ("label", r.label),
        ("kind", r.kind),
        ("assessable", r.assessable),
        ("addressed by", r.addressed_by + (f" ({', '.join(r.law)})" if r.law else "")),
    ]
    if r.framework == "ir2690":
        doc["points"] = [{"id": p, "basis": r.basis} for p in r.points]
        rows.append(("Art. 21(2) points", f"{', '.join(plain(p) for p in r.points)} ({r.basis})"))
    return {**doc, "links": links}, rows


def _control(cat: Catalog, c: Control) -> tuple[dict[str, Any], list[tuple[str, object]]]:
    links: list[dict[str, str]] = []
    if c.standard == "iso27001-2013":  # the 2013 edition: its 2022 successors
        for cid, rel in cat.successors(c.id):
            links.append(_link(cat, f"succeeded by ({rel})", cid, "shape_of_pairs"))
        old = {"standard": c.standard, "ref": c.ref, "kind": c.kind, "title": c.title}
        return {**old, "links": links}, [("ref", c.ref), ("title", c.title), ("kind", c.kind)]
    links.extend(_link(cat, "succeeds", p, "shape_of_pairs") for p in cat.predecessors(c.id))
    for m in cat.requirements_for(c.id).requirements:
        link = "serves" if m.requirement.framework == "nis2" else "mapped from"
        links.append(_link(cat, link, m.id, m.basis))
    measures = [m.id for m in cat.measures_for(c.id)] if c.kind == "control" else []
    links.extend(_link(cat, "refined by", m, "numbering") for m in measures)
    links.extend(_side_links(cat, c.id))
    attributes = None
    if c.attributes is not None:
        a = c.attributes
        attributes = {
            "control_type": list(a.control_type),
            "information_security_properties": list(a.information_security_properties),
            "cybersecurity_concepts": list(a.cybersecurity_concepts),
            "operational_capabilities": list(a.operational_capabilities),
            "security_domains": list(a.security_domains),
            "verified": a.verified,
        }
    doc: dict[str, Any] = {
        "standard": c.standard,
        "ref": c.ref,
        "kind": c.kind,
        "title": c.title,
        "theme": c.theme,
        "attributes": attributes,
        "links": links,
    }
    rows: list[tuple[str, object]] = [("ref", c.ref), ("title", c.title), ("kind", c.kind)]
    if c.theme:
        rows.append(("theme", c.theme))
    if c.kind == "control":
        rows.append((f"BIO2 {cat.bio2_version} measures", Ids(plain(m) for m in measures)))
    return doc, rows


def _measure(
    cat: Catalog, m: Measure, with_texts: bool, fmt: str
) -> tuple[dict[str, Any], list[tuple[str, object]], list[str]]:
    control = cat.get(m.control)
    title = str(getattr(control, "title", ""))
    ref = str(getattr(control, "ref", "")) or plain(m.control)
    matches = (m.id not in cat.text_mismatches) if with_texts else None
    links = [_link(cat, "refines", m.control, "numbering")]
    if m.kind == "measure":
        for r in cat.requirements_for(m.id).requirements:
            if r.requirement.framework == "nis2":
                links.append(_link(cat, "serves (through its control)", r.id, r.basis))
    links.extend(_side_links(cat, m.id))
    doc: dict[str, Any] = {
        "number": m.number,
        "draft": m.draft,
        "kind": m.kind,
        "target": m.target,
        "label_nl": m.label_nl,
        "label_en": m.label_en,
        "tags": list(m.tags),
        "tags_recorded": m.tags_recorded,
        "nis2": m.nis2,
        "nis2_recorded": m.nis2_recorded,
        "numbered": m.numbered,
        "fingerprint": m.fingerprint,
        "words": m.words,
        "control": {"id": m.control, "ref": ref, "title": title},
        "control_title_nl": m.control_title,
        "text": m.text,
        "texts_source": cat.texts_source,
        "text_matches_fingerprint": matches,
        "links": links,
    }
    if not m.tags_recorded:
        tags = f"{NOT_RECORDED} (BIO2 {m.draft} has no tag lines)"
    else:
        tags = ", ".join(m.tags) or "none"
    if m.nis2_recorded:
        nis2 = "yes" if m.nis2_flag else "no"
    else:
        nis2 = f"{NOT_RECORDED} (BIO2 {m.draft} tags no measure NIS2)"
    rows: list[tuple[str, object]] = [
        ("draft", f"BIO2 {m.draft}"),
        ("label (en)", m.label_en),
        ("label (nl)", m.label_nl),
        ("control", f"{plain(m.control)} {title}".strip()),
        ("kind", m.kind + (f" -> {plain(m.target)}" if m.target else "")),
        ("tags", tags),
        ("NIS2 tag", nis2),
        ("fingerprint", m.fingerprint),
    ]
    notes: list[str] = []
    if with_texts:
        rows.append(("control (nl)", m.control_title or ""))
        rows.append(("text from", cat.texts_source or ""))
        if not matches:
            notes.append(
                "Warning: this text does not match the packaged fingerprint "
                "(the source is not the pinned file of this draft)."
            )
        if m.text is None:
            notes.append("The source has no entry for this measure.")
        elif fmt == "csv":
            rows.append(("text", m.text))
        else:
            notes.extend(["", *m.text.splitlines()])
    else:
        notes.append("Add --texts SOURCE (a clone, a folder, a file or 'download') for the text.")
    return doc, rows, notes


def show(
    cat: Catalog, text: str, *, with_texts: bool = False, fmt: str = "table"
) -> tuple[dict[str, Any], tuple[Table, Table]]:
    """The JSON document and the tables (fields, links) of the node ``text`` names.

    ``with_texts``: ``cat`` carries the texts and ``text`` names a measure.

    Raises:
        UnknownIdError: ``text`` names no node (with suggestions), or several.
    """
    from bio2map.core.records import Control, Measure

    node = cat.get(text)
    what = cat.describe(node.id)
    notes: list[str] = []
    rows: list[tuple[str, object]]
    if isinstance(node, Measure):
        doc, rows, notes = _measure(cat, node, with_texts, fmt)
        title = f"BIO2 {node.draft} measure {node.number}"
        rows.insert(0, ("id", node.number))
        place: dict[str, Any] = {}
    else:
        if isinstance(node, Control):
            doc, rows = _control(cat, node)
        else:
            doc, rows = _requirement(cat, node)
        place, place_rows = _place(cat, node)
        rows = [("id", node.id), ("is", what), *rows, *place_rows]
        title = f"{node.id} ({ref_of(node)}): {_name(node)}"
    links = doc.pop("links")
    out: dict[str, Any] = {"id": node.id, "is": what, **doc, **place, "links": links}
    if not isinstance(node, Measure) and links:
        bases = sorted({x["basis"] for x in links if x["basis"]})
        if bases:
            notes.append("Basis of each link: see docs/concepts.md (" + ", ".join(bases) + ").")
    tables = (
        Table(title, ("field", "value"), rows, notes, limited=False, name="node"),
        _links_table(f"Links of {node.id}", links),
    )
    return out, tables
