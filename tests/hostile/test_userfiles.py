"""core.userfiles: what is opened, what is refused, pipes, caps and encodings.

Pipes are made with ``os.pipe()`` and passed as ``/dev/fd/N``, which is what a shell's
process substitution ``<(cmd)`` hands a program.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bio2map.core.errors import DataError, DataErrorGroup, DraftParseError, SourceError
from bio2map.core.userfiles import (
    LAYER,
    SOA,
    InputKind,
    allow_csv_fields,
    check_path,
    decode_text,
    open_user_file,
    read_user_bytes,
    shown_name,
)
from bio2map.drafts.parser import parse, parse_file
from tests.hostile.support import run

needs_dev_fd = pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")

LAYER_CSV = b"subject_id,predicate_id,object_id\nmyorg:SUP-01,intersects_with,A.5.19\n"
DRAFT_MD = b"# Zorblat\n\n## 5.01.01\n\nFlorp the wibble.\n\n## 5.01.02\n\nVervallen.\n"


@contextmanager
def pipe(data: bytes, *, close: bool = True) -> Iterator[str]:
    """``/dev/fd/N`` for a pipe that a thread fills with ``data`` (and then closes)."""
    r, w = os.pipe()

    def write() -> None:
        try:
            os.write(w, data)
        finally:
            if close:
                os.close(w)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield f"/dev/fd/{r}"
    finally:
        writer.join(5)
        os.close(r)
        if not close:
            os.close(w)


# --- process substitution and standard input -------------------------------------------


@needs_dev_fd
def test_layer_from_process_substitution(capsys: pytest.CaptureFixture[str]) -> None:
    with pipe(LAYER_CSV) as fd_path:
        code, out, err = run(capsys, "controls", "myorg:SUP-01", "--layer", fd_path, "-f", "json")
    assert (code, err) == (0, "")
    assert [c["id"] for c in json.loads(out)["controls"]] == ["iso27002:5.19"]


@needs_dev_fd
def test_yaml_layer_from_process_substitution(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("yaml")
    library = (
        b"objects:\n  requirement_mapping_set:\n    requirement_mappings:\n"
        b"    - source_requirement_urn: urn:intuitem:risk:req_node:iso27001-2022:a.5.19\n"
        b"      target_requirement_urn: urn:intuitem:risk:req_node:nis2-directive:21.2.d\n"
        b"      relationship: intersect\n"
    )
    with pipe(library) as fd_path:
        code, _, err = run(capsys, "requirements", "5.19", "--layer", fd_path, "-f", "json")
    assert (code, err) == (0, "")


@needs_dev_fd
def test_soa_and_parse_from_process_substitution(capsys: pytest.CaptureFixture[str]) -> None:
    with pipe(b"control\n5.19\n") as fd_path:
        code, out, err = run(capsys, "gaps", "--soa", fd_path, "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["soa"]["entries"] == 1
    with pipe(DRAFT_MD) as fd_path:
        code, out, err = run(capsys, "parse", fd_path, "-f", "json")
    assert (code, err) == (0, "")
    assert [m["id"] for m in json.loads(out)["measures"]] == ["5.01.01", "5.01.02"]


def test_dash_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"control\n5.19\n")))
    code, out, err = run(capsys, "gaps", "--soa", "-", "-f", "json")
    assert (code, err) == (0, "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LAYER_CSV)))
    code, out, err = run(capsys, "controls", "myorg:SUP-01", "--layer", "-", "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["controls"][0]["id"] == "iso27002:5.19"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DRAFT_MD)))
    assert parse_file("-").source == "<stdin>"


@needs_dev_fd
def test_a_silent_pipe_is_given_up() -> None:
    with pipe(b"control\n", close=False) as fd_path, pytest.raises(DataError) as info:
        read_user_bytes(fd_path, SOA, timeout=0.2)
    assert "nothing came through the pipe for 0.2 s" in str(info.value)


@needs_dev_fd
def test_a_pipe_over_the_cap_is_refused() -> None:
    small = InputKind("a test file", 1000, "text")
    with pipe(b"x" * 5000) as fd_path, pytest.raises(DataError) as info:
        read_user_bytes(fd_path, small)
    assert "more than 1000 bytes; a test file may be at most 1000" in str(info.value)


def test_standard_input_over_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    small = InputKind("a test file", 10, "text")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 11)))
    with pytest.raises(DataError, match="more than 10 bytes"):
        read_user_bytes("-", small)


def test_dash_is_a_file_where_stdin_is_not_accepted(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="No such file"):
        read_user_bytes("-", SOA, stdin=False)


# --- refusals ------------------------------------------------------------------------------


def test_refusals_name_the_file(tmp_path: Path) -> None:
    cases = {
        str(tmp_path): "a folder, not a file",
        "/dev/zero": "a device, not a regular file",
        "": "no file name given",
        "a\x00b": "the file name holds a NUL character",
        str(tmp_path / ("n" * 300)): "the file name is too long for the file system",
        str(tmp_path / "missing"): "No such file or directory",
    }
    for path, message in cases.items():
        with pytest.raises(DataError) as info:
            read_user_bytes(path, SOA)
        assert message in str(info.value), path
        assert str(info.value).startswith(shown_name(path))


def test_a_file_that_grows_past_the_cap_is_refused(tmp_path: Path) -> None:
    small = InputKind("a test file", 100, "text")
    p = tmp_path / "grows.csv"
    p.write_bytes(b"x" * 50)
    uf = open_user_file(p, small)
    with uf:
        with p.open("ab") as f:
            f.write(b"y" * 200)
        with pytest.raises(DataError, match="more than 100 bytes"):
            uf.lines().read()


def test_path_types() -> None:
    assert check_path(Path("a.csv")) == "a.csv"
    for bad in (None, 3, b"a.csv", ["a.csv"]):
        with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike"):
            read_user_bytes(bad, SOA)  # type: ignore[arg-type]


def test_shown_name() -> None:
    assert shown_name("soa.csv") == "soa.csv"
    assert shown_name("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert shown_name("-") == "<stdin>"
    long = shown_name("d/" * 500)
    assert len(long) < 220
    assert long.endswith("(1000 characters)")


# --- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark(encoding: str) -> None:
    text = "control\nA.5.19\nélan\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_text(data, "x", SOA) == text


def test_utf16_soa_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "vvt.csv"
    p.write_text("control,status\nA.5.19,implemented\n", encoding="utf-16")
    code, out, err = run(capsys, "gaps", "--soa", str(p), "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["soa"]["entries"] == 1


def test_decoding_errors_name_the_line() -> None:
    with pytest.raises(DataError) as info:
        decode_text(b"a\nb\nc\xff\n", "f.csv", SOA)
    assert str(info.value) == (
        "f.csv: line 3: not UTF-8 text (invalid start byte at byte 5); save the file as UTF-8"
    )
    with pytest.raises(DataError) as info:
        decode_text("a\nb\n".encode("utf-16") + b"\x00\xd8", "f.csv", SOA)  # a lone surrogate
    assert info.value.location == "line 3"
    with pytest.raises(DataError, match=r"binary file; expected CSV or TSV \(a NUL byte on line 2"):
        decode_text(b"a\nb\x00", "f.csv", LAYER)


def test_streamed_decoding_error_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "layer.csv"
    p.write_bytes(b"a,b\n" * 100_000 + b"\xc3(\n")
    with open_user_file(p, LAYER) as uf, pytest.raises(UnicodeDecodeError) as info:
        list(uf.lines())
    with open_user_file(p, LAYER) as uf:
        problem = uf.decode_error(info.value)
    assert problem.location == "line 100001"
    assert "at byte 400000" in problem.message


def test_csv_field_limit_is_raised() -> None:
    allow_csv_fields(SOA.limit)
    assert csv.field_size_limit() >= SOA.limit
    allow_csv_fields(10)  # never lowered
    assert csv.field_size_limit() >= SOA.limit


# --- the readers' API ---------------------------------------------------------------------------


def test_readers_validate_argument_types(tmp_path: Path) -> None:
    import bio2map
    from bio2map.formats.ciso import parse_ciso_layer, read_ciso_layer
    from bio2map.formats.layers import parse_layer, read_layer
    from bio2map.formats.soa import parse_soa, read_soa

    cat = bio2map.load()
    p = tmp_path / "x.csv"
    p.write_text("control\n5.19\n", encoding="utf-8")
    calls = [
        (lambda: read_soa(3, cat), "path must be"),  # type: ignore[arg-type]
        (lambda: read_soa(p, "1.3"), "catalog must be a bio2map Catalog, got str"),  # type: ignore[arg-type]
        (lambda: parse_soa(b"control\n"), "text must be a str, got bytes"),  # type: ignore[arg-type]
        (lambda: parse_soa("control\n", source=None), "source must be a str"),  # type: ignore[arg-type]
        (lambda: read_layer(p, None), "catalog must be"),  # type: ignore[arg-type]
        (lambda: read_layer(p, cat, name=3), "name must be a str or None"),  # type: ignore[arg-type]
        (lambda: parse_layer([], cat, name=None), "name must be a str"),  # type: ignore[arg-type]
        (lambda: parse_layer("a,b,c", cat, name="x"), "lines must be an iterable of str lines"),
        (lambda: parse_layer(7, cat, name="x"), "lines must be an iterable"),  # type: ignore[arg-type]
        (lambda: parse_ciso_layer(None, cat, name="x"), "text must be a str"),  # type: ignore[arg-type]
        (lambda: read_ciso_layer(1.5, cat, name="x"), "source must be"),  # type: ignore[arg-type]
        (lambda: parse(None), "text must be a str"),  # type: ignore[arg-type]
        (lambda: parse_file(None), "path must be"),  # type: ignore[arg-type]
    ]
    for call, message in calls:
        with pytest.raises(TypeError, match=message):
            call()


def test_parse_file_errors_keep_their_types(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="a folder, not a file"):
        parse_file(tmp_path)
    p = tmp_path / "b.md"
    p.write_bytes(b"## 5.01.01\n\x00")
    with pytest.raises(DraftParseError) as info:
        parse_file(p)
    assert info.value.file == "b.md"
    assert "binary file" in info.value.message


def test_reader_errors_are_groups(tmp_path: Path) -> None:
    import bio2map
    from bio2map.formats.layers import read_layer
    from bio2map.formats.soa import read_soa

    cat = bio2map.load()
    for read in (read_soa, read_layer):
        with pytest.raises(DataErrorGroup) as info:
            read(tmp_path, cat)
        assert "a folder, not a file" in str(info.value)
