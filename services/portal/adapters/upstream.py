"""The services' HTTP APIs as the portal calls them: pooled connections, timeouts, plain errors."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger("innoportal.portal.upstream")


class UpstreamError(Exception):
    """A service's answer the page cannot simply show."""

    def __init__(self, service: str, message: str = "") -> None:
        self.service = service
        super().__init__(f"{service}: {message}")


class ServiceDown(UpstreamError):
    """The service did not answer, timed out, or failed (5xx)."""


class NotFound(UpstreamError):
    """The service has no such record (404)."""


@dataclass
class Rejected(UpstreamError):
    """The service refused the request (4xx other than 404): its field errors, in its words."""

    service: str
    status: int
    errors: list[dict[str, str]] = field(default_factory=list)
    detail: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.service, f"{self.status} {self.detail}")

    def by_field(self) -> dict[str, str]:
        """The first message for each field (a field may be named `categories[2]`)."""
        out: dict[str, str] = {}
        for error in self.errors:
            name = str(error.get("field", "")).split("[")[0].split(".")[0] or "form"
            out.setdefault(name, str(error.get("message", "")))
        return out


@dataclass(frozen=True)
class Answer:
    """A service's successful answer."""

    status: int
    body: Any
    headers: Mapping[str, str]
    content: bytes


class Upstream:
    """One pooled HTTP client per service; `transports` replaces the network (tests run apps)."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout: float = 5.0,
        connect_timeout: float = 1.0,
        connections: int = 20,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.urls = dict(urls)
        self._timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self._limits = httpx.Limits(max_connections=connections,
                                    max_keepalive_connections=connections)
        self._transports = dict(transports or {})
        self._clients: dict[str, httpx.AsyncClient] = {}

    def _client(self, service: str) -> httpx.AsyncClient:
        client = self._clients.get(service)
        if client is None:
            client = httpx.AsyncClient(
                base_url=self.urls[service], timeout=self._timeout, limits=self._limits,
                transport=self._transports.get(service), follow_redirects=False,
            )
            self._clients[service] = client
        return client

    async def close(self) -> None:
        """Close every pooled connection."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def request(
        self, method: str, service: str, path: str, *, params: Mapping[str, Any] | None = None,
        json: Any = None, data: Any = None, language: str = "en", token: str | None = None,
        accept: str = "application/json",
    ) -> Answer:
        """Call `service`; its answer, or ServiceDown, NotFound or Rejected."""
        headers = {"Accept": accept, "Accept-Language": language}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        clean = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        try:
            response = await self._client(service).request(
                method, path, params=clean, json=json, data=data, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("%s did not answer %s %s: %s", service, method, path, type(exc).__name__)
            raise ServiceDown(service, type(exc).__name__) from None
        return _answer(service, method, path, response)

    async def get(self, service: str, path: str, **kwargs: Any) -> Any:
        """GET `path` of `service`: its JSON body."""
        return (await self.request("GET", service, path, **kwargs)).body

    async def post(self, service: str, path: str, **kwargs: Any) -> Any:
        """POST to `path` of `service`: its JSON body."""
        return (await self.request("POST", service, path, **kwargs)).body


def _answer(service: str, method: str, path: str, response: httpx.Response) -> Answer:
    status = response.status_code
    body: Any = None
    if "json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
        except ValueError:
            body = None
    if status >= 500:
        log.warning("%s answered %s to %s %s", service, status, method, path)
        raise ServiceDown(service, str(status))
    if status == 404:
        raise NotFound(service, _detail(body))
    if status >= 400:
        errors = body.get("errors", []) if isinstance(body, dict) else []
        raise Rejected(service, status, [e for e in errors if isinstance(e, dict)],
                       _detail(body), dict(response.headers))
    return Answer(status, body, dict(response.headers), response.content)


def _detail(body: Any) -> str:
    return str(body.get("detail", "")) if isinstance(body, dict) else ""
