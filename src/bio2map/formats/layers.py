"""User mapping layers: mappings we do not ship, merged into a catalog for a run.

A layer is a CSV or TSV file with SSSOM column names::

    subject_id,predicate_id,object_id,source,confidence,comment
    myorg:SUP-01,skos:exactMatch,A.5.19,internal framework v3,0.9,
    myorg:SUP-01,bio2map:subset_of,21(2)(d),,,

* ``subject_id`` and ``object_id`` are ids bio2map knows (typed leniently, like
  everywhere else) or ids under a prefix of the layer's own (``myorg:SUP-01``); those
  become nodes of the layer. ``subject_label`` / ``object_label`` columns name them.
* ``predicate_id`` is one of our relationships (``equal``, ``subset_of``,
  ``superset_of``, ``intersects_with``, ``not_related``; with or without a ``bio2map:``
  prefix) or a SKOS mapping predicate: ``skos:exactMatch`` (equal), ``skos:closeMatch``
  and ``skos:relatedMatch`` (intersects_with), ``skos:broadMatch`` (subject subset_of
  object), ``skos:narrowMatch`` (superset_of); ``predicate_modifier`` ``Not`` with
  ``skos:relatedMatch`` is ``not_related`` (as the SSSOM export writes it).
* ``source`` (or ``mapping_justification``), ``confidence`` (0 to 1) and ``comment`` are
  kept as provenance. ``#`` lines (an SSSOM metadata block) are skipped.
* A cell that starts with ``'`` before ``=``, ``+``, ``-`` or ``@`` is read without the
  ``'`` (:func:`~bio2map.formats.common.restore`): what bio2map's CSV and SSSOM writers
  defused reads back as it was. TSV is read with the quoting a TSV writer uses.

What each edge means (turned round, a measure read as its control, a side link between
controls, refused ends, self-loops and cycles, labels) is set out in
:mod:`bio2map.catalog.layer` and ``docs/howto/own-mapping-layer.md``; CSV layers and
CISO Assistant libraries follow the same rules. Layers are validated like packaged data:
every problem of every file at once, each with file, line and column; after 200 problems
the rest of the file is counted, not checked. CISO Assistant library YAML is read by
:mod:`bio2map.formats.ciso` when that module is available (optional extra
``bio2map[yaml]``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import os
import re
from array import array
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bio2map.catalog.layer import EdgeRules, Layer
from bio2map.catalog.layer_checks import layer_cycles, nowhere
from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import SCHEMES, Suggester, control_character, has_reading
from bio2map.core.userfiles import LAYER, YAML, allow_csv_fields, check_path, open_user_file
from bio2map.formats.common import restore

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog
    from bio2map.core.raw import RawEdge, RawNode

__all__ = ["PREDICATES", "Layer", "parse_layer", "read_layer"]

PREDICATES = {
    "equal": "equal",
    "subset_of": "subset_of",
    "superset_of": "superset_of",
    "intersects_with": "intersects_with",
    "intersect": "intersects_with",
    "not_related": "not_related",
    "skos:exactmatch": "equal",
    "skos:closematch": "intersects_with",
    "skos:relatedmatch": "intersects_with",
    "skos:broadmatch": "subset_of",
    "skos:narrowmatch": "superset_of",
}
PREDICATES.update(
    {
        "skos:exactMatch": "equal",
        "skos:closeMatch": "intersects_with",
        "skos:relatedMatch": "intersects_with",
        "skos:broadMatch": "subset_of",
        "skos:narrowMatch": "superset_of",
    }
)
_PREDICATE_NAMES = ", ".join(sorted({k.lower() for k in PREDICATES}))
_YAML_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:(?:\s|$)")
_OWN_ID = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):(\S+)$")
_RESERVED = frozenset(SCHEMES)
_MAX_BYTES = LAYER.limit
_MAX_PROBLEMS = 200
_MAX_SUGGESTED = 20  # unknown ids that get close-match suggestions (milliseconds each)
_REQUIRED = ("subject_id", "predicate_id", "object_id")
_REQUIREMENT_SIDE = frozenset({"own", "ir2690", "nis2"})  # roles (bio2map.catalog.layer.role)


def _predicate(raw: str) -> str | None:
    p = raw.strip().lower()
    p = p.removeprefix("bio2map:")
    return PREDICATES.get(p)


def parse_layer(
    lines: Iterable[str], catalog: Catalog, *, name: str, source: str = "<string>"
) -> Layer:
    """Parse and validate layer rows against ``catalog``.

    Each edge is kept as :class:`~bio2map.catalog.layer.EdgeRules` says (turned round,
    a measure read as its control, a side link between controls); see
    ``docs/howto/own-mapping-layer.md``.

    Raises:
        TypeError: ``lines`` is not an iterable of lines, ``catalog`` not a catalog, or
            ``name`` or ``source`` not a str.
        DataErrorGroup: every problem found (file, line, column).
    """
    if isinstance(lines, str | bytes) or not hasattr(lines, "__iter__"):
        msg = f"lines must be an iterable of str lines, got {type(lines).__name__}" + (
            " (split a text with text.splitlines(keepends=True))" if isinstance(lines, str) else ""
        )
        raise TypeError(msg)
    _check_catalog(catalog)
    for param, value in (("name", name), ("source", source)):
        if not isinstance(value, str):
            msg = f"{param} must be a str, got {type(value).__name__}"
            raise TypeError(msg)
    return _parse(lines, catalog, name, source, ",")


def _parse(lines: Iterable[str], catalog: Catalog, name: str, source: str, delimiter: str) -> Layer:
    reader = _LayerReader(catalog, name, source)
    allow_csv_fields(LAYER.limit)  # a cell may be as long as the file
    csv_rows = csv.reader(lines, dialect="excel", delimiter=delimiter)
    # A text stream from read_layer (newline='', fields up to the file cap) cannot make
    # the csv module fail, and read_layer catches csv.Error anyway; other line sources
    # go through _rows, which turns a CSV error into a problem (a generator per row costs
    # a tenth of the time on a million-row layer).
    reader.read(csv_rows if isinstance(lines, io.TextIOBase) else _rows(csv_rows, reader.err))
    return reader.finish()


class _Columns:
    """Where each column of a layer's header is (``-1``: an optional column not given)."""

    __slots__ = ("ci", "cmi", "mji", "oi", "oli", "pi", "pmi", "pvi", "si", "sli", "width")

    def __init__(self, header: list[str]) -> None:
        cols = {h: i for i, h in enumerate(header)}
        self.width = len(header)
        self.si, self.pi, self.oi = cols["subject_id"], cols["predicate_id"], cols["object_id"]
        self.sli, self.oli = cols.get("subject_label", -1), cols.get("object_label", -1)
        self.ci, self.cmi = cols.get("confidence", -1), cols.get("comment", -1)
        self.pvi, self.mji = cols.get("source", -1), cols.get("mapping_justification", -1)
        self.pmi = cols.get("predicate_modifier", -1)


