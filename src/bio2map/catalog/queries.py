"""The questions asked most: ``controls_for``, ``requirements_for`` and ``uncovered``.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin on
the indices, :mod:`bio2map.catalog.lookup` and :mod:`bio2map.catalog.paths`). Each
question is answered once, as a plain JSON-ready document (cached, never handed out:
the ``*_data`` methods return a fresh copy); the answer records of
:mod:`bio2map.catalog.answers` are made from that document, so the command line's
JSON path builds no record.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC

from bio2map.catalog.index import _CONTROL_SCHEMES, _REQUIREMENT_SCHEMES
from bio2map.catalog.lookup import Lookup
from bio2map.catalog.paths import Paths
from bio2map.core.ids import scheme_of
from bio2map.core.vocab import basis_level, strongest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from bio2map.catalog.answers import ControlsAnswer, RequirementsAnswer, Uncovered
    from bio2map.catalog.cbw_answers import CbwHandling
    from bio2map.catalog.paths import _Path
    from bio2map.core.records import Control, Draft

__all__ = ["Queries"]

_CACHE_LIMIT: Final = 8192


def _fresh(value: Any) -> Any:
    """A copy of a JSON-like value (dicts and lists copied, strings and numbers shared)."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def _link_fields(match: MappingABC[str, Any]) -> dict[str, Any]:
    """The link fields of a match record (``ControlMatch``, ``RequirementMatch``) from a
    match in a document (:meth:`Queries._link_doc`)."""
    return {
        "relationship": match["relationship"],
        "via": tuple(match["via"]),
        "sources": tuple(match["sources"]),
        "basis": match["basis"],
        "via_basis": tuple(match["via_basis"]),
    }


class Queries(Lookup, Paths):
    """``controls_for``, ``requirements_for`` and ``uncovered``; mixed into ``Catalog``."""

    __slots__ = ()

    if TYPE_CHECKING:  # what Catalog provides (bio2map.catalog.catalog and .cbw)

        @property
        def draft(self) -> Draft: ...
        def _cbw_framework_doc(
            self, nis2: MappingABC[str, Any], basis: str = "all"
        ) -> list[dict[str, Any]]: ...
        def cbw_handling(self) -> tuple[CbwHandling, ...]: ...

    def _link_doc(self, p: _Path) -> dict[str, Any]:
        """How a requirement and a control are linked, as a match in a document shows it."""
        via = self._sorted(p.via)
        return {
            "relationship": strongest(p.rels),
            "basis": p.basis,
            "via": list(via),
            "via_basis": [p.via[v] for v in via],
            "sources": sorted(p.sources),
        }

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
                controls.append(
                    {
                        "id": cid,
                        "ref": c["ref"],
                        "kind": c["kind"],
                        "title": c["title"],
                        **self._link_doc(p),
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
                    measures=tuple(c["measures"]),
                    **_link_fields(c),
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
        own = self._req_schemes - _REQUIREMENT_SCHEMES  # prefixes of the layers' own nodes
        cid = self._resolve_for(control, _CONTROL_SCHEMES | own, "control")
        if scheme_of(cid) in own:  # asked the other way round (catalog.layer)
            from bio2map.catalog.own import own_requirements_doc

            own_doc = own_requirements_doc(self, cid, basis)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[key] = own_doc
            return own_doc
        measure = None
        node = self._raw[cid]
        if node["record"] == "Measure":
            measure = cid
            cid = node["control"]
        nis2, annex = self._paths_back(cid, limit)
        reqs = []
        for group in (nis2, annex):
            for rid in self._sorted(group):
                r = self._rq[rid]
                reqs.append(
                    {"id": rid, "ref": r["ref"], "label": r["label"], **self._link_doc(group[rid])}
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

        ``control`` may also be a BIO2 measure id; its parent control is used. It may be
        a layer's own node (``myorg:SUP-01``): then the answer lists the requirements the
        node is linked to and those the controls it is linked to serve, with the control
        in ``via``, and ``control`` is the node seen as a control (kind ``own``; see
        :func:`bio2map.catalog.own.own_requirements_doc`). NIS2
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

        def matches(entries: list[dict[str, Any]]) -> tuple[RequirementMatch, ...]:
            return tuple(
                RequirementMatch(
                    requirement=self._record(r["id"]),  # type: ignore[arg-type]
                    **_link_fields(r),
                )
                for r in entries
            )

        asked = doc["control"]
        if asked not in self._ctl:  # a layer's own node (catalog.layer.own_control)
            from bio2map.catalog.own import own_control

            control_record: Control = own_control(self._raw[asked])
        else:
            control_record = self._ctl_record(asked)
        return RequirementsAnswer(
            control=control_record,
            requirements=matches(doc["requirements"]),
            measure=doc.get("measure"),
            basis=basis,
            cbw_framework=matches(doc["cbw_framework"]),
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
