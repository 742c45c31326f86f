"""A database of the first release, with its data, upgraded when the service starts: it is
recognised (no version table, every table there), stamped as the baseline, brought to head, and
the service serves what it held. Every service, on SQLite and on PostgreSQL."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from contracts import utcnow
from innoportal.db import Database
from innoportal.idempotency import ProcessedEvent
from innoportal.migrate import check_at_head
from innoportal.outbox import OutboxMessage
from innoportal.services import bootstrap_module
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running

from .schemas import SERVICE_NAMES, build_first_release, insert_models

SECRET = "migration-test-secret-0123456789-abcdefghijklmnop"
T0 = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
PARTY = {"id": "w-old", "title_en": "Lift fault prediction", "title_zh": None,
         "contact_email": "lifts@emsd.gov.hk", "owner_org": "EMSD"}


def record(model: Any, **fields: Any) -> Any:
    """A service record with the text and owner fields every record has."""
    return model(title_en="Lift fault prediction before the first migration",
                 description_en="Predict passenger lift faults.", contact_email="lifts@emsd.gov.hk",
                 categories_csv="building-services", owner_org="EMSD", created_at=T0, **fields)


def rows_of(service: str) -> list[Any]:
    """What the first release had stored: records of the service, and the kernel's rows."""
    from services.matcher.models import MatchRow
    from services.notifier.models import Subscription, SubscriptionCategory
    from services.portal.models import Account, BrowserSession
    from services.solutions.models import Solution
    from services.trials.models import VenueRow
    from services.wishes.models import Wish, WishTerm

    own = {
        "wishes": lambda: [record(Wish, id="w-old"), WishTerm(record_id="w-old", term="lift",
                                                             weight=1.0)],
        "solutions": lambda: [record(Solution, id="s-old", trl=6)],
        "matcher": lambda: [MatchRow(
            id="m-old", wish_id="w-old", solution_id="s-old", score=0.8, reasons_json="[]",
            wish_json=json.dumps(PARTY), solution_json=json.dumps({**PARTY, "id": "s-old"}),
            created_at=T0)],
        "notifier": lambda: [
            Subscription(id="sub-old", email="old@example.org", email_key="old@example.org",
                         language="en", frequency="instant", categories=["building-services"],
                         keywords=["lift"], status="confirmed", created_at=T0, confirmed_at=T0),
            SubscriptionCategory(category="building-services", subscription_id="sub-old")],
        "trials": lambda: [VenueRow(id="v-old", name_en="Old depot", name_zh="舊車廠",
                                    address="1 Old Road", owner_department="EMSD", created_at=T0)],
        "portal": lambda: [
            Account(id="a-old", email="admin@emsd.gov.hk", org="EMSD", role="emsd", admin=True,
                    status="active", created_at=T0, created_by="innoportal admin add"),
            BrowserSession(id_digest=hashlib.sha256(b"cookie-old").hexdigest(),
                           account_id="a-old", created_at=utcnow(),
                           expires_at=utcnow() + timedelta(days=1))],
    }[service]()
    kernel = [OutboxMessage(event_id="e-old", subject="innoportal.old.event", payload="{}",
                            created_at=T0, published_at=T0),
              ProcessedEvent(consumer=f"{service}-old", event_id="e-seen", processed_at=T0)]
    return [*own, *kernel]


async def served(service: str, client: Any) -> None:
    """The service answers with what the first release stored."""
    if service == "wishes":
        assert (await client.get("/v1/wishes/w-old")).json()["title_en"].startswith("Lift fault")
        assert [w["id"] for w in (await client.get("/v1/wishes?q=lift")).json()["items"]] == ["w-old"]
    elif service == "solutions":
        assert (await client.get("/v1/solutions/s-old")).json()["trl"] == 6
    elif service == "matcher":
        assert (await client.get("/v1/matches/m-old")).json()["score"] == 0.8
    elif service == "notifier":
        from services.notifier.domain.tokens import issue_token

        token = issue_token(SECRET, "manage", "sub:sub-old", utcnow())
        body = (await client.get("/v1/subscriptions/manage", params={"token": token},
                                 headers={"Accept": "application/json"})).json()
        assert (body.get("email"), body.get("keywords")) == ("old@example.org", ["lift"]), body
    elif service == "trials":
        venues = {v["id"] for v in (await client.get("/v1/venues")).json()["items"]}
        assert "v-old" in venues and len(venues) == 2  # and the seeded headquarters
    else:
        client.cookies.set("session", "cookie-old")
        page = await client.get("/en/my/accounts")
        assert page.status_code == 200 and "admin@emsd.gov.hk" in page.text


@pytest.fixture(scope="module")
def text_parts():
    """The matcher's analyzer and glossary, built once for this module."""
    from services.matcher.domain import Matcher

    matcher = Matcher()
    return {"glossary": matcher.glossary, "analyzer": matcher.analyzer}


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_the_first_release_database_is_upgraded_at_start_and_still_served(
    service, database_url, tmp_path, text_parts
):
    url, schema = database_url
    db = Database(url, schema=schema)
    await build_first_release(db, service)
    await insert_models(db, *rows_of(service))
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=SECRET)
    adapters = dict(common=common, db=db, **(text_parts if service == "matcher" else {}))
    module = bootstrap_module(service)
    runtime = module.bootstrap(**adapters)
    async with running(runtime, module.create_app(runtime), bus=False, relay=False) as client:
        await served(service, client)
        assert await check_at_head(db, runtime.history) == runtime.history.head()
        async with db.session() as session:
            [kept] = (await session.exec(select(OutboxMessage))).all()
            [seen] = (await session.exec(select(ProcessedEvent))).all()
        assert (kept.event_id, kept.published_at, seen.event_id) == ("e-old", T0, "e-seen")
