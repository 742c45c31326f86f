"""The alert pages: /{lang}/subscribe (and sent, confirm, manage), /{lang}/unsubscribe, and the
RFC 8058 one-click POST /unsubscribe that mail clients send.

The notifier's signed token is the key of every page but the form: it stays out of referrers and
caches, and a GET never changes anything except by following a confirmation link.
"""

import base64
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.adapters.upstream import NotFound, Rejected, ServiceDown
from services.portal.api.errors import RETRY_AFTER_SECONDS, reader_language
from services.portal.api.forms import checked_form, csrf_token, fields_of, is_https
from services.portal.api.web import LanguageDep, UpstreamDep, render
from services.portal.domain.language import Language
from services.portal.domain.records import categories_in
from services.portal.domain.texts import translate
from services.portal.service import subscribe as alerts

router = APIRouter(include_in_schema=False)
# The token is in the URL: no referrer may carry it elsewhere, no cache may keep the page.
TOKEN_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
SENT_COOKIE = "subscribed"  # the address just subscribed, for the "check your email" page
MAX_TOKEN_CHARS = 2000
SINGLES = ("email", "keywords", "language", "frequency", "receive_reports")


def _token(request: Request) -> str:
    """The token of the link ("" when there is none, or nothing a token could be)."""
    token = request.query_params.get("token", "").strip()
    return token if len(token) <= MAX_TOKEN_CHARS else ""


def _token_page(request: Request, language: Language, template: str, context: dict[str, Any],
                status: int = 200) -> Response:
    context = {"token": _token(request), **context}
    return render(request, language, template, context, status=status, headers=TOKEN_HEADERS)


def link_problem(request: Request, language: Language, status: int, message: str = "") -> Response:
    """Why a link cannot be used (400 forged or incomplete, 404 unknown, 410 expired or ended)."""
    kind = status if status in (404, 410) else 400
    return _token_page(request, language, "subscribe/link_problem.html",
                       {"kind": kind, "message": message}, status)


def notifier_down(request: Request, language: Language) -> Response:
    """The alerts service did not answer: nothing changed, try again."""
    return render(request, language, "error.html", {
        "title_key": "error.unavailable.title", "body_key": "error.unavailable.body",
        "messages": [], "service_name": translate("service.notifier", language),
    }, status=503, headers={**TOKEN_HEADERS, "Retry-After": RETRY_AFTER_SECONDS})


async def guarded(request: Request, language: Language,
                  page: Callable[[str], Awaitable[Response]]) -> Response:
    """A token page: its link's problems and a notifier that is down answered as pages."""
    token = _token(request)
    if not token:
        return link_problem(request, language, 400)
    try:
        return await page(token)
    except NotFound:
        return link_problem(request, language, 404)
    except Rejected as exc:
        if "token" not in {e.get("field") for e in exc.errors}:
            raise
        message = next(e.get("message", "") for e in exc.errors if e.get("field") == "token")
        return link_problem(request, language, exc.status, message)
    except ServiceDown:
        return notifier_down(request, language)


def form_context(language: Language, typed: alerts.Typed, problems: alerts.Problems | None = None,
                 **more: Any) -> dict[str, Any]:
    """What the subscribe and manage forms show."""
    problems = problems or alerts.Problems({}, [])
    return {"typed": typed, "problems": problems.fields, "form_messages": problems.other,
            "category_options": categories_in(language), **more}


async def read_typed(request: Request, language: Language) -> alerts.Typed:
    """The POSTed form, once its CSRF token is proven, as typed."""
    form = await checked_form(request)
    return alerts.typed_from(fields_of(form, SINGLES, ("categories",)), language)


@router.get("/{lang:lang}/subscribe")
async def subscribe_form(request: Request, language: LanguageDep) -> Response:
    """The alert subscription form, in the reader's language (emails too, unless changed)."""
    csrf_token(request)
    return render(request, language, "subscribe/form.html",
                  form_context(language, alerts.Typed(language=language.tag)))


