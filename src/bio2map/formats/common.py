"""Helpers shared by the exporters: order, names, URIs, UUIDs, lists, safe CSV cells and
YAML scalars.

Everything here is deterministic: no clock, no randomness, no dependence on hash
seeds or on the order in which records were loaded.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from typing import TYPE_CHECKING, Final, TypeAlias

from bio2map.core.ids import SCHEMES, plain, sort_key

if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog, Node
    from bio2map.core.records import Dataset, Mapping, Measure

__all__ = [
    "BASE_URI",
    "FORMULA_STARTS",
    "ID_PREFIXES",
    "UUID_NAMESPACE",
    "YamlValue",
    "defuse",
    "draft_dataset",
    "draft_source_url",
    "id_order",
    "iso_ref",
    "join_list",
    "label_of",
    "licence_uri",
    "mapping_order",
    "measures_by_control",
    "restore",
    "split_list",
    "stable_uuid",
    "to_json",
    "yaml_document",
    "yaml_scalar",
]

BASE_URI: Final = "https://w3id.org/bio2map/"
"""Base of every URI bio2map mints (ids, namespaces, mapping-set ids): our namespace,
documented in ``docs/howto/export.md`` ("Our namespace").

The URIs are names, stable across releases: ``{BASE_URI}id/<scheme>/<number>`` for a node
(``https://w3id.org/bio2map/id/nis2/21.2.d``), ``{BASE_URI}ns/oscal`` and
``{BASE_URI}ns/sssom/`` for our OSCAL properties and SSSOM extension slots,
``{BASE_URI}sssom/...`` for mapping-set ids. Until 0.2 they were under
``https://bio2map.example/``.
"""

ID_PREFIXES: Final = {scheme: f"{BASE_URI}id/{scheme}/" for scheme in SCHEMES}
"""CURIE prefix -> URI base of each id scheme (``nis2:21.2.d`` ->
``https://w3id.org/bio2map/id/nis2/21.2.d``)."""

UUID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://bio2map.example/")
"""Namespace of the name-based (version 5) UUIDs in OSCAL exports. Kept from 0.1 when the
namespace moved to :data:`BASE_URI`: the same object keeps the same UUID."""


def stable_uuid(*parts: str) -> str:
    """A version-5 UUID derived from ``parts`` (the same parts give the same UUID).

    Examples:
        >>> stable_uuid("oscal", "bio2-1.3") == stable_uuid("oscal", "bio2-1.3")
        True
    """
    return str(uuid.uuid5(UUID_NAMESPACE, "\x1f".join(parts)))


# --- order --------------------------------------------------------------------------------


def id_order(cid: str) -> tuple[object, ...]:
    """Sort key for canonical ids: scheme, then numerically, then the id itself."""
    return (sort_key(cid), cid)


def mapping_order(m: Mapping) -> tuple[object, ...]:
    """Sort key for mapping edges: source, target, then every other field."""
    return (
        id_order(m.source),
        id_order(m.target),
        m.kind,
        m.relationship,
        m.basis,
        m.dataset,
        m.sources,
    )


# --- lists in flat formats ----------------------------------------------------------------


def join_list(items: Iterable[str], sep: str = ";") -> str:
    r"""Join ``items`` with ``sep``, escaping ``\`` and ``sep`` inside an item with ``\``.

    Formats without a list type (GraphML, CSV, SSSOM) hold lists this way;
    :func:`split_list` reverses it.

    Examples:
        >>> join_list(["a;b", "c"])
        'a\\;b;c'
    """
    return sep.join(s.replace("\\", "\\\\").replace(sep, "\\" + sep) for s in items)


def split_list(value: str, sep: str = ";") -> tuple[str, ...]:
    r"""Split a string made by :func:`join_list` back into its items.

    An empty string is the empty list.

    Examples:
        >>> split_list("a\\;b;c")
        ('a;b', 'c')
    """
    if not value:
        return ()
    items: list[str] = []
    buf: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            buf.append(next(chars, "\\"))
        elif ch == sep:
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    items.append("".join(buf))
    return tuple(items)


# --- cells a spreadsheet would run ---------------------------------------------------------

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""A CSV or TSV cell that starts with one of these is read as a formula by spreadsheets
(OWASP, "CSV injection")."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _formula(value: str) -> bool:
    bare = value.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and bare != "-" and _NUMBER.fullmatch(bare) is None


def defuse(value: str) -> str:
    """``value`` as a CSV/TSV cell a spreadsheet will not run: a ``'`` in front when it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any ``'``).

    Numbers (``-0.5``) and a lone ``-`` are left as they are. Every CSV and TSV writer of
    bio2map (the command line's ``--format csv``, the CSV and SSSOM exports) writes its
    cells through this function, so that a label from a user's layer or SoA such as
    ``=cmd|' /C calc'!A0`` cannot run; :func:`restore` gives the value back.

    Examples:
        >>> defuse("=cmd|' /C calc'!A0"), defuse("@SUM(A1)"), defuse("-0.5"), defuse("5.19")
        ("'=cmd|' /C calc'!A0", "'@SUM(A1)", '-0.5', '5.19')
        >>> restore(defuse("'=x")) == "'=x"
        True
    """
    return "'" + value if _formula(value) else value


def restore(value: str) -> str:
    """The value :func:`defuse` was given (the readers of our CSV and SSSOM use it).

    Examples:
        >>> restore("'=1+1"), restore("'quoted")
        ('=1+1', "'quoted")
    """
    return value[1:] if value.startswith("'") and _formula(value) else value


# --- names --------------------------------------------------------------------------------


def label_of(node: Node) -> str:
    """A short human label: the requirement label (or its reference when it has none),
    the ISO title, or ``BIO2 5.19.01`` for a BIO2 entry."""
    from bio2map.core.records import Control, Measure

    if isinstance(node, Control):
        return node.title
    if isinstance(node, Measure):
        return f"BIO2 {node.number}"
    return node.label or node.ref


def draft_dataset(catalog: Catalog) -> Dataset | None:
    """The manifest entry of the catalog's BIO2 draft (``bio2-<slug>``), if listed."""
    name = f"bio2-{catalog.draft.slug}"
    return next((d for d in catalog.datasets if d.name == name), None)


def draft_source_url(catalog: Catalog) -> str | None:
    """The raw URL of the draft's markdown at its pinned commit, when the manifest names
    a ``https://github.com/<owner>/<repo>`` repository; otherwise None."""
    ds = draft_dataset(catalog)
    if ds is None:
        return None
    m = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", ds.source.split(" ", 1)[0])
    if m is None:
        return None
    d = catalog.draft
    return f"https://raw.githubusercontent.com/{m.group(1)}/{d.commit}/{d.source_path}"


_LICENCES: Final = (
    (re.compile(r"\bCC BY-SA 4\.0\b"), "https://creativecommons.org/licenses/by-sa/4.0/"),
    (re.compile(r"\bCC BY 4\.0\b"), "https://creativecommons.org/licenses/by/4.0/"),
    (re.compile(r"\b2011/833/EU\b"), "http://data.europa.eu/eli/dec/2011/833/oj"),
)


def licence_uri(licence: str) -> str | None:
    """The URI of a licence named in a manifest ``licence`` text, or None.

    Examples:
        >>> licence_uri("CC BY 4.0")
        'https://creativecommons.org/licenses/by/4.0/'
    """
    for pattern, uri in _LICENCES:
        if pattern.search(licence):
            return uri
    return None


def measures_by_control(measures: Sequence[Measure]) -> dict[str, list[Measure]]:
    """Group entries by their ISO control, keeping the draft order inside each."""
    out: dict[str, list[Measure]] = {}
    for m in sorted(measures, key=lambda m: (m.seq, id_order(m.id))):
        out.setdefault(m.control, []).append(m)
    return out


def iso_ref(control_id: str) -> str:
    """ISO/IEC 27001 numbering of a control or clause id (``A.5.19``, ``6.1.2``)."""
    if control_id.startswith("iso27002:"):
        return "A." + plain(control_id)
    return plain(control_id)


# --- YAML ---------------------------------------------------------------------------------

YamlValue: TypeAlias = (
    str | int | bool | _dt.date | Sequence["YamlValue"] | MappingABC[str, "YamlValue"] | None
)
"""What :func:`yaml_document` writes: scalars, lists and string-keyed mappings."""

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()+,'<>=@\-:]*")
_RESERVED = re.compile(
    r"(?i:y|n|yes|no|true|false|on|off|null|nan|inf)",
)
_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
}


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    cp = ord(ch)
    if (
        cp < 0x20
        or 0x7F <= cp <= 0x9F
        or 0xD800 <= cp <= 0xDFFF
        or cp in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
    ):
        return f"\\u{cp:04x}"
    return ch


def yaml_scalar(value: str | int | bool | _dt.date | None) -> str:
    """One YAML scalar that any YAML 1.1 or 1.2 reader loads back as ``value``.

    Strings are written plain only when that cannot be read as anything else (they
    start with a letter, are not a boolean or null word and hold no ``: `` or `` #``);
    all others are double-quoted with escapes. Dates are written as ``YYYY-MM-DD``.

    Examples:
        >>> yaml_scalar("5.19.01"), yaml_scalar("BIO2"), yaml_scalar(True)
        ('"5.19.01"', 'BIO2', 'true')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if (
        _PLAIN.fullmatch(value)
        and not _RESERVED.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith((":", " "))
    ):
        return value
    return '"' + "".join(_escape_char(ch) for ch in value) + '"'


def _yaml_lines(value: YamlValue, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, MappingABC):
        for key, item in value.items():
            head = f"{pad}{yaml_scalar(key)}:"
            if isinstance(item, MappingABC | list | tuple) and item:
                out.append(head)
                _yaml_lines(item, indent + 2 if isinstance(item, MappingABC) else indent, out)
            else:
                out.append(f"{head} {_yaml_inline(item)}")
        return
    assert isinstance(value, list | tuple)
    for item in value:
        if isinstance(item, MappingABC) and item:
            sub: list[str] = []
            _yaml_lines(item, indent + 2, sub)
            out.append(f"{pad}- {sub[0][indent + 2 :]}")
            out.extend(sub[1:])
        elif isinstance(item, list | tuple) and item:
            sub = []
            _yaml_lines(item, indent + 2, sub)
            out.append(f"{pad}- {sub[0][indent + 2 :]}")
            out.extend(sub[1:])
        else:
            out.append(f"{pad}- {_yaml_inline(item)}")


def _yaml_inline(value: YamlValue) -> str:
    if value is None or isinstance(value, str | int | _dt.date):
        return yaml_scalar(value)
    if isinstance(value, MappingABC):
        return "{}"
    return "[]"


def yaml_document(value: MappingABC[str, YamlValue], *, prefix: str = "") -> str:
    """Block-style YAML for nested mappings, lists and scalars; keys keep their order.

    ``prefix`` starts every line (``"# "`` gives an SSSOM metadata block). The text
    ends with a newline.
    """
    lines: list[str] = []
    _yaml_lines(value, 0, lines)
    return "".join(f"{prefix}{line}".rstrip() + "\n" for line in lines)


def to_json(doc: object) -> str:
    """Deterministic JSON: sorted keys, UTF-8 kept, two-space indent, final newline."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
