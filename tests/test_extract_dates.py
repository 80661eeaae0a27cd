"""Incident dates: relative days, datelines, and the narrative's clock, on sentences written here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.dates import PartialDate
from kg.documents import parse_article
from kg.extract.datefind import find_dates
from kg.extract.draft import render_draft
from kg.extract.pipeline import Extractor, load_extractor
from kg.schema import load_schema
from kg.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return load_extractor(load_schema(ROOT / "schema"), ROOT / "seeds")


def dated(extractor: Extractor, text: str, date: str) -> dict[str, str | None]:
    doc = parse_article(f"---\ntitle: Test\ndate: {date}\n---\n{text}", Path("dates.md"))
    draft: dict[str, Any] = load_yaml_text(render_draft(extractor.extract(doc)), "draft")
    return {i["kind"]: i.get("date") for i in draft["incidents"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("talks began late last month", "2015-05"),
        ("the strike of last week", "2015-06"),
        ("a decision of last year", "2014"),
        ("a 1998 border treaty", "1998"),
        ("on Friday night", "2015-06-05"),
        ("Saturday evening's march", "2015-06-06"),
        ("SOUTHPORT, Jun 2 (agency) - A", "2015-06-02"),
    ],
)
def test_relative_and_abbreviated_dates(text: str, expected: str) -> None:
    found = find_dates(text, PartialDate(2015, 6, 9))  # a Tuesday
    assert [str(d.date) for d in found] == [expected]


def test_a_birth_year_is_not_an_event_date() -> None:
    assert find_dates("a trader born in 1971 was fined", PartialDate(2015, 6)) == []


def test_the_dateline_date_marks_the_filing_not_the_event(extractor: Extractor) -> None:
    text = (
        "LOWMOOR, 9 June - Smugglers exchanged fire with customs officers near the river "
        "crossing on Sunday night, officials said."
    )
    assert dated(extractor, text, "2015-06-09")["clash"] == "2015-06-07"


def test_a_weekday_in_a_plan_lies_ahead(extractor: Extractor) -> None:
    text = "Talks with the strikers will be held in the port on Thursday, the ministry said."
    assert dated(extractor, text, "2015-06-09")["meeting"] == "2015-06-11"


def test_a_day_after_counts_back_from_the_sentence_date(extractor: Extractor) -> None:
    text = "The rebels agreed to disarm on Monday, a day after troops launched an offensive."
    assert dated(extractor, text, "2015-06-09")["military_campaign"] == "2015-06-07"


def test_an_undated_event_takes_the_date_the_story_last_gave(extractor: Extractor) -> None:
    text = (
        "On 3 March 2011 miners marched through the centre of Eastvale. "
        "By evening the police had detained forty of them. "
        "The regional governor resigned the next morning."
    )
    found = dated(extractor, text, "2015-06-09")
    assert found["protest"] == "2011-03-03"
    assert found["detention"] == "2011-03-03"
    assert found["other"] == "2011-03-04"


def test_a_new_paragraph_of_a_dated_article_returns_to_its_month(extractor: Extractor) -> None:
    text = (
        "In May 2011 gunmen ambushed a convoy near Eastvale.\n\n"
        "Police detained forty miners in Westvale."
    )
    assert dated(extractor, text, "2015-06-09")["detention"] == "2015-06"


def test_without_any_date_an_event_keeps_the_article_month(extractor: Extractor) -> None:
    text = "Police detained forty miners in Eastvale."
    assert dated(extractor, text, "2015-06-09")["detention"] == "2015-06"


def test_an_ordinal_day_belongs_to_the_month_named_last() -> None:
    text = "It began on 3 March. By the 6th the strike had spread."
    found = find_dates(text, PartialDate(2015, 6, 9))
    assert [str(d.date) for d in found] == ["2015-03-03", "2015-03-06"]


def test_a_relative_clause_does_not_set_the_story_clock(extractor: Extractor) -> None:
    text = (
        "On 3 March 2011 miners marched in Eastvale. "
        "The council, which voted in 2004 to close the pits, stayed silent. "
        "Police detained forty miners."
    )
    assert dated(extractor, text, "2015-06-09")["detention"] == "2011-03"
