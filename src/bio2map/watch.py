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
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from bio2map.core.errors import Bio2MapError, SourceError

if TYPE_CHECKING:
    from bio2map.core.records import Measure
    from bio2map.drafts.parser import ParsedDraft
    from bio2map.drafts.results import TagChange, VersionDiff

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

BIO2_REPOSITORY: Final = "https://github.com/MinBZK/Baseline-Informatiebeveiliging-Overheid"
"""The upstream repository of the BIO2 texts."""

DRAFT_LICENCE: Final = (
    "CC BY-SA 4.0 (Staat der Nederlanden); only ids, structure and fingerprints are packaged"
)
"""The licence note of every BIO2 draft dataset."""

DRAFT_ATTRIBUTION: Final = "Baseline Informatiebeveiliging Overheid 2 (BIO2), Staat der Nederlanden"
"""The attribution of every BIO2 draft dataset."""

UPSTREAM_SLUG: Final = "upstream"
"""The slug of the draft :func:`write_data` adds (``--bio2 upstream``)."""

UPSTREAM_BRANCH: Final = "main"
"""The branch whose head ``"download"`` reads."""

UPSTREAM_PATH: Final = "docs/maatregelen/index.md"
"""The measures page in the BIO2 repository (and in a folder laid out like it)."""

DOWNLOAD_DEADLINE: Final = 30.0
"""Seconds the whole of a ``"download"`` may take (connecting, waiting and reading)."""

CATEGORIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "added": "ids only in the new text",
        "removed": "ids only in the packaged draft",
        "retired": "ids that became a stub (moved, withdrawn or see-other)",
        "moved": "measures whose text now lives under another id (renumbering included)",
        "splits": "measures part of whose text now also lives in another measure",
        "merges": "measures whose text went into another measure",
        "reworded": "measures reworded substantively under the same id",
        "cosmetic": "measures reworded cosmetically (case, punctuation, list markup, term swaps)",
        "kind_changed": "ids whose kind changed (measure, no-measure, moved, withdrawn, see-other)",
        "tags": "measures whose contribution tags changed (the NIS2 tag included)",
        "nis2_tag": "measures whose NIS2 tag changed",
        "nis2": "NIS2 Art. 21(2) points the changes touch, plus the NIS2 tag changes",
        "ir2690": "2024/2690 requirements the changes touch",
        "controls": "ISO/IEC 27002 controls whose set of measures changed",
        "anomalies": "new stubs that do not add up, new duplicated texts",
    }
)
"""What changed, by category: the names ``--fail-on`` accepts (``any`` means all),
each with what it counts.

``reworded`` leaves cosmetic rewordings out (they are ``cosmetic``); ``tags`` and
``nis2_tag`` compare the new text with the packaged draft even when that draft
records no tags (a tag the text adds is a change); ``nis2``, ``ir2690`` and
``controls`` follow the diff's impact (an id added, removed or retired, a kind change,
a move, split or merge, or a substantive rewording; see :mod:`bio2map.drafts.diff`).
"""

_ALIASES: Final = MappingProxyType(
    {
        "kind": "kind_changed",
        "kinds": "kind_changed",
        "tag": "tags",
        "tags_changed": "tags",
        "substantive": "reworded",
        "move": "moved",
        "split": "splits",
        "merge": "merges",
        "anomaly": "anomalies",
    }
)
_NIS2_TAG: Final = "NIS2"
_LINE_CLIP: Final = 200


# --- the data file of one draft ----------------------------------------------------------


