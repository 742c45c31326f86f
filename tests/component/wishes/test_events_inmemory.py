"""The relay's WishPosted reaches a typed subscriber, through FastStream's in-memory NATS broker."""

from faststream.nats import TestNatsBroker
from faststream.nats.annotations import NatsMessage

from contracts import STREAM, Subjects, WishPosted

from ..conftest import bearer
from .conftest import WISH


async def test_relayed_wish_posted_reaches_a_typed_subscriber(wishes):
    received: list[tuple[WishPosted, dict]] = []

    @wishes.runtime.broker.subscriber(Subjects.WISH_POSTED, stream=STREAM)
    async def on_wish_posted(event: WishPosted, message: NatsMessage) -> None:
        received.append((event, dict(message.headers)))

    response = await wishes.client.post("/v1/wishes", json={**WISH, "budget_hkd": 500_000},
                                        headers=bearer("department", "Housing Department"))
    assert response.status_code == 201
    wish = response.json()

    async with TestNatsBroker(wishes.runtime.broker):
        assert await wishes.runtime.relay.drain_once() == 1
        assert await wishes.runtime.relay.drain_once() == 0  # published once, marked so

    assert len(received) == 1
    event, headers = received[0]
    staged = (await wishes.outbox())[0]
    assert staged.published_at is not None
    assert event.event_id == staged.event_id == headers["Nats-Msg-Id"]
    assert event.wish.id == wish["id"]
    assert event.wish.owner_org == "Housing Department"
    assert (event.wish.title_en, event.wish.title_zh) == (WISH["title_en"], WISH["title_zh"])
    assert event.wish.categories == WISH["categories"]
    assert event.wish.contact_email == WISH["contact_email"]
    assert event.wish.budget_hkd == 500_000 and event.wish.status == "open"
