"""The catalog's indices: built once from the loaded records, and the records on demand.

The base of :class:`~bio2map.catalog.catalog.Catalog` (every other part of it is a mixin
on top of :class:`Index`). :meth:`Index._from_raw` keeps the validated plain values the
loader produced and indexes them (requirements, controls, children, edges by their
ends, measures by control); an attrs record is made only when someone asks for one, so
a query that prints JSON never imports attrs.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from _thread import allocate_lock  # threading itself costs a cold start
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.core.ids import scheme_of, sort_key

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from _thread import LockType
    from typing import Any, Final, Self, TypeAlias

    import networkx as nx

    from bio2map.catalog.layer import Layer
    from bio2map.core.raw import RawControl, RawEdge, RawNode, RawRequirement
    from bio2map.core.reader import Manifest
    from bio2map.core.records import Control, Measure, Requirement

    Node: TypeAlias = Requirement | Control | Measure

__all__ = ["Index"]

_REQUIREMENT_SCHEMES: Final = frozenset({"nis2", "ir2690", "cbwcf"})
_CONTROL_SCHEMES: Final = frozenset({"iso27002", "iso27001", "bio2"})
# Raw edge tuple positions (see bio2map.core.reader.RawEdge).
_SRC: Final = 0
_TGT: Final = 1
_REL: Final = 2
_KIND: Final = 3
_BASIS: Final = 4
_DATASET: Final = 5
_SOURCES: Final = 6


def _make_record(raw: RawNode, extra: MappingABC[str, Any] | None = None) -> Node:
    from bio2map.core import records as model

    fields = {k: v for k, v in raw.items() if k != "record"}
    if extra:
        fields.update(extra)
    attributes = fields.get("attributes")
    if isinstance(attributes, dict):
        fields["attributes"] = model.Attributes(
            **{k: v for k, v in attributes.items() if k != "record"}
        )
    record: Node = getattr(model, raw["record"])(**fields)
    return record


class Index:
    """The indices and records of a catalog; the base of ``Catalog``."""

    __slots__ = ()

    text_mismatches: tuple[str, ...]
    """Measure ids whose attached text does not match the packaged fingerprint."""
    texts_source: str | None
    """Where the attached texts came from (None: no texts attached)."""
    _raw: dict[str, RawNode]
    _rq: dict[str, RawRequirement]
    _ctl: dict[str, RawControl]
    _edges: tuple[RawEdge, ...]
    _manifest: Manifest
    _slug: str
    _records: dict[str, Node]
    _children: dict[str, tuple[str, ...]]
    _implements: dict[str, list[RawEdge]]
    _implements_of: dict[str, list[RawEdge]]
    _maps_from: dict[str, list[RawEdge]]
    _maps_to: dict[str, list[RawEdge]]
    _measures: dict[str, tuple[str, ...]]
    _cache: dict[tuple[str, ...], Any]
    _resolve_cache: dict[tuple[str, frozenset[str] | None], str]
    _graph: nx.MultiDiGraph[str] | None
    _lock: LockType
    _layers: tuple[Layer, ...]
    _base: Self | None
    _req_schemes: frozenset[str]

    @classmethod
    def _from_raw(
        cls,
        nodes: dict[str, RawNode],
        edges: tuple[RawEdge, ...],
        manifest: Manifest,
        slug: str,
    ) -> Self:
        """A catalog of these nodes and edges: the indices, empty caches, no layers."""
        self = object.__new__(cls)
        s = self.__dict__
        s["_raw"] = nodes
        s["_edges"] = edges
        s["_manifest"] = manifest
        s["_slug"] = slug
        s["_records"] = {}
        rq: dict[str, RawRequirement] = {}
        ctl: dict[str, RawControl] = {}
        children: dict[str, list[str]] = {}
        for nid, n in nodes.items():
            if n["record"] == "Measure":
                continue
            if n["record"] == "Requirement":
                rq[nid] = n
            else:
                ctl[nid] = n
            parent = n.get("parent")
            if parent is not None:
                children.setdefault(parent, []).append(nid)
        s["_rq"] = rq
        s["_ctl"] = ctl
        s["_children"] = {
            k: tuple(sorted(v, key=lambda c: nodes[c].get("seq", 0))) for k, v in children.items()
        }
        implements: dict[str, list[RawEdge]] = {}
        implements_of: dict[str, list[RawEdge]] = {}
        maps_from: dict[str, list[RawEdge]] = {}
        maps_to: dict[str, list[RawEdge]] = {}
        for e in edges:
            kind = e[_KIND]
            if kind == "implements":
                implements.setdefault(e[_TGT], []).append(e)
                implements_of.setdefault(e[_SRC], []).append(e)
            elif kind == "maps_to" and e[_REL] != "not_related":
                maps_from.setdefault(e[_SRC], []).append(e)
                maps_to.setdefault(e[_TGT], []).append(e)
        measures: dict[str, list[RawNode]] = {}
        for n in nodes.values():
            if n["record"] == "Measure" and n["kind"] == "measure":
                measures.setdefault(n["control"], []).append(n)
        s["_implements"] = implements
        s["_implements_of"] = implements_of
        s["_maps_from"] = maps_from
        s["_maps_to"] = maps_to
        s["_measures"] = {
            k: tuple(m["id"] for m in sorted(v, key=lambda m: m["seq"]))
            for k, v in measures.items()
        }
        s["_cache"] = {}
        s["_resolve_cache"] = {}
        s["_graph"] = None
        s["_lock"] = allocate_lock()
        s["text_mismatches"] = ()
        s["texts_source"] = None
        s["_layers"] = ()
        s["_base"] = None
        s["_req_schemes"] = _REQUIREMENT_SCHEMES
        return self

    # --- records -----------------------------------------------------------------------

    def _record(self, cid: str) -> Node:
        rec = self._records.get(cid)
        if rec is None:
            raw = self._raw[cid]
            rec = _make_record(raw, self._recorded if raw["record"] == "Measure" else None)
            self._records[cid] = rec
        return rec

    @property
    def _recorded(self) -> dict[str, bool]:
        """Which optional fields the loaded draft records at all (for Measure records).

        ``tags_recorded``: some entry carries a contribution tag (1.3 has no tag lines);
        ``nis2_recorded``: some entry carries the NIS2 tag (from 1.1 on no draft does).
        """
        flags: dict[str, bool] | None = self._cache.get(("recorded",))
        if flags is None:
            measures = [n for n in self._raw.values() if n["record"] == "Measure"]
            flags = {
                "tags_recorded": any(m.get("tags") for m in measures),
                "nis2_recorded": any(m.get("nis2_flag") for m in measures),
            }
            self._cache[("recorded",)] = flags
        return flags

    def _req(self, cid: str) -> Requirement:
        return self._record(cid)  # type: ignore[return-value]

    def _ctl_record(self, cid: str) -> Control:
        return self._record(cid)  # type: ignore[return-value]

    def _order(self, cid: str) -> tuple[Any, ...]:
        key = sort_key(cid)
        return (key[0], self._raw.get(cid, {}).get("seq", 0), key)

    def _sorted(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=self._order))

    def nodes(self, scheme: str | None = None) -> tuple[Node, ...]:
        """Every node (or those of one scheme: ``nis2``, ``ir2690``, ``iso27001``,
        ``iso27002``, ``bio2``, ``cbw``), in document order."""
        key = ("nodes", scheme or "")
        cached = self._cache.get(key)
        if cached is None:
            ids = [i for i in self._raw if scheme is None or scheme_of(i) == scheme]
            cached = tuple(self._record(i) for i in self._sorted(ids))
            self._cache[key] = cached
        return cached

    def _scheme_ids(self, scheme: str) -> tuple[str, ...]:
        """Ids of one scheme in document order (cached)."""
        key = ("scheme_ids", scheme)
        cached = self._cache.get(key)
        if cached is None:
            prefix = scheme + ":"
            cached = self._sorted(i for i in self._raw if i.startswith(prefix))
            self._cache[key] = cached
        return cached

    def _ids(self, record_type: str, **match: Any) -> tuple[str, ...]:
        return self._sorted(
            i
            for i, n in self._raw.items()
            if n["record"] == record_type and all(n.get(k) == v for k, v in match.items())
        )

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """NIS2 and 2024/2690 requirement nodes, in document order."""
        ids = [i for i in self._ids("Requirement") if scheme_of(i) not in ("cbw", "cbwcf")]
        return tuple(self._record(i) for i in ids)  # type: ignore[misc]

    @property
    def controls(self) -> tuple[Control, ...]:
        """The 93 ISO/IEC 27002:2022 controls, in the standard's order."""
        cached = self._cache.get(("controls",))
        if cached is None:
            ids = self._ids("Control", kind="control", standard="iso27002")
            cached = tuple(self._record(i) for i in ids)
            self._cache[("controls",)] = cached
        return cached

    @property
    def measures(self) -> tuple[Measure, ...]:
        """Every BIO2 entry of the loaded draft (measures and markers), in draft order."""
        cached = self._cache.get(("measures",))
        if cached is None:
            cached = tuple(self._record(i) for i in self._ids("Measure"))
            self._cache[("measures",)] = cached
        return cached

    # --- hierarchy -----------------------------------------------------------------------

    def _descendants(self, cid: str) -> list[str]:
        out = [cid]
        i = 0
        while i < len(out):
            out.extend(self._children.get(out[i], ()))
            i += 1
        return out

    def _ancestors(self, cid: str) -> list[str]:
        out: list[str] = []
        node = self._rq.get(cid) or self._ctl.get(cid)
        parent = node.get("parent") if node else None
        while parent is not None:
            out.append(parent)
            node = self._rq.get(parent) or self._ctl.get(parent)
            parent = node.get("parent") if node else None
        return out
