"""The portal's one-time links through the notifier's real pipeline: consume (claimed once) →
email outbox → sender → a real SMTP server; unsubscribes never stop them, a hard bounce does."""

from datetime import timedelta

import pytest
from notifier_helpers import PORTAL_URL, T0
from prometheus_client import CollectorRegistry

from contracts import SignInLinkIssued, Subjects
from innoportal.idempotency import IDEMPOTENCY_TABLES, apply_once
from services.notifier import repository as repo
from services.notifier.bus import CONSUMERS
from services.notifier.metrics import NotifierMetrics
from services.notifier.repository.email_outbox import deliveries
from services.notifier.service.sign_in_links import email_sign_in_link

CONSUMER = CONSUMERS[Subjects.SIGN_IN_LINK_ISSUED]


@pytest.fixture
async def link_db(db):
    await db.create_all(IDEMPOTENCY_TABLES)
    return db


def issued(address: str, *, purpose: str = "sign_in", language: str = "en",
           token: str = "tok-123") -> SignInLinkIssued:
    path = "zh-hk" if language == "zh-HK" else "en"
    return SignInLinkIssued(
        email=address, language=language, purpose=purpose, org="ArchSD", role="department",
        link_url=f"{PORTAL_URL}/{path}/sign-in/link?token={token}", occurred_at=T0,
        expires_at=T0 + timedelta(minutes=15))


async def consume(db, event: SignInLinkIssued) -> bool:
    """What the durable consumer does with one delivery of the event."""
    return await apply_once(db, CONSUMER, event.event_id, lambda uow: email_sign_in_link(
        uow, event, portal_url=PORTAL_URL, now=T0))


async def rows_of(db, address: str) -> list:
    async with db.session() as s:
        return await deliveries(s, recipient=address)


async def test_an_event_delivered_twice_is_emailed_once_and_its_link_then_forgotten(
    link_db, sender, smtp_server
):
    sender.metrics = NotifierMetrics(CollectorRegistry())
    event = issued("chan@archsd.gov.hk", language="zh-HK", token="tok-once")
    assert await consume(link_db, event) is True
    assert await consume(link_db, event) is False  # a redelivery finds the claim
    assert await sender.drain(T0) == 1
    assert await sender.drain(T0 + timedelta(minutes=1)) == 0
    [msg] = smtp_server.sink.messages("chan@archsd.gov.hk")
    assert msg["X-InnoPortal-Kind"] == "sign_in_link" and msg["Subject"] == "登入網上創新科技協作平台"
    assert "tok-once" in msg.get_body(("plain",)).get_content()
    [row] = await rows_of(link_db, "chan@archsd.gov.hk")
    assert row.state == "sent" and row.message_id == msg["Message-ID"]
    assert row.context["link_url"] is None  # the credential is not kept once the email went
    assert "tok-once" not in repr(row.context)
    assert sender.metrics.sent.labels(kind="sign_in_link")._value.get() == 1


async def test_unsubscribing_never_stops_a_link_but_a_hard_bounced_address_gets_none(
    link_db, sender, smtp_server
):
    async with link_db.transaction() as s:
        # "Stop all InnoPortal emails" from a contact email, and an address that bounced.
        await repo.unsubscribe_address(s, "left@archsd.gov.hk", now=T0)
        await repo.suppress(s, "gone@archsd.gov.hk", "hard_bounce", "550 no such user", now=T0)
    await consume(link_db, issued("left@archsd.gov.hk", purpose="invite"))
    await consume(link_db, issued("gone@archsd.gov.hk"))
    await sender.drain(T0)
    assert [m["X-InnoPortal-Kind"] for m in smtp_server.sink.messages()] == ["invite_link"]
    assert smtp_server.sink.messages("left@archsd.gov.hk")
    [gone] = await rows_of(link_db, "gone@archsd.gov.hk")
    assert gone.state == "suppressed" and "hard_bounce" in gone.last_error
    assert gone.context["link_url"] is None


async def test_a_link_email_that_hard_bounces_suppresses_the_address(link_db, sender, smtp_server):
    smtp_server.sink.refused["nobody@archsd.gov.hk"] = "550 5.1.1 No such user"
    await consume(link_db, issued("nobody@archsd.gov.hk"))
    await sender.drain(T0)
    [row] = await rows_of(link_db, "nobody@archsd.gov.hk")
    assert row.state == "failed" and row.context["link_url"] is None
    async with link_db.session() as s:
        assert await repo.suppressed_among(s, ["nobody@archsd.gov.hk"]) == {
            "nobody@archsd.gov.hk": "hard_bounce"}


async def test_a_transient_failure_keeps_the_link_until_it_is_sent_once(
    link_db, sender, smtp_server
):
    smtp_server.sink.data_failures = 1  # 451 to the first DATA
    await consume(link_db, issued("retry@archsd.gov.hk", token="tok-retry"))
    await sender.drain(T0)
    [row] = await rows_of(link_db, "retry@archsd.gov.hk")
    assert row.state == "pending" and row.context["link_url"].endswith("tok-retry")
    await sender.drain(T0 + timedelta(minutes=2))
    [row] = await rows_of(link_db, "retry@archsd.gov.hk")
    assert row.state == "sent" and row.attempts == 2 and row.context["link_url"] is None
    assert len(smtp_server.sink.messages("retry@archsd.gov.hk")) == 1


async def test_a_link_that_expired_before_it_could_be_sent_is_not_sent(
    link_db, sender, smtp_server
):
    await consume(link_db, issued("late@archsd.gov.hk"))
    await sender.drain(T0 + timedelta(minutes=15))
    [row] = await rows_of(link_db, "late@archsd.gov.hk")
    assert row.state == "suppressed" and "expired" in row.last_error
    assert row.context["link_url"] is None
    assert smtp_server.sink.messages() == []


async def test_a_link_email_unsubscribes_nothing(link_db, sender, smtp_server):
    """A subscriber's alerts go on after a sign-in email: it carries no unsubscribe token."""
    from notifier_helpers import subscribe

    sub_id = await subscribe(link_db, sender, smtp_server.sink, "reader@archsd.gov.hk",
                             categories=["iot-sensors"])
    await consume(link_db, issued("reader@archsd.gov.hk"))
    await sender.drain(T0)
    [link] = smtp_server.sink.messages("reader@archsd.gov.hk", "sign_in_link")
    text = link.get_body(("plain",)).get_content() + link.get_body(("html",)).get_content()
    assert "token=tok-123" in text and "unsubscribe" not in text.lower()
    assert not [h for h in link.keys() if "unsubscribe" in h.lower()]
    async with link_db.session() as s:
        assert (await repo.get_subscription(s, sub_id)).status == "confirmed"
