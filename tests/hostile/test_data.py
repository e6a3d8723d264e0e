"""Corrupted data files: every corruption is a DataErrorGroup that names the file.

A copy of the packaged data goes to a temporary folder, one file is damaged (and, where
the case asks, its sha256 in the manifest updated so that only the content is wrong),
and ``load(data_dir=...)`` must refuse it with a DataErrorGroup, never a bare Python
error (RecursionError, ValueError from building the group, TypeError, KeyError).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import bio2map
from bio2map.core import resources
from bio2map.core.errors import DataError, DataErrorGroup
from tests.hostile.support import assert_refused, run_process

DEEP = b"[" * 100_000 + b"]" * 100_000


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(resources.data_dir(), folder)
    return folder


def _damage(folder: Path, name: str, blob: bytes, *, rehash: bool) -> None:
    (folder / name).write_bytes(blob)
    if rehash and name != "manifest.json":
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for ds in manifest["datasets"]:
            if ds["file"] == name:
                ds["sha256"] = hashlib.sha256(blob).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _refused(folder: Path) -> list[str]:
    with pytest.raises(DataErrorGroup) as info:
        bio2map.load(data_dir=folder)
    problems = [str(e) for e in info.value.exceptions]
    assert problems
    assert all(isinstance(e, DataError) for e in info.value.exceptions)
    assert len(problems) <= 1001
    assert all(len(p) < 2000 for p in problems)
    return problems


@pytest.mark.parametrize("name", ["nis2.json", "iso27001-2022.json", "bio2-1.3.json"])
@pytest.mark.parametrize(
    ("blob", "expected"),
    [
        pytest.param(b"null", "expected a JSON object at the top, got null", id="null"),
        pytest.param(b"[1, 2]", "got a list of 2 items", id="list"),
        pytest.param(b"42", "got 42", id="number"),
        pytest.param(b'"x"', "got 'x'", id="string"),
        pytest.param(b"", "invalid JSON", id="empty"),
        pytest.param(b'{"requirements": [{"id": ', "invalid JSON", id="truncated"),
        pytest.param(DEEP, "invalid JSON: nested too deeply", id="nested 100,000 deep"),
        pytest.param(b"\xff\xfe{}", "not UTF-8", id="not UTF-8"),
        pytest.param(b'{"a": 1, "a": 2}', "duplicate key 'a'", id="duplicate key"),
    ],
)
def test_corrupt_dataset(tmp_path: Path, name: str, blob: bytes, expected: str) -> None:
    folder = _copy(tmp_path)
    _damage(folder, name, blob, rehash=True)
    problems = _refused(folder)
    assert any(p.startswith(name) and expected in p for p in problems), problems


@pytest.mark.parametrize(
    "blob",
    [
        pytest.param(b'{"requirements": ' + b"[" * 900 + b"]" * 900 + b"}", id="lists"),
        pytest.param(
            b'{"requirements": [' + b'{"a":' * 900 + b"1" + b"}" * 900 + b"]}", id="objects"
        ),
        pytest.param(b'{"requirements": [{"id": ' + b"[" * 900 + b"]" * 900 + b"}]}", id="field"),
    ],
)
def test_deep_but_parseable_values(tmp_path: Path, blob: bytes) -> None:
    folder = _copy(tmp_path)
    _damage(folder, "nis2.json", blob, rehash=True)
    problems = _refused(folder)
    assert any(p.startswith("nis2.json: /requirements/0") for p in problems), problems


def test_wrong_hash(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _damage(folder, "nis2.json", b"{}", rehash=False)
    problems = _refused(folder)
    assert any(
        p.startswith("nis2.json: sha256: file does not match the manifest") for p in problems
    )


@pytest.mark.parametrize(
    ("blob", "expected"),
    [
        pytest.param(
            b"null", "manifest.json: expected a JSON object at the top, got null", id="null"
        ),
        pytest.param(
            b"[]", "manifest.json: expected a JSON object at the top, got a list", id="list"
        ),
        pytest.param(DEEP, "manifest.json: invalid JSON: nested too deeply", id="deep"),
        pytest.param(b'{"format": 1, "datasets": [', "manifest.json: line 1", id="truncated"),
        pytest.param(b'{"format": 1, "datasets": 7}', "manifest.json: /datasets", id="wrong type"),
    ],
)
def test_corrupt_manifest(tmp_path: Path, blob: bytes, expected: str) -> None:
    folder = _copy(tmp_path)
    _damage(folder, "manifest.json", blob, rehash=False)
    problems = _refused(folder)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_missing_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "ir2690.json").unlink()
    problems = _refused(folder)
    assert problems[0].startswith("ir2690.json: cannot read: No such file")


def test_an_empty_group_is_never_a_bare_value_error() -> None:
    group = DataErrorGroup("cannot read the data", [])
    assert [str(e) for e in group.exceptions] == ["<unknown>: cannot read the data"]


@pytest.mark.parametrize("name", ["manifest.json", "iso27001-2022.json"])
def test_a_named_pipe_in_the_data_folder_is_refused_at_once(tmp_path: Path, name: str) -> None:
    # open() on a FIFO without a writer blocks forever: a child process, so a hang fails
    folder = _copy(tmp_path)
    (folder / name).unlink()
    os.mkfifo(folder / name)
    code, out, err = run_process("controls", "21(2)(d)", "--data-dir", str(folder))
    assert_refused(code, out, err, f"{name}: cannot read: a named pipe (FIFO), not a regular file")


@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(lambda p: p.mkdir(), "a folder", id="folder"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), "a device", id="/dev/zero"),
    ],
)
def test_a_special_file_in_the_data_folder_is_refused(
    tmp_path: Path, make: object, what: str
) -> None:
    folder = _copy(tmp_path)
    (folder / "ir2690.json").unlink()
    make(folder / "ir2690.json")  # type: ignore[operator]
    problems = _refused(folder)
    assert problems == [f"ir2690.json: cannot read: {what}, not a regular file"]
