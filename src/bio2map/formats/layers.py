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

from bio2map.catalog.layer import EdgeRules, Layer, layer_cycles, nowhere
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
    errors: list[DataError] = []
    nodes: dict[str, RawNode] = {}
    edges: list[RawEdge] = []
    where = array("l")
    known = catalog._raw
    rules = EdgeRules(ChainMap(nodes, known))
    memo: dict[str, str | None] = {}
    label_line: dict[str, int] = {}
    seen: set[str] = set()
    roles = rules.roles
    paths = False
    seq = 0

    def err(line: int, field: str, message: str) -> None:
        errors.append(DataError(source, f"line {line}", field, message))

    lookup = _Lookup(catalog)

    def node_id(raw: str, line: int, field: str, raw_label: str) -> str | None:
        nonlocal seq
        label = restore(raw_label) if raw_label[:1] == "'" else raw_label
        if label and not label.isprintable():
            why = _unsafe(label, "label")
            if why:
                err(line, field.replace("_id", "_label"), why)
                label = ""
        hit = memo.get(raw, "")
        if hit != "":
            if hit is not None and label:
                _label(hit, label, line, field)
            return hit
        text = restore(raw) if raw[:1] == "'" else raw
        cid: str | None
        if text in known:
            cid = text
        else:
            m = _OWN_ID.match(text)
            if (
                m
                and m.group(1).lower() not in _RESERVED
                and not m.group(1).lower().startswith(("iso", "nis", "art", "bio", "a."))
            ):
                cid = text
                if cid not in nodes:
                    seq += 1
                    nodes[cid] = {
                        "record": "Requirement",
                        "id": cid,
                        "framework": m.group(1),
                        "ref": m.group(2),
                        "kind": "item",
                        "parent": None,
                        "label": "",
                        "assessable": True,
                        "seq": seq,
                    }
            else:
                try:
                    cid = lookup(text)
                except UnknownIdError as e:
                    err(line, field, str(e))
                    cid = None
        if cid is not None:
            try:
                rules.role_of(cid)
            except ValueError as e:  # an id no layer may link (a theme, a marker, ...)
                err(line, field, f"{e}")
                cid = None
        memo[raw] = cid
        if cid is not None and label:
            _label(cid, label, line, field)
        return cid

    def _label(cid: str, label: str, line: int, field: str) -> None:
        """An own node's label (one per node); a packaged id keeps its own."""
        node = nodes.get(cid)
        if node is None:
            return  # a packaged id: the label is informational (see catalog.layer)
        first = node.get("label", "")
        if not first:
            node["label"] = label  # type: ignore[typeddict-unknown-key]
            label_line[cid] = line
        elif label != first:
            shown = label if len(label) <= 60 else label[:60] + "…"
            err(
                line,
                field.replace("_id", "_label"),
                f"{cid} is labelled {shown!r} here but {first!r} on line {label_line[cid]}; "
                "an own node has one label",
            )

    allow_csv_fields(LAYER.limit)  # a cell may be as long as the file
    reader = csv.reader(lines, dialect="excel", delimiter=delimiter)
    # A text stream from read_layer (newline='', fields up to the file cap) cannot make
    # the csv module fail, and read_layer catches csv.Error anyway; other line sources
    # go through _rows, which turns a CSV error into a problem (a generator per row costs
    # a tenth of the time on a million-row layer).
    rows = reader if isinstance(lines, io.TextIOBase) else _rows(reader, err)
    header: list[str] | None = None
    width = si = pi = oi = 0
    sli = oli = ci = cmi = pvi = mji = pmi = -1
    good_conf: dict[str, str] = {}
    source_cache: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for n, row in enumerate(rows, start=1):
        if len(errors) >= _MAX_PROBLEMS:  # a file this broken is not a layer: stop reading
            rest = 1 + sum(1 for _ in rows)
            del errors[_MAX_PROBLEMS:]  # a CSV error met while counting is not listed
            errors.append(
                DataError(
                    source,
                    f"line {n}",
                    "",
                    f"and {rest} more lines not checked (stopped after {_MAX_PROBLEMS} problems)",
                )
            )
            break
        if not row or (len(row) == 1 and not row[0].strip()) or row[0].startswith("#"):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                err(n, ", ".join(missing), f"the header has no {', '.join(missing)} column")
                break
            cols = {h: i for i, h in enumerate(header)}
            width = len(header)
            si, pi, oi = cols["subject_id"], cols["predicate_id"], cols["object_id"]
            sli, oli = cols.get("subject_label", -1), cols.get("object_label", -1)
            ci, cmi = cols.get("confidence", -1), cols.get("comment", -1)
            pvi, mji = cols.get("source", -1), cols.get("mapping_justification", -1)
            pmi = cols.get("predicate_modifier", -1)
            continue
        if len(row) < width:
            row += [""] * (width - len(row))
        s_raw = row[si].strip()
        p_raw = row[pi].strip()
        o_raw = row[oi].strip()
        if not s_raw or not p_raw or not o_raw:
            empty = [c for c, v in zip(_REQUIRED, (s_raw, p_raw, o_raw), strict=True) if not v]
            err(n, empty[0], "empty cell")
            continue
        rel = PREDICATES.get(p_raw) or _predicate(p_raw)
        if rel is None:
            err(
                n,
                "predicate_id",
                f"unknown predicate {p_raw!r}; use one of {_PREDICATE_NAMES}",
            )
        elif pmi >= 0 and row[pmi].strip():
            rel = _modified(rel, p_raw, row[pmi].strip(), n, err)
        subject = memo.get(s_raw, "")
        obj = memo.get(o_raw, "")
        if (subject == "" and not s_raw.isprintable()) or (obj == "" and not o_raw.isprintable()):
            bad = [(f, _unsafe(v)) for f, v in (("subject_id", s_raw), ("object_id", o_raw))]
            if any(why for _, why in bad):
                for f, why in bad:
                    if why:
                        err(n, f, why)
                continue
        if subject == "" or (sli >= 0 and row[sli]):
            subject = node_id(s_raw, n, "subject_id", row[sli].strip() if sli >= 0 else "")
        if obj == "" or (oli >= 0 and row[oli]):
            obj = node_id(o_raw, n, "object_id", row[oli].strip() if oli >= 0 else "")
        conf = row[ci].strip() if ci >= 0 else ""
        if conf and conf not in good_conf:
            try:
                ok = 0.0 <= float(conf) <= 1.0
            except ValueError:
                ok = False
            if ok:
                good_conf[conf] = f"confidence: {conf}"
            else:
                err(n, "confidence", f"{conf!r} is not a number from 0 to 1")
                continue
        if subject is None or obj is None or rel is None:
            continue
        extra: tuple[str, ...] = ()
        if roles[obj] == "control" and roles[subject] in _REQUIREMENT_SIDE:
            # most edges: a requirement or own node -> a control, kept as stated
            src, tgt, krel, kind = subject, obj, rel, "maps_to"
            key = f"{src}\x1f{krel}\x1f{tgt}"  # a str: the cyclic GC never walks it
        else:
            kept = rules.edge(subject, rel, obj)
            if isinstance(kept, str):
                err(n, "object_id", kept)
                continue
            src, tgt, krel, kind, extra = kept
            key = f"{src}\x1f{krel}\x1f{tgt}\x1f{extra[0] if extra else ''}"
            if kind == "maps_to" and roles[tgt] != "control" and krel != "not_related":
                paths = True  # a requirement -> requirement link: look for cycles at the end
        if key in seen:
            turned = " (the same mapping read the other way round)" if src != subject else ""
            err(n, "subject_id", f"duplicate mapping {src} {krel} {tgt}{turned}")
            continue
        seen.add(key)
        prov = (row[pvi].strip() if pvi >= 0 else "") or (row[mji].strip() if mji >= 0 else "")
        comment = row[cmi].strip() if cmi >= 0 else ""
        skey = (prov, conf, comment)
        sources = source_cache.get(skey)
        if sources is None:
            prov = restore(prov) if prov[:1] == "'" else prov
            comment = restore(comment) if comment[:1] == "'" else comment
            sources = (f"layer {name}: {prov or source}",)
            if conf:
                sources += (good_conf[conf],)
            if comment:
                sources += (f"comment: {comment}",)
            if len(source_cache) < 10000:
                source_cache[skey] = sources
        edges.append((src, tgt, krel, kind, "layer", name, sources + extra))
        where.append(n)
    if header is None and not errors:
        err(1, "subject_id", "no header row (subject_id, predicate_id, object_id)")
    layer = Layer(name, source, nodes, edges, where)
    if paths and not errors:  # a cycle of requirement -> requirement links, with its line
        errors.extend(
            layer_cycles(
                ChainMap(nodes, known),
                [
                    ("packaged data", catalog._edges, nowhere),
                    (source, layer.edges, layer.where),
                ],
            )
        )
    if errors:
        msg = f"layer {name!r} is broken"
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
