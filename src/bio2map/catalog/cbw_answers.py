"""Frozen answers about the ADR & NOREA Cbw (NIS2) Control Framework.

:class:`CbwHandling`: a NIS2 obligation that the law handles (Art. 20, Art. 23), the
Cbw articles and the framework controls that handle it (``bio2map uncovered``).
:class:`CbwCoverage`: an SoA read against the framework (``bio2map gaps --against
cbw``): per framework control, what the SoA evidences through the ISO controls behind
its Art. 21(2) point, and what only the organisation's own process can show.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import Any

import attrs

from bio2map.core.display import NotebookMixin
from bio2map.core.records import Requirement

__all__ = ["CbwCoverage", "CbwHandling", "CbwItem"]


def _node(r: Requirement) -> dict[str, Any]:
    return {"id": r.id, "ref": r.ref, "label": r.label, "label_nl": r.label_nl}


@attrs.frozen
class CbwHandling:
    """A NIS2 obligation handled by the Cbw, and the framework controls that check it."""

    requirement: Requirement
    law: tuple[str, ...]
    groups: tuple[Requirement, ...]
    controls: tuple[Requirement, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "requirement": self.requirement.id,
            "ref": self.requirement.ref,
            "label": self.requirement.label,
            "law": list(self.law),
            "framework_groups": [g.id for g in self.groups],
            "framework_controls": [_node(c) for c in self.controls],
        }


@attrs.frozen
class CbwItem:
    """One framework control read against an SoA.

    Attributes:
        control: the framework control (``cbwcf:6.1``).
        points: the Art. 21(2) points its theme evaluates (our reading, basis
            ``inferred_theme``); empty when no point fits.
        evidence: ``soa`` (ISO controls stand behind it) or ``process`` (only the
            organisation's own process, such as reporting or board training, shows it).
        status: ``evidenced`` (every ISO control behind it implemented), ``partial``,
            ``none`` or ``process``.
        share: implemented weight / number of ISO controls behind it.
        mapped: the ISO controls behind it; ``statuses`` their SoA statuses.
        implemented, missing: those fully implemented, and the rest.
        note: what shows it, in words.
    """

    control: Requirement
    points: tuple[str, ...]
    evidence: str
    status: str
    share: float
    mapped: tuple[str, ...]
    implemented: tuple[str, ...]
    missing: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]
    note: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            **_node(self.control),
            "law": list(self.control.law),
            "points": list(self.points),
            "evidence": self.evidence,
            "status": self.status,
            "share": self.share,
            "mapped": list(self.mapped),
            "implemented": list(self.implemented),
            "missing": list(self.missing),
            "statuses": dict(self.statuses),
            "note": self.note,
        }


@attrs.frozen
class CbwCoverage(NotebookMixin):
    """The answer to :meth:`Catalog.cbw_coverage`: the 27 framework controls."""

    items: tuple[CbwItem, ...]
    attribution: str

    def summary(self) -> dict[str, int]:
        """Framework controls by status."""
        out = {"controls": len(self.items)}
        for status in ("evidenced", "partial", "none", "process"):
            out[status] = sum(1 for i in self.items if i.status == status)
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``summary``, ``controls``, ``attribution``."""
        return {
            "against": "cbwcf",
            "summary": self.summary(),
            "controls": [i.as_dict() for i in self.items],
            "attribution": self.attribution,
        }
