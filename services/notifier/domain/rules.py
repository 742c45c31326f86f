"""Subscription rules and their validation, with errors that name the field (the kernel's FieldError)."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email

from contracts.categories import CATEGORY_IDS
from innoportal.errors import FieldError
from innoportal.text import SPACE_CONTROLS, has_control

Language = Literal["en", "zh-HK"]
Frequency = Literal["instant", "daily", "weekly"]
LANGUAGES: tuple[str, ...] = ("en", "zh-HK")
FREQUENCIES: tuple[str, ...] = ("instant", "daily", "weekly")
# What a subscription request may say (any other field is refused).
FIELDS: tuple[str, ...] = ("email", "categories", "keywords", "language", "frequency",
                           "receive_reports")

MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 80
MAX_EMAIL_CHARS = 254

# Anything that may end up in a header (address, keywords quoted in subjects) must not carry
# line breaks: one CR or LF is enough to forge a header.
_LINE_BREAK = re.compile(r"[\r\n\u0085\u2028\u2029]")


@dataclass(frozen=True)
class SubscriptionRules:
    """What a subscriber asked for, validated and normalised."""

    email: str
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: Language = "en"
    frequency: Frequency = "instant"
    receive_reports: bool = False


def has_line_break(value: str) -> bool:
    """Whether `value` contains CR, LF or another line separator."""
    return bool(_LINE_BREAK.search(value))


def header_safe(value: str, limit: int = 200) -> str:
    """`value` made safe for a header: control characters become spaces, length capped."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def normalise_email(raw: object, field_name: str = "email") -> tuple[str | None, FieldError | None]:
    """The address in canonical ASCII form, or the error naming `field_name`."""
    if not isinstance(raw, str) or not raw.strip():
        return None, FieldError(field_name, "is required")
    if has_line_break(raw):
        return None, FieldError(field_name, "must not contain CR or LF")
    if len(raw) > MAX_EMAIL_CHARS:
        return None, FieldError(field_name, f"is longer than {MAX_EMAIL_CHARS} characters")
    try:
        # No DNS here (pure); IDN domains are kept in their ASCII (punycode) form so every MTA
        # accepts them without SMTPUTF8.
        result = validate_email(raw.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        return None, FieldError(field_name, f"is not a valid email address ({exc})")
    return result.ascii_email or result.normalized, None


def email_key(address: str) -> str:
    """The form used to compare addresses (idempotency keys, suppression)."""
    return address.strip().lower()


def _keyword_errors(raw: object) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    if raw is None:
        return (), []
    if isinstance(raw, str):
        raw = [k for k in re.split(r"[,，、;；]", raw)]
    if not isinstance(raw, (list, tuple)):
        return (), [("keywords", "must be a list of words or phrases")]
    if len(raw) > MAX_KEYWORDS:
        return (), [("keywords", f"at most {MAX_KEYWORDS} keywords")]
    out: list[str] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, kw in enumerate(raw):
        name = f"keywords[{i}]"
        if not isinstance(kw, str):
            errors.append((name, "must be text"))
            continue
        if has_line_break(kw):
            errors.append((name, "must not contain CR or LF"))
            continue
        # PostgreSQL stores neither NUL nor an unpaired surrogate as text, and neither is ever
        # meant; tabs and the like are white space, folded into spaces just below.
        if has_control(kw, allow=SPACE_CONTROLS):
            errors.append((name, "must not contain control characters or lone surrogates"))
            continue
        kw = " ".join(unicodedata.normalize("NFKC", kw).split())
        if not kw:
            continue
        if len(kw) > MAX_KEYWORD_CHARS:
            errors.append((name, f"is longer than {MAX_KEYWORD_CHARS} characters"))
            continue
        if sum(ch.isalnum() for ch in kw) < 2:
            errors.append((name, "needs at least two letters, digits or characters"))
            continue
        if kw.casefold() not in seen:
            seen.add(kw.casefold())
            out.append(kw)
    return tuple(out), errors


def validate_subscription(data: dict[str, Any]) -> SubscriptionRules:
    """Validated rules from a request body; raises FieldError naming every bad field."""
    errors: list[tuple[str, str]] = []
    email, err = normalise_email(data.get("email"))
    if err:
        errors.extend(err.errors)

    categories: list[str] = []
    raw_cats = data.get("categories") or []
    if not isinstance(raw_cats, (list, tuple)):
        errors.append(("categories", "must be a list of category ids"))
        raw_cats = []
    for i, cat in enumerate(raw_cats):
        if not isinstance(cat, str) or has_line_break(cat):
            errors.append((f"categories[{i}]", "must be a category id without CR or LF"))
        elif cat.strip().lower() not in CATEGORY_IDS:
            errors.append((f"categories[{i}]", f"unknown category {cat.strip()!r}"))
        elif cat.strip().lower() not in categories:
            categories.append(cat.strip().lower())

    keywords, kw_errors = _keyword_errors(data.get("keywords"))
    errors.extend(kw_errors)

    language = data.get("language", "en")
    if isinstance(language, str) and language.strip().lower() in ("en", "zh-hk"):
        language = "en" if language.strip().lower() == "en" else "zh-HK"
    else:
        errors.append(("language", "must be en or zh-HK"))

    frequency = data.get("frequency", "instant")
    if frequency not in FREQUENCIES:
        errors.append(("frequency", "must be instant, daily or weekly"))

    receive_reports = data.get("receive_reports", False)
    if not isinstance(receive_reports, bool):
        errors.append(("receive_reports", "must be true or false"))

    if not errors and not categories and not keywords and not receive_reports:
        errors.append(("categories", "choose at least one category or keyword, or receive_reports"))
    if errors:
        raise FieldError(errors)
    return SubscriptionRules(
        email=email or "",
        categories=tuple(sorted(categories)),
        keywords=keywords,
        language=language,
        frequency=frequency,
        receive_reports=receive_reports,
    )
