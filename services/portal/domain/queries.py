"""Rules for what a reader may type into a query string or a search form, and their problems.

A problem is a text key and its values, so the page says it in the reader's language beside the
field, and what they typed stays in the field.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A control character or a lone surrogate is never meant in a query (the kernel's one check).
from innoportal.text import has_control

MAX_QUERY_CHARS = 200  # the services' APIs take search words up to this length


@dataclass(frozen=True)
class Problem:
    """Why a field cannot be used: a text key and the values it names."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    """Free text, such as search words."""

    max_chars: int = MAX_QUERY_CHARS

    def check(self, raw: str) -> tuple[Any, Problem | None]:
        value = raw.strip()
        if len(value) > self.max_chars:
            return None, Problem("input.too_long", {"max": self.max_chars, "length": len(value)})
        if has_control(value):
            return None, Problem("input.control")
        return value or None, None


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of values; `problem` says so in the reader's words."""

    options: frozenset[str]
    problem: str

    def check(self, raw: str) -> tuple[Any, Problem | None]:
        value = raw.strip()
        if not value:
            return None, None
        return (value, None) if value in self.options else (None, Problem(self.problem))


@dataclass(frozen=True)
class Whole:
    """A whole number from `low` to `high`; `problem` names the rule."""

    low: int
    high: int
    problem: str = "input.page"

    def check(self, raw: str) -> tuple[Any, Problem | None]:
        value = raw.strip()
        if not value:
            return None, None
        if not (value.isascii() and value.isdigit()) or len(value) > 9 or not (
            self.low <= int(value) <= self.high
        ):
            return None, Problem(self.problem, {"min": self.low, "max": self.high})
        return int(value), None


Rule = Text | Choice | Whole


@dataclass(frozen=True)
class Checked:
    """A query string read by its rules: usable values, what was typed, and what was wrong."""

    values: dict[str, Any]
    typed: dict[str, str]
    problems: dict[str, Problem]

    @property
    def ok(self) -> bool:
        """Whether every field could be used."""
        return not self.problems


def check_query(raw: Mapping[str, str], rules: Mapping[str, Rule]) -> Checked:
    """Each field of `rules` from `raw` (absent or blank means not given); others are ignored."""
    values: dict[str, Any] = {}
    typed: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    for name, rule in rules.items():
        text = raw.get(name)
        if text is None:
            continue
        typed[name] = text
        value, problem = rule.check(text)
        if problem is not None:
            problems[name] = problem
        elif value is not None:
            values[name] = value
    return Checked(values, typed, problems)
