"""Wishes and solutions on a real nats-server learn from MatchDecided who the other party of an
accepted match is: that party, and no one else, then sees the record's contact email."""

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import col, func, select

from contracts import MatchDecided, MatchParty
from innoportal.auth import issue_token
from innoportal.db import Database
from innoportal.idempotency import ProcessedEvent
from innoportal.settings import CommonSettings
from innoportal.testing.harness import (
    acked_up_to,
    eventually,
    publish_event,
    running,
    stream_messages,
)
from services.solutions import bootstrap as solutions_bootstrap
from services.solutions.bus import MATCH_DECIDED_CONSUMER as SOLUTIONS_CONSUMER
from services.solutions.models import SolutionAcceptedParty
from services.solutions.settings import SolutionsSettings
from services.wishes import bootstrap as wishes_bootstrap
from services.wishes.bus import MATCH_DECIDED_CONSUMER as WISHES_CONSUMER
from services.wishes.models import WishAcceptedParty
from services.wishes.settings import WishesSettings

pytestmark = pytest.mark.nats

TEXTS = {
    "title_en": "Lift fault prediction",
    "title_zh": "升降機故障預測",
    "description_en": "Predict passenger lift faults before they strand passengers.",
    "categories": ["building-services"],
}


@dataclass(frozen=True)
class Side:
    """One record service, seen from the MatchDecided it consumes."""

    name: str
    bootstrap: Any
    settings: Any
    path: str
    consumer: str
    parties: Any
    owner: tuple[str, str]   # role, org of the record's owner
    other: tuple[str, str]   # role, org of the other party of its matches
    body: dict

    def decided(self, record_id: str, match_id: str, decision: str,
                other_org: str | None = None) -> MatchDecided:
        """EMSD's decision on a match of `record_id` with a record of `other_org`."""
        own = MatchParty(id=record_id, title_en="Ours", contact_email=self.body["contact_email"],
                         owner_org=self.owner[1])
        theirs = MatchParty(id=f"x-{match_id}", title_zh="對方", contact_email="them@example.hk",
                            owner_org=other_org or self.other[1])
        wish, solution = (own, theirs) if self.name == "wishes" else (theirs, own)
        return MatchDecided(match_id=match_id, wish_id=wish.id, solution_id=solution.id,
                            decision=decision, decided_by="EMSD", wish=wish, solution=solution,
                            reason=None if decision == "accepted" else "Not now")


SIDES = {
    "wishes": Side("wishes", wishes_bootstrap, WishesSettings, "/v1/wishes", WISHES_CONSUMER,
                   WishAcceptedParty, ("department", "ArchSD"), ("provider", "HKUST"),
                   {**TEXTS, "contact_email": "lifts@archsd.gov.hk"}),
    "solutions": Side("solutions", solutions_bootstrap, SolutionsSettings, "/v1/solutions",
                      SOLUTIONS_CONSUMER, SolutionAcceptedParty, ("provider", "HKUST"),
                      ("department", "ArchSD"), {**TEXTS, "contact_email": "lab@hkust.hk",
                                                 "trl": 7}),
}


@pytest.fixture(params=list(SIDES))
def side(request) -> Side:
    return SIDES[request.param]


def auth(secret: str, role: str, org: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + issue_token(secret, role=role, org=org)}


def make_runtime(side: Side, tmp_path, nats_url: str, database) -> Any:
    url, schema = database
    common = CommonSettings(nats_url=nats_url, data_dir=tmp_path)
    return side.bootstrap.bootstrap(side.settings(), common=common,
                                    db=Database(url, schema=schema))


async def send(url: str, side: Side, event: MatchDecided, msg_id: str | None = None) -> None:
    """Publish as the matcher's relay does; wait until the service's consumer has acked it."""
    seq = await publish_event(url, event, msg_id)
    await eventually(lambda: acked_up_to(url, side.consumer, seq))


