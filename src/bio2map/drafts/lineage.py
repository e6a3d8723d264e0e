"""Lineage: one BIO2 measure followed through a series of drafts.

:func:`history` chains the differs of consecutive drafts
(:class:`~bio2map.drafts.matcher.Differ`) backwards and forwards from the draft where
the measure is looked up. It takes catalogs or measure tuples; drafts named by their
slugs are loaded by :func:`bio2map.history` (:mod:`bio2map.api`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from bio2map.core import hooks
from bio2map.core.display import NotebookMixin
from bio2map.core.errors import UnknownIdError
from bio2map.drafts.matcher import Differ
from bio2map.drafts.results import VersionDiff, rounded
from bio2map.drafts.side import DraftLike, Side, resolve, sorted_ids

if TYPE_CHECKING:
    import os

__all__ = ["Lineage", "LineageStep", "history"]


@attrs.frozen
class LineageStep:
    """Where a measure stands in one draft.

    Attributes:
        draft: the draft slug.
        id: the id that carries the measure there (None: not in this draft).
        kind: the entry's kind there (None when absent).
        change: relative to the previous draft: ``new`` (first seen), ``unchanged``,
            ``cosmetic``, ``reworded``, ``moved`` (another id; see ``previous_id``),
            ``kind`` (kind changed, e.g. to a stub), or ``absent``.
        similarity: similarity to the previous step's text (None when not comparable).
        previous_id: the id in the previous draft when it differs.
        received: ids of the previous draft whose text partly flowed into this one
            (splits and merges).
        fingerprint: the entry's fingerprint (None when absent).

    .. versionadded:: 0.1.0
    """

    draft: str
    id: str | None
    kind: str | None
    change: str
    similarity: float | None = None
    previous_id: str | None = None
    received: tuple[str, ...] = ()
    fingerprint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {
            "draft": self.draft,
            "id": self.id,
            "kind": self.kind,
            "change": self.change,
            "similarity": self.similarity,
            "previous_id": self.previous_id,
            "received": list(self.received),
            "fingerprint": self.fingerprint,
        }


@attrs.frozen(repr=False)
class Lineage(NotebookMixin):
    """One measure traced through a series of drafts (oldest first).

    Attributes:
        measure_id: the id asked about (plain).
        at: the draft where it was looked up.
        steps: one step per draft, oldest first.

    .. versionadded:: 0.1.0
    """

    measure_id: str
    at: str
    steps: tuple[LineageStep, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the measure carried, in order of first use."""
        out: list[str] = []
        for s in self.steps:
            if s.id is not None and s.id not in out:
                out.append(s.id)
        return tuple(out)

    @property
    def earlier_ids(self) -> tuple[str, ...]:
        """The ids it carried other than :attr:`measure_id`, in order of first use."""
        return tuple(i for i in self.ids if i != self.measure_id)

    def step(self, draft: str) -> LineageStep:
        """The step of one draft (by slug).

        Raises:
            KeyError: the draft is not in this lineage.
        """
        for s in self.steps:
            if s.draft == draft:
                return s
        raise KeyError(draft)

    def __repr__(self) -> str:
        path = " -> ".join(f"{s.draft} {s.id or '-'}" for s in self.steps)
        return f"<Lineage {self.measure_id} @{self.at}: {path}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``at``, ``ids``, ``earlier_ids``, ``steps``."""
        return {
            "id": self.measure_id,
            "at": self.at,
            "ids": list(self.ids),
            "earlier_ids": list(self.earlier_ids),
            "steps": [s.as_dict() for s in self.steps],
        }


def _normalize_measure(measure_id: str) -> str:
    from bio2map.drafts.parser import normalize_measure_id

    raw = str(measure_id).strip()
    raw = raw.split(":", 1)[1] if raw.lower().startswith("bio2:") else raw
    try:
        return normalize_measure_id(raw)
    except ValueError:
        raise UnknownIdError(str(measure_id)[:200], (), "BIO2 measure") from None