def data_json(obj: Any) -> bytes:
    """Serialise a data file the way the packaged data is written.

    Sorted keys, UTF-8 kept, one-space indent, a final newline: byte-for-byte
    reproducible.
    """
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def git_blob_id(raw: bytes) -> str:
    """The git blob id of ``raw`` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def draft_document(
    raw: bytes,
    *,
    slug: str,
    label: str,
    status: str,
    date: str,
    commit: str,
    source_path: str,
    source_repository: str = BIO2_REPOSITORY,
    parsed: ParsedDraft | None = None,
    known: Mapping[str, tuple[str, int]] | None = None,
) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
    """Build the data file of one BIO2 draft from its raw ``maatregelen.md``.

    Only structure is kept: ids, controls, kinds, marker targets, tags, flags, and
    for each text its fingerprint, MinHash signature and word count.

    Args:
        raw: the file's bytes (UTF-8).
        slug: the draft's slug (``1.3``, ``upstream``).
        label: its label (``BIO2 versie 1.3``).
        status: ``definitief``, ``concept``, ``upstream`` ...
        date: ``YYYY-MM-DD``.
        commit: the commit the file was read at (``""`` when unknown).
        source_path: the file's path in the repository.
        source_repository: the repository's URL (``""`` when unknown).
        parsed: the parsed text, when the caller has it already.
        known: fingerprint -> (signature, words) of texts whose figures are known
            already (another draft's measures): a text with an equal fingerprint
            has the same words, so its figures are taken, not computed again.

    Returns:
        ``(document, counts, meta)``: the JSON document of ``bio2-<slug>.json``, the
        counts for the manifest, and the draft's metadata (the document's ``draft``).

    Raises:
        DraftParseError: the text is not a BIO2 draft.
        UnicodeDecodeError: ``raw`` is not UTF-8 (only when ``parsed`` is None).
    """
    from collections import Counter

    from bio2map.drafts import parser as bio2md
    from bio2map.drafts import signatures as textsig

    if parsed is None:
        parsed = bio2md.parse(raw.decode("utf-8"), source=f"{slug}/maatregelen.md")
    known = known or {}
    measures = []
    for i, m in enumerate(parsed.measures, start=1):
        fp = bio2md.fingerprint(m.text)
        figures = known.get(fp)
        if figures is None:
            figures = (textsig.signature(m.text), len(textsig.words(m.text)))
        measures.append(
            {
                "id": m.id,
                "control": m.control,
                "kind": m.kind,
                "target": m.target,
                "tags": list(m.tags),
                "nis2": m.nis2_flag,
                "tag_line": m.tag_line,
                "rationale": m.rationale,
                "numbered": m.numbered,
                "fingerprint": fp,
                "signature": figures[0],
                "words": figures[1],
                "seq": i,
            }
        )
    kinds = Counter(m["kind"] for m in measures)
    counts = {
        "measure_ids": sum(1 for m in measures if m["numbered"]),
        "entries": len(measures),
        "measures": kinds["measure"],
        "no_measure": kinds["no-measure"],
        "moved": kinds["moved"],
        "withdrawn": kinds["withdrawn"],
        "see_other": kinds["see-other"],
        "unnumbered": sum(1 for m in measures if not m["numbered"]),
        "tag_lines": sum(1 for m in measures if m["tag_line"]),
        "controls_with_measures": len({m["control"] for m in measures if m["kind"] == "measure"}),
    }
    meta = {
        "slug": slug,
        "label": label,
        "status": status,
        "date": date,
        "commit": commit,
        "source_repository": source_repository,
        "source_path": source_path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "git_blob": git_blob_id(raw),
        "bytes": len(raw),
        "layout": parsed.layout,
    }
    doc = {"dataset": f"bio2-{slug}", "draft": meta, "measures": measures}
    return doc, counts, meta


def draft_dataset(
    meta: dict[str, Any], file: str, blob: bytes, counts: dict[str, int], *, source: str = ""
) -> dict[str, Any]:
    """The manifest's ``datasets`` entry of a draft file.

    Args:
        meta: the draft's metadata (from :func:`draft_document`).
        file: the file name (``bio2-<slug>.json``).
        blob: the file's bytes (their sha256 goes into the entry).
        counts: the draft's counts.
        source: where the text came from; default: the repository, path and commit.
    """
    slug = meta["slug"]
    if not source:
        source = f"{meta['source_repository']} {meta['source_path']} at commit {meta['commit']}"
    return {
        "name": f"bio2-{slug}",
        "version": slug,
        "file": file,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "title": f"BIO2 {slug} measures (structure only)",
        "source": source,
        "licence": DRAFT_LICENCE,
        "attribution": DRAFT_ATTRIBUTION,
        "counts": counts,
    }


def draft_entry(meta: dict[str, Any], file: str, counts: dict[str, int]) -> dict[str, Any]:
    """The manifest's ``bio2_drafts`` entry of a draft file."""
    return {**meta, "file": file, "counts": counts}


