"""Frozen answers of the edition migration (:meth:`Catalog.migrate_soa`).

A :class:`Migration` is a 2022 SoA made from a 2013 one: per 2022 control (and clause,
when the SoA names clauses) the status carried over and why, and per line of the old SoA
where it went. Nothing is dropped: every 2013 line is in :attr:`Migration.lines` with the
2022 ids it reached.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import Any

import attrs

from bio2map.core.display import NotebookMixin

__all__ = ["MigratedControl", "MigratedLine", "Migration", "MigrationSource"]


@attrs.frozen
class MigrationSource:
    """A 2013 control or clause that leads to a 2022 one, with its SoA status.

    Attributes:
        id: the 2013 id (``iso27001-2013:A.12.6.1``).
        ref: as people write it (``A.12.6.1``).
        relationship: 2013 -> 2022 (``equal``, ``subset_of``, ``superset_of``,
            ``intersects_with``).
        status: its status in the old SoA, or None when the SoA does not name it.
        line: the SoA line that gave the status (0: not from a file, or not named).
    """

    id: str
    ref: str
    relationship: str
    status: str | None
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return attrs.asdict(self)


@attrs.frozen
class MigratedControl:
    """One 2022 control (or clause) of the migrated SoA.

    Attributes:
        id: the 2022 id (``iso27002:8.8``, ``iso27001:9.2.1``).
        ref: ``A.8.8`` or ``9.2.1``.
        kind: ``control`` or ``clause``.
        title: the 2022 short title.
        status: the status carried over; None when it is not assessed (new in 2022, or
            no predecessor is in the SoA).
        origin: ``carried`` (one predecessor), ``merged`` (several), ``split`` (one 2013
            item spread over several 2022 ones), ``new`` (no 2013 predecessor) or
            ``not-in-soa`` (predecessors exist; the SoA names none).
        rule: one line saying how the status was found.
        review: whether a person should look at it (every merge, partial overlaps,
            mixed not-applicable, predecessors missing from the SoA).
        reasons: why it is flagged for review.
        sources: the 2013 predecessors and their statuses.
    """

    id: str
    ref: str
    kind: str
    title: str
    status: str | None
    origin: str
    rule: str
    review: bool = False
    reasons: tuple[str, ...] = ()
    sources: tuple[MigrationSource, ...] = ()

    @property
    def assessed(self) -> bool:
        """Whether a status was carried over."""
        return self.status is not None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``status`` is ``"not assessed"`` when there is none)."""
        return {
            "id": self.id,
            "ref": self.ref,
            "kind": self.kind,
            "title": self.title,
            "status": self.status if self.status is not None else "not assessed",
            "assessed": self.assessed,
            "origin": self.origin,
            "rule": self.rule,
            "review": self.review,
            "reasons": list(self.reasons),
            "from": [s.as_dict() for s in self.sources],
        }


@attrs.frozen
class MigratedLine:
    """One line of the old SoA and where it went.

    Attributes:
        line: the line in the file (0 when the SoA was not a file).
        raw: the id as written.
        id: the 2013 id it names.
        status: its status.
        targets: the 2022 ids that took its status into account.
        note: a duplicate, or a split, said in words.
    """

    line: int
    raw: str
    id: str
    status: str
    targets: tuple[str, ...]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "line": self.line,
            "raw": self.raw,
            "id": self.id,
            "status": self.status,
            "targets": list(self.targets),
            "note": self.note,
        }


@attrs.frozen
class Migration(NotebookMixin):
    """The answer to :meth:`Catalog.migrate_soa`: a 2022 SoA made from a 2013 one.

    Attributes:
        source: where the old SoA came from (a file name, or ``<mapping>``).
        from_edition: ``iso27001-2013``.
        to_edition: ``iso27001-2022``.
        rule: the merge rule, in words (docs/howto/migrate-from-bio-1.md).
        controls: every 2022 Annex A control (and the clauses, when the SoA named any),
            in the standard's order.
        lines: every line of the old SoA, in file order.
    """

    source: str
    from_edition: str
    to_edition: str
    rule: str
    controls: tuple[MigratedControl, ...]
    lines: tuple[MigratedLine, ...]

    def as_mapping(self) -> dict[str, str]:
        """2022 id -> status, for every assessed control (feeds ``Catalog.coverage``)."""
        return {c.id: c.status for c in self.controls if c.status is not None}

    @property
    def review(self) -> tuple[MigratedControl, ...]:
        """The 2022 controls flagged for review."""
        return tuple(c for c in self.controls if c.review)

    @property
    def not_assessed(self) -> tuple[MigratedControl, ...]:
        """The 2022 controls without a status (new in 2022, or not in the old SoA)."""
        return tuple(c for c in self.controls if c.status is None)

    def summary(self) -> dict[str, int]:
        """Counts: lines read, 2022 controls by origin, flagged, not assessed."""
        out = {
            "lines": len(self.lines),
            "controls_2013": len({ln.id for ln in self.lines if "A." in ln.id}),
            "clauses_2013": len({ln.id for ln in self.lines if "A." not in ln.id}),
            "controls_2022": sum(1 for c in self.controls if c.kind == "control"),
            "assessed": sum(1 for c in self.controls if c.status is not None),
            "not_assessed": len(self.not_assessed),
            "review": len(self.review),
        }
        for origin in ("carried", "merged", "split", "new", "not-in-soa"):
            out[origin.replace("-", "_")] = sum(1 for c in self.controls if c.origin == origin)
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``summary``, ``rule``, ``controls``, ``lines``."""
        return {
            "source": self.source,
            "from": self.from_edition,
            "to": self.to_edition,
            "rule": self.rule,
            "summary": self.summary(),
            "controls": [c.as_dict() for c in self.controls],
            "lines": [ln.as_dict() for ln in self.lines],
        }
