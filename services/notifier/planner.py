"""Turning consumed events into queued emails, inside the transaction that records the event."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchDecided, Matched, TrialCompleted, TrialTerminated, WishClosed, WishPosted
from services.notifier import jobs
from services.notifier import repository as repo
from services.notifier.delivery_log import OutgoingEmail, enqueue_emails
from services.notifier.domain import (
    Contact,
    Item,
    email_key,
    last_closed_period,
    normalise_email,
    party_language,
    select_recipients,
    unique_contacts,
)
from services.notifier.models import FanoutJob

log = logging.getLogger("innoportal.notifier.planner")
DESCRIPTION_CHARS = 1500  # an alert quotes the start of the description, not all of it


@dataclass(frozen=True)
class Planned:
    """What one event queued: emails now, and entries for later digests."""

    emails: int = 0
    digest_entries: int = 0


def wish_item_key(wish_id: str) -> str:
    """The item key (and alert ref) of a wish: one alert per wish per address, ever."""
    return f"wish:{wish_id}"


def _wish_context(event: WishPosted) -> dict[str, Any]:
    w = event.wish
    ctx = w.model_dump(mode="json", include={
        "id", "title_en", "title_zh", "description_en", "description_zh", "categories",
        "owner_org", "closes_on", "budget_hkd"})
    for k in ("description_en", "description_zh"):
        if ctx.get(k) and len(ctx[k]) > DESCRIPTION_CHARS:
            ctx[k] = ctx[k][: DESCRIPTION_CHARS - 1] + "…"
    return ctx


def _wish_payload(event: WishPosted) -> dict[str, Any]:
    """What matching needs of a wish, kept whole (the stored context shortens descriptions)."""
    w = event.wish
    return {"categories": list(w.categories),
            "texts": [w.title_en, w.title_zh, w.description_en, w.description_zh]}


async def start_wish_fanout(session: AsyncSession, event: WishPosted, *, now: datetime) -> bool:
    """Store the wish and queue its fan-out; False if it is closed or was fanned out already.

    Call it in the transaction that claims the event: the claim and the queued job commit
    together, then FanoutWorker queues the emails chunk by chunk.
    """
    key = wish_item_key(event.wish.id)
    await repo.save_item(session, key, "wish", _wish_context(event), now=now)
    if event.wish.status == "closed" or await repo.is_closed(session, key):
        return False
    return await jobs.add_fanout_job(session, key, "wish_alert", key, _wish_payload(event), now=now)


async def _wish_chunk(
    session: AsyncSession, job: FanoutJob, *, now: datetime, limit: int
) -> tuple[Planned, str | None]:
    key = job.item_key
    if await repo.is_closed(session, key):
        return Planned(), None
    item = Item.of(key, job.payload.get("categories", []), job.payload.get("texts", []))
    ids = await repo.next_candidate_ids(session, item, after=job.cursor, limit=limit)
    emails = entries = 0
    async for candidates in repo.stream_candidates(session, item, batch=1000, ids=ids):
        alerts = select_recipients(item, candidates)
        emails += await enqueue_emails(session, [
            OutgoingEmail(a.email, key, "wish_alert", a.language, a.subscription_id, key,
                          {"reasons": a.reasons()})
            for a in alerts if a.frequency == "instant"], now=now)
        entries += await repo.add_digest_entries(session, [
            {"subscription_id": a.subscription_id, "item_key": key, "reasons": a.reasons(),
             "created_at": now, "digest_ref": None}
            for a in alerts if a.frequency != "instant"])
    return Planned(emails, entries), (ids[-1] if len(ids) >= limit else None)


async def _report_chunk(
    session: AsyncSession, job: FanoutJob, *, now: datetime, limit: int
) -> tuple[Planned, str | None]:
    emails = seen = 0
    last: str | None = None
    async for subs in repo.stream_report_subscribers(
        session, batch=min(limit, 1000), after=job.cursor, limit=limit
    ):
        seen += len(subs)
        last = subs[-1][0]
        emails += await enqueue_emails(session, [
            OutgoingEmail(email, job.item_key, job.kind, lang, sid, job.item_key, {"role": "subscriber"})
            for sid, email, lang in subs], now=now)
    return Planned(emails), (last if seen >= limit else None)


async def fanout_chunk(
    session: AsyncSession, job: FanoutJob, *, now: datetime, limit: int = 1000
) -> tuple[Planned, str | None]:
    """Queue the next `limit` subscriptions of a fan-out and move its cursor (None: finished).

    One transaction holds both: a crash rolls the chunk back whole and the job resumes from the
    last committed cursor; the outbox's unique key makes even a replayed chunk queue nothing twice.
    """
    chunk = _wish_chunk if job.kind == "wish_alert" else _report_chunk
    planned, cursor = await chunk(session, job, now=now, limit=limit)
    await jobs.advance_fanout_job(session, job.key, cursor=cursor, emails=planned.emails,
                                  digest_entries=planned.digest_entries, now=now)
    return planned, cursor


async def run_fanout(session: AsyncSession, key: str, *, now: datetime, batch: int) -> Planned:
    """Every chunk of the job `key` in the caller's transaction (small fan-outs, tests)."""
    emails = entries = 0
    while (job := await session.get(FanoutJob, key, populate_existing=True)) and job.done_at is None:
        planned, _ = await fanout_chunk(session, job, now=now, limit=batch)
        emails, entries = emails + planned.emails, entries + planned.digest_entries
    return Planned(emails, entries)


