"""HTTP plumbing every service shares: field-level errors, body limit, metrics, health and readiness."""

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innoportal.drain import DRAIN_BYTES, closing, declared_length, drain, expects_continue
from innoportal.errors import FieldError  # noqa: F401 - re-exported: services import it here
from innoportal.outage import OUTAGE_TYPES, is_outage
from innoportal.i18n import language_headers, language_of, localize, translate, validation_message

log = logging.getLogger("innoportal.http")
OUTAGE_DETAIL = "service unavailable: its database cannot be reached; try again shortly"
OUTAGE_RETRY_AFTER_SECONDS = 30


def error_body(errors: list[dict[str, str]]) -> dict[str, Any]:
    """The one error shape of every service: a readable detail and the field list."""
    return {"detail": "; ".join(f"{e['field']}: {e['message']}" for e in errors), "errors": errors}


def request_language(request: Request) -> str:
    """en or zh-HK, the language the request's Accept-Language prefers."""
    return language_of(request.headers.get("accept-language"))


def _answer(body: dict[str, Any], status: int, language: str,
            headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status, headers={**(headers or {}), **language_headers(language)})


def error_answer(errors: list[dict[str, str]], status: int, language: str,
                 extra: dict[str, Any] | None = None) -> JSONResponse:
    """The one error shape in `language`: each English message translated, field and type kept."""
    return _answer({**error_body(localize(errors, language)), **(extra or {})}, status, language)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    name = ""
    for p in parts:
        if isinstance(p, int):
            name += f"[{p}]"
        elif isinstance(p, str) and not p.startswith(("function-", "literal[")):
            name += ("." if name else "") + p
    return name or (loc[0] if loc else "body")


def _message(error: dict[str, Any]) -> str:
    msg = str(error.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


JSON_TYPES = ("application/json", "application/merge-patch+json")


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    language = request_language(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    has_body = request.method in ("POST", "PUT", "PATCH") and any(
        e.get("loc", ("",))[0] == "body" for e in exc.errors()
    )
    if has_body and content_type and content_type not in JSON_TYPES:
        errors = [{"field": "content-type", "type": "unsupported_media_type",
                   "message": f"{content_type!r} is not supported; send application/json"}]
        return error_answer(errors, 415, language)
    errors = []
    malformed = False
    for e in exc.errors():
        if e.get("type") == "json_invalid":
            malformed = True
            ctx = e.get("ctx") or {}
            message = translate(f"malformed JSON ({ctx.get('error', 'invalid')})", language)
            errors.append({"field": "body", "message": message, "type": "json_invalid"})
            continue
        field = _field_name(tuple(e.get("loc", ())))
        if e.get("type") == "missing" and field == "body":
            message = translate("a JSON body is required", language)
            errors.append({"field": "body", "message": message, "type": "missing"})
            continue
        message = validation_message(e, _message(e), language)
        errors.append({"field": field, "message": message, "type": str(e.get("type", ""))})
    return _answer(error_body(errors), 400 if malformed else 422, language)


async def _field_error(request: Request, exc: FieldError) -> JSONResponse:
    errors = [{"field": f, "message": m, "type": "value_error"} for f, m in exc.errors]
    return error_answer(errors, exc.status, request_language(request))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if detail == "There was an error parsing the body":
        detail = "body: could not be parsed as JSON"
    language = request_language(request)
    field, _, message = detail.partition(": ")
    named = bool(message)  # "field: message"; else the whole detail is the message
    if not named:
        field, message = "request", detail
    message = translate(message, language)
    detail = f"{field}: {message}" if named else message
    body = {"detail": detail, "errors": [{"field": field, "message": message, "type": "http"}]}
    return _answer(body, exc.status_code, language, getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    language = request_language(request)
    if is_outage(exc):
        # The request was fine; the service's database is away (restarting, unreachable):
        # 503 and when to come back, not a 500 (the portal shows its "try again" page).
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    type(exc).__name__)
        detail = translate(OUTAGE_DETAIL, language)
        return _answer({"detail": detail, "errors": []}, 503, language,
                       {"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)})
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _answer({"detail": translate("internal error", language), "errors": []}, 500, language)


def install_error_handlers(app: FastAPI) -> None:
    """Answer bad input with 4xx naming the field, in one shape, in the reader's language."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(FieldError, _field_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    # Answered here rather than by the catch-all (which Starlette re-raises after answering):
    # a database outage is no bug of ours, and _unexpected tells the two apart.
    for outage in (*OUTAGE_TYPES, DBAPIError):
        app.add_exception_handler(outage, _unexpected)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` answers 413, whatever Content-Length says.

    `larger` gives the paths (full-match regular expressions) that take bigger bodies their own
    limit, e.g. a batch upload. The rest of a refused body is read and discarded before the
    answer, which closes the connection: so a client still sending reads the 413, not a reset."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] | None = None,
        too_large: Callable[[Scope, int], Response] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.too_large = too_large  # the answer, when not the JSON error (the portal's is a page)
        self.larger = [(re.compile(path), limit) for path, limit in (larger or {}).items()]

    def limit_of(self, path: str) -> int:
        """The body limit of a request to `path`."""
        return next((n for rx, n in self.larger if rx.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope.get("path", "")) if self.larger else self.max_bytes
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            # A client waiting for 100 Continue sends nothing more; a body past the drain's cap
            # is not worth reading: the answer and the close come at once.
            if not expects_continue(scope) and declared <= DRAIN_BYTES:
                await drain(receive)
            await self._reject(scope, send, limit)
            return
        received = 0
        over = started = False

        async def limited_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    if message.get("more_body", False):
                        await drain(receive, received)
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the app's own answer to _TooLarge: ours below replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            pass
        if over and not started:
            await self._reject(scope, send, limit)

    async def _reject(self, scope: Scope, send: Send, limit: int) -> None:
        send = closing(send)  # what is left of the body, if anything, is never read
        if self.too_large is not None:
            await self.too_large(scope, limit)({"type": "http"}, _empty_receive, send)
            return
        accept_language = dict(scope.get("headers", [])).get(b"accept-language", b"")
        response = error_answer(
            [{"field": "body", "message": f"larger than {limit} bytes",
              "type": "too_large"}],
            413, language_of(accept_language.decode("latin-1")),
        )
        await response({"type": "http"}, _empty_receive, send)


class _TooLarge(StarletteHTTPException):
    # An HTTPException, so that FastAPI, reading the body when this is raised, passes it on
    # instead of turning it into a generic 400.
    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"body: larger than {max_bytes} bytes")


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


# Operations (request context, metrics, health) live in http_ops; kept importable from here.
from innoportal.http_ops import HttpMetrics, health_router  # noqa: E402,F401