# --- errors and categories ------------------------------------------------------------------


class UnknownCategoryError(Bio2MapError, ValueError):
    """A ``--fail-on`` category that :data:`CATEGORIES` does not know.

    .. versionadded:: 0.1.0
    """

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(value)

    def __str__(self) -> str:
        what = f"unknown --fail-on category {self.value!r}" if self.value else "no category"
        return f"{what}; accepted: {', '.join(CATEGORIES)}, or any"

    def __reduce__(self) -> tuple[type[UnknownCategoryError], tuple[str]]:
        return (type(self), (self.value,))


class WatchWriteError(Bio2MapError, OSError):
    """A data folder that :func:`write_data` could not or would not write.

    .. versionadded:: 0.1.0
    """


def parse_fail_on(categories: str | Iterable[str]) -> tuple[str, ...]:
    """Read a ``--fail-on`` list: category names (see :data:`CATEGORIES`), comma-separated.

    Case, surrounding spaces and ``-`` for ``_`` do not matter; ``any`` stands for every
    category, and a few aliases are accepted (``kind``, ``substantive``, ``tags_changed``,
    ...).

    Returns:
        The categories, each once, in the order of :data:`CATEGORIES`.

    Raises:
        UnknownCategoryError: a name is not a category, or none is given.

    Examples:
        >>> parse_fail_on("Moved, removed,kind-changed,nis2")
        ('removed', 'moved', 'kind_changed', 'nis2')

    .. versionadded:: 0.1.0
    """
    words = categories.split(",") if isinstance(categories, str) else list(categories)
    chosen: set[str] = set()
    for raw in words:
        word = raw.strip().lower().replace("-", "_")
        if not word:
            continue
        if word == "any":
            chosen.update(CATEGORIES)
            continue
        name = _ALIASES.get(word, word)
        if name not in CATEGORIES:
            raise UnknownCategoryError(raw.strip())
        chosen.add(name)
    if not chosen:
        nothing = ""
        raise UnknownCategoryError(nothing)
    return tuple(c for c in CATEGORIES if c in chosen)


# --- the result --------------------------------------------------------------------------------


