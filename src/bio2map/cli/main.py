"""The ``bio2map`` command line, for people and pipelines: parsing, dispatch, errors.

Every command takes ``--format table|json|csv|md`` (table is for people; JSON is
deterministic and meant for pipelines) and, where a BIO2 draft matters, ``--bio2``.

Every command takes ``--data-dir DIR`` to read a data folder (for example one that
``bio2map watch --write-data DIR`` wrote) in place of the packaged data.

Exit codes: 0 ok; 1 a threshold was not met (``gaps --fail-under``, ``diff
--fail-on``); 2 bad input (unknown id, unreadable SoA, bad option). Errors go to
stderr as one ``bio2map: error:`` line (a list of data errors indented under it),
never as a traceback.

The commands live in modules by concern; :data:`COMMANDS` says which, and only the
module of the command that runs is imported (every one only for ``--help`` or no
command). A command returns a :class:`~bio2map.cli.command.CommandResult`, which
:func:`main` prints: the JSON document for ``--format json``, else its tables rendered
(:mod:`bio2map.render.table`) or its text as it is. The commands only call the public
API. ``main(argv)`` returns the exit code, so tests and other tools can call it
directly.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from bio2map._version import __version__
from bio2map.cli.command import EXIT_BAD_INPUT
from bio2map.core.errors import Bio2MapError, DataErrorGroup
from bio2map.render.table import render, to_json

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Final, TextIO

    from bio2map.cli.command import CommandResult

__all__ = ["COMMANDS", "main", "parser", "run"]

COMMANDS: Final = {
    "controls": "bio2map.cli.query",
    "requirements": "bio2map.cli.query",
    "gaps": "bio2map.cli.query",
    "report": "bio2map.cli.report",
    "uncovered": "bio2map.cli.query",
    "info": "bio2map.cli.query",
    "drafts": "bio2map.cli.drafts",
    "show": "bio2map.cli.query",
    "parse": "bio2map.cli.drafts",
    "diff": "bio2map.cli.diff",
    "history": "bio2map.cli.diff",
    "export": "bio2map.cli.export",
    "watch": "bio2map.cli.watch",
}
"""Command name -> the module that holds it (its ``PARSERS`` add the command's parser),
in the order ``bio2map --help`` lists them."""


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with a width from $COLUMNS: argparse would import shutil
    for the terminal size on every start, help or not."""

    def __init__(self, prog: str) -> None:
        try:
            width = int(os.environ.get("COLUMNS", "100")) - 2
        except ValueError:
            width = 98
        super().__init__(prog, width=max(width, 40))


class _SubParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with only ``command`` (its module alone is imported) or, when
    ``command`` is None, with every command of :data:`COMMANDS`.

    Raises:
        KeyError: ``command`` is not in :data:`COMMANDS`.
    """
    names = tuple(COMMANDS) if command is None else (command,)
    modules = {name: importlib.import_module(COMMANDS[name]) for name in names}
    p = argparse.ArgumentParser(
        prog="bio2map",
        formatter_class=_Formatter,
        description="Query BIO2, NIS2 (2024/2690) and ISO/IEC 27001/27002:2022 as one graph.",
        epilog="Exit codes: 0 ok, 1 threshold not met, 2 bad input.",
    )
    p.add_argument("--version", action="version", version=f"bio2map {__version__}")
    sub = p.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        parser_class=_SubParser,
        prog="bio2map",  # what argparse would work out from the usage, at a cost
    )
    for name in names:
        modules[name].PARSERS[name](sub)
    return p


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, or None when the parser needs every command: no
    command, an unknown one, or ``--help`` before it."""
    for arg in argv:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _error(stream: TextIO, err: BaseException) -> None:
    if isinstance(err, DataErrorGroup):
        print(f"bio2map: error: {err.message}:", file=stream)
        for e in err.exceptions:
            print(f"  {e}", file=stream)
    else:
        print(f"bio2map: error: {err}", file=stream)


def _text(result: CommandResult, fmt: str) -> str:
    """What to print: the JSON document, or the tables in ``fmt``, or the text."""
    if fmt == "json" and result.doc is not None:
        return to_json(result.doc)
    if isinstance(result.output, str):
        return result.output
    return render(result.output, fmt)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser(_command(args_list)).parse_args(args_list)
    except SystemExit as e:  # argparse: --help / --version (0) or a usage error (2)
        return int(e.code) if isinstance(e.code, int) else EXIT_BAD_INPUT
    restore = None
    try:
        if args.data_dir is not None:  # every command reads that folder
            from bio2map.core.reader import use_data_dir

            restore = use_data_dir(args.data_dir)
        result: CommandResult = args.func(args)
    except Bio2MapError as err:
        _error(sys.stderr, err)
        return EXIT_BAD_INPUT
    finally:
        if restore is not None:
            restore()
    sys.stdout.write(_text(result, getattr(args, "format", "table")))
    return int(result.code)


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `bio2map info | head -1`
        code = 0
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)
