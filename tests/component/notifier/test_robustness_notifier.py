"""Odd input to the notifier's endpoints answers 4xx naming the field, on each backend, and
stores nothing: text no database keeps (NUL, lone surrogates), non-ASCII link tokens."""

import json
from urllib.parse import urlencode

import pytest
from notifier_helpers import HTTP_SECRET, PORTAL_URL, SENDER
from sqlalchemy import func
from sqlmodel import select

from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from services.notifier.bootstrap import bootstrap, create_app
from services.notifier.models import EmailOutbox, Subscription, SubscriptionTerm
from services.notifier.settings import NotifierSettings

JSON = {"Accept": "application/json", "Content-Type": "application/json"}
FORM = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
BROWSER = {"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
async def notifier(tmp_path, smtp_server, database_url):
    """The notifier in-process on each backend (a SQLite file, a PostgreSQL schema)."""
    url, schema = database_url
    common = CommonSettings(
        nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=HTTP_SECRET,
        smtp_url=f"smtp://127.0.0.1:{smtp_server.port}?timeout=5", portal_url=PORTAL_URL,
        mail_from=SENDER)
    runtime = bootstrap(NotifierSettings(), common=common, db=Database(url, schema=schema))
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        client.runtime = runtime
        yield client


async def count(client, model) -> int:
    async with client.runtime.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


async def test_unstorable_keywords_are_refused_naming_the_field(notifier):
    # NUL and lone surrogates reached the database and answered 500 (PostgreSQL refuses both;
    # no driver encodes a lone surrogate), where the rule is a 422 naming the field.
    cases = [
        ({"keywords": ["lift", "ab\x00cd"]}, "keywords[1]"),
        ({"keywords": ["\ud800ab"]}, "keywords[0]"),
        ({"keywords": "lift, ab\x01cd"}, "keywords[1]"),
        ({"keywords": ["ab\x7fcd"]}, "keywords[0]"),
    ]
    for rules, field in cases:
        body = json.dumps({"email": "ada@example.org", **rules}).encode()
        response = await notifier.post("/v1/subscriptions", content=body, headers=JSON)
        assert response.status_code == 422, (rules, response.text)
        assert fields(response) == [field]
    response = await notifier.post("/v1/subscriptions", headers=FORM,
                                   content=b"email=ada%40example.org&keywords=ab%00cd")
    assert response.status_code == 422 and fields(response) == ["keywords[0]"], response.text
    assert await count(notifier, Subscription) == 0
    assert await count(notifier, EmailOutbox) == 0

    # Whitespace controls are not refused: they fold into spaces like any other whitespace.
    response = await notifier.post("/v1/subscriptions", headers=JSON,
                                   json={"email": "ada@example.org", "keywords": ["lift\tfault"]})
    assert response.status_code == 202, response.text
    assert await count(notifier, Subscription) == 1 and await count(notifier, SubscriptionTerm) > 0


async def test_an_unknown_field_named_by_a_lone_surrogate_is_named_back(notifier):
    # Its name went into the error answer as is, which no JSON encoder could write: 500.
    response = await notifier.post("/v1/subscriptions", headers=JSON,
                                   content=b'{"email": "ada@example.org", "\\ud800x": 1}')
    assert response.status_code == 422, response.text
    assert fields(response) == ["\\ud800x"]
    assert await count(notifier, Subscription) == 0


async def test_deeply_nested_json_is_malformed_not_a_crash(notifier):
    # A few thousand brackets fit in the body limit and overflowed the JSON parser's recursion:
    # RecursionError is no ValueError, so it answered 500.
    for body in (b"[" * 5000 + b"]" * 5000, b'{"email":' * 5000 + b"1" + b"}" * 5000):
        for path in ("/v1/subscriptions", "/v1/subscriptions/manage?token=x"):
            response = await notifier.post(path, content=body, headers=JSON)
            assert response.status_code == 400, response.text
            assert fields(response) == ["body"] and "nested" in response.json()["detail"]
    assert await count(notifier, Subscription) == 0


@pytest.mark.parametrize("token", ["1.\u00e9.abc", "1.升降機.abcd", "1.a\u00a0b.AAAA"])
async def test_a_link_token_with_non_ascii_text_is_malformed(notifier, token):
    # The signature check encoded the token's body as ASCII and raised: 500 for a pasted link.
    links = [("GET", "/v1/subscriptions/confirm"), ("GET", "/v1/subscriptions/manage"),
             ("POST", "/v1/subscriptions/manage"), ("GET", "/v1/unsubscribe"),
             ("POST", "/v1/unsubscribe")]
    for method, path in links:
        answer = await notifier.request(method, path, params={"token": token}, headers=JSON,
                                        content=b"{}")
        assert answer.status_code == 400, (method, path, answer.text)
        assert fields(answer) == ["token"] and "malformed" in answer.json()["detail"]
        page = await notifier.request(method, path, params={"token": token}, headers=BROWSER,
                                      content=b"")
        # A browser goes on to the portal's page for the token, which explains the 400.
        assert page.status_code == 303, (method, path, page.text)
        assert page.headers["location"].startswith(f"{PORTAL_URL}/en/")
        assert page.headers["location"].endswith("?" + urlencode({"token": token}))