@attrs.frozen
class UnassignedLine:
    """A line of the text that the draft parser could not place in a measure.

    Attributes:
        line: its 1-based number.
        text: the line, stripped and cut to 200 characters.

    .. versionadded:: 0.1.0
    """

    line: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``line``, ``text``."""
        return {"line": self.line, "text": self.text}


@attrs.frozen(repr=False)
class WatchResult:
    """What :func:`watch` found: the text read, and how it differs from a packaged draft.

    Attributes:
        source: the source as given (a path, or ``download``).
        kind: ``git``, ``folder``, ``file`` or ``download``.
        origin: where the text came from (``<clone> at <commit>:<path>``, a path, a URL).
        commit: the commit id the text was read at (git clones only, else None).
        date: that commit's committer date, ISO 8601 (git clones only, else None).
        sha256: sha256 of the text's bytes.
        git_blob: the git blob id of the text's bytes.
        size: the text's size in bytes.
        against: slug of the packaged draft it was compared with.
        against_sha256: that draft's pinned sha256.
        changed: False when the text is the packaged draft's, byte for byte.
        layout: the layout family the parser saw (None when the text was not parsed).
        unassigned: lines the parser could not place (the text is then not compared).
        diff: the differences, from the packaged draft to the text (None when
            unchanged or unreadable). The new draft is called ``upstream``.
        tags: contribution tag changes, the NIS2 tag included, compared even when the
            packaged draft records no tags.
        text: the text read (never in :meth:`as_dict`; :func:`write_data` needs it).

    .. versionadded:: 0.1.0
    """

    source: str
    kind: str
    origin: str
    commit: str | None
    date: str | None
    sha256: str
    git_blob: str
    size: int
    against: str
    against_sha256: str
    changed: bool
    layout: str | None = None
    unassigned: tuple[UnassignedLine, ...] = ()
    diff: VersionDiff | None = None
    tags: tuple[TagChange, ...] = ()
    text: str | None = attrs.field(default=None, eq=False)

    @property
    def readable(self) -> bool:
        """False when the parser could not place every line of the text."""
        return not self.unassigned

    @property
    def status(self) -> str:
        """``unchanged``, ``changed`` or ``unreadable``."""
        if not self.readable:
            return "unreadable"
        return "changed" if self.changed else "unchanged"

    def categories(self) -> dict[str, int] | None:
        """How many entries each of :data:`CATEGORIES` holds (None when unreadable)."""
        if not self.readable:
            return None
        out = dict.fromkeys(CATEGORIES, 0)
        d = self.diff
        if d is None:
            return out
        c = d.counts()
        nis2_tag = sum(1 for t in self.tags if _NIS2_TAG in (*t.added, *t.removed))
        out.update(
            added=c["added"],
            removed=c["removed"],
            retired=c["retired"],
            moved=c["moved"],
            splits=c["splits"],
            merges=c["merges"],
            reworded=c["substantive"],
            cosmetic=c["cosmetic"],
            kind_changed=c["kind_changed"],
            tags=len(self.tags),
            nis2_tag=nis2_tag,
            nis2=c["nis2"] + nis2_tag,
            ir2690=c["ir2690"],
            controls=c["controls"],
            anomalies=c["anomalies"],
        )
        return out

    def failed(self, fail_on: Iterable[str]) -> tuple[str, ...]:
        """The categories of ``fail_on`` (names as :func:`parse_fail_on` returns them)
        that are not empty."""
        counts = self.categories() or {}
        return tuple(c for c in fail_on if counts.get(c, 0))

    def exit_code(self, fail_on: Iterable[str] = ()) -> int:
        """The CLI's exit code: 0 unchanged (or no ``fail_on`` category changed), 1
        changed (or a ``fail_on`` category changed), 2 unreadable."""
        if not self.readable:
            return 2
        if not self.changed:
            return 0
        fail_on = tuple(fail_on)
        if not fail_on:
            return 1
        return 1 if self.failed(fail_on) else 0

    def _at(self) -> str:
        if self.commit is None:
            return ""
        return f" (commit {self.commit[:12]}, {self.date})"

    def summary(self) -> str:
        """One line that says what was found."""
        where = f"{self.origin}{self._at()}"
        if not self.readable:
            first = self.unassigned[0].line
            return (
                f"unreadable: {where}: the draft parser cannot place {len(self.unassigned)} "
                f"lines (first: line {first}); nothing was compared"
            )
        if not self.changed:
            return (
                f"unchanged: {where} is packaged draft {self.against} (sha256 {self.sha256[:12]})"
            )
        counts = self.categories() or {}
        parts = [f"{n} {c}" for c, n in counts.items() if n]
        what = ", ".join(parts) if parts else "no change in ids, kinds, texts or tags"
        return f"changed: {where} differs from packaged draft {self.against}: {what}"

    def __repr__(self) -> str:
        return f"<WatchResult {self.summary()}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, described by :func:`json_schema`.

        Keys: ``status``, ``changed``, ``summary``, ``source`` (``given``, ``kind``,
        ``origin``, ``commit``, ``date``, ``sha256``, ``git_blob``, ``bytes``),
        ``against`` (``slug``, ``sha256``), ``layout``, ``unassigned``, ``categories``,
        ``tags_changed`` and ``diff`` (:meth:`bio2map.drafts.diff.VersionDiff.as_dict`).
        """
        return {
            "status": self.status,
            "changed": self.changed,
            "summary": self.summary(),
            "source": {
                "given": self.source,
                "kind": self.kind,
                "origin": self.origin,
                "commit": self.commit,
                "date": self.date,
                "sha256": self.sha256,
                "git_blob": self.git_blob,
                "bytes": self.size,
            },
            "against": {"slug": self.against, "sha256": self.against_sha256},
            "layout": self.layout,
            "unassigned": [u.as_dict() for u in self.unassigned],
            "categories": self.categories(),
            "tags_changed": [t.as_dict() for t in self.tags],
            "diff": None if self.diff is None else self.diff.as_dict(),
        }

    def as_markdown(self, fail_on: Iterable[str] = ()) -> str:
        """A report to read top to bottom (or to attach to a CI job).

        Args:
            fail_on: categories that fail the check; the report says which did.
        """
        return _markdown(self, tuple(fail_on))


