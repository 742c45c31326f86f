"""The notifier as its own process, SIGKILLed twice in the middle of a fan-out, then restarted:
every subscriber gets the alert exactly once."""

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from contracts import Subjects
from innoportal.db import Database
from innoportal.migrate import migrate, service_history
from innoportal.testing.harness import eventually
from innoportal.testing.nats_server import free_port
from services.notifier.bus import CONSUMERS
from services.notifier.models import Subscription, SubscriptionCategory
from services.notifier.repository import insert_ignore

from .conftest import SECRET, SENDER, acked, publish, wish

pytestmark = [pytest.mark.nats, pytest.mark.slow]

SUBSCRIBERS = 2400
POOL = 4  # SMTP connections of the notifier


async def seed(db_path: Path) -> list[str]:
    """SUBSCRIBERS confirmed matching subscriptions, plus unconfirmed and non-matching ones."""
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    # The schema `innoportal serve notifier` will find: migrated, as it would make it itself.
    await migrate(db, service_history("notifier"))
    now = datetime.now(UTC)
    subs, cats, expected = [], [], []
    for i in range(SUBSCRIBERS + 100):
        address = f"s{i:05d}@example.org"
        status = "pending" if SUBSCRIBERS <= i < SUBSCRIBERS + 50 else "confirmed"
        category = "fintech-govtech" if i >= SUBSCRIBERS + 50 else "building-services"
        subs.append({"id": f"sub-{i:05d}", "email": address, "email_key": address,
                     "language": "zh-HK" if i % 3 == 0 else "en", "frequency": "instant",
                     "receive_reports": False, "categories": [category], "keywords": [],
                     "status": status, "created_at": now,
                     "confirmed_at": now if status == "confirmed" else None})
        cats.append({"category": category, "subscription_id": f"sub-{i:05d}"})
        if i < SUBSCRIBERS:
            expected.append(address)
    async with db.transaction() as s:
        await insert_ignore(s, Subscription.__table__, subs)
        await insert_ignore(s, SubscriptionCategory.__table__, cats)
    await db.dispose()
    return expected


def notifier_env(tmp_path: Path, db_path: Path, nats_url: str, smtp_url: str, *, pool: int,
                 **extra: str) -> tuple[dict[str, str], int]:
    """The environment of `innoportal serve notifier` on these servers and this SQLite file, and
    the free port it will listen on."""
    port = free_port()
    env = {**os.environ,
           "INNOPORTAL_NATS_URL": nats_url, "INNOPORTAL_SMTP_URL": smtp_url,
           "INNOPORTAL_DATA_DIR": str(tmp_path), "INNOPORTAL_SECRET_KEY": SECRET,
           "INNOPORTAL_MAIL_FROM": SENDER, "INNOPORTAL_PORTAL_URL": "http://127.0.0.1:8100",
           "INNOPORTAL_LOG_LEVEL": "WARNING",
           "INNOPORTAL_NOTIFIER_DATABASE_URL": f"sqlite:///{db_path}",
           "INNOPORTAL_NOTIFIER_PORT": str(port), "INNOPORTAL_NOTIFIER_SMTP_POOL": str(pool),
           **extra}
    return env, port


class Notifier:
    """`innoportal serve notifier` as a child process."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen | None = None

    async def start(self) -> None:
        exe = Path(sys.executable).parent / "innoportal"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([str(exe), "serve", "notifier"], env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)

        # One client for every poll: each new one loads the CA bundle, which costs more CPU
        # than the notifier's own start on a loaded machine.
        async with httpx.AsyncClient() as client:

            async def ready() -> bool:
                assert self.proc is not None and self.proc.poll() is None, \
                    self.log.read_text()[-3000:]
                try:
                    r = await client.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1)
                    return r.status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout=60, interval=0.1)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def query(db_path: Path, sql: str) -> list[tuple]:
    """Read the notifier's SQLite file from this process (WAL: readers never block it)."""
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def sent(db_path: Path) -> int:
    return query(db_path, "SELECT count(*) FROM email_outbox WHERE state = 'sent'")[0][0]


async def test_killed_twice_mid_fan_out_then_restarted_sends_each_alert_exactly_once(
    tmp_path, nats_server, smtp_server
):
    sink = smtp_server.sink
    db_path = tmp_path / "notifier.db"
    expected = await seed(db_path)
    # Many small chunks: a crash lands between them.
    env, port = notifier_env(tmp_path, db_path, nats_server.url, smtp_server.url, pool=POOL,
                             INNOPORTAL_NOTIFIER_FANOUT_CHUNK="5")
    notifier = Notifier(env, port, tmp_path / "notifier.log")
    try:
        # 1. Killed while queueing the fan-out (the SMTP server holds every transaction at RCPT).
        sink.hold = True
        await notifier.start()
        seq = await publish(nats_server.url, wish("w-kill"))

        async def mid_fan_out() -> bool:
            rows = query(db_path, "SELECT cursor, done_at FROM fanout_job")
            # The fan-out starts once the job is committed, a moment before the event's ack
            # reaches the server: kill only once both hold, so the kill tests the fan-out alone.
            return (bool(rows) and rows[0][0] != "" and rows[0][1] is None
                    and await acked(nats_server.url, CONSUMERS[Subjects.WISH_POSTED], seq))

        await eventually(mid_fan_out, timeout=60, interval=0.002)
        notifier.kill()
        [(cursor, done_at)] = query(db_path, "SELECT cursor, done_at FROM fanout_job")
        queued = query(db_path, "SELECT count(*) FROM email_outbox")[0][0]
        assert cursor and done_at is None and 0 < queued < SUBSCRIBERS
        assert sink.count() == 0
        assert await acked(nats_server.url, CONSUMERS[Subjects.WISH_POSTED], seq)

        # 2. Restarted, then killed while sending: a third of the alerts delivered, the SMTP server
        #    holding POOL more at RCPT (in flight, not accepted), the rest waiting.
        sink.hold, sink.hold_after = False, SUBSCRIBERS // 3
        await notifier.start()
        await eventually(lambda: sink.waiting == POOL and sent(db_path) == sink.count(), timeout=90)
        notifier.kill()
        before_restart = sink.count()
        assert SUBSCRIBERS // 3 <= before_restart < SUBSCRIBERS

        # 3. Restarted with the server open: it resumes both the fan-out and the sending.
        sink.hold, sink.hold_after = False, None
        await notifier.start()
        await eventually(lambda: sent(db_path) == SUBSCRIBERS, timeout=120)
        assert query(db_path, "SELECT count(*) FROM fanout_job WHERE done_at IS NULL")[0][0] == 0
    finally:
        sink.hold = False
        notifier.stop()

    received = sink.per_recipient()
    duplicates = {a: n for a, n in received.items() if n != 1}
    assert duplicates == {}
    assert sorted(received) == expected  # nobody lost, nobody unconfirmed or unmatched
    states = dict(query(db_path, "SELECT state, count(*) FROM email_outbox GROUP BY state"))
    assert states == {"sent": SUBSCRIBERS}