async def plan_wish_alerts(
    session: AsyncSession, event: WishPosted, *, now: datetime, batch: int = 1000
) -> Planned:
    """Queue one alert (instant) or digest entry (daily, weekly) per matching confirmed address,
    all in the caller's transaction."""
    if not await start_wish_fanout(session, event, now=now):
        return Planned()
    return await run_fanout(session, wish_item_key(event.wish.id), now=now, batch=batch)


async def plan_wish_closed(session: AsyncSession, event: WishClosed, *, now: datetime) -> int:
    """A closed wish: no more alerts or digest entries for it; how many were withdrawn."""
    key = wish_item_key(event.wish_id)
    await repo.close_item(session, key, "wish", now=now)
    await jobs.finish_fanout_jobs(session, key, now=now)
    dropped = await repo.drop_open_digest_entries(session, key)
    return dropped + await repo.suppress_pending_alerts(session, key, "wish closed", now=now)


async def _contacts(session: AsyncSession, parties: list[tuple[str, Any]]) -> list[Contact]:
    found = []
    for role, p in parties:
        address, err = normalise_email(p.contact_email)
        if err:  # a bad address in an event must not block the other party's email
            log.warning("skipping contact of %s: %s", p.id, err.message)
            continue
        found.append(Contact(address, role, p.id, party_language(p.title_en, p.title_zh)))
    contacts = unique_contacts(found)
    langs = await repo.languages_of(session, [c.email for c in contacts])
    return [Contact(c.email, c.role, c.party_id, langs.get(email_key(c.email), c.language))
            for c in contacts]


async def _plan_to_parties(
    session: AsyncSession, kind: str, key: str, item_kind: str, context: dict[str, Any],
    parties: list[tuple[str, Any]], *, now: datetime,
) -> int:
    await repo.save_item(session, key, item_kind, context, now=now)
    contacts = await _contacts(session, parties)
    return await enqueue_emails(session, [
        OutgoingEmail(c.email, key, kind, c.language, None, key, {"role": c.role}) for c in contacts
    ], now=now)


def _match_context(event: Matched | MatchDecided) -> dict[str, Any]:
    return event.model_dump(mode="json", exclude={"event_id", "occurred_at", "schema_version"})


