"""Retention on SQLite and PostgreSQL: rows older than their setting go, in batches; newer rows,
and rows still due or in flight, stay; the parked stream's max_age is what the setting says.

The window that matters for processed events is the longest time after which an event can still
come again: a redelivery after an outage (the consumer or NATS down, the ack lost) or a relay's
republish after a restart. We keep them 14 days (INNOPORTAL_PROCESSED_EVENTS_KEEP_DAYS, at least
1), far beyond the stream's one-hour duplicate window: an event seen within that window is still
a no-op after pruning; one older than it is gone, and would be applied again.
"""

from datetime import timedelta

import nats
import pytest
from sqlmodel import col, select

from contracts import utcnow
from contracts.streams import PARKED_STREAM_NAME
from innoportal.bus import ensure_streams
from innoportal.db import Database
from innoportal.idempotency import ProcessedEvent, apply_once
from innoportal.migrate import migrate, service_history
from innoportal.retention import Retention, processed_events_rule
from innoportal.settings import CommonSettings
from services.notifier.bootstrap import bootstrap as notifier_bootstrap
from services.notifier.models import EmailOutbox
from services.notifier.settings import NotifierSettings

DAY = timedelta(days=1)


@pytest.fixture
async def db(database_url):
    url, schema = database_url
    database = Database(url, schema=schema)
    await migrate(database, service_history("notifier"))
    yield database
    await database.dispose()


async def test_processed_events_older_than_the_window_go_in_batches_and_newer_still_dedupe(db):
    now = utcnow()
    async with db.transaction() as s:
        s.add_all([ProcessedEvent(consumer="c", event_id=f"old-{i}", processed_at=now - 15 * DAY)
                   for i in range(12)])
        s.add_all([ProcessedEvent(consumer="c", event_id=f"new-{i}", processed_at=now - 13 * DAY)
                   for i in range(3)])
    retention = Retention(db, [processed_events_rule(14 * DAY)], batch=5, clock=lambda: now)
    assert await retention.prune_once() == {"processed_events": 12}  # batches of 5, 5 and 2
    async with db.session() as s:
        left = sorted((await s.exec(select(ProcessedEvent.event_id))).all())
    assert left == ["new-0", "new-1", "new-2"]
    effects = []

    async def effect(_uow):
        effects.append(1)

    assert await apply_once(db, "c", "new-1", effect) is False  # redelivered within 14 days
    assert await apply_once(db, "c", "old-1", effect) is True  # beyond the window: applied again
    assert effects == [1]
    assert await retention.prune_once() == {"processed_events": 0}


def email(n: int, state: str, *, age: timedelta, next_attempt: timedelta | None = None):
    now = utcnow()
    return EmailOutbox(
        recipient=f"r{n}@example.org", recipient_key=f"r{n}@example.org", ref=f"ref-{n}",
        kind="wish_alert", language="en", message_id=f"<{n}@innoportal>", state=state,
        next_attempt_at=now - (age if next_attempt is None else next_attempt),
        created_at=now - age, updated_at=now - age)


async def test_the_notifier_prunes_settled_emails_only(db, tmp_path):
    """Through the notifier's own runtime: its rule beside the kernel's, at its setting."""
    runtime = notifier_bootstrap(
        NotifierSettings(email_keep_days=30), db=db,
        common=CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path))
    old, young = 31 * DAY, 29 * DAY
    rows = {
        "sent-old": email(1, "sent", age=old), "failed-old": email(2, "failed", age=old),
        "suppressed-old": email(3, "suppressed", age=old),
        "pending-old": email(4, "pending", age=old), "sending-old": email(5, "sending", age=old),
        "sent-young": email(6, "sent", age=young), "failed-young": email(7, "failed", age=young),
        # Suppressed while it waited for a retry not yet due: goes once that time is old too.
        "suppressed-retry-pending": email(8, "suppressed", age=old, next_attempt=-DAY),
    }
    async with db.transaction() as s:
        s.add_all(rows.values())
    deleted = await runtime.retention.prune_once()
    assert deleted == {"processed_events": 0, "email_outbox": 3}
    async with db.session() as s:
        kept = set((await s.exec(select(EmailOutbox.ref).order_by(col(EmailOutbox.id)))).all())
    assert kept == {rows[k].ref for k in ("pending-old", "sending-old", "sent-young",
                                          "failed-young", "suppressed-retry-pending")}


@pytest.mark.nats
async def test_the_parked_stream_keeps_messages_as_long_as_the_setting_says(nats_server):
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await ensure_streams(js)
        assert (await js.stream_info(PARKED_STREAM_NAME)).config.max_age == 30 * 86400
        await ensure_streams(js, parked_max_age=7 * 86400)  # a service started with 7 days
        assert (await js.stream_info(PARKED_STREAM_NAME)).config.max_age == 7 * 86400
        assert CommonSettings().parked_keep_days == 30
    finally:
        await nc.close()
