"""The arguments of a pipeline's plain query, read without argparse.

``bio2map controls "21(2)(d)" --format json`` is the call compliance pipelines make
over and over; argparse (with gettext and locale) and building its parser cost about a
tenth of that cold run. :func:`quick_args` reads the few plain shapes of ``controls``
and ``requirements`` (one id; ``--format``, ``--bio2``, ``--basis``, ``--no-clauses``,
each at most once, as ``--opt value`` or ``--opt=value``) and returns exactly what
argparse would (``tests/test_cli_quick.py`` compares the two on generated command
lines). Anything else (help, another option, a repeated or abbreviated one, a bad
value, ``--``) returns None, and argparse reads the command line as always, with its
messages.

.. versionadded:: 0.3.0
"""

from __future__ import annotations

from bio2map.core.vocab import BASIS_LEVELS
from bio2map.render.table import FORMATS

TYPE_CHECKING = False  # typing is not imported at run time: it costs a cold query too much
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Final

__all__ = ["QuickArgs", "quick_args"]

_POSITIONAL: Final = {"controls": "requirement", "requirements": "control"}
_VALUES: Final = {"--format": FORMATS, "-f": FORMATS, "--bio2": None, "--basis": BASIS_LEVELS}
_DEST: Final = {"--format": "format", "-f": "format", "--bio2": "bio2", "--basis": "basis"}


if TYPE_CHECKING:
    from argparse import Namespace as QuickArgs
else:

    class QuickArgs:
        """The parsed arguments: what an ``argparse.Namespace`` holds, as attributes."""

        def __init__(self, **values: Any) -> None:
            self.__dict__.update(values)

        def __repr__(self) -> str:
            inner = ", ".join(f"{k}={v!r}" for k, v in sorted(self.__dict__.items()))
            return f"QuickArgs({inner})"


def quick_args(argv: Sequence[str]) -> QuickArgs | None:
    """What argparse would make of ``argv`` for a plain ``controls`` or ``requirements``
    call, or None when argparse must read it."""
    if len(argv) < 2 or argv[0] not in _POSITIONAL:
        return None
    command = argv[0]
    values: dict[str, Any] = {"format": "table", "bio2": None, "basis": "all"}
    if command == "controls":
        values["no_clauses"] = False
    positional: str | None = None
    seen: set[str] = set()
    i = 1
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-"):
            if positional is not None:
                return None
            positional = arg
        elif arg == "--no-clauses" and command == "controls" and arg not in seen:
            values["no_clauses"] = True
        else:
            name, eq, value = arg.partition("=")
            if name not in _VALUES or _DEST[name] in seen or (eq and name == "-f"):
                return None
            if not eq:
                i += 1
                if i == len(argv):
                    return None
                value = argv[i]
            choices = _VALUES[name]
            if value.startswith("-") or (choices is not None and value not in choices):
                return None
            values[_DEST[name]] = value
            arg = _DEST[name]
        seen.add(arg)
        i += 1
    if positional is None:
        return None
    from bio2map.cli import query

    func = query.cmd_controls if command == "controls" else query.cmd_requirements
    return QuickArgs(
        command=command,
        data_dir=None,
        layer=None,
        func=func,
        **{_POSITIONAL[command]: positional},
        **values,
    )
