"""The ``bio2map export`` command: the catalog in a standard format.

``bio2map export --format graphml|json|csv|sssom|oscal|oscal-mapping|ciso-assistant
[--bio2 VERSION] [--texts SOURCE] [-o FILE]`` writes the export to standard output, or
with ``-o`` to ``FILE`` (see :func:`write_atomic`: a regular file is replaced
atomically, a symbolic link followed, a device or FIFO written to directly, a read-only
file refused). See :mod:`bio2map.formats.export` for what each format holds.

This command has its own ``--format`` (the export format), so it does not use the
shared ``--format table|json|csv|md`` option. Its result has no JSON document and the
export as its output text, ``CommandResult(None, text)``, which
:func:`bio2map.cli.main.main` prints as it is.

Module-level imports are light: the catalog and the exporters are imported inside
the functions, ``signal`` only while a file is written.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import os

from bio2map.cli.command import CommandResult, add_command
from bio2map.core.errors import WriteError

TYPE_CHECKING = False  # typing is not imported at run time (cold-start cost)
if TYPE_CHECKING:
    from typing import Final

    from bio2map.cli.command import AddParser, Subparsers

__all__ = ["EXPORT_FORMATS", "PARSERS", "ExportWriteError", "cmd_export", "write_atomic"]

EXPORT_FORMATS: Final = (
    "graphml",
    "json",
    "csv",
    "sssom",
    "oscal",
    "oscal-mapping",
    "ciso-assistant",
)
"""The ``--format`` choices (the same as :data:`bio2map.formats.export.FORMATS`)."""


ExportWriteError = WriteError
"""The export file could not be written (:class:`bio2map.core.errors.WriteError`).

.. versionadded:: 0.1.0
"""


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` safely (:func:`bio2map.core.atomic.write_file`).

    A regular file is replaced atomically (a temporary file in the same folder, then a
    rename): a reader sees the old file or the whole new one, and a failure or SIGTERM
    leaves the old file as it was and no temporary file. A symbolic link is followed; a
    device or FIFO is written to directly; a read-only file or a folder is refused. A
    new file gets the usual permissions (``0o666`` less the umask), a replaced one
    keeps its own.

    Raises:
        ExportWriteError: the file cannot be written (the message names it).

    .. versionadded:: 0.1.0
    """
    from bio2map.core.atomic import write_file

    write_file(path, text)


def cmd_export(args: argparse.Namespace) -> CommandResult:
    """Export the catalog (with the ``--bio2`` draft) in ``--format``.

    Returns:
        ``CommandResult(None, text)`` for standard output, or ``CommandResult(None, "")``
        after writing ``--output``.

    Raises:
        UnknownVersionError: ``--bio2`` names no known draft.
        SourceError: the ``--texts`` source cannot be read or does not verify.
        ExportWriteError: ``--output`` cannot be written.

    .. versionadded:: 0.1.0
    """
    from bio2map.api import load
    from bio2map.formats.export import export

    cat = load(args.bio2, layers=args.layer or ())
    if args.texts is not None:
        cat = cat.attach_texts(args.texts)
    text = export(cat, args.format)
    if args.output is None or args.output == "-":
        return CommandResult(None, text)
    write_atomic(args.output, text)
    return CommandResult(None, "")


def _export_parser(sub: Subparsers) -> None:
    # its own --format (the export format): add_command's shared --format is left out
    p = add_command(
        sub,
        "export",
        table_format=False,
        help="the catalog as GraphML, JSON, CSV, SSSOM, OSCAL or a CISO Assistant library",
        description="Export the catalog in a standard format. The output is byte-stable: "
        "the same data gives the same bytes.",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=EXPORT_FORMATS,
        required=True,
        help="graphml, json (node-link) and csv: the graph or its edges; sssom: every "
        "mapping layer; oscal: the BIO2 draft as an OSCAL catalog; oscal-mapping: the "
        "ENISA mapping as an OSCAL mapping collection; ciso-assistant: the BIO2 draft as "
        "a CISO Assistant library",
    )
    p.add_argument(
        "--bio2",
        metavar="VERSION",
        default=None,
        help="BIO2 draft slug or label (default: the latest definitive draft)",
    )
    p.add_argument(
        "--texts",
        metavar="SOURCE",
        default=None,
        help="include the BIO2 measure texts (oscal, ciso-assistant) read from a BIO2 git "
        "clone, a folder with <slug>/maatregelen.md, a markdown file, or 'download'",
    )
    p.add_argument(
        "--layer",
        action="append",
        metavar="FILE",
        help="add a user mapping layer (exported with the rest: graph, csv, sssom); repeatable",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="write to FILE instead of standard output: a regular file is replaced "
        "atomically (a symbolic link is followed), a device or FIFO written to directly, "
        "a read-only file refused",
    )
    # an export is a UTF-8 file format: standard output gets UTF-8 bytes whatever the
    # terminal's encoding (bio2map.cli.main writes them)
    p.set_defaults(func=cmd_export, utf8_output=True)


PARSERS: Final[dict[str, AddParser]] = {"export": _export_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
