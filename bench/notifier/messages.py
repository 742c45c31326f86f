"""Sample messages as the notifier composes them, and fast seeding of confirmed subscribers."""

from datetime import UTC, datetime

from contracts import WishPosted, WishRecord
from innoportal.db import Database
from innoportal.migrate import migrate, service_history
from services.notifier.domain import wish_context, wish_item_key
from services.notifier.emails import Composer
from services.notifier.models import Subscription, SubscriptionCategory
from services.notifier.repository import insert_ignore

SECRET = "bench-secret-long-enough-0123456789"
PORTAL_URL = "https://innoportal.example"
SENDER = "E&M InnoPortal <noreply@innoportal.example>"
PLACEHOLDER = "rcpt-placeholder@example.org"


def address(i: int) -> str:
    """The i-th subscriber's address."""
    return f"s{i:07d}@example.org"


def language(i: int) -> str:
    """A third of the subscribers read Chinese."""
    return "zh-HK" if i % 3 == 0 else "en"


def bench_wish() -> WishPosted:
    """The wish every subscriber is alerted to."""
    return WishPosted(wish=WishRecord(
        id="w-bench", title_en="Lift fault prediction for public housing estates",
        title_zh="公共屋邨升降機故障預測",
        description_en="Predict faults of passenger lifts before passengers are trapped, using "
        "controller data and vibration sensors; a pilot at two estates.",
        description_zh="利用控制器數據及震動感應器，在乘客被困前預測升降機故障，於兩個屋邨試行。",
        categories=["building-services", "iot-sensors"], contact_email="ee@emsd.gov.hk",
        owner_org="EMSD", created_at=datetime.now(UTC)))


def sample_messages() -> dict[str, bytes]:
    """One alert per language, composed by the notifier, with a placeholder recipient."""
    composer = Composer(SECRET, PORTAL_URL, SENDER)
    event = bench_wish()
    key = wish_item_key(event.wish.id)
    out = {}
    for lang in ("en", "zh-HK"):
        out[lang] = composer.compose(
            kind="wish_alert", recipient=PLACEHOLDER, ref=key, language=lang,
            now=datetime.now(UTC), subscription_id="sub-0000000000000000000000000000000",
            context={"reasons": {"categories": ["building-services"], "keywords": []}},
            items={key: wish_context(event)}, item_key=key).data
    return out


async def seed(url: str, count: int) -> None:
    """`count` confirmed instant subscribers of building-services (bulk insert)."""
    db = Database(url)
    # The schema `innoportal serve notifier` will find: migrated, as it would make it itself.
    await migrate(db, service_history("notifier"))
    now = datetime.now(UTC)
    for start in range(0, count, 5000):
        ids = range(start, min(count, start + 5000))
        async with db.transaction() as s:
            await insert_ignore(s, Subscription.__table__, [{
                "id": f"sub-{i:07d}", "email": address(i), "email_key": address(i),
                "language": language(i), "frequency": "instant", "receive_reports": False,
                "categories": ["building-services"], "keywords": [], "status": "confirmed",
                "created_at": now, "confirmed_at": now} for i in ids])
            await insert_ignore(s, SubscriptionCategory.__table__, [
                {"category": "building-services", "subscription_id": f"sub-{i:07d}"} for i in ids])
    await db.dispose()