class _LayerReader:
    """Reads the rows of one layer file: its own nodes, the edges kept, every problem."""

    def __init__(self, catalog: Catalog, name: str, source: str) -> None:
        self.catalog = catalog
        self.name = name
        self.source = source
        self.errors: list[DataError] = []
        self.nodes: dict[str, RawNode] = {}
        self.edges: list[RawEdge] = []
        self.where = array("l")
        self.known = catalog._raw
        self.rules = EdgeRules(ChainMap(self.nodes, self.known))
        self.roles = self.rules.roles
        self.memo: dict[str, str | None] = {}  # a cell as written -> its id (None: refused)
        self.label_line: dict[str, int] = {}
        self.seen: set[str] = set()  # the edges kept so far
        self.paths = False  # a requirement -> requirement link: look for cycles at the end
        self.seq = 0
        self.lookup = _Lookup(catalog)
        self.header_read = False
        self.good_conf: dict[str, str] = {}
        self.source_cache: dict[tuple[str, str, str], tuple[str, ...]] = {}

    def err(self, line: int, field: str, message: str) -> None:
        self.errors.append(DataError(self.source, f"line {line}", field, message))

    # --- the rows ---------------------------------------------------------------------------

    def read(self, rows: Iterator[list[str]]) -> None:
        """Read the header row, then every edge row, until the rows end or there are
        :data:`_MAX_PROBLEMS` problems."""
        columns: _Columns | None = None
        for n, row in enumerate(rows, start=1):
            if len(self.errors) >= _MAX_PROBLEMS:  # a file this broken is not a layer: stop
                self._stop(n, rows)
                break
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].startswith("#"):
                continue
            if columns is None:
                columns = self._header(row, n)
                if columns is None:
                    break
                continue
            self._row(row, n, columns)
        self.header_read = columns is not None

    def _stop(self, n: int, rows: Iterator[list[str]]) -> None:
        """Count the rows from line ``n`` on, not checked, as the last problem."""
        rest = 1 + sum(1 for _ in rows)
        del self.errors[_MAX_PROBLEMS:]  # a CSV error met while counting is not listed
        self.errors.append(
            DataError(
                self.source,
                f"line {n}",
                "",
                f"and {rest} more lines not checked (stopped after {_MAX_PROBLEMS} problems)",
            )
        )

    def _header(self, row: list[str], n: int) -> _Columns | None:
        """The columns of the header row, or ``None`` (a problem) when one is missing."""
        header = [h.strip().lower() for h in row]
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            self.err(n, ", ".join(missing), f"the header has no {', '.join(missing)} column")
            return None
        return _Columns(header)

    def _row(self, row: list[str], n: int, c: _Columns) -> None:
        """Read one edge row: keep its edge, or note its problems (in the order a reader
        meets them: cells, predicate, ids, confidence, the rules, a duplicate).

        The common case (known ids, a requirement -> control link, provenance seen
        before) runs here without further calls: a layer may have a million rows.
        """
        if len(row) < c.width:
            row += [""] * (c.width - len(row))
        s_raw = row[c.si].strip()
        p_raw = row[c.pi].strip()
        o_raw = row[c.oi].strip()
        if not s_raw or not p_raw or not o_raw:
            empty = [k for k, v in zip(_REQUIRED, (s_raw, p_raw, o_raw), strict=True) if not v]
            self.err(n, empty[0], "empty cell")
            return
        rel = PREDICATES.get(p_raw) or self._predicate(p_raw, n)
        if rel is not None and c.pmi >= 0 and row[c.pmi].strip():
            rel = _modified(rel, p_raw, row[c.pmi].strip(), n, self.err)
        memo = self.memo
        subject = memo.get(s_raw, "")
        obj = memo.get(o_raw, "")
        if (
            (subject == "" and not s_raw.isprintable()) or (obj == "" and not o_raw.isprintable())
        ) and self._unsafe_ids(s_raw, o_raw, n):
            return
        if subject == "" or (c.sli >= 0 and row[c.sli]):
            subject = self.node_id(s_raw, n, "subject_id", row[c.sli].strip() if c.sli >= 0 else "")
        if obj == "" or (c.oli >= 0 and row[c.oli]):
            obj = self.node_id(o_raw, n, "object_id", row[c.oli].strip() if c.oli >= 0 else "")
        conf = row[c.ci].strip() if c.ci >= 0 else ""
        if conf and conf not in self.good_conf and not self._confidence(conf, n):
            return
        if subject is None or obj is None or rel is None:
            return
        extra: tuple[str, ...]
        roles = self.roles
        if roles[obj] == "control" and roles[subject] in _REQUIREMENT_SIDE:
            # most edges: a requirement or own node -> a control, kept as stated
            src, tgt, krel, kind, extra = subject, obj, rel, "maps_to", ()
            key = f"{src}\x1f{krel}\x1f{tgt}"  # a str: the cyclic GC never walks it
        else:
            kept = self._kept(subject, rel, obj, n)
            if kept is None:
                return
            src, tgt, krel, kind, extra, key = kept
        if key in self.seen:
            turned = " (the same mapping read the other way round)" if src != subject else ""
            self.err(n, "subject_id", f"duplicate mapping {src} {krel} {tgt}{turned}")
            return
        self.seen.add(key)
        prov = (row[c.pvi].strip() if c.pvi >= 0 else "") or (
            row[c.mji].strip() if c.mji >= 0 else ""
        )
        comment = row[c.cmi].strip() if c.cmi >= 0 else ""
        skey = (prov, conf, comment)
        sources = self.source_cache.get(skey) or self._sources(skey)
        self.edges.append((src, tgt, krel, kind, "layer", self.name, sources + extra))
        self.where.append(n)

    def _predicate(self, p_raw: str, n: int) -> str | None:
        """The relationship a predicate cell names (any case, ``bio2map:`` or not), or
        ``None`` (a problem noted)."""
        rel = _predicate(p_raw)
        if rel is None:
            self.err(
                n, "predicate_id", f"unknown predicate {p_raw!r}; use one of {_PREDICATE_NAMES}"
            )
        return rel

    def _unsafe_ids(self, s_raw: str, o_raw: str, n: int) -> bool:
        """Whether the subject or object cell holds a control character (a problem each)."""
        bad = [(f, _unsafe(v)) for f, v in (("subject_id", s_raw), ("object_id", o_raw))]
        if not any(why for _, why in bad):
            return False
        for f, why in bad:
            if why:
                self.err(n, f, why)
        return True

    def _confidence(self, conf: str, n: int) -> bool:
        """Whether ``conf`` is a number from 0 to 1 (a problem when it is not)."""
        try:
            ok = 0.0 <= float(conf) <= 1.0
        except ValueError:
            ok = False
        if ok:
            self.good_conf[conf] = f"confidence: {conf}"
        else:
            self.err(n, "confidence", f"{conf!r} is not a number from 0 to 1")
        return ok

    def _kept(
        self, subject: str, rel: str, obj: str, n: int
    ) -> tuple[str, str, str, str, tuple[str, ...], str] | None:
        """The edge the rules keep for a row (turned round, a measure read as its control,
        a side link), with its key among the edges kept; ``None`` when they refuse it (a
        problem noted)."""
        kept = self.rules.edge(subject, rel, obj)
        if isinstance(kept, str):
            self.err(n, "object_id", kept)
            return None
        src, tgt, krel, kind, extra = kept
        key = f"{src}\x1f{krel}\x1f{tgt}\x1f{extra[0] if extra else ''}"
        if kind == "maps_to" and self.roles[tgt] != "control" and krel != "not_related":
            self.paths = True
        return src, tgt, krel, kind, extra, key

    def _sources(self, skey: tuple[str, str, str]) -> tuple[str, ...]:
        """An edge's provenance from its ``(source, confidence, comment)`` cells: the layer
        and source, confidence and comment (kept for the next edges with the same cells)."""
        prov, conf, comment = skey
        prov = restore(prov) if prov[:1] == "'" else prov
        comment = restore(comment) if comment[:1] == "'" else comment
        sources: tuple[str, ...] = (f"layer {self.name}: {prov or self.source}",)
        if conf:
            sources += (self.good_conf[conf],)
        if comment:
            sources += (f"comment: {comment}",)
        if len(self.source_cache) < 10000:
            self.source_cache[skey] = sources
        return sources

    # --- ids and labels ---------------------------------------------------------------------

    def node_id(self, raw: str, line: int, field: str, raw_label: str) -> str | None:
        """The id of a subject or object cell (``None``: refused, with a problem noted),
        its label applied."""
        label = self._clean_label(raw_label, line, field)
        hit = self.memo.get(raw, "")
        if hit != "":
            if hit is not None and label:
                self._label(hit, label, line, field)
            return hit
        cid = self._resolve(restore(raw) if raw[:1] == "'" else raw, line, field)
        if cid is not None:
            try:
                self.rules.role_of(cid)
            except ValueError as e:  # an id no layer may link (a theme, a marker, ...)
                self.err(line, field, f"{e}")
                cid = None
        self.memo[raw] = cid
        if cid is not None and label:
            self._label(cid, label, line, field)
        return cid

    def _clean_label(self, raw_label: str, line: int, field: str) -> str:
        """A label cell as read (``""`` when it holds a control character: a problem)."""
        label = restore(raw_label) if raw_label[:1] == "'" else raw_label
        if label and not label.isprintable():
            why = _unsafe(label, "label")
            if why:
                self.err(line, field.replace("_id", "_label"), why)
                label = ""
        return label

    def _resolve(self, text: str, line: int, field: str) -> str | None:
        """A packaged id, an own node's id (the node made on first sight), or ``None``
        for an unknown id (a problem noted)."""
        if text in self.known:
            return text
        m = _OWN_ID.match(text)
        if (
            m
            and m.group(1).lower() not in _RESERVED
            and not m.group(1).lower().startswith(("iso", "nis", "art", "bio", "a."))
        ):
            if text not in self.nodes:
                self.seq += 1
                self.nodes[text] = {
                    "record": "Requirement",
                    "id": text,
                    "framework": m.group(1),
                    "ref": m.group(2),
                    "kind": "item",
                    "parent": None,
                    "label": "",
                    "assessable": True,
                    "seq": self.seq,
                }
            return text
        try:
            return self.lookup(text)
        except UnknownIdError as e:
            self.err(line, field, str(e))
            return None

    def _label(self, cid: str, label: str, line: int, field: str) -> None:
        """An own node's label (one per node); a packaged id keeps its own."""
        node = self.nodes.get(cid)
        if node is None:
            return  # a packaged id: the label is informational (see catalog.layer)
        first = node.get("label", "")
        if not first:
            node["label"] = label  # type: ignore[typeddict-unknown-key]
            self.label_line[cid] = line
        elif label != first:
            shown = label if len(label) <= 60 else label[:60] + "…"
            self.err(
                line,
                field.replace("_id", "_label"),
                f"{cid} is labelled {shown!r} here but {first!r} on line "
                f"{self.label_line[cid]}; an own node has one label",
            )

    # --- the end ----------------------------------------------------------------------------

    def finish(self) -> Layer:
        """The layer read, checked for cycles when it links requirements to requirements.

        Raises:
            DataErrorGroup: every problem found.
        """
        errors = self.errors
        if not self.header_read and not errors:
            self.err(1, "subject_id", "no header row (subject_id, predicate_id, object_id)")
        layer = Layer(self.name, self.source, self.nodes, self.edges, self.where)
        if self.paths and not errors:  # a cycle of requirement -> requirement links
            errors.extend(
                layer_cycles(
                    ChainMap(self.nodes, self.known),
                    [
                        ("packaged data", self.catalog._edges, nowhere),
                        (self.source, layer.edges, layer.where),
                    ],
                )
            )
        if errors:
            msg = f"layer {self.name!r} is broken"
            raise DataErrorGroup(msg, errors)
        return layer


