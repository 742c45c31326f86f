"""Every 4xx of the notifier in the reader's language (see test_error_language.py): its subscription
rules and link tokens reach the kernel's FieldError, which answers in Chinese when asked."""

from datetime import timedelta

from sqlmodel import select

from contracts import utcnow
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.testing.smtp import SmtpServer
from services.notifier.bootstrap import bootstrap, create_app
from services.notifier.domain import issue_token
from services.notifier.models import Subscription
from services.notifier.settings import NotifierSettings

from .conftest import TEST_SECRET, UNUSED_NATS
from .error_corpus import Bad, check, get, post

JSON = {"Accept": "application/json"}
OK = {"email": "chan@example.hk", "categories": ["building-services"]}


def subscribe(status: int, body=None, **kwargs) -> Bad:
    return post("/v1/subscriptions", status, body if body is not None else OK, role=None, **kwargs)


def raw(status: int, content: bytes, content_type: str = "application/json") -> Bad:
    return subscribe(status, headers={"Content-Type": content_type}, content=content)


def rule_errors() -> list[Bad]:
    """What validate_subscription refuses, and bodies read_body cannot read."""
    keywords = [5, "a\nb", "a\x00b", "k" * 81, "!"]
    return [
        subscribe(422, {}),
        subscribe(422, {"email": "chan\n@example.hk", "categories": "lifts"}),
        subscribe(422, {"email": "x" * 250 + "@example.hk", "categories": ["lifts", 5]}),
        subscribe(422, {"email": "no-at-sign", "keywords": 5, "language": "fr"}),
        subscribe(422, {"email": "a@example.hk", "keywords": ["lift"] * 51, "frequency": "hourly"}),
        subscribe(422, {"email": "a@example.hk", "keywords": keywords, "receive_reports": "yes"}),
        subscribe(422, {"email": "a@example.hk"}),
        subscribe(422, {**OK, "postcode": "000"}),
        raw(422, b"[1, 2]"),
        raw(422, b""),
        raw(400, b'{"email": '),
        raw(400, b"[" * 5000),
        raw(415, b"email=a", "text/plain"),
        raw(413, b'{"email": "' + b"x" * 70_000 + b'"}'),
        raw(400, b"email=\xff", "application/x-www-form-urlencoded"),
        raw(422, b"email=a%40example.hk&language=fr", "application/x-www-form-urlencoded"),
    ]


def link_errors(secret: str, live: str, ended: str) -> list[Bad]:
    """Links whose token is missing, malformed, forged, for another purpose, expired or stale."""
    now = utcnow()
    manage = issue_token(secret, "manage", f"sub:{live}", now)
    tokens = {
        "missing": None, "malformed": "not-a-token", "version": "2.abc.def", "forged": "1.abc.def",
        "purpose": manage, "expired": issue_token(secret, "confirm", f"sub:{live}",
                                                  now - timedelta(days=30)),
        "unknown": issue_token(secret, "confirm", "sub:s-nobody", now),
        "nothing": issue_token(secret, "unsubscribe", "nobody", now),
        "ended": issue_token(secret, "manage", f"sub:{ended}", now),
    }
    status = {"missing": 422, "malformed": 400, "version": 400, "forged": 400, "purpose": 400,
              "expired": 410, "unknown": 404, "nothing": 400, "ended": 410}
    corpus = []
    for name, token in tokens.items():
        query = f"?token={token}" if token else ""
        path = {"nothing": "/v1/unsubscribe", "ended": "/v1/subscriptions/manage"}.get(
            name, "/v1/subscriptions/confirm")
        corpus.append(get(path + query, status[name]))
    corpus += [
        post(f"/v1/subscriptions/manage?token={manage}", 422, {**OK, "email": "lee@example.hk"},
             role=None, headers=JSON),
        post(f"/v1/subscriptions/manage?token={manage}", 422, {"frequency": "yearly"},
             role=None, headers=JSON),
        post("/v1/unsubscribe", 422, role=None, headers=JSON),
    ]
    return corpus


async def test_notifier_answers_every_error_in_chinese(tmp_path):
    smtp = SmtpServer()
    smtp.start()
    try:
        common = CommonSettings(nats_url=UNUSED_NATS, data_dir=tmp_path, secret_key=TEST_SECRET,
                                smtp_url=f"smtp://127.0.0.1:{smtp.port}?timeout=5")
        settings = NotifierSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/notifier.db")
        runtime = bootstrap(settings, common=common)
        async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
            for email in ("chan@example.hk", "lee@example.hk"):
                answer = await client.post("/v1/subscriptions", json={**OK, "email": email})
                assert answer.status_code == 202, answer.text
            async with runtime.db.session() as s:
                subs = {sub.email: sub.id for sub in (await s.exec(select(Subscription))).all()}
            secret = runtime.secret_key
            leave = issue_token(secret, "unsubscribe", f"sub:{subs['lee@example.hk']}", utcnow())
            assert (await client.post(f"/v1/unsubscribe?token={leave}")).status_code == 200
            corpus = [*rule_errors(),
                      *link_errors(secret, subs["chan@example.hk"], subs["lee@example.hk"])]
            for bad in corpus:
                await check(client, bad)
    finally:
        smtp.stop()
