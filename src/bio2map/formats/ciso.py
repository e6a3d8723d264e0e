"""CISO Assistant library YAML as a user mapping layer (optional extra ``bio2map[yaml]``).

`CISO Assistant <https://github.com/intuitem/ciso-assistant-community>`_ ships frameworks
and mappings as library YAML files. :func:`bio2map.formats.layers.read_layer` hands ``.yaml`` and
``.yml`` files to :func:`read_ciso_layer`, which reads:

* ``objects/framework``: its ``requirement_nodes`` become nodes of the layer, with ids
  under a prefix made from the framework's ``ref_id`` (``MyOrg Framework`` ->
  ``myorg-framework:SUP-01``), ``parent`` from ``parent_urn``, ``label`` from ``name``
  (at most eight words) and ``assessable``;
* ``objects/requirement_mapping_sets`` (a list) and ``objects/requirement_mapping_set``
  (one set): every ``requirement_mappings`` entry becomes an edge of the layer.

Requirement node URNs of frameworks bio2map knows (CISO Assistant's own libraries,
``urn:intuitem:risk:req_node:<framework>:<ref>``) map to canonical ids:

* ``iso27001-2022:a.5.19`` (Annex A) -> ``iso27002:5.19``; ``iso27001-2022:6.1.2``
  (clauses) -> ``iso27001:6.1.2``;
* ``nis2-directive:21.2.d`` -> ``nis2:21.2.d`` (``nis2-directive:article-21`` ->
  ``nis2:21``);
* ``annex-technical-and-methodological-requirements-nis2:1.1.1.a`` (the 2024/2690 annex
  library, with or without ENISA's guidance; its ``ref_id`` is
  ``annex-nis2-regulation--2024-2690-...``) -> ``ir2690:1.1.1.a``.

URNs of the file's own framework map to its own nodes. Anything else is an error that
names the URN (with the closest ids when it looks like one of ours).

Direction. CISO Assistant reads a mapping as ``source <relationship> target``: its
mapping engine copies a source result in full to the target for ``equal`` and
``superset`` (the source covers the target) and only in part for ``subset`` and
``intersect``. bio2map relationships read the same way, so ``subset`` becomes
``subset_of``, ``superset`` ``superset_of``, ``intersect`` ``intersects_with``, and
``equal`` and ``not_related`` stay. Edges are then kept as the rules of
:mod:`bio2map.catalog.layer` say, the same as for CSV layers: they point the way
bio2map's graph does, from the layer's own nodes to 2024/2690 to NIS2 to ISO/IEC
27001/27002, so a mapping written the other way round (an ISO control as the source,
say) is turned round with the inverse relationship (``A superset B`` is
``B subset_of A``) and :meth:`~bio2map.Catalog.controls_for` finds it; an own node or
annex requirement mapped to a NIS2 requirement is an ``implements`` edge; a mapping
between two ISO controls is a side link (``relates_to``) no query follows; themes,
self-loops and cycles are refused. The same edge given twice (a library that holds both
directions of a mapping) is kept once. A mapping between two nodes of the library's own
framework is refused (its ``parent_urn`` gives its structure). After 1000 problems the
rest are counted (``and N more problems``).

Safety. The file is read at most once and only if it is at most :data:`MAX_BYTES`. It
must be UTF-8 text. YAML is composed by a :class:`yaml.SafeLoader` subclass that
rejects anchors and aliases (no alias bombs), tags other than plain data (no
``!!python/...``), more than :data:`MAX_NODES` nodes and nesting deeper than
:data:`MAX_DEPTH`, each as soon as it meets one. Nothing is ever constructed from a tag:
the checks walk the composed nodes, so every problem has a line and a path such as
``objects/framework/requirement_nodes/3/urn``, and all of them come at once in one
:class:`~bio2map.core.errors.DataErrorGroup`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import ChainMap
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol, cast

from bio2map.catalog.layer import EdgeRules, Layer
from bio2map.catalog.layer_checks import layer_cycles, nowhere
from bio2map.core.errors import DataError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import SCHEMES, control_character
from bio2map.core.userfiles import YAML, check_path, decode_text, read_user_bytes

if TYPE_CHECKING:
    import yaml
    from yaml.error import Mark
    from yaml.nodes import Node

    from bio2map.catalog.catalog import Catalog
    from bio2map.core.raw import RawEdge, RawRequirement

__all__ = [
    "CISO_RELATIONSHIPS",
    "KNOWN_FRAMEWORKS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "parse_ciso_layer",
    "read_ciso_layer",
]

MAX_BYTES: Final = YAML.limit
"""The largest file :func:`read_ciso_layer` reads (20 MiB); larger files are refused
before they are read."""
MAX_NODES = 1_000_000
"""The most YAML nodes (scalars, lists and mappings) one file may hold: many times what
the largest CISO Assistant library holds, and a bound on time and memory (PyYAML's
pure-Python composer needs well under a minute and a few hundred MB for that many)."""
MAX_DEPTH = 64
"""The deepest nesting of YAML nodes one file may hold (CISO Assistant libraries need
about eight)."""

CISO_RELATIONSHIPS: Final = {
    "equal": "equal",
    "subset": "subset_of",
    "superset": "superset_of",
    "intersect": "intersects_with",
    "not_related": "not_related",
}
"""CISO Assistant mapping relationship -> bio2map relationship (same reading direction)."""

KNOWN_FRAMEWORKS: Final = {
    "iso27001-2022": "ISO/IEC 27001:2022 (clauses and Annex A)",
    "nis2-directive": "NIS2 Directive, Art. 21",
    "annex-technical-and-methodological-requirements-nis2": "Implementing Regulation "
    "(EU) 2024/2690, annex",
}
"""CISO Assistant framework slugs (``urn:intuitem:risk:framework:<slug>``) bio2map maps."""

_IR2690_SLUGS: Final = ("annex-nis2-regulation--2024-2690", "annex-implementing-regulation")
_YAML_HINT: Final = "reading CISO Assistant YAML needs PyYAML: pip install 'bio2map[yaml]'"
_PLAIN_TAGS: Final = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")
)
_STR: Final = "tag:yaml.org,2002:str"
_NULL: Final = "tag:yaml.org,2002:null"
_BOOL: Final = "tag:yaml.org,2002:bool"
_MERGE: Final = "tag:yaml.org,2002:merge"
_BOOLS: Final = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_MAX_ERRORS: Final = 1000
_LABEL_WORDS: Final = 8
_URN: Final = re.compile(r"^urn:([^:]+):risk:req_node:([^:]+):(.+)$")
_ANNEX_A: Final = re.compile(r"^a\.(\d+(?:\.\d+)?)$")
_ARTICLE: Final = re.compile(r"^article-(\d+)$")


class _Mark(Protocol):
    """Where YAML met something (a ``yaml.Mark``; ``line`` counts from 0)."""

    line: int


class _Line:
    """A compact stand-in for a node's ``yaml.Mark``: only the line (from 0)."""

    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


