"""Field checks shared by the domain: each returns the clean value or records a wrong field."""

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from innoportal.errors import FieldError

HONG_KONG = ZoneInfo("Asia/Hong_Kong")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Edge = Literal["start", "end"]
# KPI figures (baselines, targets, readings) stay within ±10^15: far beyond any real unit's
# range, and small enough that means, spans and chart scales of them never overflow a float.
MAX_MAGNITUDE = 1e15


class Checker:
    """Collects every wrong field of one request, so the client learns them all at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []  # (field, message)

    def fail(self, field: str, message: str) -> None:
        """Record one problem."""
        self.problems.append((field, message))

    def text(self, field: str, value: Any, *, max_len: int, required: bool = True) -> str | None:
        """A stripped string of at most max_len characters; None when optional and blank."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "is required and must not be blank")
            return None
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return None
        value = value.strip()
        if len(value) > max_len:
            self.fail(field, f"must be at most {max_len} characters (got {len(value)})")
            return None
        return value

    def number(self, field: str, value: Any) -> float | None:
        """A finite real number within ±MAX_MAGNITUDE (NaN and infinities are not measurements)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, "must be a number")
            return None
        try:
            number = float(value)
        except OverflowError:
            self.fail(field, "is too large")
            return None
        if not math.isfinite(number):
            self.fail(field, "must be a finite number (not NaN or infinity)")
            return None
        if abs(number) > MAX_MAGNITUDE:
            self.fail(field, f"must be between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
            return None
        return number

    def moment(self, field: str, value: Any, *, day: Edge | None = None) -> datetime | None:
        """An aware datetime (ISO 8601 strings accepted) in UTC; with `day`, a plain date too."""
        if day is not None and (is_plain_date(value) or type(value) is date):
            try:
                return day_bound(value, day)
            except ValueError as exc:
                self.fail(field, str(exc))
                return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, "must be an ISO 8601 date-time, e.g. 2026-11-21T09:30:00Z")
                return None
        if not isinstance(value, datetime):
            self.fail(field, "must be an ISO 8601 date-time with a time zone")
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail(field, "must carry a time zone (e.g. Z or +08:00)")
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            self.fail(field, "is out of range")
            return None

    def choice(self, field: str, value: Any, allowed: tuple[str, ...]) -> str | None:
        """One of the allowed strings."""
        if value not in allowed:
            self.fail(field, f"must be one of {', '.join(allowed)} (got {value!r})")
            return None
        return value

    def flag(self, field: str, value: Any) -> bool | None:
        """A real boolean."""
        if not isinstance(value, bool):
            self.fail(field, "must be true or false")
            return None
        return value

    def raise_if_any(self) -> None:
        """Raise FieldError naming every problem recorded."""
        if self.problems:
            raise FieldError(self.problems)


def is_plain_date(value: Any) -> bool:
    """Whether `value` is a text of the form YYYY-MM-DD (surrounding space ignored)."""
    return isinstance(value, str) and PLAIN_DATE.fullmatch(value.strip()) is not None


def day_bound(day: date | str, edge: Edge) -> datetime:
    """The UTC moment a Hong Kong day starts ("start": 00:00 HKT) or ends ("end": 00:00 HKT of
    the next day, as booking windows are half-open); ValueError saying why for a wrong date."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            raise ValueError("is not a real date (YYYY-MM-DD)") from None
    if not 1970 <= day.year <= 2999:
        raise ValueError("must be between the years 1970 and 2999")
    if edge == "end":
        day += timedelta(days=1)
    return datetime.combine(day, time(), HONG_KONG).astimezone(UTC)


def get(data: Any, key: str) -> Any:
    """A field of a mapping or an attribute of an object, or None."""
    if isinstance(data, dict):
        return data.get(key)
    return getattr(data, key, None)
