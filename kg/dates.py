"""Partial dates (year, month or day precision) and their parsing, including relative dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from kg.errors import DateError

__all__ = ["PartialDate", "Precision", "parse_date"]

Precision = Literal["year", "month", "day"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
_MONTH_DAY = re.compile(
    _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?", re.I
)
_DAY_MONTH = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?", re.I
)
_MONTH_YEAR = re.compile(_MONTH + r"(?:,?\s+(?P<year>\d{4}))?", re.I)
_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})")
_RANGE = re.compile(r"\d\s*[-–]\s*\d{1,2}\b(?!-)")
_FILLER = re.compile(r"^(?:on|in|the|since|by|of)\s+", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to year, month or day precision.

    >>> PartialDate(2004, 7, 30).isoformat(), PartialDate(2004, 8).precision
    ('2004-07-30', 'month')
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise DateError("a day needs a month")
        if not 1 <= self.year <= 9999:
            raise DateError(f"impossible year {self.year}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(f"impossible month {self.month} in {self.year}")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise DateError(
                    f"impossible date {self.year:04d}-{self.month:02d}-{self.day:02d}"
                    f" ({calendar.month_name[self.month]} has {last} days)"
                )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def first_day(self) -> dt.date:
        """The earliest calendar day this date may denote."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest calendar day this date may denote."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @classmethod
    def from_iso(cls, text: str, precision: str | None = None) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``precision`` may truncate it.

        >>> PartialDate.from_iso("2004-08-06", "month")
        PartialDate(year=2004, month=8, day=None)
        """
        match = _ISO.fullmatch(text.strip())
        if not match:
            raise DateError(f"not an ISO date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in match.group("year", "month", "day"))
        assert year is not None
        date = cls(year, month, day)
        if precision is None or precision == date.precision:
            return date
        if precision == "month" and month is not None:
            return cls(year, month)
        if precision == "year":
            return cls(year)
        raise DateError(f"precision {precision!r} does not fit date {text!r}")


def _resolve_year(month: int, day: int | None, reference: PartialDate | None, text: str) -> int:
    """The year of a month(-day) given without one: the latest not after the reference."""
    if reference is None:
        raise DateError(f"{text!r} has no year and there is no document date to resolve it against")
    year = reference.year
    if reference.month is not None and month > reference.month:
        # "December 20" in an article of January 2005 means December 2004.
        year -= 1
    return year


def parse_date(value: object, reference: PartialDate | None = None) -> PartialDate:
    """Parse a date as annotators write it, resolving month-day dates against ``reference``.

    Accepts ISO forms, ``July 30``, ``30 July 2004``, ``August 2004``, ``on August 6`` and
    unambiguous numeric dates; refuses impossible, ambiguous and ranged dates.

    >>> ref = PartialDate(2004, 8)
    >>> parse_date("July 30", ref).isoformat(), parse_date("on August 6", ref).isoformat()
    ('2004-07-30', '2004-08-06')
    >>> parse_date(2004).precision
    'year'
    """
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return PartialDate(value)
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"not a date: {value!r}")
    text = _FILLER.sub("", value.strip()).strip().rstrip(",")
    if _ISO.fullmatch(text):
        return PartialDate.from_iso(text)
    if _RANGE.search(text):
        raise DateError(f"date range {value!r}: give one date (the start, or the month)")
    for pattern in (_MONTH_DAY, _DAY_MONTH, _MONTH_YEAR):
        match = pattern.fullmatch(text)
        if match:
            groups = match.groupdict()
            month = _MONTHS[groups["month"].lower()]
            day = int(groups["day"]) if groups.get("day") else None
            if groups.get("year"):
                year = int(groups["year"])
            else:
                year = _resolve_year(month, day, reference, value)
            return PartialDate(year, month, day)
    match = _NUMERIC.fullmatch(text)
    if match:
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        if a <= 12 and b <= 12 and a != b:
            raise DateError(f"ambiguous date {value!r}: day/month order unknown; use YYYY-MM-DD")
        day, month = (a, b) if a > 12 else (b, a)
        return PartialDate(year, month, day)
    raise DateError(f"unrecognised date {value!r} (use YYYY-MM-DD, YYYY-MM, YYYY or 'July 30')")
