"""What a watch of the upstream BIO2 text found: the categories of change, the result
record, and the comparison helpers.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from bio2map.core import hooks
from bio2map.core.errors import Bio2MapError

if TYPE_CHECKING:
    from bio2map.core.records import Measure
    from bio2map.drafts.results import TagChange, VersionDiff

__all__ = [
    "CATEGORIES",
    "UnassignedLine",
    "UnknownCategoryError",
    "WatchResult",
    "WatchWriteError",
    "figures",
    "measures_from_document",
    "parse_fail_on",
    "tag_changes",
]

CATEGORIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "added": "ids only in the new text",
        "removed": "ids only in the packaged draft",
        "retired": "ids that became a stub (moved, withdrawn or see-other)",
        "moved": "measures whose text now lives under another id (renumbering included)",
        "splits": "measures part of whose text now also lives in another measure",
        "merges": "measures whose text went into another measure",
        "reworded": "measures reworded substantively under the same id",
        "cosmetic": "measures reworded cosmetically (case, punctuation, list markup, term swaps)",
        "kind_changed": "ids whose kind changed (measure, no-measure, moved, withdrawn, see-other)",
        "tags": "measures whose contribution tags changed (the NIS2 tag included)",
        "nis2_tag": "measures whose NIS2 tag changed",
        "nis2": "NIS2 Art. 21(2) points the changes touch, plus the NIS2 tag changes",
        "ir2690": "2024/2690 requirements the changes touch",
        "controls": "ISO/IEC 27002 controls whose set of measures changed",
        "anomalies": "new stubs that do not add up, new duplicated texts",
    }
)
"""What changed, by category: the names ``--fail-on`` accepts (``any`` means all),
each with what it counts.

``reworded`` leaves cosmetic rewordings out (they are ``cosmetic``); ``tags`` and
``nis2_tag`` compare the new text with the packaged draft even when that draft
records no tags (a tag the text adds is a change); ``nis2``, ``ir2690`` and
``controls`` follow the diff's impact (an id added, removed or retired, a kind change,
a move, split or merge, or a substantive rewording; see :mod:`bio2map.drafts.diff`).
"""

_ALIASES: Final = MappingProxyType(
    {
        "kind": "kind_changed",
        "kinds": "kind_changed",
        "tag": "tags",
        "tags_changed": "tags",
        "substantive": "reworded",
        "move": "moved",
        "split": "splits",
        "merge": "merges",
        "anomaly": "anomalies",
    }
)
_NIS2_TAG: Final = "NIS2"


class UnknownCategoryError(Bio2MapError, ValueError):
    """A ``--fail-on`` category that :data:`CATEGORIES` does not know.

    .. versionadded:: 0.1.0
    """

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(value)

    def __str__(self) -> str:
        what = f"unknown --fail-on category {self.value!r}" if self.value else "no category"
        return f"{what}; accepted: {', '.join(CATEGORIES)}, or any"

    def __reduce__(self) -> tuple[type[UnknownCategoryError], tuple[str]]:
        return (type(self), (self.value,))


class WatchWriteError(Bio2MapError, OSError):
    """A data folder that :func:`write_data` could not or would not write.

    .. versionadded:: 0.1.0
    """


def parse_fail_on(categories: str | Iterable[str]) -> tuple[str, ...]:
    """Read a ``--fail-on`` list: category names (see :data:`CATEGORIES`), comma-separated.

    Case, surrounding spaces and ``-`` for ``_`` do not matter; ``any`` stands for every
    category, and a few aliases are accepted (``kind``, ``substantive``, ``tags_changed``,
    ...).

    Returns:
        The categories, each once, in the order of :data:`CATEGORIES`.

    Raises:
        UnknownCategoryError: a name is not a category, or none is given.

    Examples:
        >>> parse_fail_on("Moved, removed,kind-changed,nis2")
        ('removed', 'moved', 'kind_changed', 'nis2')

    .. versionadded:: 0.1.0
    """
    words = categories.split(",") if isinstance(categories, str) else list(categories)
    chosen: set[str] = set()
    for raw in words:
        word = raw.strip().lower().replace("-", "_")
        if not word:
            continue
        if word == "any":
            chosen.update(CATEGORIES)
            continue
        name = _ALIASES.get(word, word)
        if name not in CATEGORIES:
            raise UnknownCategoryError(raw.strip())
        chosen.add(name)
    if not chosen:
        nothing = ""
        raise UnknownCategoryError(nothing)
    return tuple(c for c in CATEGORIES if c in chosen)


@attrs.frozen
class UnassignedLine:
    """A line of the text that the draft parser could not place in a measure.

    Attributes:
        line: its 1-based number.
        text: the line, stripped and cut to 200 characters.

    .. versionadded:: 0.1.0
    """

    line: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``line``, ``text``."""
        return {"line": self.line, "text": self.text}


