"""BIO2 texts for a catalog: read the source, parse it, check every fingerprint.

:func:`read_texts` is what ``Catalog.attach_texts`` calls (through
:mod:`bio2map.core.hooks`): the catalog itself reads no user file.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import os

from bio2map.drafts.parser import fingerprint, parse
from bio2map.drafts.sources import read_draft_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bio2map.catalog.catalog import Catalog

__all__ = ["read_texts"]


def read_texts(
    source: str | os.PathLike[str],
    catalog: Catalog,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, str], dict[str, str], tuple[str, ...], str]:
    """Read the texts of ``catalog``'s draft from ``source``.

    Returns:
        (texts by canonical measure id, Dutch control titles by control number, ids of
        measures whose text is missing or does not match the packaged fingerprint, a
        description of where the text came from).

    Raises:
        SourceError: the source cannot be read or does not verify.
        DraftParseError: the text is not a BIO2 draft the parser can read.
    """
    raw, origin = read_draft_text(source, catalog.draft, cache_dir=cache_dir)
    parsed = parse(raw, source=origin)
    texts = {"bio2:" + m.id: m.text for m in parsed.measures}
    mismatches = tuple(
        m.id
        for m in catalog.measures
        if m.id not in texts or fingerprint(texts[m.id]) != m.fingerprint
    )
    return texts, dict(parsed.control_titles), mismatches, origin
