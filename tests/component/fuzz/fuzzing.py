"""Schemathesis over a service's OpenAPI, in-process: the service runs on an event loop in a
thread of its own (its SQLite connection lives there), and every generated case reaches it
through a requests adapter that hands the request to that loop, with no socket in between."""

import asyncio
import io
import json
import os
import threading
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

import hypothesis
import httpx
import requests
import requests.adapters
import urllib3
from hypothesis import HealthCheck
from hypothesis import strategies as st

T = TypeVar("T")
ROLES = ("department", "provider", "emsd", "none")
# Generated cases per operation and role (schemathesis' own examples and coverage cases come on
# top): `make chaos` raises it.
EXAMPLES = int(os.environ.get("INNOPORTAL_FUZZ_EXAMPLES", "40"))
BASE_URL = "http://fuzz.test"


def examples_settings() -> hypothesis.settings:
    """Deterministic (the same cases every run, so a failure reproduces), with no example database."""
    return hypothesis.settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
        print_blob=True, suppress_health_check=list(HealthCheck),
    )


def timeout_seconds() -> int:
    """pytest-timeout for one service and role: generous, and growing with EXAMPLES."""
    return 240 + EXAMPLES * 6


class ServiceLoop:
    """An event loop on a thread of its own, running a service for synchronous tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-loop", daemon=True)
        self.thread.start()
        self.stack = AsyncExitStack()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        """Run `coro` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def enter(self, context: AbstractAsyncContextManager[T]) -> T:
        """Enter an async context on the loop; it is left at close()."""
        return self.run(self.stack.enter_async_context(context))

    def close(self) -> None:
        """Leave every context entered, then stop the loop."""
        try:
            self.run(self.stack.aclose())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(30)
            self.loop.close()


class InProcess(requests.adapters.HTTPAdapter):
    """A requests adapter answering from the service's ASGI client on its loop."""

    def __init__(self, loop: ServiceLoop, client: httpx.AsyncClient) -> None:
        super().__init__()
        self.service_loop, self.client = loop, client

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any):
        body = request.body.encode() if isinstance(request.body, str) else request.body or b""
        answer = self.service_loop.run(self.client.request(
            request.method or "GET", request.url or "/", headers=dict(request.headers),
            content=body))
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(answer.content), headers=list(answer.headers.multi_items()),
            status=answer.status_code, reason=answer.reason_phrase, version=11,
            preload_content=False, decode_content=False, request_method=request.method)
        return self.build_response(request, raw)


@dataclass
class World:
    """A running service, the ids it knows (to put in paths, queries and bodies), and tokens."""

    loop: ServiceLoop
    client: httpx.AsyncClient
    known: dict[str, list[Any]] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)

    def session(self) -> requests.Session:
        """A requests session whose calls to BASE_URL reach the service in-process."""
        session = requests.Session()
        session.mount(BASE_URL, InProcess(self.loop, self.client))
        return session


def with_known_ids(known: dict[str, list[Any]]) -> Callable[[Any, Any], st.SearchStrategy]:
    """A schemathesis flatmap hook that puts, where hypothesis says so, an id the service knows in
    place of a generated one: a random id only ever finds nothing, a known one reaches the code
    behind the lookup. `known` is read when cases are drawn, so it may be filled later."""

    def flatmap(context: Any, values: Any) -> st.SearchStrategy:
        if not isinstance(values, dict):
            return st.just(values)
        swaps = {name: st.one_of(st.just(value), st.sampled_from(known[name]))
                 for name, value in values.items() if known.get(name)}
        if not swaps:
            return st.just(values)
        return st.fixed_dictionaries(swaps).map(lambda chosen: {**values, **chosen})

    return flatmap


def as_role(case, token: str | None) -> None:
    """The case with the role's bearer token, or with none at all."""
    headers = case.headers if case.headers is not None else {}
    for name in [n for n in headers if n.lower() == "authorization"]:
        del headers[name]
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    case.headers = headers


def check_answer(case, response) -> None:
    """No 5xx; every 4xx in the kernel's error shape {"detail", "errors": [...]}."""
    where = f"\n{case.as_curl_command(base_url=BASE_URL)}\n-> {response.status_code} " \
            f"{response.content[:600]!r}"
    if case.path == "/readyz" and response.status_code == 503:
        return  # not ready: the bus never runs here, and readiness says so
    assert response.status_code < 500, "server error" + where
    if 400 <= response.status_code < 500:
        try:
            body = json.loads(response.content)
        except ValueError:
            raise AssertionError("a 4xx that is not JSON" + where) from None
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), \
            "a 4xx without a detail" + where
        errors = body.get("errors")
        assert isinstance(errors, list) and all(
            isinstance(e, dict) and {"field", "message", "type"} <= set(e) for e in errors
        ), "a 4xx without the errors list" + where


def fuzz_case(case, world: World, role: str) -> None:
    """Send one generated case as `role` and check the answer."""
    as_role(case, world.tokens.get(role))
    with world.session() as session:
        response = case.call(base_url=BASE_URL, session=session, allow_redirects=False)
    check_answer(case, response)
