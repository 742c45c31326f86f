"""Run a service runtime in-process for tests, and read what reached JetStream."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import nats
from fastapi import FastAPI

from innoportal.runtime import Runtime


@asynccontextmanager
async def running(
    runtime: Runtime, app: FastAPI, *, bus: bool = True, relay: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Start the runtime (waiting for the bus when asked) and yield an HTTP client to its app."""
    await runtime.start(bus=bus, relay=relay)
    try:
        if bus:
            await asyncio.wait_for(runtime.bus_started.wait(), timeout=15)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await runtime.stop()


async def stream_messages(url: str, stream: str = "INNOPORTAL", subject: str | None = None):
    """Every message stored in `stream` (optionally only `subject`), in order."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        out = []
        for seq in range(max(1, info.state.first_seq), info.state.last_seq + 1):
            try:
                msg = await js.get_msg(stream, seq)
            except nats.js.errors.NotFoundError:
                continue
            if subject is None or msg.subject == subject:
                out.append(msg)
        return out
    finally:
        await nc.close()


async def eventually(predicate, timeout: float = 15.0, interval: float = 0.05):
    """Await `predicate()` (sync or async) until truthy; return its value or raise on timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def publish_event(url: str, event, msg_id: str | None = None) -> int:
    """Publish `event` as a service's relay does (Nats-Msg-Id = event_id); its stream sequence."""
    nc = await nats.connect(url)
    try:
        ack = await nc.jetstream().publish(
            event.SUBJECT, event.model_dump_json().encode(),
            headers={"Nats-Msg-Id": msg_id or event.event_id, "content-type": "application/json"},
        )
        return ack.seq
    finally:
        await nc.close()


async def acked_up_to(url: str, consumer: str, seq: int) -> bool:
    """Whether durable `consumer` has acked everything up to stream sequence `seq`."""
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().consumer_info("INNOPORTAL", consumer)
        return info.ack_floor.stream_seq >= seq and info.num_ack_pending == 0
    finally:
        await nc.close()