class _Rejected(Exception):  # noqa: N818 - internal signal, never escapes this module
    """A YAML construct the loader refuses (alias, anchor, tag, too many nodes)."""

    def __init__(self, mark: _Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _require_yaml(source: str) -> None:
    try:
        import yaml  # noqa: F401
    except ImportError:
        msg = "cannot read the layer"
        raise DataErrorGroup(msg, [DataError(source, "", "", _YAML_HINT)]) from None


def _show_tag(tag: str) -> str:
    return "!!" + tag[18:] if tag.startswith("tag:yaml.org,2002:") else tag


@cache
def _loader_class() -> type[yaml.SafeLoader]:
    import yaml
    from yaml.events import AliasEvent, NodeEvent

    class LayerLoader(yaml.SafeLoader):
        """A SafeLoader whose composer refuses aliases, anchors, tags and huge input."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.composed = 0
            self.depth = 0
            self.lines: dict[int, _Line] = {}

        def compose_node(self, parent: Node | None, index: int) -> Node | None:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, AliasEvent):
                msg = f"YAML alias *{event.anchor} is not allowed: write the value out"
                raise _Rejected(event.start_mark, msg)
            if isinstance(event, NodeEvent) and event.anchor is not None:
                msg = f"YAML anchor &{event.anchor} is not allowed: layers take no aliases"
                raise _Rejected(event.start_mark, msg)
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                msg = (
                    f"YAML tag {_show_tag(tag)!r} is not allowed: a layer holds plain data "
                    "(strings, numbers, booleans, lists, mappings) only"
                )
                raise _Rejected(event.start_mark, msg)
            self.composed += 1
            if self.composed > MAX_NODES:
                msg = f"more than {MAX_NODES} YAML nodes; a layer may hold at most that many"
                raise _Rejected(event.start_mark, msg)
            if self.depth >= MAX_DEPTH:
                msg = f"YAML nested more than {MAX_DEPTH} levels deep"
                raise _Rejected(event.start_mark, msg)
            self.depth += 1
            try:
                node = super().compose_node(parent, index)
            finally:
                self.depth -= 1
            if node is not None:
                # keep only the line: a Mark pair per node would triple the memory
                line = node.start_mark.line
                mark = self.lines.get(line)
                if mark is None:
                    mark = self.lines[line] = _Line(line)
                node.start_mark = cast("Mark", mark)
                node.end_mark = None
            return node

    return LayerLoader


def _line(mark: _Mark | None) -> str:
    return f"line {mark.line + 1}" if mark is not None else ""


def _compose(text: str, source: str) -> Node | None:
    """Compose one YAML document safely; raise a DataErrorGroup for any YAML problem."""
    import yaml

    loader = None
    problem: DataError
    try:
        loader = _loader_class()(text)  # the reader checks every character here
        return loader.get_single_node()
    except _Rejected as e:
        problem = DataError(source, _line(e.mark), "", e.message)
    except yaml.MarkedYAMLError as e:
        what = " ".join(p for p in (e.context, e.problem) if p)
        problem = DataError(
            source, _line(e.problem_mark or e.context_mark), "", f"YAML syntax error: {what}"
        )
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        char = chr(e.character) if isinstance(e.character, int) else str(e.character)
        problem = DataError(
            source, f"line {line}", "", f"character {char!r} is not allowed in YAML"
        )
    except yaml.YAMLError as e:  # pragma: no cover - every YAMLError PyYAML raises is marked
        problem = DataError(source, "", "", f"YAML error: {e}")
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting well before
        problem = DataError(source, "", "", "YAML nested too deeply")
    finally:
        if loader is not None:
            loader.dispose()
    msg = f"layer {source!r} is not a readable CISO Assistant library"
    raise DataErrorGroup(msg, [problem])


class _Walker:
    """Typed getters over composed YAML nodes that collect errors and never raise."""

    def __init__(self, source: str) -> None:
        from yaml import nodes

        self.source = source
        self.errors: list[DataError] = []
        self.dropped = 0  # problems past _MAX_ERRORS: counted, not listed
        self.map_type = nodes.MappingNode
        self.seq_type = nodes.SequenceNode
        self.scalar_type = nodes.ScalarNode

    def err(self, node: Node | None, path: str, message: str) -> None:
        if len(self.errors) < _MAX_ERRORS:
            mark = node.start_mark if node is not None else None
            self.errors.append(DataError(self.source, _line(mark), path, message))
        else:
            self.dropped += 1

    def more(self) -> list[DataError]:
        """``and N more problems`` when some were counted but not listed."""
        if not self.dropped:
            return []
        message = f"and {self.dropped} more problems (the first {_MAX_ERRORS} are listed)"
        return [DataError(self.source, "", "", message)]

    def mapping(self, node: Node, path: str) -> dict[str, Node] | None:
        if not isinstance(node, self.map_type):
            self.err(node, path or "/", f"expected a mapping, got {self.kind(node)}")
            return None
        out: dict[str, Node] = {}
        first: dict[str, Node] = {}
        for key, value in node.value:
            if key.tag == _MERGE:
                self.err(key, path or "/", "YAML merge keys (<<) are not allowed")
                continue
            if not isinstance(key, self.scalar_type) or key.tag == _NULL:
                self.err(key, path or "/", f"keys must be plain strings, got {self.kind(key)}")
                continue
            name = str(key.value)
            if name in first:
                where = _line(first[name].start_mark)
                self.err(key, _join(path, name), f"duplicate key {name!r} (first at {where})")
                continue
            first[name] = key
            out[name] = value
        return out

    def items(self, node: Node, path: str) -> list[Node] | None:
        if not isinstance(node, self.seq_type):
            self.err(node, path, f"expected a list, got {self.kind(node)}")
            return None
        return list(node.value)

    def text(
        self, m: dict[str, Node], key: str, path: str, parent: Node, *, required: bool
    ) -> str | None:
        """A scalar as written (``5.10`` stays ``5.10``); None when absent or null."""
        node = m.get(key)
        if node is None or (isinstance(node, self.scalar_type) and node.tag == _NULL):
            if required:
                self.err(node or parent, _join(path, key), "missing")
            return None
        if not isinstance(node, self.scalar_type):
            self.err(node, _join(path, key), f"expected a string, got {self.kind(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            if required:
                self.err(node, _join(path, key), "empty")
            return None
        return value

    def flag(self, m: dict[str, Node], key: str, path: str, parent: Node) -> bool | None:
        node = m.get(key)
        if node is None:
            self.err(parent, _join(path, key), "missing (true or false)")
            return None
        if not isinstance(node, self.scalar_type) or node.tag != _BOOL:
            self.err(node, _join(path, key), f"expected true or false, got {self.kind(node)}")
            return None
        return _BOOLS.get(str(node.value).lower())

    def kind(self, node: Node | None) -> str:
        """What ``node`` is, for messages."""
        if isinstance(node, self.map_type):
            return "a mapping"
        if isinstance(node, self.seq_type):
            return "a list"
        if isinstance(node, self.scalar_type):
            if node.tag == _NULL:
                return "nothing (null)"
            if node.tag == _STR:
                return f"{str(node.value)[:60]!r}"
            return f"{_show_tag(node.tag)[2:]} {str(node.value)[:60]}"
        return "nothing"


def _join(path: str, key: str | int) -> str:
    return f"{path}/{key}" if path else str(key)


def _prefix(text: str) -> str:
    """``MyOrg Framework v3`` -> ``myorg-framework-v3`` (a safe id prefix)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_.-]+", "-", ascii_text.lower()).strip("-_.")
    if slug and not slug[0].isalpha():
        slug = "fw-" + slug
    return slug


