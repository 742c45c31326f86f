"""The subscription endpoints: subscribe, confirm, manage, unsubscribe (RFC 8058 one-click).

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
from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork, UnitOfWorkDep
from services.notifier.api import answers
from services.notifier.emails.links import portal_page
from services.notifier.service import subscriptions

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


def _secret(request: Request) -> str:
    return request.app.state.runtime.secret_key


def _page(request: Request, language: str, page: str, token: str | None = None,
          **params: Any) -> Response:
    """303 to the portal's `page` in `language`."""
    portal = request.app.state.runtime.common.portal_url
    return answers.see_other(portal_page(portal, language, page, token, **params))


async def _to_portal(request: Request, uow: UnitOfWork, page: str, token: str | None,
                     purpose: str, **params: Any) -> Response:
    """303 to the portal's `page` for this token, in its subscription's language if known."""
    await uow.rollback()  # whatever a refused use case read is of no use here
    language = await subscriptions.language_of_token(uow, _secret(request), token, purpose,
                                                      now=utcnow()) if token else None
    return _page(request, language or answers.request_language(request), page, token, **params)


def _is_token_error(exc: FieldError) -> bool:
    """Whether the link's token was refused (a browser's page then explains it)."""
    return exc.fields == ["token"]


@router.post("/v1/subscriptions", status_code=202, openapi_extra=_BODY)
async def subscribe(request: Request, uow: UnitOfWorkDep) -> Response:
    """Ask for alerts: a confirmation email goes out; nothing else until its link is followed."""
    data, is_form = await answers.read_body(request)
    sub, _ = await subscriptions.subscribe(uow, data, now=utcnow())
    await uow.commit()
    if is_form and answers.wants_html(request):
        return _page(request, sub.language, "subscribe/sent")
    return JSONResponse({
        "status": "pending", "email": sub.email, "language": sub.language,
        "detail": "a confirmation email is on its way; follow its link within 48 hours",
    }, status_code=202)


@router.get("/v1/subscriptions/confirm")
async def confirm(request: Request, uow: UnitOfWorkDep, token: TokenQuery = None) -> Response:
    """Follow the confirmation link: the subscription starts (again: nothing changes)."""
    if not answers.wants_json(request):
        return await _to_portal(request, uow, "subscribe/confirm", token, "confirm")
    managed = await subscriptions.confirm_subscription(uow, _secret(request), token, now=utcnow())
    await uow.commit()
    sub = managed.subscription
    return JSONResponse({"status": sub.status, "subscription": answers.subscription_json(sub),
                         "tokens": managed.tokens})


@router.get("/v1/subscriptions/manage")
async def manage(request: Request, uow: UnitOfWorkDep, token: TokenQuery = None) -> Response:
    """A subscription's rules (no login: the signed token is the key), with its other tokens."""
    if not answers.wants_json(request):
        return await _to_portal(request, uow, "subscribe/manage", token, "manage")
    managed = await subscriptions.show_subscription(uow, _secret(request), token, now=utcnow())
    return JSONResponse({**answers.subscription_json(managed.subscription),
                         "tokens": managed.tokens})


@router.post("/v1/subscriptions/manage", openapi_extra=_BODY)
async def change(request: Request, uow: UnitOfWorkDep, token: TokenQuery = None) -> Response:
    """Change categories, keywords, language, frequency or receive_reports (fields not sent stay)."""
    data, is_form = await answers.read_body(request)
    html = is_form and answers.wants_html(request)
    try:
        sub = await subscriptions.change_subscription(uow, _secret(request), token, data,
                                                      is_form=is_form, now=utcnow())
    except FieldError as exc:
        if html and _is_token_error(exc):  # the portal's page explains what is wrong with the link
            return await _to_portal(request, uow, "subscribe/manage", token, "manage")
        raise
    await uow.commit()
    if html:
        return await _to_portal(request, uow, "subscribe/manage", token, "manage", saved=1)
    return JSONResponse(answers.subscription_json(sub))


@router.get("/v1/unsubscribe")
async def unsubscribe_preview(request: Request, uow: UnitOfWorkDep,
                              token: TokenQuery = None) -> Response:
    """What the link would stop (a GET never unsubscribes: mail scanners follow links)."""
    if not answers.wants_json(request):
        return await _to_portal(request, uow, "unsubscribe", token, "unsubscribe")
    found = await subscriptions.preview_unsubscribe(uow, _secret(request), token, now=utcnow())
    body: dict[str, Any] = {
        "email": found.email, "kind": "subscription" if found.kind == "sub" else "contact",
        "unsubscribe": "POST to this URL (body List-Unsubscribe=One-Click)", "status": found.status}
    if found.subscription is not None:
        body["subscription"] = answers.subscription_json(found.subscription)
    return JSONResponse(body)


@router.post("/v1/unsubscribe", openapi_extra=_ONE_CLICK)
async def unsubscribe(request: Request, uow: UnitOfWorkDep, token: TokenQuery = None) -> Response:
    """RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click): effective at once."""
    html = answers.wants_html(request)
    try:
        address = await subscriptions.unsubscribe(uow, _secret(request), token, now=utcnow())
    except FieldError:
        if html:
            return await _to_portal(request, uow, "unsubscribe", token, "unsubscribe")
        raise
    await uow.commit()
    if html:  # a form of an old page: the portal's page says it is done
        return await _to_portal(request, uow, "unsubscribe", token, "unsubscribe")
    return JSONResponse({"status": "unsubscribed", "email": address})
