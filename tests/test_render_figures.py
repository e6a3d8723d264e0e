"""bio2map.render.figures: the figures behind the heatmap (no matplotlib needed): which
columns, in what order, and how controls count; the transitions between drafts.

The drawn figures themselves (with matplotlib) are tested in ``tests/test_notebook.py``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bio2map.render import figures
from bio2map.render.figures import TRANSITION_KINDS, CoverageGrid, coverage_grid


def control(cid: str, theme: str, control_type: tuple[str, ...] | None) -> SimpleNamespace:
    attributes = None if control_type is None else SimpleNamespace(control_type=control_type)
    return SimpleNamespace(id=cid, theme=theme, attributes=attributes)


CATALOG: Any = SimpleNamespace(
    controls=[
        control("iso27002:5.1", "organizational", ("Preventive", "Detective")),
        control("iso27002:8.1", "technological", ("Corrective",)),
        control("iso27001:6.1", "", None),  # a clause: no theme, no attributes
        control("iso27002:8.2", "technological", ("Zzz",)),  # a value the standard lacks
    ],
    get=lambda pid: SimpleNamespace(ref=f"Art. 21(2)({pid[-1]})", label="a point"),
)
COVERAGE: Any = SimpleNamespace(
    points=[
        SimpleNamespace(
            id="nis2:21.2.a",
            mapped=("iso27002:5.1", "iso27002:8.1", "iso27001:6.1"),
            implemented=("iso27002:5.1", "iso27001:6.1"),
        ),
        SimpleNamespace(id="nis2:21.2.b", mapped=(), implemented=()),
    ]
)


def test_by_theme_only_themes_present_in_the_standards_order() -> None:
    grid = coverage_grid(COVERAGE, CATALOG)
    assert grid == CoverageGrid(
        by="theme",
        rows=("nis2:21.2.a", "nis2:21.2.b"),
        labels=("Art. 21(2)(a) a point", "Art. 21(2)(b) a point"),
        columns=("organizational", "technological"),
        mapped=((1, 1), (0, 0)),  # the clause has no theme: it counts nowhere
        implemented=((1, 0), (0, 0)),
        shares=((1.0, 0.0), (None, None)),
    )


def test_by_attribute_a_control_counts_in_each_of_its_values() -> None:
    grid = coverage_grid(COVERAGE, CATALOG, "control_type")
    # the standard's order first, then values it does not list, sorted
    assert grid.columns == ("Preventive", "Detective", "Corrective", "Zzz")
    assert grid.mapped[0] == (1, 1, 1, 0)
    assert grid.implemented[0] == (1, 1, 0, 0)
    assert grid.shares[0] == (1.0, 1.0, 0.0, None)


def test_shares_are_rounded() -> None:
    points = [
        SimpleNamespace(
            id="nis2:21.2.c",
            mapped=("iso27002:5.1", "iso27002:5.2", "iso27002:5.3"),
            implemented=("iso27002:5.1",),
        )
    ]
    controls = [control(f"iso27002:5.{i}", "organizational", ()) for i in (1, 2, 3)]
    catalog: Any = SimpleNamespace(controls=controls, get=CATALOG.get)
    grid = coverage_grid(SimpleNamespace(points=points), catalog)  # type: ignore[arg-type]
    assert grid.shares == ((0.3333,),)


def test_a_bad_by_suggests_the_closest_name() -> None:
    with pytest.raises(ValueError, match=r"got 'theme_' \(did you mean 'theme'\?\)"):
        coverage_grid(COVERAGE, CATALOG, "theme_")
    with pytest.raises(ValueError, match=r"got 'xyz'$"):
        coverage_grid(COVERAGE, CATALOG, "xyz")


def test_long_labels_are_cut_with_an_ellipsis() -> None:
    assert figures._truncate("short", 10) == "short"
    assert figures._truncate("exactly10!", 10) == "exactly10!"
    assert figures._truncate("a label that is too long", 10) == "a label t…"  # 10 in all
    assert figures._truncate("a label   x", 10) == "a label…"  # no space before the …


def test_transitions_count_each_kind_between_consecutive_drafts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []

    def diff(old: str, new: str) -> Any:
        calls.append((old, new))
        doc = {"added": ["x"] * len(new), "removed": [], "moved": ["m"], "changed": ["c"] * 9}
        return SimpleNamespace(as_dict=lambda: doc)

    monkeypatch.setattr(figures, "_diff_module", lambda: SimpleNamespace(diff=diff))
    steps = figures._transitions(["1.1", "1.2", "2024-06"])
    assert calls == [("1.1", "1.2"), ("1.2", "2024-06")]
    assert steps == [
        ("1.2", {"added": 3, "removed": 0, "retired": 0, "moved": 1}),
        ("2024-06", {"added": 7, "removed": 0, "retired": 0, "moved": 1}),
    ]
    assert [set(s[1]) for s in steps] == [set(TRANSITION_KINDS)] * 2


def test_no_transitions_without_the_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "_diff_module", lambda: None)
    assert figures._transitions(["1.2", "1.3"]) is None


def test_the_diff_module_is_found() -> None:
    module = figures._diff_module()
    assert module is not None
    assert module.__name__ == "bio2map.drafts.diff"
