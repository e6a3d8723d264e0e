"""Read the packaged JSON data and validate all of it.

Raw layer, then validated layer: each file is parsed to plain JSON values, every
field is checked, and every problem found in any file is collected. Loading fails
with one :class:`~bio2map.core.errors.DataErrorGroup` that lists them all, each with its
file and JSON pointer (``nis2.json: /requirements/3/parent: unknown id 'nis2:99'``).

No network here, ever. Loaded catalogs are cached per (data folder, BIO2 draft),
built once under a lock.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from types import MappingProxyType

from bio2map.core import resources as _resources
from bio2map.core.errors import DataError, DataErrorGroup, UnknownVersionError
from bio2map.core.vocab import BIO2_KINDS, RELATIONSHIPS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeAlias, TypeVar

    from bio2map.core.records import Dataset, Draft

__all__ = ["Manifest", "read_manifest", "read_raw", "use_data_dir"]

if TYPE_CHECKING:
    T = TypeVar("T")

_NIS2_KINDS = frozenset({"article", "paragraph", "subparagraph", "point", "part"})
# The keys each object of the packaged data may have (src/bio2map/data/README.md);
# any other key is refused with its file and JSON pointer.
_DATASET_KEYS = frozenset(
    {"attribution", "counts", "file", "licence", "name", "sha256", "source", "title", "version"}
)
_DRAFT_ENTRY_KEYS = frozenset(
    {"bytes", "commit", "counts", "date", "file", "git_blob", "label", "layout", "sha256"}
    | {"slug", "source_path", "source_repository", "status"}
)
_NIS2_KEYS = frozenset(
    {"addressed_by", "assessable", "id", "kind", "label", "law", "parent", "ref", "seq"}
)
_CBW_KEYS = frozenset({"id", "label", "ref", "seq"})
_LINK_KEYS = frozenset({"basis", "kind", "relationship", "source", "target"})
_IR_KEYS = frozenset(
    {"assessable", "basis", "id", "kind", "label", "parent", "points", "ref", "section", "seq"}
)
_ISO_KEYS = frozenset({"attributes", "id", "kind", "parent", "ref", "seq", "theme", "title"})
_ATTRIBUTE_KEYS = frozenset(
    {"control_type", "cybersecurity_concepts", "information_security_properties"}
    | {"operational_capabilities", "security_domains"}
)
_PAIR_KEYS: frozenset[str] = frozenset()  # pairs are arrays, not objects
_MEASURE_KEYS = frozenset(
    {"control", "fingerprint", "id", "kind", "label_en", "label_nl", "nis2", "numbered"}
    | {"rationale", "seq", "signature", "tag_line", "tags", "target", "words"}
)
_ISO2013_KEYS = frozenset({"id", "kind", "ref", "seq", "title"})
_CORRESPONDENCE_KEYS = frozenset({"relationship", "source", "target"})
_CBWCF_KEYS = frozenset(
    {"addressed_by", "assessable", "id", "kind", "label_en", "label_nl", "law", "parent"}
    | {"ref", "seq", "source_ref"}
)
_TOP_KEYS = {
    "manifest": frozenset({"bio2_drafts", "data_version", "datasets", "default_bio2", "format"}),
    "nis2": frozenset({"cbw", "dataset", "links", "requirements"}),
    "ir2690": frozenset({"dataset", "requirements"}),
    "iso27001-2022": frozenset({"attributes_source", "attributes_verified", "dataset", "nodes"}),
    "enisa-ir2690-iso27001": frozenset(
        {"columns", "dataset", "edge_source", "inherited", "inherited_columns", "pairs"}
    ),
    "bio2": frozenset({"dataset", "draft", "measures"}),
    "iso27001-2013": frozenset(
        {"correspondence", "dataset", "new_in_2022", "nodes", "relationship_basis"}
    ),
    "cbwcf": frozenset({"dataset", "links", "nodes"}),
}
_BIO2_DRAFT_KEYS = _DRAFT_ENTRY_KEYS - {"counts", "file"}
_IR_KINDS = frozenset({"section", "subsection", "paragraph", "point", "subpoint"})
_ISO_KINDS = frozenset({"clause", "theme", "control"})
_ADDRESSED = frozenset({"controls", "legislation", "none"})
_BASES = frozenset({"section_heading", "explicit_text", "inferred_subject"})
_THEMES = frozenset({"organizational", "people", "physical", "technological"})
_ISO2013_KINDS = frozenset({"clause", "control"})
_CBWCF_KINDS = frozenset({"group", "theme", "control"})
_CBWCF_ADDRESSED = frozenset({"controls", "process"})
_CBWCF_BASES = frozenset({"explicit_node_name", "inferred_theme"})


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            msg = f"duplicate key {k!r}"
            raise ValueError(msg)
        out[k] = v
    return out


_MISSING = object()
_MAX_LISTED = 1000  # problems a DataErrorGroup lists; the rest are counted


def _describe(value: Any, width: int = 60) -> str:
    """A short, safe picture of a JSON value for a message: never the repr of a deep or
    huge list or object (that could raise RecursionError or take megabytes)."""
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _group(message: str, errors: list[DataError]) -> DataErrorGroup:
    """One DataErrorGroup of at most ``_MAX_LISTED`` problems (and a count of the rest)."""
    if len(errors) > _MAX_LISTED:
        more = len(errors) - _MAX_LISTED
        last = errors[_MAX_LISTED]
        errors = [*errors[:_MAX_LISTED], DataError(last.file, "", "", f"and {more} more problems")]
    return DataErrorGroup(message, errors)


if TYPE_CHECKING:
    from bio2map.core.raw import (
        RawAttributes,
        RawControl,
        RawEdge,
        RawMeasure,
        RawNode,
        RawRequirement,
    )

    # a manifest entry (dataset or draft) as read from manifest.json, validated
    RawEntry: TypeAlias = dict[str, Any]


# Loading builds plain validated values (bio2map.core.raw); the catalog turns them into
# attrs records only when someone asks for one. That keeps attrs off the cold path.
def _Requirement(**fields: Any) -> RawRequirement:  # noqa: N802 - reads like its record
    return {"record": "Requirement", **fields}  # type: ignore[typeddict-item]


def _Control(**fields: Any) -> RawControl:  # noqa: N802
    return {"record": "Control", **fields}  # type: ignore[typeddict-item]


def _Measure(**fields: Any) -> RawMeasure:  # noqa: N802
    return {"record": "Measure", **fields}  # type: ignore[typeddict-item]


def _Attributes(**fields: Any) -> RawAttributes:  # noqa: N802
    return {"record": "Attributes", **fields}  # type: ignore[typeddict-item]


def _Mapping(  # noqa: N802 - reads like the record it stands for
    *,
    source: str,
    target: str,
    relationship: str,
    kind: str,
    basis: str,
    dataset: str,
    sources: tuple[str, ...] = (),
) -> RawEdge:
    return (source, target, relationship, kind, basis, dataset, sources)


class _Checker:
    """Collects problems for one file; typed getters that never raise."""

    def __init__(self, file: str, errors: list[DataError]) -> None:
        self.file = file
        self.errors = errors
        self.bad: set[str] = set()

    def err(self, ptr: str, field: str, message: str) -> None:
        self.bad.add(ptr)
        self.errors.append(DataError(self.file, ptr, field, message))

    def get(self, obj: Any, key: str, ptr: str, typ: type[T] | tuple[type, ...], default: T) -> T:
        if type(obj) is dict:
            value = obj.get(key, _MISSING)
            if type(value) is typ:  # the fast path: exact type (bool is not int here)
                return value
        return self._get_slow(obj, key, ptr, typ, default)

    def _get_slow(
        self, obj: Any, key: str, ptr: str, typ: type[T] | tuple[type, ...], default: T
    ) -> T:
        if not isinstance(obj, dict):
            if ptr not in self.bad:  # once per value, not once per field asked of it
                self.err(ptr, "", f"expected an object, got {type(obj).__name__}")
            return default
        if key not in obj:
            self.err(f"{ptr}/{key}", key, "missing field")
            return default
        value = obj[key]
        ok = isinstance(value, typ) and not (isinstance(value, bool) and typ is int)
        if not ok:
            name = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
            self.err(
                f"{ptr}/{key}",
                key,
                f"expected {name}, got {type(value).__name__} {_describe(value)}",
            )
            return default
        return value  # type: ignore[no-any-return]

    def optional(self, obj: Any, key: str, ptr: str, typ: type[T], default: T) -> T:
        """A key that may be left out (checked like any other when it is there)."""
        if isinstance(obj, dict) and key not in obj:
            return default
        return self.get(obj, key, ptr, typ, default)

    def opt_str(self, obj: Any, key: str, ptr: str) -> str | None:
        if isinstance(obj, dict) and obj.get(key, 0) is None:
            return None
        return self.get(obj, key, ptr, str, "")

    def strs(self, obj: Any, key: str, ptr: str) -> tuple[str, ...]:
        values = self.get(obj, key, ptr, list, [])
        out = []
        for i, v in enumerate(values):
            if isinstance(v, str):
                out.append(v)
            else:
                self.err(f"{ptr}/{key}/{i}", key, f"expected str, got {type(v).__name__}")
        return tuple(out)

    def choice(
        self, obj: Any, key: str, ptr: str, allowed: Iterable[str], default: str = ""
    ) -> str:
        """The str at ``key``, which must be one of ``allowed``."""
        value = self.get(obj, key, ptr, str, default)
        self.one_of(value, allowed, ptr, key)
        return value

    def prefixed_id(self, obj: Any, ptr: str, prefix: str) -> str:
        """The ``id`` of ``obj``, which must start with ``prefix`` (``nis2:``)."""
        rid = self.get(obj, "id", ptr, str, "")
        if not rid.startswith(prefix):
            self.err(f"{ptr}/id", "id", f"{rid!r} must start with {prefix!r}")
        return rid

    def one_of(self, value: str, allowed: Iterable[str], ptr: str, field: str) -> None:
        allowed = tuple(allowed)
        if value not in allowed and f"{ptr}/{field}" not in self.bad and ptr not in self.bad:
            self.err(
                f"{ptr}/{field}", field, f"{value!r} must be one of {', '.join(sorted(allowed))}"
            )

    def items(self, doc: Any, key: str, known: frozenset[str]) -> list[tuple[str, Any]]:
        """The objects of the list ``doc[key]``, each checked for keys not in ``known``."""
        values = self.get(doc, key, "", list, [])
        out = [(f"/{key}/{i}", v) for i, v in enumerate(values)]
        for ptr, v in out:
            self.known_keys(v, ptr, known)
        return out

    def known_keys(self, obj: Any, ptr: str, known: frozenset[str]) -> None:
        """Refuse keys the format does not define (src/bio2map/data/README.md)."""
        if isinstance(obj, dict):
            for key in sorted(k for k in obj if k not in known):
                self.err(f"{ptr}/{key}", key, f"unknown key {key!r}")


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
            digest = _sha256(blob)
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


def _sha256(blob: bytes) -> str:
    import hashlib

    return hashlib.sha256(blob).hexdigest()


def _read(name: str, folder: str | None, errors: list[DataError]) -> bytes | None:
    try:
        return _resources.read_bytes(name, folder)
    except OSError as e:
        errors.append(DataError(name, "", "", f"cannot read: {e.strerror or e}"))
        return None


def _parse_json(name: str, blob: bytes, strict: bool, errors: list[DataError]) -> Any:
    """The JSON object in ``blob``, or None with the problem added to ``errors``.

    Every way a file can be corrupt ends here as a DataError naming the file: not UTF-8,
    not JSON (truncated, garbled), nested deeper than Python can parse, or a top-level
    value that is not an object (``null``, a list, a number).
    """
    try:
        text = blob.decode("utf-8")
        hook = _reject_duplicates if strict else None
        doc = json.loads(text, object_pairs_hook=hook)
    except UnicodeDecodeError as e:
        errors.append(DataError(name, f"byte {e.start}", "", "not UTF-8"))
    except json.JSONDecodeError as e:
        errors.append(
            DataError(name, f"line {e.lineno} column {e.colno}", "", f"invalid JSON: {e.msg}")
        )
    except ValueError as e:
        errors.append(DataError(name, "", "", f"invalid JSON: {e}"))
    except RecursionError:
        errors.append(DataError(name, "", "", "invalid JSON: nested too deeply"))
    else:
        if isinstance(doc, dict):
            return doc
        top = "null" if doc is None else _describe(doc)
        errors.append(DataError(name, "", "", f"expected a JSON object at the top, got {top}"))
    return None


def _counts(c: _Checker, obj: Any, ptr: str) -> tuple[tuple[str, int], ...]:
    counts = c.get(obj, "counts", ptr, dict, {})
    out = []
    for k, v in sorted(counts.items()):
        if isinstance(v, int) and not isinstance(v, bool):
            out.append((k, v))
        else:
            c.err(f"{ptr}/counts/{k}", k, f"expected int, got {type(v).__name__}")
    return tuple(out)


def _manifest_from(doc: Any, folder: str | None, errors: list[DataError]) -> Manifest:
    c = _Checker("manifest.json", errors)
    c.known_keys(doc, "", _TOP_KEYS["manifest"])
    fmt = c.get(doc, "format", "", int, 1)
    if fmt != 1:
        c.err("/format", "format", f"unsupported data format {fmt!r} (this bio2map reads 1)")
    datasets: list[RawEntry] = []
    for ptr, d in c.items(doc, "datasets", _DATASET_KEYS):
        datasets.append(
            {
                "name": c.get(d, "name", ptr, str, ""),
                "version": c.get(d, "version", ptr, str, ""),
                "file": c.get(d, "file", ptr, str, ""),
                "sha256": c.get(d, "sha256", ptr, str, ""),
                "title": c.get(d, "title", ptr, str, ""),
                "source": c.get(d, "source", ptr, str, ""),
                "licence": c.get(d, "licence", ptr, str, ""),
                "attribution": c.get(d, "attribution", ptr, str, ""),
                "counts": _counts(c, d, ptr),
            }
        )
    drafts: list[RawEntry] = []
    for ptr, d in c.items(doc, "bio2_drafts", _DRAFT_ENTRY_KEYS):
        drafts.append(
            {
                "slug": c.get(d, "slug", ptr, str, ""),
                "label": c.get(d, "label", ptr, str, ""),
                "status": c.get(d, "status", ptr, str, ""),
                "date": c.get(d, "date", ptr, str, ""),
                "commit": c.get(d, "commit", ptr, str, ""),
                "source_path": c.get(d, "source_path", ptr, str, ""),
                "sha256": c.get(d, "sha256", ptr, str, ""),
                "layout": c.get(d, "layout", ptr, str, ""),
                "file": c.get(d, "file", ptr, str, ""),
                "counts": _counts(c, d, ptr),
            }
        )
    default = c.get(doc, "default_bio2", "", str, "")
    if drafts and default not in {d["slug"] for d in drafts}:
        c.err("/default_bio2", "default_bio2", f"{default!r} is not a listed draft")
    return Manifest(
        tuple(datasets), tuple(drafts), default, c.get(doc, "data_version", "", str, ""), folder
    )


_MANIFESTS: dict[str | None, Manifest] = {}
_LOCK = threading.RLock()


_DATA_DIR: ContextVar[str | None] = ContextVar("bio2map_data_dir", default=None)


def _folder(data_dir: str | os.PathLike[str] | None) -> str | None:
    return _DATA_DIR.get() if data_dir is None else os.fspath(data_dir)


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
    token = _DATA_DIR.set(folder)
    return lambda: _DATA_DIR.reset(token)


def read_manifest(data_dir: str | os.PathLike[str] | None = None) -> Manifest:
    """Return the (cached) manifest of the packaged data, or of ``data_dir``.

    With ``data_dir`` None, the folder set by :func:`use_data_dir` is read, if any.

    Raises:
        DataErrorGroup: the manifest is missing or malformed.
    """
    folder = _folder(data_dir)
    with _LOCK:
        if folder in _MANIFESTS:
            return _MANIFESTS[folder]
        errors: list[DataError] = []
        blob = _read("manifest.json", folder, errors)
        doc = _parse_json("manifest.json", blob, True, errors) if blob is not None else None
        manifest = _manifest_from(doc, folder, errors) if doc is not None else None
        if errors or manifest is None:
            msg = "cannot read the bio2map data manifest"
            raise _group(msg, errors)
        _MANIFESTS[folder] = manifest
        return manifest


# --- building ---------------------------------------------------------------------


_SHARED_DATASETS = (
    *("nis2", "ir2690", "iso27001-2022", "enisa-ir2690-iso27001"),
    *("iso27001-2013", "cbwcf"),
)
_DOCS: dict[tuple[str | None, str], tuple[str, Any]] = {}


def read_raw(manifest: Manifest, slug: str) -> tuple[dict[str, RawNode], tuple[RawEdge, ...]]:
    """Read and validate the datasets of one BIO2 draft: fresh raw nodes and edges.

    The shared datasets (NIS2, 2024/2690, ISO, ENISA) are read and parsed once per
    process and data folder, whatever the number of drafts loaded; every call returns
    its own dict of nodes.

    Raises:
        DataErrorGroup: the data is broken; every problem is listed.
    """
    with _LOCK:
        return _read_raw(manifest, slug)


def _read_raw(manifest: Manifest, slug: str) -> tuple[dict[str, RawNode], tuple[RawEdge, ...]]:
    errors: list[DataError] = []
    docs: dict[str, Any] = {}
    by_name = {d["name"]: d for d in manifest.raw_datasets}
    needed = [*_SHARED_DATASETS, f"bio2-{slug}"]
    for name in needed:
        cached = _DOCS.get((manifest.folder, name))
        if cached is not None:
            docs[name] = cached
            continue
        ds = by_name.get(name)
        if ds is None:
            errors.append(
                DataError("manifest.json", "/datasets", "name", f"no dataset named {name!r}")
            )
            continue
        blob = _read(ds["file"], manifest.folder, errors)
        if blob is None:
            continue
        # The packaged files are checked by their wheel's RECORD at install time and by
        # Manifest.verify() on request; hashing them on every load would cost more than
        # reading them. Data from a user's folder is always hashed and parsed strictly.
        verified = manifest.folder is None
        digest = "" if verified else _sha256(blob)
        if not verified and digest != ds["sha256"]:
            errors.append(
                DataError(
                    ds["file"],
                    "",
                    "sha256",
                    f"file does not match the manifest (sha256 {digest[:12]}…, "
                    f"manifest {ds['sha256'][:12]}…)",
                )
            )
        doc = _parse_json(ds["file"], blob, not verified, errors)
        if doc is not None:
            docs[name] = (ds["file"], doc)
            if name in _SHARED_DATASETS and (verified or digest == ds["sha256"]):
                _DOCS[(manifest.folder, name)] = docs[name]  # parsed once per process
    if len(docs) < len(needed):
        msg = "cannot load the bio2map data"
        raise _group(msg, errors)

    nodes: dict[str, RawNode] = {}
    edges = _Edges()
    node_where: dict[str, tuple[str, str]] = {}

    def add_node(c: _Checker, ptr: str, node: RawNode) -> None:
        nid = node["id"]
        if not nid:
            return
        if nid in nodes:
            c.err(f"{ptr}/id", "id", f"duplicate id {nid!r}")
        else:
            nodes[nid] = node
            node_where[nid] = (c.file, ptr)

    nis2_file, nis2 = docs["nis2"]
    _nis2(_Checker(nis2_file, errors), nis2, add_node, edges, by_name["nis2"])
    ir_file, ir = docs["ir2690"]
    _ir2690(_Checker(ir_file, errors), ir, add_node, edges, by_name["ir2690"])
    iso_file, iso = docs["iso27001-2022"]
    _iso(_Checker(iso_file, errors), iso, add_node)
    en_file, en = docs["enisa-ir2690-iso27001"]
    _enisa(_Checker(en_file, errors), en, edges, by_name["enisa-ir2690-iso27001"])
    old_file, old = docs["iso27001-2013"]
    new_in_2022 = _iso2013(
        _Checker(old_file, errors), old, add_node, edges, by_name["iso27001-2013"]
    )
    cf_file, cf = docs["cbwcf"]
    _cbwcf(_Checker(cf_file, errors), cf, add_node, edges, by_name["cbwcf"])
    b_file, b = docs[f"bio2-{slug}"]
    _bio2(_Checker(b_file, errors), b, slug, add_node, edges, by_name[f"bio2-{slug}"])

    _check_references(nodes, node_where, edges, errors)
    _check_new_in_2022(old_file, new_in_2022, nodes, edges, errors)
    if errors:
        msg = "the bio2map data is broken"
        raise _group(msg, errors)
    return nodes, tuple(edges.items)


if TYPE_CHECKING:
    _AddNode: TypeAlias = Callable[[_Checker, str, RawNode], None]


class _Edges:
    """Edges in load order, each with the file and JSON pointer it came from."""

    def __init__(self) -> None:
        self.items: list[RawEdge] = []
        self.where: list[tuple[str, str, str, str]] = []

    def add(
        self,
        c: _Checker,
        ptr: str,
        edge: RawEdge,
        source_field: str = "source",
        target_field: str = "target",
    ) -> None:
        self.items.append(edge)
        self.where.append((c.file, ptr, source_field, target_field))


def _nis2(c: _Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["nis2"])
    for ptr, r in c.items(doc, "requirements", _NIS2_KEYS):
        kind = c.choice(r, "kind", ptr, _NIS2_KINDS, "")
        by = c.choice(r, "addressed_by", ptr, _ADDRESSED, "controls")
        rid = c.prefixed_id(r, ptr, "nis2:")
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="nis2",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                addressed_by=by,
                law=c.strs(r, "law", ptr),
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, r in c.items(doc, "cbw", _CBW_KEYS):
        add(
            c,
            ptr,
            _Requirement(
                id=c.get(r, "id", ptr, str, ""),
                framework="cbw",
                ref=c.get(r, "ref", ptr, str, ""),
                kind="article",
                parent=None,
                label=c.get(r, "label", ptr, str, ""),
                assessable=False,
                addressed_by="legislation",
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, e in c.items(doc, "links", _LINK_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        edges.add(
            c,
            ptr,
            _Mapping(
                source=c.get(e, "source", ptr, str, ""),
                target=c.get(e, "target", ptr, str, ""),
                relationship=rel,
                kind=c.get(e, "kind", ptr, str, ""),
                basis=c.get(e, "basis", ptr, str, ""),
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )


def _ir2690(c: _Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["ir2690"])
    source = (ds["attribution"],)
    for ptr, r in c.items(doc, "requirements", _IR_KEYS):
        kind = c.choice(r, "kind", ptr, _IR_KINDS, "")
        basis = c.choice(r, "basis", ptr, _BASES, "")
        rid = c.prefixed_id(r, ptr, "ir2690:")
        points = c.strs(r, "points", ptr)
        c.get(r, "section", ptr, int, 0)
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="ir2690",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                points=points,
                basis=basis,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
        for i, p in enumerate(points):
            edges.add(
                c,
                ptr,
                _Mapping(
                    source=rid,
                    target=p,
                    relationship="subset_of",
                    kind="implements",
                    basis=basis,
                    dataset=ds["name"],
                    sources=source,
                ),
                "id",
                f"points/{i}",
            )


def _iso(c: _Checker, doc: Any, add: _AddNode) -> None:
    c.known_keys(doc, "", _TOP_KEYS["iso27001-2022"])
    for ptr, r in c.items(doc, "nodes", _ISO_KEYS):
        kind = c.choice(r, "kind", ptr, _ISO_KINDS, "")
        rid = c.get(r, "id", ptr, str, "")
        standard = rid.partition(":")[0]
        if standard not in ("iso27001", "iso27002") or (standard == "iso27001") != (
            kind == "clause"
        ):
            c.err(f"{ptr}/id", "id", f"{rid!r} does not fit kind {kind!r}")
        theme = c.get(r, "theme", ptr, str, "")
        attributes = None
        if kind == "control":
            c.one_of(theme, _THEMES, ptr, "theme")
            a = c.get(r, "attributes", ptr, dict, {})
            aptr = f"{ptr}/attributes"
            c.known_keys(a, aptr, _ATTRIBUTE_KEYS)
            attributes = _Attributes(
                control_type=c.strs(a, "control_type", aptr),
                information_security_properties=c.strs(a, "information_security_properties", aptr),
                cybersecurity_concepts=c.strs(a, "cybersecurity_concepts", aptr),
                operational_capabilities=c.strs(a, "operational_capabilities", aptr),
                security_domains=c.strs(a, "security_domains", aptr),
                verified=bool(doc.get("attributes_verified", False))
                if isinstance(doc, dict)
                else False,
            )
        add(
            c,
            ptr,
            _Control(
                id=rid,
                standard=standard,
                kind=kind,
                ref=c.get(r, "ref", ptr, str, ""),
                title=c.get(r, "title", ptr, str, ""),
                parent=c.opt_str(r, "parent", ptr),
                theme=theme,
                attributes=attributes,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )


def _enisa(c: _Checker, doc: Any, edges: _Edges, ds: Mapping[str, Any]) -> None:
    c.known_keys(doc, "", _TOP_KEYS["enisa-ir2690-iso27001"])
    edge_source = c.get(doc, "edge_source", "", str, "")
    sources = (edge_source,) if edge_source else (ds["attribution"],)
    seen: set[tuple[str, str]] = set()
    for ptr, p in c.items(doc, "pairs", _PAIR_KEYS):
        if not (
            isinstance(p, list)
            and len(p) == 4
            and all(isinstance(x, str) for x in p[:3])
            and isinstance(p[3], int)
        ):
            c.err(
                ptr,
                "",
                f"expected [source, target, relationship, occurrences], got {_describe(p, 80)}",
            )
            continue
        _enisa_pair(c, ptr, p, "source_mapping", sources, seen, edges, ds)
    # The section tables ENISA gives for annex sections 7 and 9, inherited by bio2map to
    # the nodes the source left without one (basis "section_table").
    for ptr, p in c.items(doc, "inherited", _PAIR_KEYS):
        if not (isinstance(p, list) and len(p) == 4 and all(isinstance(x, str) for x in p)):
            c.err(
                ptr, "", f"expected [source, target, relationship, inherited_from], got {p!r:.80}"
            )
            continue
        note = (
            f"bio2map: the ENISA table of annex section {p[3].split(':')[-1].split('.')[0]} "
            f"(given on {p[3]}) inherited to {p[0]}"
        )
        _enisa_pair(c, ptr, p, "section_table", (*sources, note), seen, edges, ds)


def _enisa_pair(
    c: _Checker,
    ptr: str,
    p: list[Any],
    basis: str,
    sources: tuple[str, ...],
    seen: set[tuple[str, str]],
    edges: _Edges,
    ds: Mapping[str, Any],
) -> None:
    src, tgt, rel = p[0], p[1], p[2]
    if rel not in RELATIONSHIPS:
        c.err(f"{ptr}/2", "relationship", f"{rel!r} must be one of {', '.join(RELATIONSHIPS)}")
    if (src, tgt) in seen:
        c.err(ptr, "", f"duplicate pair {src} -> {tgt}")
    seen.add((src, tgt))
    edges.add(
        c,
        ptr,
        _Mapping(
            source=src,
            target=tgt,
            relationship=rel,
            kind="maps_to",
            basis=basis,
            dataset=ds["name"],
            sources=sources,
        ),
        "0",
        "1",
    )


def _bio2(
    c: _Checker, doc: Any, slug: str, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]
) -> None:
    c.known_keys(doc, "", _TOP_KEYS["bio2"])
    meta = c.get(doc, "draft", "", dict, {})
    c.known_keys(meta, "/draft", _BIO2_DRAFT_KEYS)
    if meta.get("slug") != slug:
        c.err(
            "/draft/slug",
            "slug",
            f"{_describe(meta.get('slug'))} does not match the manifest entry {slug!r}",
        )
    source = (f"BIO2 {slug}, Staat der Nederlanden (CC BY-SA 4.0)",)
    for ptr, m in c.items(doc, "measures", _MEASURE_KEYS):
        kind = c.choice(m, "kind", ptr, BIO2_KINDS, "")
        plain_id = c.get(m, "id", ptr, str, "")
        control = "iso27002:" + c.get(m, "control", ptr, str, "")
        target = c.opt_str(m, "target", ptr)
        mid = "bio2:" + plain_id
        if kind in ("moved", "see-other") and not target:
            c.err(f"{ptr}/target", "target", f"a {kind} marker needs a target")
        add(
            c,
            ptr,
            _Measure(
                id=mid,
                draft=slug,
                control=control,
                kind=kind,
                target=("bio2:" + target) if target else None,
                tags=c.strs(m, "tags", ptr),
                nis2_flag=c.get(m, "nis2", ptr, bool, False),
                fingerprint=c.get(m, "fingerprint", ptr, str, ""),
                label_nl=c.optional(m, "label_nl", ptr, str, ""),  # a watched draft has none
                label_en=c.optional(m, "label_en", ptr, str, ""),
                signature=c.get(m, "signature", ptr, str, ""),
                words=c.get(m, "words", ptr, int, 0),
                numbered=c.get(m, "numbered", ptr, bool, True),
                seq=c.get(m, "seq", ptr, int, 0),
            ),
        )
        edges.add(
            c,
            ptr,
            _Mapping(
                source=mid,
                target=control,
                relationship="subset_of",
                kind="refines",
                basis="numbering",
                dataset=ds["name"],
                sources=source,
            ),
            "id",
            "control",
        )


def _iso2013(
    c: _Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]
) -> tuple[str, ...]:
    """ISO/IEC 27001:2013 clauses and controls, and their edges to the 2022 ids.

    Returns the ``new_in_2022`` list (checked against the edges once all are read).
    """
    c.known_keys(doc, "", _TOP_KEYS["iso27001-2013"])
    basis = c.get(doc, "relationship_basis", "", str, "")
    for ptr, r in c.items(doc, "nodes", _ISO2013_KEYS):
        kind = c.choice(r, "kind", ptr, _ISO2013_KINDS, "")
        rid = c.get(r, "id", ptr, str, "")
        ref = c.get(r, "ref", ptr, str, "")
        if rid != "iso27001-2013:" + ref or (kind == "control") != ref.startswith("A."):
            c.err(f"{ptr}/id", "id", f"{rid!r} does not fit ref {ref!r} and kind {kind!r}")
        add(
            c,
            ptr,
            _Control(
                id=rid,
                standard="iso27001-2013",
                kind=kind,
                ref=ref,
                title=c.get(r, "title", ptr, str, ""),
                parent=None,
                theme="",
                attributes=None,
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    seen: set[tuple[str, str]] = set()
    for ptr, e in c.items(doc, "correspondence", _CORRESPONDENCE_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        src = c.get(e, "source", ptr, str, "")
        tgt = c.get(e, "target", ptr, str, "")
        if not src.startswith("iso27001-2013:") or not tgt.startswith(("iso27001:", "iso27002:")):
            c.err(ptr, "", f"expected a 2013 id -> a 2022 id, got {src!r} -> {tgt!r}")
        if (src, tgt) in seen:
            c.err(ptr, "", f"duplicate pair {src} -> {tgt}")
        seen.add((src, tgt))
        edges.add(
            c,
            ptr,
            _Mapping(
                source=src,
                target=tgt,
                relationship=rel,
                kind="migrates_to",
                basis=basis,
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )
    return c.strs(doc, "new_in_2022", "")


def _check_new_in_2022(
    file: str,
    new: tuple[str, ...],
    nodes: dict[str, Any],
    edges: _Edges,
    errors: list[DataError],
) -> None:
    """``new_in_2022`` lists exactly the 2022 controls no 2013 id leads to."""
    reached = {e[1] for e in edges.items if e[3] == "migrates_to"}
    for i, cid in enumerate(new):
        if cid not in nodes:
            errors.append(
                DataError(file, f"/new_in_2022/{i}", "new_in_2022", f"unknown id {cid!r}")
            )
        elif cid in reached:
            errors.append(
                DataError(file, f"/new_in_2022/{i}", "new_in_2022", f"{cid} has a 2013 predecessor")
            )
    missing = [
        nid
        for nid, n in nodes.items()
        if n["record"] == "Control"
        and n.get("standard") == "iso27002"
        and n["kind"] == "control"
        and nid not in reached
        and nid not in new
    ]
    if missing:
        errors.append(
            DataError(
                file,
                "/new_in_2022",
                "new_in_2022",
                f"controls without a 2013 predecessor not listed: {', '.join(missing)}",
            )
        )


def _cbwcf(c: _Checker, doc: Any, add: _AddNode, edges: _Edges, ds: Mapping[str, Any]) -> None:
    """The ADR & NOREA Cbw (NIS2) Control Framework: groups, themes, controls, links."""
    c.known_keys(doc, "", _TOP_KEYS["cbwcf"])
    for ptr, r in c.items(doc, "nodes", _CBWCF_KEYS):
        kind = c.choice(r, "kind", ptr, _CBWCF_KINDS, "")
        by = c.choice(r, "addressed_by", ptr, _CBWCF_ADDRESSED, "")
        rid = c.prefixed_id(r, ptr, "cbwcf:")
        c.get(r, "source_ref", ptr, str, "")
        add(
            c,
            ptr,
            _Requirement(
                id=rid,
                framework="cbwcf",
                ref=c.get(r, "ref", ptr, str, ""),
                kind=kind,
                parent=c.opt_str(r, "parent", ptr),
                label=c.get(r, "label_en", ptr, str, ""),
                label_nl=c.get(r, "label_nl", ptr, str, ""),
                assessable=c.get(r, "assessable", ptr, bool, False),
                addressed_by=by,
                law=c.strs(r, "law", ptr),
                seq=c.get(r, "seq", ptr, int, 0),
            ),
        )
    for ptr, e in c.items(doc, "links", _LINK_KEYS):
        rel = c.choice(e, "relationship", ptr, RELATIONSHIPS, "")
        basis = c.choice(e, "basis", ptr, _CBWCF_BASES, "")
        kind = c.get(e, "kind", ptr, str, "")
        c.one_of(kind, ("evaluates",), ptr, "kind")
        edges.add(
            c,
            ptr,
            _Mapping(
                source=c.get(e, "source", ptr, str, ""),
                target=c.get(e, "target", ptr, str, ""),
                relationship=rel,
                kind=kind,
                basis=basis,
                dataset=ds["name"],
                sources=(ds["attribution"],),
            ),
        )


def _check_references(
    nodes: dict[str, Any],
    node_where: dict[str, tuple[str, str]],
    edges: _Edges,
    errors: list[DataError],
) -> None:
    """Every parent and every edge end must name a node (marker targets may dangle)."""
    for nid, node in nodes.items():
        parent = node.get("parent")
        if parent is not None and parent not in nodes:
            file, ptr = node_where[nid]
            errors.append(DataError(file, f"{ptr}/parent", "parent", f"unknown id {parent!r}"))
    for (source, target, *_), (file, ptr, sfield, tfield) in zip(
        edges.items, edges.where, strict=True
    ):
        if source and source not in nodes:
            errors.append(DataError(file, f"{ptr}/{sfield}", sfield, f"unknown id {source!r}"))
        if target and target not in nodes:
            errors.append(DataError(file, f"{ptr}/{tfield}", tfield, f"unknown id {target!r}"))


def forget(folder: str) -> None:
    """Drop what this process cached of the data folder ``folder`` (after it was replaced)."""
    with _LOCK:
        for key in (folder, os.path.abspath(folder)):  # noqa: PTH100 - a str key
            _MANIFESTS.pop(key, None)
            for k in [k for k in _DOCS if k[0] == key]:
                del _DOCS[k]
