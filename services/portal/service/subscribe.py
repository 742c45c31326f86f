"""Alert subscriptions: what the subscribe pages ask of the notifier, and what its answers mean.

The notifier's JSON API does the work (validation, tokens, emails); the page's language goes
with every call, so its field errors come back in the reader's words.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.portal.adapters.upstream import Rejected, Upstream
from services.portal.domain.language import Language
from services.portal.domain.texts import translate

SERVICE = "notifier"
RULES = ("categories", "keywords", "language", "frequency", "receive_reports")
FIELDS = ("email", *RULES)
FREQUENCIES = ("instant", "daily", "weekly")
LANGUAGES = ("en", "zh-HK")
# The separators the notifier splits a keywords text on: English and Chinese commas, semicolons.
_KEYWORD_SEPARATORS = re.compile(r"[,，、;；]")


@dataclass
class Typed:
    """A subscription form as the reader filled it in (or as the subscription stands)."""

    email: str = ""
    categories: list[str] = field(default_factory=list)
    keywords: str = ""
    language: str = "en"
    frequency: str = "instant"
    receive_reports: bool = False

    def keyword_list(self) -> list[str]:
        """The keywords as the API takes them: one per comma, blanks left out."""
        return [k.strip() for k in _KEYWORD_SEPARATORS.split(self.keywords) if k.strip()]

    def rules(self) -> dict[str, Any]:
        """The subscription's rules as the API names them."""
        return {"categories": list(self.categories), "keywords": self.keyword_list(),
                "language": self.language, "frequency": self.frequency,
                "receive_reports": self.receive_reports}


def typed_from(values: Mapping[str, Any], language: Language) -> Typed:
    """A form's fields (one value each, `categories` a list) read into a Typed."""
    chosen = str(values.get("language") or language.tag)
    return Typed(
        email=str(values.get("email", "")), categories=list(values.get("categories", [])),
        keywords=str(values.get("keywords", "")), language=chosen,
        frequency=str(values.get("frequency") or "instant"),
        receive_reports=bool(values.get("receive_reports")),
    )


def typed_of(subscription: Mapping[str, Any]) -> Typed:
    """A subscription from the API, as its manage form shows it."""
    return Typed(
        email=subscription.get("email", ""), categories=list(subscription.get("categories", [])),
        keywords=", ".join(subscription.get("keywords", [])),
        language=subscription.get("language", "en"),
        frequency=subscription.get("frequency", "instant"),
        receive_reports=bool(subscription.get("receive_reports")),
    )


@dataclass(frozen=True)
class Problems:
    """The notifier's objections: by form field, and those that name no field of the form."""

    fields: dict[str, str]
    other: list[str]


def problems_of(exc: Rejected, typed: Typed, language: Language) -> Problems:
    """Each field error beside its field (`keywords[2]` beside keywords, naming the keyword)."""
    found: dict[str, list[str]] = {}
    other: list[str] = []
    keywords = typed.keyword_list()
    for error in exc.errors:
        name, message = str(error.get("field", "")), str(error.get("message", ""))
        base, _, rest = name.partition("[")
        if base not in FIELDS:
            other.append(f"{name}: {message}" if name else message)
            continue
        index = rest.rstrip("]")
        if base == "keywords" and index.isdigit() and int(index) < len(keywords):
            message = translate("subscribe.keyword_problem", language,
                                keyword=keywords[int(index)], message=message)
        found.setdefault(base, []).append(message)
    if not found and not other:
        other.append(exc.detail or str(exc.status))
    separator = "；" if language.tag == "zh-HK" else "; "
    return Problems({k: separator.join(v) for k, v in found.items()}, other)


async def request_alerts(upstream: Upstream, language: Language, typed: Typed) -> dict[str, Any]:
    """Ask for alerts: the notifier answers 202 and emails a confirmation link."""
    body = {"email": typed.email.strip(), **typed.rules()}
    return await upstream.post(SERVICE, "/v1/subscriptions", json=body, language=language.tag)


async def confirm(upstream: Upstream, language: Language, token: str) -> dict[str, Any]:
    """Follow a confirmation link: the subscription, and tokens for its other pages."""
    return await upstream.get(SERVICE, "/v1/subscriptions/confirm", params={"token": token},
                              language=language.tag)


async def subscription(upstream: Upstream, language: Language, token: str) -> dict[str, Any]:
    """The subscription a manage link names, with tokens for its other pages."""
    return await upstream.get(SERVICE, "/v1/subscriptions/manage", params={"token": token},
                              language=language.tag)


async def change(upstream: Upstream, language: Language, token: str,
                 typed: Typed) -> dict[str, Any]:
    """Replace a subscription's rules with the form's (an unticked box means none)."""
    return await upstream.post(SERVICE, "/v1/subscriptions/manage", params={"token": token},
                               json=typed.rules(), language=language.tag)


async def unsubscribe_preview(upstream: Upstream, language: Language, token: str) -> dict[str, Any]:
    """What an unsubscribe link would stop (asking changes nothing)."""
    return await upstream.get(SERVICE, "/v1/unsubscribe", params={"token": token},
                              language=language.tag)


async def unsubscribe(upstream: Upstream, language: Language, token: str) -> dict[str, Any]:
    """Stop what an unsubscribe link names, at once (RFC 8058 one-click, as a mail client does)."""
    return await upstream.post(SERVICE, "/v1/unsubscribe", params={"token": token},
                               data={"List-Unsubscribe": "One-Click"}, language=language.tag)