# --- reading the source ---------------------------------------------------------------------


class _Read:
    """The bytes of the text and where they came from."""

    __slots__ = ("commit", "data", "date", "kind", "origin")

    def __init__(
        self,
        kind: str,
        origin: str,
        data: bytes,
        commit: str | None = None,
        date: str | None = None,
    ) -> None:
        self.kind = kind
        self.origin = origin
        self.data = data
        self.commit = commit
        self.date = date


def _read_file(path: Path, kind: str) -> _Read:
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the BIO2 text {os.fspath(path)!r}: {exc.strerror or exc}"
        raise SourceError(msg) from exc
    return _Read(kind, os.fspath(path), data)


def _read_git(clone: Path) -> _Read:
    from bio2map.drafts.sources import _git, _stderr

    name = os.fspath(clone)
    head = _git(clone, "show", "-s", "--format=%H %cI", "HEAD")
    if head.returncode != 0:
        msg = f"cannot read the checked-out commit of the git clone {name!r}: {_stderr(head)}"
        raise SourceError(msg)
    commit, _, date = head.stdout.decode("ascii", "replace").strip().partition(" ")
    spec = f"{commit}:{UPSTREAM_PATH}"
    blob = _git(clone, "cat-file", "blob", spec)
    if blob.returncode != 0:
        msg = f"the git clone {name!r} has no {UPSTREAM_PATH} at commit {commit[:12]}"
        raise SourceError(msg)
    return _Read("git", f"{name} at {commit[:12]}:{UPSTREAM_PATH}", blob.stdout, commit, date)


def _download(url_template: str | None, branch: str, deadline: float) -> _Read:
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    from bio2map.drafts import sources

    template = url_template or os.environ.get(sources._URL_ENV) or sources.DEFAULT_URL_TEMPLATE
    url = template.replace("{commit}", branch).replace("{path}", UPSTREAM_PATH)
    sources._check_url(url)
    handlers: list[urllib.request.BaseHandler] = [sources._CheckedRedirects()]
    if urllib.parse.urlsplit(url).hostname in sources._LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send local requests to a proxy
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(
        url, headers={"User-Agent": "bio2map", "Cache-Control": "no-cache"}
    )
    limit = sources._MAX_BYTES
    what = f"cannot download the upstream BIO2 text from {url}"
    too_big = f"refusing the upstream BIO2 text from {url}: larger than {limit} bytes"
    end = time.monotonic() + deadline
    chunks: list[bytes] = []
    try:
        with opener.open(req, timeout=min(deadline, sources._NET_TIMEOUT)) as resp:
            length = resp.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise SourceError(too_big)
            read = getattr(resp, "read1", resp.read)  # one network read per call
            size = 0
            while True:
                if time.monotonic() > end:
                    msg = f"{what}: not complete within the deadline of {deadline:g} s"
                    raise SourceError(msg)
                chunk: bytes = read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise SourceError(too_big)
                chunks.append(chunk)
    except SourceError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        msg = f"{what}: HTTP {exc.code} {exc.reason}"
        raise SourceError(msg) from exc
    except urllib.error.URLError as exc:
        msg = f"{what}: {exc.reason}"
        raise SourceError(msg) from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, resets, ...
        msg = f"{what}: {exc or type(exc).__name__}"
        raise SourceError(msg) from exc
    return _Read("download", url, b"".join(chunks))


