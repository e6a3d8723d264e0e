"""The ``bio2map export`` command: the catalog in a standard format.

``bio2map export --format graphml|json|csv|sssom|oscal|oscal-mapping|ciso-assistant
[--bio2 VERSION] [--texts SOURCE] [-o FILE]`` writes the export to standard output, or
with ``-o`` to ``FILE`` (written atomically: a temporary file in the same folder,
then renamed). See :mod:`bio2map.formats.export` for what each format holds.

This command has its own ``--format`` (the export format), so it does not use the
shared ``--format table|json|csv|md`` option. Its result has no JSON document and the
export as its output text, ``CommandResult(None, text)``, which
:func:`bio2map.cli.main.main` prints as it is.

Module-level imports are light: the catalog, the exporters, ``tempfile`` and
``pathlib`` are imported inside the functions.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import os

from bio2map.cli.command import CommandResult, add_command
from bio2map.core.errors import Bio2MapError

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


class ExportWriteError(Bio2MapError, OSError):
    """The export file could not be written.

    .. versionadded:: 0.1.0
    """


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (temporary file, then rename).

    A reader sees the old file or the whole new one, never a part; on failure the old
    file is left as it was and the temporary file is removed. A new file gets the
    usual permissions (``0o666`` less the umask), a replaced one keeps its own.

    Raises:
        ExportWriteError: the file cannot be written (the message names it).

    .. versionadded:: 0.1.0
    """
    import tempfile
    from pathlib import Path

    target = Path(path)
    folder = target.parent
    tmp: str | None = None
    try:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
        tmp = None
    except OSError as e:
        msg = f"cannot write {str(path)!r}: {e.strerror or e}"
        raise ExportWriteError(msg) from e
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


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
        help="write to FILE, atomically, instead of standard output",
    )
    p.set_defaults(func=cmd_export)


PARSERS: Final[dict[str, AddParser]] = {"export": _export_parser}
"""Command name -> the function that adds its parser (see :mod:`bio2map.cli.command`)."""
