"""The outbox relay over a real SQLite file, publishing through a recording publish function.

The relay takes `publish` as a parameter (its port to JetStream); the function here records
what it was given and stores it the way JetStream does, deduplicating by Nats-Msg-Id. The
real-NATS path is covered by tests/integration/kernel/test_outbox_relay.py.
"""

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import col, select

from contracts import WishClosed, utcnow
from innoportal.db import Database
from innoportal.metrics import ServiceMetrics
from innoportal.outbox import (
    OUTBOX_TABLES,
    OutboxMessage,
    on_outbox_commit,
    remove_outbox_waker,
    stage_event,
)
from innoportal.relay import OutboxRelay
from innoportal.testing.harness import eventually


class PublishRefused(Exception):
    """What the recording publish raises for an event it is told to refuse."""


class RecordingPublish:
    """publish(subject, payload, headers): records every call, stores like JetStream (dedup by id)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes, dict[str, str]]] = []
        self.stream: list[tuple[str, dict]] = []  # (Nats-Msg-Id, payload) as stored
        self.refuse: set[str] = set()  # event ids whose publish fails
        self.down_for = 0  # fail this many calls whatever they carry, as if NATS were away

    async def __call__(self, subject: str, payload: bytes, headers: dict[str, str]) -> object:
        self.calls.append((subject, payload, dict(headers)))
        msg_id = headers["Nats-Msg-Id"]
        await asyncio.sleep(0)  # a real publish awaits its ack
        if self.down_for > 0:
            self.down_for -= 1
            raise ConnectionError("nats: no servers available for connection")
        if msg_id in self.refuse:
            raise PublishRefused(f"refused {msg_id}")
        if msg_id not in {stored for stored, _ in self.stream}:
            self.stream.append((msg_id, json.loads(payload)))
        return {"stream": "INNOPORTAL", "seq": len(self.stream)}

    def called_ids(self) -> list[str]:
        return [headers["Nats-Msg-Id"] for _, _, headers in self.calls]

    def stored_ids(self) -> list[str]:
        return [msg_id for msg_id, _ in self.stream]


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}")
    await database.create_all(OUTBOX_TABLES)
    yield database
    await database.dispose()


@pytest.fixture
def publish() -> RecordingPublish:
    return RecordingPublish()


async def stage(db: Database, count: int, *, per_transaction: int = 1) -> list[WishClosed]:
    """Stage `count` events, committed in transactions of `per_transaction` events."""
    events = [WishClosed(wish_id=f"w-{i:04d}", owner_org="EMSD", reason=f"第{i}個") for i in
              range(count)]
    for start in range(0, count, per_transaction):
        async with db.transaction() as session:
            for event in events[start:start + per_transaction]:
                stage_event(session, event)
    return events


async def rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list((await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))
                    .all())


async def count_rows(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(OutboxMessage))).one()


async def test_rows_are_published_in_id_order_with_their_event_id_as_msg_id(db, publish):
    events = await stage(db, 3, per_transaction=2)
    relay = OutboxRelay(db, publish)
    assert await relay.drain_once() == 3
    ids = [e.event_id for e in events]
    assert publish.called_ids() == ids
    for (subject, payload, headers), event in zip(publish.calls, events, strict=True):
        assert subject == "innoportal.wish.closed"
        assert headers["Nats-Msg-Id"] == event.event_id
        assert headers["content-type"] == "application/json"
        assert WishClosed.model_validate_json(payload) == event
    stored = await rows(db)
    assert [r.event_id for r in stored] == ids
    assert all(r.published_at is not None and r.attempts == 1 and r.last_error is None
               for r in stored)
    # Nothing is published twice.
    assert await relay.drain_once() == 0
    assert len(publish.calls) == 3


async def test_batches_keep_the_order_across_drains(db, publish):
    events = await stage(db, 5, per_transaction=5)
    relay = OutboxRelay(db, publish, batch=2)
    assert [await relay.drain_once() for _ in range(4)] == [2, 2, 1, 0]
    assert publish.called_ids() == [e.event_id for e in events]
    assert relay.published_total == 5


async def test_a_failure_that_persists_keeps_its_row_and_loses_nothing(db, publish):
    events = await stage(db, 2)
    publish.refuse = {events[0].event_id}
    relay = OutboxRelay(db, publish)
    assert await relay.drain_once() == 1  # the second one is not held back
    for attempt in range(2, 5):
        with pytest.raises(PublishRefused):  # only the refused one is left: back off
            await relay.drain_once()
        assert (await rows(db))[0].attempts == attempt
    assert (await relay.backlog())[0] == 1
    assert publish.stored_ids() == [events[1].event_id]


async def test_a_failed_event_does_not_hold_back_the_others_and_none_is_stored_twice(
    db, publish
):
    events = await stage(db, 4)
    ids = [e.event_id for e in events]
    publish.refuse = {ids[1]}
    relay = OutboxRelay(db, publish)
    assert await relay.drain_once() == 3  # the others go through: no raise, no backoff
    assert (await relay.backlog())[0] == 1
    failed = [r for r in await rows(db) if r.event_id == ids[1]][0]
    assert failed.published_at is None and failed.attempts == 1 and failed.last_error
    publish.refuse = set()
    assert await relay.drain_once() == 1
    # Each event stored exactly once; the one that failed comes after those behind it.
    assert sorted(publish.stored_ids()) == sorted(ids)
    assert publish.stored_ids() == [ids[0], ids[2], ids[3], ids[1]]


async def test_when_nothing_gets_through_the_relay_raises_so_it_backs_off(db, publish):
    events = await stage(db, 2)
    publish.refuse = {e.event_id for e in events}
    with pytest.raises(PublishRefused):
        await OutboxRelay(db, publish).drain_once()
    assert (await OutboxRelay(db, publish).backlog())[0] == 2


async def test_backlog_counts_unpublished_rows_and_the_age_of_the_oldest(db, publish):
    relay = OutboxRelay(db, publish)
    assert await relay.backlog() == (0, 0.0)
    await stage(db, 3)
    async with db.transaction() as session:
        await session.exec(update(OutboxMessage).where(col(OutboxMessage.id) == 1)
                           .values(created_at=utcnow() - timedelta(minutes=10)))
        await session.exec(update(OutboxMessage).where(col(OutboxMessage.id) == 2)
                           .values(created_at=utcnow() - timedelta(minutes=3)))
    count, age = await relay.backlog()
    assert count == 3
    assert 600 <= age < 600 + 3600  # the oldest one's age, not the newest's
    publish.refuse = {(await rows(db))[1].event_id}
    assert await relay.drain_once() == 2
    count, age = await relay.backlog()
    assert count == 1
    assert 180 <= age < 600  # now the oldest waiting is the second row
    publish.refuse = set()
    await relay.drain_once()
    assert await relay.backlog() == (0, 0.0)


async def test_a_rolled_back_transaction_leaves_no_outbox_row_and_wakes_nobody(db, publish):
    woken: list[int] = []

    def waker() -> None:
        woken.append(1)

    on_outbox_commit(waker)
    try:
        with pytest.raises(RuntimeError, match="effect failed"):
            async with db.transaction() as session:
                stage_event(session, WishClosed(wish_id="w-1", owner_org="EMSD"))
                await session.flush()  # the row reached the database inside the transaction
                raise RuntimeError("effect failed")
        async with db.session() as session:
            stage_event(session, WishClosed(wish_id="w-2", owner_org="EMSD"))
            await session.rollback()
        assert await count_rows(db) == 0
        assert woken == []
        assert await OutboxRelay(db, publish).drain_once() == 0
        assert publish.calls == []

        await stage(db, 1)
        assert woken == [1]  # a commit that staged an event wakes the relay once
        async with db.transaction() as session:
            await session.exec(select(OutboxMessage))
        assert woken == [1]  # a commit that staged nothing does not
    finally:
        remove_outbox_waker(waker)


async def test_the_running_relay_retries_until_the_bus_is_back_and_loses_nothing(db, publish):
    metrics = ServiceMetrics("relay-test")
    relay = OutboxRelay(db, publish, metrics=metrics, poll_interval=0.05, max_backoff=0.05)
    publish.down_for = 4
    relay.start()
    try:
        events = await stage(db, 3)
        await eventually(lambda: len(publish.stream) == 3, timeout=20)
        await eventually(lambda: _backlog_empty(relay), timeout=20)
    finally:
        await relay.stop()
    assert publish.stored_ids() == [e.event_id for e in events]
    stored = await rows(db)
    assert all(r.published_at is not None for r in stored)
    assert stored[0].attempts >= 2 and "ConnectionError" in stored[0].last_error
    sample = metrics.registry.get_sample_value
    assert sample("innoportal_outbox_published_total") == 3
    await eventually(lambda: sample("innoportal_outbox_backlog") == 0, timeout=5)


async def test_a_stopped_relay_leaves_rows_for_the_next_start(db, publish):
    relay = OutboxRelay(db, publish, poll_interval=0.05)
    relay.start()
    await relay.stop()
    events = await stage(db, 2)
    assert publish.calls == []  # nobody is publishing: the rows wait
    assert (await relay.backlog())[0] == 2
    again = OutboxRelay(db, publish, poll_interval=0.05)
    again.start()
    try:
        await eventually(lambda: len(publish.stream) == 2, timeout=20)
    finally:
        await again.stop()
    assert publish.stored_ids() == [e.event_id for e in events]


async def _backlog_empty(relay: OutboxRelay) -> bool:
    return (await relay.backlog())[0] == 0
