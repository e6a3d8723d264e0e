"""Unknown ids at scale: suggestions computed once and capped, repeats counted once.

The time these take is measured by ``benchmarks/bench_hostile.py``, not here; these
tests check what comes out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bio2map
from bio2map.core.errors import AmbiguousIdError, DataErrorGroup, UnknownIdError
from bio2map.core.ids import Suggester, control_character, has_reading
from bio2map.formats.layers import read_layer
from bio2map.formats.soa import read_soa

CONTROLS = ("iso27002", "iso27001")


@pytest.fixture(scope="module")
def catalog() -> bio2map.Catalog:
    return bio2map.load()


id_like = st.text(alphabet="0123456789.()-abdjsxA: ", min_size=1, max_size=14) | st.sampled_from(
    ["5.99", "9.29", "A.9.1", "21(2)(z)", "5.1.99", "iso27002:9.1", "nis2:21.2.q", "art 99", "zz"]
)


@settings(max_examples=150, deadline=None)
@given(text=id_like, controls_only=st.booleans())
def test_suggester_agrees_with_the_catalog(
    catalog: bio2map.Catalog, text: str, controls_only: bool
) -> None:
    allowed = CONTROLS if controls_only else None
    if has_reading(text, catalog._raw, allowed):
        outcome: object = None
        try:  # found or ambiguous, never unknown
            outcome = catalog.resolve(text, allowed)
        except UnknownIdError as e:
            outcome = e
        assert isinstance(outcome, str | AmbiguousIdError)
        return
    with pytest.raises(UnknownIdError) as info:
        catalog.resolve(text, allowed)
    assert not isinstance(info.value, AmbiguousIdError)
    assert Suggester(catalog._raw, allowed)(text) == info.value.suggestions


def test_control_characters() -> None:
    assert control_character("myorg:SUP-01") is None
    assert control_character("5.19\u00a0") is None  # a no-break space is a blank, not a control
    for ch in ("\x00", "\x1b", "\x7f", "\u202e", "\u2028", "\ufeff"):
        assert control_character(f"a{ch}b") == ch


def test_soa_of_many_unknown_ids_stops_after_100(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = tmp_path / "many.txt"
    p.write_text("".join(f"8.{100 + i}\n" for i in range(50_000)), encoding="utf-8")
    with pytest.raises(DataErrorGroup) as info:
        read_soa(p, catalog)
    problems = [str(e) for e in info.value.exceptions]
    assert len(problems) == 101
    assert problems[0].startswith(f"{p}: line 1: control: unknown control id '8.100'; did you")
    assert "did you mean" not in problems[20]  # suggestions for the first 20 only
    assert problems[-1] == (
        f"{p}: control: and 49900 more lines not checked (stopped after 100 unknown ids)"
    )


def test_soa_repeated_unknown_id_is_one_problem(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = tmp_path / "same.csv"
    p.write_text("control\n5.19\n" + "5.99\n" * 30_000 + "A.9.1\n", encoding="utf-8")
    with pytest.raises(DataErrorGroup) as info:
        read_soa(p, catalog)
    problems = [str(e) for e in info.value.exceptions]
    assert len(problems) == 2
    assert problems[0].startswith(f"{p}: line 3: control: unknown control id '5.99'; did you")
    assert problems[0].endswith("(listed 30000 times)")
    assert problems[1].startswith(f"{p}: line 30003: control: unknown control id 'A.9.1'")


def test_soa_repeats_warn_once_each(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = tmp_path / "rep.txt"
    p.write_text("5.19\n" * 100_000 + "A.5.20\n5.20\n", encoding="utf-8")
    soa = read_soa(p, catalog)
    assert len(soa.entries) == 100_002
    assert soa.warnings == (
        f"{p}: line 2: iso27002:5.19 is listed again (first on line 1; 100000 times in all, "
        "the last on line 100000); the stronger status counts",
        f"{p}: line 100002: iso27002:5.20 is listed again (first on line 100001); "
        "the stronger status counts",
    )


def test_soa_many_repeated_ids_give_few_warnings(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    ids = [c.ref for c in catalog.controls]  # A.5.1: a bare 5.2 would be ambiguous (clause)
    p = tmp_path / "all.txt"
    p.write_text("\n".join(ids * 3) + "\n", encoding="utf-8")
    soa = read_soa(p, catalog)
    assert len(soa.warnings) == 21
    assert soa.warnings[-1].endswith(
        f"and {len(ids) - 20} more control ids are listed more than once; the stronger status "
        "counts"
    )


def test_layer_unknown_ids_get_few_suggestions(tmp_path: Path, catalog: bio2map.Catalog) -> None:
    p = tmp_path / "unknown.csv"
    rows = "".join(f"myorg:N{i},equal,5.{100 + i}\n" for i in range(1000))
    p.write_text("subject_id,predicate_id,object_id\n" + rows, encoding="utf-8")
    with pytest.raises(DataErrorGroup) as info:
        read_layer(p, catalog)
    problems = [str(e) for e in info.value.exceptions]
    assert len(problems) == 201
    assert sum("did you mean" in x for x in problems) == 20
    # lines 2 to 201 hold the 200 problems; the 800 lines after them are counted
    assert problems[-1] == (
        f"{p}: line 202: and 800 more lines not checked (stopped after 200 problems)"
    )


def test_layer_repeated_unknown_id_is_reported_once(
    tmp_path: Path, catalog: bio2map.Catalog
) -> None:
    p = tmp_path / "same.csv"
    rows = "".join(f"myorg:N{i},equal,5.99\n" for i in range(10_000))
    p.write_text("subject_id,predicate_id,object_id\n" + rows, encoding="utf-8")
    with pytest.raises(DataErrorGroup) as info:
        read_layer(p, catalog)
    (problem,) = info.value.exceptions
    assert str(problem).startswith(f"{p}: line 2: object_id: unknown id '5.99'; did you mean ")


def test_id_functions_name_their_parameter(catalog: bio2map.Catalog) -> None:
    from bio2map.core.ids import normalize_id, readings

    for call in (
        lambda: readings(5.19),  # type: ignore[arg-type]
        lambda: normalize_id(None),  # type: ignore[arg-type]
        lambda: has_reading(b"5.19", catalog._raw),  # type: ignore[arg-type]
        lambda: Suggester(catalog._raw)(519),  # type: ignore[arg-type]
        lambda: control_character(["x"]),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="text must be a str"):
            call()
