"""The ``bio2map`` argument parser (argparse), built with only the commands it needs.

Kept apart from :mod:`bio2map.cli.main` so that the cold path of a pipeline's query
(:func:`bio2map.cli.quick.quick_args`) does not import argparse, gettext and locale.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

import argparse
import os
import sys

from bio2map._version import __version__
from bio2map.cli.command import COMMANDS, command_module

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from typing import Any

__all__ = ["parser"]


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with a width from $COLUMNS: argparse would import shutil
    for the terminal size on every start, help or not."""

    def __init__(self, prog: str) -> None:
        try:
            width = int(os.environ.get("COLUMNS", "100")) - 2
        except ValueError:
            width = 98
        super().__init__(prog, width=max(width, 40))


def _terminal_columns() -> int:
    """What ``shutil.get_terminal_size().columns`` says ($COLUMNS, else the terminal's,
    else 80), without importing shutil (and with it zlib, bz2 and lzma)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


_SIZED: dict[type[argparse.HelpFormatter], type[argparse.HelpFormatter]] = {}


def _sized(cls: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    """``cls`` with the width argparse would give it, found without importing shutil
    (argparse makes a formatter for every argument added, help or not)."""
    if issubclass(cls, _Formatter):
        return cls
    sized = _SIZED.get(cls)
    if sized is None:

        def __init__(self: argparse.HelpFormatter, prog: str, **kwargs: Any) -> None:  # noqa: N807
            kwargs.setdefault("width", _terminal_columns() - 2)
            cls.__init__(self, prog, **kwargs)

        sized = _SIZED[cls] = type(cls.__name__, (cls,), {"__init__": __init__})
    return sized


class _SubParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["formatter_class"] = _sized(kwargs.get("formatter_class", _Formatter))
        super().__init__(*args, **kwargs)


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with only ``command`` (its module alone is imported) or, when
    ``command`` is None, with every command of :data:`COMMANDS`.

    Raises:
        KeyError: ``command`` is not in :data:`COMMANDS`.
    """
    names = tuple(COMMANDS) if command is None else (command,)
    modules = {name: command_module(COMMANDS[name]) for name in names}
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
