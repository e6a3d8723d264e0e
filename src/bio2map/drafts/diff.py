"""Compare two BIO2 drafts: ids, moves, rewordings, kinds, tags and what they touch.

:func:`diff` compares any two drafts (not only neighbours), given as catalogs or as
their measures (:func:`diff_measures`), and returns a
:class:`~bio2map.drafts.results.VersionDiff`. It works offline, on the packaged
figures alone (fingerprints, MinHash signatures and word counts); when the measures
carry their texts (``bio2map.load(slug, texts=...)``) the similarities are exact and
rewordings come with word-level differences. This module never reads a file and loads
no draft: drafts named by their slugs are loaded by :func:`bio2map.diff`
(:mod:`bio2map.api`); given slugs, :func:`diff` hands them over there (through
:mod:`bio2map.core.hooks`).

How measures are followed from one draft to the next (similarity, matching, moves,
splits and merges, cosmetic rewordings, tags, impact) is told in
:mod:`bio2map.drafts.matcher`; one measure through every draft is
:func:`bio2map.drafts.lineage.history`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bio2map.core import hooks
from bio2map.drafts.lineage import Lineage, history
from bio2map.drafts.matcher import Differ
from bio2map.drafts.results import VersionDiff
from bio2map.drafts.side import DraftLike, Side, resolve

if TYPE_CHECKING:
    import os

    from bio2map.catalog.catalog import Catalog
    from bio2map.core.records import Measure

# Lineage and history live in bio2map.drafts.lineage, the records in
# bio2map.drafts.results; they are named here too because the CLI and the notebook
# renderer import them from this module.
__all__ = ["DraftLike", "Lineage", "VersionDiff", "diff", "diff_measures", "history"]


def diff(
    old: DraftLike,
    new: DraftLike,
    *,
    texts: str | os.PathLike[str] | bool | None = None,
) -> VersionDiff:
    """Compare two BIO2 drafts (any two, not only neighbours), given as catalogs or measures.

    Args:
        old: the old draft: a catalog, or its measures.
        new: the new draft, in either form.
        texts: True or False forces or forbids comparing texts that are already
            attached; None (or a text source, which only matters for slugs) compares
            texts when both drafts carry them.

    Returns:
        A :class:`VersionDiff`. Impact is mapped to NIS2 and 2024/2690 when a catalog
        is at hand.

    A slug or label (``"1.2"``) for either draft is handed to :func:`bio2map.diff`,
    which loads it (with the texts of ``texts`` when that is a source) and calls back
    here with catalogs; prefer calling :func:`bio2map.diff` for slugs.

    Examples:
        >>> import bio2map
        >>> from bio2map.drafts.diff import diff
        >>> d = diff(bio2map.load("1.2"), bio2map.load("1.3"))
        >>> d.added[:2], [(m.old_id, m.new_id) for m in d.moved][:2]
        (('5.10.02', '5.10.03'), [('5.04.02', '5.10.02'), ('5.04.03', '5.10.03')])

    .. versionadded:: 0.1.0
    """
    if isinstance(old, str) or isinstance(new, str):
        # Loading a draft by its slug is the job of a higher room (bio2map.api.diff),
        # which calls back here with catalogs.
        result: VersionDiff = hooks.call("diff", old, new, texts=texts)
        return result
    old_label, old_measures, old_cat = resolve(old)
    new_label, new_measures, new_cat = resolve(new)
    return diff_measures(
        old_measures,
        new_measures,
        old_label=old_label,
        new_label=new_label,
        catalog=new_cat if new_cat is not None else old_cat,
        texts=texts if isinstance(texts, bool) else None,
    )


def diff_measures(
    old: Sequence[Measure],
    new: Sequence[Measure],
    *,
    old_label: str | None = None,
    new_label: str | None = None,
    catalog: Catalog | None = None,
    texts: bool | None = None,
) -> VersionDiff:
    """Compare two drafts given as their measures (the lower-level form of :func:`diff`).

    Args:
        old: the measures of the old draft (any order; ids may carry ``bio2:``).
        new: the measures of the new draft.
        old_label: the old draft's name (default: the ``draft`` of its first measure).
        new_label: the new draft's name.
        catalog: a catalog used to map changed controls to NIS2 points and 2024/2690
            requirements (any draft will do); None reports the controls only.
        texts: compare texts (True; every measure needs one), the packaged figures
            (False), or texts when every measure has one (None).

    Returns:
        The differences; ``diff_measures(a, a).is_empty`` is True.

    Raises:
        ValueError: ``texts=True`` but some measure carries no text.

    .. versionadded:: 0.1.0
    """
    o = Side(old_label if old_label is not None else (old[0].draft if old else ""), old)
    n = Side(new_label if new_label is not None else (new[0].draft if new else ""), new)
    have = o.has_texts() and n.has_texts()
    if texts and not have:
        missing = [k for side in (o, n) for k, m in side.content.items() if m.text is None]
        msg = f"texts=True but {len(missing)} measures carry no text (first: {missing[0]!r})"
        raise ValueError(msg)
    use_texts = have if texts is None else texts
    return Differ(o, n, use_texts, catalog).run()
