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
import http.client
import io
import os
import re
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from bio2map.core.errors import DataError, SourceError
from bio2map.core.records import Draft
from bio2map.core.userfiles import MARKDOWN, check_path, read_user_bytes

if TYPE_CHECKING:
    from http.client import HTTPMessage
    from typing import IO

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
"""Seconds one network operation (connect, one read) may take."""
_DEADLINE: float = 120.0
"""Seconds a whole download may take, headers and body, however the server trickles."""
_GIT_TIMEOUT: Final = 60.0
_MAX_BYTES: Final = MARKDOWN.limit  # 16 MiB, what the parser reads from a file too
_CHUNK: Final = 1 << 16
_SHOWN_URL: Final = 300
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
        return Path(env).expanduser()  # BIO2MAP_CACHE='~/x' is ~/x, not a folder called ~
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
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
        TypeError: an argument of the wrong type (the message names it).
        SourceError: the source does not exist or cannot be read, the clone lacks the
            pinned commit, the download fails or its sha256 does not match the pin,
            or the text is not UTF-8.

    .. versionadded:: 0.1.0
    """
    check_path(source, "source")
    if not isinstance(draft, Draft):
        msg = f"draft must be a bio2map Draft, got {type(draft).__name__}"
        raise TypeError(msg)
    if cache_dir is not None:
        check_path(cache_dir, "cache_dir")
    if url_template is not None and not isinstance(url_template, str):
        msg = f"url_template must be a str or None, got {type(url_template).__name__}"
        raise TypeError(msg)
    if isinstance(source, str) and source == _DOWNLOAD:
        return _download(draft, cache_dir, url_template)
    if not os.fspath(source):
        msg = f"the BIO2 text source (draft {draft.slug}) is an empty path"
        raise SourceError(msg)
    path = Path(source)
    if path.is_dir():
        if (path / ".git").exists():
            return _from_git(path, draft)
        return _from_folder(path, draft)
    if path.is_file():
        return _from_file(path, path, draft)
    msg = (
        f"BIO2 text source {_shown(os.fspath(source))} (draft {draft.slug}) is neither a file nor "
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


def _shown(text: str) -> str:
    """``repr(text)``, cut to a length a message can carry."""
    if len(text) <= _SHOWN_URL:
        return repr(text)
    return f"{text[: _SHOWN_URL // 2] + '…' + text[-50:]!r} ({len(text)} characters)"


def _printable(text: str, limit: int = 200) -> str:
    """Text a server sent, fit for a message: control characters escaped, cut short."""
    text = text.strip()
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _plain_url(url: str) -> str:
    """A URL as a message shows it: as is, unless it is long or holds control characters."""
    return url if len(url) <= _SHOWN_URL and url.isprintable() else _shown(url)


def _from_file(path: Path, shown: Path, draft: Draft) -> tuple[str, str]:
    try:
        _, data = read_user_bytes(path, MARKDOWN, stdin=False)
    except DataError as exc:
        msg = f"cannot read BIO2 text {_shown(os.fspath(path))} (draft {draft.slug}): {exc.message}"
        raise SourceError(msg) from None
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
        GIT_NO_REPLACE_OBJECTS="1",  # the pinned commit's own blob, never a replacement
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
    size = _git(clone, "cat-file", "-s", spec)
    if size.returncode == 0 and size.stdout.strip().isdigit() and int(size.stdout) > _MAX_BYTES:
        msg = (
            f"{spec} in the git clone {name!r} (draft {draft.slug}) is {int(size.stdout)} "
            f"bytes; a BIO2 draft may be at most {_MAX_BYTES}"
        )
        raise SourceError(msg)
    proc = _git(clone, "show", "--no-textconv", spec)
    if proc.returncode != 0:
        why = _stderr(proc)
        msg = f"cannot read {spec} from the git clone {name!r} (draft {draft.slug}): {why}"
        raise SourceError(msg)
    shown = f"{name} at {draft.commit[:12]}:{draft.source_path}"
    return _decode(proc.stdout, shown, draft), _origin(shown, proc.stdout, draft)


# --- download --------------------------------------------------------------------------


def _check_url(url: str) -> None:
    """Refuse anything but https, or http to this machine; a malformed URL too."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is no port
    except ValueError as exc:
        msg = f"refusing to download {_shown(url)}: not a valid URL ({exc})"
        raise SourceError(msg) from None
    if any(ch <= " " or ch == "\x7f" for ch in url):
        msg = f"refusing to download {_shown(url)}: not a valid URL (blanks or control characters)"
        raise SourceError(msg)
    if host and (len(host) > 253 or any(len(label) > 63 for label in host.split("."))):
        msg = f"refusing to download {_shown(url)}: not a valid URL (the host name is too long)"
        raise SourceError(msg)
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host in _LOOPBACK:
        return
    msg = (
        f"refusing to download {_shown(url)}: only https URLs (or http to 127.0.0.1/localhost) "
        "are fetched"
    )
    raise SourceError(msg)


