"""The data manifest (``manifest.json``): which datasets and BIO2 drafts there are.

:func:`read_manifest` reads it once per process and data folder; :func:`use_data_dir`
makes a data folder the default of every load in a thread or task (the CLI's
``--data-dir``). The packaged manifest, byte for byte as built, is read without checks
(:mod:`bio2map.core.trusted`); any other is validated field by field, and every problem
is reported with its JSON pointer.

.. versionadded:: 0.4.0
   Split from :mod:`bio2map.core.reader` (which still exports these names).
"""

from __future__ import annotations

import os
from _thread import RLock
from types import MappingProxyType

from bio2map.core import resources as _resources
from bio2map.core.checker import group, parse_json, read_file
from bio2map.core.errors import DataError, UnknownVersionError
from bio2map.core.trusted import as_built

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from contextvars import ContextVar
    from typing import Any, TypeAlias

    from bio2map.core.checker import Checker
    from bio2map.core.records import Dataset, Draft

    # a manifest entry (dataset or draft) as read from manifest.json, validated
    RawEntry: TypeAlias = dict[str, Any]

__all__ = ["LOCK", "Manifest", "is_as_built", "read_manifest", "use_data_dir"]

LOCK = RLock()
"""Guards every per-process cache of the data (manifests here, parsed files in the reader)."""

_DATASET_KEYS = frozenset(
    {"attribution", "counts", "file", "licence", "name", "sha256", "source", "title", "version"}
)
DRAFT_ENTRY_KEYS = frozenset(
    {"bytes", "commit", "counts", "date", "file", "git_blob", "label", "layout", "sha256"}
    | {"slug", "source_path", "source_repository", "status"}
)
"""The keys of a ``bio2_drafts[]`` entry (a BIO2 file's ``draft`` holds the same, less two)."""
_TOP_KEYS = frozenset({"bio2_drafts", "data_version", "datasets", "default_bio2", "format"})
# the str fields of each entry, in the order of its dict (then "counts")
_DATASET_FIELDS = (
    *("name", "version", "file", "sha256", "title", "source", "licence", "attribution"),
)
_DRAFT_FIELDS = (
    *("slug", "label", "status", "date", "commit", "source_path", "sha256", "layout", "file"),
)


