"""The ``bio2map`` command line, for people and pipelines: parsing, dispatch, errors.

Every command takes ``--format table|json|csv|md`` (table is for people; JSON is
deterministic and meant for pipelines) and, where a BIO2 draft matters, ``--bio2``.

Every command takes ``--data-dir DIR`` to read a data folder (for example one that
``bio2map watch --write-data DIR`` wrote) in place of the packaged data.

Exit codes: 0 ok; 1 a threshold was not met (``gaps --fail-under``, ``diff
--fail-on``); 2 bad input (unknown id, unreadable SoA, bad option), or the output could
not be written (a broken pipe, a full disk, a closed standard output). Errors go to
stderr as one ``bio2map: error:`` line (a list of data errors indented under it),
never as a traceback.

Output fits where it goes: tables fit a terminal's width (long cells wrap, lists of ids
are shortened) and are printed whole anywhere else; what the encoding of standard output
cannot show is spelled in ASCII (:mod:`bio2map.render.spelling`) and JSON written with
``\\u`` escapes; an export is written as UTF-8 bytes.

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

import codecs
import errno
import gc
import os
import sys

from bio2map.cli.command import COMMANDS, EXIT_BAD_INPUT
from bio2map.core.errors import Bio2MapError, DataErrorGroup
from bio2map.render.table import render, to_json

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import TextIO

    from bio2map.cli.command import CommandResult

__all__ = ["COMMANDS", "main", "parser", "run"]


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with only ``command`` (its module alone is imported) or, when
    ``command`` is None, with every command of :data:`COMMANDS`
    (:func:`bio2map.cli.parsing.parser`).

    Raises:
        KeyError: ``command`` is not in :data:`COMMANDS`.
    """
    from bio2map.cli.parsing import parser as build

    return build(command)


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, or None when the parser needs every command: no
    command, an unknown one, or ``--help`` before it."""
    for arg in argv:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _say(stream: TextIO | None, line: str) -> None:
    """Print one line on ``stream`` (standard error), in spellings its encoding can show;
    a stream that cannot be written to is left alone."""
    if stream is None:
        return
    try:  # noqa: SIM105 - importing contextlib costs a cold start
        print(_fit_text(line, stream), file=stream)
    except (OSError, ValueError):  # stderr closed or full: nowhere to say it
        pass


def _error(stream: TextIO | None, err: BaseException) -> None:
    if isinstance(err, DataErrorGroup):
        _say(stream, f"bio2map: error: {err.message}:")
        for e in err.exceptions:
            _say(stream, f"  {e}")
    else:
        _say(stream, f"bio2map: error: {err}")


def _encoding(stream: TextIO) -> str:
    """The codec name of ``stream`` (``utf-8`` when it does not say)."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return "utf-8"


def _encodes(text: str, stream: TextIO) -> bool:
    try:
        text.encode(_encoding(stream), getattr(stream, "errors", None) or "strict")
    except UnicodeEncodeError:
        return False
    return True


def _fit_text(text: str, stream: TextIO) -> str:
    """``text``, with what ``stream``'s encoding cannot show spelled in ASCII."""
    if _encodes(text, stream):
        return text
    from bio2map.render.spelling import fit

    return fit(text, _encoding(stream))


def _terminal_width(stream: TextIO) -> int | None:
    """The width to fit tables in: $COLUMNS or the terminal's, on a terminal; else None."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    try:
        return max(int(os.environ["COLUMNS"]), 20)
    except (KeyError, ValueError):
        pass
    try:
        return max(os.get_terminal_size(stream.fileno()).columns, 20)
    except (AttributeError, OSError, ValueError):
        return 80


def _text(result: CommandResult, fmt: str, stream: TextIO) -> str:
    """What to print on ``stream``: the JSON document, or the tables in ``fmt``, or the text.

    JSON is written with ``\\u`` escapes when the stream's encoding is not UTF-8 (the
    same document, in bytes every ASCII-based encoding reads alike). Tables fit the
    terminal (long cells wrap, lists of ids are shortened) when the stream is one, and
    are printed whole otherwise. What the encoding cannot show is spelled in ASCII
    (:mod:`bio2map.render.spelling`), the tables laid out again with those spellings.
    """
    if fmt == "json" and result.doc is not None:
        return to_json(result.doc, ascii_only=_encoding(stream) != "utf-8")
    if isinstance(result.output, str):
        return _fit_text(result.output, stream)
    width = _terminal_width(stream)
    text = render(result.output, fmt, width=width, short_ids=width is not None)
    if _encodes(text, stream):
        return text
    from bio2map.render.spelling import fit, fit_tables

    enc = _encoding(stream)
    tables = fit_tables(result.output, enc)
    return fit(render(tables, fmt, width=width, short_ids=width is not None), enc)


def _put(stream: TextIO, text: str, data: bytes) -> None:
    """Write ``data`` (``text`` encoded for ``stream``) to the bytes under ``stream``,
    all of it: an unbuffered stream (``PYTHONUNBUFFERED``) may take a part of a write
    to a pipe and drop the rest without a word."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream in memory (tests, contextlib.redirect_stdout)
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    view = memoryview(data)
    while view:
        n = buffer.write(view)
        if n is None:  # a non-blocking stream that is full
            msg = "standard output would block"
            raise BlockingIOError(errno.EAGAIN, msg)
        view = view[n:]
    buffer.flush()


def _write(result: CommandResult, args: argparse.Namespace) -> int:
    """Print the result on standard output; exit code 2 and one line when that fails."""
    stream = sys.stdout
    try:
        if stream is None:
            msg = "standard output is closed"
            raise OSError(errno.EBADF, msg)
        if getattr(args, "utf8_output", False) and isinstance(result.output, str):
            # a file format (export): UTF-8 bytes, whatever the terminal's encoding
            text = result.output
            data = text.encode("utf-8", "surrogateescape")
        else:
            text = _text(result, getattr(args, "format", "table"), stream)
            if os.linesep != "\n":  # what a text stream would do on Windows
                text = text.replace("\n", os.linesep)
            data = text.encode(_encoding(stream), getattr(stream, "errors", None) or "strict")
        _put(stream, text, data)
    except (OSError, ValueError) as err:  # a broken pipe, a full disk, a closed stream
        _say(sys.stderr, f"bio2map: error: cannot write the output: {_why(err)}")
        return EXIT_BAD_INPUT
    return int(result.code)


def _why(err: BaseException) -> str:
    if isinstance(err, BrokenPipeError):
        return "the reader closed the pipe (broken pipe)"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    from bio2map.cli.quick import quick_args  # a pipeline's plain query: no argparse

    args = quick_args(args_list)
    if args is None:
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
    return _write(result, args)


def run() -> None:
    """Console-script entry point.

    One command runs and the process ends: the cyclic garbage collector stays off for it
    (what a command makes is data without cycles, freed by reference counting; a collection
    would only walk the packaged data once more after it is loaded), and what is left is
    frozen before the exit. ``main()`` itself leaves the collector alone.
    """
    gc.disable()
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        # main() said so already (a broken pipe, a full disk); point the output at
        # os.devnull so that Python's own flush at exit finds nothing to complain about
        code = EXIT_BAD_INPUT
        try:  # noqa: SIM105 - importing contextlib costs a cold start
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    # What the command made lives until the process ends: the collector's passes at exit
    # would only walk all of it once more (a tenth of a cold query). Frozen objects are
    # still freed at exit as usual; only the walk for cycles is left out.
    gc.freeze()
    gc.enable()  # as Python left it, for whatever runs at exit
    raise SystemExit(code)
