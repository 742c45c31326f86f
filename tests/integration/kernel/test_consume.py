"""Durable consumers on a real nats-server: delayed redelivery, parking with a reason, no double effect."""

import asyncio
import json
import time
import uuid

import nats
import pytest
from pydantic import BaseModel
from sqlmodel import Field, SQLModel, func, select

from contracts import WishClosed
from innoportal.consume import ServiceRouter
from innoportal.db import Database
from innoportal.idempotency import claim_event
from innoportal.runtime import Runtime
from innoportal.settings import CommonSettings, ServiceSettings
from innoportal.testing.harness import eventually, stream_messages

pytestmark = pytest.mark.nats


class Effect(SQLModel, table=True):
    """One applied effect of the toy consumer."""

    __tablename__ = "toy_effects"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str


class Behaviour(BaseModel):
    """What the toy handler does on each call, per wish_id."""

    fail_times: int = 0
    crash_after_commit: bool = False
    db_away_times: int = 0  # calls that find the database unreachable


def toy_runtime(tmp_path, nats_url, behaviours, calls):
    """A runtime whose one durable consumer applies WishClosed events as Effect rows."""

    def build_router(runtime: Runtime) -> ServiceRouter:
        router = ServiceRouter("toy")

        @router.durable("innoportal.wish.closed", "wish-closed")
        async def apply_wish_closed(event: WishClosed) -> None:
            calls.append((event.wish_id, time.monotonic()))
            behaviour = behaviours.get(event.wish_id, Behaviour())
            seen = sum(1 for w, _ in calls if w == event.wish_id)
            if seen <= behaviour.fail_times:
                raise RuntimeError(f"induced failure {seen}")
            if seen <= behaviour.db_away_times:  # a real driver error: the file cannot be opened
                away = Database(f"sqlite+aiosqlite:///{tmp_path}/gone/toy.db")
                (tmp_path / "gone").rmdir()  # a file where the database's folder should be
                (tmp_path / "gone").write_text("")
                try:
                    async with away.transaction() as session:
                        await claim_event(session, "toy-wish-closed", event.event_id)
                finally:
                    await away.dispose()
                    (tmp_path / "gone").unlink()
            async with runtime.db.transaction() as session:
                if await claim_event(session, "toy-wish-closed", event.event_id):
                    session.add(Effect(event_id=event.event_id))
            if behaviour.crash_after_commit and seen == 1:
                raise ConnectionError("crashed after the effect, before the ack")

        return router

    common = CommonSettings(nats_url=nats_url, data_dir=tmp_path)
    settings = ServiceSettings(name="toy")
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/toy.db")
    return Runtime(settings=settings, build_router=build_router,
                   tables=[Effect.__table__], common=common, db=db)


async def publish(url: str, payload: bytes, msg_id: str | None = None) -> None:
    nc = await nats.connect(url)
    try:
        headers = {"content-type": "application/json"}
        if msg_id:
            headers["Nats-Msg-Id"] = msg_id
        await nc.jetstream().publish("innoportal.wish.closed", payload, headers=headers)
    finally:
        await nc.close()


async def effects(runtime, event_id=None) -> int:
    async with runtime.db.session() as s:
        query = select(func.count()).select_from(Effect)
        if event_id:
            query = query.where(Effect.event_id == event_id)
        return (await s.exec(query)).one()


@pytest.fixture
async def toy(tmp_path, nats_server):
    behaviours: dict[str, Behaviour] = {}
    calls: list = []
    runtime = toy_runtime(tmp_path, nats_server.url, behaviours, calls)
    await runtime.start()
    await asyncio.wait_for(runtime.bus_started.wait(), 15)
    yield runtime, behaviours, calls
    await runtime.stop()


def closed(wish_id: str) -> WishClosed:
    return WishClosed(wish_id=wish_id, owner_org="EMSD")


async def test_failing_handler_is_redelivered_after_a_delay(toy, nats_server):
    runtime, behaviours, calls = toy
    event = closed("w-flaky")
    behaviours["w-flaky"] = Behaviour(fail_times=2)
    await publish(nats_server.url, event.model_dump_json().encode(), event.event_id)
    await eventually(lambda: effects(runtime, event.event_id))
    times = [t for w, t in calls if w == "w-flaky"]
    assert len(times) == 3
    # INNOPORTAL_RETRY_BASE_DELAY=0.2 in tests: the 1st retry waits >= 0.2 s, the 2nd >= 0.4 s.
    assert times[1] - times[0] >= 0.18
    assert times[2] - times[1] >= 0.38
    assert await effects(runtime) == 1
    assert await stream_messages(nats_server.url, "INNOPORTAL_PARKED") == []


