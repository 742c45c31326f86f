"""Refusing a request body so that every client reads the answer: drain it, then close."""

import asyncio

from starlette.types import Message, Receive, Scope, Send

# How much of a refused body is read and thrown away before answering. A client that sends its
# whole body before reading (urllib, http.client, and every client that asked for
# `Connection: close`) gets a reset instead of the answer when the server closes while it sends:
# so the rest is read first, up to this much (far beyond any limit a service sets) and this long.
DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 10.0

CLOSE = (b"connection", b"close")


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, or None when it has none (or a malformed one)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def expects_continue(scope: Scope) -> bool:
    """Whether the client waits for `100 Continue` before it sends the body."""
    return any(name == b"expect" and value.lower() == b"100-continue"
               for name, value in scope.get("headers", []))


async def drain(receive: Receive, already: int = 0, *, cap: int = DRAIN_BYTES,
                seconds: float = DRAIN_SECONDS) -> bool:
    """Read and discard the rest of the request body; whether it ended within `cap` and `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            while already <= cap:
                message = await receive()
                if message["type"] != "http.request":  # the client went away
                    return False
                already += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return True
    except TimeoutError:
        return False
    return False


def closing(send: Send) -> Send:
    """`send`, with `Connection: close` added to the answer: the connection ends after it."""

    async def send_closing(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [h for h in message.get("headers", []) if h[0].lower() != b"connection"]
            message = {**message, "headers": [*headers, CLOSE]}
        await send(message)

    return send_closing
