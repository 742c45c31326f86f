"""Every failure as a page in the reader's language: never a stack trace, never raw JSON."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from services.portal.adapters.upstream import NotFound, Rejected, ServiceDown
from services.portal.api.forms import CsrfRejected
from services.portal.api.web import render
from services.portal.domain.language import COOKIE, Language, by_path, chosen
from services.portal.domain.texts import translate

log = logging.getLogger("innoportal.portal")
RETRY_AFTER_SECONDS = "30"


def reader_language(request: Request) -> Language:
    """The language of the path, else the reader's choice, else their browser's."""
    first = request.url.path.split("/")[1] if request.url.path.count("/") >= 1 else ""
    return by_path(first) or chosen(request.cookies.get(COOKIE),
                                    request.headers.get("accept-language", ""))


def error_page(request: Request, status: int, title: str, body: str = "",
               messages: list[str] | None = None, headers: dict[str, str] | None = None) -> Response:
    """The error page: `title` and `body` are text keys; `messages` are already in the reader's words."""
    language = reader_language(request)
    return render(request, language, "error.html", {
        "title_key": title, "body_key": body, "messages": messages or [],
        "service_name": "",
    }, status=status, headers=headers)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, 404, "error.not_found.title", "error.not_found.body")


async def _service_down(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceDown)
    language = reader_language(request)
    return render(request, language, "error.html", {
        "title_key": "error.unavailable.title", "body_key": "error.unavailable.body",
        "messages": [], "service_name": translate(f"service.{exc.service}", language),
    }, status=503, headers={"Retry-After": RETRY_AFTER_SECONDS})


async def _rejected(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Rejected)
    messages = [f"{e.get('field', '')}: {e.get('message', '')}" for e in exc.errors] or [exc.detail]
    status = exc.status if 400 <= exc.status < 500 else 400
    return error_page(request, status, "error.bad_request.title", messages=messages)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return await _not_found(request, exc)
    if isinstance(exc, CsrfRejected):
        return error_page(request, 403, "error.csrf.title", "error.csrf.body")
    if 300 <= exc.status_code < 400 and exc.headers and "Location" in exc.headers:
        return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
    if exc.status_code == 403:
        return error_page(request, 403, "error.forbidden.title", "error.forbidden.body")
    return error_page(request, exc.status_code, "error.bad_request.title",
                      headers=getattr(exc, "headers", None))


async def _invalid(request: Request, exc: Exception) -> Response:
    return error_page(request, 400, "error.bad_request.title")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_page(request, 500, "error.internal.title", "error.internal.body")


def too_large_page(scope: Scope, limit: int) -> Response:
    """The page for a form or file over the body limit (the kernel's middleware answers it)."""
    return error_page(Request(scope), 413, "error.too_large.title", "error.too_large.body",
                      messages=[translate("error.too_large.limit", reader_language(Request(scope)),
                                          kib=limit // 1024)])


def install_page_errors(app: FastAPI) -> None:
    """Answer every error of the portal with a page (replacing the kernel's JSON answers)."""
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(ServiceDown, _service_down)
    app.add_exception_handler(Rejected, _rejected)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
