"""One trace from POST /v1/wishes to the alert's SMTP send: HTTP, the outbox, NATS, the notifier's
consumer, its fan-out and its sender (wishes and notifier in-process on a real nats-server and a
real aiosmtpd; spans kept by the SDK's in-memory exporter)."""

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import select

from innoportal.auth import issue_token
from innoportal.outbox import OutboxMessage
from innoportal.settings import CommonSettings
from innoportal.testing.harness import eventually, running, stream_messages
from services.notifier.bootstrap import bootstrap as notifier_bootstrap
from services.notifier.bootstrap import create_app as notifier_app
from services.notifier.settings import NotifierSettings
from services.wishes.bootstrap import bootstrap as wishes_bootstrap
from services.wishes.bootstrap import create_app as wishes_app
from services.wishes.settings import WishesSettings

from .conftest import PORTAL_URL, SECRET, SENDER, add_confirmed

pytestmark = pytest.mark.nats

WISH = {"title_en": "Lift fault prediction", "description_en": "Predict lift faults from sensor "
        "data before passengers are trapped.", "categories": ["building-services"],
        "contact_email": "lifts@emsd.gov.hk"}


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _runtimes(tmp_path, nats_server, smtp_server, provider):
    common = CommonSettings(nats_url=nats_server.url, data_dir=tmp_path, secret_key=SECRET,
                            smtp_url=smtp_server.url, portal_url=PORTAL_URL, mail_from=SENDER)
    wishes = wishes_bootstrap(WishesSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/w.db"),
                              common=common, tracer_provider=provider)
    notifier = notifier_bootstrap(
        NotifierSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/n.db", send_poll_seconds=0.2),
        common=common, tracer_provider=provider)
    return wishes, notifier


def _path_to_root(span, by_id) -> list:
    path = [span]
    while path[-1].parent is not None:
        path.append(by_id[path[-1].parent.span_id])
    return path


async def test_a_single_trace_runs_from_the_post_to_the_alerts_smtp_send(
        tmp_path, nats_server, smtp_server, spans):
    provider, exporter = spans
    wishes, notifier = _runtimes(tmp_path, nats_server, smtp_server, provider)
    token = issue_token(SECRET, role="department", org="EMSD")
    async with running(notifier, notifier_app(notifier)), \
            running(wishes, wishes_app(wishes)) as client:
        await add_confirmed(notifier, "ada@example.org", categories=["building-services"])
        posted = await client.post("/v1/wishes", json=WISH,
                                   headers={"Authorization": f"Bearer {token}"})
        assert posted.status_code == 201, posted.text
        await eventually(lambda: smtp_server.sink.messages("ada@example.org", "wish_alert"),
                         timeout=30)
        async with wishes.db.session() as s:
            [row] = (await s.exec(select(OutboxMessage))).all()
    provider.force_flush()
    finished = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    [send] = [s for s in finished if s.name == "smtp send"
              and s.attributes["innoportal.email.kind"] == "wish_alert"]
    path = _path_to_root(send, by_id)
    names = [s.name for s in path]
    root = path[-1]
    # One trace: the send's ancestors lead, through the fan-out, the consumer and the publish,
    # to the request's server span.
    assert {s.context.trace_id for s in path} == {root.context.trace_id}
    assert root.name == "POST /v1/wishes" and root.kind == SpanKind.SERVER, names
    assert names.index("smtp send") < names.index("notifier fan-out chunk") \
        < names.index("innoportal.wish.posted process") \
        < names.index("innoportal.wish.posted create") < names.index("POST /v1/wishes"), names
    assert send.kind == SpanKind.CLIENT and send.attributes["innoportal.email.outcome"] == "sent"
    # The context travelled in the outbox row and the event's headers.
    trace_hex = format(root.context.trace_id, "032x")
    assert row.traceparent and row.traceparent.split("-")[1] == trace_hex
    [msg] = await stream_messages(nats_server.url, subject="innoportal.wish.posted")
    assert msg.headers["traceparent"].split("-")[1] == trace_hex


async def test_without_a_tracer_provider_nothing_is_traced(tmp_path, nats_server, smtp_server):
    wishes, _ = _runtimes(tmp_path, nats_server, smtp_server, None)
    token = issue_token(SECRET, role="department", org="EMSD")
    assert wishes.tracer_provider is None
    async with running(wishes, wishes_app(wishes)) as client:
        posted = await client.post("/v1/wishes", json=WISH,
                                   headers={"Authorization": f"Bearer {token}"})
        assert posted.status_code == 201
        await eventually(lambda: stream_messages(nats_server.url, subject="innoportal.wish.posted"))
    [msg] = await stream_messages(nats_server.url, subject="innoportal.wish.posted")
    assert "traceparent" not in (msg.headers or {})
