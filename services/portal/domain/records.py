"""How a bilingual record reads in the page's language: its texts, categories, dates and amounts."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from contracts.categories import CATEGORIES
from innoportal.fields import HONG_KONG
from services.portal.domain.language import EN, ZH, Language

CATEGORY_NAMES: dict[str, tuple[str, str]] = {c.id: (c.en, c.zh) for c in CATEGORIES}


@dataclass(frozen=True)
class Shown:
    """A text a user entered, and the language it is in (it may not be the page's)."""

    text: str
    language: Language


def shown(record: Mapping[str, Any], field: str, language: Language) -> Shown | None:
    """`field` (title, description) in `language` when the record has it, else in the other."""
    mine, theirs = (f"{field}_en", f"{field}_zh") if language is EN else (f"{field}_zh", f"{field}_en")
    if record.get(mine):
        return Shown(record[mine], language)
    if record.get(theirs):
        return Shown(record[theirs], ZH if language is EN else EN)
    return None


def category_name(category_id: str, language: Language) -> str:
    """A category's label in `language` (its id when unknown)."""
    pair = CATEGORY_NAMES.get(category_id)
    return pair[language.index] if pair else category_id


def categories_in(language: Language) -> list[tuple[str, str]]:
    """Every category as (id, label), in product order."""
    return [(c.id, (c.en, c.zh)[language.index]) for c in CATEGORIES]


def as_moment(value: str | datetime | None) -> datetime | None:
    """An ISO 8601 text or datetime from an API, in Hong Kong time."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(HONG_KONG) if moment.tzinfo else moment


def format_date(value: str | date | datetime | None, language: Language) -> str:
    """A day as people write it: 1 December 2026, or 2026年12月1日."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        day = as_moment(value).date() if "T" in value else date.fromisoformat(value)
    elif isinstance(value, datetime):
        day = as_moment(value).date()
    else:
        day = value
    if language is ZH:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def format_moment(value: str | datetime | None, language: Language) -> str:
    """A moment in Hong Kong time, with the day and the minute."""
    moment = as_moment(value)
    if moment is None:
        return ""
    return f"{format_date(moment, language)} {moment:%H:%M}"


def format_number(value: float | int | None) -> str:
    """A figure with thousands separators and no needless decimals."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def window_ends(start: str | datetime | None, end: str | datetime | None,
                language: Language) -> tuple[str, str]:
    """A trial's window as people say it: whole Hong Kong days when it starts and ends at
    midnight (its end is exclusive, so the last day is the one before), else to the minute."""
    first, after = as_moment(start), as_moment(end)
    if first is None or after is None:
        return format_moment(first, language), format_moment(after, language)
    if first.timetz().replace(tzinfo=None) == after.timetz().replace(tzinfo=None) == time(0):
        return format_date(first, language), format_date(after - timedelta(days=1), language)
    return format_moment(first, language), format_moment(after, language)
