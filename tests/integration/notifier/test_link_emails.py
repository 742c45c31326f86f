"""The portal's one-time links on a real nats-server and a real aiosmtpd server: each issued link
is emailed once whatever JetStream delivers again, and the link never reaches a log line."""

import json
import logging
from datetime import timedelta

import nats
import pytest

from contracts import SignInLinkIssued, Subjects, utcnow
from innoportal.testing.harness import eventually, running, stream_messages
from services.notifier.bootstrap import create_app
from services.notifier.bus import CONSUMERS
from services.notifier.repository.email_outbox import deliveries

from .conftest import PORTAL_URL, acked, deliver, publish, settled

CONSUMER = CONSUMERS[Subjects.SIGN_IN_LINK_ISSUED]


def issued(address: str, token: str, *, language: str = "en", purpose: str = "sign_in",
           link: str | None = None, **kw) -> SignInLinkIssued:
    """A SignInLinkIssued as the portal publishes it."""
    path = "zh-hk" if language == "zh-HK" else "en"
    now = utcnow()
    return SignInLinkIssued(
        email=address, language=language, purpose=purpose, org="ArchSD", role="department",
        link_url=link or f"{PORTAL_URL}/{path}/sign-in/link?token={token}",
        occurred_at=now, expires_at=now + timedelta(minutes=15), **kw)


class Lines(logging.Handler):
    """Every log record, formatted with its traceback, from every logger we listen to."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("mail.log"):
            return  # aiosmtpd: the test's SMTP server (the receiving side), not the notifier
        text = f"{record.name} {record.getMessage()}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)

    def mentioning(self, secret: str) -> list[str]:
        """The lines that contain `secret`."""
        return [line for line in self.lines if secret in line]


@pytest.fixture
def logs():
    """Every log line at DEBUG while the test runs (FastStream's access log does not propagate)."""
    lines = Lines()
    names = ["", "faststream", "faststream.access.nats"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).addHandler(lines)
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield lines
    for name in names:
        logging.getLogger(name).removeHandler(lines)
        logging.getLogger(name).setLevel(levels[name])


async def row_of(runtime, address: str):
    async with runtime.db.session() as s:
        [row] = await deliveries(s, recipient=address)
    return row


async def test_each_link_is_emailed_once_in_both_languages_and_never_logged(
    make_runtime, nats_server, smtp_server, logs
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)):
        sign_in = issued("chan@archsd.gov.hk", "tok-zh-0001", language="zh-HK")
        invite = issued("lee@archsd.gov.hk", "tok-en-0002", purpose="invite",
                        invited_by="admin@emsd.gov.hk")
        for event in (sign_in, invite):
            await deliver(url, runtime, event, CONSUMER)
            # The same event again under a new Nats-Msg-Id: past JetStream's deduplication.
            await deliver(url, runtime, event, CONSUMER, msg_id=f"again-{event.event_id}")

        [zh] = sink.messages("chan@archsd.gov.hk")
        assert zh["X-InnoPortal-Kind"] == "sign_in_link" and zh["Content-Language"] == "zh-HK"
        assert zh["Subject"] == "登入網上創新科技協作平台" and zh["List-Unsubscribe"] is None
        text = zh.get_body(("plain",)).get_content()
        first, second = text.index("/zh-hk/sign-in/link?token=tok-zh-0001"), \
            text.index("/en/sign-in/link?token=tok-zh-0001")
        assert first < text.index("English version") < second
        assert "(Hong Kong time)" in text and "香港時間" in text
        [en] = sink.messages("lee@archsd.gov.hk")
        assert en["Subject"] == "You are invited to E&M InnoPortal by EMSD"
        assert "You will act for ArchSD" in en.get_body(("plain",)).get_content()
        assert sum(sink.per_recipient().values()) == 2
        for address in ("chan@archsd.gov.hk", "lee@archsd.gov.hk"):
            row = await row_of(runtime, address)
            assert row.state == "sent" and row.context["link_url"] is None
    assert logs.lines and logs.mentioning("tok-zh-0001") == logs.mentioning("tok-en-0002") == []


async def test_a_link_event_redelivered_after_a_failed_attempt_is_emailed_once(
    make_runtime, nats_server, smtp_server, logs
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime(common={"handler_timeout": 1.0})
    retried = runtime.metrics.consumed.labels(consumer=CONSUMER, outcome="retried")
    async with running(runtime, create_app(runtime)):
        event = issued("wong@archsd.gov.hk", "tok-retry-0003")
        # The database is busy past the handler's time limit: the attempt fails and JetStream
        # delivers the event again after the policy's delay.
        async with runtime.db._write_lock:
            seq = await publish(url, event)
            await eventually(lambda: retried._value.get() >= 1, timeout=30)
        await eventually(lambda: acked(url, CONSUMER, seq), timeout=30)
        await eventually(lambda: settled(runtime), timeout=30)
        await deliver(url, runtime, event, CONSUMER, msg_id=f"again-{event.event_id}")
        [msg] = sink.messages("wong@archsd.gov.hk")
        assert "tok-retry-0003" in msg.get_body(("plain",)).get_content()
        assert (await row_of(runtime, "wong@archsd.gov.hk")).attempts == 1
    assert await stream_messages(url, "INNOPORTAL_PARKED") == []
    assert logs.mentioning("tok-retry-0003") == []


async def test_a_bad_link_event_sends_nothing_and_its_link_is_not_logged(
    make_runtime, nats_server, smtp_server, logs
):
    sink, url = smtp_server.sink, nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)):
        # A link to somewhere else than our portal is never mailed.
        evil = "https://innoportal.example.evil.hk/en/sign-in/link?token=tok-evil-0004"
        elsewhere = issued("ho@archsd.gov.hk", "tok-evil-0004", link=evil)
        await deliver(url, runtime, elsewhere, CONSUMER)
        # A payload that breaks the contract is parked; the reason quotes no link.
        broken = issued("ng@archsd.gov.hk", "tok-broken-0005").model_dump(mode="json")
        del broken["role"]
        nc = await nats.connect(url)
        await nc.jetstream().publish(Subjects.SIGN_IN_LINK_ISSUED, json.dumps(broken).encode(),
                                     headers={"Nats-Msg-Id": broken["event_id"]})
        await nc.close()
        [parked] = await eventually(lambda: stream_messages(url, "INNOPORTAL_PARKED"), timeout=30)
        assert "ValidationError" in parked.headers["Innoportal-Parked-Reason"]
        assert "tok-broken-0005" not in parked.headers["Innoportal-Parked-Reason"]
        assert await settled(runtime)
    assert sink.messages() == []
    assert any("not on the portal" in line for line in logs.lines)
    assert logs.mentioning("tok-evil-0004") == logs.mentioning("tok-broken-0005") == []
