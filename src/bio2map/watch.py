"""Watch the upstream BIO2 text: has a new draft been published, and what does it change?

:func:`watch` reads the BIO2 measures page (``docs/maatregelen/index.md``) from a
source, compares it by fingerprint with the latest packaged draft (or another one)
and, when it differs, parses it with :mod:`bio2map.drafts.parser` and diffs it
against that draft with :mod:`bio2map.drafts.diff`. :func:`write_data` turns the text
into a data folder (the packaged data plus the draft ``upstream``) that
``bio2map.load(data_dir=..., bio2_version="upstream")`` and the CLI's ``--data-dir``
read before a bio2map release knows the draft.

This module also holds the one definition of a BIO2 draft data file
(:func:`draft_document`, :func:`draft_dataset`, :func:`draft_entry`,
:func:`data_json`): ``tasks/build_data.py`` builds the packaged drafts with it, so a
written ``upstream`` draft has exactly the structure and fingerprints of a packaged
one, and never a sentence of the text.

Sources (the ``source`` argument of :func:`watch`):

* a git clone of the BIO2 repository (a folder with ``.git``): the file at the
  checked-out commit (``HEAD``; changes not committed are not read), with the commit
  id and its committer date;
* a folder laid out like the repository (``<folder>/docs/maatregelen/index.md``);
* a single markdown file;
* ``"download"``: the file at the head of the upstream branch (``main``), over HTTPS,
  with the rules of ``--texts download`` (see :mod:`bio2map.drafts.sources`): https only
  (http only to the local machine, and to no proxy), redirects checked the same way,
  at most 16 MiB, and a deadline for the whole download. ``$BIO2MAP_DOWNLOAD_URL``
  names a mirror: its ``{commit}`` is filled with the branch name and ``{path}``
  with ``docs/maatregelen/index.md``. The head changes, so nothing is cached.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from bio2map.core.errors import SourceError
from bio2map.drafts.datafile import (
    BIO2_REPOSITORY,
    DRAFT_ATTRIBUTION,
    DRAFT_LICENCE,
    data_json,
    draft_dataset,
    draft_document,
    draft_entry,
    git_blob_id,
)
from bio2map.drafts.upstream import (
    DOWNLOAD_DEADLINE,
    UPSTREAM_BRANCH,
    UPSTREAM_PATH,
    UpstreamText,
    clip,
    decode,
    read_source,
    source_lines,
)
from bio2map.drafts.watching import (
    CATEGORIES,
    UnassignedLine,
    UnknownCategoryError,
    WatchResult,
    WatchWriteError,
    figures,
    measures_from_document,
    parse_fail_on,
    tag_changes,
)

__all__ = [
    "BIO2_REPOSITORY",
    "CATEGORIES",
    "DOWNLOAD_DEADLINE",
    "DRAFT_ATTRIBUTION",
    "DRAFT_LICENCE",
    "UPSTREAM_BRANCH",
    "UPSTREAM_PATH",
    "UPSTREAM_SLUG",
    "UnassignedLine",
    "UnknownCategoryError",
    "WatchResult",
    "WatchWriteError",
    "data_json",
    "draft_dataset",
    "draft_document",
    "draft_entry",
    "git_blob_id",
    "json_schema",
    "parse_fail_on",
    "watch",
    "write_data",
]

UPSTREAM_SLUG: Final = "upstream"
"""The slug of the draft :func:`write_data` adds (``--bio2 upstream``)."""


def _latest(manifest: Any) -> str:
    drafts = manifest.raw_drafts
    if not drafts:
        msg = "the data holds no BIO2 draft to compare with"
        raise SourceError(msg)
    return str(drafts[-1]["slug"])


def watch(
    source: str | os.PathLike[str],
    against: str | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    url_template: str | None = None,
    branch: str = UPSTREAM_BRANCH,
    deadline: float = DOWNLOAD_DEADLINE,
) -> WatchResult:
    """Read the BIO2 measures page from ``source`` and compare it with a packaged draft.

    The text is compared by sha256 first: the same bytes as the packaged draft mean
    unchanged, and nothing is parsed. Otherwise it is parsed with the draft parser
    (any known layout, no code change for a new draft); when the parser places every
    line, it is diffed against the packaged draft on the packaged figures
    (fingerprints, MinHash signatures, word counts), and the diff's impact is mapped
    to NIS2 and 2024/2690 with that draft's catalog.

    Args:
        source: a git clone of the BIO2 repository, a folder laid out like it, a
            markdown file, or ``"download"`` (see the module docs). A file or folder
            literally called ``download`` is ``./download``.
        against: the packaged draft to compare with (slug or label); None: the latest
            (the last in the manifest, ``upstream`` in a folder :func:`write_data`
            wrote).
        data_dir: a data folder in place of the packaged data (see :func:`bio2map.core.reader`).
        url_template: for ``"download"``: the URL with ``{commit}`` (filled with
            ``branch``) and ``{path}``; default ``$BIO2MAP_DOWNLOAD_URL`` or the
            upstream repository.
        branch: the branch whose head ``"download"`` reads.
        deadline: seconds the whole download may take.

    Returns:
        A :class:`WatchResult`: ``changed`` False when the bytes are the packaged
        draft's; ``unassigned`` not empty when the parser could not read the text
        fully (then nothing was compared).

    Raises:
        SourceError: the source cannot be read (missing, not UTF-8, no such file in the
            clone, download refused or failed).
        DraftParseError: the text holds no BIO2 measure at all.
        UnknownVersionError: ``against`` names no packaged draft.

    Examples:
        >>> import bio2map, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "maatregelen.md").write_text("## 5.01.01\\nDe tekst.\\n")
        >>> r = bio2map.watch(folder / "maatregelen.md")
        >>> r.status, r.categories()["added"], r.categories()["removed"]
        ('changed', 0, 165)

    .. versionadded:: 0.1.0
    """
    from bio2map.core.reader import read_manifest

    manifest = read_manifest(data_dir)
    slug = _latest(manifest) if against is None else manifest.draft_slug(against)
    pinned = next(str(d["sha256"]) for d in manifest.raw_drafts if d["slug"] == slug)
    read = read_source(source, url_template, branch, deadline)
    text = decode(read)
    sha = hashlib.sha256(read.data).hexdigest()
    common: dict[str, Any] = {
        "source": os.fspath(source),
        "kind": read.kind,
        "origin": read.origin,
        "commit": read.commit,
        "date": read.date,
        "sha256": sha,
        "git_blob": git_blob_id(read.data),
        "size": len(read.data),
        "against": slug,
        "against_sha256": pinned,
        "text": text,
    }
    if sha == pinned:
        return WatchResult(changed=False, **common)
    return _changed(read, text, slug, data_dir, common)


def _changed(
    read: UpstreamText,
    text: str,
    slug: str,
    data_dir: str | os.PathLike[str] | None,
    common: dict[str, Any],
) -> WatchResult:
    """The result for a text whose bytes differ from draft ``slug``'s: parse it, then
    (when every line is placed) diff it against that draft on the packaged figures."""
    from bio2map.api import load
    from bio2map.drafts import parser as bio2md
    from bio2map.drafts.diff import diff_measures

    parsed = bio2md.parse(text, source=read.origin)
    if parsed.unassigned:
        lines = source_lines(text)
        unassigned = tuple(UnassignedLine(n, clip(lines[n - 1])) for n in parsed.unassigned)
        return WatchResult(changed=True, layout=parsed.layout, unassigned=unassigned, **common)
    old_catalog = load(slug, data_dir=data_dir)
    doc, _, _ = draft_document(
        read.data,
        slug=UPSTREAM_SLUG,
        label="",
        status="",
        date="",
        commit="",
        source_path=UPSTREAM_PATH,
        parsed=parsed,
        known=figures(old_catalog.measures),
    )
    new = measures_from_document(doc, UPSTREAM_SLUG)
    d = diff_measures(
        old_catalog.measures,
        new,
        old_label=slug,
        new_label=UPSTREAM_SLUG,
        catalog=old_catalog,
        texts=False,
    )
    tags = tag_changes(d, old_catalog.measures, new)
    return WatchResult(changed=True, layout=parsed.layout, diff=d, tags=tags, **common)


# --- writing a data folder ------------------------------------------------------------------


def write_data(
    result: WatchResult,
    folder: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a data folder: the packaged data (or ``data_dir``) plus the text as ``upstream``.

    The new draft file holds structure and fingerprints only, built by
    :func:`draft_document` exactly as the packaged drafts are; the manifest gets a
    dataset ``bio2-upstream`` and a draft ``upstream`` (status ``upstream``, dated by
    its commit, else by the day it is written; an ``upstream`` draft already in
    ``data_dir`` is replaced). The default draft is left as it is.

    The folder is written next to its final place, loaded and verified like any data
    folder, and only then renamed into place: a reader sees the old folder or the
    whole new one, never a part (when an old folder is replaced, it is renamed aside
    first, so for an instant there is none). An existing ``folder`` is replaced only
    when it is empty or a data folder (it holds a ``manifest.json``); on any failure
    it is left as it was and nothing else is left behind.

    Args:
        result: what :func:`watch` returned (changed or not, but readable).
        folder: where to write.
        data_dir: the data to start from (default: the packaged data).

    Returns:
        The folder written.

    Raises:
        WatchWriteError: the text could not be read fully, or the folder cannot be
            written or would replace something that is not a data folder.

    .. versionadded:: 0.1.0
    """
    from bio2map.core import resources as _resources
    from bio2map.core.reader import read_manifest

    target = Path(folder)
    if not result.readable:
        msg = (
            f"not writing {os.fspath(target)!r}: the draft parser cannot place "
            f"{len(result.unassigned)} lines of {result.origin}"
        )
        raise WatchWriteError(msg)
    if result.text is None:
        msg = f"not writing {os.fspath(target)!r}: the watch result carries no text"
        raise WatchWriteError(msg)
    raw = result.text.encode("utf-8")
    date = (result.date or "")[:10] or time.strftime("%Y-%m-%d", time.gmtime())
    label = f"BIO2 upstream {result.commit[:7]}" if result.commit else "BIO2 upstream"
    doc, counts, meta = draft_document(
        raw,
        slug=UPSTREAM_SLUG,
        label=f"{label} ({date})",
        status="upstream",
        date=date,
        commit=result.commit or "",
        source_path=UPSTREAM_PATH,
        source_repository=BIO2_REPOSITORY if result.kind in ("git", "download") else "",
    )
    manifest = read_manifest(data_dir)
    base = json.loads(_resources.read_bytes("manifest.json", manifest.folder))
    name = f"bio2-{UPSTREAM_SLUG}"
    file = f"{name}.json"
    datasets = [d for d in base["datasets"] if d["name"] != name]
    drafts = [d for d in base["bio2_drafts"] if d["slug"] != UPSTREAM_SLUG]
    files = {d["file"]: _resources.read_bytes(d["file"], manifest.folder) for d in datasets}
    blob = data_json(doc)
    files[file] = blob
    datasets.append(draft_dataset(meta, file, blob, counts, source=result.origin))
    drafts.append(draft_entry(meta, file, counts))
    files["manifest.json"] = data_json({**base, "datasets": datasets, "bio2_drafts": drafts})
    _publish(target, files)
    return target


