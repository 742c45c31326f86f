"""HTTP operations every service shares: a request id on every log line, metrics by route
template, and GET /healthz, /readyz and /metrics."""

import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innoportal.logs import bind, unbind
from innoportal.metrics import ServiceMetrics
from innoportal.tracing import current_trace_id

REQUEST_ID = "x-request-id"
_GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestContext:
    """ASGI middleware: each request's id (the caller's X-Request-ID if sane, else a new one)
    and trace id are bound to every log line it causes, and the id is answered back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(REQUEST_ID.encode(), b"").decode("latin-1")
        request_id = given if _GOOD_ID.fullmatch(given) else uuid.uuid4().hex

        async def answer_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (REQUEST_ID.encode(), request_id.encode())]
            await send(message)

        tokens = bind(request_id=request_id, trace_id=current_trace_id())
        try:
            await self.app(scope, receive, answer_id)
        finally:
            unbind(tokens)


class HttpMetrics:
    """ASGI middleware: request count and latency by route template (not raw path)."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        start = time.perf_counter()

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            method = scope.get("method", "")
            # The router leaves the matched route in the scope: label by its template, so
            # /v1/wishes/{wish_id} is one series, not one per id.
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            self.metrics.http_responses.labels(method, route, f"{status // 100}xx").inc()
            self.metrics.http_latency.labels(method, route).observe(time.perf_counter() - start)


def route_templates(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route of `app`, as HttpMetrics labels them (the route
    the router leaves in the scope: an included router's own route)."""
    yield "GET", "unmatched"
    for route in _flat_routes(app.routes):
        if isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path


def _flat_routes(routes: Any) -> Iterator[Any]:
    try:  # FastAPI keeps an included router's routes behind one entry of app.routes
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: they are copied into app.routes
        yield from routes
        return
    for context in iter_route_contexts(routes):
        yield context.original_route


def health_router(
    metrics: ServiceMetrics, checks: dict[str, Callable[[], Awaitable[bool]]]
) -> APIRouter:
    """GET /healthz (the process answers), /readyz (each check passes), /metrics (Prometheus)."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": metrics.service}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        results = {name: await check() for name, check in checks.items()}
        ready = all(results.values())
        body = {"status": "ready" if ready else "not ready",
                "checks": {k: "ok" if v else "failing" for k, v in results.items()}}
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get("/metrics")
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
