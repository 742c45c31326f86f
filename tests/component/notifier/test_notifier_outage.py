"""A database the notifier cannot reach answers 503 with Retry-After (the portal's "try again"
page), not 500: a SQLite file that cannot be opened, a PostgreSQL server that is not there."""

import httpx
import pytest
from notifier_helpers import HTTP_SECRET, PORTAL_URL, SENDER

from contracts import utcnow
from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.nats_server import free_port
from services.notifier.bootstrap import bootstrap, create_app
from services.notifier.domain import issue_token
from services.notifier.settings import NotifierSettings

JSON = {"Accept": "application/json"}


def unusable_sqlite(tmp_path) -> str:
    # The "file" is a directory: SQLite cannot open it as a database.
    (tmp_path / "notifier.db").mkdir()
    return f"sqlite+aiosqlite:///{tmp_path}/notifier.db"


def stopped_postgres(_tmp_path) -> str:
    return f"postgresql+asyncpg://innoportal@127.0.0.1:{free_port()}/notifier"


@pytest.fixture(params=[unusable_sqlite, stopped_postgres], ids=["sqlite", "postgres"])
async def client(request, tmp_path):
    """The notifier's HTTP app on a database that is not there (never started: nothing connects
    before a request needs the database)."""
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path,
                            secret_key=HTTP_SECRET, portal_url=PORTAL_URL, mail_from=SENDER)
    runtime = bootstrap(NotifierSettings(), common=common, db=Database(request.param(tmp_path)))
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    await runtime.db.dispose()


def unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "30"
    body = response.json()
    assert body["errors"] == [] and "database" in body["detail"]


async def test_subscribing_while_the_database_is_down_is_503_with_retry_after(client):
    unavailable(await client.post("/v1/subscriptions", headers=JSON,
                                  json={"email": "ada@example.org", "categories": ["iot-sensors"]}))
    # Bad input is still refused as such: it never reaches the database.
    bad = await client.post("/v1/subscriptions", headers=JSON, json={"email": "ada@example.org"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "categories"


async def test_every_link_while_the_database_is_down_is_503(client):
    now = utcnow()
    for method, path, purpose in [("GET", "/v1/subscriptions/confirm", "confirm"),
                                  ("GET", "/v1/subscriptions/manage", "manage"),
                                  ("GET", "/v1/unsubscribe", "unsubscribe"),
                                  ("POST", "/v1/unsubscribe", "unsubscribe")]:
        token = issue_token(HTTP_SECRET, purpose, "sub:sub-1", now)
        answer = await client.request(method, path, params={"token": token}, headers=JSON,
                                      content=b"List-Unsubscribe=One-Click")
        unavailable(answer)
