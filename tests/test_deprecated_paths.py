"""The 0.1 module paths still work, with a DeprecationWarning (moved in 0.2.0)."""

from __future__ import annotations

import importlib
import sys

import pytest

OLD_TO_NEW = {
    "bio2map.query": ("bio2map.catalog.catalog", "Catalog"),
    "bio2map.model": ("bio2map.core.records", "Measure"),
    "bio2map.ids": ("bio2map.core.ids", "normalize_id"),
    "bio2map.vocab": ("bio2map.core.vocab", "RELATIONSHIPS"),
    "bio2map.errors": ("bio2map.core.errors", "UnknownIdError"),
    "bio2map.draftdiff": ("bio2map.drafts.diff", "VersionDiff"),
    "bio2map.parsers.soa": ("bio2map.formats.soa", "read_soa"),
    "bio2map.parsers.bio2md": ("bio2map.drafts.parser", "parse"),
    "bio2map.exporters": ("bio2map.formats.export", "export"),
    "bio2map.notebook": ("bio2map.render.notebook", "to_html"),
}


@pytest.mark.parametrize("old", sorted(OLD_TO_NEW))
def test_old_path_warns_and_gives_the_same_object(old: str) -> None:
    new, name = OLD_TO_NEW[old]
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=old.replace(".", r"\.")):
        module = importlib.import_module(old)
    assert getattr(module, name) is getattr(importlib.import_module(new), name)


def test_answers_still_reachable_from_the_old_model_module() -> None:
    sys.modules.pop("bio2map.model", None)
    with pytest.warns(DeprecationWarning, match="bio2map.model"):
        model = importlib.import_module("bio2map.model")
    from bio2map.catalog.answers import ControlsAnswer

    assert model.ControlsAnswer is ControlsAnswer