def _label(name: str | None) -> str:
    if not name:
        return ""
    words = name.split()
    if len(words) <= _LABEL_WORDS:
        return " ".join(words)
    return " ".join(words[:_LABEL_WORDS]) + " …"


def _known_slug(slug: str) -> str | None:
    """The bio2map scheme of a CISO Assistant framework slug, or None."""
    if slug == "iso27001-2022":
        return "iso"
    if slug == "nis2-directive":
        return "nis2"
    if slug == "annex-technical-and-methodological-requirements-nis2" or slug.startswith(
        _IR2690_SLUGS
    ):
        return "ir2690"
    return None


def _candidate(scheme: str, local: str) -> str:
    """The canonical id a CISO Assistant node of a known framework should have."""
    if scheme == "iso":
        annex = _ANNEX_A.match(local)
        return f"iso27002:{annex.group(1)}" if annex else f"iso27001:{local}"
    if scheme == "nis2":
        article = _ARTICLE.match(local)
        return f"nis2:{article.group(1)}" if article else f"nis2:{local}"
    return f"ir2690:{local}"


class _Resolver:
    """URN -> node id, memoised; reports each bad URN once."""

    def __init__(
        self, catalog: Catalog, walker: _Walker, own: dict[str, str], own_slug: str | None
    ) -> None:
        self.catalog = catalog
        self.walker = walker
        self.own = own
        self.own_slug = own_slug
        self.memo: dict[str, str | None] = {}

    def __call__(self, urn: str, node: Node, path: str) -> str | None:
        key = urn.lower()
        if key in self.memo:
            return self.memo[key]
        cid = self._resolve(key, urn, node, path)
        self.memo[key] = cid
        return cid

    def _resolve(self, key: str, urn: str, node: Node, path: str) -> str | None:
        own = self.own.get(key)
        if own is not None:
            return own
        m = _URN.match(key)
        if m is None:
            self.walker.err(
                node,
                path,
                f"{urn!r} is not a requirement node URN "
                "(urn:<packager>:risk:req_node:<framework>:<ref>)",
            )
            return None
        namespace, slug, local = m.groups()
        scheme = _known_slug(slug) if namespace == "intuitem" else None
        if scheme is not None:
            try:
                return self.catalog.resolve(_candidate(scheme, local))
            except UnknownIdError as e:
                self.walker.err(node, path, f"{urn!r} names no node bio2map knows: {e}")
                return None
        if slug == self.own_slug:
            self.walker.err(node, path, f"{urn!r} is not a requirement node of this library")
            return None
        hint = difflib.get_close_matches(slug, list(KNOWN_FRAMEWORKS), n=1, cutoff=0.6)
        known = ", ".join(f"{k} ({v})" for k, v in KNOWN_FRAMEWORKS.items())
        msg = f"{urn!r} is a node of framework {slug!r}, which bio2map does not map"
        if hint:
            msg += f" (did you mean urn:intuitem:risk:req_node:{hint[0]}:{local}?)"
        self.walker.err(node, path, f"{msg}; it maps {known}")
        return None


