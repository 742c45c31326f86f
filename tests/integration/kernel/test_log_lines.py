"""The log of a real `innoportal serve` process: JSON lines, each with its service (and request id
where there is one); a NATS outage is one WARNING line and no ERROR, and no traceback."""

import json
import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from innoportal.auth import issue_token
from innoportal.testing.harness import stream_messages
from innoportal.testing.nats_server import free_port
from innoportal.testing.system import CLI, until

pytestmark = [pytest.mark.nats, pytest.mark.slow]
SECRET = "log-lines-secret-0123456789-abcdefghijklmnop"
WISH = {"title_en": "Lift fault prediction", "description_en": "Predict lift faults from sensor "
        "data before passengers are trapped.", "categories": ["building-services"],
        "contact_email": "lifts@emsd.gov.hk"}


def serve(tmp_path: Path, nats_url: str, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
    env.update(INNOPORTAL_NATS_URL=nats_url, INNOPORTAL_DATA_DIR=str(tmp_path),
               INNOPORTAL_SECRET_KEY=SECRET, INNOPORTAL_OUTBOX_MAX_BACKOFF="1")
    with open(log, "wb") as out:  # not a terminal: JSON lines
        return subprocess.Popen([str(CLI), "serve", "wishes", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def lines_of(log: Path) -> list[dict]:
    """Every line of the log, each parsed as the JSON object it must be."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def post_wish(url: str) -> None:
    token = issue_token(SECRET, role="department", org="EMSD")
    answer = httpx.post(f"{url}/v1/wishes?token=not-for-the-log", json=WISH, timeout=10,
                        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-42"})
    assert answer.status_code == 201, answer.text
    assert answer.headers["x-request-id"] == "req-42"


def ready(url: str) -> bool:
    return httpx.get(f"{url}/readyz", timeout=2).status_code == 200


async def published(nats_url: str) -> int:
    return len(await stream_messages(nats_url, subject="innoportal.wish.posted"))


def test_a_nats_outage_is_one_warning_and_the_lines_are_json(tmp_path, nats_server):
    import asyncio

    port, log = free_port(), tmp_path / "wishes.log"
    url = f"http://127.0.0.1:{port}"
    proc = serve(tmp_path, nats_server.url, port, log)
    try:
        until(lambda: ready(url), 60, "the service ready")
        post_wish(url)
        nats_server.stop()
        until(lambda: not ready(url), 15, "readiness failing while NATS is away")
        post_wish(url)  # stored in the outbox meanwhile
        time.sleep(6)  # pull fetches time out, the relay retries: none of it is news
        nats_server.start()
        until(lambda: ready(url), 30, "the service ready again")
        until(lambda: asyncio.run(published(nats_server.url)) == 2, 30, "both wishes published")
    finally:
        proc.terminate()
        proc.wait(30)
    lines = lines_of(log)
    assert all(line["service"] == "wishes" and line["timestamp"] and line["level"]
               for line in lines)
    loud = [(line["level"], line["event"]) for line in lines
            if line["level"] in ("warning", "error", "critical")]
    assert loud == [("warning", "lost the connection to NATS; reconnecting (new events wait in "
                                "the outbox, readiness fails meanwhile)")], loud
    assert any(line["event"].startswith("reconnected to NATS after") for line in lines)
    assert not any("exception" in line or "Traceback" in line["event"] for line in lines)
    access = [line for line in lines if line["logger"] == "uvicorn.access"
              and line.get("path", "").startswith("/v1/wishes")]
    assert len(access) == 2 and all(line["request_id"] == "req-42" for line in access)
    assert all(line["path"] == "/v1/wishes?token=[redacted]" for line in access)
    assert "not-for-the-log" not in log.read_text() and SECRET not in log.read_text()


async def test_a_retried_message_is_one_warning_naming_its_event_consumer_and_trace(tmp_path,
                                                                                 nats_server):
    import io
    import logging

    import structlog
    from opentelemetry.sdk.trace import TracerProvider

    from contracts import WishClosed
    from innoportal.consume import ServiceRouter
    from innoportal.db import Database
    from innoportal.logs import configure_logging
    from innoportal.runtime import Runtime
    from innoportal.settings import CommonSettings, ServiceSettings
    from innoportal.testing.harness import acked_up_to, eventually, publish_event

    calls: list[str] = []

    def build_router(runtime: Runtime) -> ServiceRouter:
        router = ServiceRouter("toy")

        @router.durable("innoportal.wish.closed", "wish-closed")
        async def apply(event: WishClosed) -> None:
            calls.append(event.event_id)
            if len(calls) == 1:
                raise RuntimeError("induced failure")

        return router

    runtime = Runtime(
        settings=ServiceSettings(name="toy"), build_router=build_router, tables=[],
        common=CommonSettings(nats_url=nats_server.url, data_dir=tmp_path, retry_base_delay=0.2),
        db=Database(f"sqlite+aiosqlite:///{tmp_path}/toy.db"), tracer_provider=TracerProvider())
    root, buffer = logging.getLogger(), io.StringIO()
    saved = (list(root.handlers), root.level, logging.getLogger("httpx").level)
    configure_logging("toy", "INFO", "json", stream=buffer)
    try:
        await runtime.start()
        await eventually(runtime.bus_started.wait, timeout=15)
        event = WishClosed(wish_id="w-1", owner_org="EMSD")
        seq = await publish_event(nats_server.url, event)
        await eventually(lambda: acked_up_to(nats_server.url, "toy-wish-closed", seq), timeout=20)
    finally:
        await runtime.stop()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("httpx").setLevel(saved[2])
        structlog.reset_defaults()
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    loud = [line for line in lines if line["level"] in ("warning", "error")]
    assert [line["event"].split(" (")[0] for line in loud] == [
        "handler failed on innoportal.wish.closed"], loud
    [warning] = loud
    assert warning["event_id"] == event.event_id and warning["consumer"] == "toy-wish-closed"
    assert warning["subject"] == "innoportal.wish.closed" and warning["service"] == "toy"
    assert len(warning["trace_id"]) == 32 and warning["attempt"] == 1
