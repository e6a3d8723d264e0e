"""Calls from a lower room into a higher one, without an import.

Records know how to be shown in Jupyter and how to become a pandas DataFrame, and the
catalog can merge a layer file or attach BIO2 texts, but the code that does it lives in
higher rooms (:mod:`bio2map.render`, :mod:`bio2map.formats`, :mod:`bio2map.drafts`).
``bio2map/__init__.py`` provides those functions here when the package is imported
(which always happens before any of its modules runs); lower rooms call them by name.
Nothing here imports anything of bio2map.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["call", "provide"]

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    """Register ``function`` as the provider of ``name`` (the last one wins)."""
    _PROVIDERS[name] = function


def call(name: str, /, *args: Any, **kwargs: Any) -> Any:
    """Call the provider of ``name``.

    Raises:
        LookupError: nothing provides ``name`` (bio2map was not imported as a package).
    """
    function = _PROVIDERS.get(name)
    if function is None:
        msg = f"bio2map: nothing provides {name!r}; import bio2map first"
        raise LookupError(msg)
    return function(*args, **kwargs)
