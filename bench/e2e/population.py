"""Who is subscribed and what is posted in bench.e2e: GROUPS keyword groups of PER_GROUP
confirmed instant subscribers each; wish n names the keyword of group n % GROUPS, so it concerns
exactly that group."""

from datetime import UTC, datetime

from innoportal.db import Database
from innoportal.migrate import migrate, service_history
from services.notifier import repository
from services.notifier.domain import message_id, validate_subscription, wish_item_key

GROUPS = 100
PER_GROUP = 100
KIND = "wish_alert"


def keyword(group: int) -> str:
    """The keyword group `group` subscribed to (one English token, its own stem)."""
    return f"e2ek{group:03d}"


def address(group: int, i: int) -> str:
    """The i-th subscriber of a group."""
    return f"g{group:03d}.s{i:03d}@example.org"


def recipients(group: int, per_group: int = PER_GROUP) -> list[str]:
    """Everyone a wish of this group concerns."""
    return [address(group, i) for i in range(per_group)]


def wish_body(n: int, groups: int = GROUPS) -> dict:
    """The n-th wish posted: it concerns group n % groups (and no other)."""
    return {"title_en": f"Lift fault prediction for estate {n} ({keyword(n % groups)})",
            "description_en": "Predict faults of passenger lifts before passengers are trapped, "
            "from controller data and vibration sensors; a pilot at two estates.",
            "categories": ["building-services"], "contact_email": "lifts@emsd.gov.hk"}


def alert_id(recipient: str, wish_id: str, domain: str) -> str:
    """The Message-ID of a wish's alert to one recipient (the notifier's own rule)."""
    return message_id(recipient, wish_item_key(wish_id), KIND, domain)


async def seed(url: str, groups: int = GROUPS, per_group: int = PER_GROUP) -> None:
    """Confirmed subscribers through the notifier's own use cases (what its subscribe and
    confirm endpoints call, minus the confirmation emails), 500 to a transaction."""
    db = Database(url)
    await migrate(db, service_history("notifier"))  # what `innoportal serve notifier` would do
    everyone = [(g, i) for g in range(groups) for i in range(per_group)]
    for start in range(0, len(everyone), 500):
        async with db.transaction() as s:
            now = datetime.now(UTC)
            for g, i in everyone[start:start + 500]:
                rules = validate_subscription({
                    "email": address(g, i), "keywords": [keyword(g)], "frequency": "instant",
                    "language": "zh-HK" if i % 3 == 0 else "en"})
                sub = await repository.add_subscription(s, rules, now=now)
                await repository.confirm_subscription(s, sub.id, now=now)
    await db.dispose()
