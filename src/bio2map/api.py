"""The front door: functions that compose the rooms for the caller.

:func:`load` reads the packaged data (room :mod:`bio2map.core`), builds a catalog
(:mod:`bio2map.catalog`) and, when asked, attaches BIO2 texts (:mod:`bio2map.drafts`)
and merges user layers (:mod:`bio2map.formats`). It sits above every room, so no room
needs to import it.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import os
import threading

from bio2map.catalog.catalog import Catalog
from bio2map.core.reader import forget as _forget_data
from bio2map.core.reader import read_manifest, read_raw

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["load"]

_CATALOGS: dict[tuple[str | None, str], Catalog] = {}
_LOCK = threading.RLock()


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
