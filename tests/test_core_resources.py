"""bio2map.core.resources: the packaged data files, read next to the module, or a file of
another data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bio2map
from bio2map.core.resources import data_dir, read_bytes


def test_data_dir_is_the_packaged_folder() -> None:
    folder = Path(data_dir())
    assert folder == Path(bio2map.__file__).parent / "data"
    assert (folder / "manifest.json").is_file()


def test_read_bytes_reads_a_packaged_file_whole() -> None:
    raw = read_bytes("manifest.json")
    assert raw == (Path(data_dir()) / "manifest.json").read_bytes()
    assert "datasets" in json.loads(raw)


def test_read_bytes_reads_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(b'{"mine": true}\n')
    assert read_bytes("manifest.json", str(tmp_path)) == b'{"mine": true}\n'
    assert read_bytes("manifest.json") != b'{"mine": true}\n'  # the packaged one is untouched


def test_a_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_bytes("no-such-file.json")
    with pytest.raises(FileNotFoundError):
        read_bytes("manifest.json", str(tmp_path))
