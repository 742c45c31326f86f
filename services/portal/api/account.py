"""Signing in by an emailed one-time link, registering as a provider, and signing out."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from contracts import utcnow
from services.portal.api.database import writing
from services.portal.api.forms import checked_form, csrf_token, text_fields
from services.portal.api.session import (
    COOKIE,
    clear_session_cookie,
    current_actor,
    set_session_cookie,
)
from services.portal.api.web import LanguageDep, render
from services.portal.domain.accounts import (
    PER_ADDRESS,
    PER_CLIENT,
    Limit,
    check_org,
    normalise_email,
)
from services.portal.domain.language import Language
from services.portal.service.accounts import (
    AccountsError,
    RateLimited,
    redeem_link,
    request_link,
    sign_out,
)

router = APIRouter(include_in_schema=False)
# Token pages: the token is in the URL, so no other site may see it and no cache may keep it.
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
# Only the workspace's own pages, with a plain query: never another site.
_SAFE_NEXT = re.compile(r"^/(en|zh-hk)/my(/[A-Za-z0-9/_\-.]*)?(\?[A-Za-z0-9_\-.=&%]*)?$")


def next_page(language: Language, raw: str | None) -> str:
    """Where to go after signing in: a workspace page asked for, else the workspace."""
    return raw if raw and _SAFE_NEXT.fullmatch(raw) else f"/{language.path}/my/"


def _next_or_blank(raw: str | None) -> str:
    return raw if raw and _SAFE_NEXT.fullmatch(raw) else ""


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _send_link(request: Request, language: Language, template: str, *,
                     register: bool) -> Response:
    form = await checked_form(request)
    typed = text_fields(form, ("email", "org", "next"))
    email, problem = normalise_email(typed.get("email", ""))
    problems = {"email": problem} if problem else {}
    org = None
    if register:
        org, org_problem = check_org(typed.get("org", ""))
        if org_problem:
            problems["org"] = org_problem
    if problems:
        return render(request, language, template, {"typed": typed, "problems": problems},
                      status=422)
    runtime = request.app.state.runtime
    settings = runtime.settings
    limits = (Limit(settings.sign_in_links_per_address, PER_ADDRESS.window),
              Limit(settings.sign_in_links_per_client, PER_CLIENT.window))
    try:
        async with writing(request) as uow:
            await request_link(uow, email=email, client=_client(request), language=language,
                               now=utcnow(), portal_url=runtime.common.portal_url,
                               register_org=org, next_path=_next_or_blank(typed.get("next")),
                               limits=limits)
    except RateLimited as exc:
        return render(request, language, "account/too_many.html",
                      {"minutes": -(-exc.retry_after // 60)}, status=429,
                      headers={"Retry-After": str(exc.retry_after)})
    return render(request, language, "account/sent.html",
                  {"email": email, "register": register})


@router.get("/{lang:lang}/sign-in")
async def sign_in_page(request: Request, language: LanguageDep) -> Response:
    """The sign-in form: an email address, and a link comes by email."""
    if await current_actor(request):
        return RedirectResponse(next_page(language, request.query_params.get("next")), 303)
    csrf_token(request)
    typed = {"next": request.query_params.get("next", "")}
    return render(request, language, "account/sign_in.html", {"typed": typed, "problems": {}})


@router.post("/{lang:lang}/sign-in")
async def ask_for_link(request: Request, language: LanguageDep) -> Response:
    """Email a one-time sign-in link (never saying whether the address has an account)."""
    return await _send_link(request, language, "account/sign_in.html", register=False)


@router.get("/{lang:lang}/register")
async def register_page(request: Request, language: LanguageDep) -> Response:
    """A provider registers with its organisation and email, verified by the emailed link."""
    csrf_token(request)
    return render(request, language, "account/register.html", {"typed": {}, "problems": {}})


@router.post("/{lang:lang}/register")
async def register(request: Request, language: LanguageDep) -> Response:
    """Email the registration link."""
    return await _send_link(request, language, "account/register.html", register=True)


@router.get("/{lang:lang}/sign-in/link")
async def link_page(request: Request, language: LanguageDep) -> Response:
    """The emailed link opens a page with one button: a mail scanner's visit uses nothing."""
    csrf_token(request)
    token = request.query_params.get("token", "")
    back = _next_or_blank(request.query_params.get("next"))
    return render(request, language, "account/link.html", {"token": token, "next": back},
                  headers=PRIVATE)


@router.post("/{lang:lang}/sign-in/link")
async def use_link(request: Request, language: LanguageDep) -> Response:
    """Use the link once: a session cookie, then the workspace."""
    form = await checked_form(request)
    token = text_fields(form, ("token",)).get("token", "")
    try:
        async with writing(request) as uow:
            signed = await redeem_link(uow, token, now=utcnow())
    except AccountsError as exc:
        status = 410 if exc.key in ("account.link_used", "account.link_expired") else 400
        return render(request, language, "account/link_problem.html", {"reason": exc.key},
                      status=status, headers=PRIVATE)
    response = RedirectResponse(next_page(language, text_fields(form, ("next",)).get("next")), 303)
    set_session_cookie(request, response, signed.secret)
    return response


@router.post("/{lang:lang}/sign-out")
async def sign_out_now(request: Request, language: LanguageDep) -> Response:
    """End this browser's session."""
    await checked_form(request)
    secret = request.cookies.get(COOKIE)
    if secret:
        async with writing(request) as uow:
            await sign_out(uow, secret, now=utcnow())
    response = RedirectResponse(f"/{language.path}/signed-out", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("/{lang:lang}/signed-out")
async def signed_out(request: Request, language: LanguageDep) -> Response:
    """Said after signing out."""
    return render(request, language, "account/signed_out.html")
