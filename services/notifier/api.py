"""HTTP API of the notifier (port 8104): subscribe, confirm, manage, unsubscribe (RFC 8058).

The endpoints answer JSON; bad input answers 4xx naming the field. The pages behind the emailed
links are the portal's: a browser that reaches a link endpoint here (an old email's link, an old
form) is sent on (303) to the portal's page for the same token, in the subscription's language.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from contracts import utcnow
from contracts.categories import CategoryId
from innoportal.http import FieldError
from services.notifier import answers, repository, subscribing
from services.notifier.domain import (
    SubscriptionInvalid,
    TokenInvalid,
    issue_token,
    validate_subscription,
)
from services.notifier.state import NotifierState

router = APIRouter(tags=["subscriptions"])
TokenQuery = Annotated[str | None, Query(description="The signed token the link carries.")]


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


def _field_error(exc: SubscriptionInvalid) -> FieldError:
    return FieldError([(e.field, e.message) for e in exc.errors])


def _token_error(exc: TokenInvalid | None) -> FieldError:
    """The JSON error naming `token`: missing 422, forged 400, unknown 404, expired or ended 410."""
    if exc is None:
        return FieldError("token", "is required", 422)
    if exc.reason == "token expired" or exc.reason.startswith("subscription is"):
        return FieldError("token", exc.reason, 410)
    if exc.reason == "unknown subscription":
        return FieldError("token", exc.reason, 404)
    return FieldError("token", exc.reason, 400)


async def _to_portal(request: Request, page: str, token: str | None, purpose: str,
                     **params: Any) -> Response:
    """303 to the portal's `page` for this token, in its subscription's language if known."""
    state = _state(request)
    language = None
    if token:
        async with state.db.session() as s:
            language = await subscribing.language_of_token(s, state.secret, token, purpose,
                                                           now=utcnow())
    assert state.composer is not None
    return answers.see_other(state.composer.page_url(
        language or answers.request_language(request), page, token, **params))


def _tokens(state: NotifierState, sub_id: str) -> dict[str, str]:
    """Fresh manage and unsubscribe tokens of a subscription (its pages link to each other)."""
    now = utcnow()
    secret: Any = state.secret
    return {purpose: issue_token(secret, purpose, "sub:" + sub_id, now)
            for purpose in ("manage", "unsubscribe")}


@router.post("/v1/subscriptions", status_code=202, openapi_extra=_BODY)
async def subscribe(request: Request) -> Response:
    """Ask for alerts: a confirmation email goes out; nothing else until its link is followed."""
    data, is_form = await answers.read_body(request)
    try:
        rules = validate_subscription(data)
    except SubscriptionInvalid as exc:
        raise _field_error(exc) from None
    state = _state(request)
    async with state.db.transaction() as s:
        sub, _ = await subscribing.request_subscription(s, rules, now=utcnow())
    if is_form and answers.wants_html(request):
        assert state.composer is not None
        return answers.see_other(state.composer.page_url(sub.language, "subscribe/sent"))
    return JSONResponse({
        "status": "pending", "email": sub.email, "language": sub.language,
        "detail": "a confirmation email is on its way; follow its link within 48 hours",
    }, status_code=202)


@router.get("/v1/subscriptions/confirm")
async def confirm(request: Request, token: TokenQuery = None) -> Response:
    """Follow the confirmation link: the subscription starts (again: nothing changes)."""
    if not answers.wants_json(request):
        return await _to_portal(request, "subscribe/confirm", token, "confirm")
    if not token:
        raise _token_error(None)
    state = _state(request)
    try:
        async with state.db.transaction() as s:
            sub = await subscribing.confirm_by_token(s, state.secret, token, now=utcnow())
    except TokenInvalid as exc:
        raise _token_error(exc) from None
    return JSONResponse({"status": sub.status, "subscription": answers.subscription_json(sub),
                         "tokens": _tokens(state, sub.id)})


async def _managed(request: Request, token: str) -> Any:
    state = _state(request)
    async with state.db.session() as s:
        sub = await subscribing.subscription_by_token(s, state.secret, token, "manage", now=utcnow())
    if sub.status not in ("pending", "confirmed"):
        raise TokenInvalid(f"subscription is {sub.status}")
    return sub


@router.get("/v1/subscriptions/manage")
async def manage(request: Request, token: TokenQuery = None) -> Response:
    """A subscription's rules (no login: the signed token is the key), with its other tokens."""
    if not answers.wants_json(request):
        return await _to_portal(request, "subscribe/manage", token, "manage")
    if not token:
        raise _token_error(None)
    try:
        sub = await _managed(request, token)
    except TokenInvalid as exc:
        raise _token_error(exc) from None
    tokens = _tokens(_state(request), sub.id)
    return JSONResponse({**answers.subscription_json(sub), "tokens": tokens})


