"""The fan-out worker, wish closing and the digest scheduler on a real SQLite file and aiosmtpd."""

from datetime import timedelta

import pytest
from notifier_helpers import SECRET, T0, post, subscribe, wish
from sqlmodel import select

from contracts import WishClosed
from innoportal.uow import unit_of_work
from services.notifier import repository
from services.notifier.domain import issue_token, validate_subscription
from services.notifier.models import FanoutJob
from services.notifier.repository import email_outbox, fanout_jobs
from services.notifier.service import alerts, subscriptions
from services.notifier.workers.digests import DigestScheduler
from services.notifier.workers.fanout import FanoutWorker

HOUR = timedelta(hours=1)


async def confirmed(db, address, **rules):
    async with db.transaction() as s:
        sub = await repository.add_subscription(s, validate_subscription({"email": address, **rules}), now=T0)
        await repository.confirm_subscription(s, sub.id, now=T0)
    return sub.id


async def job(db, key):
    async with db.session() as s:
        return await s.get(FanoutJob, key)


async def queued(db, ref):
    async with db.session() as s:
        return await email_outbox.deliveries(s, ref=ref)


async def test_a_fan_out_goes_chunk_by_chunk_and_a_failed_chunk_changes_nothing(db):
    ids = sorted([await confirmed(db, f"u{i:02d}@example.org", categories=["building-services"])
                  for i in range(10)])
    await confirmed(db, "daily@example.org", keywords=["lift"], frequency="daily")
    async with unit_of_work(db) as uow:
        assert await alerts.plan_alerts_for_wish(uow, wish("w-1"), now=T0)
        assert not await alerts.plan_alerts_for_wish(uow, wish("w-1"), now=T0)  # once per wish
    worker = FanoutWorker(db, chunk=4, clock=lambda: T0)
    assert await worker.run_once()
    first = await job(db, "wish:w-1")
    assert first.cursor == min(ids[3], first.cursor) and first.emails + first.digest_entries == 4

    with pytest.raises(RuntimeError):  # the process dies in the middle of the next chunk
        async with unit_of_work(db) as uow:
            await alerts.queue_fanout_chunk(
                uow, await uow.session.get(FanoutJob, "wish:w-1"), now=T0, limit=4)
            raise RuntimeError("killed")
    assert (await job(db, "wish:w-1")).cursor == first.cursor
    assert len(await queued(db, "wish:w-1")) == first.emails

    assert await worker.drain() == 2  # two more chunks: 4 + 3 subscriptions, then done
    done = await job(db, "wish:w-1")
    assert done.done_at is not None and (done.emails, done.digest_entries) == (10, 1)
    rows = await queued(db, "wish:w-1")
    assert sorted(r.subscription_id for r in rows) == ids
    assert not await worker.run_once()


async def test_closing_a_wish_withdraws_its_alerts_and_a_late_post_sends_nothing(db, sender, smtp_server):
    for i in range(3):
        await confirmed(db, f"c{i}@example.org", categories=["building-services"])
    await confirmed(db, "d@example.org", categories=["building-services"], frequency="weekly")
    async with unit_of_work(db) as uow:
        await alerts.plan_alerts_for_wish(uow, wish("w-1"), now=T0)
    await FanoutWorker(db, chunk=2, clock=lambda: T0).run_once()  # part of it queued
    async with unit_of_work(db) as uow:
        withdrawn = await alerts.withdraw_alerts_for_wish(
            uow, WishClosed(wish_id="w-1", owner_org="EMSD"), now=T0)
    assert withdrawn == 2
    assert await FanoutWorker(db, chunk=2, clock=lambda: T0).drain() == 0  # the fan-out ended
    assert await sender.drain(T0) == 0  # nothing left to send
    rows = await queued(db, "wish:w-1")
    assert rows and all(r.state == "suppressed" for r in rows)

    # The close arrived first (another consumer), the post later: nothing fans out.
    async with unit_of_work(db) as uow:
        await alerts.withdraw_alerts_for_wish(
            uow, WishClosed(wish_id="w-2", owner_org="EMSD"), now=T0)
        assert not await alerts.plan_alerts_for_wish(uow, wish("w-2"), now=T0)
    assert await queued(db, "wish:w-2") == [] and smtp_server.sink.messages() == []


async def test_the_scheduler_sends_each_digest_once_after_its_hour(db, sender, smtp_server):
    sink = smtp_server.sink
    await subscribe(db, sender, sink, "hal@example.org", categories=["building-services"], frequency="daily")
    await subscribe(db, sender, sink, "wen@example.org", keywords=["chiller"], frequency="weekly",
                    language="zh-HK")
    await post(db, wish("w-1"))
    await post(db, wish("w-2", title_en="Chiller plant optimisation", title_zh="冷水機組優化"))
    scheduler = DigestScheduler(db, hour=8, batch=1)
    next_day_7am = T0.replace(hour=23) - timedelta(hours=0)  # 07:00 HKT on Saturday
    assert await scheduler.run_once(next_day_7am) == {"daily": 0, "weekly": 0, "purged": 0}
    at_8 = next_day_7am + HOUR
    assert (await scheduler.run_once(at_8))["daily"] == 1
    assert (await scheduler.run_once(at_8 + HOUR))["daily"] == 0  # never twice, never empty
    monday = T0 + timedelta(days=3) + 2 * HOUR  # Monday 12:00 HKT
    assert (await scheduler.run_once(monday))["weekly"] == 1
    await sender.drain(monday)
    [daily] = sink.messages("hal@example.org")[1:]
    assert daily["Subject"] == "Your daily InnoPortal digest: 2 new wishes, including Lift fault prediction"
    [weekly] = [m for m in sink.messages("wen@example.org") if m["X-InnoPortal-Kind"] == "digest"]
    assert weekly["Subject"] == "InnoPortal 每週摘要：1 項新願望，包括「冷水機組優化」"
    assert "冷水機組優化" in weekly.get_body(("plain",)).get_content()


async def test_an_old_emails_unsubscribe_link_also_stops_the_newer_subscription(db):
    old = await confirmed(db, "kay@example.org", categories=["building-services"])
    new = await confirmed(db, "kay@example.org", categories=["iot-sensors"])
    token = issue_token(SECRET, "unsubscribe", "sub:" + old, T0)
    async with unit_of_work(db) as uow:
        assert await subscriptions.unsubscribe(uow, SECRET, token, now=T0) == "kay@example.org"
    async with db.session() as s:
        assert (await repository.get_subscription(s, new)).status == "unsubscribed"


async def test_open_fan_outs_are_counted(db):
    await confirmed(db, "a@example.org", categories=["building-services"])
    async with unit_of_work(db) as uow:
        await alerts.plan_alerts_for_wish(uow, wish("w-1"), now=T0)
    async with db.session() as s:
        assert await fanout_jobs.open_fanout_jobs(s) == 1
        assert (await s.exec(select(FanoutJob.kind))).all() == ["wish_alert"]