async def plan_match_found(session: AsyncSession, event: Matched, *, now: datetime) -> int:
    """Tell the wish's contact and the solution's contact of the match (one email per address)."""
    sides = [("wish", event.wish), ("solution", event.solution)]
    return await _plan_to_parties(session, "match_found", f"match:{event.match_id}", "match",
                                  _match_context(event), sides, now=now)


async def plan_match_decided(session: AsyncSession, event: MatchDecided, *, now: datetime) -> int:
    """Tell both contacts EMSD's decision on their match."""
    sides = [("wish", event.wish), ("solution", event.solution)]
    key = f"match:{event.match_id}:{event.decision}"
    return await _plan_to_parties(session, "match_decided", key, "match_decision",
                                  _match_context(event), sides, now=now)


def _trial_key(event: TrialCompleted | TrialTerminated) -> tuple[str, str]:
    if isinstance(event, TrialCompleted):
        return "trial_completed", f"trial:{event.trial_id}:report:{event.report_version}"
    return "trial_terminated", f"trial:{event.trial_id}:terminated"


async def start_trial_fanout(
    session: AsyncSession, event: TrialCompleted | TrialTerminated, *, now: datetime
) -> int:
    """Queue the parties' emails now and a fan-out to report subscribers; the parties' count.

    Parties first: an address that is both a party and a report subscriber gets the party's
    email; the subscriber's row then collides on the key and is skipped.
    """
    kind, key = _trial_key(event)
    context = event.model_dump(mode="json", exclude={"event_id", "occurred_at", "schema_version"})
    n = await _plan_to_parties(session, kind, key, "trial", context,
                               [(p.role, p) for p in event.parties], now=now)
    await jobs.add_fanout_job(session, key, kind, key, {}, now=now)
    return n


async def plan_trial_completed(
    session: AsyncSession, event: TrialCompleted, *, now: datetime, batch: int = 1000
) -> int:
    """The published report, to both parties and every report subscriber (caller's transaction)."""
    n = await start_trial_fanout(session, event, now=now)
    return n + (await run_fanout(session, _trial_key(event)[1], now=now, batch=batch)).emails


async def plan_trial_terminated(
    session: AsyncSession, event: TrialTerminated, *, now: datetime, batch: int = 1000
) -> int:
    """A trial ended early, with its reason, to both parties and every report subscriber."""
    n = await start_trial_fanout(session, event, now=now)
    return n + (await run_fanout(session, _trial_key(event)[1], now=now, batch=batch)).emails


async def plan_digest_batch(
    session: AsyncSession, frequency: str, *, now: datetime, after: str = "", batch: int = 500
) -> tuple[int, str | None]:
    """Queue the digests of up to `batch` subscribers (ids above `after`) for the last closed
    daily or weekly period; the number queued and where to go on (None: all done).

    Entries are marked as taken in the same transaction as the digest is queued, and the
    digest's key is (address, period), so running this twice, or on two nodes, sends one;
    a subscriber with nothing new gets no digest at all.
    """
    period = last_closed_period(frequency, now)
    subs = await repo.open_digest_subscribers(session, frequency, period.end, after=after, limit=batch)
    if not subs:
        return 0, None
    taken = await repo.take_digest_entries(session, [s[0] for s in subs], period.end, period.label)
    queued = await enqueue_emails(session, [
        OutgoingEmail(email, period.label, "digest", lang, sid, None, {
            "items": [{"key": k, "reasons": r} for k, r in taken[sid]],
            "period": period.label.partition(":")[2], "frequency": frequency})
        for sid, email, lang in subs if taken.get(sid)], now=now)
    return queued, subs[-1][0]


async def plan_due_digests(
    session: AsyncSession, frequency: str, *, now: datetime, batch: int = 500
) -> int:
    """Every due digest of `frequency` in the caller's transaction; how many were queued."""
    after: str | None = ""
    queued = 0
    while after is not None:
        n, after = await plan_digest_batch(session, frequency, now=now, after=after, batch=batch)
        queued += n
    return queued
