"""Idempotent consumer throughput: a kernel durable consumer vs a hand-written nats-py pull loop."""

import asyncio
import sqlite3
import time
from pathlib import Path

import nats
from nats.js.api import ConsumerConfig
from sqlmodel import Field, SQLModel, func, select

from contracts import WishClosed
from innoportal.bus import ensure_streams
from innoportal.consume import ServiceRouter
from innoportal.db import Database
from innoportal.idempotency import IDEMPOTENCY_TABLES, claim_event
from innoportal.runtime import Runtime
from innoportal.settings import CommonSettings, ServiceSettings

SUBJECT = "innoportal.wish.closed"


class BenchEffect(SQLModel, table=True):
    """The effect the benchmark consumer applies per event."""

    __tablename__ = "bench_effects"
    id: int | None = Field(default=None, primary_key=True)
    wish_id: str


async def _publish_events(url: str, n: int) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_streams(js)
    for start in range(0, n, 500):
        await asyncio.gather(*(
            js.publish(SUBJECT, WishClosed(wish_id=f"w-{i}", owner_org="EMSD")
                       .model_dump_json().encode(),
                       headers={"content-type": "application/json"})
            for i in range(start, min(n, start + 500))
        ))
    await nc.close()


async def _kernel(url: str, path: Path, n: int) -> float:
    def build_router(runtime: Runtime) -> ServiceRouter:
        router = ServiceRouter("bench")

        @router.durable(SUBJECT, "wish-closed", batch=64)
        async def apply_wish_closed(event: WishClosed) -> None:
            async with runtime.db.transaction() as session:
                if await claim_event(session, "bench-wish-closed", event.event_id):
                    session.add(BenchEffect(wish_id=event.wish_id))

        return router

    runtime = Runtime(
        settings=ServiceSettings(name="bench"), build_router=build_router,
        tables=[BenchEffect.__table__],
        common=CommonSettings(nats_url=url, data_dir=path),
        db=Database(f"sqlite:///{path}/kernel-consumer.db"),
    )
    await runtime.start(relay=False)
    start = time.perf_counter()
    await asyncio.wait_for(runtime.bus_started.wait(), 30)
    while await _count(runtime.db) < n:
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - start
    await runtime.stop()
    return n / elapsed


async def _count(db: Database) -> int:
    async with db.session() as s:
        return (await s.exec(select(func.count()).select_from(BenchEffect))).one()


async def _pull_loop(url: str, durable: str, n: int, apply) -> float:
    """A hand-written nats-py loop: fetch 64, apply each event, ack each; returns events/s."""
    nc = await nats.connect(url)
    sub = await nc.jetstream().pull_subscribe(SUBJECT, durable=durable, stream="INNOPORTAL",
                                              config=ConsumerConfig(ack_wait=30))
    done = 0
    start = time.perf_counter()
    while done < n:
        try:
            msgs = await sub.fetch(batch=64, timeout=1)
        except TimeoutError:
            continue
        for msg in msgs:
            await apply(WishClosed.model_validate_json(msg.data))
            await msg.ack()
            done += 1
    elapsed = time.perf_counter() - start
    await nc.close()
    return n / elapsed


async def _hand_written(url: str, path: Path, n: int) -> float:
    conn = sqlite3.connect(path / "hand-consumer.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE processed (consumer TEXT, event_id TEXT, "
                 "PRIMARY KEY (consumer, event_id))")
    conn.execute("CREATE TABLE effects (id INTEGER PRIMARY KEY, wish_id TEXT)")

    async def apply(event: WishClosed) -> None:
        cur = conn.execute("INSERT OR IGNORE INTO processed VALUES ('hand', ?)", (event.event_id,))
        if cur.rowcount == 1:
            conn.execute("INSERT INTO effects (wish_id) VALUES (?)", (event.wish_id,))
        conn.commit()

    rate = await _pull_loop(url, "bench-hand", n, apply)
    conn.close()
    return rate


async def _hand_written_same_db(url: str, path: Path, n: int) -> float:
    db = Database(f"sqlite:///{path}/hand-same-db.db")
    await db.create_all([BenchEffect.__table__, *IDEMPOTENCY_TABLES])

    async def apply(event: WishClosed) -> None:
        async with db.transaction() as session:
            if await claim_event(session, "hand-wish-closed", event.event_id):
                session.add(BenchEffect(wish_id=event.wish_id))

    rate = await _pull_loop(url, "bench-hand-db", n, apply)
    await db.dispose()
    return rate


async def bench_consumer(url: str, path: Path, n: int) -> dict[str, float]:
    """Events/s of the kernel consumer and of hand-written loops, on the same stored events.

    The ratio is taken against the hand-written loop doing the same work through the same
    database layer (claim_event + the effect in one transaction); the raw sqlite3 loop shows
    what that layer itself costs.
    """
    path.mkdir(parents=True, exist_ok=True)
    await _publish_events(url, n)
    return {"hand-written": await _hand_written_same_db(url, path, n),
            "kernel": await _kernel(url, path, n),
            "hand-written, raw sqlite3": await _hand_written(url, path, n)}
