"""The results of comparing BIO2 drafts: frozen records, JSON-ready through ``as_dict()``.

:class:`VersionDiff` holds everything one comparison finds (see
:func:`bio2map.drafts.diff.diff`); its parts are :class:`Move`, :class:`PartialMove`,
:class:`Change` (with :class:`WordOp` steps), :class:`KindChange`, :class:`TagChange`,
:class:`Anomaly` and :class:`Impact` (with :class:`ImpactedControl`). Every figure is
rounded to three decimals (:func:`rounded`). The Markdown report of a diff is drawn by
the render room (:mod:`bio2map.render.diff_report`), reached through
:mod:`bio2map.core.hooks`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from bio2map.core import hooks
from bio2map.core.display import NotebookMixin

__all__ = [
    "Anomaly",
    "Change",
    "Impact",
    "ImpactedControl",
    "KindChange",
    "Move",
    "PartialMove",
    "TagChange",
    "VersionDiff",
    "WordOp",
    "rounded",
]

_ROUND: Final = 3


def rounded(x: float) -> float:
    """``x`` with three decimals, as every figure of a result."""
    return round(float(x), _ROUND)


@attrs.frozen
class WordOp:
    """One step of a word-level difference (``difflib`` opcodes over words).

    Attributes:
        op: ``equal``, ``replace``, ``delete`` or ``insert``.
        old: the words of the old text in this step.
        new: the words of the new text in this step.

    .. versionadded:: 0.1.0
    """

    op: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``op``, ``old`` and ``new`` (words joined by spaces)."""
        return {"op": self.op, "old": " ".join(self.old), "new": " ".join(self.new)}


@attrs.frozen
class Move:
    """A measure whose text now lives under another id.

    Attributes:
        old_id: the id in the old draft (``5.04.02``).
        new_id: the id in the new draft (``5.10.02``).
        similarity: Jaccard similarity of the two texts (estimated offline).
        marker_agrees: True when the old id's stub in the new draft points to
            ``new_id``; False when it points elsewhere or says withdrawn; None when
            the old id has no stub in the new draft.
        marker: the kind of that stub (``moved``, ``see-other``, ``withdrawn``) or None.
        evidence: ``text`` (exact, texts attached), ``fingerprint`` (equal
            fingerprints) or ``signature`` (MinHash estimate).
        words: word-level differences (texts attached and the texts differ).

    .. versionadded:: 0.1.0
    """

    old_id: str
    new_id: str
    similarity: float
    marker_agrees: bool | None
    marker: str | None
    evidence: str
    words: tuple[WordOp, ...] = attrs.field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``from``, ``to``, ``similarity``, ``marker_agrees``, ..."""
        out: dict[str, Any] = {
            "from": self.old_id,
            "to": self.new_id,
            "similarity": self.similarity,
            "marker_agrees": self.marker_agrees,
            "marker": self.marker,
            "evidence": self.evidence,
        }
        if self.words:
            out["words"] = [w.as_dict() for w in self.words]
        return out


@attrs.frozen
class PartialMove:
    """Part of a measure's text that now lives in another measure.

    Attributes:
        kind: ``split`` (the old measure continues elsewhere as well) or ``merge``
            (the old measure does not continue on its own).
        old_id: the id the text came from (old draft).
        new_id: the id that holds it now (new draft).
        share: the share of the old measure's shingles found anew in ``new_id``.
        similarity: Jaccard similarity of the two whole texts.

    .. versionadded:: 0.1.0
    """

    kind: str
    old_id: str
    new_id: str
    share: float
    similarity: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``from``, ``to``, ``share``, ``similarity``."""
        return {
            "from": self.old_id,
            "to": self.new_id,
            "share": self.share,
            "similarity": self.similarity,
        }


@attrs.frozen
class Change:
    """A measure reworded under the same id.

    Attributes:
        id: the plain id.
        similarity: Jaccard similarity of old and new text (estimated offline).
        cosmetic: only white space, punctuation, case, list markup, encoding damage
            or :data:`~bio2map.drafts.similarity.TERM_SWAPS` changed (offline: signature and
            word count equal).
        words: word-level differences (texts attached only).

    .. versionadded:: 0.1.0
    """

    id: str
    similarity: float
    cosmetic: bool
    words: tuple[WordOp, ...] = attrs.field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``similarity``, ``cosmetic`` (and ``words``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "similarity": self.similarity,
            "cosmetic": self.cosmetic,
        }
        if self.words:
            out["words"] = [w.as_dict() for w in self.words]
        return out


