"""New catalogs from a catalog: user mapping layers merged in, texts attached.

A part of :class:`~bio2map.catalog.catalog.Catalog` kept in its own module (a mixin on
:class:`~bio2map.catalog.index.Index`). A catalog never changes: each method returns a
new one built from the raw records of its base (the catalog without layers) and the
layers, so texts and layers can be added in any order.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC

from bio2map.catalog.index import _REQUIREMENT_SCHEMES, Index
from bio2map.core import hooks
from bio2map.core.ids import plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Self

    from bio2map.catalog.layer import Layer
    from bio2map.core.raw import RawNode

__all__ = ["Layering"]


class Layering(Index):
    """Layers and texts; mixed into ``Catalog``."""

    __slots__ = ()

    # --- layers ----------------------------------------------------------------------------

    @property
    def layers(self) -> tuple[str, ...]:
        """Names of the user mapping layers merged into this catalog, in merge order."""
        return tuple(layer.name for layer in self._layers)

    def with_layers(self, *layers: str | os.PathLike[str] | Layer) -> Self:
        """Return a new catalog with user mapping layers merged in.

        Args:
            layers: layer files (CSV/TSV with SSSOM columns, or CISO Assistant YAML) or
                :class:`~bio2map.catalog.layer.Layer` objects. See :mod:`bio2map.formats.layers`.

        Each layer's edges carry the layer's name as ``dataset`` and its provenance in
        ``sources``; its own nodes (``myorg:SUP-01``) become requirements that
        ``controls_for`` accepts and ``requirements_for`` answers the other way round.
        What each kind of edge means is set out in :mod:`bio2map.catalog.layer`. The
        packaged data is not changed.

        Raises:
            DataErrorGroup: a layer is broken (every problem, with file and line), two
                layers share a name, the layers together make a cycle of requirement ->
                requirement links, or a :class:`Layer` built by hand breaks the rules.
        """
        from bio2map.catalog.layer import Layer
        from bio2map.catalog.layer_checks import check_layers
        from bio2map.core.errors import DataError, DataErrorGroup

        base = self._base or self
        loaded = list(self._layers)
        # A large layer is millions of small containers and no cycles: the cyclic GC
        # would only walk them again and again while they are built.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            fresh = []
            for item in layers:
                # a file is read by the formats room (bio2map.formats.layers.read_layer)
                layer = item if isinstance(item, Layer) else hooks.call("read_layer", item, base)
                if isinstance(item, Layer):
                    fresh.append(item)  # built by hand: its edges are checked here
                if layer.name in {x.name for x in loaded}:
                    msg = "duplicate layer name"
                    raise DataErrorGroup(
                        msg,
                        [DataError(layer.source, "", "name", f"a layer {layer.name!r} is loaded")],
                    )
                loaded.append(layer)
            check_layers(base._raw, base._edges, loaded, fresh)  # rules, cycles across layers
            return base._merge(tuple(loaded))
        finally:
            if gc_was_on:
                gc.enable()

    def select_layers(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] = ()
    ) -> Self:
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

    def _merge(self, layers: tuple[Layer, ...]) -> Self:
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
        cat = self._from_raw(nodes, tuple(edges), self._manifest, self._slug)
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
    ) -> Self:
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
    ) -> Self:
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
        cat = self._from_raw(nodes, self._edges, self._manifest, self._slug)
        cat.__dict__["text_mismatches"] = self._sorted(mismatches)
        cat.__dict__["texts_source"] = source
        return cat
