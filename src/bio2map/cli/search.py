"""``bio2map search TEXT``: find nodes by id, reference or label, in English or Dutch.

Every word of TEXT must occur (case and accent insensitive: ``leverancier`` finds the
supplier measures, ``geimplementeerd`` finds ``geïmplementeerd``) in a node's id,
reference, labels (English and Dutch), ISO title or, with ``--texts``, the text of a BIO2
measure (:meth:`~bio2map.catalog.catalog.Catalog.search`). Results come in document
order (NIS2, 2024/2690 annex, ISO, BIO2, Cbw); ``--scheme`` keeps one kind of id.

No match is not an error: the table says so and the JSON has an empty ``results``
list (exit 0), so a pipeline can count.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

from bio2map.cli.command import add_command, ref_of
from bio2map.core.ids import scheme_of
from bio2map.render.table import Table

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    import argparse
    from typing import Any, Final

    from bio2map.catalog.catalog import Catalog
    from bio2map.cli.command import AddParser, CommandResult, Subparsers

__all__ = ["PARSERS", "cmd_search", "search_doc"]

SCHEMES: Final = ("nis2", "ir2690", "iso27002", "iso27001", "iso27001-2013", "bio2", "cbw", "cbwcf")
"""The kinds of id ``--scheme`` can keep (the prefix of the canonical id)."""

_COLUMNS: Final = ("id", "is", "ref", "label", "label (nl)")


def _label(node: Any) -> str:
    return str(
        getattr(node, "label", "") or getattr(node, "label_en", "") or getattr(node, "title", "")
    )


def search_doc(cat: Catalog, text: str, scheme: str | None = None) -> dict[str, Any]:
    """The JSON document of ``bio2map search``: the query and one entry per node found.

    Examples:
        >>> import bio2map
        >>> doc = search_doc(bio2map.load("1.3"), "leverancier", scheme="bio2")
        >>> doc["count"], doc["results"][0]["id"]
        (10, 'bio2:5.20.02')
    """
    results = []
    for node in cat.search(text):
        if scheme is not None and scheme_of(node.id) != scheme:
            continue
        results.append(
            {
                "id": node.id,
                "is": cat.describe(node.id),
                "ref": ref_of(node),
                "label": _label(node),
                "label_nl": str(getattr(node, "label_nl", "") or ""),
            }
        )
    return {
        "query": text,
        "scheme": scheme,
        "bio2": cat.bio2_version,
        "count": len(results),
        "results": results,
    }


def cmd_search(args: argparse.Namespace) -> CommandResult:
    """Find nodes whose id, reference, labels or text contain every word of TEXT.

    Raises:
        UnknownVersionError: ``--bio2`` names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.
    """
    from bio2map.api import load
    from bio2map.cli.command import CommandResult

    cat = load(args.bio2, layers=args.layer or ())
    if args.texts is not None:
        cat = cat.attach_texts(args.texts)
    doc = search_doc(cat, args.text, args.scheme)
    where = f" among {args.scheme} ids" if args.scheme else ""
    table = Table(
        f"{doc['count']} node(s) matching {args.text!r}{where} (BIO2 {cat.bio2_version})",
        _COLUMNS,
        [tuple(r[k] for k in ("id", "is", "ref", "label", "label_nl")) for r in doc["results"]],
        empty="nothing matches (every word must occur; case and accents do not matter)",
        name="results",
    )
    return CommandResult(doc, (table,))


def _search_parser(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "search",
        bio2=True,
        layers=True,
        help="find ids and labels in English or Dutch (case and accent insensitive)",
    )
    p.add_argument("text", help="words that must all occur, e.g. 'leverancier' or 'supplier'")
    p.add_argument(
        "--scheme",
        choices=SCHEMES,
        default=None,
        help="keep one kind of id (default: all)",
    )
    p.add_argument(
        "--texts",
        metavar="SOURCE",
        default=None,
        help="also search the texts of the BIO2 measures, read from a BIO2 git clone, a "
        "folder, a markdown file, or 'download' (pinned commit, sha256-checked, cached)",
    )
    p.set_defaults(func=cmd_search)


PARSERS: Final[dict[str, AddParser]] = {"search": _search_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
