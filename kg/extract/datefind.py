"""Dates written in article text ("on August 6", "the July 30 attacks", "in May", "in 2014")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.dates import PartialDate, parse_date
from kg.errors import DateError

from .lexicon import WEEKDAYS

__all__ = ["DateMention", "find_dates"]

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DATE = re.compile(
    r"(?P<md>"
    + _MONTHS
    + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?)(?![\d-])"
    r"|(?P<dm>\b\d{1,2}\s+" + _MONTHS + r"(?:\s+\d{4})?)"
    r"|(?P<my>" + _MONTHS + r"\s+\d{4})"
    r"|\b(?:in|In|early|late|mid|since|Since|until|by|the|The|last|this|of)[\s-](?P<m>"
    + _MONTHS
    + r"\b)(?!\s+\d)"
    r"|\b(?:in|In|since|Since|of|the|The|until|by|early|late|mid)[\s-](?P<y>(?:19|20)\d{2})\b(?!s|[-–]\d)"
    r"|\b(?P<y2>(?:19|20)\d{2})(?=\s+(?:[A-Z][\w-]+\s+)?(?:exercises|drills|war|agreement|campaign|operation"
    r"|elections?|summit|protests?|uprising|revolution)\b)"
    r"|\bon\s(?P<wd>(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + r")\b)"
)
_GROUPS = ("md", "dm", "my", "m", "y", "y2", "wd")


@dataclass(frozen=True)
class DateMention:
    """A date in the text, resolved against the document date."""

    start: int
    end: int
    date: PartialDate
    explicit_year: bool = True
    """Whether the text gave the year (else it was resolved against the document date)."""


def _weekday(name: str, reference: PartialDate | None) -> PartialDate | None:
    """The latest such weekday on or before a day-precision reference date."""
    if reference is None or reference.precision != "day":
        return None
    day = reference.first_day()
    back = (day.weekday() - WEEKDAYS.index(name.casefold())) % 7
    found = day - dt.timedelta(days=back)
    return PartialDate(found.year, found.month, found.day)


def find_dates(text: str, reference: PartialDate | None) -> list[DateMention]:
    """Every date expression of ``text`` that resolves against ``reference``.

    >>> text, ref = "the July 30 attacks; in May; in 2003", PartialDate(2004, 8)
    >>> [(text[d.start:d.end], str(d.date)) for d in find_dates(text, ref)]
    [('July 30', '2004-07-30'), ('May', '2004-05'), ('2003', '2003')]
    """
    found = []
    for match in _DATE.finditer(text):
        group = next(g for g in _GROUPS if match.group(g) is not None)
        value = match.group(group)
        try:
            if group == "wd":
                date = _weekday(value, reference)
                if date is None:
                    continue
            elif group == "md" and re.search(r"\d\s*[-–]\s*\d", value):
                date = parse_date(
                    re.sub(r"\s*\d{1,2}(?:\s*[-–]\s*\d{1,2})", "", value, count=1), reference
                )
            else:
                date = parse_date(value.replace(".", ""), reference)
        except DateError:
            continue
        found.append(
            DateMention(
                match.start(group), match.end(group), date, bool(re.search(r"\d{4}", value))
            )
        )
    return found
