"""How close offline draft diffs (packaged signatures) come to diffs with texts.

Benchmark-only code: ``bench_diff.py`` reports these figures and
``tests/test_diff_golden.py`` checks the ones quoted in ``docs/reviewing-a-new-draft.md``.
It is not part of the library (``benchmarks/`` is not a package: load this file by path,
or run from this folder).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import bio2map
from bio2map.drafts.results import VersionDiff
from bio2map.drafts.side import DraftLike

__all__ = ["offline_agreement"]


def _found(d: VersionDiff) -> set[tuple[str, ...]]:
    """What a diff finds, as comparable items (classes of rewordings aside)."""
    return (
        {("added", i) for i in d.added}
        | {("removed", i) for i in d.removed}
        | {("moved", m.old_id, m.new_id) for m in d.moved}
        | {(p.kind, p.old_id, p.new_id) for p in (*d.splits, *d.merges)}
        | {("changed", c.id) for c in d.changed}
        | {("kind", k.id, k.old, k.new) for k in d.kind_changed}
    )


def offline_agreement(
    pairs: Iterable[tuple[DraftLike, DraftLike, DraftLike, DraftLike]],
) -> dict[str, Any]:
    """How close offline diffs (packaged signatures) come to diffs with texts.

    Args:
        pairs: ``(old, new, old_with_texts, new_with_texts)`` for each pair of drafts
            (slugs, catalogs or measure tuples, as :func:`bio2map.diff` takes them).

    Returns:
        A JSON-ready dict: ``items_agree`` / ``items_total`` (ids added and removed, moves,
        splits and merges, rewordings, kind changes found by either), ``offline_only`` (items
        only the offline diff finds), ``class_agree`` / ``class_total`` (cosmetic or
        substantive class of the rewordings the texts find), ``offline_cosmetic_only``
        (rewordings offline calls cosmetic and the texts do not), ``moves_missing_offline``,
        and the mean and largest error of the offline similarity figures.
    """
    n = hits = union = same_class = reworded = cosmetic_only = missing_moves = 0
    offline_only: list[list[str]] = []
    errors: list[float] = []
    for old, new, old_t, new_t in pairs:
        n += 1
        off, txt = bio2map.diff(old, new), bio2map.diff(old_t, new_t)
        a, b = _found(off), _found(txt)
        hits += len(a & b)
        union += len(a | b)
        offline_only.extend(list(item) for item in sorted(a - b))
        off_changed = {c.id: c for c in off.changed}
        for c in txt.changed:
            reworded += 1
            same_class += off_changed[c.id].cosmetic == c.cosmetic
            cosmetic_only += off_changed[c.id].cosmetic and not c.cosmetic
            errors.append(abs(off_changed[c.id].similarity - c.similarity))
        off_moved = {(m.old_id, m.new_id): m.similarity for m in off.moved}
        for m in txt.moved:
            if (m.old_id, m.new_id) in off_moved:
                errors.append(abs(off_moved[(m.old_id, m.new_id)] - m.similarity))
            else:
                missing_moves += 1
    return {
        "pairs": n,
        "items_agree": hits,
        "items_total": union,
        "items_share": round(hits / union, 4) if union else 1.0,
        "offline_only": offline_only,
        "class_agree": same_class,
        "class_total": reworded,
        "class_share": round(same_class / reworded, 4) if reworded else 1.0,
        "offline_cosmetic_only": cosmetic_only,
        "moves_missing_offline": missing_moves,
        "similarity_mae": round(sum(errors) / len(errors), 4) if errors else 0.0,
        "similarity_max_error": round(max(errors), 4) if errors else 0.0,
    }