def _read_source(
    source: str | os.PathLike[str], url_template: str | None, branch: str, deadline: float
) -> _Read:
    if isinstance(source, str) and source == "download":
        return _download(url_template, branch, deadline)
    path = Path(source)
    if path.is_dir():
        if (path / ".git").exists():
            return _read_git(path)
        page = path / UPSTREAM_PATH
        if page.is_file():
            return _read_file(page, "folder")
        msg = (
            f"BIO2 source {os.fspath(path)!r} is a folder but neither a git clone (no .git) "
            f"nor laid out like one (no {UPSTREAM_PATH})"
        )
        raise SourceError(msg)
    if path.is_file():
        return _read_file(path, "file")
    msg = (
        f"BIO2 source {os.fspath(source)!r} is neither a file nor a folder; give a git clone "
        f"of the BIO2 repository, a folder with {UPSTREAM_PATH}, a markdown file, or 'download'"
    )
    raise SourceError(msg)


def _decode(read: _Read) -> str:
    try:
        return read.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{read.origin} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise SourceError(msg) from exc


def _source_lines(text: str) -> list[str]:
    """The lines as the parser numbers them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


def _clip(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= _LINE_CLIP else line[: _LINE_CLIP - 1] + "…"


# --- comparing -------------------------------------------------------------------------------


def _measures(doc: Mapping[str, Any], slug: str) -> tuple[Measure, ...]:
    """The records of a draft document, as :func:`bio2map.core.reader` makes them."""
    from bio2map.core.records import Measure

    return tuple(
        Measure(
            id="bio2:" + m["id"],
            draft=slug,
            control="iso27002:" + m["control"],
            kind=m["kind"],
            target=("bio2:" + m["target"]) if m["target"] else None,
            tags=tuple(m["tags"]),
            nis2_flag=m["nis2"],
            fingerprint=m["fingerprint"],
            signature=m["signature"],
            words=m["words"],
            numbered=m["numbered"],
            seq=m["seq"],
        )
        for m in doc["measures"]
    )


def _figures(measures: Iterable[Measure]) -> dict[str, tuple[str, int]]:
    """fingerprint -> (signature, words) of measures with a text (for ``known``)."""
    return {m.fingerprint: (m.signature, m.words) for m in measures if m.signature}


def _tag_changes(
    d: VersionDiff, old: Sequence[Measure], new: Sequence[Measure]
) -> tuple[TagChange, ...]:
    """Tag changes (``NIS2`` standing for the flag) of every pair the diff follows:
    moves, and ids in both drafts that are stubs in neither."""
    from bio2map.drafts.matcher import STUB_KINDS, _tag_sorted
    from bio2map.drafts.results import TagChange
    from bio2map.drafts.side import id_key as _idkey

    o = {m.number: m for m in old}
    n = {m.number: m for m in new}
    pairs = {mv.old_id: mv.new_id for mv in d.moved}
    taken = set(pairs.values())
    for k in o.keys() & n.keys():
        if k in pairs or k in taken or o[k].kind in STUB_KINDS or n[k].kind in STUB_KINDS:
            continue
        pairs[k] = k

    def tagset(m: Measure) -> frozenset[str]:
        return frozenset((*m.tags, _NIS2_TAG) if m.nis2_flag else m.tags)

    out = []
    for x, y in pairs.items():
        a, b = tagset(o[x]), tagset(n[y])
        if a != b:
            out.append(TagChange(y, x, _tag_sorted(b - a), _tag_sorted(a - b)))
    return tuple(sorted(out, key=lambda t: (_idkey(t.id), _idkey(t.old_id))))


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
    from bio2map.api import load
    from bio2map.core.reader import read_manifest

    manifest = read_manifest(data_dir)
    slug = _latest(manifest) if against is None else manifest.draft_slug(against)
    pinned = next(str(d["sha256"]) for d in manifest.raw_drafts if d["slug"] == slug)
    read = _read_source(source, url_template, branch, deadline)
    text = _decode(read)
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

    from bio2map.drafts import parser as bio2md
    from bio2map.drafts.diff import diff_measures

    parsed = bio2md.parse(text, source=read.origin)
    if parsed.unassigned:
        lines = _source_lines(text)
        unassigned = tuple(UnassignedLine(n, _clip(lines[n - 1])) for n in parsed.unassigned)
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
        known=_figures(old_catalog.measures),
    )
    new = _measures(doc, UPSTREAM_SLUG)
    d = diff_measures(
        old_catalog.measures,
        new,
        old_label=slug,
        new_label=UPSTREAM_SLUG,
        catalog=old_catalog,
        texts=False,
    )
    tags = _tag_changes(d, old_catalog.measures, new)
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


# --- the JSON schema and the Markdown report ---------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of :meth:`WatchResult.as_dict` and of
    ``bio2map watch --format json`` (which adds ``fail_on``, ``failed`` and
    ``data_dir``)."""
    path = Path(__file__).with_name("schemas") / "watch.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _demoted(report: str) -> list[str]:
    """The diff report with each heading one level down and its tag section left out
    (the watch report has its own, which compares tags the diff does not)."""
    out: list[str] = []
    skip = False
    for line in report.rstrip("\n").split("\n"):
        if line.startswith("#"):
            skip = line == "## Tag changes"
            line = "#" + line
        if not skip:
            out.append(line)
    return out


