"""HTTP API of the notifier (port 8104): subscribe, confirm, manage, unsubscribe (RFC 8058).

The link endpoints answer an HTML page in the subscriber's language, or JSON when the Accept
header asks for it; bad input answers 4xx naming the field.
"""

import json
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from contracts import utcnow
from contracts.categories import CategoryId
from innoportal.http import FieldError
from services.notifier import pages, repository, subscribing
from services.notifier.domain import SubscriptionInvalid, TokenInvalid, validate_subscription
from services.notifier.state import NotifierState

router = APIRouter(tags=["subscriptions"])
TokenQuery = Annotated[str | None, Query(description="The signed token the link carries.")]
FIELDS = ("email", "categories", "keywords", "language", "frequency", "receive_reports")
_TRUE = ("1", "true", "on", "yes")


class SubscriptionIn(BaseModel):
    """A subscription request (also accepted as an HTML form)."""

    email: str = Field(description="Where alerts go.", examples=["chan@example.hk"])
    categories: list[CategoryId] = Field([], description="Category ids (product.md).")
    keywords: list[str] = Field([], description="Words or phrases, English or 中文.",
                                examples=[["lift", "升降機"]])
    language: Literal["en", "zh-HK"] = "en"
    frequency: Literal["instant", "daily", "weekly"] = "instant"
    receive_reports: bool = Field(False, description="Also send each published trial report.")


_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": SubscriptionIn.model_json_schema()},
    "application/x-www-form-urlencoded": {"schema": SubscriptionIn.model_json_schema()},
}}}
_ONE_CLICK = {"requestBody": {"required": False, "content": {
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object", "properties": {"List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}}}},
}}}


def _state(request: Request) -> NotifierState:
    return request.app.state.runtime.state


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


def _field_error(exc: SubscriptionInvalid) -> FieldError:
    return FieldError([(e.field, e.message) for e in exc.errors])


def _token_problem(exc: TokenInvalid) -> tuple[int, str]:
    """HTTP status and page message key of a token that cannot be used."""
    if exc.reason == "token expired":
        return 410, "expired"
    if exc.reason == "unknown subscription":
        return 404, "unknown"
    if exc.reason.startswith("subscription is"):
        return 410, "ended"
    return 400, "forged"


def _problem(request: Request, exc: TokenInvalid | None, *, html: bool) -> Response:
    """The answer to a missing or unusable token: a page, or the JSON error naming `token`."""
    status, key = (422, "missing") if exc is None else _token_problem(exc)
    message = "is required" if exc is None else exc.reason
    if html:
        return pages.error_page(pages.request_language(request), key, status)
    raise FieldError("token", message, status)


def _links(state: NotifierState, sub_id: str) -> dict[str, str]:
    assert state.composer is not None
    now = utcnow()
    return {
        "manage_url": state.composer.token_url("/v1/subscriptions/manage", "manage", "sub:" + sub_id, now),
        "unsubscribe_url": state.composer.token_url("/v1/unsubscribe", "unsubscribe", "sub:" + sub_id, now),
    }


@router.post("/v1/subscriptions", status_code=202, openapi_extra=_BODY)
async def subscribe(request: Request) -> Response:
    """Ask for alerts: a confirmation email goes out; nothing else until its link is followed."""
    data, is_form = await read_body(request)
    try:
        rules = validate_subscription(data)
    except SubscriptionInvalid as exc:
        raise _field_error(exc) from None
    state = _state(request)
    async with state.db.transaction() as s:
        sub, _ = await subscribing.request_subscription(s, rules, now=utcnow())
    if is_form and pages.wants_html(request):
        return pages.page(sub.language, "page_subscribed", {"email": sub.email}, 202)
    return JSONResponse({
        "status": "pending", "email": sub.email, "language": sub.language,
        "detail": "a confirmation email is on its way; follow its link within 48 hours",
    }, status_code=202)


@router.get("/v1/subscriptions/confirm")
async def confirm(request: Request, token: TokenQuery = None) -> Response:
    """Follow the confirmation link: the subscription starts (again: nothing changes)."""
    html = not pages.wants_json(request)
    if not token:
        return _problem(request, None, html=html)
    state = _state(request)
    try:
        async with state.db.transaction() as s:
            sub = await subscribing.confirm_by_token(s, state.secret, token, now=utcnow())
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    if not html:
        return JSONResponse({"status": sub.status, "subscription": pages.subscription_json(sub)})
    return pages.page(sub.language, "page_confirmed", {
        "email": sub.email, "rules": pages.rules_summary(sub, sub.language), **_links(state, sub.id)})


async def _managed(request: Request, token: str) -> Any:
    state = _state(request)
    async with state.db.session() as s:
        sub = await subscribing.subscription_by_token(s, state.secret, token, "manage", now=utcnow())
    if sub.status not in ("pending", "confirmed"):
        raise TokenInvalid(f"subscription is {sub.status}")
    return sub