def _framework(
    w: _Walker, node: Node, name: str, nodes: dict[str, RawRequirement]
) -> tuple[dict[str, str], str | None]:
    """Read ``objects/framework``: fill ``nodes``; return own URN -> id and its URN slug."""
    path = "objects/framework"
    fw = w.mapping(node, path)
    if fw is None:
        return {}, None
    fw_urn = w.text(fw, "urn", path, node, required=True)
    fw_ref = w.text(fw, "ref_id", path, node, required=False)
    slug = fw_urn.lower().rsplit(":", 1)[-1] if fw_urn else None
    if fw_urn and fw_urn.lower().startswith("urn:intuitem:") and slug and _known_slug(slug):
        return {}, None  # one of ours: its nodes are bio2map's own, not the layer's
    prefix = _framework_prefix(w, fw, node, fw_ref or slug or name)
    if prefix is None:
        return {}, slug
    raw = fw.get("requirement_nodes")
    if raw is None:
        w.err(node, _join(path, "requirement_nodes"), "missing")
        return {}, slug
    rows = w.items(raw, _join(path, "requirement_nodes"))
    if rows is None:
        return {}, slug
    own, parents = _requirement_nodes(w, rows, prefix, nodes)
    _link_parents(w, nodes, own, parents)
    _check_cycles(w, nodes, parents)
    return own, slug


