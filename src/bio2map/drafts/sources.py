"""Read the text of a BIO2 draft on demand: explicit, pinned and hash-verified.

bio2map never ships the BIO2 texts; the packaged data holds only their structure and
fingerprints. When a user wants the texts, :func:`read_draft_text` reads them from a
source the user names:

* a local git clone of ``MinBZK/Baseline-Informatiebeveiliging-Overheid`` (a folder
  with ``.git``): the file at the draft's pinned commit, via ``git show``;
* a folder laid out like the test corpus: ``<folder>/<slug>/maatregelen.md``;
* a single markdown file, taken as the text of the requested draft;
* the word ``"download"``: the file at the pinned commit, fetched over HTTPS into a
  cache folder and checked against the pinned sha256 before it is kept.

Only ``"download"`` touches the network, and only when it is asked for: nothing here
runs at import time, and :func:`bio2map.core.reader` calls this module only when it is given
``texts=``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bio2map.core.errors import SourceError

if TYPE_CHECKING:
    from http.client import HTTPMessage
    from typing import IO

    from bio2map.core.records import Draft

__all__ = ["DEFAULT_URL_TEMPLATE", "default_cache_dir", "read_draft_text"]

DEFAULT_URL_TEMPLATE: Final = (
    "https://raw.githubusercontent.com/MinBZK/Baseline-Informatiebeveiliging-Overheid"
    "/{commit}/{path}"
)
"""Where ``"download"`` fetches a draft; ``{commit}`` and ``{path}`` are filled in.

Override it with the ``url_template`` argument or the ``BIO2MAP_DOWNLOAD_URL``
environment variable (for a mirror).

