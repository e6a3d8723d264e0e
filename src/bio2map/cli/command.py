"""What every command shares: the result it returns and the options it takes.

A command is a function ``cmd_<name>(args) -> CommandResult`` in a module by concern
(:mod:`~bio2map.cli.query`, :mod:`~bio2map.cli.drafts`, :mod:`~bio2map.cli.diff`,
:mod:`~bio2map.cli.export`). Each such module has a ``PARSERS`` table, command name ->
a function that adds the command's parser (made with :func:`add_command`, its
function set as the ``func`` default). :mod:`bio2map.cli.main` imports only the module
of the command that runs, parses, calls the command and prints its result.

Command modules import nothing heavy at module level: the catalog, the exporters and
the parser are imported inside the commands.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import sys

from bio2map.core.ids import plain
from bio2map.render.table import FORMATS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any, Final, NamedTuple, TypeAlias

    from bio2map.render.table import Table

    Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
    AddParser: TypeAlias = "Callable[[Subparsers], None]"

    class CommandResult(NamedTuple):
        """What a command returns; :func:`bio2map.cli.main.main` prints it.

        Attributes:
            doc: the JSON document ``--format json`` prints; None when the command
                prints ``output`` in every format (``export``).
            output: the tables ``--format table|csv|md`` prints, or a text printed as
                it is (``diff --format md``, ``export``).
            code: the exit code (:data:`EXIT_OK` or :data:`EXIT_THRESHOLD`).
        """

        doc: Any
        output: tuple[Table, ...] | str = ()
        code: int = 0

else:
    from operator import itemgetter

    class CommandResult(tuple):
        """The same frozen record, made without typing, and without the code namedtuple
        compiles when it makes a class (a cold query's fifth of a millisecond)."""

        __slots__ = ()
        _fields = ("doc", "output", "code")

        def __new__(cls, doc, output=(), code=0):
            return tuple.__new__(cls, (doc, output, code))

        def __getnewargs__(self):
            return tuple(self)

        def __repr__(self):
            return "CommandResult(doc={!r}, output={!r}, code={!r})".format(*self)

        doc = property(itemgetter(0))
        output = property(itemgetter(1))
        code = property(itemgetter(2))


__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_THRESHOLD",
    "CommandResult",
    "add_command",
    "add_soa_arguments",
    "command_module",
    "ref_of",
]

COMMANDS: Final[dict[str, str]] = {
    "controls": "bio2map.cli.query",
    "requirements": "bio2map.cli.query",
    "gaps": "bio2map.cli.query",
    "report": "bio2map.cli.report",
    "migrate": "bio2map.cli.migrate",
    "uncovered": "bio2map.cli.query",
    "info": "bio2map.cli.query",
    "drafts": "bio2map.cli.drafts",
    "show": "bio2map.cli.query",
    "search": "bio2map.cli.search",
    "parse": "bio2map.cli.drafts",
    "diff": "bio2map.cli.diff",
    "history": "bio2map.cli.diff",
    "export": "bio2map.cli.export",
    "watch": "bio2map.cli.watch",
}
"""Command name -> the module that holds it (its ``PARSERS`` add the command's parser),
in the order ``bio2map --help`` lists them."""


def command_module(name: str) -> Any:
    """The module ``name``, imported (``importlib`` itself would cost a cold start)."""
    __import__(name)
    return sys.modules[name]


EXIT_OK = 0
EXIT_THRESHOLD = 1  # a threshold was not met: gaps --fail-under, diff --fail-on
EXIT_BAD_INPUT = 2  # an unknown id or version, an unreadable file, a bad option

_FORMAT_HELP = "output format (default: table; json for pipelines)"
_BIO2_HELP = "BIO2 draft slug or label (default: the latest definitive draft)"
_LAYER_HELP = (
    "add a user mapping layer (CSV/TSV with SSSOM columns, or CISO Assistant YAML)"
    " for this run; repeatable"
)


def ref_of(node: Any) -> str:
    """How a node is cited: its reference (``Art. 21(2)(d)``, ``5.1.4``), else its plain id."""
    return str(getattr(node, "ref", "") or plain(node.id))


def add_soa_arguments(p: argparse.ArgumentParser) -> None:
    """Add ``--soa FILE`` (required) and ``--ids controls|clauses``, as ``gaps`` and
    ``report`` read a Statement of Applicability."""
    from bio2map.core.soa import IDS_MODES  # the SoA model stays off the cold path

    p.add_argument(
        "--soa",
        required=True,
        metavar="FILE",
        help="CSV with a 'control' column and optional 'status', 'justification' and 'kind' "
        "columns, or a text list of ids; '-' reads standard input",
    )
    p.add_argument(
        "--ids",
        choices=IDS_MODES,
        default=None,
        help="read a bare id that is both a clause and a control (6.2) as this",
    )


def add_command(
    sub: Subparsers,
    name: str,
    *,
    table_format: bool = True,
    bio2: bool = False,
    layers: bool = False,
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """Add the parser of command ``name`` with the shared options it takes.

    Args:
        sub: the subparsers of the ``bio2map`` parser.
        name: the command.
        table_format: add ``--format table|json|csv|md``.
        bio2: add ``--bio2 VERSION``.
        layers: add ``--layer FILE`` (repeatable).
        kwargs: passed to ``add_parser`` (``help``, ``description``, ``epilog``).

    Returns:
        The command's parser, for its own arguments.
    """
    p = sub.add_parser(name, **kwargs)
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="read the data from DIR (a folder written by 'bio2map watch --write-data') "
        "instead of the packaged data",
    )
    if table_format:
        p.add_argument("--format", "-f", choices=FORMATS, default="table", help=_FORMAT_HELP)
    if bio2:
        p.add_argument("--bio2", metavar="VERSION", default=None, help=_BIO2_HELP)
    if layers:
        p.add_argument("--layer", action="append", metavar="FILE", help=_LAYER_HELP)
    return p