@router.post("/v1/subscriptions/manage", openapi_extra=_BODY)
async def change(request: Request, token: TokenQuery = None) -> Response:
    """Change categories, keywords, language, frequency or receive_reports (fields not sent stay)."""
    data, is_form = await answers.read_body(request)
    html = is_form and answers.wants_html(request)
    try:
        if not token:
            raise _token_error(None)
        sub = await _managed(request, token)
        current = {"email": sub.email, "categories": list(sub.categories),
                   "keywords": list(sub.keywords), "language": sub.language,
                   "frequency": sub.frequency, "receive_reports": sub.receive_reports}
        if is_form:  # an unticked box sends nothing: absent means none
            data = {"categories": [], "receive_reports": False, "keywords": "", **data}
        sent = {k: v for k, v in data.items() if k in answers.FIELDS}
        rules = validate_subscription({**current, **sent})
        state = _state(request)
        async with state.db.transaction() as s:
            sub = await subscribing.update_by_token(s, state.secret, token, rules, now=utcnow())
    except (TokenInvalid, FieldError) as exc:
        if html:  # the portal's page explains what is wrong with the link
            return await _to_portal(request, "subscribe/manage", token, "manage")
        raise exc if isinstance(exc, FieldError) else _token_error(exc) from None
    except SubscriptionInvalid as exc:
        raise _field_error(exc) from None
    if html:
        return await _to_portal(request, "subscribe/manage", token, "manage", saved=1)
    return JSONResponse(answers.subscription_json(sub))


async def _addressee(request: Request, token: str) -> tuple[str, str, Any]:
    """(kind, address, status or subscription) of an unsubscribe token; raises TokenInvalid."""
    state = _state(request)
    kind, value = subscribing.token_subject(state.secret, token, "unsubscribe", now=utcnow())
    async with state.db.session() as s:
        if kind == "sub":
            sub = await repository.get_subscription(s, value)
            if sub is None:
                raise TokenInvalid("unknown subscription")
            return kind, sub.email, sub
        suppressed = await repository.suppressed_among(s, [value])
    return kind, value, "unsubscribed" if suppressed else "active"


@router.get("/v1/unsubscribe")
async def unsubscribe_preview(request: Request, token: TokenQuery = None) -> Response:
    """What the link would stop (a GET never unsubscribes: mail scanners follow links)."""
    if not answers.wants_json(request):
        return await _to_portal(request, "unsubscribe", token, "unsubscribe")
    if not token:
        raise _token_error(None)
    try:
        kind, address, found = await _addressee(request, token)
    except TokenInvalid as exc:
        raise _token_error(exc) from None
    body: dict[str, Any] = {
        "email": address, "kind": "subscription" if kind == "sub" else "contact",
        "unsubscribe": "POST to this URL (body List-Unsubscribe=One-Click)"}
    if kind == "sub":
        body.update(status=found.status, subscription=answers.subscription_json(found))
    else:
        body["status"] = found
    return JSONResponse(body)


@router.post("/v1/unsubscribe", openapi_extra=_ONE_CLICK)
async def unsubscribe(request: Request, token: TokenQuery = None) -> Response:
    """RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click): effective at once."""
    html = answers.wants_html(request)
    state = _state(request)
    try:
        if not token:
            raise _token_error(None)
        async with state.db.transaction() as s:
            address = await subscribing.unsubscribe_by_token(s, state.secret, token, now=utcnow())
    except (TokenInvalid, FieldError) as exc:
        if html:
            return await _to_portal(request, "unsubscribe", token, "unsubscribe")
        raise exc if isinstance(exc, FieldError) else _token_error(exc) from None
    if html:  # a form of an old page: the portal's page says it is done
        return await _to_portal(request, "unsubscribe", token, "unsubscribe")
    return JSONResponse({"status": "unsubscribed", "email": address})
