"""The portal's HTTP plumbing: the reader's language, rendering a page, and its headers."""

from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, pass_context
from markupsafe import Markup, escape
from starlette.convertors import Convertor, register_url_convertor

from innoportal.templating import html_environment
from services.portal.adapters.upstream import Upstream
from services.portal.api.forms import csrf_token, set_csrf_cookie
from services.portal.domain import records
from services.portal.domain.language import COOKIE, Language, by_path, other
from services.portal.domain.queries import Problem
from services.portal.domain.texts import translate

# Pages are public and change as records arrive; links carry tokens only on token pages.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
NAV = (("nav.home", ""), ("nav.wishes", "wishes"), ("nav.solutions", "solutions"),
       ("nav.survey", "survey"), ("nav.reports", "reports"), ("nav.subscribe", "subscribe"),
       ("nav.open_data", "open-data"))
YEAR = 31_536_000


class LanguageConvertor(Convertor):
    """`{lang:lang}` in a route matches only the portal's language prefixes."""

    regex = "en|zh-hk"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("lang", LanguageConvertor())


def language_of(lang: str) -> Language:
    """The language named by the path's first segment; 404 for anything else."""
    language = by_path(lang)
    if language is None:
        raise HTTPException(404, "lang: not a language of the portal")
    return language


LanguageDep = Annotated[Language, Depends(language_of)]


def upstream_of(request: Request) -> Upstream:
    """The services' APIs, as wired at bootstrap."""
    return request.app.state.runtime.upstream


UpstreamDep = Annotated[Upstream, Depends(upstream_of)]


def query_of(request: Request) -> dict[str, str]:
    """The query string, one value per name (the first)."""
    out: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, value)
    return out


def switch_url(request: Request, language: Language) -> str:
    """This page in the other language: the same path and query, the other prefix."""
    rest = request.url.path.split("/", 2)[2] if request.url.path.count("/") >= 2 else ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{other(language).path}/{rest}{query}"


def page_url(path: str, params: Mapping[str, Any]) -> str:
    """`path` with the non-empty `params` as its query string."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


@pass_context
def _t(context: Any, key: str, /, **values: Any) -> str:
    return translate(key, context["language"], **values)


@pass_context
def _text(context: Any, record: Mapping[str, Any], field: str) -> Markup:
    """A user's text in the page's language, marked with its own language when it differs."""
    found = records.shown(record, field, context["language"])
    if found is None:
        return Markup("")
    if found.language is context["language"]:
        return escape(found.text)
    return Markup('<span lang="{}">{}</span>').format(found.language.tag, found.text)


@pass_context
def _problem(context: Any, problem: Problem | str | None) -> str:
    """A problem in the reader's words (a service's message is already in them)."""
    if problem is None:
        return ""
    if isinstance(problem, str):
        return problem
    return translate(problem.key, context["language"], **problem.values)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' Jinja2 environment: autoescaped, compiled once, strict about missing values."""
    env = html_environment("services.portal")
    env.globals.update(t=_t, text=_text, problem=_problem, page_url=page_url)

    @pass_context
    def on_date(context: Any, value: Any) -> str:
        return records.format_date(value, context["language"])

    @pass_context
    def on_moment(context: Any, value: Any) -> str:
        return records.format_moment(value, context["language"])

    @pass_context
    def on_category(context: Any, value: str) -> str:
        return records.category_name(value, context["language"])

    @pass_context
    def window(context: Any, start: Any, end: Any) -> str:
        first, last = records.window_ends(start, end, context["language"])
        return translate("format.window", context["language"], start=first, end=last)

    env.globals["window"] = window
    env.filters.update(date=on_date, moment=on_moment, category=on_category,
                       number=records.format_number)
    return env


def render(
    request: Request, language: Language, template: str, context: Mapping[str, Any] | None = None,
    *, status: int = 200, headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page in `language`, with the layout's values, the security headers and the language kept."""
    actor = getattr(request.state, "actor", None)
    if actor is not None and not getattr(request.state, "csrf_token", ""):
        csrf_token(request)  # the header's sign-out form needs one on every page
    values = {
        "language": language, "other": other(language), "switch_url": switch_url(request, language),
        "nav": NAV, "current": request.url.path, "notices": [], "actor": actor,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        **(context or {}),
    }
    body = environment().get_template(template).render(values)
    response = HTMLResponse(body, status_code=status, headers={**HEADERS, **(headers or {})})
    remember_language(request, response, language)
    set_csrf_cookie(request, response)
    return response


def remember_language(request: Request, response: Response, language: Language) -> None:
    """Keep the reader's language for their next visit to `/` (only when it changed)."""
    if request.cookies.get(COOKIE) != language.path:
        response.set_cookie(COOKIE, language.path, max_age=YEAR, path="/", samesite="lax",
                            httponly=True)