class Manifest:
    """The parsed ``manifest.json``: datasets, BIO2 drafts and the default draft.

    ``datasets`` and ``drafts`` are tuples of :class:`~bio2map.core.records.Dataset` and
    :class:`~bio2map.core.records.Draft` records; ``raw_datasets`` and ``raw_drafts`` hold the
    same values as plain dicts (what a cold query uses).
    """

    __slots__ = ("data_version", "default_bio2", "folder", "raw_datasets", "raw_drafts")

    raw_datasets: tuple[Mapping[str, Any], ...]
    raw_drafts: tuple[Mapping[str, Any], ...]
    default_bio2: str
    data_version: str
    folder: str | None

    def __init__(
        self,
        datasets: tuple[RawEntry, ...],
        drafts: tuple[RawEntry, ...],
        default_bio2: str,
        data_version: str,
        folder: str | None,
    ) -> None:
        # immutable: the manifest is cached per process and shared by every load()
        init = object.__setattr__
        init(self, "raw_datasets", tuple(MappingProxyType(dict(d)) for d in datasets))
        init(self, "raw_drafts", tuple(MappingProxyType(dict(d)) for d in drafts))
        init(self, "default_bio2", default_bio2)
        init(self, "data_version", data_version)
        init(self, "folder", folder)

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Manifest is immutable: cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Manifest is immutable: cannot delete {name!r}"
        raise AttributeError(msg)

    @property
    def datasets(self) -> tuple[Dataset, ...]:
        """Every packaged dataset as a record."""
        from bio2map.core.records import Dataset

        return tuple(Dataset(**d) for d in self.raw_datasets)

    @property
    def drafts(self) -> tuple[Draft, ...]:
        """Every BIO2 draft as a record, oldest first."""
        from bio2map.core.records import Draft

        return tuple(Draft(**d) for d in self.raw_drafts)

    def verify(self) -> tuple[str, ...]:
        """Hash every data file and compare it with the manifest.

        Returns:
            One message per file that is missing or does not match; ``()`` when all
            files are intact.
        """
        problems = []
        for d in self.raw_datasets:
            try:
                blob = _resources.read_bytes(d["file"], self.folder)
            except OSError as e:
                problems.append(f"{d['file']}: cannot read: {e.strerror or e}")
                continue
            digest = sha256(blob)
            if digest != d["sha256"]:
                problems.append(f"{d['file']}: sha256 {digest} does not match the manifest")
        return tuple(problems)

    def draft_slug(self, version: str | None) -> str:
        """Return the slug of the draft a label or slug names (None: the default).

        Accepts the slug (``1.3``, ``2024-06-draft``), the label (``BIO2 versie 1.3``),
        and ``versie 1.3``, ``v1.3``, ``BIO2 1.3``; the short names ``2024-06`` (the year
        and month of a concept draft, when one draft has them) and ``1.3.0`` (a version
        with trailing zeros); case does not matter.

        Raises:
            UnknownVersionError: no draft has that slug or label.
        """
        if version is None:
            return self.default_bio2
        want = " ".join(str(version).split()).lower()
        short = want.removeprefix("bio2").strip().removeprefix("versie").strip().removeprefix("v")
        slugs = [str(d["slug"]) for d in self.raw_drafts]
        for d in self.raw_drafts:
            if want in (d["slug"].lower(), d["label"].lower()) or short == d["slug"].lower():
                return str(d["slug"])
        while short.endswith(".0") and short.count(".") > 1:  # 1.3.0 -> 1.3
            short = short[:-2]
            if short in slugs:
                return short
        dated = [s for s in slugs if s.lower().startswith(short + "-")]  # 2024-06 -> 2024-06-draft
        if len(dated) == 1 and short[:4].isdigit():
            return dated[0]
        raise UnknownVersionError(str(version), slugs)

    def draft(self, version: str | None) -> Draft:
        """Return the :class:`~bio2map.core.records.Draft` a label or slug names (None: default)."""
        from bio2map.core.records import Draft

        slug = self.draft_slug(version)
        return Draft(**next(d for d in self.raw_drafts if d["slug"] == slug))


def sha256(blob: bytes) -> str:
    """The sha256 of ``blob`` as hex (what the manifest records of each file)."""
    import hashlib  # not at module level: it loads OpenSSL, which a cold query never needs

    return hashlib.sha256(blob).hexdigest()


def _counts(c: Checker, obj: Any, ptr: str) -> tuple[tuple[str, int], ...]:
    counts = c.get(obj, "counts", ptr, dict, {})
    out = []
    for k, v in sorted(counts.items()):
        if isinstance(v, int) and not isinstance(v, bool):
            out.append((k, v))
        else:
            c.err(f"{ptr}/counts/{k}", k, f"expected int, got {type(v).__name__}")
    return tuple(out)


def _checked(doc: Any, folder: str | None, errors: list[DataError]) -> Manifest:
    """The manifest in ``doc``, every field checked (problems added to ``errors``)."""
    from bio2map.core.checker import Checker

    c = Checker("manifest.json", errors)
    c.known_keys(doc, "", _TOP_KEYS)
    fmt = c.get(doc, "format", "", int, 1)
    if fmt != 1:
        c.err("/format", "format", f"unsupported data format {fmt!r} (this bio2map reads 1)")
    datasets: list[RawEntry] = [
        {
            **{k: c.get(d, k, ptr, str, "") for k in _DATASET_FIELDS},
            "counts": _counts(c, d, ptr),
        }
        for ptr, d in c.items(doc, "datasets", _DATASET_KEYS)
    ]
    drafts: list[RawEntry] = [
        {**{k: c.get(d, k, ptr, str, "") for k in _DRAFT_FIELDS}, "counts": _counts(c, d, ptr)}
        for ptr, d in c.items(doc, "bio2_drafts", DRAFT_ENTRY_KEYS)
    ]
    default = c.get(doc, "default_bio2", "", str, "")
    if drafts and default not in {d["slug"] for d in drafts}:
        c.err("/default_bio2", "default_bio2", f"{default!r} is not a listed draft")
    return Manifest(
        tuple(datasets), tuple(drafts), default, c.get(doc, "data_version", "", str, ""), folder
    )


