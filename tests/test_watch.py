"""Tests of ``bio2map watch`` and :mod:`bio2map.watch`.

Every source is built here: a git repository made in ``tmp_path`` whose history holds
the 1.3 text and then a commit that renumbers a measure, adds one and adds a tag; a
folder laid out like the repository; a single file; and ``download`` from a server on
127.0.0.1 (never the internet). The real 1.3 text is read from the shared corpus at run
time (those tests skip when it is absent); synthetic texts use made-up words.
"""

from __future__ import annotations

import hashlib
import http.server
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import bio2map
from bio2map.cli.main import main
from bio2map.core import resources as _resources
from bio2map.core.errors import DataErrorGroup, DraftParseError, SourceError, UnknownVersionError
from bio2map.core.reader import read_manifest
from bio2map.drafts import sources
from bio2map.watch import (
    CATEGORIES,
    UPSTREAM_PATH,
    UnknownCategoryError,
    WatchResult,
    WatchWriteError,
    data_json,
    draft_document,
    json_schema,
    parse_fail_on,
    write_data,
)
from tests.conftest import NO_SHARED, SHARED, needs_shared

# ``bio2map.watch`` is the function (through the package) or the module (imported)
watch_module = importlib.import_module("bio2map.watch")
watch = watch_module.watch

NEW_MEASURE = (
    "De entiteit houdt een register bij van alle sleutelhouders en controleert dit "
    "register elk kwartaal op juistheid en volledigheid."
)
SYNTHETIC = (
    "## 5.01.01\nFlorp the wibble quandersnatch, grobble the zint.\n\n## 5.01.02\nVervallen.\n"
)
UNREADABLE_SYNTHETIC = SYNTHETIC + "\n# Bijlage\nEen losse regel zonder plaats.\n"
GIT_DATE = "2026-04-01T10:00:00+00:00"
GIT_DATE2 = "2026-04-02T10:00:00+00:00"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bio2map: "), err
    assert "Traceback" not in err
    return lines[0]


def validate(doc: Any) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


# --- texts -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def text13() -> bytes:
    if SHARED is None:
        pytest.skip(NO_SHARED)
    return (SHARED / "corpus" / "bio2" / "1.3" / "maatregelen.md").read_bytes()


def change(text: bytes) -> bytes:
    """1.3 with 5.02.02 renumbered to 5.02.03, a new 5.02.04, and tags on 5.01.02."""
    t = text.decode("utf-8")
    assert t.count("## 5.02.02\n") == 1
    assert "## 5.02.03" not in t
    assert "## 5.02.04" not in t
    t = t.replace("## 5.02.02\n", "## 5.02.03\n")
    t = t.replace("## 5.03.01\n", f"## 5.02.04\n{NEW_MEASURE}\n\n## 5.03.01\n")
    at = t.index("## 5.02.01\n")
    t = t[:at] + "Draagt bij aan: Basishygiëne, NIS2\n\n" + t[at:]
    return t.encode("utf-8")


@pytest.fixture(scope="session")
def changed13(text13: bytes) -> bytes:
    return change(text13)


def unreadable(text: bytes) -> bytes:
    """A text with two lines the parser cannot place (before 5.03.01)."""
    return text.replace(
        b"## 5.03.01\n", b"# Bijlage\nEen losse regel zonder plaats.\n\n## 5.03.01\n"
    )


# --- a git repository ----------------------------------------------------------------------


def git(repo: Path, *args: str, date: str = GIT_DATE) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_DATE=date,
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(repo.parent),
        GIT_CEILING_DIRECTORIES=str(repo.parent),
    )
    cmd = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    out = subprocess.run([*cmd, *args], capture_output=True, check=True, env=env, timeout=60)
    return out.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path: Path, text13: bytes, changed13: bytes) -> tuple[Path, str, str]:
    """A clone-like repository: commit 1 holds the 1.3 text, commit 2 the changed one.

    Returns the repository (at commit 2) and the two commit ids.
    """
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    r = tmp_path / "bio2"
    page = r / UPSTREAM_PATH
    page.parent.mkdir(parents=True)
    git(r, "init", "-q", "-b", "main")
    page.write_bytes(text13)
    git(r, "add", UPSTREAM_PATH)
    git(r, "commit", "-q", "-m", "BIO2 1.3")
    first = git(r, "rev-parse", "HEAD")
    page.write_bytes(changed13)
    git(r, "commit", "-q", "-am", "5.02.02 wordt 5.02.03, nieuwe 5.02.04, tags", date=GIT_DATE2)
    second = git(r, "rev-parse", "HEAD")
    return r, first, second