async def contact_seen(client, side: Side, record_id: str, headers: dict) -> bool:
    """Whether `headers` see the contact, alone and in the list (which must agree)."""
    got = await client.get(f"{side.path}/{record_id}", headers=headers)
    listed = await client.get(side.path, headers=headers)
    assert got.status_code == listed.status_code == 200, (got.text, listed.text)
    [item] = [r for r in listed.json()["items"] if r["id"] == record_id]
    assert ("contact_email" in got.json()) == ("contact_email" in item)
    if "contact_email" in item:
        assert item["contact_email"] == got.json()["contact_email"] == side.body["contact_email"]
    return "contact_email" in item


async def counts(runtime, side: Side) -> tuple[int, int]:
    """(accepted-party rows, MatchDecided claims) in the service's database."""
    async with runtime.db.session() as s:
        rows = (await s.exec(select(func.count()).select_from(side.parties))).one()
        claims = (await s.exec(select(func.count()).select_from(ProcessedEvent).where(
            col(ProcessedEvent.consumer) == side.consumer))).one()
    return rows, claims


async def test_the_other_party_of_an_accepted_match_sees_the_contact(
    side, tmp_path, nats_server, secret, database_url
):
    url = nats_server.url
    runtime = make_runtime(side, tmp_path, url, database_url)
    owner, other = auth(secret, *side.owner), auth(secret, *side.other)
    outsider = auth(secret, side.other[0], "CUHK")
    async with running(runtime, side.bootstrap.create_app(runtime)) as client:
        created = await client.post(side.path, json=side.body, headers=owner)
        assert created.status_code == 201, created.text
        record_id = created.json()["id"]
        assert not await contact_seen(client, side, record_id, other)

        # Rejected: nothing is shown.
        await send(url, side, side.decided(record_id, "m-rejected", "rejected"))
        assert not await contact_seen(client, side, record_id, other)
        assert await counts(runtime, side) == (0, 1)

        # Accepted: the other party sees it; an outsider and the public still do not.
        accepted = side.decided(record_id, "m-accepted", "accepted")
        await send(url, side, accepted)
        assert await contact_seen(client, side, record_id, other)
        assert not await contact_seen(client, side, record_id, outsider)
        assert not await contact_seen(client, side, record_id, {})
        assert await contact_seen(client, side, record_id, owner)
        assert await counts(runtime, side) == (1, 2)

        # A redelivery (a new Nats-Msg-Id gets it past JetStream's dedup, as a replay after the
        # window would) has no second effect.
        await send(url, side, accepted, msg_id=f"replay-{accepted.event_id}")
        assert await counts(runtime, side) == (1, 2)
        assert await contact_seen(client, side, record_id, other)

        # Another organisation's accepted match with the same record shows it to that one too.
        await send(url, side, side.decided(record_id, "m-cuhk", "accepted", other_org="CUHK"))
        assert await contact_seen(client, side, record_id, outsider)
        assert await counts(runtime, side) == (2, 3)
    assert await stream_messages(url, "INNOPORTAL_PARKED") == []


async def test_a_replayed_acceptance_cannot_undo_a_later_rejection(
    side, tmp_path, nats_server, secret
):
    url = nats_server.url
    runtime = make_runtime(side, tmp_path, url, (f"sqlite+aiosqlite:///{tmp_path}/db.db", None))
    other = auth(secret, *side.other)
    async with running(runtime, side.bootstrap.create_app(runtime)) as client:
        created = await client.post(side.path, json=side.body, headers=auth(secret, *side.owner))
        record_id = created.json()["id"]
        accepted = side.decided(record_id, "m-1", "accepted")
        await send(url, side, accepted)
        assert await contact_seen(client, side, record_id, other)
        # The latest decision on a match stands: a rejection withdraws what its acceptance gave.
        await send(url, side, side.decided(record_id, "m-1", "rejected"))
        assert not await contact_seen(client, side, record_id, other)
        # Applying the acceptance again would bring the contact back; its claim stops it.
        await send(url, side, accepted, msg_id=f"replay-{accepted.event_id}")
        assert not await contact_seen(client, side, record_id, other)
        assert await counts(runtime, side) == (0, 2)
    assert await stream_messages(url, "INNOPORTAL_PARKED") == []
