"""bio2map.core.editions: what people write for an ISO/IEC 27001 edition, which edition
an id names by itself, and how an id reads in a 2013 SoA."""

from __future__ import annotations

import pytest

from bio2map.core.editions import (
    EDITIONS,
    ISO2013,
    ISO2022,
    edition_of,
    edition_readings,
    said_edition,
)
from bio2map.core.ids import readings


@pytest.mark.parametrize(
    ("text", "edition"),
    [
        ("2013", ISO2013),
        ("ISO 27001:2013", ISO2013),
        ("  iso   27001:2013 ", ISO2013),  # case and spaces do not matter
        ("ISO/IEC 27001:2013", ISO2013),
        ("iso27002:2013", ISO2013),
        ("BIO 1.04", ISO2013),
        ("bio1", ISO2013),
        ("2022", ISO2022),
        ("ISO/IEC 27001:2022", ISO2022),
        ("BIO2", ISO2022),
        ("BIO 2.0", ISO2022),
        ("2017", None),
        ("ISO 27001", None),  # no year: not an edition
        ("", None),
    ],
)
def test_edition_of(text: str, edition: str | None) -> None:
    assert edition_of(text) == edition


def test_editions_are_the_two_schemes() -> None:
    assert EDITIONS == (ISO2013, ISO2022) == ("iso27001-2013", "iso27001-2022")


@pytest.mark.parametrize(
    ("text", "edition"),
    [
        ("ISO 27001:2013 A.12.6.1", ISO2013),
        ("iso27001-2013:A.12.6.1", ISO2013),
        ("iso27002:5.19", ISO2022),
        ("iso27001:9.2", ISO2022),
        ("ISO 27001:2022 A.8.8", ISO2022),
        ("ISO 27002:2022 8.8", ISO2022),
        # ids that do not say: read in whatever edition the SoA is
        ("A.12.6.1", None),
        ("12.6.1", None),
        ("A.5.19", None),
        ("ISO 27001 A.8.8", None),
        ("clause 9.2", None),
    ],
)
def test_said_edition(text: str, edition: str | None) -> None:
    assert said_edition(text) == edition


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.6.1", (("iso27001-2013:A.12.6.1",),)),
        ("A.12.6.1", (("iso27001-2013:A.12.6.1",),)),
        ("ISO 27001 A.12.6.1", (("iso27001-2013:A.12.6.1",),)),
        ("ISO/IEC 27002 Annex A.12.6.1", (("iso27001-2013:A.12.6.1",),)),
        ("9.2", (("iso27001-2013:9.2",),)),
        ("clause 6.1.2", (("iso27001-2013:6.1.2",),)),
        # both a clause and a control: both readings, the catalog refuses the ambiguity
        ("6.1.2", (("iso27001-2013:A.6.1.2", "iso27001-2013:6.1.2"),)),
        # an id that names 2022 keeps it (so the SoA can refuse it as a conflict)
        ("iso27002:8.8", (("iso27002:8.8",),)),
        ("ISO 27001:2022 A.8.8", (("iso27002:8.8",),)),
        # no such 2013 control, or no id at all
        ("A.5.19", ()),
        ("A.99.9", ()),
        ("nonsense", ()),
    ],
)
def test_readings_in_a_2013_soa(text: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert edition_readings(text, ISO2013) == expected


@pytest.mark.parametrize("text", ["A.5.19", "5.19", "clause 9.3", "iso27002:8.8", "A.12.6.1"])
def test_readings_in_a_2022_soa_are_the_usual_ones(text: str) -> None:
    assert edition_readings(text, ISO2022) == readings(text)


def test_a_2022_control_reads_as_itself_only_in_a_2022_soa() -> None:
    assert edition_readings("A.5.19", ISO2022) == (("iso27002:5.19",),)
    assert edition_readings("A.5.19", ISO2013) == ()
