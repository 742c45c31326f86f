"""Turning consumed events into queued emails, inside the transaction that records the event."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import Matched, MatchDecided, TrialCompleted, TrialTerminated, WishClosed, WishPosted
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


async def plan_wish_alerts(
    session: AsyncSession, event: WishPosted, *, now: datetime, batch: int = 1000
) -> Planned:
    """Queue one alert (instant) or digest entry (daily, weekly) per matching confirmed address."""
    w = event.wish
    key = wish_item_key(w.id)
    await repo.save_item(session, key, "wish", _wish_context(event), now=now)
    item = Item.of(key, w.categories, [w.title_en, w.title_zh, w.description_en, w.description_zh])
    emails = entries = 0
    async for candidates in repo.stream_candidates(session, item, batch=batch):
        alerts = select_recipients(item, candidates)
        emails += await enqueue_emails(session, [
            OutgoingEmail(a.email, key, "wish_alert", a.language, a.subscription_id, key,
                          {"reasons": a.reasons()})
            for a in alerts if a.frequency == "instant"], now=now)
        entries += await repo.add_digest_entries(session, [
            {"subscription_id": a.subscription_id, "item_key": key, "reasons": a.reasons(),
             "created_at": now, "digest_ref": None}
            for a in alerts if a.frequency != "instant"])
    return Planned(emails, entries)


async def plan_wish_closed(session: AsyncSession, event: WishClosed, *, now: datetime) -> int:
    """A closed wish leaves the digests that have not gone out yet; how many entries dropped."""
    return await repo.drop_open_digest_entries(session, wish_item_key(event.wish_id))


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


async def _plan_trial(
    session: AsyncSession, kind: str, key: str, event: TrialCompleted | TrialTerminated,
    *, now: datetime, batch: int,
) -> int:
    context = event.model_dump(mode="json", exclude={"event_id", "occurred_at", "schema_version"})
    # Parties first: an address that is both a party and a report subscriber gets the party's
    # email; the subscriber's row then collides on the key and is skipped.
    n = await _plan_to_parties(session, kind, key, "trial", context, [(p.role, p) for p in event.parties], now=now)
    async for subs in repo.stream_report_subscribers(session, batch=batch):
        n += await enqueue_emails(session, [
            OutgoingEmail(email, key, kind, lang, sid, key, {"role": "subscriber"})
            for sid, email, lang in subs], now=now)
    return n


async def plan_trial_completed(
    session: AsyncSession, event: TrialCompleted, *, now: datetime, batch: int = 1000
) -> int:
    """The published report, to both parties and every report subscriber."""
    key = f"trial:{event.trial_id}:report:{event.report_version}"
    return await _plan_trial(session, "trial_completed", key, event, now=now, batch=batch)


async def plan_trial_terminated(
    session: AsyncSession, event: TrialTerminated, *, now: datetime, batch: int = 1000
) -> int:
    """A trial ended early, with its reason, to both parties and every report subscriber."""
    key = f"trial:{event.trial_id}:terminated"
    return await _plan_trial(session, "trial_terminated", key, event, now=now, batch=batch)


async def plan_due_digests(
    session: AsyncSession, frequency: str, *, now: datetime, batch: int = 500
) -> int:
    """Queue the digests of the last closed daily or weekly period; never an empty one.

    Entries are marked as taken in the same transaction as the digest is queued, and the
    digest's key is (address, period), so running this twice, or on two nodes, sends one.
    """
    period = last_closed_period(frequency, now)
    after, queued = "", 0
    while subs := await repo.open_digest_subscribers(session, frequency, period.end, after=after, limit=batch):
        taken = await repo.take_digest_entries(session, [s[0] for s in subs], period.end, period.label)
        queued += await enqueue_emails(session, [
            OutgoingEmail(email, period.label, "digest", lang, sid, None, {
                "items": [{"key": k, "reasons": r} for k, r in taken[sid]],
                "period": period.label.partition(":")[2], "frequency": frequency})
            for sid, email, lang in subs if taken.get(sid)], now=now)
        after = subs[-1][0]
    return queued