def _framework_prefix(w: _Walker, fw: dict[str, Node], node: Node, shown: str) -> str | None:
    """The id prefix of the framework's nodes (``shown`` is its ref_id, slug or the layer's
    name); None, with the error, when it is empty or one of bio2map's schemes."""
    prefix = _prefix(shown)
    if prefix in SCHEMES or not prefix:
        w.err(
            fw.get("ref_id", node),
            "objects/framework/ref_id",
            f"{shown!r} gives the id prefix {prefix!r}, which "
            + ("is a bio2map scheme" if prefix else "is empty")
            + "; give the framework another ref_id",
        )
        return None
    return prefix


_Parents = dict[str, tuple[str, "Node", str]]
"""Node id -> (its parent's URN in lower case, the ``parent_urn`` node, its path)."""


def _requirement_nodes(
    w: _Walker, rows: list[Node], prefix: str, nodes: dict[str, RawRequirement]
) -> tuple[dict[str, str], _Parents]:
    """Read the ``requirement_nodes`` into ``nodes`` (parents not linked yet); return own
    URN -> id and each node's parent URN."""
    own: dict[str, str] = {}
    seen_urn: dict[str, Node] = {}
    seen_id: dict[str, Node] = {}
    parents: _Parents = {}
    for i, row in enumerate(rows):
        p = _join("objects/framework/requirement_nodes", i)
        r = w.mapping(row, p)
        if r is None:
            continue
        fields = _node_fields(w, r, row, p)
        if fields is None:
            continue
        urn, ref, label, parent, assessable = fields
        key = urn.lower()
        if key in seen_urn:
            first = _line(seen_urn[key].start_mark)
            w.err(r["urn"], _join(p, "urn"), f"duplicate URN {urn!r} (first at {first})")
            continue
        seen_urn[key] = r["urn"]
        local = re.sub(r"\s+", "-", ref) if ref else urn.rsplit(":", 1)[-1]
        cid = f"{prefix}:{local}"
        if cid in seen_id:
            first = _line(seen_id[cid].start_mark)
            w.err(
                r.get("ref_id", r["urn"]),
                _join(p, "ref_id" if ref else "urn"),
                f"two nodes would get the id {cid!r} (first at {first}); ref_ids must differ",
            )
            continue
        seen_id[cid] = r.get("ref_id", r["urn"])
        own[key] = cid
        if parent is not None:
            parents[cid] = (parent.lower(), r["parent_urn"], _join(p, "parent_urn"))
        nodes[cid] = {
            "record": "Requirement",
            "id": cid,
            "framework": prefix,
            "ref": local,
            "kind": "item",
            "parent": None,
            "label": _label(label),
            "assessable": bool(assessable),
            "seq": len(nodes) + 1,
        }
    return own, parents


def _node_fields(
    w: _Walker, r: dict[str, Node], row: Node, p: str
) -> tuple[str, str | None, str | None, str | None, bool | None] | None:
    """``(urn, ref_id, name, parent_urn, assessable)`` of one requirement node; None when
    it has no URN or its URN or ref_id holds a control character (with the error)."""
    urn = w.text(r, "urn", p, row, required=True)
    ref = w.text(r, "ref_id", p, row, required=False)
    label = w.text(r, "name", p, row, required=False)
    parent = w.text(r, "parent_urn", p, row, required=False)
    assessable = w.flag(r, "assessable", p, row)
    if urn is None:
        return None
    unsafe = next(((f, v) for f, v in (("urn", urn), ("ref_id", ref)) if _unsafe(v)), None)
    if unsafe is not None:
        field, value = unsafe
        w.err(r[field], _join(p, field), _unsafe(value))
        return None
    return urn, ref, label, parent, assessable