def _as_built(doc: Any, folder: str | None) -> Manifest:
    """The packaged manifest exactly as the build validated it: the same values, unchecked."""
    datasets = tuple(
        {**{k: d[k] for k in _DATASET_FIELDS}, "counts": tuple(sorted(d["counts"].items()))}
        for d in doc["datasets"]
    )
    drafts = tuple(
        {**{k: d[k] for k in _DRAFT_FIELDS}, "counts": tuple(sorted(d["counts"].items()))}
        for d in doc["bio2_drafts"]
    )
    return Manifest(datasets, drafts, doc["default_bio2"], doc["data_version"], folder)


_MANIFESTS: dict[str | None, Manifest] = {}
_AS_BUILT: set[Manifest] = set()  # the packaged manifest, when its bytes are as built


def is_as_built(manifest: Manifest) -> bool:
    """Whether ``manifest`` is the packaged one, read from its bytes as built: then it
    names each packaged file for what it is, and files as built may be read unchecked."""
    return manifest in _AS_BUILT


_DATA_DIR: ContextVar[str | None] | None = None
"""The folder :func:`use_data_dir` set (made on its first call: a query without
``--data-dir`` needs no context variable, nor the module that makes them)."""


def folder_of(data_dir: str | os.PathLike[str] | None) -> str | None:
    """The data folder a call means: ``data_dir``, else the one :func:`use_data_dir` set."""
    if data_dir is not None:
        return os.fspath(data_dir)
    return None if _DATA_DIR is None else _DATA_DIR.get()


def use_data_dir(data_dir: str | os.PathLike[str] | None) -> Callable[[], None]:
    """Make ``data_dir`` the data folder of every :func:`load` and :func:`read_manifest`
    that names none (in this thread or task), until the returned function is called.

    The CLI's ``--data-dir`` uses it, so that every command reads that folder. None
    stands for the packaged data.

    Raises:
        DataError: ``data_dir`` is not a folder.

    .. versionadded:: 0.1.0
    """
    folder = None if data_dir is None else os.fspath(data_dir)
    if folder is not None and not os.path.isdir(folder):  # noqa: PTH112 - no pathlib here
        raise DataError(folder, "", "", "not a folder (expected a bio2map data folder)")
    global _DATA_DIR  # made once, on first use
    with LOCK:
        if _DATA_DIR is None:
            from _contextvars import ContextVar  # contextvars itself only re-exports it

            _DATA_DIR = ContextVar("bio2map_data_dir", default=None)
    var = _DATA_DIR
    token = var.set(folder)
    return lambda: var.reset(token)


def read_manifest(data_dir: str | os.PathLike[str] | None = None) -> Manifest:
    """Return the (cached) manifest of the packaged data, or of ``data_dir``.

    With ``data_dir`` None, the folder set by :func:`use_data_dir` is read, if any.

    Raises:
        DataErrorGroup: the manifest is missing or malformed.
    """
    folder = folder_of(data_dir)
    with LOCK:
        if folder in _MANIFESTS:
            return _MANIFESTS[folder]
        errors: list[DataError] = []
        blob = read_file("manifest.json", folder, errors)
        manifest, trusted = None, False
        if blob is not None:
            # the packaged manifest as built is read unchecked; any other, strictly
            trusted = folder is None and as_built("manifest.json", blob)
            doc = parse_json("manifest.json", blob, not trusted, errors)
            if doc is not None:
                manifest = _as_built(doc, folder) if trusted else _checked(doc, folder, errors)
        if errors or manifest is None:
            msg = "cannot read the bio2map data manifest"
            raise group(msg, errors)
        _MANIFESTS[folder] = manifest
        if trusted:
            _AS_BUILT.add(manifest)
        return manifest


def forget(folder: str) -> None:
    """Drop the cached manifest of the data folder ``folder`` (after it was replaced)."""
    with LOCK:
        for key in (folder, os.path.abspath(folder)):  # noqa: PTH100 - a str key
            _AS_BUILT.discard(_MANIFESTS.pop(key, None))