def _forget(folder: str) -> None:
    """Drop the loader's cached manifest, datasets and catalogs of ``folder``."""
    from bio2map.api import forget

    forget(folder)


def _check(folder: Path) -> None:
    """Load the new folder as any data folder is loaded; raise what that raises."""
    from bio2map.api import load
    from bio2map.core.errors import DataError, DataErrorGroup
    from bio2map.core.reader import read_manifest

    try:
        problems = read_manifest(folder).verify()
        if problems:
            errors = [DataError("manifest.json", "", "", p) for p in problems]
            msg = "the data folder does not verify"
            raise DataErrorGroup(msg, errors)
        load(UPSTREAM_SLUG, data_dir=folder)
    finally:
        _forget(os.fspath(folder))


def _publish(target: Path, files: Mapping[str, bytes]) -> None:
    import shutil
    import tempfile

    shown = os.fspath(target)
    if target.exists() and not target.is_dir():
        msg = f"cannot write the data folder {shown!r}: it is a file"
        raise WatchWriteError(msg)
    if target.is_dir() and not (target / "manifest.json").is_file() and any(target.iterdir()):
        msg = (
            f"not writing the data folder {shown!r}: it holds files but no manifest.json, "
            "so it is not a bio2map data folder; give an empty or new folder"
        )
        raise WatchWriteError(msg)
    parent = target.absolute().parent
    tmp: Path | None = None
    old: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
        tmp.chmod(0o755)
        for name, blob in sorted(files.items()):
            with (tmp / name).open("wb") as f:
                f.write(blob)
                f.flush()
                os.fsync(f.fileno())
        _check(tmp)
        if target.is_dir():
            old = tmp.with_suffix(".old")
            target.rename(old)
            try:
                tmp.rename(target)
            except OSError:
                old.rename(target)
                old = None
                raise
        else:
            tmp.rename(target)
        tmp = None
    except OSError as exc:
        msg = f"cannot write the data folder {shown!r}: {exc.strerror or exc}"
        raise WatchWriteError(msg) from exc
    finally:
        for leftover in (tmp, old):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
        _forget(shown)


# --- the JSON schema ---------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of :meth:`WatchResult.as_dict` and of
    ``bio2map watch --format json`` (which adds ``fail_on``, ``failed`` and
    ``data_dir``)."""
    path = Path(__file__).with_name("schemas") / "watch.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


class _CallableModule(types.ModuleType):
    def __call__(
        self, source: str | os.PathLike[str], against: str | None = None, **kwargs: Any
    ) -> WatchResult:
        return watch(source, against, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
