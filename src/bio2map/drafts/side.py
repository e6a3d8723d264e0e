"""One side of a comparison: a draft's entries by plain id, and the order of ids.

A draft reaches the drafts room as a catalog or as its
:class:`~bio2map.core.records.Measure` records (:data:`DraftLike` also names slugs,
which :mod:`bio2map.api` turns into catalogs). :func:`resolve` takes either form and
:class:`Side` indexes it for the matcher and the lineage. Ids are ordered numerically,
part by part (:func:`id_key`: ``5.9.1`` before ``5.10.1``).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from bio2map.core.records import Measure

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["DraftLike", "Side", "id_key", "plain_id", "resolve", "sorted_ids"]

DraftLike: TypeAlias = "str | Catalog | Sequence[Measure]"
"""What :func:`bio2map.diff` and :func:`bio2map.history` accept for a draft: a slug or
label, a catalog, or the draft's measures."""


@lru_cache(maxsize=8192)
def id_key(pid: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a plain id: numeric parts as numbers, the others as text."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in pid.split("."))


def sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """The distinct ``ids`` in id order."""
    return tuple(sorted(set(ids), key=id_key))


def plain_id(mid: str) -> str:
    """``bio2:5.10.02`` -> ``5.10.02`` (a plain id is kept)."""
    return mid.partition(":")[2] if ":" in mid else mid


class Side:
    """One draft, indexed for comparison.

    Attributes:
        label: the draft's slug (or the label it was given).
        by_id: every entry by plain id (the first one of an id counts).
        content: the entries of kind ``measure``, which carry text.
        tagged: whether any entry carries a contribution tag.
        flagged: whether any entry carries the NIS2 flag.
        size: shingle counts (exact or estimated) of the content, filled by
            :func:`bio2map.drafts.similarity.overlapping_pairs`.
    """

    __slots__ = ("by_id", "content", "flagged", "label", "size", "tagged")

    def __init__(self, label: str, measures: Sequence[Measure]) -> None:
        self.label = label
        self.by_id: dict[str, Measure] = {}
        for m in measures:
            self.by_id.setdefault(plain_id(m.id), m)
        self.content: dict[str, Measure] = {
            k: m for k, m in self.by_id.items() if m.kind == "measure"
        }
        self.tagged = any(m.tags for m in self.by_id.values())
        self.flagged = any(m.nis2_flag for m in self.by_id.values())
        self.size: dict[str, int] = {}

    def has_texts(self) -> bool:
        """True when every measure of the draft carries its text."""
        return all(m.text is not None for m in self.content.values())


def resolve(draft: Catalog | Sequence[Measure]) -> tuple[str, Sequence[Measure], Any]:
    """Return (label, measures, catalog or None) for a catalog or a draft's measures."""
    measures = getattr(draft, "measures", None)
    if measures is not None and hasattr(draft, "requirements_for"):
        return str(draft.bio2_version), measures, draft  # type: ignore[union-attr]
    seq = tuple(draft)  # type: ignore[arg-type]
    label = seq[0].draft if seq else ""
    return label, seq, None
