"""bio2map.core.errors: every message names the input, long input is elided, each error
is also the builtin that fits, and errors survive pickling (multiprocessing)."""

from __future__ import annotations

import pickle

import pytest

from bio2map.core.errors import (
    AmbiguousIdError,
    Bio2MapError,
    DataError,
    DataErrorGroup,
    DraftParseError,
    SourceError,
    UnknownIdError,
    UnknownVersionError,
    WriteError,
)


def test_unknown_id_messages() -> None:
    assert str(UnknownIdError("5.99")) == "unknown id '5.99'"
    e = UnknownIdError("5.99", ["iso27002:5.9", "iso27002:5.19"], expected="control")
    assert str(e) == "unknown control id '5.99'; did you mean iso27002:5.9, iso27002:5.19?"
    assert e.suggestions == ("iso27002:5.9", "iso27002:5.19")
    hinted = UnknownIdError("5.19", expected="requirement", hint="5.19 is a control: ask X")
    assert str(hinted) == "5.19 is a control: ask X"


def test_long_input_is_elided_with_its_length() -> None:
    value = "a" * 60 + "b" * 60
    msg = str(UnknownIdError(value))
    assert msg == f"unknown id {'a' * 40 + '…' + 'b' * 40!r} (120 characters)"
    assert str(UnknownIdError("x" * 80)) == f"unknown id {'x' * 80!r}"  # at the limit: whole
    assert "(100000 characters)" in str(UnknownVersionError("v" * 100_000))


def test_ambiguous_id_lists_every_reading() -> None:
    e = AmbiguousIdError("6.1.2", ["iso27001:6.1.2", "iso27001-2013:A.6.1.2"])
    assert str(e) == "ambiguous id '6.1.2': it could be iso27001:6.1.2, iso27001-2013:A.6.1.2"
    assert isinstance(e, UnknownIdError)


def test_unknown_version() -> None:
    assert str(UnknownVersionError("9.9")) == "unknown BIO2 version '9.9'"
    e = UnknownVersionError("9.9", ["1.2", "1.3"])
    assert str(e) == "unknown BIO2 version '9.9'; known versions: 1.2, 1.3"


@pytest.mark.parametrize(
    ("location", "field", "expected"),
    [
        ("line 3", "status", "vvt.csv: line 3: status: bad"),
        ("/measures/4/control", "control", "vvt.csv: /measures/4/control: bad"),  # no repeat
        ("/measures/4", "control", "vvt.csv: /measures/4: control: bad"),
        ("", "status", "vvt.csv: status: bad"),
        ("line 3", "", "vvt.csv: line 3: bad"),
        ("", "", "vvt.csv: bad"),
    ],
)
def test_data_error_names_file_location_and_field(location: str, field: str, expected: str) -> None:
    e = DataError("vvt.csv", location, field, "bad")
    assert str(e) == expected
    assert e.args == (expected,)


def test_data_error_group_lists_every_problem() -> None:
    errors = [DataError("a.csv", "line 2", "", "one"), DataError("a.csv", "line 5", "x", "two")]
    g = DataErrorGroup("cannot read the SoA", errors)
    assert str(g) == (
        "cannot read the SoA (2 problems)\n  a.csv: line 2: one\n  a.csv: line 5: x: two"
    )
    assert list(g.exceptions) == errors
    sub = g.subgroup(lambda e: isinstance(e, DataError) and e.field == "x")
    assert isinstance(sub, DataErrorGroup)
    assert str(sub) == "cannot read the SoA (1 problems)\n  a.csv: line 5: x: two"


def test_an_empty_group_still_says_what_failed() -> None:
    g = DataErrorGroup("nothing loaded", [])
    assert [str(e) for e in g.exceptions] == ["<unknown>: nothing loaded"]


def test_each_error_is_also_the_builtin_that_fits() -> None:
    assert isinstance(UnknownIdError("x"), KeyError)
    assert isinstance(UnknownVersionError("x"), KeyError)
    assert isinstance(DataError("f", "", "", "m"), ValueError)
    assert isinstance(DraftParseError("f", "line 1", "", "m"), DataError)
    assert isinstance(SourceError("m"), OSError)
    assert isinstance(WriteError("m"), OSError)
    for cls in (UnknownIdError, UnknownVersionError, DataError, SourceError, WriteError):
        assert issubclass(cls, Bio2MapError)
    with pytest.raises(KeyError):
        raise UnknownIdError("x")


@pytest.mark.parametrize(
    "error",
    [
        UnknownIdError("5.99", ["iso27002:5.9"], "control", ""),
        UnknownIdError("5.19", (), "requirement", "a hint"),
        AmbiguousIdError("6.1.2", ["a", "b"]),
        UnknownVersionError("9.9", ["1.3"]),
        DataError("f.csv", "line 2", "status", "bad"),
        DraftParseError("d.md", "line 1", "", "no measures"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_pickling(error: Exception) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert vars(back) == vars(error)