def _private(host: str | None) -> bool:
    """Whether ``host`` is this machine or a private network (an address, or localhost).

    Names other than ``localhost`` are not resolved here.
    """
    import ipaddress
    import socket

    if not host:
        return False
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    try:
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        if not re.fullmatch(r"[0-9a-fx.]+", name):
            return False
        try:  # the forms the resolver takes too: 127.1, 2130706433, 0x7f000001
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to URLs that pass the same scheme check, and never from a
    public server to this machine or a private network."""

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin_private = _private(urllib.parse.urlsplit(origin).hostname)

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
            if not self.origin_private and _private(urllib.parse.urlsplit(newurl).hostname):
                why = (
                    f"refusing to download {_shown(newurl)}: {_shown(req.full_url)} redirects "
                    "to this machine or a private network"
                )
                raise SourceError(why)
        except SourceError:
            fp.close()  # urllib closes it only when the redirect goes ahead
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Clock:
    """The deadline of one download."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    @property
    def message(self) -> str:
        return f"gave up after {self.seconds:g} s (the whole download may take no longer)"

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def timeout(self) -> float:
        """The socket timeout for the next operation; TimeoutError once time is up."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(self.message)
        return min(_NET_TIMEOUT, left)


class _DeadlineReader(io.RawIOBase):
    """A response socket whose every read gets only the time left before the deadline,
    so a server that trickles a byte at a time cannot hold a download open."""

    def __init__(self, raw: Any, sock: Any, clock: _Clock) -> None:
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._clock = clock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._clock.timeout())
        return int(self._raw.readinto(buffer) or 0)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _opener(url: str, clock: _Clock) -> urllib.request.OpenerDirector:
    """An opener whose connections keep ``clock``'s deadline, and which checks redirects."""

    class Response(http.client.HTTPResponse):
        def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp = io.BufferedReader(_DeadlineReader(self.fp.detach(), sock, clock))

    class HTTPConnection(http.client.HTTPConnection):
        response_class = Response

    class HTTPSConnection(http.client.HTTPSConnection):
        response_class = Response

    class HTTPHandler(urllib.request.HTTPHandler):
        def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
            return super().do_open(HTTPConnection, req, **kwargs)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
            return super().do_open(HTTPSConnection, req, **kwargs)

    handlers: list[urllib.request.BaseHandler] = [
        _CheckedRedirects(url),
        HTTPHandler(),
        HTTPSHandler(),
    ]
    if urllib.parse.urlsplit(url).hostname in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send local requests to a proxy
    return urllib.request.build_opener(*handlers)


