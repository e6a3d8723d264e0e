"""The data file of one BIO2 draft: structure and fingerprints, never a sentence.

The one definition of a packaged draft file: ``tasks/build_data.py`` builds the packaged
drafts with it and :func:`bio2map.watch.write_data` an upstream one, so both have exactly
the same structure.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from bio2map.drafts.parser import ParsedDraft

__all__ = [
    "BIO2_REPOSITORY",
    "DRAFT_ATTRIBUTION",
    "DRAFT_LICENCE",
    "data_json",
    "draft_dataset",
    "draft_document",
    "draft_entry",
    "git_blob_id",
]

BIO2_REPOSITORY: Final = "https://github.com/MinBZK/Baseline-Informatiebeveiliging-Overheid"
"""The upstream repository of the BIO2 texts."""

DRAFT_LICENCE: Final = (
    "CC BY-SA 4.0 (Staat der Nederlanden); only ids, structure and fingerprints are packaged"
)
"""The licence note of every BIO2 draft dataset."""

DRAFT_ATTRIBUTION: Final = "Baseline Informatiebeveiliging Overheid 2 (BIO2), Staat der Nederlanden"
"""The attribution of every BIO2 draft dataset."""


def data_json(obj: Any) -> bytes:
    """Serialise a data file the way the packaged data is written.

    Sorted keys, UTF-8 kept, one-space indent, a final newline: byte-for-byte
    reproducible.
    """
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def git_blob_id(raw: bytes) -> str:
    """The git blob id of ``raw`` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def draft_document(
    raw: bytes,
    *,
    slug: str,
    label: str,
    status: str,
    date: str,
    commit: str,
    source_path: str,
    source_repository: str = BIO2_REPOSITORY,
    parsed: ParsedDraft | None = None,
    known: Mapping[str, tuple[str, int]] | None = None,
) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
    """Build the data file of one BIO2 draft from its raw ``maatregelen.md``.

    Only structure is kept: ids, controls, kinds, marker targets, tags, flags, and
    for each text its fingerprint, MinHash signature and word count.

    Args:
        raw: the file's bytes (UTF-8).
        slug: the draft's slug (``1.3``, ``upstream``).
        label: its label (``BIO2 versie 1.3``).
        status: ``definitief``, ``concept``, ``upstream`` ...
        date: ``YYYY-MM-DD``.
        commit: the commit the file was read at (``""`` when unknown).
        source_path: the file's path in the repository.
        source_repository: the repository's URL (``""`` when unknown).
        parsed: the parsed text, when the caller has it already.
        known: fingerprint -> (signature, words) of texts whose figures are known
            already (another draft's measures): a text with an equal fingerprint
            has the same words, so its figures are taken, not computed again.

    Returns:
        ``(document, counts, meta)``: the JSON document of ``bio2-<slug>.json``, the
        counts for the manifest, and the draft's metadata (the document's ``draft``).

    Raises:
        DraftParseError: the text is not a BIO2 draft.
        UnicodeDecodeError: ``raw`` is not UTF-8 (only when ``parsed`` is None).
    """
    if parsed is None:
        from bio2map.drafts import parser as bio2md

        parsed = bio2md.parse(raw.decode("utf-8"), source=f"{slug}/maatregelen.md")
    measures = _measure_entries(parsed, known or {})
    counts = _draft_counts(measures)
    meta = {
        "slug": slug,
        "label": label,
        "status": status,
        "date": date,
        "commit": commit,
        "source_repository": source_repository,
        "source_path": source_path,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "git_blob": git_blob_id(raw),
        "bytes": len(raw),
        "layout": parsed.layout,
    }
    doc = {"dataset": f"bio2-{slug}", "draft": meta, "measures": measures}
    return doc, counts, meta


def _measure_entries(
    parsed: ParsedDraft, known: Mapping[str, tuple[str, int]]
) -> list[dict[str, Any]]:
    """The ``measures`` of the data file: each entry's structure and its text's figures
    (taken from ``known`` when its fingerprint is there)."""
    from bio2map.drafts import parser as bio2md
    from bio2map.drafts import signatures as textsig

    measures = []
    for i, m in enumerate(parsed.measures, start=1):
        fp = bio2md.fingerprint(m.text)
        figures = known.get(fp)
        if figures is None:
            figures = (textsig.signature(m.text), len(textsig.words(m.text)))
        measures.append(
            {
                "id": m.id,
                "control": m.control,
                "kind": m.kind,
                "target": m.target,
                "tags": list(m.tags),
                "nis2": m.nis2_flag,
                "tag_line": m.tag_line,
                "rationale": m.rationale,
                "numbered": m.numbered,
                "fingerprint": fp,
                "signature": figures[0],
                "words": figures[1],
                "seq": i,
            }
        )
    return measures


def _draft_counts(measures: list[dict[str, Any]]) -> dict[str, int]:
    """The draft's counts for the manifest."""
    from collections import Counter

    kinds = Counter(m["kind"] for m in measures)
    return {
        "measure_ids": sum(1 for m in measures if m["numbered"]),
        "entries": len(measures),
        "measures": kinds["measure"],
        "no_measure": kinds["no-measure"],
        "moved": kinds["moved"],
        "withdrawn": kinds["withdrawn"],
        "see_other": kinds["see-other"],
        "unnumbered": sum(1 for m in measures if not m["numbered"]),
        "tag_lines": sum(1 for m in measures if m["tag_line"]),
        "controls_with_measures": len({m["control"] for m in measures if m["kind"] == "measure"}),
    }


def draft_dataset(
    meta: dict[str, Any], file: str, blob: bytes, counts: dict[str, int], *, source: str = ""
) -> dict[str, Any]:
    """The manifest's ``datasets`` entry of a draft file.

    Args:
        meta: the draft's metadata (from :func:`draft_document`).
        file: the file name (``bio2-<slug>.json``).
        blob: the file's bytes (their sha256 goes into the entry).
        counts: the draft's counts.
        source: where the text came from; default: the repository, path and commit.
    """
    slug = meta["slug"]
    if not source:
        source = f"{meta['source_repository']} {meta['source_path']} at commit {meta['commit']}"
    return {
        "name": f"bio2-{slug}",
        "version": slug,
        "file": file,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "title": f"BIO2 {slug} measures (structure only)",
        "source": source,
        "licence": DRAFT_LICENCE,
        "attribution": DRAFT_ATTRIBUTION,
        "counts": counts,
    }


def draft_entry(meta: dict[str, Any], file: str, counts: dict[str, int]) -> dict[str, Any]:
    """The manifest's ``bio2_drafts`` entry of a draft file."""
    return {**meta, "file": file, "counts": counts}
