"""The front door: functions that compose the rooms for the caller.

:func:`load` reads the packaged data (room :mod:`bio2map.core`), builds a catalog
(:mod:`bio2map.catalog`) and, when asked, attaches BIO2 texts (:mod:`bio2map.drafts`)
and merges user layers (:mod:`bio2map.formats`). It sits above every room, so no room
needs to import it.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import os
from _thread import RLock  # threading itself costs a cold start

from bio2map.catalog.catalog import Catalog
from bio2map.core.reader import forget as _forget_data
from bio2map.core.reader import gc_paused, read_manifest, read_raw

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["load"]

_CATALOGS: dict[tuple[str | None, str], Catalog] = {}
_LOCK = RLock()


def load(
    bio2_version: str | None = None,
    *,
    texts: str | os.PathLike[str] | None = None,
    layers: Iterable[str | os.PathLike[str]] = (),
    data_dir: str | os.PathLike[str] | None = None,
) -> Catalog:
    """Load the packaged data (or the data in ``data_dir``) into an immutable catalog.

    Args:
        bio2_version: a BIO2 draft slug or label (``"1.3"``, ``"2024-06-draft"``);
            None loads the latest definitive draft.
        texts: where to read the BIO2 texts from (see ``Catalog.attach_texts``); None
            loads structure only. Only ``texts="download"`` uses the network.
        layers: user mapping layer files to merge in (see ``Catalog.with_layers``).
        data_dir: a folder laid out like the packaged ``data/`` folder (tests, patched
            data); None uses the packaged data.

    Raises:
        UnknownVersionError: the draft is not known.
        DataErrorGroup: the data is broken; every problem is listed.

    The catalog is cached: loading the same draft twice returns the same object.
    No network access happens here.

    .. versionadded:: 0.1.0
    """
    manifest = read_manifest(data_dir)
    slug = manifest.draft_slug(bio2_version)
    key = (manifest.folder, slug)
    with _LOCK:
        cat = _CATALOGS.get(key)
        if cat is None:
            with gc_paused():  # some hundred thousand containers, and no cycle among them
                nodes, edges = read_raw(manifest, slug)
                cat = Catalog._from_raw(nodes, edges, manifest, slug)
            _CATALOGS[key] = cat
    if texts is not None:
        cat = cat.attach_texts(texts)
    layers = tuple(layers)
    if layers:
        cat = cat.with_layers(*layers)
    return cat


def forget(folder: str | os.PathLike[str]) -> None:
    """Drop every cached manifest, dataset and catalog of the data folder ``folder``.

    For a folder that was replaced while this process runs (``bio2map.watch.write_data``).

    .. versionadded:: 0.2.0
    """
    name = os.fspath(folder)
    with _LOCK:
        _forget_data(name)
        for key in (name, os.path.abspath(name)):  # noqa: PTH100 - a str key
            for k in [k for k in _CATALOGS if k[0] == key]:
                del _CATALOGS[k]


# --- the draft diff: slugs become catalogs here; the drafts room compares catalogs -------

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bio2map.core.records import Measure
    from bio2map.drafts.lineage import Lineage
    from bio2map.drafts.results import VersionDiff
    from bio2map.drafts.side import DraftLike

__all__ += ["diff", "history"]


def _draft(draft: DraftLike, texts: str | os.PathLike[str] | None) -> Catalog | Sequence[Measure]:
    """A slug or label becomes its catalog (texts attached when asked); the rest is kept."""
    return load(draft, texts=texts) if isinstance(draft, str) else draft


def diff(
    old: DraftLike,
    new: DraftLike,
    *,
    texts: str | os.PathLike[str] | bool | None = None,
) -> VersionDiff:
    """Compare two BIO2 drafts (any two, not only neighbours).

    Args:
        old: the old draft: a slug or label (``"1.2"``), a catalog, or its measures.
        new: the new draft, in any of the same forms.
        texts: where to read the texts for drafts given as slugs (a folder laid out
            like the corpus, a clone, ``"download"``; see
            :meth:`bio2map.catalog.catalog.Catalog.attach_texts`); True or False forces or
            forbids comparing texts that are already attached; None compares texts
            when both drafts carry them.

    Returns:
        A :class:`~bio2map.drafts.results.VersionDiff`. Impact is mapped to NIS2 and
        2024/2690 when a catalog is at hand (a slug or a catalog was given).

    Raises:
        UnknownVersionError: a slug or label that names no draft.

    Slugs are loaded here (:func:`load`); the comparison is
    :func:`bio2map.drafts.diff.diff`, which takes catalogs and measures.

    Examples:
        >>> import bio2map
        >>> d = bio2map.diff("1.2", "1.3")
        >>> d.added[:2], [(m.old_id, m.new_id) for m in d.moved][:2]
        (('5.10.02', '5.10.03'), [('5.04.02', '5.10.02'), ('5.04.03', '5.10.03')])

    .. versionadded:: 0.1.0
    """
    from bio2map.drafts.diff import diff as compare

    source = None if isinstance(texts, bool) else texts
    return compare(
        _draft(old, source),
        _draft(new, source),
        texts=texts if isinstance(texts, bool) else None,
    )


def history(
    measure_id: str,
    drafts: Sequence[DraftLike] | None = None,
    *,
    at: str | None = None,
    texts: str | os.PathLike[str] | None = None,
) -> Lineage:
    """The history of a BIO2 measure: where it is in each draft, and its earlier ids.

    Drafts given by their slugs are loaded here (:func:`load`, with the texts of
    ``texts``); the tracing is :func:`bio2map.drafts.lineage.history`, which says how
    the measure is followed from draft to draft.

    Args:
        measure_id: ``5.10.02``, ``bio2:5.10.02`` or ``5.10.2``.
        drafts: the drafts in order, oldest first (slugs, catalogs or measure
            tuples); None uses every packaged draft.
        at: the draft where ``measure_id`` is looked up (slug or label).
        texts: where to read texts for drafts given as slugs (exact similarities).

    Returns:
        The :class:`~bio2map.drafts.lineage.Lineage`, one step per draft.

    Raises:
        UnknownIdError: the id is in none of the drafts (or not in ``at``).
        UnknownVersionError: a slug that names no draft, or ``at`` not among them.

    Examples:
        >>> import bio2map
        >>> bio2map.history("5.10.02").earlier_ids
        ('5.04.02',)

    .. versionadded:: 0.1.0
    """
    from bio2map.drafts.lineage import history as trace

    if drafts is None:
        drafts = [d.slug for d in read_manifest().drafts]
    return trace(measure_id, [_draft(d, texts) for d in drafts], at=at)
