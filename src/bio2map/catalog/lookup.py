"""Finding nodes by what people type: resolution, suggestions, descriptions, search.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin on
:class:`~bio2map.catalog.index.Index`). Ids are read leniently
(:func:`bio2map.core.ids.readings`); an id that names nothing gets the closest ids as
suggestions, and an id of the wrong kind (a control where a requirement is expected) a
hint saying which question to ask.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

from bio2map.catalog.index import _CONTROL_SCHEMES, Index
from bio2map.core.errors import AmbiguousIdError, UnknownIdError
from bio2map.core.ids import plain, readings, scheme_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from bio2map.catalog.index import Node
    from bio2map.core.records import Measure

__all__ = ["Lookup"]

_SEARCH_FIELDS: Final = (
    *("id", "ref", "label", "title", "control_title", "label_nl", "label_en", "text"),
)


def _folded(text: str) -> str:
    """Lower case without accents, for matching (``Geïmplementeerd`` -> ``geimplementeerd``)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Lookup(Index):
    """Resolving ids and finding nodes; mixed into ``Catalog``."""

    __slots__ = ()

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
