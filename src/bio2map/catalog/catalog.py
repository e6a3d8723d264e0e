"""The catalog: immutable, indexed, and the questions people ask of it.

A :class:`Catalog` holds the nodes and edges of one loaded dataset (NIS2, the
2024/2690 annex, ISO/IEC 27001/27002:2022, the ENISA mapping and one BIO2 draft).
It never reads files and never changes after it is built; its answers are cached, so
asking twice is cheap, and it is safe to share between threads.

Inside, nodes are kept as the validated plain values the loader produced; attrs
records are made when someone asks for one. A command-line query that only prints
JSON (``controls_for_data``) therefore never imports attrs, which on a cold start
costs more than reading all the data.

The class is assembled from one module per concept; this one adds what the catalog
is as a whole (immutability, metadata, the networkx view):

* :mod:`bio2map.catalog.index`: the indices built from the loaded records, and the
  records made from them;
* :mod:`bio2map.catalog.lookup`: resolving ids as people type them, ``describe``,
  ``get``, ``children``, ``search``;
* :mod:`bio2map.catalog.paths`: path composition from requirements to controls and
  back;
* :mod:`bio2map.catalog.queries`: ``controls_for``, ``requirements_for``,
  ``uncovered``;
* :mod:`bio2map.catalog.layering`: new catalogs with layers merged in or texts
  attached;
* :mod:`bio2map.catalog.coverage`, :mod:`bio2map.catalog.cbw`,
  :mod:`bio2map.catalog.migration`: coverage of an SoA, the Cbw framework, the
  2013-to-2022 migration.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from bio2map.catalog.cbw import CbwQueries
from bio2map.catalog.coverage import IMPLEMENTATION_STATUSES, CoverageQueries
from bio2map.catalog.index import _BASIS, _DATASET, _KIND, _REL, _SOURCES, _SRC, _TGT
from bio2map.catalog.layering import Layering
from bio2map.catalog.migration import MigrationQueries
from bio2map.catalog.queries import Queries
from bio2map.core import hooks

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any

    import networkx as nx

    from bio2map.catalog.index import Node as Node  # the name other rooms import from here
    from bio2map.core.records import Dataset, Draft, Mapping

__all__ = ["IMPLEMENTATION_STATUSES", "Catalog"]

"""What each SoA status counts as when coverage is computed (weight of the control)."""


class Catalog(Queries, Layering, CoverageQueries, CbwQueries, MigrationQueries):
    """One loaded dataset. Build it with :func:`bio2map.core.reader`.

    Ids may be given in any form :mod:`bio2map.core.ids` accepts (``21(2)(d)``, ``A.5.19``,
    ``5.19``); answers always use canonical ids and are sorted (controls numerically,
    requirements in document order).

    Examples:
        >>> import bio2map
        >>> cat = bio2map.load("1.3")
        >>> cat.bio2_version, len(cat.controls), "A.5.19" in cat
        ('1.3', 93, True)
    """

    def __init__(self) -> None:
        msg = "use bio2map.load() to get a Catalog"
        raise TypeError(msg)

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
