"""The outbox against a real nats-server: one event per record, Nats-Msg-Id, NATS away and back."""

import json

import pytest

from innoportal.auth import issue_token
from innoportal.settings import CommonSettings
from innoportal.testing.harness import eventually, running, stream_messages
from services.wishes.bootstrap import bootstrap, create_app
from services.wishes.settings import WishesSettings

pytestmark = pytest.mark.nats

WISH = {
    "title_en": "Lift fault prediction",
    "title_zh": "升降機故障預測",
    "description_en": "Predict passenger lift faults before they strand passengers.",
    "categories": ["building-services", "ai-data-analytics"],
    "contact_email": "lifts@emsd.gov.hk",
}


def make_runtime(tmp_path, nats_url, db_url="", schema=None):
    from innoportal.db import Database

    common = CommonSettings(nats_url=nats_url, data_dir=tmp_path)
    settings = WishesSettings(database_url=db_url or f"sqlite+aiosqlite:///{tmp_path}/wishes.db")
    db = Database(settings.database_url, schema=schema)
    return bootstrap(settings, common=common, db=db)


def auth(secret, org="EMSD"):
    return {"Authorization": "Bearer " + issue_token(secret, role="department", org=org)}


async def test_stored_wish_gives_exactly_one_wish_posted(tmp_path, nats_server, secret, database_url):
    url, schema = database_url
    runtime = make_runtime(tmp_path, nats_server.url, url, schema)
    async with running(runtime, create_app(runtime)) as client:
        response = await client.post("/v1/wishes", json=WISH, headers=auth(secret))
        assert response.status_code == 201, response.text
        wish_id = response.json()["id"]
        msgs = await eventually(lambda: stream_messages(nats_server.url))
        # Give a duplicate every chance to show up before counting.
        await runtime.relay.drain_once()
    msgs = await stream_messages(nats_server.url)
    assert len(msgs) == 1
    msg = msgs[0]
    body = json.loads(msg.data)
    assert msg.subject == "innoportal.wish.posted"
    assert msg.headers["Nats-Msg-Id"] == body["event_id"]
    assert body["schema_version"] == 1 and body["occurred_at"].endswith("Z")
    assert body["wish"]["id"] == wish_id
    assert body["wish"]["title_zh"] == "升降機故障預測"
    assert body["wish"]["owner_org"] == "EMSD"
    assert body["wish"]["categories"] == ["building-services", "ai-data-analytics"]


async def test_wish_stored_while_nats_is_down_is_published_once_it_is_back(
    tmp_path, nats_server, secret
):
    runtime = make_runtime(tmp_path, nats_server.url)
    async with running(runtime, create_app(runtime)) as client:
        nats_server.stop()
        response = await client.post("/v1/wishes", json=WISH, headers=auth(secret))
        assert response.status_code == 201, response.text
        backlog, _ = await runtime.relay.backlog()
        assert backlog == 1
        ready = await client.get("/readyz")
        nats_server.start()
        await eventually(lambda: _backlog_empty(runtime), timeout=30)
        await runtime.relay.drain_once()
    assert ready.status_code == 503
    msgs = await stream_messages(nats_server.url)
    assert [m.subject for m in msgs] == ["innoportal.wish.posted"]
    assert json.loads(msgs[0].data)["wish"]["id"] == response.json()["id"]


async def _backlog_empty(runtime):
    count, _ = await runtime.relay.backlog()
    return count == 0


async def test_republishing_a_row_is_deduplicated_by_nats_msg_id(tmp_path, nats_server, secret):
    from sqlalchemy import update

    from innoportal.outbox import OutboxMessage

    runtime = make_runtime(tmp_path, nats_server.url)
    async with running(runtime, create_app(runtime)) as client:
        await client.post("/v1/wishes", json=WISH, headers=auth(secret))
        await eventually(lambda: _backlog_empty(runtime))
        # As if the relay crashed after the ack but before marking the row published.
        async with runtime.db.transaction() as session:
            await session.exec(update(OutboxMessage).values(published_at=None))
        await eventually(lambda: _backlog_empty(runtime))
    msgs = await stream_messages(nats_server.url)
    assert len(msgs) == 1