def _fetch(url: str, draft: Draft) -> bytes:
    """The body at ``url``: at most ``_MAX_BYTES``, within ``_DEADLINE`` seconds; every
    failure (HTTP error, timeout, reset, garbage or oversized headers) a SourceError
    naming the URL."""
    _check_url(url)
    shown = _plain_url(url)
    clock = _Clock(_DEADLINE)
    too_big = f"refusing BIO2 draft {draft.slug} from {shown}: larger than {_MAX_BYTES} bytes"
    chunks: list[bytes] = []
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "bio2map"})
        with _opener(url, clock).open(req, timeout=clock.timeout()) as resp:
            length = resp.headers.get("Content-Length", "").strip()
            if length.isdigit() and int(length) > _MAX_BYTES:
                raise SourceError(too_big)
            total = 0
            while True:
                chunk = resp.read1(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > _MAX_BYTES:
                    raise SourceError(too_big)
                chunks.append(chunk)
            if length.isdigit() and total < int(length):
                msg = (
                    f"cannot download BIO2 draft {draft.slug} from {shown}: the server sent "
                    f"{total} of {int(length)} bytes"
                )
                raise SourceError(msg)
    except SourceError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        msg = f"cannot download BIO2 draft {draft.slug} from {shown}: HTTP {exc.code} {exc.reason}"
        raise SourceError(msg) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, SourceError):  # a refused redirect
            raise exc.reason from None
        msg = f"cannot download BIO2 draft {draft.slug} from {shown}: {exc.reason}"
        raise SourceError(msg) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # timeouts, resets, garbage or oversized headers, malformed responses
        if isinstance(exc, TimeoutError) and clock.expired():
            why = clock.message
        elif isinstance(exc, http.client.HTTPException):
            why = f"not a valid HTTP response ({type(exc).__name__}: {_printable(str(exc))})"
        else:
            why = _printable(str(exc)) or type(exc).__name__
        msg = f"cannot download BIO2 draft {draft.slug} from {shown}: {why}"
        raise SourceError(msg) from None
    return b"".join(chunks)


def _cache_name(draft: Draft) -> str:
    commit = _UNSAFE.sub("_", draft.commit)
    path = _UNSAFE.sub("_", draft.source_path.strip("/"))
    return f"{commit}-{path}"


def _read_cached(path: Path, draft: Draft) -> bytes | None:
    """The verified cached bytes, or None.

    Only a regular file is read, never through a symbolic link and never more than
    ``_MAX_BYTES``; a symbolic link, a FIFO, a device node or a file whose sha256 is not
    the pin is removed (and the draft fetched again).
    """
    where = _shown(os.fspath(path))
    try:
        st = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        why = exc.strerror or exc
        msg = f"cannot read the cached BIO2 draft {where} (draft {draft.slug}): {why}"
        raise SourceError(msg) from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_BYTES:
        _remove(path, st, draft)
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:  # ELOOP: it became a symbolic link since the lstat
        why = exc.strerror or exc
        msg = f"cannot read the cached BIO2 draft {where} (draft {draft.slug}): {why}"
        raise SourceError(msg) from None
    with os.fdopen(fd, "rb") as f:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return None  # swapped since the lstat: fetch again, touch nothing
        data = f.read(_MAX_BYTES + 1)
    if len(data) <= _MAX_BYTES and _sha256(data) == draft.sha256:
        return data
    _remove(path, st, draft)
    return None


def _remove(path: Path, seen: os.stat_result, draft: Draft) -> None:
    """Remove a bad cache entry, if it is still the one that was looked at."""
    try:
        now = path.lstat()
        if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino):
            return  # another process replaced it meanwhile
        if stat.S_ISDIR(now.st_mode):
            path.rmdir()
        else:
            path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        why = exc.strerror or exc
        msg = (
            f"the BIO2 cache entry {_shown(os.fspath(path))} (draft {draft.slug}) is not a "
            f"file bio2map wrote and cannot be removed: {why}; remove it"
        )
        raise SourceError(msg) from None


def _store(folder: Path, path: Path, data: bytes, draft: Draft) -> None:
    """Write verified ``data`` to ``path`` atomically (temp file in ``folder``, then rename)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=folder)
        tmp = Path(name)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o644)  # a shared cache: other users read the public texts too
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)  # atomic: a reader sees the old entry, no entry, or this one whole
        tmp = None
    except OSError as exc:
        why = exc.strerror or exc
        msg = f"cannot write the BIO2 cache {_shown(os.fspath(folder))} (draft {draft.slug}): {why}"
        raise SourceError(msg) from None
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
                f"BIO2 draft {draft.slug} downloaded from {_plain_url(url)} does not match its "
                f"pin: sha256 {digest}, expected {draft.sha256}; nothing was cached"
            )
            raise SourceError(msg)
        _store(folder, path, data, draft)
    return _decode(data, url, draft), url
