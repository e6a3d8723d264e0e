"""Downloads against hostile servers and a hostile cache, all on 127.0.0.1.

Servers trickle bytes, send garbage or oversized headers, lie about the length or hang
up; the mirror URL is malformed; cache entries are FIFOs, symbolic links, folders or
half-written. Every failure must be a SourceError that names the URL (or the cache
entry); a bad cache entry is removed and the draft fetched again. Cases that could
block run in a child process with a timeout.
"""

from __future__ import annotations

import email.message
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import attrs
import pytest

from bio2map.core.errors import SourceError
from bio2map.drafts import sources
from bio2map.drafts.sources import default_cache_dir, read_draft_text
from tests.conftest import REPO
from tests.hostile.support import (
    HANG,
    SYNTHETIC,
    RawServer,
    assert_refused,
    make_draft,
    ok_answer,
    run,
    write_sparse,
)

DRAFT = make_draft(SYNTHETIC)


def _fetch(server: RawServer, cache: Path) -> str:
    text, _ = read_draft_text("download", DRAFT, cache_dir=cache, url_template=server.template)
    return text


def _trickle_body(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    while True:
        sock.sendall(b"x")
        time.sleep(0.05)


def _trickle_headers(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\n")
    while True:
        sock.sendall(b"X")
        time.sleep(0.05)


def _answer(raw: bytes) -> object:
    def answer(sock: socket.socket) -> None:
        sock.sendall(raw)

    return answer


def _endless_body(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
    block = b"0" * 65536
    while True:
        sock.sendall(block)


HOSTILE_SERVERS = {
    "garbage status line": (
        _answer(b"SSH-2.0-OpenSSH_9.6\x1b[2J\r\n\r\n"),
        "not a valid HTTP response (BadStatusLine: SSH-2.0-OpenSSH_9.6\\x1b[2J)",
    ),
    "no status line": (_answer(b""), "Remote end closed connection"),
    "200 headers": (
        _answer(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 200 + b"\r\n"),
        "got more than 100 headers",
    ),
    "a 100 KB header line": (
        _answer(b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 100_000 + b"\r\n\r\n"),
        "got more than 65536 bytes when reading header line",
    ),
    "a length over the cap": (
        _answer(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n"),
        f"larger than {sources._MAX_BYTES} bytes",
    ),
    "an endless body": (_endless_body, f"larger than {sources._MAX_BYTES} bytes"),
    "a short body": (
        _answer(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nshort"),
        "the server sent 5 of 1000 bytes",
    ),
    "a bad chunk": (
        _answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        "IncompleteRead",
    ),
    "trickled body": (_trickle_body, "gave up after 1 s"),
    "trickled headers": (_trickle_headers, "gave up after 1 s"),
}


@pytest.mark.parametrize(("answer", "expected"), HOSTILE_SERVERS.values(), ids=HOSTILE_SERVERS)
def test_hostile_server(
    answer: object, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "_DEADLINE", 1.0)
    with RawServer(answer) as server:  # type: ignore[arg-type]
        with pytest.raises(SourceError) as info:
            _fetch(server, tmp_path / "cache")
        url = server.template.format(commit=DRAFT.commit, path=DRAFT.source_path)
    message = str(info.value)
    assert url in message
    assert expected in message, message
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_hostile_server_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sources, "_DEADLINE", 1.0)
    monkeypatch.setenv("BIO2MAP_CACHE", str(tmp_path))
    for answer in (_trickle_body, _answer(b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 500 + b"\r\n")):
        with RawServer(answer) as server:  # type: ignore[arg-type]
            monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", server.template)
            code, out, err = run(capsys, "show", "5.01.01", "--texts", "download")
        assert_refused(code, out, err, f"127.0.0.1:{server.port}", max_lines=1)


@pytest.mark.parametrize(
    "template",
    [
        "https://[::1/{commit}/{path}",
        "http://127.0.0.1:99999/{commit}/{path}",
        "http://127.0.0.1:port/{commit}/{path}",
        "https://exa mple.org/{path}",
        "https://example.org/{path}\r\nX-Injected: 1",
        "https://example.org/\x00{path}",
        "https://" + "a" * 120_000 + "/{path}",
        "",
        "{commit}",
    ],
)
def test_malformed_mirror_url(
    template: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SourceError, match="refusing to download"):
        read_draft_text("download", DRAFT, cache_dir=tmp_path, url_template=template or "x")
    if "\x00" in template:
        return  # no environment variable can hold a NUL
    monkeypatch.setenv("BIO2MAP_CACHE", str(tmp_path))
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", template or "x")
    code, out, err = run(capsys, "show", "5.01.01", "--texts", "download")
    assert_refused(code, out, err, "refusing to download", max_lines=1)
    assert len(err) < 1000


# --- redirects -----------------------------------------------------------------------------


def _redirect(origin: str, target: str) -> urllib.request.Request | None:
    handler = sources._CheckedRedirects(origin)
    req = urllib.request.Request(origin)
    return handler.redirect_request(
        req, io.BytesIO(), 302, "Found", email.message.Message(), target
    )


@pytest.mark.parametrize(
    "target",
    [
        "https://127.0.0.1/x.md",
        "https://127.0.0.2:8443/x.md",
        "https://localhost./x.md",
        "https://a.localhost/x.md",
        "https://[::1]/x.md",
        "https://[::ffff:127.0.0.1]/x.md",
        "https://10.1.2.3/x.md",
        "https://192.168.0.1/x.md",
        "https://169.254.169.254/latest/meta-data",
        "https://0.0.0.0/x.md",
        "https://2130706433/x.md",
        "https://0x7f.1/x.md",
        "https://127.1/x.md",
    ],
)
def test_no_redirect_from_a_public_mirror_to_this_machine(target: str) -> None:
    with pytest.raises(SourceError, match="redirects to this machine or a private network"):
        _redirect("https://mirror.example.org/x.md", target)


def test_redirects_that_stay_allowed() -> None:
    assert _redirect("https://mirror.example.org/x.md", "https://cdn.example.net/x.md")
    assert _redirect("http://127.0.0.1:8000/x.md", "http://localhost:8000/y.md")
    assert _redirect("https://10.0.0.1/x.md", "https://10.0.0.2/y.md")


# --- the cache -----------------------------------------------------------------------------

CHILD = r"""
import json, sys
from bio2map.core.records import Draft
from bio2map.drafts.sources import read_draft_text
fields = json.loads(sys.argv[1])
fields["counts"] = tuple(fields["counts"])
draft = Draft(**fields)
text, _ = read_draft_text("download", draft, cache_dir=sys.argv[2], url_template=sys.argv[3])
print(len(text))
"""


def _child(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(attrs.asdict(DRAFT)), *args],
        capture_output=True,
        text=True,
        timeout=HANG,
        env=env,
        check=False,
    )


def _entry(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    return cache / sources._cache_name(DRAFT)


def test_fifo_cache_entry_is_replaced_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entry = _entry(cache)
    os.mkfifo(entry)
    with RawServer(ok_answer(SYNTHETIC)) as server:
        proc = _child(str(cache), server.template)
        assert server.hits == 1
    assert (proc.returncode, proc.stdout.strip()) == (0, str(len(SYNTHETIC))), proc.stderr
    assert entry.is_file()
    assert not entry.is_symlink()
    assert entry.read_bytes() == SYNTHETIC


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda e, t: e.symlink_to("/dev/zero"), id="symlink to /dev/zero"),
        pytest.param(lambda e, t: e.symlink_to(t / "nowhere"), id="dangling symlink"),
        pytest.param(
            lambda e, t: (t / "good.md").write_bytes(SYNTHETIC) and e.symlink_to(t / "good.md"),
            id="symlink to the right text",  # never read through a link, even a good one
        ),
        pytest.param(lambda e, t: e.mkdir(), id="empty folder"),
        pytest.param(lambda e, t: write_sparse(e, 64 * 1024 * 1024), id="64 MB entry"),
        pytest.param(lambda e, t: e.write_bytes(SYNTHETIC[:20]), id="half-written entry"),
        pytest.param(lambda e, t: e.write_bytes(b""), id="empty entry"),
    ],
)
def test_bad_cache_entry_is_repaired(make: object, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entry = _entry(cache)
    make(entry, tmp_path)  # type: ignore[operator]
    with RawServer(ok_answer(SYNTHETIC)) as server:
        assert _fetch(server, cache) == SYNTHETIC.decode()
        assert server.hits == 1
        assert _fetch(server, cache) == SYNTHETIC.decode()
        assert server.hits == 1  # the repaired entry is used
    assert not entry.is_symlink()
    assert entry.read_bytes() == SYNTHETIC
    good = tmp_path / "good.md"
    if good.exists():  # a link's target is never touched
        assert good.read_bytes() == SYNTHETIC


def test_a_folder_entry_that_cannot_be_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    entry = _entry(cache)
    entry.mkdir()
    (entry / "keep").write_text("mine", encoding="utf-8")
    with RawServer(ok_answer(SYNTHETIC)) as server, pytest.raises(SourceError) as info:
        _fetch(server, cache)
    assert "is not a file bio2map wrote and cannot be removed" in str(info.value)
    assert (entry / "keep").read_text(encoding="utf-8") == "mine"


def test_cache_folder_with_a_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BIO2MAP_CACHE", "~/bio2-cache")
    assert default_cache_dir() == tmp_path / "bio2-cache"
    monkeypatch.delenv("BIO2MAP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", "~/xdg")
    assert default_cache_dir() == tmp_path / "xdg" / "bio2map"


CONCURRENT = r"""
import json, random, sys
from pathlib import Path
from bio2map.core.records import Draft
from bio2map.drafts import sources
fields = json.loads(sys.argv[1])
fields["counts"] = tuple(fields["counts"])
draft = Draft(**fields)
cache, template = Path(sys.argv[2]), sys.argv[3]
expected = Path(sys.argv[4]).read_bytes().decode()
removed = []  # entries this process found bad: a half-written entry would land here
real_remove = sources._remove
def spy(path, seen, d):
    removed.append(str(path))
    real_remove(path, seen, d)
sources._remove = spy
rng = random.Random(int(sys.argv[5]))
for _ in range(10):
    if rng.random() < 0.5:  # drop the entry: downloads and writes overlap other reads
        for p in cache.glob("[!.]*"):
            p.unlink(missing_ok=True)
    text, _ = sources.read_draft_text("download", draft, cache_dir=cache, url_template=template)
    assert text == expected
print(json.dumps(removed))
"""


def test_eight_processes_share_one_cache(tmp_path: Path) -> None:
    body = b"## 5.01.01\n\n" + b"Zint florp grobble wibble.\n" * 80_000  # 2 MB: slow writes
    draft = make_draft(body)
    (tmp_path / "expected.md").write_bytes(body)
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with RawServer(ok_answer(body, pieces=8, pause=0.01)) as server:
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    CONCURRENT,
                    json.dumps(attrs.asdict(draft)),
                    str(cache),
                    server.template,
                    str(tmp_path / "expected.md"),
                    str(seed),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for seed in range(8)
        ]
        results = []
        for proc in procs:
            try:
                out, err = proc.communicate(timeout=4 * HANG)
            except subprocess.TimeoutExpired:
                for p in procs:
                    p.kill()
                    p.communicate()
                raise
            results.append((proc.returncode, out, err))
    for code, out, err in results:
        assert code == 0, err
        assert json.loads(out) == []  # nobody ever read a half-written entry
    assert sorted(p.name for p in cache.iterdir()) == [sources._cache_name(draft)]
    assert (cache / sources._cache_name(draft)).read_bytes() == body
