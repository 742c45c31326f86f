"""Input field types shared by the bilingual forms: bounded texts, categories, email, language rule."""

import re
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, StringConstraints

from contracts.categories import CategoryId
from innoportal.text import has_control


def printable_line(value: str) -> str:
    """A one-line text: no control characters, no line breaks."""
    if has_control(value):
        raise ValueError("must not contain control characters or line breaks")
    return value


def printable_text(value: str) -> str:
    """A multi-line text: line breaks and tabs, but no other control characters."""
    # Descriptions may have line breaks and tabs; NUL and other controls are refused
    # (PostgreSQL cannot store NUL, and they are never meant).
    if has_control(value, allow="\n\r\t"):
        raise ValueError("must not contain control characters")
    return value


def _blank_is_absent(value: object) -> object:
    # A form's empty field for the other language means "not given", not "too short".
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("must not repeat a category")
    return values


# Lengths count characters: a two-character Chinese title (電梯) is a real title.
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=200),
    AfterValidator(printable_line),
]
Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=4, max_length=10_000),
    AfterValidator(printable_text),
]
Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(printable_text),
]
# Optional texts: blank counts as absent.
OptionalTitle = Annotated[Title | None, BeforeValidator(_blank_is_absent)]
OptionalDescription = Annotated[Description | None, BeforeValidator(_blank_is_absent)]
OptionalNote = Annotated[Note | None, BeforeValidator(_blank_is_absent)]
Categories = Annotated[
    list[CategoryId],
    Field(min_length=1, max_length=5, description="1 to 5 category ids from product.md"),
    AfterValidator(_unique),
]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]


def id_pattern(max_length: int = 40) -> str:
    """Record ids: 1 to max_length printable ASCII characters."""
    return rf"^[!-~]{{1,{max_length}}}$"


ID_PATTERN = id_pattern()


def is_record_id(value: str, max_length: int = 40) -> bool:
    """Whether `value` could be a stored record's id.

    Anything else names no record and must not reach the database (PostgreSQL refuses NUL).
    """
    return re.fullmatch(id_pattern(max_length), value) is not None


HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def hong_kong_today() -> date:
    """Today's date in Hong Kong, where the portal's deadlines are set."""
    return datetime.now(HONG_KONG).date()


def language_errors(
    title_en: str | None, description_en: str | None, title_zh: str | None,
    description_zh: str | None,
) -> list[tuple[str, str]]:
    """Field errors unless at least one language has both a title and a description."""
    if (title_en and description_en) or (title_zh and description_zh):
        return []
    rule = "at least one language must be complete (title_en and description_en, or title_zh and description_zh)"
    if title_en or description_en:
        missing = "description_en" if title_en else "title_en"
        return [(missing, f"required to complete the English text; {rule}")]
    if title_zh or description_zh:
        missing = "description_zh" if title_zh else "title_zh"
        return [(missing, f"required to complete the Chinese text; {rule}")]
    return [("title_en", rule), ("title_zh", rule)]
