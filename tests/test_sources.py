"""Tests of :mod:`bio2map.drafts.sources` and of ``load(texts=...)``.

Downloads go to a local HTTP server on 127.0.0.1 (never the internet). Synthetic drafts
use made-up words; the real drafts are read from the shared corpus folder at run time
(those tests skip when it is absent), never copied here.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bio2map
from bio2map.core.errors import SourceError, UnknownVersionError
from bio2map.core.reader import read_manifest
from bio2map.core.records import Draft
from bio2map.drafts import sources
from bio2map.drafts.sources import DEFAULT_URL_TEMPLATE, default_cache_dir, read_draft_text

SYNTHETIC = (
    "# Zorblat\n\n## 5.01.01\n\nFlorp the wibble quandersnatch, grobble the zint.\n\n"
    "## 5.01.02\n\nVervallen.\n"
)
SOURCE_PATH = "docs/maatregelen/index.md"
COMMIT = "ab" * 20


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_draft(
    data: bytes = SYNTHETIC.encode(),
    *,
    slug: str = "9.9",
    commit: str = COMMIT,
    source_path: str = SOURCE_PATH,
    sha256: str | None = None,
) -> Draft:
    return Draft(
        slug=slug,
        label=f"BIO2 versie {slug}",
        status="concept",
        date="2099-01-01",
        commit=commit,
        source_path=source_path,
        sha256=sha(data) if sha256 is None else sha256,
        layout="1.3",
        file=f"bio2-{slug}.json",
        counts=(),
    )


def packaged(slug: str) -> Draft:
    return read_manifest().draft(slug)


# --- a local HTTP server ---------------------------------------------------------------


class Server:
    """A tiny HTTP server on 127.0.0.1 serving ``files`` under ``/<key>``.

    ``hits`` lists every requested path; ``redirects`` maps a path to a Location.
    """

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.hits: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                key = self.path.lstrip("/")
                if key in outer.redirects:
                    self.send_response(302)
                    self.send_header("Location", outer.redirects[key])
                    self.end_headers()
                    return
                body = outer.files.get(key)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{commit}}/{{path}}"

    def serve(self, draft: Draft, data: bytes) -> None:
        self.files[f"{draft.commit}/{draft.source_path}"] = data

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def cached_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- default cache folder and URL ------------------------------------------------------


def test_default_url_template_is_pinned_https() -> None:
    assert DEFAULT_URL_TEMPLATE.startswith("https://raw.githubusercontent.com/MinBZK/")
    assert "{commit}" in DEFAULT_URL_TEMPLATE
    assert "{path}" in DEFAULT_URL_TEMPLATE


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BIO2MAP_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("BIO2MAP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "bio2map"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "bio2map"


def test_public_surface_is_small() -> None:
    assert sorted(sources.__all__) == [
        "DEFAULT_URL_TEMPLATE",
        "default_cache_dir",
        "read_draft_text",
    ]


# --- download --------------------------------------------------------------------------


def test_download_then_cache(server: Server, cache: Path) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.serve(draft, data)
    text, origin = read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert text == SYNTHETIC
    assert origin == f"http://127.0.0.1:{server.port}/{COMMIT}/{SOURCE_PATH}"
    assert server.hits == [f"/{COMMIT}/{SOURCE_PATH}"]
    files = cached_files(cache)
    assert len(files) == 1
    assert COMMIT in files[0]
    assert "/" not in files[0]
    assert (cache / files[0]).read_bytes() == data

    again = read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert again == (text, origin)
    assert len(server.hits) == 1  # served from the cache


def test_download_tampered_file_is_refused_and_not_cached(server: Server, cache: Path) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    tampered = data + b"\nZwingle.\n"
    server.serve(draft, tampered)
    with pytest.raises(SourceError) as info:
        read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    msg = str(info.value)
    assert sha(tampered) in msg
    assert draft.sha256 in msg
    assert draft.slug in msg
    assert f"127.0.0.1:{server.port}" in msg
    assert cached_files(cache) == []


def test_download_404(server: Server, cache: Path) -> None:
    draft = make_draft()
    with pytest.raises(SourceError, match=r"HTTP 404") as info:
        read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert f"http://127.0.0.1:{server.port}/{COMMIT}/{SOURCE_PATH}" in str(info.value)
    assert cached_files(cache) == []


def test_download_server_down(cache: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    template = f"http://127.0.0.1:{port}/{{commit}}/{{path}}"
    with pytest.raises(SourceError, match="cannot download") as info:
        read_draft_text("download", make_draft(), cache_dir=cache, url_template=template)
    assert f"http://127.0.0.1:{port}/" in str(info.value)
    assert cached_files(cache) == []


def test_corrupted_cache_entry_is_refetched(server: Server, cache: Path) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.serve(draft, data)
    read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    (entry,) = cached_files(cache)
    (cache / entry).write_bytes(b"garbled")
    text, _ = read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert text == SYNTHETIC
    assert len(server.hits) == 2
    assert (cache / entry).read_bytes() == data
    assert cached_files(cache) == [entry]


def test_corrupted_cache_entry_is_deleted_even_when_refetch_fails(
    server: Server, cache: Path
) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.serve(draft, data)
    read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    (entry,) = cached_files(cache)
    (cache / entry).write_bytes(b"garbled")
    server.files.clear()
    with pytest.raises(SourceError, match="HTTP 404"):
        read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert cached_files(cache) == []


def test_download_uses_environment(
    server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.serve(draft, data)
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", server.template)
    monkeypatch.setenv("BIO2MAP_CACHE", str(cache))
    text, _ = read_draft_text("download", draft)
    assert text == SYNTHETIC
    assert len(cached_files(cache)) == 1


def test_download_not_utf8(server: Server, cache: Path) -> None:
    data = b"## 5.01.01\n\nFlorp \xff\xfe zint.\n"
    draft = make_draft(data)
    server.serve(draft, data)
    with pytest.raises(SourceError, match="not UTF-8") as info:
        read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert f"127.0.0.1:{server.port}" in str(info.value)


@pytest.mark.parametrize(
    "template",
    [
        "http://example.invalid/{commit}/{path}",
        "ftp://127.0.0.1/{commit}/{path}",
        "file:///etc/{path}",
        "https:///{commit}",
    ],
)
def test_download_refuses_insecure_urls(template: str, cache: Path) -> None:
    with pytest.raises(SourceError, match="refusing to download"):
        read_draft_text("download", make_draft(), cache_dir=cache, url_template=template)
    assert cached_files(cache) == []


def test_download_refuses_redirect_to_plain_http(server: Server, cache: Path) -> None:
    draft = make_draft()
    server.redirects[f"{COMMIT}/{SOURCE_PATH}"] = "http://example.invalid/elsewhere.md"
    with pytest.raises(SourceError, match=r"refusing to download 'http://example\.invalid"):
        read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert len(server.hits) == 1


def test_download_follows_local_redirect(server: Server, cache: Path) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.files["moved.md"] = data
    server.redirects[f"{COMMIT}/{SOURCE_PATH}"] = f"http://127.0.0.1:{server.port}/moved.md"
    text, _ = read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert text == SYNTHETIC


def test_download_needs_a_pin(cache: Path) -> None:
    with pytest.raises(SourceError, match="no pinned commit, path and sha256"):
        read_draft_text("download", make_draft(sha256=""), cache_dir=cache)


def test_cache_folder_that_cannot_be_made(server: Server, tmp_path: Path) -> None:
    data = SYNTHETIC.encode()
    draft = make_draft(data)
    server.serve(draft, data)
    blocker = tmp_path / "file"
    blocker.write_text("zint")
    with pytest.raises(SourceError, match="cannot write the BIO2 cache"):
        read_draft_text("download", draft, cache_dir=blocker / "sub", url_template=server.template)


@pytest.mark.parametrize("slug", ["2024-06-draft", "1.1", "1.3"])
def test_download_real_drafts(shared: Path, server: Server, cache: Path, slug: str) -> None:
    draft = packaged(slug)
    data = (shared / "corpus" / "bio2" / slug / "maatregelen.md").read_bytes()
    assert sha(data) == draft.sha256
    server.serve(draft, data)
    text, _ = read_draft_text("download", draft, cache_dir=cache, url_template=server.template)
    assert text.encode() == data
    cat = bio2map.load(slug).attach_texts("download", cache_dir=cache)
    assert cat.text_mismatches == ()
    assert len(server.hits) == 1


@given(
    commit=st.text(max_size=50),
    path=st.text(max_size=80),
)
def test_cache_name_is_one_safe_path_component(commit: str, path: str) -> None:
    name = sources._cache_name(make_draft(commit=commit, source_path=path))
    assert name not in ("", ".", "..")
    assert "/" not in name
    assert os.sep not in name
    assert "\x00" not in name
    assert name == sources._cache_name(make_draft(commit=commit, source_path=path))


@given(
    scheme=st.sampled_from(["http", "https", "ftp", "file", "HTTP", "gopher"]),
    host=st.sampled_from(["127.0.0.1", "localhost", "example.org", "10.0.0.1", "127.0.0.2"]),
)
def test_only_https_or_local_http(scheme: str, host: str) -> None:
    url = f"{scheme}://{host}/x.md"
    allowed = scheme.lower() == "https" or (
        scheme.lower() == "http" and host in ("127.0.0.1", "localhost")
    )
    if allowed:
        sources._check_url(url)
    else:
        with pytest.raises(SourceError):
            sources._check_url(url)


# --- folder, file ----------------------------------------------------------------------


def test_folder_source(shared: Path) -> None:
    corpus = shared / "corpus" / "bio2"
    for draft in read_manifest().drafts:
        text, origin = read_draft_text(corpus, draft)
        path = corpus / draft.slug / "maatregelen.md"
        assert origin == str(path)
        assert sha(text.encode()) == draft.sha256


def test_folder_without_the_draft(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"has no 9\.9/maatregelen\.md") as info:
        read_draft_text(tmp_path, make_draft())
    assert str(tmp_path) in str(info.value)


def test_folder_with_other_text(tmp_path: Path) -> None:
    (tmp_path / "9.9").mkdir()
    (tmp_path / "9.9" / "maatregelen.md").write_text(SYNTHETIC + "Extra zint.\n", encoding="utf-8")
    text, origin = read_draft_text(tmp_path, make_draft())
    assert text.endswith("Extra zint.\n")
    assert origin.endswith("(not the pinned 9.9 file)")


def test_single_file_pinned(shared: Path) -> None:
    path = shared / "corpus" / "bio2" / "1.3" / "maatregelen.md"
    text, origin = read_draft_text(path, packaged("1.3"))
    assert origin == str(path)
    assert sha(text.encode()) == packaged("1.3").sha256


def test_single_file_other(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text(SYNTHETIC, encoding="utf-8")
    text, origin = read_draft_text(str(path), packaged("1.3"))
    assert text == SYNTHETIC
    assert origin == f"{path} (not the pinned 1.3 file)"
    # the same file is the pinned one of a draft whose sha256 it has
    assert read_draft_text(path, make_draft())[1] == str(path)


def test_single_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("## 5.01.01\n\nGr\u00f6bble\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8") as info:
        read_draft_text(path, make_draft())
    assert "latin.md" in str(info.value)
    assert "9.9" in str(info.value)


def test_missing_source(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="neither a file nor a folder") as info:
        read_draft_text(tmp_path / "nope.md", make_draft())
    assert "nope.md" in str(info.value)
    assert isinstance(info.value, OSError)


def test_local_file_named_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "download").write_text(SYNTHETIC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert read_draft_text("./download", make_draft()) == (SYNTHETIC, "download")


# --- git clone -------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Zint",
        "GIT_AUTHOR_EMAIL": "zint@example.invalid",
        "GIT_COMMITTER_NAME": "Zint",
        "GIT_COMMITTER_EMAIL": "zint@example.invalid",
    }
    out = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, check=True, env=env, timeout=60
    )
    return out.stdout.decode().strip()


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "clone"
    (repo / "docs" / "maatregelen").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / SOURCE_PATH).write_text(SYNTHETIC, encoding="utf-8")
    git(repo, "add", SOURCE_PATH)
    git(repo, "commit", "-q", "-m", "zorblat")
    first = git(repo, "rev-parse", "HEAD")
    (repo / SOURCE_PATH).write_text("## 5.01.01\n\nLater quiffle.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "quiffle")
    return repo, first


@needs_git
def test_git_clone_reads_the_pinned_commit(clone: tuple[Path, str]) -> None:
    repo, first = clone
    draft = make_draft(commit=first)
    text, origin = read_draft_text(repo, draft)
    assert text == SYNTHETIC  # not the working tree, not HEAD
    assert origin == f"{repo} at {first[:12]}:{SOURCE_PATH}"


@needs_git
def test_git_clone_other_content_is_flagged(clone: tuple[Path, str]) -> None:
    repo, first = clone
    draft = make_draft(b"something else", commit=first)
    _, origin = read_draft_text(repo, draft)
    assert origin.endswith("(not the pinned 9.9 file)")


@needs_git
def test_git_clone_lacks_commit(clone: tuple[Path, str]) -> None:
    repo, _ = clone
    missing = "0123456789" * 4
    with pytest.raises(SourceError, match="lacks commit") as info:
        read_draft_text(repo, make_draft(commit=missing))
    msg = str(info.value)
    assert missing in msg
    assert "git -C" in msg
    assert "fetch" in msg
    assert "9.9" in msg


def test_git_commit_must_be_hex(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    with pytest.raises(SourceError, match="not a commit id"):
        read_draft_text(tmp_path, make_draft(commit="--output=/tmp/zint"))


@needs_git
def test_git_clone_lacks_path(clone: tuple[Path, str]) -> None:
    repo, first = clone
    with pytest.raises(SourceError, match="cannot read") as info:
        read_draft_text(repo, make_draft(commit=first, source_path="docs/zorp.md"))
    assert f"{first}:docs/zorp.md" in str(info.value)


@needs_git
def test_git_clone_attaches_texts_to_a_catalog(clone: tuple[Path, str]) -> None:
    repo, _ = clone
    cat = bio2map.load("1.3")
    # the clone does not have the real pinned commit
    with pytest.raises(SourceError, match="lacks commit"):
        cat.attach_texts(repo)


@needs_git
def test_broken_git_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    with pytest.raises(SourceError, match=r"has a \.git but git cannot read it") as info:
        read_draft_text(tmp_path, make_draft())
    assert str(tmp_path) in str(info.value)


@needs_git
def test_broken_git_folder_inside_a_repository(
    clone: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, first = clone
    inner = repo / "inner"
    (inner / ".git").mkdir(parents=True)
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    with pytest.raises(SourceError, match="git cannot read it"):
        read_draft_text(inner, make_draft(commit=first))


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(SourceError, match="git is not installed"):
        read_draft_text(tmp_path, make_draft())


# --- load(texts=...) and versions ------------------------------------------------------

SLUGS = ["2024-06-draft", "2024-10-consultation", "2025-03-concept", "1.1", "1.1.1", "1.2", "1.3"]


def test_load_with_texts_13(shared: Path) -> None:
    cat = bio2map.load("1.3", texts=shared / "corpus" / "bio2")
    assert cat.text_mismatches == ()
    assert cat.texts_source == str(shared / "corpus" / "bio2" / "1.3" / "maatregelen.md")
    assert all(m.text for m in cat.measures)
    assert all(m.control_title is None for m in cat.measures)  # 1.3 has no control headings
    assert cat.get("5.17.01").text  # type: ignore[union-attr]
    # the structure-only catalog is left alone
    assert bio2map.load("1.3").get("5.17.01").text is None  # type: ignore[union-attr]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_draft_text_matches_its_fingerprints(shared: Path, slug: str) -> None:
    cat = bio2map.load(slug, texts=shared / "corpus" / "bio2")
    assert cat.text_mismatches == ()
    assert all(m.text is not None for m in cat.measures)
    titled = [m for m in cat.measures if m.control_title]
    if slug in ("1.2", "1.3"):
        assert titled == []
    else:
        assert len(titled) == len(cat.measures)


def test_load_with_other_file_lists_mismatches(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text(SYNTHETIC, encoding="utf-8")
    cat = bio2map.load("1.3", texts=path)
    assert cat.texts_source == f"{path} (not the pinned 1.3 file)"
    assert "bio2:5.01.01" in cat.text_mismatches
    assert len(cat.text_mismatches) == len(cat.measures)
    assert cat.get("5.01.01").text == "Florp the wibble quandersnatch, grobble the zint."  # type: ignore[union-attr]


def test_load_never_touches_the_network(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        msg = "network used"
        raise AssertionError(msg)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    cat = bio2map.load("1.2", texts=shared / "corpus" / "bio2")
    assert cat.text_mismatches == ()


def test_load_accepts_every_slug() -> None:
    slugs = [d.slug for d in read_manifest().drafts]
    assert slugs == SLUGS
    for slug in slugs:
        assert bio2map.load(slug).bio2_version == slug


@pytest.mark.parametrize("slug", SLUGS)
def test_load_accepts_every_label(slug: str) -> None:
    label = packaged(slug).label
    assert bio2map.load(label).bio2_version == slug


def test_unknown_version_lists_known_slugs() -> None:
    with pytest.raises(UnknownVersionError) as info:
        bio2map.load("9.9-zorp")
    msg = str(info.value)
    assert "9.9-zorp" in msg
    for slug in SLUGS:
        assert slug in msg
    assert info.value.known == tuple(SLUGS)