def _link_parents(
    w: _Walker, nodes: dict[str, RawRequirement], own: dict[str, str], parents: _Parents
) -> None:
    """Set each node's ``parent``; a ``parent_urn`` must name a node of this framework."""
    for cid, (parent_key, pnode, ppath) in parents.items():
        pid = own.get(parent_key)
        if pid is None:
            w.err(
                pnode, ppath, f"no requirement node of this framework has the URN {pnode.value!r}"
            )
            continue
        nodes[cid]["parent"] = pid


def _check_cycles(w: _Walker, nodes: dict[str, RawRequirement], parents: _Parents) -> None:
    done: set[str] = set()
    for start in nodes:
        trail: list[str] = []
        on_trail: set[str] = set()
        cid: str | None = start
        while cid is not None and cid not in done:
            if cid in on_trail:  # the layer is refused, so no endless ancestor walk
                _, pnode, ppath = parents[cid]
                w.err(pnode, ppath, f"parent_urn makes a cycle through {cid!r}")
                break
            trail.append(cid)
            on_trail.add(cid)
            cid = nodes[cid]["parent"]
        done.update(trail)


def _mapping_sets(w: _Walker, objects: dict[str, Node]) -> list[tuple[Node, str]]:
    sets: list[tuple[Node, str]] = []
    many = objects.get("requirement_mapping_sets")
    if many is not None:
        rows = w.items(many, "objects/requirement_mapping_sets")
        for i, row in enumerate(rows or ()):
            sets.append((row, f"objects/requirement_mapping_sets/{i}"))
    one = objects.get("requirement_mapping_set")
    if one is not None:
        sets.append((one, "objects/requirement_mapping_set"))
    return sets


def _edges(
    w: _Walker,
    sets: list[tuple[Node, str]],
    resolve: _Resolver,
    rules: EdgeRules,
    name: str,
    source: str,
) -> tuple[list[RawEdge], list[int]]:
    """One edge per mapping of every set, each edge once, and the line of each."""
    edges: list[RawEdge] = []
    lines: list[int] = []
    seen: set[tuple[str, str, str, str]] = set()
    own_ids = set(resolve.own.values())
    for set_node, set_path in sets:
        ms = w.mapping(set_node, set_path)
        if ms is None:
            continue
        title = _set_title(w, ms, set_node, set_path, source)
        raw = ms.get("requirement_mappings")
        if raw is None:
            w.err(set_node, _join(set_path, "requirement_mappings"), "missing")
            continue
        rows = w.items(raw, _join(set_path, "requirement_mappings"))
        for i, row in enumerate(rows or ()):
            p = _join(_join(set_path, "requirement_mappings"), i)
            edge = _mapping_edge(w, row, p, resolve, rules, own_ids, f"layer {name}: {title}")
            if edge is None:
                continue
            src, tgt, rel, kind, sources = edge
            edge_key = (src, rel, tgt, kind)
            if edge_key in seen:
                continue
            seen.add(edge_key)
            edges.append((src, tgt, rel, kind, "layer", name, sources))
            lines.append(row.start_mark.line + 1)
    return edges, lines


def _linkable(
    w: _Walker, rules: EdgeRules, cid: str | None, node: Node, path: str, end: str
) -> str | None:
    """``cid`` when a layer may link it (see :func:`bio2map.catalog.layer.role`)."""
    if cid is None:
        return None
    try:
        rules.role_of(cid)
    except ValueError as e:
        w.err(node, f"{path}/{end}_requirement_urn", str(e))
        return None
    return cid


def _set_title(w: _Walker, ms: dict[str, Node], set_node: Node, set_path: str, source: str) -> str:
    """A mapping set's name, ref_id or URN (the first given), else the file's name."""
    for key in ("source_framework_urn", "target_framework_urn"):
        w.text(ms, key, set_path, set_node, required=False)  # type checks only
    return next(
        (
            t
            for t in (
                w.text(ms, key, set_path, set_node, required=False)
                for key in ("name", "ref_id", "urn")
            )
            if t
        ),
        Path(source).name,
    )


