"""Dates written in article text ("on August 6", "the July 30 attacks", "in May", "in 2014")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.dates import PartialDate, parse_date
from kg.errors import DateError

from .lexicon import WEEKDAYS
from .scan import finditer_from
from .trie import longest_first

__all__ = ["DateMention", "find_dates"]

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WEEKDAY = "(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + ")"
_MONTHS_DAY = (
    r"(?:" + _MONTHS + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?(?=\s+\d))"
)
_DATE = re.compile(
    r"(?P<md>"
    + _MONTHS_DAY
    + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?(?:,?\s+\d{4})?)(?![\d-])"
    r"|(?P<dm>\b\d{1,2}\s+" + _MONTHS_DAY.replace(r"(?=\s+\d)", "") + r"(?:\s+\d{4})?)"
    r"|(?P<my>" + _MONTHS + r"\s+\d{4})"
    r"|\b(?:in|In|early|late|mid|since|Since|until|by|the|The|last|this|of)[\s-](?P<m>"
    + _MONTHS
    + r"\b)(?!\s+\d)"
    r"|\b(?:in|In|since|Since|of|the|The|until|by|early|late|mid|a|an|its|their)[\s-]"
    r"(?P<y>(?:19|20)\d{2})\b(?!s|[-–]\d)"
    r"|\b(?P<y2>(?:19|20)\d{2})(?=\s+(?:[A-Z][\w-]+\s+)?(?:exercises|drills|war|agreement|campaign|operation"
    r"|elections?|summit|protests?|uprising|revolution)\b)"
    r"|\b(?:on|On|last|Last)\s(?P<wd>" + _WEEKDAY + r"\b)"
    r"|(?P<wd2>" + _WEEKDAY + r")(?=\s+(?:night|evening|morning|afternoon)\b|['’]s\s)"
    r"|\b(?P<rel>(?:last|this|Last|This)\s+(?:week|month|year))\b"
    r"|\b(?:[Oo]n|[Bb]y|[Uu]ntil|[Ss]ince|[Ff]rom)\s+the\s+(?P<ord>\d{1,2}(?:st|nd|rd|th))\b"
)
_START = re.compile(
    r"\d|"
    + longest_first(
        str.split(
            """
            Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun
            In Since The On Last This By Until From
            """
        )
    )
    + r"|\b"
    + longest_first(
        str.split("in early late mid since until by the last this of a an its their on from")
    )
    + r"[\s-]\s*(?:[A-Z\d]|the|week|month|year)"
)
"""Where a date can start: a digit, a month or weekday, or a word a branch of ``_DATE`` opens
with, followed by what that branch needs next; ``_DATE`` is tried only there (scanning with
it everywhere is slow)."""
_GROUPS = ("md", "dm", "my", "m", "y", "y2", "wd", "wd2", "rel", "ord")
_BORN = re.compile(r"\bborn\s+(?:in\s+|on\s+)?$")
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[A-Z][A-Z .'/-]*,\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)\n]{1,30}\)\s*)?[-–—]\s")


@dataclass(frozen=True)
class DateMention:
    """A date in the text, resolved against the document date."""

    start: int
    end: int
    date: PartialDate
    explicit_year: bool = True
    """Whether the text gave the year (else it was resolved against the document date)."""
    weekday: bool = False
    """Named by its weekday ("on Tuesday"): the latest such day on or before the reference."""
    dateline: bool = False
    """The date of a dateline ("BISHKEK, Aug 8 (wire) -"): when the story was filed."""


def _weekday(name: str, reference: PartialDate | None) -> PartialDate | None:
    """The latest such weekday on or before a day-precision reference date."""
    if reference is None or reference.precision != "day":
        return None
    day = reference.first_day()
    back = (day.weekday() - WEEKDAYS.index(name.casefold())) % 7
    found = day - dt.timedelta(days=back)
    return PartialDate(found.year, found.month, found.day)


def _relative(phrase: str, reference: PartialDate | None) -> PartialDate | None:
    """ "last week", "last month", "this year"... against the reference date."""
    if reference is None:
        return None
    which, unit = phrase.casefold().split()
    if unit == "year":
        return PartialDate(reference.year - (which == "last"))
    if reference.month is None:
        return None
    if unit == "month":
        if which == "this":
            return PartialDate(reference.year, reference.month)
        year, month = divmod(reference.year * 12 + reference.month - 2, 12)
        return PartialDate(year, month + 1)
    if reference.day is None:
        return PartialDate(reference.year, reference.month)
    day = reference.first_day() - dt.timedelta(days=7 if which == "last" else 0)
    return PartialDate(day.year, day.month)


def find_dates(text: str, reference: PartialDate | None) -> list[DateMention]:
    """Every date expression of ``text`` that resolves against ``reference``.

    >>> text, ref = "the July 30 attacks; in May; by the 4th; last month", PartialDate(2004, 8)
    >>> for d in find_dates(text, ref):
    ...     print(text[d.start : d.end], d.date)
    July 30 2004-07-30
    May 2004-05
    4th 2004-05-04
    last month 2004-07
    """
    found: list[DateMention] = []
    for match in finditer_from(_DATE, _START, text):
        group = next(g for g in _GROUPS if match.group(g) is not None)
        value = match.group(group)
        if _BORN.search(text, max(0, match.start() - 12), match.start()):
            continue  # "a citizen born in 1979": not the date of an event
        date: PartialDate | None
        try:
            if group == "ord":
                # "by the 4th": a day of the month the text named last
                month = next((d.date for d in reversed(found) if d.date.month), reference)
                if month is None or month.month is None:
                    continue
                date = PartialDate(month.year, month.month, int(value[:-2]))
            elif group == "rel":
                date = _relative(value, reference)
                if date is None:
                    continue
            elif group in ("wd", "wd2"):
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
        if date is None:
            continue
        start, end = match.start(group), match.end(group)
        dateline = bool(
            _DATELINE_BEFORE.search(text, max(0, start - 40), start)
            and _DATELINE_AFTER.match(text, end)
        )
        found.append(
            DateMention(
                start,
                end,
                date,
                bool(re.search(r"\d{4}", value)),
                weekday=group in ("wd", "wd2"),
                dateline=dateline,
            )
        )
    return found