async def test_message_that_always_fails_is_parked_with_its_reason(toy, nats_server):
    runtime, behaviours, calls = toy
    event = closed("w-broken")
    behaviours["w-broken"] = Behaviour(fail_times=10_000)
    await publish(nats_server.url, event.model_dump_json().encode(), event.event_id)
    parked = await eventually(lambda: stream_messages(nats_server.url, "INNOPORTAL_PARKED"))
    await asyncio.sleep(1.5)  # longer than the max retry delay: no further delivery comes
    assert len([c for c in calls if c[0] == "w-broken"]) == 3  # INNOPORTAL_MAX_ATTEMPTS=3
    assert len(parked) == 1
    msg = parked[0]
    assert msg.subject == "parked.toy-wish-closed"
    assert "RuntimeError: induced failure 3" in msg.headers["Innoportal-Parked-Reason"]
    assert msg.headers["Innoportal-Original-Subject"] == "innoportal.wish.closed"
    assert msg.headers["Innoportal-Attempts"] == "3"
    assert json.loads(msg.data)["event_id"] == event.event_id
    assert await effects(runtime) == 0


async def test_malformed_message_is_parked_at_once(toy, nats_server):
    runtime, behaviours, calls = toy
    await publish(nats_server.url, b'{"wish_id": 42, "schema_version": 1}', "bad-1")
    await publish(nats_server.url, b"not json at all", "bad-2")
    parked = await eventually(
        lambda: _at_least(stream_messages(nats_server.url, "INNOPORTAL_PARKED"), 2)
    )
    reasons = [m.headers["Innoportal-Parked-Reason"] for m in parked]
    assert all("ValidationError" in r or "JSONDecodeError" in r for r in reasons), reasons
    assert all(m.headers["Innoportal-Attempts"] == "1" for m in parked)
    assert calls == []
    # The consumer goes on with good messages after the poison ones.
    good = closed("w-after-poison")
    await publish(nats_server.url, good.model_dump_json().encode(), good.event_id)
    await eventually(lambda: effects(runtime, good.event_id))


async def _at_least(coro, n):
    items = await coro
    return items if len(items) >= n else None


async def test_redelivered_event_has_no_second_effect(toy, nats_server):
    runtime, behaviours, calls = toy
    event = closed("w-crashy")
    behaviours["w-crashy"] = Behaviour(crash_after_commit=True)
    await publish(nats_server.url, event.model_dump_json().encode(), event.event_id)
    await eventually(lambda: len([c for c in calls if c[0] == "w-crashy"]) >= 2)
    # The same event again, under a new Nats-Msg-Id, as after the dedup window.
    await publish(nats_server.url, event.model_dump_json().encode(), str(uuid.uuid4()))
    await eventually(lambda: len([c for c in calls if c[0] == "w-crashy"]) >= 3)
    await asyncio.sleep(0.3)
    assert await effects(runtime, event.event_id) == 1


async def step(what: str, awaitable, seconds: float = 30):
    """Await one step of a test; if it hangs, fail naming the step and every task's stack."""
    try:
        async with asyncio.timeout(seconds):
            return await awaitable
    except TimeoutError:
        stacks = []
        for task in asyncio.all_tasks():
            frames = "".join(f"\n    {f.f_code.co_filename}:{f.f_lineno} {f.f_code.co_name}"
                             for f in task.get_stack(limit=8))
            stacks.append(f"{task.get_name()}:{frames}")
        raise AssertionError(f"{what} took over {seconds}s; tasks:\n" + "\n".join(stacks))


async def test_consumer_config_changes_reach_the_server(tmp_path, nats_server):
    """A durable consumer keeps the server's config unless we reconcile it at start."""
    from innoportal.runtime import policy_from

    calls: list = []
    first = toy_runtime(tmp_path, nats_server.url, {}, calls)
    second = toy_runtime(tmp_path, nats_server.url, {}, calls)
    second.common = CommonSettings(nats_url=nats_server.url, data_dir=tmp_path, ack_wait=47)
    second.policy = policy_from(second.common)
    try:
        await step("first start", first.start())
        await step("first bus", first.bus_started.wait())
    finally:
        await step("first stop", first.stop(), 60)
    try:
        await step("second start", second.start())
        await step("second bus", second.bus_started.wait())
        nc = await step("connect", nats.connect(nats_server.url, max_reconnect_attempts=2,
                                                connect_timeout=2))
        try:
            info = await step("consumer info",
                              nc.jetstream().consumer_info("INNOPORTAL", "toy-wish-closed"))
        finally:
            await nc.close()
    finally:
        await step("second stop", second.stop(), 60)
    assert info.config.ack_wait == 47
    assert info.config.max_deliver in (-1, None)


async def test_a_database_outage_is_waited_for_however_many_attempts_it_takes(toy, nats_server):
    """The message is fine, its consumer's database is away for more deliveries than
    INNOPORTAL_MAX_ATTEMPTS (3 in tests): it is redelivered, not parked, and applied once."""
    runtime, behaviours, calls = toy
    event = closed("w-db-away")
    behaviours["w-db-away"] = Behaviour(db_away_times=5)
    await publish(nats_server.url, event.model_dump_json().encode(), event.event_id)
    await eventually(lambda: effects(runtime, event.event_id), timeout=30)
    assert len([w for w, _ in calls if w == "w-db-away"]) == 6
    assert await effects(runtime) == 1
    assert await stream_messages(nats_server.url, "INNOPORTAL_PARKED") == []