.. versionadded:: 0.1.0
"""

_DOWNLOAD: Final = "download"
_URL_ENV: Final = "BIO2MAP_DOWNLOAD_URL"
_CACHE_ENV: Final = "BIO2MAP_CACHE"
_NET_TIMEOUT: Final = 30.0
_GIT_TIMEOUT: Final = 60.0
_MAX_BYTES: Final = 16 * 1024 * 1024
_LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")
_HEX: Final = re.compile(r"[0-9a-fA-F]{7,64}")
_GIT_REPO_ENV: Final = frozenset(
    {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"}
)


def default_cache_dir() -> Path:
    """Return the folder where downloaded drafts are cached.

    ``$BIO2MAP_CACHE`` if set, else ``$XDG_CACHE_HOME/bio2map``, else
    ``~/.cache/bio2map``. The folder is not created here.

    .. versionadded:: 0.1.0
    """
    env = os.environ.get(_CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "bio2map"


def read_draft_text(
    source: str | os.PathLike[str],
    draft: Draft,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    url_template: str | None = None,
) -> tuple[str, str]:
    """Return the markdown of ``draft`` (its ``maatregelen.md``) and where it came from.

    Args:
        source: a git clone of the BIO2 repository, a folder holding
            ``<slug>/maatregelen.md``, a single markdown file, or ``"download"``. (To
            use a file or folder that is literally called ``download``, write
            ``./download``.)
        draft: the draft whose text is wanted; its ``commit``, ``source_path`` and
            ``sha256`` pin the file.
        cache_dir: where ``"download"`` caches files (default:
            :func:`default_cache_dir`).
        url_template: the download URL with ``{commit}`` and ``{path}`` placeholders
            (default: ``$BIO2MAP_DOWNLOAD_URL`` or :data:`DEFAULT_URL_TEMPLATE`). Only
            ``https`` URLs are fetched, and ``http`` to the local machine.

    Returns:
        ``(text, origin)``: the raw markdown, and a short description of where it came
        from (a path, ``clone at commit:path``, or the URL). A local file or folder
        whose content is not the pinned file is still returned; the origin then says
        ``(not the pinned <slug> file)``, and the catalog lists the measures whose
        fingerprints differ.

    Raises:
        SourceError: the source does not exist or cannot be read, the clone lacks the
            pinned commit, the download fails or its sha256 does not match the pin,
            or the text is not UTF-8.

    .. versionadded:: 0.1.0
    """
    if isinstance(source, str) and source == _DOWNLOAD:
        return _download(draft, cache_dir, url_template)
    path = Path(source)
    if path.is_dir():
        if (path / ".git").exists():
            return _from_git(path, draft)
        return _from_folder(path, draft)
    if path.is_file():
        return _from_file(path, path, draft)
    msg = (
        f"BIO2 text source {os.fspath(source)!r} (draft {draft.slug}) is neither a file nor "
        "a folder; give a git clone of the BIO2 repository, a folder with "
        f"{draft.slug}/maatregelen.md, a markdown file, or 'download'"
    )
    raise SourceError(msg)


# --- helpers ---------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode(data: bytes, name: str, draft: Draft) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{name} (draft {draft.slug}) is not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise SourceError(msg) from exc


def _origin(name: str, data: bytes, draft: Draft) -> str:
    if draft.sha256 and _sha256(data) != draft.sha256:
        return f"{name} (not the pinned {draft.slug} file)"
    return name


def _from_file(path: Path, shown: Path, draft: Draft) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = exc.strerror or exc
        msg = f"cannot read BIO2 text {os.fspath(path)!r} (draft {draft.slug}): {why}"
        raise SourceError(msg) from exc
    name = os.fspath(shown)
    return _decode(data, name, draft), _origin(name, data, draft)


def _from_folder(folder: Path, draft: Draft) -> tuple[str, str]:
    path = folder / draft.slug / "maatregelen.md"
    if not path.is_file():
        msg = (
            f"BIO2 text folder {os.fspath(folder)!r} has no {draft.slug}/maatregelen.md "
            f"(draft {draft.slug}); it is not a git clone either (no .git)"
        )
        raise SourceError(msg)
    return _from_file(path, path, draft)


# --- git clone -------------------------------------------------------------------------


def _git(clone: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = ["git", "-C", os.fspath(clone), *args]
    env = {k: v for k, v in os.environ.items() if k not in _GIT_REPO_ENV}
    # Read this clone only: never a repository above it, never one GIT_DIR points at.
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        LC_ALL="C",
        GIT_CEILING_DIRECTORIES=os.fspath(clone.resolve().parent),
    )
    try:
        return subprocess.run(cmd, capture_output=True, timeout=_GIT_TIMEOUT, check=False, env=env)
    except FileNotFoundError as exc:
        msg = f"cannot read the BIO2 clone {os.fspath(clone)!r}: git is not installed"
        raise SourceError(msg) from exc
    except subprocess.TimeoutExpired as exc:
        msg = f"git in {os.fspath(clone)!r} did not answer within {_GIT_TIMEOUT:.0f} s"
        raise SourceError(msg) from exc
    except OSError as exc:
        msg = f"cannot run git in {os.fspath(clone)!r}: {exc.strerror or exc}"
        raise SourceError(msg) from exc


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip()
    return " ".join(text.split())[:300] or f"exit status {proc.returncode}"


def _from_git(clone: Path, draft: Draft) -> tuple[str, str]:
    name = os.fspath(clone)
    if not draft.commit or not draft.source_path:
        msg = f"draft {draft.slug} has no pinned commit and path; cannot read it from {name!r}"
        raise SourceError(msg)
    if not _HEX.fullmatch(draft.commit):
        msg = f"draft {draft.slug} pins {draft.commit!r}, which is not a commit id"
        raise SourceError(msg)
    is_repo = _git(clone, "rev-parse", "--git-dir")
    if is_repo.returncode != 0:
        msg = f"{name!r} has a .git but git cannot read it (draft {draft.slug}): {_stderr(is_repo)}"
        raise SourceError(msg)
    has_commit = _git(clone, "cat-file", "-e", f"{draft.commit}^{{commit}}")
    if has_commit.returncode != 0:
        msg = (
            f"the git clone {name!r} lacks commit {draft.commit} of BIO2 draft {draft.slug}; "
            f"run 'git -C {name} fetch origin' and try again"
        )
        raise SourceError(msg)
    spec = f"{draft.commit}:{draft.source_path}"
    proc = _git(clone, "show", "--no-textconv", spec)
    if proc.returncode != 0:
        why = _stderr(proc)
        msg = f"cannot read {spec} from the git clone {name!r} (draft {draft.slug}): {why}"
        raise SourceError(msg)
    shown = f"{name} at {draft.commit[:12]}:{draft.source_path}"
    return _decode(proc.stdout, shown, draft), _origin(shown, proc.stdout, draft)


# --- download --------------------------------------------------------------------------


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    msg = (
        f"refusing to download {url!r}: only https URLs (or http to 127.0.0.1/localhost) "
        "are fetched"
    )
    raise SourceError(msg)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to URLs that pass the same scheme check."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            _check_url(newurl)
        except SourceError:
            fp.close()  # urllib closes it only when the redirect goes ahead
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, draft: Draft) -> bytes:
    _check_url(url)
    handlers: list[urllib.request.BaseHandler] = [_CheckedRedirects()]
    if urllib.parse.urlsplit(url).hostname in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send local requests to a proxy
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, headers={"User-Agent": "bio2map"})
    try:
        with opener.open(req, timeout=_NET_TIMEOUT) as resp:
            data: bytes = resp.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        msg = f"cannot download BIO2 draft {draft.slug} from {url}: HTTP {exc.code} {exc.reason}"
        raise SourceError(msg) from exc
    except urllib.error.URLError as exc:
        msg = f"cannot download BIO2 draft {draft.slug} from {url}: {exc.reason}"
        raise SourceError(msg) from exc
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed responses
        msg = f"cannot download BIO2 draft {draft.slug} from {url}: {exc}"
        raise SourceError(msg) from exc
    if len(data) > _MAX_BYTES:
        msg = f"refusing BIO2 draft {draft.slug} from {url}: larger than {_MAX_BYTES} bytes"
        raise SourceError(msg)
    return data


def _cache_name(draft: Draft) -> str:
    commit = _UNSAFE.sub("_", draft.commit)
    path = _UNSAFE.sub("_", draft.source_path.strip("/"))
    return f"{commit}-{path}"


def _read_cached(path: Path, draft: Draft) -> bytes | None:
    """The verified cached bytes, or None (a bad entry is deleted)."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        why = exc.strerror or exc
        msg = f"cannot read the cached BIO2 draft {os.fspath(path)!r} (draft {draft.slug}): {why}"
        raise SourceError(msg) from exc
    if _sha256(data) == draft.sha256:
        return data
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return None


