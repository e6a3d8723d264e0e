"""bio2map.drafts.side: one draft indexed for comparison, and ids in numeric order."""

from __future__ import annotations

import bio2map
from bio2map.core.records import Measure
from bio2map.drafts.side import Side, id_key, plain_id, resolve, sorted_ids


def entry(
    mid: str,
    kind: str = "measure",
    *,
    tags: tuple[str, ...] = (),
    nis2: bool = False,
    text: str | None = "t",
) -> Measure:
    return Measure(
        id=f"bio2:{mid}",
        draft="1.3",
        control="iso27002:5.1",
        kind=kind,
        target=None,
        tags=tags,
        nis2_flag=nis2,
        fingerprint=f"sha256:{mid}",
        text=text if kind == "measure" else None,
    )


def test_ids_sort_part_by_part_numerically() -> None:
    ids = ["5.10.01", "5.9.02", "5.9.10", "5.9.2", "8.1.u1", "5.10", "10.1.01"]
    assert sorted(ids, key=id_key) == [
        *("5.9.02", "5.9.2", "5.9.10", "5.10", "5.10.01", "8.1.u1", "10.1.01")
    ]
    assert id_key("8.1.u1") == ((0, 8), (0, 1), (1, "u1"))  # text after numbers
    assert sorted_ids(["5.10.01", "5.9.01", "5.10.01"]) == ("5.9.01", "5.10.01")


def test_plain_id() -> None:
    assert plain_id("bio2:5.10.02") == "5.10.02"
    assert plain_id("5.10.02") == "5.10.02"


def test_a_side_indexes_the_first_entry_of_each_id() -> None:
    first = entry("5.1.01")
    side = Side("1.3", [first, entry("5.1.01", "withdrawn"), entry("5.1.02", "moved")])
    assert side.label == "1.3"
    assert side.by_id == {"5.1.01": first, "5.1.02": entry("5.1.02", "moved")}
    assert list(side.content) == ["5.1.01"]  # markers carry no text
    assert side.size == {}
    assert (side.tagged, side.flagged) == (False, False)


def test_tags_flags_and_texts() -> None:
    side = Side("x", [entry("5.1.01", tags=("Basishygiëne",)), entry("5.1.02", nis2=True)])
    assert (side.tagged, side.flagged) == (True, True)
    assert side.has_texts()
    assert not Side("x", [entry("5.1.01"), entry("5.1.02", text=None)]).has_texts()
    assert Side("x", [entry("5.1.03", "withdrawn")]).has_texts()  # no measure: nothing missing


def test_resolve_a_catalog_or_measures(catalog: bio2map.Catalog) -> None:
    label, measures, cat = resolve(catalog)
    assert (label, measures, cat) == ("1.3", catalog.measures, catalog)
    listed = [entry("5.1.01"), entry("5.1.02")]
    label, measures, cat = resolve(listed)
    assert (label, measures, cat) == ("1.3", tuple(listed), None)
    assert resolve([]) == ("", (), None)
