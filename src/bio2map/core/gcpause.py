"""Pause the cyclic garbage collector while many acyclic containers are built.

Reading the data makes some hundred thousand dicts and lists, and none of them is part
of a cycle: the cyclic collector would only walk them again and again while they are
built (on a cold query that tripled the time to parse the packaged JSON). Reference
counting still frees everything as usual. The collector is turned back on when the
block ends, if it was on before (a nested pause leaves it to the outermost).

.. versionadded:: 0.4.0
"""

from __future__ import annotations

import gc

__all__ = ["gc_paused"]


class gc_paused:  # noqa: N801 - used like a function: ``with gc_paused():``
    """``with gc_paused(): ...`` builds without the cyclic garbage collector."""

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        self._was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_on:
            gc.enable()