def _store(folder: Path, path: Path, data: bytes, draft: Draft) -> None:
    """Write verified ``data`` to ``path`` atomically (temp file in ``folder``, then rename)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=folder)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
        tmp = None
    except OSError as exc:
        why = exc.strerror or exc
        msg = f"cannot write the BIO2 cache {os.fspath(folder)!r} (draft {draft.slug}): {why}"
        raise SourceError(msg) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _download(
    draft: Draft,
    cache_dir: str | os.PathLike[str] | None,
    url_template: str | None,
) -> tuple[str, str]:
    template = url_template or os.environ.get(_URL_ENV) or DEFAULT_URL_TEMPLATE
    url = template.replace("{commit}", draft.commit).replace("{path}", draft.source_path)
    if not (draft.commit and draft.source_path and draft.sha256):
        msg = f"draft {draft.slug} has no pinned commit, path and sha256; refusing to download it"
        raise SourceError(msg)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / _cache_name(draft)
    data = _read_cached(path, draft)
    if data is None:
        data = _fetch(url, draft)
        digest = _sha256(data)
        if digest != draft.sha256:
            msg = (
                f"BIO2 draft {draft.slug} downloaded from {url} does not match its pin: "
                f"sha256 {digest}, expected {draft.sha256}; nothing was cached"
            )
            raise SourceError(msg)
        _store(folder, path, data, draft)
    return _decode(data, url, draft), url
