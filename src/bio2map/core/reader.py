"""Read the data of one BIO2 draft: raw nodes and edges, from files known good or checked.

Each file is read and parsed to plain JSON values once per process. A packaged file whose
bytes are exactly as built (:mod:`bio2map.core.trusted`: the build validated it and baked
its digest in) is converted without checking a field again; any other file (a modified
install, a user's ``--data-dir``) is validated strictly (:mod:`bio2map.core.validate`),
and every problem found in any file is collected. Loading then fails with one
:class:`~bio2map.core.errors.DataErrorGroup` that lists them all, each with its file and
JSON pointer (``nis2.json: /requirements/3/parent: unknown id 'nis2:99'``).

No network here, ever. The manifest, :func:`read_manifest` and :func:`use_data_dir` live in
:mod:`bio2map.core.manifest` and are exported here too.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import gc
import os

from bio2map.core.checker import group, parse_json, read_file
from bio2map.core.errors import DataError
from bio2map.core.manifest import LOCK, Manifest, is_as_built, read_manifest, use_data_dir
from bio2map.core.manifest import forget as _forget_manifest
from bio2map.core.trusted import as_built, convert

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from bio2map.core.raw import RawEdge, RawNode

__all__ = ["Manifest", "forget", "gc_paused", "read_manifest", "read_raw", "use_data_dir"]

SHARED_DATASETS = (
    *("nis2", "ir2690", "iso27001-2022", "enisa-ir2690-iso27001"),
    *("iso27001-2013", "cbwcf"),
)
"""The datasets every draft is loaded with (the draft's own is ``bio2-<slug>``)."""


class gc_paused:  # noqa: N801 - used like a function: ``with gc_paused():``
    """Build without the cyclic garbage collector: ``with gc_paused(): ...``.

    Reading the data makes some hundred thousand dicts, lists and strings, and none of
    them is part of a cycle: the collector would only walk them again and again while
    they are built. Reference counting frees everything as usual. The collector is on
    again when the block ends, if it was on before (a nested pause leaves that to the
    outermost).
    """

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_on:
            gc.enable()


# (folder, dataset) -> (file, parsed JSON, as built): parsed once per process
_DOCS: dict[tuple[str | None, str], tuple[str, Any, bool]] = {}


def read_raw(manifest: Manifest, slug: str) -> tuple[dict[str, RawNode], tuple[RawEdge, ...]]:
    """Read (and, unless as built, validate) the datasets of one BIO2 draft: fresh raw
    nodes and edges.

    The shared datasets (NIS2, 2024/2690, ISO, ENISA, ...) are read and parsed once per
    process and data folder, whatever the number of drafts loaded; every call returns
    its own dict of nodes.

    Raises:
        DataErrorGroup: the data is broken; every problem is listed.
    """
    with LOCK, gc_paused():
        errors: list[DataError] = []
        by_name = {d["name"]: d for d in manifest.raw_datasets}
        needed = [*SHARED_DATASETS, f"bio2-{slug}"]
        docs = _read_docs(manifest, by_name, needed, errors)
        if len(docs) < len(needed):
            msg = "cannot load the bio2map data"
            raise group(msg, errors)
        if not errors and all(trusted for _, _, trusted in docs.values()):
            nodes, edges = convert(_plain(docs), by_name, slug)
        else:
            from bio2map.core.validate import validate

            nodes, edges = validate(_plain(docs), by_name, slug, errors)
            if errors:
                msg = "the bio2map data is broken"
                raise group(msg, errors)
        return nodes, tuple(edges)


def _plain(docs: dict[str, tuple[str, Any, bool]]) -> dict[str, tuple[str, Any]]:
    return {name: (file, doc) for name, (file, doc, _) in docs.items()}


def _read_docs(
    manifest: Manifest,
    by_name: Mapping[str, Mapping[str, Any]],
    needed: list[str],
    errors: list[DataError],
) -> dict[str, tuple[str, Any, bool]]:
    """Each needed dataset as (file, parsed JSON, whether its bytes are as built); the
    problems of those that cannot be read or parsed are added to ``errors``."""
    folder = manifest.folder
    # Only packaged files are trusted, named by the packaged manifest as built (an edited
    # manifest could call one file another's name): a user's folder is always hashed
    # against its manifest and validated (tests/hostile/test_data.py).
    packaged = folder is None and is_as_built(manifest)
    docs: dict[str, tuple[str, Any, bool]] = {}
    for name in needed:
        cached = _DOCS.get((folder, name))
        if cached is not None:
            file, doc, trusted = cached
            docs[name] = (file, doc, trusted and packaged)
            continue
        ds = by_name.get(name)
        if ds is None:
            errors.append(
                DataError("manifest.json", "/datasets", "name", f"no dataset named {name!r}")
            )
            continue
        blob = read_file(ds["file"], folder, errors)
        if blob is None:
            continue
        trusted = packaged and as_built(ds["file"], blob)
        intact = trusted or folder is None or _matches_manifest(ds, blob, errors)
        doc = parse_json(ds["file"], blob, not trusted, errors)
        if doc is not None:
            docs[name] = (ds["file"], doc, trusted)
            if name in SHARED_DATASETS and intact:
                _DOCS[(folder, name)] = docs[name]  # parsed once per process
    return docs


def _matches_manifest(ds: Mapping[str, Any], blob: bytes, errors: list[DataError]) -> bool:
    """Whether ``blob`` has the sha256 the manifest gives (else a problem in ``errors``)."""
    from bio2map.core.manifest import sha256

    digest = sha256(blob)
    if digest == ds["sha256"]:
        return True
    errors.append(
        DataError(
            ds["file"],
            "",
            "sha256",
            f"file does not match the manifest (sha256 {digest[:12]}…, "
            f"manifest {ds['sha256'][:12]}…)",
        )
    )
    return False


def forget(folder: str) -> None:
    """Drop what this process cached of the data folder ``folder`` (after it was replaced)."""
    with LOCK:
        _forget_manifest(folder)
        for key in (folder, os.path.abspath(folder)):  # noqa: PTH100 - a str key
            for k in [k for k in _DOCS if k[0] == key]:
                del _DOCS[k]
