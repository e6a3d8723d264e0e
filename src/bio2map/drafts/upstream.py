"""Read the upstream BIO2 measures page from a clone, a folder, a file or a download.

The reading half of :func:`bio2map.watch.watch`: bytes, where they came from, and the
commit and date when a git clone says them. Downloads follow the rules of
``--texts download`` (:mod:`bio2map.drafts.sources`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Final

from bio2map.core.errors import SourceError

__all__ = [
    "DOWNLOAD_DEADLINE",
    "UPSTREAM_BRANCH",
    "UPSTREAM_PATH",
    "UpstreamText",
    "clip",
    "decode",
    "read_source",
    "source_lines",
]

UPSTREAM_BRANCH: Final = "main"
"""The branch whose head ``"download"`` reads."""

UPSTREAM_PATH: Final = "docs/maatregelen/index.md"
"""The measures page in the BIO2 repository (and in a folder laid out like it)."""

DOWNLOAD_DEADLINE: Final = 30.0
"""Seconds the whole of a ``"download"`` may take (connecting, waiting and reading)."""

_LINE_CLIP: Final = 200


class UpstreamText:
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


def _read_file(path: Path, kind: str) -> UpstreamText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the BIO2 text {os.fspath(path)!r}: {exc.strerror or exc}"
        raise SourceError(msg) from exc
    return UpstreamText(kind, os.fspath(path), data)


def _read_git(clone: Path) -> UpstreamText:
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
    return UpstreamText(
        "git", f"{name} at {commit[:12]}:{UPSTREAM_PATH}", blob.stdout, commit, date
    )


def _download(url_template: str | None, branch: str, deadline: float) -> UpstreamText:
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    from bio2map.drafts import sources

    template = url_template or os.environ.get(sources._URL_ENV) or sources.DEFAULT_URL_TEMPLATE
    url = template.replace("{commit}", branch).replace("{path}", UPSTREAM_PATH)
    sources._check_url(url)
    handlers: list[urllib.request.BaseHandler] = [sources._CheckedRedirects(url)]
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
    return UpstreamText("download", url, b"".join(chunks))


def read_source(
    source: str | os.PathLike[str], url_template: str | None, branch: str, deadline: float
) -> UpstreamText:
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


def decode(read: UpstreamText) -> str:
    try:
        return read.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{read.origin} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise SourceError(msg) from exc


def source_lines(text: str) -> list[str]:
    """The lines as the parser numbers them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


def clip(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= _LINE_CLIP else line[: _LINE_CLIP - 1] + "…"
