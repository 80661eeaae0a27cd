"""Date windows (``since``/``until``) that select incidents and claims by their partial dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.dates import PartialDate, parse_date
from kg.errors import DateError

__all__ = ["DateLike", "DateWindow"]

DateLike = PartialDate | dt.date | str | int
"""What ``since``/``until`` accept: a PartialDate, a date, or text such as ``2004-08``."""


def _as_date(value: DateLike | None, name: str) -> PartialDate | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        raise DateError(f"--{name}: {exc.message}") from None


@dataclass(frozen=True)
class DateWindow:
    """A closed window of calendar days; either end may be open.

    A partial date overlaps the window when any day it may denote lies inside it: ``since``
    counts from its first day, ``until`` to its last day, so ``until=2004-07`` keeps July 30.
    Undated records are outside every window that has an end.

    >>> w = DateWindow.parse("2004-07", "2004-07")
    >>> w.contains(PartialDate(2004, 7, 30)), w.contains(PartialDate(2004)), w.contains(None)
    (True, True, False)
    >>> w.contains(PartialDate(2004, 8, 6)), DateWindow().contains(None)
    (False, True)
    """

    since: PartialDate | None = None
    until: PartialDate | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since.first_day() > self.until.last_day():
            raise DateError(f"--since {self.since} is after --until {self.until}")

    @classmethod
    def parse(cls, since: DateLike | None = None, until: DateLike | None = None) -> DateWindow:
        """A window from two optional dates (ISO text such as ``2004``, ``2004-08-06``)."""
        return cls(_as_date(since, "since"), _as_date(until, "until"))

    @property
    def is_open(self) -> bool:
        """True when the window has no end at all (it keeps everything, undated included)."""
        return self.since is None and self.until is None

    def contains(self, date: PartialDate | None) -> bool:
        """Whether a record dated ``date`` falls in the window (see the class docstring)."""
        if self.is_open:
            return True
        if date is None:
            return False
        if self.since is not None and date.last_day() < self.since.first_day():
            return False
        return not (self.until is not None and date.first_day() > self.until.last_day())

    def describe(self) -> str | None:
        """``2004-07..2004-08``-style text for titles and graph attributes; None when open."""
        if self.is_open:
            return None
        return f"{self.since or ''}..{self.until or ''}"
