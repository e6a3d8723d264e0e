"""The Statement of Applicability (SoA; Dutch: Verklaring van Toepasselijkheid, VvT): one
model and one vocabulary for the API and the command line.

Statuses, and what each control counts for in :meth:`Catalog.coverage
<bio2map.catalog.catalog.Catalog.coverage>` (``docs/concepts.md``):

==================  ======  =================================================================
status              weight  also written
==================  ======  =================================================================
``implemented``     1       yes, ja, done, geïmplementeerd, fully implemented (an empty cell)
``partial``         0.5     partially implemented, deels, gedeeltelijk
``planned``         0       gepland, in progress, in uitvoering
``not-implemented`` 0       no, nee, open, niet geïmplementeerd
``not-applicable``  --      n/a, na, n.v.t., nvt, niet van toepassing, excluded, uitgesloten
==================  ======  =================================================================

Case, accents, spaces, ``_``, ``-``, ``.`` and ``/`` do not matter (``Partially_Implemented``,
``N.V.T.`` and ``niet geimplementeerd`` are all read). A not-applicable control has no
weight: it leaves the denominator of every requirement it maps to.

An SoA line may also say what its id is (a ``kind`` column: ``control`` or ``clause``) and
why (a ``justification`` column). An id written bare that is both an ISO/IEC 27001 clause
and an Annex A control (``6.2``) is read only when the kind says which; see
:class:`AmbiguousSoaIdError`.

Nothing here reads a file (:func:`bio2map.formats.soa.read_soa` does) or imports attrs:
the command line's ``gaps --format json`` builds no attrs record.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import unicodedata

from bio2map.core.errors import AmbiguousIdError, Bio2MapError
from bio2map.core.ids import plain, scheme_of

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Final

__all__ = [
    "IDS_MODES",
    "KINDS",
    "METRICS",
    "NOT_IN_SOA",
    "RANK",
    "SAY_WHICH",
    "STATUSES",
    "STATUS_WORDS",
    "WEIGHTS",
    "AmbiguousSoaIdError",
    "SoaEntry",
    "StatementOfApplicability",
    "UnknownStatusError",
    "accepted_statuses",
    "display_id",
    "fold",
    "kind_of",
    "normalize_kind",
    "normalize_status",
]

STATUSES: Final = ("implemented", "partial", "planned", "not-implemented", "not-applicable")
"""The canonical SoA statuses, strongest first."""

WEIGHTS: Final[dict[str, float | None]] = {
    "implemented": 1.0,
    "partial": 0.5,
    "planned": 0.0,
    "not-implemented": 0.0,
    "not-applicable": None,
}
"""What each status counts for; ``None``: left out of the denominator."""

NOT_IN_SOA: Final = "not-in-soa"
"""The status of a mapped control (or, when clauses are assessed, a clause) that the SoA
does not list: weight 0."""

RANK: Final = {s: len(STATUSES) - i for i, s in enumerate(STATUSES)}
"""Which status wins when an id is listed twice: the stronger claim (``implemented``
highest, ``not-applicable`` lowest, so listing a control twice never takes it out of a
denominator)."""

STATUS_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "implemented": (
        "implemented",
        "fully implemented",
        "yes",
        "ja",
        "done",
        "geïmplementeerd",
        "volledig geïmplementeerd",
    ),
    "partial": (
        "partial",
        "partially",
        "partially implemented",
        "partly implemented",
        "deels",
        "gedeeltelijk",
        "deels geïmplementeerd",
        "gedeeltelijk geïmplementeerd",
    ),
    "planned": ("planned", "gepland", "in progress", "in uitvoering"),
    "not-implemented": ("not implemented", "no", "nee", "open", "niet geïmplementeerd"),
    "not-applicable": (
        "not applicable",
        "n/a",
        "na",
        "n.v.t.",
        "nvt",
        "niet van toepassing",
        "excluded",
        "uitgesloten",
    ),
}
"""Every spelling accepted for each status (the canonical name first); an empty cell is
``implemented``, as a plain list of ids is."""

KINDS: Final = ("control", "clause")
"""What an SoA line's ``kind`` column may say an id is."""

_KIND_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "control": ("control", "controls", "controle", "beheersmaatregel", "annex a", "a"),
    "clause": ("clause", "clauses", "clausule", "clausules"),
}

SAY_WHICH: Final = (
    "say which for every line: add a kind column (control or clause), or pass --ids "
    "controls|clauses (ids= in Python)"
)
"""How to settle every bare id that is both a clause and a control at once."""