def _mapping_edge(
    w: _Walker,
    row: Node,
    p: str,
    resolve: _Resolver,
    rules: EdgeRules,
    own_ids: set[str],
    origin: str,
) -> tuple[str, str, str, str, tuple[str, ...]] | None:
    """``(source, target, relationship, kind, sources)`` of one requirement mapping, kept
    as the layer rules say (:class:`~bio2map.catalog.layer.EdgeRules`: turned to point the
    way bio2map's graph does, a side link, ...); None (with the errors) when it makes no
    edge."""
    m = w.mapping(row, p)
    if m is None:
        return None
    src_urn = w.text(m, "source_requirement_urn", p, row, required=True)
    tgt_urn = w.text(m, "target_requirement_urn", p, row, required=True)
    rel_raw = w.text(m, "relationship", p, row, required=True)
    strength = w.text(m, "strength_of_relationship", p, row, required=False)
    rationale = w.text(m, "rationale", p, row, required=False)
    annotation = w.text(m, "annotation", p, row, required=False)
    rel = CISO_RELATIONSHIPS.get(rel_raw.lower()) if rel_raw else None
    if rel_raw and rel is None:
        w.err(
            m["relationship"],
            _join(p, "relationship"),
            f"unknown relationship {rel_raw!r}; use one of " + ", ".join(CISO_RELATIONSHIPS),
        )
    src = tgt = None
    if src_urn:
        src = resolve(src_urn, m["source_requirement_urn"], f"{p}/source_requirement_urn")
        src = _linkable(w, rules, src, m["source_requirement_urn"], p, "source")
    if tgt_urn:
        tgt = resolve(tgt_urn, m["target_requirement_urn"], f"{p}/target_requirement_urn")
        tgt = _linkable(w, rules, tgt, m["target_requirement_urn"], p, "target")
    if src is None or tgt is None or rel is None:
        return None
    if src in own_ids and tgt in own_ids:
        w.err(
            row,
            p,
            "both ends are nodes of this library's own framework; a layer maps them "
            "to ISO/IEC 27001/27002, NIS2 or 2024/2690",
        )
        return None
    kept = rules.edge(src, rel, tgt)  # turned round, a side link, ... (catalog.layer)
    if isinstance(kept, str):
        w.err(row, p, kept)
        return None
    src, tgt, rel, kind, extra = kept
    sources: tuple[str, ...] = (origin,)
    if strength:
        sources += (f"strength_of_relationship: {strength}",)
    if rationale:
        sources += (f"rationale: {rationale}",)
    if annotation:
        sources += (f"annotation: {annotation}",)
    return src, tgt, rel, kind, sources + extra


def _unsafe(value: str | None) -> str:
    """Why ``value`` cannot make an id (a control character), or ``""``."""
    ch = control_character(value) if value else None
    if ch is None:
        return ""
    shown = repr(value) if len(value or "") <= 60 else f"{(value or '')[:60]!r}…"
    return f"{shown} holds the control character U+{ord(ch):04X}"


