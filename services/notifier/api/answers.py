"""The HTTP edge of the notifier: reading a body, and answering JSON or sending a browser on.

The pages behind the links (confirm, manage, unsubscribe) are the portal's; a browser that
reaches one of our link endpoints (an old email, a bookmarked form) is redirected there, in the
subscription's language, with the same token.
"""

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import RedirectResponse

from innoportal.errors import FieldError
from innoportal.i18n import language_of, preferences
from services.notifier.domain import FIELDS

# The token is in the URL: no referrer may carry it elsewhere, no cache may keep the answer.
TOKEN_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
_TRUE = ("1", "true", "on", "yes")


def _q(accept: str, media: str) -> float:
    """The quality the Accept header gives `media` (exact type or type/*; */* counts as 0)."""
    wanted = (media, media.split("/")[0] + "/*")
    return max((q for item, q, _ in preferences(accept) if item in wanted), default=0.0)


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON rather than a page."""
    accept = request.headers.get("accept", "")
    return _q(accept, "application/json") > _q(accept, "text/html")


def wants_html(request: Request) -> bool:
    """Whether the client asked for a page rather than JSON (a browser does)."""
    accept = request.headers.get("accept", "")
    return _q(accept, "text/html") > _q(accept, "application/json")


def request_language(request: Request) -> str:
    """en or zh-HK from Accept-Language, as every service reads it."""
    return language_of(request.headers.get("accept-language", ""))


def see_other(url: str) -> RedirectResponse:
    """303 to a portal page that carries a token."""
    return RedirectResponse(url, status_code=303, headers=TOKEN_HEADERS)


def subscription_json(sub: Any) -> dict[str, Any]:
    """A subscription as the JSON answers show it."""
    return {
        "email": sub.email, "status": sub.status, "language": sub.language,
        "frequency": sub.frequency, "categories": list(sub.categories),
        "keywords": list(sub.keywords), "receive_reports": sub.receive_reports,
        "confirmed_at": sub.confirmed_at.isoformat().replace("+00:00", "Z") if sub.confirmed_at else None,
    }


async def read_body(request: Request) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether they came from an HTML form; FieldError if unreadable."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if ctype == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise FieldError("body", "must be UTF-8", 400) from None
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key == "categories":
                data.setdefault("categories", []).append(value)
            elif key == "receive_reports":
                data[key] = value.strip().lower() in _TRUE
            else:
                data[key] = value
        return data, True
    if ctype and ctype != "application/json" and not ctype.endswith("+json"):
        raise FieldError("content-type", f"{ctype!r} is not supported; send application/json", 415)
    if not raw.strip():
        raise FieldError("body", "a JSON body is required")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FieldError("body", f"malformed JSON ({exc})", 400) from None
    except RecursionError:  # a few thousand nested brackets fit in the body limit
        raise FieldError("body", "malformed JSON (nested too deeply)", 400) from None
    if not isinstance(data, dict):
        raise FieldError("body", "must be a JSON object")
    unknown = sorted(k for k in data if k not in FIELDS)
    if unknown:
        # A name may hold a lone surrogate (JSON allows "\ud800"), which no answer can encode.
        raise FieldError([(k.encode("utf-8", "backslashreplace").decode(), "is not a known field")
                          for k in unknown])
    return data, False
