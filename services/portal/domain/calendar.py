"""A venue's bookings as a month calendar of Hong Kong days, weeks from Monday, and clashes.

Bookings are half-open windows [start, end): a booking ending at 00:00 HKT holds none of that day.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from innoportal.fields import HONG_KONG
from services.portal.domain.queries import Problem

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1970, 2999  # the trials API's range of dates
ACTIVE = ("planned", "running")  # the states that hold a venue


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month."""

    year: int
    month: int

    @property
    def first(self) -> date:
        """Its first day."""
        return date(self.year, self.month, 1)

    @property
    def text(self) -> str:
        """As the month field and the query string write it: YYYY-MM."""
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> "Month | None":
        """The month before (None before the first year the APIs take)."""
        if self.month > 1:
            return Month(self.year, self.month - 1)
        return Month(self.year - 1, 12) if self.year > FIRST_YEAR else None

    def next(self) -> "Month | None":
        """The month after (None after the last year the APIs take)."""
        if self.month < 12:
            return Month(self.year, self.month + 1)
        return Month(self.year + 1, 1) if self.year < LAST_YEAR else None

    @property
    def days(self) -> list[date]:
        """Every day of the month."""
        following = self.next()
        last = following.first if following else date(LAST_YEAR, 12, 31) + timedelta(days=1)
        return [self.first + timedelta(days=n) for n in range((last - self.first).days)]


def month_of(day: date) -> Month:
    """The month `day` falls in."""
    return Month(day.year, day.month)


@dataclass(frozen=True)
class MonthField:
    """A query-string rule (as domain.queries): a month written YYYY-MM."""

    def check(self, raw: str) -> tuple[Any, Problem | None]:
        value = raw.strip()
        if not value:
            return None, None
        found = MONTH.fullmatch(value)
        if found is None or not 1 <= int(found[2]) <= 12:
            return None, Problem("my_trials.input.month")
        if not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            return None, Problem("my_trials.input.month_range",
                                 {"first": FIRST_YEAR, "last": LAST_YEAR})
        return Month(int(found[1]), int(found[2])), None


@dataclass(frozen=True)
class Booking:
    """A trial holding a venue for [start, end), aware moments."""

    trial_id: str
    state: str
    start: datetime
    end: datetime

    @property
    def active(self) -> bool:
        """Whether it still holds the venue (planned or running)."""
        return self.state in ACTIVE

    @property
    def first_day(self) -> date:
        """The Hong Kong day it starts on."""
        return self.start.astimezone(HONG_KONG).date()

    @property
    def last_day(self) -> date:
        """The last Hong Kong day it holds (the end itself is not held)."""
        return last_day(self.start, self.end)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def last_day(start: datetime, end: datetime) -> date:
    """The last Hong Kong day a window [start, end) holds."""
    return max(start, end - timedelta(microseconds=1)).astimezone(HONG_KONG).date()


def window_days(start: Any, end: Any) -> tuple[date, date] | None:
    """The first and last Hong Kong day of a window given as ISO texts (None if unreadable)."""
    first, after = _moment(start), _moment(end)
    if first is None or after is None:
        return None
    return first.astimezone(HONG_KONG).date(), last_day(first, after)


def bookings_of(raw: Iterable[Mapping[str, Any]]) -> list[Booking]:
    """The bookings of a calendar answer, earliest first (an unreadable one is left out)."""
    out = []
    for item in raw:
        start, end = _moment(item.get("planned_start")), _moment(item.get("planned_end"))
        if start is not None and end is not None and item.get("trial_id"):
            out.append(Booking(str(item["trial_id"]), str(item.get("state", "")), start, end))
    return sorted(out, key=lambda b: (b.start, b.trial_id))


def day_window(day: date) -> tuple[datetime, datetime]:
    """A Hong Kong day as [00:00 HKT, 00:00 HKT of the next day), in UTC."""
    start = datetime.combine(day, time(), HONG_KONG)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open windows share any instant (touching ends do not)."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class Day:
    """A cell of the calendar: a day of the month (None pads a week) and its bookings."""

    day: date | None
    bookings: tuple[Booking, ...] = ()
    today: bool = False


@dataclass(frozen=True)
class MonthView:
    """A month as weeks of seven days from Monday, and its bookings earliest first."""

    month: Month
    weeks: list[list[Day]]
    bookings: list[Booking]


def month_view(month: Month, bookings: Iterable[Booking], today: date) -> MonthView:
    """The month's calendar: each day lists the bookings holding any part of it."""
    days = month.days
    month_start, _ = day_window(days[0])
    _, month_end = day_window(days[-1])
    inside = [b for b in bookings if overlaps(b.start, b.end, month_start, month_end)]
    cells = [Day(None)] * days[0].weekday()
    for day in days:
        start, end = day_window(day)
        held = tuple(b for b in inside if overlaps(b.start, b.end, start, end))
        cells.append(Day(day, held, day == today))
    cells += [Day(None)] * (-len(cells) % 7)
    weeks = [cells[n:n + 7] for n in range(0, len(cells), 7)]
    return MonthView(month, weeks, inside)


def plain_date(text: str) -> date | None:
    """A plain date YYYY-MM-DD within the APIs' years, or None."""
    value = text.strip()
    if not PLAIN_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def plan_window(start_text: str, end_text: str) -> tuple[datetime, datetime] | None:
    """A plan's plain dates as the trials API reads them: from 00:00 HKT of the first day to the
    end of the last; None when either is not a real date or the end comes before the start."""
    first, last = plain_date(start_text), plain_date(end_text)
    if first is None or last is None or last < first:
        return None
    return day_window(first)[0], day_window(last)[1]


def clashes(start: datetime, end: datetime, bookings: Iterable[Booking]) -> list[Booking]:
    """The active bookings overlapping [start, end), earliest first."""
    return [b for b in bookings if b.active and overlaps(start, end, b.start, b.end)]


def hong_kong_today(now: datetime) -> date:
    """The Hong Kong day of an aware moment."""
    return now.astimezone(HONG_KONG).date()