def parse_ciso_layer(text: str, catalog: Catalog, *, name: str, source: str = "<string>") -> Layer:
    """Parse and validate a CISO Assistant library (YAML text) as a layer.

    Args:
        text: the YAML text of one library.
        catalog: the catalog whose ids the mappings refer to.
        name: the layer's name (the ``dataset`` of its edges).
        source: the file name, for error messages.

    Returns:
        The layer: the framework's requirement nodes and one edge per mapping.

    Raises:
        TypeError: ``text``, ``name`` or ``source`` is not a str, or ``catalog`` not a
            catalog.
        DataErrorGroup: every problem found, each with file, line and path; or PyYAML is
            not installed.

    Examples:
        >>> import bio2map
        >>> lib = '''
        ... objects:
        ...   framework:
        ...     urn: urn:myorg:risk:framework:sup
        ...     ref_id: MyOrg
        ...     requirement_nodes:
        ...     - {urn: "urn:myorg:risk:req_node:sup:1", ref_id: SUP-01, assessable: true}
        ...   requirement_mapping_sets:
        ...   - requirement_mappings:
        ...     - source_requirement_urn: urn:myorg:risk:req_node:sup:1
        ...       target_requirement_urn: urn:intuitem:risk:req_node:iso27001-2022:a.5.19
        ...       relationship: subset
        ... '''
        >>> layer = parse_ciso_layer(lib, bio2map.load("1.3"), name="myorg")
        >>> layer.edges[0][:4]
        ('myorg:SUP-01', 'iso27002:5.19', 'subset_of', 'maps_to')

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        msg = f"text must be a str, got {type(text).__name__}"
        raise TypeError(msg)
    _check_args(catalog, name, source)
    _require_yaml(source)
    _check_text(text, source)
    root = _compose(text, source)
    w = _Walker(source)
    nodes: dict[str, RawRequirement] = {}
    edges, lines = _library(w, root, catalog, name, source, nodes)
    layer = Layer(name, source, nodes, edges, lines)
    if not w.errors:  # a cycle of requirement -> requirement links, with its line
        w.errors.extend(
            layer_cycles(
                ChainMap(nodes, catalog._raw),  # type: ignore[arg-type]
                [
                    ("packaged data", catalog._edges, nowhere),
                    (source, layer.edges, layer.where),
                ],
            )
        )
    if w.errors:
        msg = f"layer {name!r} is broken"
        raise DataErrorGroup(msg, [*w.errors, *w.more()])
    return layer


def _check_text(text: str, source: str) -> None:
    """Refuse text over :data:`MAX_BYTES` characters and binary text before composing it."""
    if len(text) > MAX_BYTES:
        msg = "cannot read the layer"
        raise DataErrorGroup(
            msg, [DataError(source, "", "", f"{len(text)} characters; at most {MAX_BYTES}")]
        )
    if "\x00" in text:
        msg = "cannot read the layer"
        raise DataErrorGroup(msg, [DataError(source, "", "", "binary file; expected YAML text")])


def _library(
    w: _Walker,
    root: Node | None,
    catalog: Catalog,
    name: str,
    source: str,
    nodes: dict[str, RawRequirement],
) -> tuple[list[RawEdge], list[int]]:
    """Read the composed library: its framework into ``nodes``; return its edges and
    the line of each."""
    if root is None:
        w.err(None, "", "empty file; expected a CISO Assistant library")
        return [], []
    top = w.mapping(root, "")
    objects_node = top.get("objects") if top is not None else None
    if top is not None and objects_node is None:
        w.err(root, "objects", "missing: a CISO Assistant library keeps its content here")
    objects = w.mapping(objects_node, "objects") if objects_node is not None else None
    if objects is None:
        return [], []
    own: dict[str, str] = {}
    own_slug: str | None = None
    if "framework" in objects:
        own, own_slug = _framework(w, objects["framework"], name, nodes)
    sets = _mapping_sets(w, objects)
    wanted = ("framework", "requirement_mapping_sets", "requirement_mapping_set")
    if not any(k in objects for k in wanted):
        w.err(objects_node, "objects", "holds neither a framework nor requirement_mapping_sets")
    resolve = _Resolver(catalog, w, own, own_slug)
    rules = EdgeRules(ChainMap(nodes, catalog._raw))  # type: ignore[arg-type]
    return _edges(w, sets, resolve, rules, name, source)


def read_ciso_layer(source: str | os.PathLike[str], catalog: Catalog, *, name: str) -> Layer:
    """Read a CISO Assistant library YAML file as a layer.

    The size is checked before the file is read (at most :data:`MAX_BYTES`), and the
    file must be UTF-8 text. See :func:`parse_ciso_layer`.

    Args:
        source: the ``.yaml`` / ``.yml`` file.
        catalog: the catalog whose ids the mappings refer to.
        name: the layer's name.

    Raises:
        TypeError: ``source`` is not a path, ``catalog`` not a catalog or ``name`` not a str.
        DataErrorGroup: the file cannot be read, is too large, is not UTF-8 YAML, or holds
            problems (all are listed); or PyYAML is not installed.

    .. versionadded:: 0.1.0
    """
    path = check_path(source, "source")
    _check_args(catalog, name, path)
    _require_yaml(path)
    msg = "cannot read the layer"
    try:
        shown, data = read_user_bytes(path, YAML)
    except DataError as e:
        raise DataErrorGroup(msg, [e]) from None
    return read_ciso_bytes(data, catalog, name=name, source=shown)


def read_ciso_bytes(data: bytes, catalog: Catalog, *, name: str, source: str) -> Layer:
    """Decode and parse the bytes of a CISO Assistant library (a file or a pipe read whole).

    Raises:
        TypeError: an argument of the wrong type (the message names it).
        DataErrorGroup: too large, not UTF-8 YAML text, or problems in the library.

    .. versionadded:: 0.2.0
    """
    if not isinstance(data, bytes):
        msg = f"data must be bytes, got {type(data).__name__}"
        raise TypeError(msg)
    _check_args(catalog, name, source)
    _require_yaml(source)
    msg = "cannot read the layer"
    if len(data) > MAX_BYTES:
        problem = f"more than {MAX_BYTES} bytes; a CISO Assistant layer may be at most {MAX_BYTES}"
        raise DataErrorGroup(msg, [DataError(source, "", "", problem)])
    try:
        text = decode_text(data, source, YAML)
    except DataError as e:
        raise DataErrorGroup(msg, [e]) from None
    return parse_ciso_layer(text, catalog, name=name, source=source)


def _check_args(catalog: object, name: object, source: object) -> None:
    from bio2map.catalog.catalog import Catalog

    if not isinstance(catalog, Catalog):
        msg = f"catalog must be a bio2map Catalog, got {type(catalog).__name__}"
        raise TypeError(msg)
    for param, value in (("name", name), ("source", source)):
        if not isinstance(value, str):
            msg = f"{param} must be a str, got {type(value).__name__}"
            raise TypeError(msg)
