"""Outbox relay throughput: the kernel's relay vs a hand-written nats-py loop on the same table."""

import asyncio
import sqlite3
import time
from pathlib import Path

import nats

from contracts import WishClosed
from innoportal.bus import ensure_streams
from innoportal.db import Database
from innoportal.outbox import OUTBOX_TABLES, stage_event
from innoportal.relay import OutboxRelay


async def _fill(db: Database, n: int, tag: str) -> None:
    await db.create_all(OUTBOX_TABLES)
    async with db.transaction() as session:
        for i in range(n):
            stage_event(session, WishClosed(wish_id=f"w-{tag}-{i}", owner_org="EMSD"))


async def _kernel(url: str, path: Path, n: int) -> float:
    from faststream.nats import NatsBroker

    db = Database(f"sqlite:///{path}/kernel.db")
    await _fill(db, n, "k")
    broker = NatsBroker(url)
    await broker.connect()

    async def publish(subject, payload, headers):
        return await broker.publish(payload, subject, headers=headers, stream="INNOPORTAL",
                                    timeout=10)

    relay = OutboxRelay(db, publish, batch=256)
    start = time.perf_counter()
    while await relay.drain_once():
        pass
    elapsed = time.perf_counter() - start
    assert relay.published_total == n
    await broker.stop()
    await db.dispose()
    return n / elapsed


async def _hand_written(url: str, path: Path, n: int) -> float:
    db = Database(f"sqlite:///{path}/hand.db")
    await _fill(db, n, "h")
    await db.dispose()
    conn = sqlite3.connect(path / "hand.db")
    nc = await nats.connect(url)
    js = nc.jetstream()
    start = time.perf_counter()
    published = 0
    while True:
        rows = conn.execute(
            "SELECT id, event_id, subject, payload FROM outbox WHERE published_at IS NULL "
            "ORDER BY id LIMIT 256").fetchall()
        if not rows:
            break
        for _id, event_id, subject, payload in rows:
            await js.publish(subject, payload.encode(), headers={"Nats-Msg-Id": event_id})
        conn.executemany("UPDATE outbox SET published_at = CURRENT_TIMESTAMP WHERE id = ?",
                         [(r[0],) for r in rows])
        conn.commit()
        published += len(rows)
    elapsed = time.perf_counter() - start
    assert published == n
    await nc.close()
    conn.close()
    return n / elapsed


async def _bare_publish(url: str, n: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream()
    start = time.perf_counter()
    for i in range(n):
        await js.publish("innoportal.bench.bare", b"{}", headers={"Nats-Msg-Id": f"bare-{i}"})
    elapsed = time.perf_counter() - start
    await nc.close()
    return n / elapsed


async def bench_relay(url: str, path: Path, n: int) -> dict[str, float]:
    """Events/s of the kernel relay, the hand-written loop, and bare publishing (no database)."""
    path.mkdir(parents=True, exist_ok=True)
    nc = await nats.connect(url)
    await ensure_streams(nc.jetstream())
    await nc.close()
    results = {}
    # Alternate the order between rounds would be fairer still; each runs on a fresh table.
    results["hand-written"] = await _hand_written(url, path, n)
    results["kernel"] = await _kernel(url, path, n)
    results["bare publish (no DB)"] = await _bare_publish(url, n)
    await asyncio.sleep(0)
    return results
