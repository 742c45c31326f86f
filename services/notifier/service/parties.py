"""Emails to the parties of a match, a decision or a trial: the wish's and the solution's
contacts, once per address, in the language of their subscription (else their record's)."""

import logging
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchDecided, Matched, TrialCompleted, TrialTerminated
from innoportal.uow import UnitOfWork
from services.notifier import repository as repo
from services.notifier.domain import (
    Contact,
    OutgoingEmail,
    email_key,
    event_context,
    match_item,
    normalise_email,
    party_language,
    trial_item,
    unique_contacts,
)
from services.notifier.repository import email_outbox, fanout_jobs

log = logging.getLogger("innoportal.notifier.parties")


async def plan_match_emails(uow: UnitOfWork, event: Matched | MatchDecided, *,
                            now: datetime) -> int:
    """Tell the wish's contact and the solution's contact of a match, or of EMSD's decision on
    it (one email per address); how many were queued."""
    kind, key, item_kind = match_item(event)
    sides = [("wish", event.wish), ("solution", event.solution)]
    return await _plan_to_parties(uow.session, kind, key, item_kind, event_context(event), sides,
                                  now=now)


async def plan_trial_emails(uow: UnitOfWork, event: TrialCompleted | TrialTerminated, *,
                            now: datetime) -> int:
    """A trial's published report, or its early end with the reason: the parties' emails now,
    and a fan-out to report subscribers; the parties' count.

    Parties first: an address that is both a party and a report subscriber gets the party's
    email; the subscriber's row then collides on the key and is skipped.
    """
    kind, key = trial_item(event)
    n = await _plan_to_parties(uow.session, kind, key, "trial", event_context(event),
                               [(p.role, p) for p in event.parties], now=now)
    await fanout_jobs.add_fanout_job(uow.session, key, kind, key, {}, now=now)
    return n


async def _contacts(session: AsyncSession, parties: list[tuple[str, Any]]) -> list[Contact]:
    found = []
    for role, p in parties:
        address, err = normalise_email(p.contact_email)
        if err:  # a bad address in an event must not block the other party's email
            log.warning("skipping contact of %s: %s", p.id, err.errors[0][1])
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
    return await email_outbox.enqueue_emails(session, [
        OutgoingEmail(c.email, key, kind, c.language, None, key, {"role": c.role}) for c in contacts
    ], now=now)