@router.get("/v1/subscriptions/manage")
async def manage(request: Request, token: TokenQuery = None) -> Response:
    """The manage page of a subscription (its rules, a form to change them), no login."""
    html = not pages.wants_json(request)
    if not token:
        return _problem(request, None, html=html)
    try:
        sub = await _managed(request, token)
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    if not html:
        return JSONResponse(pages.subscription_json(sub))
    return pages.manage_page(sub, sub.language, action="?token=" + quote(token),
                             unsubscribe_url=_links(_state(request), sub.id)["unsubscribe_url"])


@router.post("/v1/subscriptions/manage", openapi_extra=_BODY)
async def change(request: Request, token: TokenQuery = None) -> Response:
    """Change categories, keywords, language, frequency or receive_reports (fields not sent stay)."""
    data, is_form = await read_body(request)
    html = is_form and pages.wants_html(request)
    if not token:
        return _problem(request, None, html=html)
    state = _state(request)
    try:
        sub = await _managed(request, token)
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    current = {"email": sub.email, "categories": list(sub.categories), "keywords": list(sub.keywords),
               "language": sub.language, "frequency": sub.frequency,
               "receive_reports": sub.receive_reports}
    if is_form:  # an unticked box sends nothing: absent means none
        data = {"categories": [], "receive_reports": False, "keywords": "", **data}
    try:
        rules = validate_subscription({**current, **{k: v for k, v in data.items() if k in FIELDS}})
        async with state.db.transaction() as s:
            sub = await subscribing.update_by_token(s, state.secret, token, rules, now=utcnow())
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    except SubscriptionInvalid as exc:
        if not html:
            raise _field_error(exc) from None
        return pages.manage_page(sub, sub.language, action="?token=" + quote(token),
                                 unsubscribe_url=_links(state, sub.id)["unsubscribe_url"],
                                 errors=[(e.field, e.message) for e in exc.errors], status=422)
    if not html:
        return JSONResponse(pages.subscription_json(sub))
    return pages.manage_page(sub, sub.language, action="?token=" + quote(token),
                             unsubscribe_url=_links(state, sub.id)["unsubscribe_url"],
                             notice=pages.WORDS[sub.language]["saved"])


async def _addressee(request: Request, token: str) -> tuple[str, str, str, str]:
    """(kind, address, language, status) of an unsubscribe token; raises TokenInvalid."""
    state = _state(request)
    kind, value = subscribing.token_subject(state.secret, token, "unsubscribe", now=utcnow())
    async with state.db.session() as s:
        if kind == "sub":
            sub = await repository.get_subscription(s, value)
            if sub is None:
                raise TokenInvalid("unknown subscription")
            return kind, sub.email, sub.language, sub.status
        suppressed = await repository.suppressed_among(s, [value])
        language = (await repository.languages_of(s, [value])).get(value.lower())
    status = "unsubscribed" if suppressed else "active"
    return kind, value, language or pages.request_language(request), status


@router.get("/v1/unsubscribe")
async def unsubscribe_page(request: Request, token: TokenQuery = None) -> Response:
    """The unsubscribe page: one button (a GET never unsubscribes: link scanners follow links)."""
    html = not pages.wants_json(request)
    if not token:
        return _problem(request, None, html=html)
    try:
        kind, address, language, status = await _addressee(request, token)
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    if not html:
        return JSONResponse({"email": address, "status": status,
                             "unsubscribe": "POST to this URL (body List-Unsubscribe=One-Click)"})
    what = pages.WORDS[language]["what_sub" if kind == "sub" else "what_contact"]
    ended = status in ("unsubscribed", "replaced")
    return pages.page(language, "page_unsubscribed" if ended else "page_unsubscribe", {
        "email": address, "what": what, "action": "?token=" + quote(token)})


@router.post("/v1/unsubscribe", openapi_extra=_ONE_CLICK)
async def unsubscribe(request: Request, token: TokenQuery = None) -> Response:
    """RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click): effective at once."""
    html = pages.wants_html(request)
    if not token:
        return _problem(request, None, html=html)
    state = _state(request)
    try:
        kind, _ = subscribing.token_subject(state.secret, token, "unsubscribe", now=utcnow())
        async with state.db.transaction() as s:
            address = await subscribing.unsubscribe_by_token(s, state.secret, token, now=utcnow())
    except TokenInvalid as exc:
        return _problem(request, exc, html=html)
    if html:
        language = (await _addressee(request, token))[2]
        what = pages.WORDS[language]["what_sub" if kind == "sub" else "what_contact"]
        return pages.page(language, "page_unsubscribed", {"email": address, "what": what})
    return JSONResponse({"status": "unsubscribed", "email": address})
