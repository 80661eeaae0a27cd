"""Partial and relative dates: precision is kept, impossible and ambiguous dates are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.dates import PartialDate, parse_date
from kg.errors import DateError

AUG_2004 = PartialDate(2004, 8)


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2004", "2004", "year"),
        ("2004-08", "2004-08", "month"),
        ("2004-07-30", "2004-07-30", "day"),
        ("July 30, 2004", "2004-07-30", "day"),
        ("30 July 2004", "2004-07-30", "day"),
        ("August 2004", "2004-08", "month"),
        ("Sept. 3, 2001", "2001-09-03", "day"),
        ("13/04/2004", "2004-04-13", "day"),
    ],
)
def test_absolute_dates_keep_their_precision(text: str, iso: str, precision: str) -> None:
    date = parse_date(text)
    assert (date.isoformat(), date.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("July 30", "2004-07-30"),
        ("on August 6", "2004-08-06"),
        ("August 20", "2004-08-20"),
        ("the 6th August", "2004-08-06"),
    ],
)
def test_relative_dates_resolve_against_the_document_date(text: str, iso: str) -> None:
    assert parse_date(text, AUG_2004).isoformat() == iso


def test_month_after_the_reference_month_means_the_previous_year() -> None:
    assert parse_date("December 20", PartialDate(2005, 1, 15)).isoformat() == "2004-12-20"
    assert parse_date("July", PartialDate(2004, 8)).isoformat() == "2004-07"


def test_relative_date_without_reference_is_an_error() -> None:
    with pytest.raises(DateError, match="no year"):
        parse_date("July 30")


@pytest.mark.parametrize(
    "text", ["2004-02-30", "2003-02-29", "2004-13", "February 30, 2004", "0000"]
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


def test_leap_day_is_possible() -> None:
    assert parse_date("2004-02-29").isoformat() == "2004-02-29"


@pytest.mark.parametrize("text", ["03/04/2004", "4-5-2004", "03/04/05"])
def test_ambiguous_numeric_dates_are_refused(text: str) -> None:
    with pytest.raises(DateError, match="ambiguous"):
        parse_date(text)


def test_ranges_and_garbage_are_refused() -> None:
    with pytest.raises(DateError, match="range"):
        parse_date("August 18-31", AUG_2004)
    for bad in ["", "soon", None, [2004], True]:
        with pytest.raises(DateError):
            parse_date(bad)


def test_python_dates_and_years_convert() -> None:
    assert parse_date(dt.date(2004, 7, 30)) == PartialDate(2004, 7, 30)
    assert parse_date(2004) == PartialDate(2004)


def test_bounds_and_ordering() -> None:
    month = PartialDate(2004, 2)
    assert (month.first_day(), month.last_day()) == (dt.date(2004, 2, 1), dt.date(2004, 2, 29))
    assert PartialDate(2004).last_day() == dt.date(2004, 12, 31)
    assert sorted([PartialDate(2004, 8, 6), PartialDate(2004, 7, 30)])[0].day == 30


def test_precision_truncation() -> None:
    assert PartialDate.from_iso("2004-08-06", "year") == PartialDate(2004)
    with pytest.raises(DateError):
        PartialDate.from_iso("2004", "day")
