"""Article header dates in every common printed form; unreadable dates leave the article undated."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.dates import date_order, parse_date, parse_header_date
from kg.documents import date_warning, parse_article
from kg.errors import DateError


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        # the forms quoted in issue 14
        ("Thursday, 16 October 2003", "2003-10-16", "day"),
        ("9 Jul 04", "2004-07-09", "day"),
        ("Sunday, 20 November, 2005", "2005-11-20", "day"),
        ("Fri, 30 Jul 2004 10:00:00 +0500", "2004-07-30", "day"),
        ("2004/07/30", "2004-07-30", "day"),
        ("20040730", "2004-07-30", "day"),
        ("30 июля 2004", "2004-07-30", "day"),
        ("2004-07-30 14:22:00Z", "2004-07-30", "day"),
        # the dev set's header forms
        ("2019-08-08T21:40:00+06:00", "2019-08-08", "day"),
        ("2019-01-18T07:05:00-05:00", "2019-01-18", "day"),  # no longer "a date range"
        ("24.06.2024", "2024-06-24", "day"),
        ("04.05.2021", "2021-05-04", "day"),  # dotted dates are day.month.year
        ("September 23, 2014", "2014-09-23", "day"),
        ("17 Mar 17", "2017-03-17", "day"),
        ("03 Mar 22", "2022-03-03", "day"),
        # other separators, languages and precisions
        ("2004.07.30", "2004-07-30", "day"),
        ("13/04/2005", "2005-04-13", "day"),
        ("04/13/2005", "2005-04-13", "day"),
        ("30-Jul-2004", "2004-07-30", "day"),
        ("30 июля 2004 г.", "2004-07-30", "day"),
        ("20 сент. 2004", "2004-09-20", "day"),
        ("Июль 2004", "2004-07", "month"),
        ("30 iyul 2004", "2004-07-30", "day"),
        ("2004-yil 30 iyul", "2004-07-30", "day"),
        ("30 shilde 2004", "2004-07-30", "day"),
        ("1 qyrküiek 2004", "2004-09-01", "day"),
        ("August 2004", "2004-08", "month"),
        ("2004/07", "2004-07", "month"),
        ("2004", "2004", "year"),
        ("Published: July 30, 2004", "2004-07-30", "day"),
        ("Jul 30 2004 10:00 AM", "2004-07-30", "day"),
    ],
)
def test_header_date_forms(text: str, iso: str, precision: str) -> None:
    date = parse_header_date(text)
    assert (date.isoformat(), date.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["03/04/2005", "03-04-2005", "03/04/05"])
def test_ambiguous_numeric_dates_need_an_order(text: str) -> None:
    with pytest.raises(DateError, match=r"ambiguous.*dates\.order"):
        parse_header_date(text)
    assert str(parse_header_date(text, "DMY")).endswith("-04-03")
    assert str(parse_header_date(text, "MDY")).endswith("-03-04")


@pytest.mark.parametrize("text", ["unknown", "", "  ", "July 30", "soon", "31 February 2004"])
def test_no_date_is_refused_as_a_date(text: str) -> None:
    with pytest.raises(DateError):
        parse_header_date(text)


def test_date_order_setting_is_checked() -> None:
    assert date_order(" mdy ") == "MDY"
    with pytest.raises(DateError, match="DMY or MDY"):
        date_order("YMD")


@pytest.mark.parametrize("key", ["date", "published", "pubdate", "Publication date", "dc.date"])
def test_every_usual_header_key_is_read(key: str) -> None:
    doc = parse_article(f"{key}: 9 Jul 04\n---\nText here.\n", Path("a.txt"))
    assert str(doc.date) == "2004-07-09"
    assert key.lower().replace(" ", "_") not in doc.metadata


@pytest.mark.parametrize("value", ["unknown", "", "July 30", "03/04/2005", "garbled 2004x"])
def test_an_unreadable_date_leaves_the_article_undated_with_one_warning(value: str) -> None:
    doc = parse_article(f"---\ntitle: T\ndate: '{value}'\n---\nOn July 30 a bomb.\n", Path("a.md"))
    assert doc.date is None
    warning = date_warning(doc)
    if value:
        assert warning is not None and repr(value) in warning and "undated" in warning
    else:
        assert warning is None  # an empty date is simply no date


def test_a_workspace_order_reads_ambiguous_dates() -> None:
    doc = parse_article("date: 03/04/2005\n---\nText.\n", Path("a.txt"), date_order="DMY")
    assert str(doc.date) == "2005-04-03"
    assert date_warning(doc) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019-01-18T07:05:00-05:00", "2019-01-18"),  # was "a date range"
        ("2004-07-30 14:22:00Z", "2004-07-30"),
        ("Thursday, 16 October 2003", "2003-10-16"),
        ("30 июля 2004", "2004-07-30"),
    ],
)
def test_annotation_dates_accept_the_printed_forms_too(text: str, iso: str) -> None:
    assert parse_date(text).isoformat() == iso
