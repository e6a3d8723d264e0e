"""A BIO2 draft as a CISO Assistant library (``bio2map export --format ciso-assistant``).

`CISO Assistant <https://github.com/intuitem/ciso-assistant-community>`_ loads
frameworks and mappings from library YAML files. This one holds:

* a ``framework`` (``urn:bio2map:risk:framework:bio2-<slug>``) whose
  ``requirement_nodes`` are, in the standard's order, one node per ISO/IEC 27002:2022
  control the draft has measures under (depth 1, not assessable, ``ref_id``
  ``A.5.19``, ``name`` the ISO short title) and under it, in draft order, one
  assessable node per BIO2 measure (depth 2, ``ref_id`` ``5.19.01``, ``name`` our short
  English label of the measure, ``parent_urn`` the control node,
  ``implementation_groups`` the contribution tags). Markers
  (``no-measure``, ``moved``, ``withdrawn``, ``see-other``) are left out: there is
  nothing to assess. A ``description`` (the measure text) and Dutch control names
  appear only when the user attached the texts at run time;
* ``requirement_mapping_sets`` with one set from this framework to CISO Assistant's
  ISO/IEC 27001:2022 framework (``urn:intuitem:risk:framework:iso27001-2022``): each
  measure is a ``subset`` of its Annex A control;
* ``dependencies`` on ``urn:intuitem:risk:library:iso27001-2022``, which CISO
  Assistant ships.

The YAML is written by hand (PyYAML is not a runtime dependency): block style, keys in
CISO Assistant's order, strings plain only where no YAML reader can take them for
something else and double-quoted otherwise, dates as ``YYYY-MM-DD``, final newline.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import TYPE_CHECKING, Final

from bio2map.formats.common import (
    YamlValue,
    draft_dataset,
    id_order,
    measures_by_control,
    yaml_document,
)

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Measure

__all__ = ["CISO_RELATIONSHIPS", "ISO27001_FRAMEWORK_URN", "ciso_library", "export_ciso_assistant"]

PACKAGER: Final = "bio2map"
"""The ``packager`` and the URN namespace of the library."""

ISO27001_LIBRARY_URN: Final = "urn:intuitem:risk:library:iso27001-2022"
ISO27001_FRAMEWORK_URN: Final = "urn:intuitem:risk:framework:iso27001-2022"
"""CISO Assistant's own ISO/IEC 27001:2022 framework, the mapping target."""
ISO27001_NODE_BASE: Final = "urn:intuitem:risk:req_node:iso27001-2022"

CISO_RELATIONSHIPS: Final = {
    "equal": "equal",
    "subset_of": "subset",
    "superset_of": "superset",
    "intersects_with": "intersect",
    "not_related": "not_related",
}
"""bio2map relationship -> CISO Assistant mapping relationship."""

LIBRARY_VERSION: Final = 1
"""The library ``version`` (an integer in CISO Assistant); raised when the layout of
this export changes."""


