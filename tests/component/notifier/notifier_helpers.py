"""Shared steps of the notifier component tests: subscribe, follow links, post events."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import func
from sqlmodel import select

from contracts import WishPosted, WishRecord
from innoportal.db import Database
from innoportal.uow import unit_of_work
from services.notifier import repository
from services.notifier.domain import validate_subscription
from services.notifier.models import DigestEntry, EmailOutbox
from services.notifier.service import alerts, subscriptions
from services.notifier.workers.fanout import FanoutWorker

SECRET = "test-secret-of-at-least-sixteen-bytes"
PORTAL_URL = "https://innoportal.example"
SENDER = "E&M InnoPortal <noreply@innoportal.example>"
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Hong Kong, a Friday

_LINK = re.compile(re.escape(PORTAL_URL) + r"/(?:en|zh-hk)/[a-z/]+\?token=[^\s\"<>]+")
# The notifier's endpoint behind each of the portal's token pages.
ENDPOINTS = {"subscribe/confirm": "/v1/subscriptions/confirm",
             "subscribe/manage": "/v1/subscriptions/manage", "unsubscribe": "/v1/unsubscribe"}


def links(msg: EmailMessage) -> dict[str, str]:
    """Token links of the plain-text part, by portal page (e.g. subscribe/confirm)."""
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return {urlsplit(u).path.split("/", 2)[2]: u for u in _LINK.findall(text)}


def token_of(url: str) -> str:
    """The token query parameter of a link."""
    return unquote(parse_qs(urlsplit(url).query)["token"][0])


async def subscribe(db: Database, sender, sink, address: str, *, now: datetime = T0, **rules) -> str:
    """Request a subscription, deliver the confirmation, follow its link; the subscription id."""
    async with unit_of_work(db) as uow:
        sub, queued = await subscriptions.subscribe(uow, {"email": address, **rules}, now=now)
    assert queued
    await sender.drain(now)
    confirmations = [m for m in sink.messages(address) if m["X-InnoPortal-Kind"] == "confirmation"]
    assert confirmations, "no confirmation email arrived"
    token = token_of(links(confirmations[-1])["subscribe/confirm"])
    async with unit_of_work(db) as uow:
        confirmed = await subscriptions.confirm_subscription(uow, SECRET, token, now=now)
    assert confirmed.subscription.status == "confirmed"
    return sub.id


async def add_confirmed(db: Database, addresses: list[str], *, now: datetime = T0) -> None:
    """Confirmed subscribers of building-services, straight into the database (no emails)."""
    async with db.transaction() as s:
        for address in addresses:
            sub = await repository.add_subscription(s, validate_subscription(
                {"email": address, "categories": ["building-services"]}), now=now)
            await repository.confirm_subscription(s, sub.id, now=now)


def wish(wish_id: str, *, title_en: str | None = "Lift fault prediction",
         title_zh: str | None = "升降機故障預測", categories=("building-services",),
         description_en: str | None = "Predict lift faults from sensor data.",
         description_zh: str | None = "以感應器數據預測升降機故障。", now: datetime = T0) -> WishPosted:
    """A WishPosted event."""
    return WishPosted(wish=WishRecord(
        id=wish_id, title_en=title_en, title_zh=title_zh, description_en=description_en,
        description_zh=description_zh, categories=list(categories), contact_email="ee@emsd.gov.hk",
        owner_org="EMSD", created_at=now))


@dataclass(frozen=True)
class Queued:
    """What posting a wish queued: alerts, and entries for later digests."""

    emails: int
    digest_entries: int


async def queued_so_far(db: Database) -> Queued:
    """Every email and digest entry queued so far."""
    async with db.session() as s:
        emails = (await s.exec(select(func.count()).select_from(EmailOutbox))).one()
        entries = (await s.exec(select(func.count()).select_from(DigestEntry))).one()
    return Queued(emails, entries)


async def post(db: Database, event: WishPosted, *, now: datetime = T0, chunk: int = 1000) -> Queued:
    """Apply a WishPosted as the service does: the consumer's use case in its transaction, then
    the fan-out worker, chunk by chunk; what that queued."""
    before = await queued_so_far(db)
    async with unit_of_work(db) as uow:
        await alerts.plan_alerts_for_wish(uow, event, now=now)
    await FanoutWorker(db, chunk=chunk, clock=lambda: now).drain()
    after = await queued_so_far(db)
    return Queued(after.emails - before.emails, after.digest_entries - before.digest_entries)

HTTP_SECRET = "http-test-secret-long-enough-0123456789"


async def inbox(sink, address: str, kind: str, count: int = 1) -> list[EmailMessage]:
    """Wait until `count` emails of `kind` reached `address` at the SMTP server; return them."""
    from innoportal.testing.harness import eventually

    def got():
        found = [m for m in sink.messages(address) if m["X-InnoPortal-Kind"] == kind]
        return found if len(found) >= count else None

    return await eventually(got)


def path_of(url: str) -> str:
    """The notifier endpoint behind a portal token link, with its query, for the in-process app."""
    parts = urlsplit(url)
    return f"{ENDPOINTS[parts.path.split('/', 2)[2]]}?{parts.query}"
