"""The notifier on a real nats-server and a real aiosmtpd server: fixtures and shared steps."""

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func
from sqlmodel import select

from contracts import Event, WishPosted, WishRecord
from innoportal.settings import CommonSettings
from innoportal.testing.harness import acked_up_to, eventually, publish_event
from innoportal.testing.smtp import SmtpServer
from services.notifier import repository
from services.notifier.bootstrap import bootstrap
from services.notifier.domain import validate_subscription
from services.notifier.models import EmailOutbox, FanoutJob
from services.notifier.settings import NotifierSettings

pytestmark = pytest.mark.nats

SECRET = "integration-secret-long-enough-0123456789"
PORTAL_URL = "https://innoportal.example"
SENDER = "E&M InnoPortal <noreply@innoportal.example>"
_LINK = re.compile(r"https?://[^\s\"<>]+/(?:en|zh-hk)/[a-z/]+\?token=[^\s\"<>]+")
# The notifier's endpoint behind each portal page that carries a token (and the one-click one).
ENDPOINTS = {"subscribe/confirm": "/v1/subscriptions/confirm",
             "subscribe/manage": "/v1/subscriptions/manage", "unsubscribe": "/v1/unsubscribe"}




@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_runtime(tmp_path, nats_server, smtp_server):
    """make_runtime(**settings) → a notifier runtime on this test's NATS, SMTP and SQLite file
    (`common` overrides common settings, e.g. the consume policy)."""

    def _make(common: dict | None = None, **overrides):
        common = CommonSettings(nats_url=nats_server.url, data_dir=tmp_path, secret_key=SECRET,
                                smtp_url=smtp_server.url, portal_url=PORTAL_URL, mail_from=SENDER,
                                **(common or {}))
        settings = NotifierSettings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/notifier.db", send_poll_seconds=0.2,
            send_retry_base_seconds=0.2, send_retry_max_seconds=1.0, **overrides)
        return bootstrap(settings, common=common)

    return _make


publish = publish_event


acked = acked_up_to


async def settled(runtime) -> bool:
    """No fan-out under way and no email waiting to be sent (or being sent)."""
    async with runtime.db.session() as s:
        jobs = (await s.exec(select(func.count()).select_from(FanoutJob)
                             .where(FanoutJob.done_at.is_(None)))).one()
        busy = (await s.exec(select(func.count()).select_from(EmailOutbox)
                             .where(EmailOutbox.state.in_(("pending", "sending"))))).one()
    return jobs == 0 and busy == 0


async def deliver(url: str, runtime, event: Event, consumer: str, msg_id: str | None = None) -> None:
    """Publish an event, then wait until it is consumed, fanned out and every email settled."""
    seq = await publish(url, event, msg_id)
    await eventually(lambda: acked(url, consumer, seq), timeout=30)
    await eventually(lambda: settled(runtime), timeout=60)


async def add_confirmed(runtime, address: str, **rules) -> str:
    """A confirmed subscription written directly (the HTTP flow has its own tests)."""
    async with runtime.db.transaction() as s:
        sub = await repository.add_subscription(
            s, validate_subscription({"email": address, **rules}), now=datetime.now(UTC))
        await repository.confirm_subscription(s, sub.id, now=datetime.now(UTC))
    return sub.id


def page_of(url: str) -> str:
    """The portal page of a link, without its language prefix (e.g. subscribe/confirm)."""
    page = urlsplit(url).path.lstrip("/")
    first, _, rest = page.partition("/")
    return rest if first in ("en", "zh-hk") else page


def links(msg: EmailMessage) -> dict[str, str]:
    """The token links of the plain-text part, by portal page."""
    text = msg.get_body(("plain",)).get_content()
    return {page_of(u): u for u in _LINK.findall(text)}


def path_of(url: str) -> str:
    """The notifier endpoint behind a portal link (what the portal's page calls), with its query."""
    return f"{ENDPOINTS[page_of(url)]}?{urlsplit(url).query}"


def wish(wish_id: str, *, categories=("building-services", "iot-sensors"),
         title_en: str | None = "Lift fault prediction", title_zh: str | None = "升降機故障預測",
         description_en: str | None = "Predict lift faults from sensor data before passengers are trapped.",
         description_zh: str | None = "以感應器數據預測升降機故障。") -> WishPosted:
    """A WishPosted event."""
    return WishPosted(wish=WishRecord(
        id=wish_id, title_en=title_en, title_zh=title_zh, description_en=description_en,
        description_zh=description_zh, categories=list(categories), contact_email="ee@emsd.gov.hk",
        owner_org="EMSD", created_at=datetime.now(UTC)))
