"""Incident dates the sentence does not give: days apart, and the narrative's clock."""

from __future__ import annotations

import datetime as dt
import re

from kg.dates import PartialDate

from .context import Context
from .merge import FoundIncident, IncidentMention

__all__ = ["days_apart", "narrative_dates"]

_SAME_DAY = re.compile(
    r"\b(?:(?:that|the)\s+same\s+(?:day|night|evening)|that\s+(?:day|night|evening|morning)"
    r"|by\s+(?:evening|nightfall)|hours\s+later)\b",
    re.I,
)
_NEXT_DAY = re.compile(
    r"\b(?:the\s+(?:next|following)\s+(?:day|morning|evening|night)|a\s+day\s+later)\b", re.I
)
_DAYS_AFTER = re.compile(
    r"\b(a|one|two|three|four|five|six|\d)\s+days?\s+(after|before)\s+(?:[\w’'-]+\s+){0,4}$", re.I
)
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def days_apart(ctx: Context, mentions: list[IncidentMention]) -> None:
    """ "on Thursday, a day after a botched raid": the raid is dated from Thursday."""
    for m in mentions:
        apart = _DAYS_AFTER.search(ctx.text, max(m.sentence[0], m.start - 60), m.start)
        if apart is None:
            continue
        anchors = [
            d.date
            for d in ctx.dates_in(m.sentence[0], apart.start())
            if not d.dateline and d.date.precision == "day"
        ]
        if not anchors:
            continue
        count = _COUNTS.get(apart.group(1).casefold()) or int(apart.group(1))
        sign = -1 if apart.group(2).casefold() == "after" else 1
        day = anchors[-1].first_day() + dt.timedelta(days=sign * count)
        m.date = PartialDate(day.year, day.month, day.day)


def narrative_dates(
    ctx: Context, incidents: list[FoundIncident], anchors: list[tuple[int, PartialDate]]
) -> None:
    """An undated incident happened when the story last said something happened.

    "On 20 June ... By evening, thousands had gathered ... 300 were detained": the date of
    the last event the text dated with a verb ("was detained on 15 June") or a leading date
    ("In July 2016, ..."), or of the dateline, at month precision unless the sentence says
    "that same day" (the day) or "the next morning" (the day after). In an article with a
    date the clock runs within a paragraph (a new one may return to the news of the day);
    in an undated one, through the whole text.
    """
    for incident in incidents:
        if incident.date is not None:
            continue
        start, end = incident.evidence[0]
        paragraph = ctx.text.rfind("\n\n", 0, start) if ctx.doc.date is not None else -1
        before = [d for at, d in anchors if paragraph < at < start]
        if not before:
            continue
        date = before[-1]
        sentence = ctx.text[start:end]
        if date.precision == "day" and _NEXT_DAY.search(sentence):
            day = date.first_day() + dt.timedelta(days=1)
            incident.date = PartialDate(day.year, day.month, day.day)
        elif date.precision == "day" and _SAME_DAY.search(sentence):
            incident.date = date
        else:
            incident.date = PartialDate(date.year, date.month)
        incident.rule += "; undated in its sentence, given the date of the story so far"
