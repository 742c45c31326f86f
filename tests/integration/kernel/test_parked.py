"""Parked messages on a real nats-server: replayed to the one consumer that parked them (once,
idempotently, parked again with the new reason if they fail again), purged, and counted."""

import asyncio
import subprocess
from dataclasses import dataclass
from datetime import timedelta

import nats
import pytest
from sqlmodel import Field, SQLModel, func, select

from contracts import WishClosed
from innoportal.consume import ServiceRouter
from innoportal.db import Database
from innoportal.idempotency import claim_event
from innoportal.parked import Selection, iter_parked, purge_parked, replay_parked
from innoportal.runtime import Runtime
from innoportal.settings import CommonSettings, ServiceSettings
from innoportal.replay import REPLAY_FOR, REPLAY_OF
from innoportal.testing.harness import eventually, publish_event, stream_messages
from innoportal.testing.system import CLI

pytestmark = pytest.mark.nats
FIXED, AUDIT = "toy-wish-closed", "toy-audit"


class ParkEffect(SQLModel, table=True):
    """One applied effect of a toy consumer."""

    __tablename__ = "toy_park_effects"
    id: int | None = Field(default=None, primary_key=True)
    consumer: str
    event_id: str


@dataclass
class Behaviour:
    """What a toy consumer does with a wish id: raise `error` (before or after its effect)."""

    error: str = ""
    after_effect: bool = False


class Toy:
    """Two durable consumers of innoportal.wish.closed, failing as told, counting their calls."""

    def __init__(self, tmp_path, nats_url: str) -> None:
        self.behaviours: dict[tuple[str, str], Behaviour] = {}
        self.calls: list[tuple[str, str]] = []
        common = CommonSettings(nats_url=nats_url, data_dir=tmp_path, parked_refresh_seconds=0.2)
        self.runtime = Runtime(settings=ServiceSettings(name="toy"), build_router=self.router,
                               tables=[ParkEffect.__table__], common=common,
                               db=Database(f"sqlite:///{tmp_path}/toy.db"))

    def router(self, runtime: Runtime) -> ServiceRouter:
        router = ServiceRouter("toy")
        for name in ("wish-closed", "audit"):
            router.durable("innoportal.wish.closed", name)(self.handler(f"toy-{name}"))
        return router

    def handler(self, consumer: str):
        async def handle(event: WishClosed) -> None:
            self.calls.append((consumer, event.wish_id))
            behaviour = self.behaviours.get((consumer, event.wish_id), Behaviour())
            if behaviour.error and not behaviour.after_effect:
                raise RuntimeError(behaviour.error)
            async with self.runtime.db.transaction() as session:
                if await claim_event(session, consumer, event.event_id):
                    session.add(ParkEffect(consumer=consumer, event_id=event.event_id))
            if behaviour.error:
                # Fails after its effect (a bug after the commit): parked. Not a ConnectionError,
                # which a consumer waits out as an outage (innoportal.outage) instead of parking.
                raise RuntimeError(behaviour.error)
        return handle

    def called(self, consumer: str, wish_id: str) -> int:
        return self.calls.count((consumer, wish_id))

    async def effects(self, consumer: str) -> int:
        async with self.runtime.db.session() as s:
            return (await s.exec(select(func.count()).select_from(ParkEffect)
                                 .where(ParkEffect.consumer == consumer))).one()

    def metric(self, name: str, consumer: str) -> float | None:
        return self.runtime.metrics.registry.get_sample_value(name, {"consumer": consumer})


@pytest.fixture
async def toy(tmp_path, nats_server):
    toy = Toy(tmp_path, nats_server.url)
    await toy.runtime.start()
    await asyncio.wait_for(toy.runtime.bus_started.wait(), 15)
    yield toy
    await toy.runtime.stop()


async def parked(url: str, consumer: str | None = None) -> list:
    nc = await nats.connect(url)
    try:
        return [m async for m in iter_parked(nc.jetstream(), consumer)]
    finally:
        await nc.close()


async def park(toy: Toy, url: str, wish_id: str, behaviour: Behaviour, consumer: str = FIXED):
    """Publish a WishClosed that `consumer` fails on until it is parked; the parked message."""
    toy.behaviours[(consumer, wish_id)] = behaviour
    event = WishClosed(wish_id=wish_id, owner_org="EMSD")
    await publish_event(url, event)
    before = {m.seq for m in await parked(url)}
    [msg] = await eventually(lambda: _new(parked(url, consumer), before))
    return event, msg


async def _new(found, before):
    return [m for m in await found if m.seq not in before]


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), "parked", *args, "--nats-url", url], capture_output=True,
                          text=True, timeout=60)