# --- a local HTTP server --------------------------------------------------------------------


class Server:
    """Serves ``files`` on 127.0.0.1; ``slow`` paths send one byte every 0.1 s (at most 100)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.slow: set[str] = set()
        self.hits: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                key = self.path.lstrip("/")
                body = outer.files.get(key)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if key not in outer.slow:
                    self.wfile.write(body)
                    return
                try:
                    for b in body[:100]:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{commit}}/{{path}}"

    def serve(self, data: bytes, branch: str = "main") -> None:
        self.files[f"{branch}/{UPSTREAM_PATH}"] = data

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with Server() as s:
        monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", s.template)
        yield s


# --- git clone ---------------------------------------------------------------------------------


def test_git_unchanged_at_the_first_commit(
    repo: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    r, first, _ = repo
    git(r, "checkout", "-q", first)
    code, out, err = run(capsys, "watch", "--source", str(r))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith(f"unchanged: {r} at {first[:12]}:{UPSTREAM_PATH}")
    assert f"(commit {first[:12]}, {GIT_DATE})" in out
    assert "packaged draft 1.3" in out


def test_git_changed_at_the_head(repo: tuple[Path, str, str]) -> None:
    r, _, second = repo
    res = watch(r)
    assert res.kind == "git"
    assert res.commit == second
    assert res.date == GIT_DATE2
    assert (res.status, res.changed, res.readable) == ("changed", True, True)
    d = res.diff
    assert d is not None
    assert (d.old, d.new, d.texts) == ("1.3", "upstream", False)
    assert d.added == ("5.02.03", "5.02.04")
    assert d.removed == ("5.02.02",)
    assert [(m.old_id, m.new_id, m.evidence) for m in d.moved] == [
        ("5.02.02", "5.02.03", "fingerprint")
    ]
    assert d.changed == ()  # no measure reworded
    assert [(t.id, t.added, t.removed) for t in res.tags] == [
        ("5.01.02", ("Basishygiëne", "NIS2"), ())
    ]
    counts = res.categories()
    assert counts is not None
    assert {k: v for k, v in counts.items() if v} == {
        "added": 2,
        "removed": 1,
        "moved": 1,
        "tags": 1,
        "nis2_tag": 1,
        "nis2": counts["nis2"],
        "ir2690": counts["ir2690"],
        "controls": 1,
    }
    assert counts["nis2"] >= 1 + 1  # the NIS2 tag and the points 5.2 serves
    assert [c.id for c in d.impact.controls] == ["iso27002:5.2"]
    assert res.exit_code() == 1


@pytest.mark.parametrize(
    ("fail_on", "code", "failed"),
    [
        (None, 1, []),
        ("moved,removed,kind_changed,nis2", 1, ["removed", "moved", "nis2"]),
        ("kind_changed", 0, []),
        ("anomalies,reworded,retired", 0, []),
        ("tags", 1, ["tags"]),
        ("nis2_tag", 1, ["nis2_tag"]),
        ("any", 1, ["added", "removed", "moved", "tags", "nis2_tag", "nis2", "ir2690", "controls"]),
    ],
)
def test_git_changed_exit_codes(
    repo: tuple[Path, str, str],
    capsys: pytest.CaptureFixture[str],
    fail_on: str | None,
    code: int,
    failed: list[str],
) -> None:
    r, _, second = repo
    argv = ["watch", "--source", str(r), "--format", "json"]
    if fail_on is not None:
        argv += ["--fail-on", fail_on]
    got, out, err = run(capsys, *argv)
    assert (got, err) == (code, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["source"]["commit"] == second
    assert doc["failed"] == failed


def test_git_changed_markdown_report(
    repo: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    r, _, second = repo
    argv = ("watch", "--source", str(r), "--format", "md", "--fail-on", "moved,kind_changed")
    code, out, err = run(capsys, *argv)
    assert (code, err) == (1, "")
    assert out.startswith("# BIO2 upstream watch: changed\n")
    assert f"| commit | {second} |" in out
    assert "**FAILED --fail-on: moved (1)**" in out
    assert "| moved **(fails)** | 1 |" in out
    assert "| 5.01.02 | 5.01.02 | Basishygiëne, NIS2 |  |" in out
    assert "## BIO2 1.3 → upstream" in out  # the diff report, one level down
    assert "| 5.02.02 | 5.02.03 |" in out
    assert out.count("## Tag changes") == 1  # the diff's own (not compared) is left out
    assert main(list(argv)) == 1  # deterministic
    assert capsys.readouterr().out == out


def test_git_changed_table(repo: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    r, _, _ = repo
    code, out, err = run(capsys, "watch", "--source", str(r), "--fail-on", "added")
    assert (code, err) == (1, "")
    assert "BIO2 upstream watch: changed" in out
    assert "FAILED --fail-on: added (2)" in out
    assert "Moves (text under another id)" in out
    assert "Tag changes (the NIS2 tag included)" in out


def test_git_uncommitted_changes_are_not_read(repo: tuple[Path, str, str], text13: bytes) -> None:
    r, first, _ = repo
    git(r, "checkout", "-q", first)
    (r / UPSTREAM_PATH).write_bytes(b"## 5.01.01\nIets anders.\n")
    assert watch(r).status == "unchanged"


def test_git_clone_without_the_page(
    tmp_path: Path, repo: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    r, _, _ = repo
    git(r, "rm", "-q", UPSTREAM_PATH)
    git(r, "commit", "-q", "-m", "weg")
    code, out, err = run(capsys, "watch", "--source", str(r))
    assert (code, out) == (2, "")
    assert f"has no {UPSTREAM_PATH} at commit" in one_error_line(err)


def test_git_repository_without_commits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    r = tmp_path / "empty"
    r.mkdir()
    git(r, "init", "-q")
    code, out, err = run(capsys, "watch", "--source", str(r))
    assert (code, out) == (2, "")
    assert "cannot read the checked-out commit" in one_error_line(err)


# --- folder and single file -------------------------------------------------------------------


@pytest.mark.parametrize(("which", "code"), [("same", 0), ("changed", 1)])
def test_folder_source(
    tmp_path: Path,
    text13: bytes,
    changed13: bytes,
    capsys: pytest.CaptureFixture[str],
    which: str,
    code: int,
) -> None:
    page = tmp_path / "site" / UPSTREAM_PATH
    page.parent.mkdir(parents=True)
    page.write_bytes(text13 if which == "same" else changed13)
    got, out, err = run(capsys, "watch", "--source", str(tmp_path / "site"), "--format", "json")
    assert (got, err) == (code, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["source"]["kind"] == "folder"
    assert doc["source"]["origin"] == str(page)
    assert doc["source"]["commit"] is None


def test_folder_without_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "watch", "--source", str(tmp_path))
    assert (code, out) == (2, "")
    assert "neither a git clone" in one_error_line(err)


def test_single_file_unchanged(
    tmp_path: Path, text13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "maatregelen.md"
    f.write_bytes(text13)
    code, out, err = run(capsys, "watch", "--source", str(f))
    assert (code, err) == (0, "")
    digest = hashlib.sha256(text13).hexdigest()
    assert out == f"unchanged: {f} is packaged draft 1.3 (sha256 {digest[:12]})\n"
    code, out, _ = run(capsys, "watch", "--source", str(f), "--format", "json")
    doc = json.loads(out)
    validate(doc)
    assert (doc["status"], doc["diff"], doc["categories"]["moved"]) == ("unchanged", None, 0)


def test_single_file_against_another_draft(
    tmp_path: Path, text13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "maatregelen.md"
    f.write_bytes(text13)
    code, out, err = run(capsys, "watch", "--source", str(f), "--against", "1.2", "-f", "json")
    assert (code, err) == (1, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["against"]["slug"] == "1.2"
    same = json.loads(json.dumps(doc["diff"]).replace("upstream", "1.3"))
    assert same == bio2map.diff("1.2", "1.3").as_dict()  # the packaged diff, to 'upstream'


def test_synthetic_file_without_shared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    code, out, err = run(capsys, "watch", "--source", str(f), "--format", "json")
    assert (code, err) == (1, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["layout"] == "1.3"
    assert doc["diff"]["kind_changed"] == [{"id": "5.01.02", "from": "measure", "to": "withdrawn"}]
    assert doc["categories"]["removed"] == 164


def test_unknown_against(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    code, out, err = run(capsys, "watch", "--source", str(f), "--against", "9.9")
    assert (code, out) == (2, "")
    assert "unknown BIO2 version '9.9'" in one_error_line(err)
    with pytest.raises(UnknownVersionError):
        watch(f, "9.9")


# --- unreadable and broken texts --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_unreadable_text_reports_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    f = tmp_path / "draft.md"
    f.write_text(UNREADABLE_SYNTHETIC, encoding="utf-8")
    code, out, err = run(capsys, "watch", "--source", str(f), "--format", fmt, "--fail-on", "any")
    assert code == 2
    line = one_error_line(err)
    assert line.startswith("bio2map: error: unreadable: ")
    assert "cannot place 2 lines (first: line 7)" in line
    if fmt == "json":
        doc = json.loads(out)
        validate(doc)
        assert doc["status"] == "unreadable"
        assert doc["unassigned"] == [
            {"line": 7, "text": "# Bijlage"},
            {"line": 8, "text": "Een losse regel zonder plaats."},
        ]
        assert (doc["categories"], doc["diff"], doc["failed"]) == (None, None, [])
    else:
        assert "Een losse regel zonder plaats." in out
        assert "8" in out


def test_unreadable_real_text(
    tmp_path: Path, text13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "maatregelen.md"
    f.write_bytes(unreadable(text13))
    res = watch(f)
    assert res.status == "unreadable"
    assert [u.text for u in res.unassigned] == ["# Bijlage", "Een losse regel zonder plaats."]
    assert res.exit_code(("moved",)) == 2
    with pytest.raises(WatchWriteError, match="cannot place 2 lines"):
        write_data(res, tmp_path / "data")
    code, _, err = run(capsys, "watch", "--source", str(f), "--write-data", str(tmp_path / "d"))
    assert code == 2
    assert one_error_line(err).endswith("; no data folder written")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no BIO2 measures found: the text is empty"),
        (b"# Iets\n\nGeen maatregelen hier.\n", "no BIO2 measures found"),
        (b"## 5.01.01\n\xff\xfe kapot\n", "is not UTF-8 text"),
    ],
)
def test_not_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    f = tmp_path / "x.md"
    f.write_bytes(content)
    code, out, err = run(capsys, "watch", "--source", str(f))
    assert (code, out) == (2, "")
    assert message in one_error_line(err)


def test_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "watch", "--source", str(tmp_path / "nope.md"))
    assert (code, out) == (2, "")
    assert "neither a file nor a folder" in one_error_line(err)
    with pytest.raises(SourceError):
        watch(tmp_path / "nope.md")
    (tmp_path / "e.md").write_text("niets\n", encoding="utf-8")
    with pytest.raises(DraftParseError):
        watch(tmp_path / "e.md")


# --- --fail-on ---------------------------------------------------------------------------------


def test_parse_fail_on() -> None:
    assert parse_fail_on("Moved, removed,kind-changed,nis2") == (
        "removed",
        "moved",
        "kind_changed",
        "nis2",
    )
    assert parse_fail_on("kind,substantive,tags_changed,move,split,merge") == (
        "moved",
        "splits",
        "merges",
        "reworded",
        "kind_changed",
        "tags",
    )
    assert parse_fail_on("any") == tuple(CATEGORIES)
    assert parse_fail_on(["moved", "moved"]) == ("moved",)
    with pytest.raises(UnknownCategoryError, match="unknown --fail-on category 'bogus'"):
        parse_fail_on("moved,bogus")
    with pytest.raises(UnknownCategoryError, match="no category; accepted: added, removed"):
        parse_fail_on(" , ")


@pytest.mark.parametrize("value", ["bogus", "moved,changed", ","])
def test_unknown_fail_on_category(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    code, out, err = run(capsys, "watch", "--source", str(f), "--fail-on", value)
    assert (code, out) == (2, "")
    line = one_error_line(err)
    assert "accepted: " + ", ".join(CATEGORIES) + ", or any" in line


# --- download ----------------------------------------------------------------------------------


def test_download_changed(
    server: Server, changed13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    server.serve(changed13)
    code, out, err = run(capsys, "watch", "--source", "download", "--format", "json")
    assert (code, err) == (1, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["source"]["kind"] == "download"
    assert doc["source"]["origin"] == f"http://127.0.0.1:{server.port}/main/{UPSTREAM_PATH}"
    assert doc["categories"]["moved"] == 1
    assert server.hits == [f"/main/{UPSTREAM_PATH}"]


def test_download_unchanged_is_not_cached(
    server: Server, text13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    server.serve(text13)
    for _ in range(2):
        code, out, err = run(capsys, "watch", "--source", "download")
        assert (code, err) == (0, "")
        assert out.startswith(f"unchanged: http://127.0.0.1:{server.port}/main/")
    assert len(server.hits) == 2  # the head is read every time


def test_download_synthetic_and_other_branch(server: Server) -> None:
    server.serve(SYNTHETIC.encode(), branch="next")
    res = watch("download", branch="next")
    assert (res.status, res.kind, res.commit, res.date) == ("changed", "download", None, None)


@pytest.mark.parametrize(
    ("serve", "message"),
    [
        (None, "HTTP 404"),
        (b"\xff\xfe\x00 kapot", "is not UTF-8 text"),
        (b"<html>niets</html>\n", "no BIO2 measures found"),
    ],
)
def test_download_broken(
    server: Server,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    serve: bytes | None,
    message: str,
) -> None:
    if serve is not None:
        server.serve(serve)
    out_dir = tmp_path / "data"
    code, out, err = run(capsys, "watch", "--source", "download", "--write-data", str(out_dir))
    assert (code, out) == (2, "")
    assert message in one_error_line(err)
    assert not out_dir.exists()


def test_download_unreadable(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    server.serve(UNREADABLE_SYNTHETIC.encode())
    code, out, err = run(capsys, "watch", "--source", "download", "--format", "json")
    assert code == 2
    assert json.loads(out)["status"] == "unreadable"
    assert one_error_line(err).startswith("bio2map: error: unreadable: http://127.0.0.1:")


def test_download_size_cap(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_MAX_BYTES", 40)
    server.serve(SYNTHETIC.encode())
    with pytest.raises(SourceError, match="larger than 40 bytes"):
        watch("download")


def test_download_deadline(server: Server) -> None:
    server.serve(SYNTHETIC.encode())
    server.slow.add(f"main/{UPSTREAM_PATH}")
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"not complete within the deadline of 0\.5 s"):
        watch("download", deadline=0.5)
    assert time.monotonic() - start < 3


def test_download_server_down(monkeypatch: pytest.MonkeyPatch) -> None:
    with Server() as s:
        template = s.template
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", template)
    with pytest.raises(SourceError, match="cannot download the upstream BIO2 text"):
        watch("download", deadline=5)


@pytest.mark.parametrize(
    "template",
    ["http://example.invalid/{commit}/{path}", "ftp://127.0.0.1/{path}", "file:///etc/{path}"],
)
def test_download_https_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    monkeypatch.setenv("BIO2MAP_DOWNLOAD_URL", template)
    code, out, err = run(capsys, "watch", "--source", "download")
    assert (code, out) == (2, "")
    assert "only https URLs" in one_error_line(err)


def test_download_default_url_is_the_upstream_head(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIO2MAP_DOWNLOAD_URL", raising=False)
    seen: list[str] = []

    def fake_check(url: str) -> None:
        seen.append(url)
        raise SourceError("stop")

    monkeypatch.setattr(sources, "_check_url", fake_check)
    with pytest.raises(SourceError, match="stop"):
        watch("download")
    assert seen == [
        "https://raw.githubusercontent.com/MinBZK/Baseline-Informatiebeveiliging-Overheid"
        f"/main/{UPSTREAM_PATH}"
    ]


def test_local_file_named_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "download").write_text(SYNTHETIC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert watch("./download").kind == "file"


# --- --write-data ------------------------------------------------------------------------------


def test_write_data_from_a_clone(
    repo: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r, _, second = repo
    out_dir = tmp_path / "data"
    code, out, err = run(
        capsys, "watch", "--source", str(r), "--write-data", str(out_dir), "-f", "json"
    )
    assert (code, err) == (1, "")
    doc = json.loads(out)
    validate(doc)
    assert doc["data_dir"] == str(out_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bio2", "data"]  # no temp folders

    cat = bio2map.load(data_dir=out_dir, bio2_version="upstream")
    assert cat.bio2_version == "upstream"
    assert cat.draft.commit == second
    assert cat.draft.date == "2026-04-02"
    assert cat.draft.status == "upstream"
    assert cat.get("5.02.04").kind == "measure"
    assert cat.get("5.01.02").tags == ("Basishygiëne",)
    assert cat.get("5.01.02").nis2_flag
    man = read_manifest(out_dir)
    assert man.verify() == ()
    assert man.default_bio2 == "1.3"
    assert [d.slug for d in man.drafts][-1] == "upstream"
    packaged = read_manifest()
    assert [d.name for d in man.datasets] == [d.name for d in packaged.datasets] + ["bio2-upstream"]

    # the same structure and fingerprints a build makes, whatever figures were reused
    text = (r / UPSTREAM_PATH).read_bytes()
    written = json.loads((out_dir / "bio2-upstream.json").read_bytes())
    fresh, _, _ = draft_document(
        text,
        slug="upstream",
        label=written["draft"]["label"],
        status="upstream",
        date="2026-04-02",
        commit=second,
        source_path=UPSTREAM_PATH,
    )
    assert (out_dir / "bio2-upstream.json").read_bytes() == data_json(fresh)

    # every command reads the folder with --data-dir
    for argv in (
        ("controls", "21(2)(d)", "--bio2", "upstream"),
        ("show", "5.02.04", "--bio2", "upstream"),
        ("history", "5.02.03", "--bio2", "upstream"),
        ("diff", "1.3", "upstream"),
        ("drafts",),
        ("info",),
        ("uncovered", "--bio2", "upstream"),
    ):
        code, out, err = run(capsys, *argv, "--data-dir", str(out_dir), "--format", "json")
        assert (code, err) == (0, ""), argv
        assert "upstream" in out, argv
    code, out, err = run(
        capsys, "export", "--format", "csv", "--bio2", "upstream", "--data-dir", str(out_dir)
    )
    assert (code, err) == (0, "")
    assert "bio2:5.02.04" in out
    code, out, err = run(capsys, "drafts", "--format", "json")  # and without it, the packaged data
    assert "upstream" not in out

    # watching against that folder: the latest draft is now the upstream one
    code, out, err = run(capsys, "watch", "--source", str(r), "--data-dir", str(out_dir))
    assert (code, err) == (0, "")
    assert "is packaged draft upstream" in out


def test_written_folder_is_validated_when_loaded(
    repo: tuple[Path, str, str], tmp_path: Path
) -> None:
    r, _, _ = repo
    out_dir = write_data(watch(r), tmp_path / "data")
    f = out_dir / "bio2-upstream.json"
    f.write_bytes(f.read_bytes().replace(b'"5.02.04"', b'"5.02.05"'))
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load("upstream", data_dir=out_dir)
    assert [e.file for e in info.value.exceptions] == ["bio2-upstream.json"]
    assert "does not match the manifest" in str(info.value.exceptions[0])


def test_write_data_when_unchanged_and_replace(
    tmp_path: Path, text13: bytes, changed13: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "maatregelen.md"
    f.write_bytes(text13)
    out_dir = tmp_path / "data"
    code, out, err = run(capsys, "watch", "--source", str(f), "--write-data", str(out_dir))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.endswith(f"; data folder written: {out_dir}\n")
    first = bio2map.load("upstream", data_dir=out_dir)
    assert len(first.measures) == len(bio2map.load("1.3").measures)
    assert first.draft.commit == ""
    # a second run replaces the folder as a whole (and the loader's caches)
    f.write_bytes(changed13)
    assert main(["watch", "--source", str(f), "--write-data", str(out_dir)]) == 1
    capsys.readouterr()
    assert bio2map.load("upstream", data_dir=out_dir).get("5.02.04").kind == "measure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "maatregelen.md"]


def test_write_data_refuses_a_folder_that_is_not_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    code, out, err = run(capsys, "watch", "--source", str(f), "--write-data", str(other))
    assert (code, out) == (2, "")
    assert "not a bio2map data folder" in one_error_line(err)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(WatchWriteError, match="it is a file"):
        write_data(watch(f), tmp_path / "afile")


def test_write_data_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    out_dir = write_data(watch(f), tmp_path / "data")
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    def broken(folder: Path) -> None:
        assert (folder / "manifest.json").is_file()  # the whole folder is written first
        raise OSError(28, "No space left on device")

    f.write_text(SYNTHETIC.replace("Florp", "Blorp"), encoding="utf-8")
    monkeypatch.setattr(watch_module, "_check", broken)
    with pytest.raises(WatchWriteError, match="No space left on device"):
        write_data(watch(f), out_dir)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "draft.md"]


def test_write_data_into_a_new_nested_folder(tmp_path: Path) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    out_dir = write_data(watch(f), tmp_path / "a" / "b" / "data")
    cat = bio2map.load("upstream", data_dir=out_dir)
    assert [m.number for m in cat.measures] == ["5.01.01", "5.01.02"]
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", cat.draft.date)  # the day it was written
    assert cat.draft.label == f"BIO2 upstream ({cat.draft.date})"


def test_use_data_dir_sets_and_restores_the_default(tmp_path: Path) -> None:
    from bio2map.core.reader import use_data_dir

    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    out_dir = write_data(watch(f), tmp_path / "data")
    restore = use_data_dir(out_dir)
    try:
        assert read_manifest().folder == str(out_dir)
        assert bio2map.load("upstream").bio2_version == "upstream"
        assert watch(f).status == "unchanged"  # the latest draft there is 'upstream'
    finally:
        restore()
    assert read_manifest().folder is None
    with pytest.raises(UnknownVersionError):
        bio2map.load("upstream")


def test_data_dir_that_is_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "drafts", "--data-dir", str(tmp_path / "nope"))
    assert (code, out) == (2, "")
    assert "not a folder" in one_error_line(err)


# --- the Python API -----------------------------------------------------------------------------


def test_python_api(tmp_path: Path) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    res = bio2map.watch(str(f))
    assert isinstance(res, bio2map.WatchResult)
    assert res.changed is True
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.changed = False  # type: ignore[misc]
    assert set(res.as_dict()) == {
        "status",
        "changed",
        "summary",
        "source",
        "against",
        "layout",
        "unassigned",
        "categories",
        "tags_changed",
        "diff",
    }
    assert "quandersnatch" not in json.dumps(res.as_dict())  # no text in the output
    assert repr(res).startswith("<WatchResult changed: ")
    assert res == watch(f)  # equal results for equal input (the text is not compared)
    validate(res.as_dict())


def test_module_and_function_are_both_callable(tmp_path: Path) -> None:
    f = tmp_path / "draft.md"
    f.write_text(SYNTHETIC, encoding="utf-8")
    assert watch_module(str(f)).status == "changed"  # type: ignore[operator]
    assert watch(f).status == "changed"
    assert bio2map.watch(f).status == "changed"
    assert {"watch", "WatchResult"} <= set(bio2map.__all__)
    assert WatchResult is bio2map.WatchResult


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())
    props = json_schema()["properties"]["categories"]["oneOf"][1]["properties"]
    assert list(props) == list(CATEGORIES)


def test_watch_is_not_a_core_command() -> None:
    code = (
        "import sys; from bio2map.cli.main import main; main(['info', '--format', 'json']); "
        "print('bio2map.watch' in sys.modules, 'bio2map.cli.watch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.strip().endswith("False False")


@needs_shared
def test_draft_document_builds_the_packaged_drafts(drafts: dict[str, dict[str, Any]]) -> None:
    """The library's draft builder gives the packaged file byte for byte."""
    assert SHARED is not None
    packaged = read_manifest()
    for slug, d in drafts.items():
        raw = (SHARED / d["maatregelen_path"]).read_bytes()
        meta = packaged.draft(slug)
        doc, counts, _ = draft_document(
            raw,
            slug=slug,
            label=meta.label,
            status=meta.status,
            date=meta.date,
            commit=meta.commit,
            source_path=meta.source_path,
        )
        packaged_doc = json.loads(_resources.read_bytes(f"bio2-{slug}.json"))
        for m in packaged_doc["measures"]:  # our labels are added by tasks/build_data.py
            del m["label_nl"], m["label_en"]
        assert data_json(doc) == data_json(packaged_doc), slug
        assert counts == dict(meta.counts), slug