def _markdown(r: WatchResult, fail_on: tuple[str, ...]) -> str:
    lines = [f"# BIO2 upstream watch: {r.status}", "", r.summary(), ""]
    rows = [
        ("source", r.source),
        ("read from", r.origin),
        ("commit", r.commit or "-"),
        ("date", r.date or "-"),
        ("sha256", r.sha256),
        ("compared with", f"packaged draft {r.against} (sha256 {r.against_sha256})"),
    ]
    lines += ["| what | value |", "|---|---|"]
    lines += [f"| {k} | {_md_cell(v)} |" for k, v in rows]
    lines.append("")
    if not r.readable:
        lines += [
            "## Lines the draft parser could not place",
            "",
            "| line | text |",
            "|---|---|",
            *(f"| {u.line} | {_md_cell(u.text)} |" for u in r.unassigned),
            "",
        ]
        return "\n".join(lines).rstrip("\n") + "\n"
    counts = r.categories() or {}
    failed = set(r.failed(fail_on))
    lines += ["## What changed", "", "| category | count | meaning |", "|---|---|---|"]
    for c, meaning in CATEGORIES.items():
        mark = " **(fails)**" if c in failed else ""
        lines.append(f"| {c}{mark} | {counts.get(c, 0)} | {meaning} |")
    lines.append("")
    if fail_on:
        if failed:
            listed = ", ".join(f"{c} ({counts[c]})" for c in fail_on if c in failed)
            lines += [f"**FAILED --fail-on: {listed}**", ""]
        else:
            lines += [f"Passed --fail-on {','.join(fail_on)}: none of them changed.", ""]
    if r.diff is None:
        return "\n".join(lines).rstrip("\n") + "\n"
    lines += ["## Tag changes", ""]
    if r.diff.tags_recorded != (True, True):
        lines += [
            "Compared with the packaged draft although one of the two records no tags "
            "(a tag the text adds counts as added); the diff below leaves tags out.",
            "",
        ]
    if r.tags:
        lines += ["| id | from id | added | removed |", "|---|---|---|---|"]
        lines += [
            f"| {t.id} | {t.old_id} | {', '.join(t.added)} | {', '.join(t.removed)} |"
            for t in r.tags
        ]
    else:
        lines.append("_none_")
    lines.append("")
    lines += _demoted(r.diff.as_markdown())
    return "\n".join(lines).rstrip("\n") + "\n"


# ``bio2map.watch`` is this function once looked up through the package (see
# ``bio2map.__init__``), but this module after ``import bio2map.watch``; make the
# module callable as the function, so that ``bio2map.watch(...)`` works either way.
class _CallableModule(types.ModuleType):
    def __call__(
        self, source: str | os.PathLike[str], against: str | None = None, **kwargs: Any
    ) -> WatchResult:
        return watch(source, against, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