@attrs.frozen
class KindChange:
    """An id whose kind changed (``measure`` -> ``no-measure``, ``measure`` -> ``moved``, ...).

    .. versionadded:: 0.1.0
    """

    id: str
    old: str
    new: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``from``, ``to``."""
        return {"id": self.id, "from": self.old, "to": self.new}


@attrs.frozen
class TagChange:
    """Contribution tags added to or removed from a measure.

    Attributes:
        id: the id in the new draft.
        old_id: the id in the old draft (differs from ``id`` after a move).
        added: tags the new draft adds (``NIS2`` stands for the NIS2 flag).
        removed: tags the new draft drops.

    .. versionadded:: 0.1.0
    """

    id: str
    old_id: str
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``from``, ``added``, ``removed``."""
        return {
            "id": self.id,
            "from": self.old_id,
            "added": list(self.added),
            "removed": list(self.removed),
        }


@attrs.frozen
class Anomaly:
    """Something in the new draft a reviewer should look at.

    Attributes:
        kind: ``dangling-marker`` (a stub points to an id the draft lacks),
            ``marker-target-not-measure`` (it points to a no-measure entry or a stub),
            ``marker-without-text`` (a ``moved`` stub replaces an entry that had no
            measure text), ``unconfirmed-marker`` (the old text is not found under
            the target), ``duplicate-text`` (measures with identical text) or, with
            texts only, ``reference-to-retired`` (a measure text names an id that is
            a stub in, or missing from, the new draft).
        ids: the ids concerned (plain), the stub first.
        note: one sentence in English, with ids only.

    .. versionadded:: 0.1.0
    """

    kind: str
    ids: tuple[str, ...]
    note: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``kind``, ``ids``, ``note``."""
        return {"kind": self.kind, "ids": list(self.ids), "note": self.note}


@attrs.frozen
class ImpactedControl:
    """An ISO/IEC 27002 control whose set of BIO2 measures changed.

    Attributes:
        id: canonical control id (``iso27002:5.10``).
        before: the plain ids of its measures in the old draft.
        after: the plain ids of its measures in the new draft.

    .. versionadded:: 0.1.0
    """

    id: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``id``, ``before``, ``after``."""
        return {"id": self.id, "before": list(self.before), "after": list(self.after)}