def _modified(
    rel: str, predicate: str, modifier: str, line: int, err: Callable[[int, str, str], None]
) -> str | None:
    """The relationship of an SSSOM predicate with a ``predicate_modifier``: ``Not`` with
    ``skos:relatedMatch`` is ``not_related`` (as the SSSOM export writes it)."""
    if modifier.lower() == "not" and predicate.lower() == "skos:relatedmatch":
        return "not_related"
    err(
        line,
        "predicate_modifier",
        f"{modifier!r} with {predicate!r}: bio2map reads only 'Not' with skos:relatedMatch "
        "(not_related)",
    )
    return None


def read_layer(path: str | os.PathLike[str], catalog: Catalog, *, name: str | None = None) -> Layer:
    """Read a CSV/TSV (SSSOM columns) or CISO Assistant YAML layer file.

    Args:
        path: the file; ``.tsv`` is tab-separated, ``.yaml``/``.yml`` is CISO Assistant.
            ``-`` (standard input) and a pipe such as ``<(cat f.csv)`` are read whole (a
            CISO Assistant library is recognised by its content there); folders, devices
            and named pipes are refused (see :mod:`bio2map.core.userfiles`).
        catalog: the catalog whose ids the layer refers to.
        name: the layer's name (default: the file name without extension; ``stdin``
            for ``-``).

    Raises:
        TypeError: ``path`` is not a path, ``catalog`` not a catalog or ``name`` not a str.
        DataErrorGroup: the file cannot be read or holds problems (all are listed).
    """
    source = check_path(path, "path")
    _check_catalog(catalog)
    if name is not None and not isinstance(name, str):
        msg = f"name must be a str or None, got {type(name).__name__}"
        raise TypeError(msg)
    p = Path(source)
    ext = p.suffix.lower()
    layer_name = name or ("stdin" if source == "-" else p.stem)
    if ext in (".yaml", ".yml"):
        from bio2map.formats.ciso import read_ciso_layer  # optional: needs PyYAML

        return read_ciso_layer(source, catalog, name=layer_name)
    msg = "cannot read the layer"
    try:
        uf = open_user_file(source, LAYER)
    except DataError as e:
        raise DataErrorGroup(msg, [e]) from None
    with uf:
        try:
            uf.check_text()
            head = uf.head(4096).decode("utf-8", "replace")
        except DataError as e:
            raise DataErrorGroup(msg, [e]) from None
        if ext not in (".csv", ".tsv") and _looks_like_yaml(head):
            from bio2map.formats.ciso import read_ciso_bytes

            # a pipe or a file without extension that holds a CISO Assistant library
            data = uf.head(YAML.limit + 1)
            return read_ciso_bytes(data, catalog, name=layer_name, source=uf.name)
        try:
            text = uf.lines()
            tabbed = ext == ".tsv" or (ext != ".csv" and _tabbed(head))
            return _parse(text, catalog, layer_name, uf.name, "\t" if tabbed else ",")
        except UnicodeDecodeError as e:
            raise DataErrorGroup(msg, [uf.decode_error(e)]) from None
        except DataError as e:  # the file grew past the cap while it was read
            raise DataErrorGroup(msg, [e]) from None
        except csv.Error as e:  # pragma: no cover - a text stream gives none (see parse_layer)
            raise DataErrorGroup(msg, [DataError(uf.name, "", "", f"not valid CSV: {e}")]) from None