@attrs.frozen(repr=False)
class WatchResult:
    """What :func:`watch` found: the text read, and how it differs from a packaged draft.

    Attributes:
        source: the source as given (a path, or ``download``).
        kind: ``git``, ``folder``, ``file`` or ``download``.
        origin: where the text came from (``<clone> at <commit>:<path>``, a path, a URL).
        commit: the commit id the text was read at (git clones only, else None).
        date: that commit's committer date, ISO 8601 (git clones only, else None).
        sha256: sha256 of the text's bytes.
        git_blob: the git blob id of the text's bytes.
        size: the text's size in bytes.
        against: slug of the packaged draft it was compared with.
        against_sha256: that draft's pinned sha256.
        changed: False when the text is the packaged draft's, byte for byte.
        layout: the layout family the parser saw (None when the text was not parsed).
        unassigned: lines the parser could not place (the text is then not compared).
        diff: the differences, from the packaged draft to the text (None when
            unchanged or unreadable). The new draft is called ``upstream``.
        tags: contribution tag changes, the NIS2 tag included, compared even when the
            packaged draft records no tags.
        text: the text read (never in :meth:`as_dict`; :func:`write_data` needs it).

    .. versionadded:: 0.1.0
    """

    source: str
    kind: str
    origin: str
    commit: str | None
    date: str | None
    sha256: str
    git_blob: str
    size: int
    against: str
    against_sha256: str
    changed: bool
    layout: str | None = None
    unassigned: tuple[UnassignedLine, ...] = ()
    diff: VersionDiff | None = None
    tags: tuple[TagChange, ...] = ()
    text: str | None = attrs.field(default=None, eq=False)

    @property
    def readable(self) -> bool:
        """False when the parser could not place every line of the text."""
        return not self.unassigned

    @property
    def status(self) -> str:
        """``unchanged``, ``changed`` or ``unreadable``."""
        if not self.readable:
            return "unreadable"
        return "changed" if self.changed else "unchanged"

    def categories(self) -> dict[str, int] | None:
        """How many entries each of :data:`CATEGORIES` holds (None when unreadable)."""
        if not self.readable:
            return None
        out = dict.fromkeys(CATEGORIES, 0)
        d = self.diff
        if d is None:
            return out
        c = d.counts()
        nis2_tag = sum(1 for t in self.tags if _NIS2_TAG in (*t.added, *t.removed))
        out.update(
            added=c["added"],
            removed=c["removed"],
            retired=c["retired"],
            moved=c["moved"],
            splits=c["splits"],
            merges=c["merges"],
            reworded=c["substantive"],
            cosmetic=c["cosmetic"],
            kind_changed=c["kind_changed"],
            tags=len(self.tags),
            nis2_tag=nis2_tag,
            nis2=c["nis2"] + nis2_tag,
            ir2690=c["ir2690"],
            controls=c["controls"],
            anomalies=c["anomalies"],
        )
        return out

    def failed(self, fail_on: Iterable[str]) -> tuple[str, ...]:
        """The categories of ``fail_on`` (names as :func:`parse_fail_on` returns them)
        that are not empty."""
        counts = self.categories() or {}
        return tuple(c for c in fail_on if counts.get(c, 0))

    def exit_code(self, fail_on: Iterable[str] = ()) -> int:
        """The CLI's exit code: 0 unchanged (or no ``fail_on`` category changed), 1
        changed (or a ``fail_on`` category changed), 2 unreadable."""
        if not self.readable:
            return 2
        if not self.changed:
            return 0
        fail_on = tuple(fail_on)
        if not fail_on:
            return 1
        return 1 if self.failed(fail_on) else 0

    def _at(self) -> str:
        if self.commit is None:
            return ""
        return f" (commit {self.commit[:12]}, {self.date})"

    def summary(self) -> str:
        """One line that says what was found."""
        where = f"{self.origin}{self._at()}"
        if not self.readable:
            first = self.unassigned[0].line
            return (
                f"unreadable: {where}: the draft parser cannot place {len(self.unassigned)} "
                f"lines (first: line {first}); nothing was compared"
            )
        if not self.changed:
            return (
                f"unchanged: {where} is packaged draft {self.against} (sha256 {self.sha256[:12]})"
            )
        counts = self.categories() or {}
        parts = [f"{n} {c}" for c, n in counts.items() if n]
        what = ", ".join(parts) if parts else "no change in ids, kinds, texts or tags"
        return f"changed: {where} differs from packaged draft {self.against}: {what}"

    def __repr__(self) -> str:
        return f"<WatchResult {self.summary()}>"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, described by :func:`json_schema`.

        Keys: ``status``, ``changed``, ``summary``, ``source`` (``given``, ``kind``,
        ``origin``, ``commit``, ``date``, ``sha256``, ``git_blob``, ``bytes``),
        ``against`` (``slug``, ``sha256``), ``layout``, ``unassigned``, ``categories``,
        ``tags_changed`` and ``diff`` (:meth:`bio2map.drafts.diff.VersionDiff.as_dict`).
        """
        return {
            "status": self.status,
            "changed": self.changed,
            "summary": self.summary(),
            "source": {
                "given": self.source,
                "kind": self.kind,
                "origin": self.origin,
                "commit": self.commit,
                "date": self.date,
                "sha256": self.sha256,
                "git_blob": self.git_blob,
                "bytes": self.size,
            },
            "against": {"slug": self.against, "sha256": self.against_sha256},
            "layout": self.layout,
            "unassigned": [u.as_dict() for u in self.unassigned],
            "categories": self.categories(),
            "tags_changed": [t.as_dict() for t in self.tags],
            "diff": None if self.diff is None else self.diff.as_dict(),
        }

    def as_markdown(self, fail_on: Iterable[str] = ()) -> str:
        """A report to read top to bottom (or to attach to a CI job).

        Args:
            fail_on: categories that fail the check; the report says which did.
        """
        markdown: str = hooks.call("watch_markdown", self, tuple(fail_on))
        return markdown


# --- comparing ---------------------------------------------------------------------------


def measures_from_document(doc: Mapping[str, Any], slug: str) -> tuple[Measure, ...]:
    """The records of a draft document, as :func:`bio2map.core.reader` makes them."""
    from bio2map.core.records import Measure

    return tuple(
        Measure(
            id="bio2:" + m["id"],
            draft=slug,
            control="iso27002:" + m["control"],
            kind=m["kind"],
            target=("bio2:" + m["target"]) if m["target"] else None,
            tags=tuple(m["tags"]),
            nis2_flag=m["nis2"],
            fingerprint=m["fingerprint"],
            signature=m["signature"],
            words=m["words"],
            numbered=m["numbered"],
            seq=m["seq"],
        )
        for m in doc["measures"]
    )


def figures(measures: Iterable[Measure]) -> dict[str, tuple[str, int]]:
    """fingerprint -> (signature, words) of measures with a text (for ``known``)."""
    return {m.fingerprint: (m.signature, m.words) for m in measures if m.signature}


def tag_changes(
    d: VersionDiff, old: Sequence[Measure], new: Sequence[Measure]
) -> tuple[TagChange, ...]:
    """Tag changes (``NIS2`` standing for the flag) of every pair the diff follows:
    moves, and ids in both drafts that are stubs in neither."""
    from bio2map.drafts.matcher import STUB_KINDS, _tag_sorted
    from bio2map.drafts.results import TagChange
    from bio2map.drafts.side import id_key as _idkey

    o = {m.number: m for m in old}
    n = {m.number: m for m in new}
    pairs = {mv.old_id: mv.new_id for mv in d.moved}
    taken = set(pairs.values())
    for k in o.keys() & n.keys():
        if k in pairs or k in taken or o[k].kind in STUB_KINDS or n[k].kind in STUB_KINDS:
            continue
        pairs[k] = k

    def tagset(m: Measure) -> frozenset[str]:
        return frozenset((*m.tags, _NIS2_TAG) if m.nis2_flag else m.tags)

    out = []
    for x, y in pairs.items():
        a, b = tagset(o[x]), tagset(n[y])
        if a != b:
            out.append(TagChange(y, x, _tag_sorted(b - a), _tag_sorted(a - b)))
    return tuple(sorted(out, key=lambda t: (_idkey(t.id), _idkey(t.old_id))))
