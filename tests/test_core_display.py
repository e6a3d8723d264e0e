"""bio2map.core.display: answers and records show themselves in Jupyter through the render
room, called by hook name (the core room imports nothing above it)."""

from __future__ import annotations

from typing import Any

import pytest

import bio2map
from bio2map.core import hooks
from bio2map.core.display import NotebookMixin, RecordDisplay


class _Answer(NotebookMixin):
    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": "x"}


class _Record(RecordDisplay):
    __slots__ = ()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Replace the two providers; record what they are called with."""
    seen: list[tuple[str, object]] = []
    monkeypatch.setitem(
        hooks._PROVIDERS, "to_html", lambda obj: seen.append(("html", obj)) or "<t/>"
    )
    monkeypatch.setitem(hooks._PROVIDERS, "to_pandas", lambda obj: seen.append(("df", obj)) or 42)
    return seen


def test_an_answer_hands_itself_to_the_providers(calls: list[tuple[str, object]]) -> None:
    answer = _Answer()
    assert answer._repr_html_() == "<t/>"
    assert answer.to_pandas() == 42
    assert calls == [("html", answer), ("df", answer)]


def test_a_record_hands_itself_to_the_html_provider(calls: list[tuple[str, object]]) -> None:
    record = _Record()
    assert record._repr_html_() == "<t/>"
    assert calls == [("html", record)]
    assert not hasattr(record, "to_pandas")  # a record is one row: no DataFrame of its own


def test_the_mixins_add_no_instance_dict() -> None:
    """Frozen slotted records stay slotted: the mixins declare empty slots."""
    assert NotebookMixin.__slots__ == () == RecordDisplay.__slots__
    assert not hasattr(_Answer(), "__dict__")


def test_the_package_provides_the_render_room(catalog: bio2map.Catalog) -> None:
    answer = catalog.controls_for("21(2)(d)")
    html = answer._repr_html_()
    assert html.startswith("<")
    assert "iso27002:5.19" in html
    record = catalog.get("iso27002:5.19")
    assert "5.19" in record._repr_html_()