async def test_a_replayed_message_is_processed_once_by_its_consumer_only(toy, nats_server):
    url = nats_server.url
    event, msg = await park(toy, url, "w-fixed-later", Behaviour(error="database away"))
    assert "RuntimeError: database away" in msg.reason and msg.attempts == "3"
    assert toy.called(AUDIT, "w-fixed-later") == 1 and await toy.effects(FIXED) == 0
    await eventually(lambda: toy.metric("innoportal_parked_messages", FIXED) == 1)
    assert toy.metric("innoportal_parked_messages", AUDIT) == 0

    del toy.behaviours[(FIXED, "w-fixed-later")]  # the cause is fixed
    result = await asyncio.to_thread(cli, url, "replay", str(msg.seq))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"replayed {msg.seq:>6}  {FIXED}  innoportal.wish.closed  {msg.reason}",
        "1 message(s) replayed"]
    original, replayed = await stream_messages(url, subject="innoportal.wish.closed")
    assert original.headers["Nats-Msg-Id"] == event.event_id
    # Its own id (the original's is still within the duplicate window), the same event inside.
    assert replayed.headers["Nats-Msg-Id"] not in (event.event_id, "")
    assert replayed.headers[REPLAY_FOR] == FIXED and replayed.headers[REPLAY_OF] == event.event_id
    assert replayed.data == original.data
    await eventually(lambda: toy.effects(FIXED))
    await asyncio.sleep(0.5)  # room for a second delivery, to any consumer, to show up
    assert await toy.effects(FIXED) == 1 and toy.called(FIXED, "w-fixed-later") == 4
    assert toy.called(AUDIT, "w-fixed-later") == 1  # acked unread: not its replay
    assert await parked(url) == []
    await eventually(lambda: toy.metric("innoportal_parked_messages", FIXED) == 0)
    assert toy.metric("innoportal_parked_replayed_total", FIXED) == 1
    assert toy.metric("innoportal_parked_purged_total", FIXED) == 0


async def test_replaying_a_message_whose_effect_happened_has_no_second_effect(toy, nats_server):
    url = nats_server.url
    event, msg = await park(toy, url, "w-applied", Behaviour(error="ack lost", after_effect=True))
    assert await toy.effects(FIXED) == 1  # applied on the first delivery, failed after it
    del toy.behaviours[(FIXED, "w-applied")]
    [done], missing = await replay_parked(url, Selection(ids=(msg.seq,)))
    assert done.seq == msg.seq and missing == []
    await eventually(lambda: toy.called(FIXED, "w-applied") == 4)
    await asyncio.sleep(0.5)
    assert await toy.effects(FIXED) == 1 and await parked(url) == []
    # Replayed again (an operator running the command twice): nothing is left to replay.
    assert await replay_parked(url, Selection(ids=(msg.seq,))) == ([], [msg.seq])


async def test_a_replay_that_fails_again_is_parked_again_with_the_new_reason(toy, nats_server):
    url = nats_server.url
    event, first = await park(toy, url, "w-still-broken", Behaviour(error="first cause"))
    toy.behaviours[(FIXED, "w-still-broken")] = Behaviour(error="second cause")
    done, _ = await replay_parked(url, Selection(ids=(first.seq,), consumer=FIXED))
    assert [m.seq for m in done] == [first.seq]
    [again] = await eventually(lambda: _new(parked(url, FIXED), {first.seq}))
    assert "RuntimeError: second cause" in again.reason and "first cause" not in again.reason
    assert again.attempts == "3" and again.subject == "innoportal.wish.closed"
    assert again.data == first.data  # the same event, for the next replay
    assert [m.seq for m in await parked(url)] == [again.seq]
    assert toy.called(FIXED, "w-still-broken") == 6 and toy.called(AUDIT, "w-still-broken") == 1
    assert await toy.effects(FIXED) == 0


async def test_purge_by_id_consumer_age_or_all_and_never_without_a_selection(toy, nats_server):
    url = nats_server.url
    _, a = await park(toy, url, "w-a", Behaviour(error="a"))
    _, b = await park(toy, url, "w-b", Behaviour(error="b"))
    _, c = await park(toy, url, "w-c", Behaviour(error="c"), consumer=AUDIT)

    refused = await asyncio.to_thread(cli, url, "purge")
    assert refused.returncode == 2 and "say which" in refused.stderr
    assert await purge_parked(url, Selection(older_than=timedelta(hours=1))) == ([], [])
    done, missing = await purge_parked(url, Selection(ids=(a.seq, 999_999)))
    assert [m.seq for m in done] == [a.seq] and missing == [999_999]
    by_consumer = await asyncio.to_thread(cli, url, "purge", "--consumer", AUDIT)
    assert by_consumer.returncode == 0, by_consumer.stderr
    assert by_consumer.stdout.splitlines() == [
        f"purged {c.seq:>6}  {AUDIT}  innoportal.wish.closed  {c.reason}", "1 message(s) purged"]
    assert [m.seq for m in await parked(url)] == [b.seq]
    done, _ = await purge_parked(url, Selection())  # --all
    assert [m.seq for m in done] == [b.seq] and await parked(url) == []
    await eventually(lambda: toy.metric("innoportal_parked_purged_total", FIXED) == 2)
    assert toy.metric("innoportal_parked_purged_total", AUDIT) == 1
    assert toy.metric("innoportal_parked_replayed_total", FIXED) == 0
    await eventually(lambda: toy.metric("innoportal_parked_messages", FIXED) == 0)
