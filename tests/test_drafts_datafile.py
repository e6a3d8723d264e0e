"""bio2map.drafts.datafile: the data file of one BIO2 draft (structure and fingerprints,
never a sentence), its manifest entries, and the bytes it is written as."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bio2map.core.resources import read_bytes
from bio2map.drafts.datafile import (
    BIO2_REPOSITORY,
    DRAFT_ATTRIBUTION,
    DRAFT_LICENCE,
    data_json,
    draft_dataset,
    draft_document,
    draft_entry,
    git_blob_id,
)
from bio2map.drafts.parser import fingerprint
from bio2map.drafts.signatures import signature
from tests.conftest import needs_shared

DRAFT = """\
## 5.1 Beleidsregels voor informatiebeveiliging

### 5.01.01

De organisatie heeft een informatiebeveiligingsbeleid dat jaarlijks wordt herzien.

Draagt bij aan: Basishygiëne

### 5.01.02

Vervallen.

## 5.2 Rollen en verantwoordelijkheden

### 5.02.01

Rollen zijn belegd en vastgelegd.

### 5.02.02

Verplaatst naar 5.01.01.
"""

META = {
    "slug": "test",
    "label": "BIO2 test",
    "status": "concept",
    "date": "2025-01-31",
    "commit": "abc123",
    "source_path": "docs/maatregelen/index.md",
}


def document() -> tuple[dict[str, object], dict[str, int], dict[str, object]]:
    return draft_document(DRAFT.encode("utf-8"), **META)


def test_data_json_is_reproducible_bytes() -> None:
    assert (
        data_json({"b": 1, "a": ["ë", 2]}) == b'{\n "a": [\n  "\xc3\xab",\n  2\n ],\n "b": 1\n}\n'
    )
    assert data_json({"a": 1, "b": 2}) == data_json({"b": 2, "a": 1})


def test_git_blob_id_is_what_git_prints(tmp_path: Path) -> None:
    assert git_blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's empty blob
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    if shutil.which("git"):
        f = tmp_path / "f.md"
        f.write_bytes(DRAFT.encode("utf-8"))
        out = subprocess.run(["git", "hash-object", str(f)], capture_output=True, text=True)
        assert out.stdout.strip() == git_blob_id(f.read_bytes())


def test_the_document_holds_structure_and_figures_only() -> None:
    doc, _counts, meta = document()
    assert doc["dataset"] == "bio2-test"
    assert doc["draft"] is meta
    measures = doc["measures"]
    assert isinstance(measures, list)
    assert [(m["id"], m["kind"], m["seq"]) for m in measures] == [
        ("5.01.01", "measure", 1),
        ("5.01.02", "withdrawn", 2),
        ("5.02.01", "measure", 3),
        ("5.02.02", "moved", 4),
    ]
    first = measures[0]
    assert set(first) == {
        *("id", "control", "kind", "target", "tags", "nis2", "tag_line", "rationale"),
        *("numbered", "fingerprint", "signature", "words", "seq"),
    }
    text = "De organisatie heeft een informatiebeveiligingsbeleid dat jaarlijks wordt herzien."
    assert first["fingerprint"] == fingerprint(text)
    assert first["signature"] == signature(text)
    assert first["words"] == 9
    assert (first["tags"], first["tag_line"]) == (["Basishygiëne"], True)
    assert measures[3]["target"] == "5.01.01"
    assert "herzien" not in json.dumps(doc)  # never a sentence of the text


def test_counts_and_meta() -> None:
    _doc, counts, meta = document()
    assert counts == {
        "measure_ids": 4,
        "entries": 4,
        "measures": 2,
        "no_measure": 0,
        "moved": 1,
        "withdrawn": 1,
        "see_other": 0,
        "unnumbered": 0,
        "tag_lines": 1,
        "controls_with_measures": 2,
    }
    raw = DRAFT.encode("utf-8")
    assert meta == {
        **META,
        "source_repository": BIO2_REPOSITORY,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "git_blob": git_blob_id(raw),
        "bytes": len(raw),
        "layout": "1.1",  # control headings and 'Draagt bij aan' lines
    }


def test_known_figures_are_taken_not_computed() -> None:
    text = "Rollen zijn belegd en vastgelegd."
    doc, _, _ = draft_document(
        DRAFT.encode("utf-8"), **META, known={fingerprint(text): ("ffff" * 64, 99)}
    )
    by_id = {m["id"]: m for m in doc["measures"]}  # type: ignore[attr-defined]
    assert (by_id["5.02.01"]["signature"], by_id["5.02.01"]["words"]) == ("ffff" * 64, 99)
    assert by_id["5.01.01"]["words"] == 9  # not known: computed


def test_not_utf8_is_refused() -> None:
    with pytest.raises(UnicodeDecodeError):
        draft_document(b"\xff\xfe## 5.01.01\n", **META)


def test_manifest_entries() -> None:
    _doc, counts, meta = document()
    blob = b"{}\n"
    ds = draft_dataset(meta, "bio2-test.json", blob, counts)
    assert ds == {
        "name": "bio2-test",
        "version": "test",
        "file": "bio2-test.json",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "title": "BIO2 test measures (structure only)",
        "source": f"{BIO2_REPOSITORY} docs/maatregelen/index.md at commit abc123",
        "licence": DRAFT_LICENCE,
        "attribution": DRAFT_ATTRIBUTION,
        "counts": counts,
    }
    assert draft_dataset(meta, "f", blob, counts, source="my clone")["source"] == "my clone"
    assert draft_entry(meta, "bio2-test.json", counts) == {
        **meta,
        "file": "bio2-test.json",
        "counts": counts,
    }


@needs_shared
def test_a_packaged_draft_file_is_this_document(shared: Path) -> None:
    """The packaged 1.3 file is what draft_document makes of the corpus text."""
    packaged = json.loads(read_bytes("bio2-1.3.json"))
    raw = (shared / "corpus" / "bio2" / "1.3" / "maatregelen.md").read_bytes()
    meta = packaged["draft"]
    doc, _, _ = draft_document(
        raw,
        **{k: meta[k] for k in ("slug", "label", "status", "date", "commit", "source_path")},
        source_repository=meta["source_repository"],
    )
    labels = ("label_en", "label_nl")  # our own short labels, added by tasks/build_data.py
    assert doc["measures"] == [
        {k: v for k, v in m.items() if k not in labels} for m in packaged["measures"]
    ]
    assert doc["draft"] == meta