IDS_MODES: Final = ("controls", "clauses")
"""How ``--ids`` (``ids=`` in Python) reads a bare id that is both a clause and a control."""

METRICS: Final = ("points-mean", "points-min", "annex-mean", "points-any")
"""The scores a coverage has (``gaps --metric``); ``points-mean`` is the default."""


def fold(text: str) -> str:
    """Text as the SoA vocabulary compares it: lower case, no accents, and no spaces,
    ``_``, ``-``, ``.`` or ``/`` (``N.V.T.`` -> ``nvt``, ``Niet geïmplementeerd`` ->
    ``nietgeimplementeerd``).

    Examples:
        >>> fold(" Partially_Implemented ")
        'partiallyimplemented'
    """
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(
        ch for ch in decomposed if ch not in " \t_-./\u00a0" and not unicodedata.combining(ch)
    ).strip()


def _index(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(w): name for name, spellings in words.items() for w in spellings}


_STATUS_INDEX: Final = {**_index(STATUS_WORDS), "": "implemented"}
_KIND_INDEX: Final = _index(_KIND_WORDS)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def accepted_statuses(*, weights: bool = False) -> str:
    """The accepted statuses in one line, ASCII only (for help texts and errors).

    Examples:
        >>> accepted_statuses()[:52]
        'implemented (fully implemented, yes, ja, done, geimp'
    """
    parts = []
    for status, spellings in STATUS_WORDS.items():
        weight = WEIGHTS[status]
        counts = "" if not weights else (" = left out" if weight is None else f" = {weight:g}")
        parts.append(f"{status}{counts} ({', '.join(_ascii(w) for w in spellings[1:])})")
    return "; ".join(parts)


class UnknownStatusError(Bio2MapError, ValueError):
    """A status that is none of the accepted words.

    Attributes:
        value: the status as given.
        subject: the id it was given for (``""`` when unknown).
    """

    def __init__(self, value: str, subject: str = "") -> None:
        self.value = value
        self.subject = subject
        super().__init__(value)

    def __str__(self) -> str:
        of = f" of {self.subject!r}" if self.subject else ""
        return (
            f"status {self.value[:60]!r}{of} must be one of: {accepted_statuses()} "
            "(case and accents do not matter)"
        )

    def __reduce__(self) -> tuple[type[UnknownStatusError], tuple[str, str]]:
        return (type(self), (self.value, self.subject))


def normalize_status(text: str, subject: str = "") -> str:
    """The canonical status that ``text`` spells (see :data:`STATUS_WORDS`).

    Args:
        text: a status as people write it (``Deels``, ``n.v.t.``, ``partially_implemented``).
        subject: the id it belongs to, for the error message.

    Raises:
        UnknownStatusError: not an accepted spelling (a ``ValueError``); the message lists
            every accepted word.
        TypeError: ``text`` is not a str.

    Examples:
        >>> normalize_status("N/A"), normalize_status("Niet geïmplementeerd")
        ('not-applicable', 'not-implemented')
    """
    if not isinstance(text, str):
        msg = f"a status must be a str, got {type(text).__name__}"
        raise TypeError(msg)
    status = _STATUS_INDEX.get(fold(text))
    if status is None:
        raise UnknownStatusError(text, subject)
    return status


def normalize_kind(text: str) -> str | None:
    """``control``, ``clause``, ``""`` for an empty cell, or None when ``text`` is neither.

    Examples:
        >>> normalize_kind("Clausule"), normalize_kind("Annex A"), normalize_kind("")
        ('clause', 'control', '')
    """
    folded = fold(text)
    return "" if not folded else _KIND_INDEX.get(folded)


def kind_of(cid: str) -> str:
    """``clause`` for an ISO/IEC 27001 clause id, ``theme`` for an ISO/IEC 27002 theme
    (``iso27002:5``), ``control`` for anything else."""
    scheme = scheme_of(cid)
    if scheme == "iso27001":
        return "clause"
    return "theme" if scheme == "iso27002" and "." not in cid else "control"


def display_id(cid: str) -> str:
    """How tables write a control or clause, so that the two are never confused.

    Examples:
        >>> display_id("iso27002:6.2"), display_id("iso27001:6.2"), display_id("iso27002:5")
        ('A.6.2', 'cl. 6.2', 'theme 5')
    """
    scheme, body = scheme_of(cid), plain(cid)
    if scheme == "iso27002":
        return f"A.{body}" if "." in body else f"theme {body}"
    if scheme == "iso27001":
        return f"cl. {body}"
    return cid