def history(
    measure_id: str,
    drafts: Sequence[DraftLike] | None = None,
    *,
    at: str | None = None,
    texts: str | os.PathLike[str] | None = None,
) -> Lineage:
    """Trace a BIO2 measure through the drafts, with the ids it carried before.

    The measure is looked up in draft ``at`` (default: the latest draft that has the
    id), then followed backwards and forwards through consecutive diffs: a matched
    text (same id or a move) leads on; an entry without a match is followed under
    its own id, unless that id's text went elsewhere (a stub, though, is always
    traced back under its own id: it tells the history of the retired id).

    Args:
        measure_id: ``5.10.02``, ``bio2:5.10.02`` or ``5.10.2``.
        drafts: the drafts in order, oldest first (catalogs or measure tuples).
        at: the draft where ``measure_id`` is looked up (slug or label).
        texts: only used with slugs (see below).

    Returns:
        The :class:`Lineage`, one step per draft.

    Raises:
        UnknownIdError: the id is in none of the drafts (or not in ``at``).
        UnknownVersionError: ``at`` is not among the drafts.

    ``drafts=None`` (every packaged draft) or drafts given by their slugs are handed
    to :func:`bio2map.history`, which loads them (with the texts of ``texts``) and
    calls back here with catalogs; prefer calling :func:`bio2map.history` for slugs.

    Examples:
        >>> import bio2map
        >>> from bio2map.drafts.lineage import history
        >>> history("5.10.02", [bio2map.load("1.2"), bio2map.load("1.3")]).earlier_ids
        ('5.04.02',)

    .. versionadded:: 0.1.0
    """
    given = [d for d in drafts if not isinstance(d, str)] if drafts is not None else []
    if drafts is None or len(given) != len(drafts):
        # Loading drafts by their slugs is the job of a higher room
        # (bio2map.api.history), which calls back here with catalogs.
        lineage: Lineage = hooks.call("history", measure_id, drafts, at=at, texts=texts)
        return lineage
    sides = [resolve(d) for d in given]
    labels = [label for label, _, _ in sides]
    chain = _Chain([Side(label, ms) for label, ms, _ in sides])
    mid = _normalize_measure(measure_id)
    anchor = _anchor(chain.views, labels, mid, at)
    ids = chain.trace(anchor, mid)
    steps = tuple(chain.step(ids, i) for i in range(len(ids)))
    return Lineage(mid, labels[anchor], steps)


def _anchor(views: Sequence[Side], labels: Sequence[str], mid: str, at: str | None) -> int:
    """The index of the draft where ``mid`` is looked up: ``at``, else the latest with it."""
    if at is None:
        present = [i for i, v in enumerate(views) if mid in v.by_id]
        if not present:
            raise UnknownIdError(mid, (), "BIO2 measure")
        return present[-1]
    if at not in labels:
        from bio2map.core.errors import UnknownVersionError
        from bio2map.core.reader import read_manifest

        try:
            at = read_manifest().draft(at).slug
        except UnknownVersionError:
            raise UnknownVersionError(at, labels) from None
        if at not in labels:
            raise UnknownVersionError(at, labels)
    anchor = labels.index(at)
    if mid not in views[anchor].by_id:
        raise UnknownIdError(mid, (), f"BIO2 {at} measure")
    return anchor


class _Chain:
    """Drafts in order, with the diff of each one to the one before (made on demand)."""

    def __init__(self, views: list[Side]) -> None:
        self.views = views
        self._diffs: dict[int, tuple[Differ, VersionDiff]] = {}

    def pair(self, i: int) -> tuple[Differ, VersionDiff]:
        """The differ and the diff of ``views[i - 1]`` -> ``views[i]``."""
        if i not in self._diffs:
            a, b = self.views[i - 1], self.views[i]
            d = Differ(a, b, a.has_texts() and b.has_texts(), None)
            self._diffs[i] = (d, d.run())
        return self._diffs[i]

    def trace(self, anchor: int, mid: str) -> list[str | None]:
        """The id that carries the measure in each draft (None: not there)."""
        views = self.views
        ids: list[str | None] = [None] * len(views)
        ids[anchor] = mid
        for i in range(anchor, 0, -1):  # backwards
            cur = ids[i]
            if cur is None:
                break
            d, _ = self.pair(i)
            if cur in d.back:
                ids[i - 1] = d.back[cur]
            elif cur in views[i - 1].by_id and (cur not in d.fwd or cur not in views[i].content):
                ids[i - 1] = cur  # unmatched text, no-measure or stub: its own id
        for i in range(anchor + 1, len(views)):  # forwards
            cur = ids[i - 1]
            if cur is None:
                break
            d, _ = self.pair(i)
            if cur in d.fwd:
                ids[i] = d.fwd[cur]
            elif cur in views[i].by_id and cur not in d.back:
                ids[i] = cur
        return ids

    def step(self, ids: Sequence[str | None], i: int) -> LineageStep:
        """The step of draft ``i``, given the ids of :meth:`trace`."""
        v = self.views[i]
        cur = ids[i]
        if cur is None:
            return LineageStep(v.label, None, None, "absent")
        m = v.by_id[cur]
        prev = ids[i - 1] if i else None
        if not i:
            return LineageStep(v.label, cur, m.kind, "new", None, None, (), m.fingerprint)
        d, vd = self.pair(i)
        received = sorted_ids(p.old_id for p in (*vd.splits, *vd.merges) if p.new_id == cur)
        if prev is None:
            return LineageStep(v.label, cur, m.kind, "new", None, None, received, m.fingerprint)
        pm = self.views[i - 1].by_id[prev]
        sim: float | None = None
        if prev in d.fwd and d.fwd[prev] == cur:
            sim = rounded(d.sim(prev, cur))
        if prev != cur:
            change = "moved"
        elif pm.kind != m.kind:
            change = "kind"
        elif pm.fingerprint == m.fingerprint or (m.kind != "measure" and pm.target == m.target):
            change = "unchanged"
            sim = 1.0
        else:
            ch = next((c for c in vd.changed if c.id == cur), None)
            change = "reworded" if ch is None or not ch.cosmetic else "cosmetic"
        previous_id = prev if prev != cur else None
        return LineageStep(v.label, cur, m.kind, change, sim, previous_id, received, m.fingerprint)
