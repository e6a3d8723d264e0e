"""The catalog: immutable, indexed, and the questions people ask of it.

A :class:`Catalog` holds the nodes and edges of one loaded dataset (NIS2, the
2024/2690 annex, ISO/IEC 27001/27002:2022, the ENISA mapping and one BIO2 draft).
It never reads files and never changes after it is built; its answers are cached, so
asking twice is cheap, and it is safe to share between threads.

Inside, nodes are kept as the validated plain values the loader produced; attrs
records are made when someone asks for one. A command-line query that only prints
JSON (``controls_for_data``) therefore never imports attrs, which on a cold start
costs more than reading all the data.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import gc
import os
from _thread import allocate_lock  # threading itself costs a cold start
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.catalog.cbw import CbwQueries
from bio2map.catalog.coverage import IMPLEMENTATION_STATUSES, CoverageQueries
from bio2map.catalog.migration import MigrationQueries
from bio2map.core import hooks
from bio2map.core.errors import AmbiguousIdError, UnknownIdError
from bio2map.core.ids import plain, readings, scheme_of, sort_key
from bio2map.core.vocab import basis_level, basis_rank, compose, invert, stronger, strongest, weaker

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from _thread import LockType
    from typing import Any, Final, TypeAlias

    import networkx as nx

    from bio2map.catalog.answers import (
        ControlsAnswer,
        RequirementsAnswer,
        Uncovered,
    )
    from bio2map.catalog.layer import Layer
    from bio2map.core.raw import RawControl, RawEdge, RawNode, RawRequirement
    from bio2map.core.reader import Manifest
    from bio2map.core.records import Control, Dataset, Draft, Mapping, Measure, Requirement

    Node: TypeAlias = Requirement | Control | Measure

__all__ = ["IMPLEMENTATION_STATUSES", "Catalog"]

"""What each SoA status counts as when coverage is computed (weight of the control)."""

_REQUIREMENT_SCHEMES: Final = frozenset({"nis2", "ir2690", "cbwcf"})
_CONTROL_SCHEMES: Final = frozenset({"iso27002", "iso27001", "bio2"})
_CACHE_LIMIT: Final = 8192
# Raw edge tuple positions (see bio2map.core.reader.RawEdge).
_SRC: Final = 0
_TGT: Final = 1
_REL: Final = 2
_KIND: Final = 3
_BASIS: Final = 4
_DATASET: Final = 5
_SOURCES: Final = 6


class _Path:
    """Relationships and provenance gathered for one (requirement, control) pair.

    ``via`` maps each requirement on the way to the basis of the best path through it;
    ``basis`` is the basis of the best path of all (see :func:`bio2map.core.vocab.weaker`).
    """

    __slots__ = ("basis", "rels", "sources", "via")

    def __init__(self) -> None:
        self.rels: set[str] = set()
        self.via: dict[str, str] = {}
        self.sources: set[str] = set()
        self.basis = ""

    def add(self, basis: str, via: Iterable[str] = ()) -> None:
        """Note a path of ``basis`` that runs through ``via``."""
        self.basis = stronger(self.basis, basis)
        for v in via:
            self.via[v] = stronger(self.via.get(v, ""), basis)


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


_SEARCH_FIELDS: Final = (
    *("id", "ref", "label", "title", "control_title", "label_nl", "label_en", "text"),
)


def _folded(text: str) -> str:
    """Lower case without accents, for matching (``Geïmplementeerd`` -> ``geimplementeerd``)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fresh(value: Any) -> Any:
    """A copy of a JSON-like value (dicts and lists copied, strings and numbers shared)."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


class Catalog(CoverageQueries, CbwQueries, MigrationQueries):
    """One loaded dataset. Build it with :func:`bio2map.core.reader`.

    Ids may be given in any form :mod:`bio2map.core.ids` accepts (``21(2)(d)``, ``A.5.19``,
    ``5.19``); answers always use canonical ids and are sorted (controls numerically,
    requirements in document order).
    """

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
    _base: Catalog | None
    _req_schemes: frozenset[str]

    def __init__(self) -> None:
        msg = "use bio2map.load() to get a Catalog"
        raise TypeError(msg)

    @classmethod
    def _from_raw(
        cls,
        nodes: dict[str, RawNode],
        edges: tuple[RawEdge, ...],
        manifest: Manifest,
        slug: str,
    ) -> Catalog:
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

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Catalog is immutable; cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Catalog is immutable; cannot delete {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        texts = ", texts attached" if self.texts_source else ""
        return (
            f"<Catalog BIO2 {self._slug}: {len(self._raw)} nodes, {len(self._edges)} edges{texts}>"
        )

    # --- metadata ----------------------------------------------------------------------

    @property
    def bio2_version(self) -> str:
        """The slug of the loaded BIO2 draft (``1.3``)."""
        return self._slug

    @property
    def draft(self) -> Draft:
        """The loaded BIO2 draft."""
        return self._manifest.draft(self._slug)

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        """The packaged datasets, as the manifest lists them."""
        return self._manifest.datasets

    @property
    def drafts(self) -> tuple[Draft, ...]:
        """Every BIO2 draft the data knows, oldest first."""
        return self._manifest.drafts

    @property
    def data_version(self) -> str:
        """The version of the packaged data (apart from the package version)."""
        return self._manifest.data_version

    @property
    def mappings(self) -> tuple[Mapping, ...]:
        """Every edge as a :class:`~bio2map.core.records.Mapping`, in load order."""
        cached = self._cache.get(("mappings",))
        if cached is None:
            from bio2map.core.records import Mapping

            cached = tuple(
                Mapping(
                    source=e[_SRC],
                    target=e[_TGT],
                    relationship=e[_REL],
                    kind=e[_KIND],
                    basis=e[_BASIS],
                    dataset=e[_DATASET],
                    sources=e[_SOURCES],
                )
                for e in self._edges
            )
            self._cache[("mappings",)] = cached
        return cached

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

    # --- ids -----------------------------------------------------------------------------

    def resolve(self, text: str, kinds: Iterable[str] | None = None, expected: str = "") -> str:
        """Return the canonical id of an existing node that ``text`` names.

        Args:
            text: an id as people type it (``21(2)(d)``, ``A.5.19``, ``5.19.1``).
            kinds: keep only these schemes (``{"nis2", "ir2690"}``); None keeps all.
            expected: a word for error messages (``"requirement"``).

        Raises:
            AmbiguousIdError: it names several existing nodes (the error lists them).
            UnknownIdError: it names none; the error suggests the closest ids.
        """
        allowed = None if kinds is None else frozenset(kinds)
        ckey = (text, allowed)
        hit = self._resolve_cache.get(ckey)
        if hit is not None:
            return hit
        exact = text.strip() if isinstance(text, str) else ""
        if exact in self._raw and (allowed is None or scheme_of(exact) in allowed):
            return exact  # a canonical id, or the id of a layer's own node
        tiers = readings(text)
        for tier in tiers:
            found = [
                c for c in tier if c in self._raw and (allowed is None or scheme_of(c) in allowed)
            ]
            if len(found) == 1:
                if len(self._resolve_cache) < 4096:
                    self._resolve_cache[ckey] = found[0]
                return found[0]
            if len(found) > 1:
                raise AmbiguousIdError(str(text)[:200], found, expected)
        raise UnknownIdError(str(text)[:200], self._suggest(text, tiers, allowed), expected)

    def _suggest(
        self, text: str, tiers: tuple[tuple[str, ...], ...], allowed: frozenset[str] | None
    ) -> tuple[str, ...]:
        import difflib

        pool: dict[str, list[str]] = {}
        for cid in self._raw:
            if allowed is None or scheme_of(cid) in allowed:
                pool.setdefault(plain(cid), []).append(cid)
                pool.setdefault(cid, []).append(cid)
        probes = [c for tier in tiers for c in tier] + [plain(c) for tier in tiers for c in tier]
        probes.append(str(text).strip().lower()[:60])
        out: list[str] = []
        for probe in probes:
            for m in difflib.get_close_matches(probe, list(pool), n=4, cutoff=0.6):
                for cid in pool[m]:
                    if cid not in out:
                        out.append(cid)
        return tuple(out[:5])

    def _resolve_for(self, text: str, kinds: frozenset[str], expected: str) -> str:
        """:meth:`resolve` for a question that takes one kind of id.

        When ``text`` names a node of another kind (a control given where a requirement
        is expected), the :class:`UnknownIdError` says so and which question to ask.
        """
        try:
            return self.resolve(text, kinds, expected)
        except AmbiguousIdError:
            raise
        except UnknownIdError as err:
            other = self._elsewhere(text, kinds)
            if other is None:
                raise
            shown = str(text).strip()
            scheme = scheme_of(other)
            ask = (
                "requirements_for"
                if scheme in _CONTROL_SCHEMES
                else "controls_for"
                if scheme in self._req_schemes
                else "get"
            )
            hint = (
                f"{shown} is {self.describe(other)} ({other}), not a {expected}: "
                f"ask {ask}({shown!r})"
            )
            raise UnknownIdError(err.value, (other,), expected, hint) from None

    def _elsewhere(self, text: str, kinds: frozenset[str]) -> str | None:
        """The one node of a scheme outside ``kinds`` that ``text`` names, if any."""
        try:
            other = self.resolve(text)
        except UnknownIdError:  # nothing, or several nodes
            return None
        return None if scheme_of(other) in kinds else other

    def describe(self, text: str) -> str:
        """What a node is, in a few words: ``an ISO control``, ``a NIS2 requirement``, ...

        Examples:
            >>> import bio2map
            >>> cat = bio2map.load("1.3")
            >>> cat.describe("5.19"), cat.describe("21(2)(d)"), cat.describe("5.19.01")
            ('an ISO control', 'a NIS2 requirement', 'a BIO2 measure')

        Raises:
            UnknownIdError: ``text`` names no node, or several.
        """
        cid = self.resolve(text)
        node = self._raw[cid]
        scheme = scheme_of(cid)
        kind = node.get("kind", "")
        if node["record"] == "Measure":
            return "a BIO2 measure" if kind == "measure" else f"a BIO2 {kind} marker"
        if scheme == "iso27002":
            return "an ISO 27002 theme" if kind == "theme" else "an ISO control"
        if scheme == "iso27001":
            return "an ISO 27001 clause"
        if scheme == "cbw":
            return "a Cbw article"
        if scheme == "cbwcf":
            return f"a Cbw framework {kind}"
        if scheme == "iso27001-2013":
            return "an ISO 27001:2013 control" if kind == "control" else "an ISO 27001:2013 clause"
        if scheme == "ir2690":
            return "a 2024/2690 annex requirement"
        if scheme == "nis2":
            return "a NIS2 article" if kind == "article" else "a NIS2 requirement"
        return f"a {scheme} requirement"

    def get(self, text: str) -> Node:
        """Return the node ``text`` names (any scheme).

        Raises:
            UnknownIdError: unknown (with suggestions) or ambiguous.
        """
        return self._record(self.resolve(text))

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        try:
            self.resolve(text)
        except UnknownIdError:
            return False
        return True

    def children(self, text: str) -> tuple[Node, ...]:
        """The direct children of a node, in document order."""
        return tuple(self._record(c) for c in self._children.get(self.resolve(text), ()))

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

    def measures_for(self, text: str) -> tuple[Measure, ...]:
        """The BIO2 measures (kind ``measure``) under an ISO 27002 control."""
        cid = self.resolve(text, {"iso27002"}, "control")
        return tuple(self._record(m) for m in self._measures.get(cid, ()))  # type: ignore[misc]

    def search(self, text: str) -> tuple[Node, ...]:
        """Nodes whose id, reference, labels (English and Dutch), title or attached text
        contains every word of ``text``.

        Case and accent insensitive (``leverancier`` finds ``leveranciers``,
        ``geimplementeerd`` finds ``geïmplementeerd``); results in document order (NIS2,
        annex, ISO, BIO2, Cbw).

        Examples:
            >>> import bio2map
            >>> [m.id for m in bio2map.load("1.3").search("leverancier")][:2]
            ['bio2:5.20.02', 'bio2:5.20.03']
        """
        words = _folded(str(text)).split()
        if not words:
            return ()
        out = []
        for node in self.nodes():
            hay = _folded(" ".join(str(getattr(node, f, "") or "") for f in _SEARCH_FIELDS))
            if all(w in hay for w in words):
                out.append(node)
        return tuple(out)

    # --- paths -----------------------------------------------------------------------

    def _paths(
        self, rid: str, _visiting: frozenset[str] = frozenset(), basis: str = "all"
    ) -> dict[str, _Path]:
        """Controls reachable from a requirement, with composed relationships.

        A ``maps_to`` edge may end at another requirement (a layer's node mapped to a
        2024/2690 requirement); the path then goes on through that requirement's controls.
        ``basis`` (``explicit``, ``heading``, ``all``) leaves out the links it does not
        admit (:data:`bio2map.core.vocab.BASIS_LEVELS`); answers are cached per basis.
        """
        key = ("paths", rid, basis)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        limit = basis_level(basis)
        out: dict[str, _Path] = {}
        visiting = _visiting | {rid}
        if scheme_of(rid) == "cbwcf":
            # a Cbw framework node reaches controls through the Art. 21(2) point(s) its
            # theme evaluates (bio2map.catalog.cbw); those links are our reading
            for point, link in self._cbwcf_points(rid).items():
                if basis_rank(link[_BASIS]) > limit:
                    continue
                for cid, sub in self._paths(point, visiting, basis).items():
                    p = out.setdefault(cid, _Path())
                    p.rels.update(compose(link[_REL], r) for r in sub.rels)
                    for v, b in sub.via.items():
                        p.add(weaker(link[_BASIS], b), (v,))
                    p.add(weaker(link[_BASIS], sub.basis), (point,))
                    p.sources.update((*sub.sources, *link[_SOURCES]))
            if not _visiting:
                self._cache[key] = out
            return out

        def admitted(e: RawEdge) -> bool:
            return basis_rank(e[_BASIS]) <= limit

        def through(annex: str, rel: str, e: RawEdge, label: str) -> None:
            # e ends at a requirement: continue along that requirement's own paths
            target = e[_TGT]
            if target in visiting:
                return
            for cid, sub in self._paths(target, visiting, basis).items():
                p = out.get(cid)
                if p is None:
                    p = out[cid] = _Path()
                p.rels.update(compose(rel, r) for r in sub.rels)
                for v, b in sub.via.items():
                    p.add(weaker(label, b), (v,))
                p.add(weaker(label, sub.basis), (annex, target))
                p.sources.update(sub.sources)
                p.sources.update(e[_SOURCES])

        def reach(
            annex: str,
            first: str | None,
            extra_via: tuple[str, ...],
            sources: tuple[str, ...],
            point_basis: str | None = None,
        ) -> None:
            for e in self._maps_from.get(annex, ()):
                if not admitted(e):
                    continue
                rel = e[_REL] if first is None else compose(first, e[_REL])
                label = e[_BASIS] if point_basis is None else weaker(point_basis, e[_BASIS])
                if self._raw[e[_TGT]]["record"] != "Control":
                    through(annex, rel, e, label)
                    continue
                p = out.get(e[_TGT])
                if p is None:
                    p = out[e[_TGT]] = _Path()
                p.rels.add(rel)
                p.add(label, (*extra_via, annex))
                p.sources.update(e[_SOURCES])
                if sources:
                    p.sources.update(sources)

        if scheme_of(rid) == "nis2":
            for n in self._descendants(rid):
                for imp in self._implements.get(n, ()):
                    if admitted(imp):
                        reach(imp[_SRC], invert(imp[_REL]), (), imp[_SOURCES], imp[_BASIS])
                # direct requirement -> control edges (user layers) join here
                for e in self._maps_from.get(n, ()):
                    if not admitted(e):
                        continue
                    rel = e[_REL] if n == rid else compose("superset_of", e[_REL])
                    if self._raw[e[_TGT]]["record"] != "Control":
                        through(n, rel, e, e[_BASIS])
                        continue
                    p = out.setdefault(e[_TGT], _Path())
                    p.rels.add(rel)
                    p.add(e[_BASIS])
                    p.sources.update(e[_SOURCES])
        else:
            for n in self._descendants(rid):
                reach(n, None if n == rid else "superset_of", (), ())
            if not out:
                for anc in self._ancestors(rid):
                    if any(admitted(e) for e in self._maps_from.get(anc, ())):
                        # covered through its parent's mapping (e.g. 4.3.2-p2): weakest claim
                        reach(anc, "intersects_with", (anc,), ())
                        break
        if not _visiting:  # a result cut short by a cycle is not cached
            self._cache[key] = out
        return out

    # --- the three questions ------------------------------------------------------------

    def controls_for_data(self, requirement: str, basis: str = "all") -> dict[str, Any]:
        """:meth:`controls_for` as plain JSON-ready data (``ControlsAnswer.as_dict()``).

        Builds no records, so it is the fast path for pipelines and the CLI. The dict
        is a fresh copy: changing it changes no later answer.

        Raises:
            UnknownIdError: the requirement is unknown or ambiguous (when ``requirement``
                names a control or a measure, the message says to ask the other way round).
            ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
        """
        doc: dict[str, Any] = _fresh(self._controls_doc(requirement, basis))
        return doc

    def _controls_doc(self, requirement: str, basis: str = "all") -> dict[str, Any]:
        """The cached, shared document behind :meth:`controls_for_data`: never hand it out."""
        key = ("controls_for", requirement, basis)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        basis_level(basis)  # a bad basis is refused before the id is looked at
        rid = self._resolve_for(requirement, self._req_schemes, "requirement")
        doc = self._cache.get(("controls_for:id", rid, basis))
        if doc is None:
            controls = []
            for cid, p in self._paths(rid, basis=basis).items():
                c = self._ctl[cid]
                via = self._sorted(p.via)
                controls.append(
                    {
                        "id": cid,
                        "ref": c["ref"],
                        "kind": c["kind"],
                        "title": c["title"],
                        "relationship": strongest(p.rels),
                        "basis": p.basis,
                        "via": list(via),
                        "via_basis": [p.via[v] for v in via],
                        "sources": sorted(p.sources),
                        "measures": list(self._measures.get(cid, ())),
                        "_seq": c["seq"],
                    }
                )
            controls.sort(key=lambda m: (m["kind"] == "clause", m.pop("_seq")))
            r = self._rq[rid]
            doc = {
                "requirement": rid,
                "label": r["label"],
                "addressed_by": r.get("addressed_by", "controls"),
                "bio2_version": self._slug,
                "basis": basis,
                "controls": controls,
            }
            self._cache[("controls_for:id", rid, basis)] = doc
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = doc
        return doc

    def controls_for(self, requirement: str, basis: str = "all") -> ControlsAnswer:
        """Which ISO controls (and clauses) serve a NIS2 or 2024/2690 requirement.

        Each match has the composed relationship (requirement to control), ``via``: the
        2024/2690 requirements the link runs through, ``basis``: how the best link is
        known and ``via_basis``: the same for the path through each ``via`` entry, the
        sources of every edge on the way, and the BIO2 measures of the loaded draft under
        that control. Controls come first (in the standard's order), then ISO 27001
        clauses.

        Args:
            requirement: a NIS2 or 2024/2690 id in any spelling (``21(2)(d)``, ``5.1.4``).
            basis: ``all`` (default) follows every link; ``heading`` only stated links and
                those of a section heading; ``explicit`` only stated links (see
                :data:`bio2map.core.vocab.BASIS_LEVELS`).

        Examples:
            >>> import bio2map
            >>> ans = bio2map.load("1.3").controls_for("Art. 21(2)(d)")
            >>> ans.requirement.id, "iso27002:5.19" in [c.id for c in ans.controls]
            ('nis2:21.2.d', True)

        Raises:
            UnknownIdError: the requirement is unknown or ambiguous (when it names a
                control or a measure, the message says to ask the other way round).
            ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
        """
        key = ("controls_for:answer", requirement, basis)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        from bio2map.catalog.answers import ControlMatch, ControlsAnswer

        doc = self._controls_doc(requirement, basis)
        answer = ControlsAnswer(
            requirement=self._record(doc["requirement"]),  # type: ignore[arg-type]
            controls=tuple(
                ControlMatch(
                    control=self._record(c["id"]),  # type: ignore[arg-type]
                    relationship=c["relationship"],
                    via=tuple(c["via"]),
                    sources=tuple(c["sources"]),
                    measures=tuple(c["measures"]),
                    basis=c["basis"],
                    via_basis=tuple(c["via_basis"]),
                )
                for c in doc["controls"]
            ),
            bio2_version=self._slug,
            basis=basis,
        )
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = answer
        return answer

    def requirements_for_data(self, control: str, basis: str = "all") -> dict[str, Any]:
        """:meth:`requirements_for` as plain JSON-ready data (no records built); a fresh copy.

        Raises:
            UnknownIdError: the control is unknown or ambiguous.
            ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
        """
        doc: dict[str, Any] = _fresh(self._requirements_doc(control, basis))
        return doc

    def _requirements_doc(self, control: str, basis: str = "all") -> dict[str, Any]:
        """The cached, shared document behind :meth:`requirements_for_data`."""
        key = ("requirements_for", control, basis)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        limit = basis_level(basis)
        cid = self._resolve_for(control, _CONTROL_SCHEMES, "control")
        measure = None
        node = self._raw[cid]
        if node["record"] == "Measure":
            measure = cid
            cid = node["control"]
        nis2: dict[str, _Path] = {}
        annex: dict[str, _Path] = {}
        for e in self._maps_to.get(cid, ()):
            if basis_rank(e[_BASIS]) > limit:
                continue
            back = invert(e[_REL])
            a = annex.setdefault(e[_SRC], _Path())
            a.rels.add(back)
            a.add(e[_BASIS])
            a.sources.update(e[_SOURCES])
            for imp in self._implements_of.get(e[_SRC], ()):
                if basis_rank(imp[_BASIS]) > limit:
                    continue
                rel = compose(back, imp[_REL])
                label = weaker(imp[_BASIS], e[_BASIS])
                targets = [imp[_TGT]] + [
                    anc for anc in self._ancestors(imp[_TGT]) if self._raw[anc]["kind"] == "point"
                ]
                for t in targets:
                    p = nis2.setdefault(t, _Path())
                    p.rels.add(rel)
                    p.add(label, (e[_SRC],))
                    p.sources.update(e[_SOURCES])
                    p.sources.update(imp[_SOURCES])
        reqs = []
        for group in (nis2, annex):
            for rid in self._sorted(group):
                p = group[rid]
                r = self._rq[rid]
                via = self._sorted(p.via)
                reqs.append(
                    {
                        "id": rid,
                        "ref": r["ref"],
                        "label": r["label"],
                        "relationship": strongest(p.rels),
                        "basis": p.basis,
                        "via": list(via),
                        "via_basis": [p.via[v] for v in via],
                        "sources": sorted(p.sources),
                    }
                )
        c = self._ctl[cid]
        doc: dict[str, Any] = {
            "control": cid,
            "title": c["title"],
            "basis": basis,
            "requirements": reqs,
        }
        doc["cbw_framework"] = self._cbw_framework_doc(nis2, basis)
        if measure is not None:
            doc["measure"] = measure
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = doc
        return doc

    def requirements_for(self, control: str, basis: str = "all") -> RequirementsAnswer:
        """Which NIS2 points and 2024/2690 requirements an ISO control helps with.

        ``control`` may also be a BIO2 measure id; its parent control is used. NIS2
        entries come first (with ``via``: the annex requirements on the way, and
        ``via_basis``: how each path is known), then the annex requirements the ENISA
        mapping links to the control directly. ``basis`` restricts the links followed as
        in :meth:`controls_for`.

        Raises:
            UnknownIdError: the control is unknown or ambiguous (when it names a
                requirement, the message says to ask the other way round).
            ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
        """
        from bio2map.catalog.answers import RequirementMatch, RequirementsAnswer

        doc = self._requirements_doc(control, basis)
        return RequirementsAnswer(
            control=self._record(doc["control"]),  # type: ignore[arg-type]
            requirements=tuple(
                RequirementMatch(
                    requirement=self._record(r["id"]),  # type: ignore[arg-type]
                    relationship=r["relationship"],
                    via=tuple(r["via"]),
                    sources=tuple(r["sources"]),
                    basis=r["basis"],
                    via_basis=tuple(r["via_basis"]),
                )
                for r in doc["requirements"]
            ),
            measure=doc.get("measure"),
            basis=basis,
            cbw_framework=tuple(
                RequirementMatch(
                    requirement=self._record(r["id"]),  # type: ignore[arg-type]
                    relationship=r["relationship"],
                    via=tuple(r["via"]),
                    sources=tuple(r["sources"]),
                    basis=r["basis"],
                    via_basis=tuple(r["via_basis"]),
                )
                for r in doc["cbw_framework"]
            ),
        )

    # --- gaps in the data itself ------------------------------------------------------

    def _reached(self, basis: str) -> frozenset[str]:
        """The ISO controls and clauses some NIS2 requirement reaches (cached per basis)."""
        key = ("reached", basis)
        cached: frozenset[str] | None = self._cache.get(key)
        if cached is None:
            reached: set[str] = set()
            for rid in self._scheme_ids("nis2"):
                if self._rq[rid].get("parent") is None:
                    reached.update(self._paths(rid, basis=basis))
            cached = frozenset(reached)
            self._cache[key] = cached
        return cached

    def uncovered(self, basis: str = "all") -> Uncovered:
        """The gaps in the dataset itself.

        * NIS2 obligations that no ISO control reaches (the topmost such node of each
          branch: Art. 20, Art. 23, the communications part of 21(2)(j), ...);
        * assessable 2024/2690 requirements without an ISO target (not even through a
          parent or child);
        * ISO 27002 controls that no NIS2 requirement reaches;
        * ISO 27001 clauses that no NIS2 requirement reaches (the topmost of each branch:
          a clause counts as reached when one of its sub-clauses is);
        * ISO 27002 controls without a BIO2 measure in the loaded draft;
        * BIO2 measures whose control no NIS2 requirement reaches.

        Args:
            basis: the links followed, as in :meth:`controls_for`: with ``heading`` or
                ``explicit`` the inherited ENISA section tables of annex sections 7 and 9
                are left out, so their 24 requirements have no target again.

        Raises:
            ValueError: ``basis`` is not ``explicit``, ``heading`` or ``all``.
        """
        key = ("uncovered", basis)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        basis_level(basis)
        from bio2map.catalog.answers import Uncovered

        nis2 = [self._req(i) for i in self._scheme_ids("nis2")]
        reached = {r.id for r in nis2 if self._paths(r.id, basis=basis)}
        top = tuple(
            r for r in nis2 if r.id not in reached and (r.parent is None or r.parent in reached)
        )
        annex = tuple(
            r
            for r in (self._req(i) for i in self._scheme_ids("ir2690"))
            if r.assessable and not self._paths(r.id, basis=basis)
        )
        targeted = self._reached(basis)
        controls = self.controls
        clauses = [
            self._ctl_record(i)
            for i in self._scheme_ids("iso27001")
            if self._ctl[i]["kind"] == "clause"
        ]
        touched = {a for c in clauses if c.id in targeted for a in (c.id, *self._ancestors(c.id))}
        answer = Uncovered(
            nis2_without_controls=top,
            ir2690_without_target=annex,
            controls_without_requirement=tuple(c for c in controls if c.id not in targeted),
            controls_without_measure=tuple(c for c in controls if c.id not in self._measures),
            measures_without_requirement=tuple(
                m for m in self.measures if m.kind == "measure" and m.control not in targeted
            ),
            bio2_version=self.draft.slug,
            clauses_without_requirement=tuple(
                c
                for c in clauses
                if c.id not in touched and (c.parent is None or c.parent in touched)
            ),
            basis=basis,
            cbw_framework=self.cbw_handling(),
        )
        self._cache[key] = answer
        return answer

    # --- drafts ----------------------------------------------------------------------------

    def history(self, measure_id: str) -> Any:
        """Deprecated: use ``bio2map.history(measure_id, at=catalog.bio2_version)``.

        History is a question about all drafts, answered by the drafts room; this
        shortcut still works and warns.

        .. deprecated:: 0.2.0
        """
        import warnings

        warnings.warn(
            "Catalog.history() is deprecated; use bio2map.history(measure_id, at=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        return hooks.call("history", measure_id, at=self._slug)

    # --- layers ----------------------------------------------------------------------------

    @property
    def layers(self) -> tuple[str, ...]:
        """Names of the user mapping layers merged into this catalog, in merge order."""
        return tuple(layer.name for layer in self._layers)

    def with_layers(self, *layers: str | os.PathLike[str] | Layer) -> Catalog:
        """Return a new catalog with user mapping layers merged in.

        Args:
            layers: layer files (CSV/TSV with SSSOM columns, or CISO Assistant YAML) or
                :class:`~bio2map.catalog.layer.Layer` objects. See :mod:`bio2map.formats.layers`.

        Each layer's edges carry the layer's name as ``dataset`` and its provenance in
        ``sources``; its own nodes (``myorg:SUP-01``) become requirements that
        ``controls_for`` accepts. The packaged data is not changed.

        Raises:
            DataErrorGroup: a layer is broken (every problem, with file and line), or two
                layers share a name.
        """
        from bio2map.catalog.layer import Layer
        from bio2map.core.errors import DataError, DataErrorGroup

        base = self._base or self
        loaded = list(self._layers)
        # A large layer is millions of small containers and no cycles: the cyclic GC
        # would only walk them again and again while they are built.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            for item in layers:
                # a file is read by the formats room (bio2map.formats.layers.read_layer)
                layer = item if isinstance(item, Layer) else hooks.call("read_layer", item, base)
                if layer.name in {x.name for x in loaded}:
                    msg = "duplicate layer name"
                    raise DataErrorGroup(
                        msg,
                        [DataError(layer.source, "", "name", f"a layer {layer.name!r} is loaded")],
                    )
                loaded.append(layer)
            return base._merge(tuple(loaded))
        finally:
            if gc_was_on:
                gc.enable()

    def select_layers(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] = ()
    ) -> Catalog:
        """Return the catalog with only some of its layers (by name).

        Args:
            include: the layers to keep (None: all).
            exclude: layers to leave out.

        Raises:
            KeyError: a name that is not a loaded layer.
        """
        names = set(self.layers)
        wanted = set(names if include is None else include) - set(exclude)
        unknown = (wanted | set(exclude)) - names
        if unknown:
            msg = f"unknown layer(s) {', '.join(sorted(unknown))}; loaded: {', '.join(self.layers)}"
            raise KeyError(msg)
        base = self._base or self
        return base._merge(tuple(x for x in self._layers if x.name in wanted))

    def _merge(self, layers: tuple[Layer, ...]) -> Catalog:
        if not layers:
            return self
        nodes = dict(self._raw)
        edges = list(self._edges)
        schemes = set(_REQUIREMENT_SCHEMES)
        for layer in layers:
            nodes.update(layer.nodes)
            edges.extend(layer.edges)
            schemes.update(
                n["framework"] for n in layer.nodes.values() if n["record"] == "Requirement"
            )
        cat = Catalog._from_raw(nodes, tuple(edges), self._manifest, self._slug)
        cat.__dict__["_layers"] = layers
        cat.__dict__["_base"] = self
        cat.__dict__["_req_schemes"] = frozenset(schemes)
        cat.__dict__["text_mismatches"] = self.text_mismatches
        cat.__dict__["texts_source"] = self.texts_source
        return cat

    # --- texts -----------------------------------------------------------------------------

    def attach_texts(
        self,
        source: str | os.PathLike[str],
        *,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> Catalog:
        """Return a new catalog whose measures carry their text and Dutch control titles.

        Args:
            source: a local clone of the BIO2 repository, a folder laid out like the
                corpus (``<slug>/maatregelen.md``), a single markdown file, or
                ``"download"`` (fetch the pinned commit over HTTPS into a cache and check
                its sha256). See :mod:`bio2map.drafts.sources`.
            cache_dir: where downloads are cached (default: the user cache folder).

        Measures whose text does not match the packaged fingerprint (a file that is
        not the pinned version) still get their text; their ids are listed in
        ``text_mismatches``. Texts are never written into the package.

        Raises:
            SourceError: the source cannot be read or does not verify.
            DraftParseError: the text is not a BIO2 draft the parser can read.
        """
        if self._base is not None:  # texts go on the base; layers are merged again
            return self._base.attach_texts(source, cache_dir=cache_dir)._merge(self._layers)
        # the drafts room reads and parses the text (bio2map.drafts.texts.read_texts)
        texts, titles, mismatches, origin = hooks.call(
            "read_texts", source, self, cache_dir=cache_dir
        )
        return self.with_texts(texts, titles, mismatches=mismatches, source=origin)

    def with_texts(
        self,
        texts: MappingABC[str, str],
        control_titles: MappingABC[str, str] | None = None,
        *,
        mismatches: Iterable[str] = (),
        source: str | None = None,
    ) -> Catalog:
        """Return a new catalog whose measures carry the given texts and control titles.

        Args:
            texts: measure id (canonical, ``bio2:5.19.01``) -> text.
            control_titles: ISO control number (``5.19``) -> Dutch title in the draft.
            mismatches: measure ids whose text does not match the packaged fingerprint.
            source: where the texts came from (shown as ``texts_source``).

        .. versionadded:: 0.2.0
        """
        if self._base is not None:
            base = self._base.with_texts(
                texts, control_titles, mismatches=mismatches, source=source
            )
            return base._merge(self._layers)
        titles = control_titles or {}
        nodes: dict[str, RawNode] = dict(self._raw)
        for cid, node in self._raw.items():
            if node["record"] != "Measure":
                continue
            title = titles.get(plain(node["control"]))
            text = texts.get(cid)
            nodes[cid] = {**node, "control_title": title, "text": text}
        cat = Catalog._from_raw(nodes, self._edges, self._manifest, self._slug)
        cat.__dict__["text_mismatches"] = self._sorted(mismatches)
        cat.__dict__["texts_source"] = source
        return cat

    # --- graph ---------------------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole catalog as a frozen networkx ``MultiDiGraph`` (built on first use).

        Nodes carry their record's main fields; edges carry ``relationship``, ``kind``,
        ``basis``, ``dataset`` and ``sources``. Hierarchy is shown as ``part_of`` edges
        from child to parent. The graph is frozen: changing it raises
        ``networkx.NetworkXError``; copy it (``nx.MultiDiGraph(g)``) to play with it.
        """
        with self._lock:
            if self._graph is None:
                from bio2map.catalog.graph import build_graph

                self.__dict__["_graph"] = build_graph(self._raw, self._edges)
            graph = self._graph
            assert graph is not None
            return graph
