"""Alerts to subscribers: a posted wish (or a trial's report) is fanned out to every subscriber
its rules reach, chunk by chunk; a closed wish withdraws what is still queued."""

from dataclasses import dataclass
from datetime import datetime

from contracts import WishClosed, WishPosted
from innoportal.uow import UnitOfWork
from services.notifier import repository as repo
from services.notifier.domain import (
    Item,
    OutgoingEmail,
    select_recipients,
    wish_context,
    wish_item_key,
    wish_payload,
)
from services.notifier.models import FanoutJob
from services.notifier.repository import email_outbox, fanout_jobs


@dataclass(frozen=True)
class Planned:
    """What one chunk queued: emails now, and entries for later digests."""

    emails: int = 0
    digest_entries: int = 0


async def plan_alerts_for_wish(uow: UnitOfWork, event: WishPosted, *, now: datetime) -> bool:
    """Store the wish and queue its fan-out; False if it is closed or was fanned out already.

    The consumer's claim of the event and the queued job commit together; the fan-out worker
    then queues the alerts (instant) and digest entries (daily, weekly) chunk by chunk.
    """
    key = wish_item_key(event.wish.id)
    s = uow.session
    await repo.save_item(s, key, "wish", wish_context(event), now=now)
    if event.wish.status == "closed" or await repo.is_closed(s, key):
        return False
    return await fanout_jobs.add_fanout_job(s, key, "wish_alert", key, wish_payload(event), now=now)


async def withdraw_alerts_for_wish(uow: UnitOfWork, event: WishClosed, *, now: datetime) -> int:
    """A closed wish: no more alerts or digest entries for it; how many were withdrawn."""
    key = wish_item_key(event.wish_id)
    s = uow.session
    await repo.close_item(s, key, "wish", now=now)
    await fanout_jobs.finish_fanout_jobs(s, key, now=now)
    dropped = await repo.drop_open_digest_entries(s, key)
    return dropped + await email_outbox.suppress_item_alerts(s, key, "wish closed", now=now)


async def queue_fanout_chunk(uow: UnitOfWork, job: FanoutJob, *, now: datetime,
                             limit: int = 1000) -> tuple[Planned, str | None]:
    """Queue the next `limit` subscriptions of a fan-out and move its cursor (None: finished).

    One transaction holds both: a crash rolls the chunk back whole and the job resumes from the
    last committed cursor; the outbox's unique key makes even a replayed chunk queue nothing twice.
    """
    chunk = _wish_chunk if job.kind == "wish_alert" else _report_chunk
    planned, cursor = await chunk(uow, job, now=now, limit=limit)
    await fanout_jobs.advance_fanout_job(uow.session, job.key, cursor=cursor, emails=planned.emails,
                                         digest_entries=planned.digest_entries, now=now)
    return planned, cursor


async def _wish_chunk(uow: UnitOfWork, job: FanoutJob, *, now: datetime,
                      limit: int) -> tuple[Planned, str | None]:
    key, s = job.item_key, uow.session
    if await repo.is_closed(s, key):
        return Planned(), None
    item = Item.of(key, job.payload.get("categories", []), job.payload.get("texts", []))
    ids = await repo.next_candidate_ids(s, item, after=job.cursor, limit=limit)
    emails = entries = 0
    async for candidates in repo.stream_candidates(s, item, batch=1000, ids=ids):
        alerts = select_recipients(item, candidates)
        emails += await email_outbox.enqueue_emails(s, [
            OutgoingEmail(a.email, key, "wish_alert", a.language, a.subscription_id, key,
                          {"reasons": a.reasons()})
            for a in alerts if a.frequency == "instant"], now=now)
        entries += await repo.add_digest_entries(s, [
            {"subscription_id": a.subscription_id, "item_key": key, "reasons": a.reasons(),
             "created_at": now, "digest_ref": None}
            for a in alerts if a.frequency != "instant"])
    return Planned(emails, entries), (ids[-1] if len(ids) >= limit else None)


async def _report_chunk(uow: UnitOfWork, job: FanoutJob, *, now: datetime,
                        limit: int) -> tuple[Planned, str | None]:
    emails = seen = 0
    last: str | None = None
    async for subs in repo.stream_report_subscribers(
        uow.session, batch=min(limit, 1000), after=job.cursor, limit=limit
    ):
        seen += len(subs)
        last = subs[-1][0]
        emails += await email_outbox.enqueue_emails(uow.session, [
            OutgoingEmail(email, job.item_key, job.kind, lang, sid, job.item_key,
                          {"role": "subscriber"})
            for sid, email, lang in subs], now=now)
    return Planned(emails), (last if seen >= limit else None)