def _slug(text: str) -> str:
    """``Basishygiëne`` -> ``basishygiene`` (URN- and ref-safe)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")


def _date(text: str) -> _dt.date | str:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return text


def ciso_library(catalog: Catalog) -> dict[str, YamlValue]:
    """The CISO Assistant library of the loaded BIO2 draft as nested dicts and lists.

    .. versionadded:: 0.1.0
    """
    draft = catalog.draft
    ref = f"bio2-{_slug(draft.slug)}"
    base = f"urn:{PACKAGER}:risk"
    framework_urn = f"{base}:framework:{ref}"
    texts = catalog.texts_source is not None
    measures: list[Measure] = [m for m in catalog.measures if m.kind == "measure"]
    nodes, mappings = _requirement_nodes(catalog, measures, f"{base}:req_node:{ref}")
    description = _description(catalog)
    framework: dict[str, YamlValue] = {
        "urn": framework_urn,
        "ref_id": ref,
        "name": f"BIO2 {draft.slug}",
        "description": description,
    }
    tags = sorted({t for m in measures for t in m.tags}, key=lambda t: (_slug(t), t))
    if tags:
        framework["implementation_groups_definition"] = [
            {"ref_id": _slug(t), "name": t} for t in tags
        ]
    framework["requirement_nodes"] = nodes
    mapping_set: dict[str, YamlValue] = {
        "urn": f"{base}:req_mapping_set:{ref}-to-iso27001-2022",
        "ref_id": f"{ref}-to-iso27001-2022",
        "name": f"BIO2 {draft.slug} -> ISO/IEC 27001:2022",
        "description": "Each BIO2 measure refines (is a subset of) the ISO/IEC 27001:2022 "
        "Annex A control it is numbered under.",
        "source_framework_urn": framework_urn,
        "target_framework_urn": ISO27001_FRAMEWORK_URN,
        "requirement_mappings": mappings,
    }
    return {
        "urn": f"{base}:library:{ref}",
        "locale": "nl" if texts else "en",
        "ref_id": ref,
        "name": f"BIO2 {draft.slug} ({draft.label})",
        "description": description,
        "copyright": _copyright(catalog),
        "version": LIBRARY_VERSION,
        "publication_date": _date(draft.date),
        "provider": "Staat der Nederlanden",
        "packager": PACKAGER,
        "dependencies": [ISO27001_LIBRARY_URN],
        "objects": {"framework": framework, "requirement_mapping_sets": [mapping_set]},
    }


def _requirement_nodes(
    catalog: Catalog, measures: list[Measure], node_base: str
) -> tuple[list[YamlValue], list[YamlValue]]:
    """The framework's nodes (each control, then its measures, in the standard's order)
    and one mapping per measure to its Annex A control."""
    texts = catalog.texts_source is not None
    controls = {c.id: c for c in catalog.controls}
    by_control = measures_by_control(measures)
    nodes: list[YamlValue] = []
    mappings: list[YamlValue] = []
    for cid in sorted(by_control, key=lambda c: (getattr(controls.get(c), "seq", 0), id_order(c))):
        control = controls.get(cid)
        if control is None:
            continue
        members = by_control[cid]
        control_urn = f"{node_base}:{control.ref.lower()}"
        dutch = next((m.control_title for m in members if m.control_title), None)
        nodes.append(
            {
                "urn": control_urn,
                "assessable": False,
                "depth": 1,
                "ref_id": control.ref,
                "name": dutch if texts and dutch else control.title,
            }
        )
        for m in members:
            node = _measure_node(m, f"{node_base}:{m.number.lower()}", control_urn)
            nodes.append(node)
            mappings.append(
                {
                    "source_requirement_urn": node["urn"],
                    "target_requirement_urn": f"{ISO27001_NODE_BASE}:{control.ref.lower()}",
                    "relationship": CISO_RELATIONSHIPS["subset_of"],
                    "annotation": f"BIO2 {m.number} is a government measure under ISO/IEC "
                    f"27002:2022 control {control.ref[2:]} (basis: numbering)",
                }
            )
    return nodes, mappings


def _measure_node(m: Measure, urn: str, control_urn: str) -> dict[str, YamlValue]:
    """The assessable node of one BIO2 measure, under its control's node."""
    node: dict[str, YamlValue] = {
        "urn": urn,
        "assessable": True,
        "depth": 2,
        "parent_urn": control_urn,
        "ref_id": m.number,
    }
    if m.label_en:
        node["name"] = m.label_en
    if m.text:
        node["description"] = m.text
    if m.tags:
        node["implementation_groups"] = [_slug(t) for t in m.tags]
    return node


def _description(catalog: Catalog) -> str:
    """The library's and the framework's description: the draft, and whether texts are in."""
    draft = catalog.draft
    return (
        f"{draft.label} ({draft.slug}, {draft.status}, {draft.date}): the government "
        "measures of the Baseline Informatiebeveiliging Overheid by ISO/IEC 27002:2022 "
        "control. "
        + (
            f"Measure texts attached by the user from {catalog.texts_source}."
            if catalog.texts_source is not None
            else "Structure only: ids and ISO short titles; no measure text."
        )
    )


def _copyright(catalog: Catalog) -> str:
    """The draft's attribution and licence (when the data has them), and ISO's copyright."""
    ds = draft_dataset(catalog)
    return (
        f"{ds.attribution}; {ds.licence}. ISO/IEC 27001:2022 and 27002:2022 control "
        "numbers and titles: copyright ISO/IEC."
        if ds is not None
        else "ISO/IEC 27001:2022 and 27002:2022 control numbers and titles: copyright ISO/IEC."
    )


def export_ciso_assistant(catalog: Catalog) -> str:
    """The loaded BIO2 draft as a deterministic CISO Assistant library (YAML text).

    Examples:
        >>> import bio2map
        >>> export_ciso_assistant(bio2map.load("1.3")).splitlines()[0]
        'urn: urn:bio2map:risk:library:bio2-1.3'

    .. versionadded:: 0.1.0
    """
    return yaml_document(ciso_library(catalog))