@attrs.frozen
class Impact:
    """What a diff touches: controls, and (with a catalog) NIS2 points and 2024/2690 requirements.

    Attributes:
        controls: the controls whose measures changed, numerically.
        nis2: the NIS2 Art. 21(2) points those controls serve (canonical ids).
        ir2690: the 2024/2690 requirements those controls serve (canonical ids).
        mapped: False when no catalog was at hand (``nis2`` and ``ir2690`` are then empty).

    .. versionadded:: 0.1.0
    """

    controls: tuple[ImpactedControl, ...] = ()
    nis2: tuple[str, ...] = ()
    ir2690: tuple[str, ...] = ()
    mapped: bool = True

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``controls``, ``nis2``, ``ir2690``, ``mapped``."""
        return {
            "controls": [c.as_dict() for c in self.controls],
            "nis2": list(self.nis2),
            "ir2690": list(self.ir2690),
            "mapped": self.mapped,
        }


@attrs.frozen(repr=False)
class VersionDiff(NotebookMixin):
    """The differences between two BIO2 drafts. Every list is sorted by id.

    Attributes:
        old: slug of the old draft.
        new: slug of the new draft.
        texts: True when the texts were compared (exact), False when only the
            packaged figures were (estimates).
        added: ids only in the new draft.
        removed: ids only in the old draft.
        retired: ids that became a stub (``moved``, ``withdrawn``, ``see-other``).
        moved: measures whose text now lives under another id.
        splits: parts of a measure that moved while the measure continued.
        merges: measures whose text went into another one.
        changed: measures reworded under the same id.
        kind_changed: ids whose kind changed.
        tags_changed: measures whose contribution tags changed.
        tags_recorded: whether the old and the new draft record tags at all.
        nis2_recorded: whether the old and the new draft record the NIS2 tag at all.
        nis2_not_recorded: when only one of them does, the entries (ids in the new
            draft) that carry the NIS2 tag there: the other draft cannot say.
        impact: the controls, NIS2 points and 2024/2690 requirements touched.
        anomalies: stubs that do not add up, duplicated texts (new in this draft).
        unchanged: number of measures with the same id and the same text.

    .. versionadded:: 0.1.0
    """

    old: str
    new: str
    texts: bool
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    moved: tuple[Move, ...] = ()
    splits: tuple[PartialMove, ...] = ()
    merges: tuple[PartialMove, ...] = ()
    changed: tuple[Change, ...] = ()
    kind_changed: tuple[KindChange, ...] = ()
    tags_changed: tuple[TagChange, ...] = ()
    tags_recorded: tuple[bool, bool] = (True, True)
    nis2_recorded: tuple[bool, bool] = (True, True)
    nis2_not_recorded: tuple[str, ...] = ()
    impact: Impact = Impact()
    anomalies: tuple[Anomaly, ...] = ()
    unchanged: int = 0

    @property
    def substantive(self) -> tuple[Change, ...]:
        """The rewordings that are not cosmetic."""
        return tuple(c for c in self.changed if not c.cosmetic)

    @property
    def is_empty(self) -> bool:
        """True when the two drafts hold the same ids, kinds, texts and tags."""
        return not (
            self.added
            or self.removed
            or self.retired
            or self.moved
            or self.splits
            or self.merges
            or self.changed
            or self.kind_changed
            or self.tags_changed
            or self.nis2_not_recorded
            or self.anomalies
        )

    def counts(self) -> dict[str, int]:
        """How many entries each category holds (``substantive`` and ``cosmetic`` too)."""
        subst = len(self.substantive)
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "retired": len(self.retired),
            "moved": len(self.moved),
            "splits": len(self.splits),
            "merges": len(self.merges),
            "changed": len(self.changed),
            "substantive": subst,
            "cosmetic": len(self.changed) - subst,
            "kind_changed": len(self.kind_changed),
            "tags_changed": len(self.tags_changed),
            "nis2_not_recorded": len(self.nis2_not_recorded),
            "anomalies": len(self.anomalies),
            "unchanged": self.unchanged,
            "controls": len(self.impact.controls),
            "nis2": len(self.impact.nis2),
            "ir2690": len(self.impact.ir2690),
        }

    def __repr__(self) -> str:
        c = self.counts()
        mode = "texts" if self.texts else "offline"
        return (
            f"<VersionDiff {self.old} -> {self.new} ({mode}): +{c['added']} -{c['removed']} ids, "
            f"{c['retired']} retired, {c['moved']} moved, "
            f"{c['splits']} splits, {c['merges']} merges, "
            f"{c['changed']} reworded ({c['substantive']} substantive), {c['kind_changed']} kind, "
            f"{c['tags_changed']} tags, {c['anomalies']} anomalies>"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        Keys: ``from``, ``to``, ``texts``, ``added``, ``removed``, ``retired`` (plain
        ids), ``moved``, ``splits``, ``merges``, ``changed``, ``kind_changed``,
        ``tags_changed``, ``tags_recorded`` (``{"from": bool, "to": bool}``),
        ``nis2_recorded`` (the same for the NIS2 tag), ``nis2_not_recorded``, ``impact``,
        ``anomalies``, ``counts``. Floats have three decimals.
        """
        return {
            "from": self.old,
            "to": self.new,
            "texts": self.texts,
            "added": list(self.added),
            "removed": list(self.removed),
            "retired": list(self.retired),
            "moved": [m.as_dict() for m in self.moved],
            "splits": [s.as_dict() for s in self.splits],
            "merges": [s.as_dict() for s in self.merges],
            "changed": [c.as_dict() for c in self.changed],
            "kind_changed": [k.as_dict() for k in self.kind_changed],
            "tags_changed": [t.as_dict() for t in self.tags_changed],
            "tags_recorded": {"from": self.tags_recorded[0], "to": self.tags_recorded[1]},
            "nis2_recorded": {"from": self.nis2_recorded[0], "to": self.nis2_recorded[1]},
            "nis2_not_recorded": list(self.nis2_not_recorded),
            "impact": self.impact.as_dict(),
            "anomalies": [a.as_dict() for a in self.anomalies],
            "counts": self.counts(),
        }

    def as_markdown(self) -> str:
        """A report to read top to bottom: summary counts, moves, substantive rewordings, the rest.

        Offline reports hold ids and figures only; with texts, each substantive
        rewording shows its changed words (``~~old~~ **new**``).
        """
        report: str = hooks.call("diff_markdown", self)
        return report
