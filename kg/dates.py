"""Partial dates (year, month or day precision) and their parsing, including relative dates."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from kg.errors import DateError, pickled_by_fields

__all__ = [
    "DateOrder",
    "PartialDate",
    "Precision",
    "date_order",
    "parse_date",
    "parse_header_date",
]

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
_RANGE = re.compile(r"\d\s*[-–]\s*\d{1,2}\b(?!-)")
_FILLER = re.compile(r"^(?:on|in|the|since|by|of)\s+", re.IGNORECASE)


@pickled_by_fields
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
    timed = _ISO_TIME.fullmatch(text)
    if timed:
        return PartialDate.from_iso(timed.group(1))
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
    try:
        return parse_header_date(text)
    except DateError as exc:
        if "ambiguous" in exc.message:
            raise
    raise DateError(f"unrecognised date {value!r} (use YYYY-MM-DD, YYYY-MM, YYYY or 'July 30')")


# --- Header and metadata dates (an article's publication date, as pages print it) -------------

DateOrder = Literal["DMY", "MDY"]

# Month names beyond English, as data: Russian (nominative, genitive, abbreviations), Uzbek
# Latin and Kazakh Latin (2021 alphabet and the plain-ASCII spellings). Each row is a month.
_MORE_MONTHS: tuple[tuple[str, ...], ...] = (
    ("январь", "января", "янв", "yanvar", "qañtar", "qantar"),
    ("февраль", "февраля", "фев", "февр", "fevral", "aqpan"),
    ("март", "марта", "мар", "mart", "nauryz"),
    ("апрель", "апреля", "апр", "aprel", "säuir", "sauir", "sawir"),
    ("май", "мая", "may", "mamyr"),
    ("июнь", "июня", "июн", "iyun", "mausym", "mawsym"),
    ("июль", "июля", "июл", "iyul", "shilde"),
    ("август", "августа", "авг", "avgust", "tamyz"),
    ("сентябрь", "сентября", "сен", "сент", "sentabr", "sentyabr", "qyrküiek", "qyrkuiek"),
    ("октябрь", "октября", "окт", "oktabr", "oktyabr", "qazan"),
    ("ноябрь", "ноября", "ноя", "нояб", "noyabr", "qarasha"),
    ("декабрь", "декабря", "дек", "dekabr", "jeltoqsan"),
)
# Words around a date that carry nothing: "2004 г.", "2004-yil", "2004 жыл", "Published:".
_NOISE = re.compile(
    r"(?<!\w)(?:г|гг|года|год|yil|yili|жыл|jyl|published|updated|posted|date)(?!\w)\.?:?",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2}|\d{4})")
_YMD = re.compile(r"(?P<y>\d{4})(?P<sep>[/.-]?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})")
_YMD_LOOSE = re.compile(r"(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?")
_ISO_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}.*")
_UNKNOWN = frozenset(["unknown", "n/a", "na", "none", "null", "undated", "no date", "-", "?"])


@functools.cache
def _parser_info() -> Any:
    """dateutil's parser info with Russian, Uzbek and Kazakh month names added (imported late:
    most commands never parse a printed date)."""
    from dateutil.parser import parserinfo

    class _ParserInfo(parserinfo):
        MONTHS = [  # noqa: RUF012 - dateutil's own class attribute
            (*english, *more) for english, more in zip(parserinfo.MONTHS, _MORE_MONTHS, strict=True)
        ]

    return _ParserInfo()


_DEFAULTS = (dt.datetime(1, 1, 1), dt.datetime(2, 2, 2))


def _numeric(text: str, order: DateOrder | None, value: str) -> PartialDate | None:
    match = _YMD.fullmatch(text) or _YMD_LOOSE.fullmatch(text)
    if match:
        day = match["d"] if "d" in match.groupdict() else None
        return PartialDate(int(match["y"]), int(match["m"]), int(day) if day else None)
    match = _NUMERIC_DATE.fullmatch(text)
    if not match:
        return None
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if len(match["y"]) == 2:
        year = _parser_info().convertyear(year)  # dateutil's rule: within 50 years of today
    if order is None and match["sep"] == "." and a <= 12 and b <= 12 and a != b:
        order = "DMY"  # dotted day.month.year is the only order any locale writes with dots
    if order is None:
        if a <= 12 and b <= 12 and a != b:
            raise DateError(
                f"ambiguous date {value!r}: day and month could be either way round; "
                'write YYYY-MM-DD or set dates.order = "DMY" (or "MDY") in kg.toml'
            )
        order = "DMY" if a > 12 or a == b else "MDY"
    day, month = (a, b) if order == "DMY" else (b, a)
    return PartialDate(year, month, day)


def date_order(value: str | None) -> DateOrder | None:
    """The ``dates.order`` setting checked: ``DMY``, ``MDY`` or unset.

    >>> date_order("dmy"), date_order(None)
    ('DMY', None)
    """
    if value is None or not value.strip():
        return None
    order = value.strip().upper()
    if order == "DMY":
        return "DMY"
    if order == "MDY":
        return "MDY"
    raise DateError(f"dates.order must be DMY or MDY, not {value!r}")


def parse_header_date(value: object, order: DateOrder | None = None) -> PartialDate:
    """Parse an article's publication date in any common printed form, keeping its precision.

    Weekday forms, two-digit years, RFC 2822, ISO with time and zone (the local date is kept),
    ``/``, ``.`` and ``-`` separators, compact ``20040730``, and month names in English,
    Russian, Uzbek and Kazakh (Latin). A numeric date whose day and month could be either
    way round is refused unless ``order`` says which comes first; a date without a year,
    and text that is no date (``unknown``), are refused: the caller leaves the article undated.

    >>> [str(parse_header_date(v)) for v in ("Fri, 30 Jul 2004 10:00:00 +0500", "9 Jul 04")]
    ['2004-07-30', '2004-07-09']
    >>> parse_header_date("30 июля 2004 г."), parse_header_date("August 2004").precision
    (PartialDate(year=2004, month=7, day=30), 'month')
    >>> str(parse_header_date("03/04/2005", "DMY"))
    '2005-04-03'
    """
    if isinstance(value, PartialDate | dt.date | int) and not isinstance(value, bool):
        return parse_date(value)
    text = " ".join(str(value).split()).strip(" ,;")
    if not text or text.casefold() in _UNKNOWN:
        raise DateError("no date given")
    iso = _ISO.fullmatch(text) or _ISO_TIME.fullmatch(text)
    if iso:
        return PartialDate.from_iso(iso.group(1) if iso.re is _ISO_TIME else text)
    found = _numeric(text, order, str(value))
    if found is not None:
        return found
    cleaned = _NOISE.sub(" ", text)
    from dateutil import parser

    try:
        first, second = (
            parser.parse(cleaned, parserinfo=_parser_info(), default=d, dayfirst=order != "MDY")
            for d in _DEFAULTS
        )
    except (ValueError, OverflowError):
        raise DateError(f"unrecognised date {value!r}") from None
    if first.year != second.year:
        raise DateError(f"date {value!r} has no year")
    if first.month != second.month:
        return PartialDate(first.year)
    if first.day != second.day:
        return PartialDate(first.year, first.month)
    return PartialDate(first.year, first.month, first.day)