def _looks_like_yaml(head: str) -> bool:
    """A CISO Assistant library starts with a ``key:`` line and has no commas or tabs there."""
    first = next(
        (ln for ln in head.lstrip("\ufeff").splitlines() if ln.strip() and not ln.startswith("#")),
        "",
    )
    return first.rstrip() == "---" or (
        "," not in first and "\t" not in first and _YAML_KEY.match(first) is not None
    )


def _rows(reader: Iterator[list[str]], err: Callable[[int, str, str], None]) -> Iterator[list[str]]:
    """The reader's rows; a CSV error (an unclosed quote at the end) becomes a problem."""
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            err(n + 1, "", f"not valid CSV: {e}")
            return
        n += 1
        yield row


def _unsafe(value: str, what: str = "id") -> str:
    """Why ``value`` cannot be an id or label (a control character), or ``""``."""
    ch = control_character(value)
    if ch is None:
        return ""
    shown = repr(value) if len(value) <= 60 else f"{value[:60]!r}…"
    return f"the {what} {shown} holds the control character U+{ord(ch):04X}"


class _Lookup:
    """``catalog.resolve(text)``, but suggestions only for the first few unknown ids, and
    computed once per id by a :class:`~bio2map.core.ids.Suggester`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.suggest: Suggester | None = None
        self.unknown = 0

    def __call__(self, text: str) -> str:
        known = self.catalog._raw
        if has_reading(text, known):
            return self.catalog.resolve(text)  # found or ambiguous: no suggestions needed
        self.unknown += 1
        hints: tuple[str, ...] = ()
        if self.unknown <= _MAX_SUGGESTED:
            self.suggest = self.suggest or Suggester(known)
            hints = self.suggest(text)
        raise UnknownIdError(text, hints)


def _check_catalog(catalog: object) -> None:
    from bio2map.catalog.catalog import Catalog

    if not isinstance(catalog, Catalog):
        msg = f"catalog must be a bio2map Catalog, got {type(catalog).__name__}"
        raise TypeError(msg)


def _tabbed(head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln and not ln.startswith("#")), "")
    return "\t" in first