@router.post("/{lang:lang}/subscribe")
async def subscribe(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """Ask for alerts; the notifier's objections go beside their fields, what was typed kept."""
    typed = await read_typed(request, language)
    try:
        answer = await alerts.request_alerts(upstream, language, typed)
    except Rejected as exc:
        context = form_context(language, typed, alerts.problems_of(exc, typed, language))
        return render(request, language, "subscribe/form.html", context, status=exc.status)
    except ServiceDown:
        context = form_context(language, typed, notices=[translate("subscribe.down", language)])
        return render(request, language, "subscribe/form.html", context, status=503,
                      headers={"Retry-After": RETRY_AFTER_SECONDS})
    response = RedirectResponse(f"/{language.path}/subscribe/sent", status_code=303)
    email = str((answer or {}).get("email") or typed.email.strip())
    response.set_cookie(SENT_COOKIE, base64.urlsafe_b64encode(email.encode()).decode().rstrip("="),
                        max_age=600, path="/", httponly=True, samesite="lax",
                        secure=is_https(request))
    return response


@router.get("/{lang:lang}/subscribe/sent")
async def sent(request: Request, language: LanguageDep) -> Response:
    """Check your email: the confirmation link is on its way."""
    kept = request.cookies.get(SENT_COOKIE, "")[:400]
    try:
        email = base64.urlsafe_b64decode(kept + "=" * (-len(kept) % 4)).decode()
    except ValueError:
        email = ""
    return render(request, language, "subscribe/sent.html", {"email": email[:254]},
                  headers={"Cache-Control": "no-store"})


@router.get("/{lang:lang}/subscribe/confirm")
async def confirmed(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """The confirmation link: the alerts start, and the page says which."""
    async def page(token: str) -> Response:
        answer = await alerts.confirm(upstream, language, token)
        return _token_page(request, language, "subscribe/confirmed.html", {
            "subscription": answer["subscription"], "tokens": answer.get("tokens", {})})
    return await guarded(request, language, page)


def manage_page(request: Request, language: Language, found: dict[str, Any], typed: alerts.Typed,
                problems: alerts.Problems | None = None, status: int = 200) -> Response:
    """The manage form of a subscription, filled with `typed`."""
    csrf_token(request)
    context = form_context(language, typed, problems, subscription=found,
                           tokens=found.get("tokens", {}),
                           saved=request.query_params.get("saved") == "1" and not problems)
    return _token_page(request, language, "subscribe/manage.html", context, status)


@router.get("/{lang:lang}/subscribe/manage")
async def manage(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """A subscription's rules in a form, to change them (the signed link is the key)."""
    async def page(token: str) -> Response:
        found = await alerts.subscription(upstream, language, token)
        return manage_page(request, language, found, alerts.typed_of(found))
    return await guarded(request, language, page)


@router.post("/{lang:lang}/subscribe/manage")
async def save(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """Save the manage form: back to the page with a notice, or the errors beside the fields."""
    typed = await read_typed(request, language)

    async def page(token: str) -> Response:
        found = await alerts.subscription(upstream, language, token)
        typed.email = found.get("email", "")
        try:
            await alerts.change(upstream, language, token, typed)
        except Rejected as exc:
            if "token" in {e.get("field") for e in exc.errors}:
                raise
            problems = alerts.problems_of(exc, typed, language)
            return manage_page(request, language, found, typed, problems, exc.status)
        query = urlencode({"token": token, "saved": 1})
        return RedirectResponse(f"/{language.path}/subscribe/manage?{query}", status_code=303,
                                headers=TOKEN_HEADERS)
    return await guarded(request, language, page)


@router.get("/{lang:lang}/unsubscribe")
async def unsubscribe_page(request: Request, language: LanguageDep,
                           upstream: UpstreamDep) -> Response:
    """What the link would stop, and one button (a GET never unsubscribes: scanners follow it)."""
    async def page(token: str) -> Response:
        found = await alerts.unsubscribe_preview(upstream, language, token)
        if found.get("status") == "unsubscribed":
            return _token_page(request, language, "subscribe/unsubscribed.html", {"found": found})
        csrf_token(request)
        return _token_page(request, language, "subscribe/unsubscribe.html", {"found": found})
    return await guarded(request, language, page)


async def stop(request: Request, language: Language, upstream: UpstreamDep) -> Response:
    """Unsubscribe at once, and say what stopped."""
    async def page(token: str) -> Response:
        found = await alerts.unsubscribe_preview(upstream, language, token)
        done = await alerts.unsubscribe(upstream, language, token)
        return _token_page(request, language, "subscribe/unsubscribed.html",
                           {"found": {**found, **done}})
    return await guarded(request, language, page)


@router.post("/{lang:lang}/unsubscribe")
async def unsubscribe(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """The button: unsubscribed at once."""
    await checked_form(request)
    return await stop(request, language, upstream)


@router.post("/unsubscribe")
async def one_click(request: Request, upstream: UpstreamDep) -> Response:
    """RFC 8058 one-click from a mail client: the signed token is the key (no cookie, no CSRF)."""
    language = reader_language(request)
    form = await request.form()
    if form.get("List-Unsubscribe") != "One-Click":
        return link_problem(request, language, 400)
    return await stop(request, language, upstream)