class AmbiguousSoaIdError(AmbiguousIdError):
    """A bare id that is both an ISO/IEC 27001 clause and an ISO/IEC 27002 (Annex A)
    control or theme: ``6.2`` is clause 6.2 and control A.6.2.

    ``suggestions`` holds both canonical ids (clause first); ``titles`` their titles. The
    message says how to write each, and how to say which for the whole SoA.
    """

    def __init__(
        self, value: str, suggestions: Iterable[str] = (), titles: Iterable[str] = ()
    ) -> None:
        super().__init__(value, tuple(suggestions), "control")
        self.titles = tuple(titles)

    def readings(self) -> str:
        """Both readings and how to write each, in one clause of a sentence."""
        parts, ways = [], []
        for i, cid in enumerate(self.suggestions):
            title = f" ({self.titles[i]})" if i < len(self.titles) and self.titles[i] else ""
            if scheme_of(cid) == "iso27001":
                parts.append(f"ISO 27001 clause {plain(cid)}{title}")
                ways.append(f"'clause {plain(cid)}' or '{cid}' for the clause")
            elif kind_of(cid) == "theme":
                parts.append(f"ISO 27002 theme {plain(cid)}{title}")
                ways.append(f"'A.{plain(cid)}' or '{cid}' for the theme")
            else:
                parts.append(f"Annex A control {display_id(cid)}{title}")
                ways.append(f"'{display_id(cid)}' or '{cid}' for the control")
        return f"{self.value!r} is both " + " and ".join(parts) + ": write " + ", ".join(ways)

    def __str__(self) -> str:
        return f"{self.readings()}; or {SAY_WHICH}"

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[AmbiguousSoaIdError], tuple[str, tuple[str, ...], tuple[str, ...]]]:
        return (type(self), (self.value, self.suggestions, self.titles))


class _Record:
    """A small frozen record with slots (attrs is not imported on the command line's
    fast path; see the module docstring)."""

    __slots__: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()
    """The fields in their order (``__slots__`` is sorted)."""

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"{type(self).__name__} is frozen"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"{type(self).__name__} is frozen"
        raise AttributeError(msg)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({fields})"


class SoaEntry(_Record):
    """One line of an SoA: where it stands, what it says and what it means.

    Attributes:
        line: the line in the file (0 for an entry that came from a mapping or a list).
        raw: the id as written.
        status: the canonical status (:data:`STATUSES`).
        id: the canonical id, once resolved against a catalog (``""`` before).
        justification: the line's justification, as written (``""`` when none).
        kind: what the line's ``kind`` column says the id is (``control``, ``clause``),
            or ``""``.
    """

    __slots__ = ("id", "justification", "kind", "line", "raw", "status")
    _fields = ("line", "raw", "status", "id", "justification", "kind")

    line: int
    raw: str
    status: str
    id: str
    justification: str
    kind: str

    def __init__(
        self,
        line: int,
        raw: str,
        status: str,
        id: str = "",
        justification: str = "",
        kind: str = "",
    ) -> None:
        init = object.__setattr__
        init(self, "line", line)
        init(self, "raw", raw)
        init(self, "status", status)
        init(self, "id", id)
        init(self, "justification", justification)
        init(self, "kind", kind)

    def resolved(self, cid: str) -> SoaEntry:
        """A copy of this entry with its canonical id."""
        return SoaEntry(self.line, self.raw, self.status, cid, self.justification, self.kind)


class StatementOfApplicability(_Record):
    """A parsed SoA: ``entries`` in file order, ``warnings`` about it (an id listed twice).

    :meth:`Catalog.coverage <bio2map.catalog.catalog.Catalog.coverage>` takes it as it
    is (justifications and lines are carried to the answer); :meth:`as_mapping` gives the
    plain id -> status form.
    """

    __slots__ = ("entries", "source", "warnings")
    _fields = ("source", "entries", "warnings")

    source: str
    entries: tuple[SoaEntry, ...]
    warnings: tuple[str, ...]

    def __init__(
        self, source: str, entries: Iterable[SoaEntry], warnings: Iterable[str] = ()
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "entries", tuple(entries))
        object.__setattr__(self, "warnings", tuple(warnings))

    def as_mapping(self) -> dict[str, str]:
        """Id (canonical if resolved, else as written) -> canonical status.

        An id listed twice keeps its stronger status (:data:`RANK`).
        """
        out: dict[str, str] = {}
        for e in self.entries:
            key = e.id or e.raw
            if key not in out or RANK[e.status] > RANK[out[key]]:
                out[key] = e.status
        return out
