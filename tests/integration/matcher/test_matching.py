"""The matcher on a real nats-server: it ranks new wishes and solutions and publishes Matched."""

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import col, func, select

from contracts import MatchDecided, Subjects, WishPosted
from innoportal.auth import issue_token
from innoportal.idempotency import ProcessedEvent
from innoportal.testing.harness import eventually, running, stream_messages
from services.matcher.bootstrap import create_app
from services.matcher.adapters.snapshot_file import SnapshotFile
from services.matcher.engine import MatchingIndex
from services.matcher.models import MatchRow
from services.matcher.state import MatcherState

from .conftest import (
    CONSUMERS,
    consumer_info,
    email,
    matched,
    published_pairs,
    send,
    solution_submitted,
    wish_closed,
    wish_posted,
)

pytestmark = pytest.mark.nats


async def test_both_directions_across_languages_without_the_distractor(make_runtime, nats_server):
    url = nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)) as client:
        await send(url, wish_posted("w-docs"))  # Chinese only; no solution listed yet
        for solution_id in ("s-lift-zh", "s-hoist-en", "s-docs-en"):
            await send(url, solution_submitted(solution_id))
        # A new English wish against the listed solutions finds the Chinese-only one, and not
        # the hoisting robot that shares its lifting words.
        await send(url, wish_posted("w-lift"))
        pairs = await published_pairs(runtime, url)
        page = (await client.get("/v1/matches")).json()

    # A new English-only solution found the open Chinese-only wish (solution → wishes).
    assert pairs == [("w-docs", "s-docs-en"), ("w-lift", "s-lift-zh")]
    assert sorted((m["wish_id"], m["solution_id"]) for m in page["items"]) == pairs


async def test_matched_event_carries_score_reasons_and_both_parties_then_a_decision(
    make_runtime, nats_server, secret
):
    url = nats_server.url
    runtime = make_runtime()
    emsd = {"Authorization": "Bearer " + issue_token(secret, role="emsd", org="EMSD")}
    async with running(runtime, create_app(runtime)) as client:
        await send(url, solution_submitted("s-carpark-en"))
        await send(url, solution_submitted("s-lift-zh"))
        await send(url, wish_posted("w-carpark"))  # same language: English words match
        await send(url, wish_posted("w-lift"))  # across languages: the glossary matches
        await published_pairs(runtime, url)
        events = {(p["wish_id"], p["solution_id"]): (p, h) for p, h in await matched(url)}
        stored = (await client.get("/v1/matches")).json()["items"]

        assert len(await matched(url)) == len(events) == 2
        for (wish_id, solution_id), (payload, headers) in events.items():
            assert headers["Nats-Msg-Id"] == payload["event_id"]
            assert 0 <= payload["score"] <= 1 and payload["score"] >= 0.4  # the threshold
            assert payload["wish"]["contact_email"] == email(wish_id)
            assert payload["solution"]["contact_email"] == email(solution_id)
            assert [m["id"] for m in stored if m["wish_id"] == wish_id] == [payload["match_id"]]
            kinds = {r["kind"] for r in payload["reasons"]}
            assert {"glossary", "category"} <= kinds <= {"term", "glossary", "category"}
            assert all(r["weight"] > 0 for r in payload["reasons"])
        carpark, _ = events[("w-carpark", "s-carpark-en")]
        assert carpark["wish"] == {"id": "w-carpark", "title_en": "Vacant space detection for "
                                   "multi-storey car parks", "title_zh": None,
                                   "contact_email": "w-carpark@example.hk",
                                   "owner_org": "Transport Department"}
        assert carpark["solution"]["owner_org"] == "ParkSense Ltd"
        terms = {(r["value"], r["language"]) for r in carpark["reasons"] if r["kind"] == "term"}
        assert ("car", "en") in terms
        assert {("iot-sensors", "any"), ("smart-mobility", "any")} <= {
            (r["value"], r["language"]) for r in carpark["reasons"] if r["kind"] == "category"}
        lift, _ = events[("w-lift", "s-lift-zh")]
        assert lift["solution"] == {"id": "s-lift-zh", "title_en": None,
                                    "title_zh": "人工智能升降機故障預測平台",
                                    "contact_email": "s-lift-zh@example.hk",
                                    "owner_org": "香港科技大學"}
        # Cross-language evidence names both sides: the English words and the Chinese term.
        assert any(r["kind"] == "glossary" and "升降機" in r["value"] and "lift" in r["value"]
                   for r in lift["reasons"])

        # The consumers counted both pairs published; the accept moves one to accepted.
        assert await decision_gauges(client) == {"pending": 2, "accepted": 0, "rejected": 0}
        accepted = await client.post(f"/v1/matches/{lift['match_id']}/accept", headers=emsd)
        assert accepted.status_code == 200, accepted.text
        assert await decision_gauges(client) == {"pending": 1, "accepted": 1, "rejected": 0}
        decided = await eventually(
            lambda: stream_messages(url, subject=Subjects.MATCH_DECIDED))
        await runtime.relay.drain_once()
        assert len(await stream_messages(url, subject=Subjects.MATCH_DECIDED)) == 1
    event = MatchDecided.model_validate_json(decided[0].data)
    assert decided[0].headers["Nats-Msg-Id"] == event.event_id
    assert (event.match_id, event.decision, event.decided_by) == (lift["match_id"], "accepted",
                                                                  "EMSD")
    assert event.wish.contact_email == "w-lift@example.hk"
    assert event.solution.contact_email == "s-lift-zh@example.hk"


async def decision_gauges(client) -> dict[str, float]:
    """innoportal_matcher_matches by status, from /metrics."""
    text = (await client.get("/metrics")).text
    return {s.labels["status"]: s.value for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == "innoportal_matcher_matches"}


async def test_a_redelivered_wish_posted_makes_no_second_matched(make_runtime, nats_server):
    url = nats_server.url
    runtime = make_runtime()
    posted = wish_posted("w-lift")
    async with running(runtime, create_app(runtime)):
        await send(url, solution_submitted("s-lift-zh"))
        await send(url, posted)
        # The same event again under a new Nats-Msg-Id gets past JetStream's duplicate window,
        # as a replay would; then the same wish in a new event, as a re-post would.
        await send(url, posted, msg_id=f"replay-{posted.event_id}")
        await send(url, WishPosted(wish=posted.wish))
        pairs = await published_pairs(runtime, url)
        async with runtime.db.session() as s:
            rows = (await s.exec(select(func.count()).select_from(MatchRow))).one()
            claims = (await s.exec(select(func.count()).select_from(ProcessedEvent).where(
                col(ProcessedEvent.consumer) == "matcher-wish-posted"))).one()
    assert pairs == [("w-lift", "s-lift-zh")]
    assert rows == 1
    assert claims == 2  # the replay was recognised; the re-post was applied, and found no new pair
    assert await stream_messages(url, "INNOPORTAL_PARKED") == []


async def test_closed_wishes_are_never_matched_even_if_the_close_comes_first(
    make_runtime, nats_server, text_parts, tmp_path
):
    url = nats_server.url
    runtime = make_runtime()
    async with running(runtime, create_app(runtime)) as client:
        await send(url, wish_posted("w-lift"))
        await send(url, wish_closed("w-lift"))
        # The close overtakes the post (they travel on different consumers).
        await send(url, wish_closed("w-fever"))
        await send(url, wish_posted("w-fever"))
        await send(url, wish_posted("w-carpark"))  # an open wish: the control
        for solution_id in ("s-lift-zh", "s-fever-zh", "s-carpark-en"):
            await send(url, solution_submitted(solution_id))
        pairs = await published_pairs(runtime, url)
        stats = runtime.state.matcher.stats()
        listed = (await client.get("/v1/matches")).json()["total"]
        # An index rebuilt from the database alone (no snapshot) knows them closed as well.
        rebuilt = MatcherState(runtime.db, MatchingIndex(threshold=0.4, top_k=10, **text_parts),
                               SnapshotFile(tmp_path / "no-such.snapshot"))
        await rebuilt.load()
    assert pairs == [("w-carpark", "s-carpark-en")]
    assert listed == 1
    counts = ("wishes_open", "wishes_closed", "solutions")
    assert not rebuilt.from_snapshot
    assert [rebuilt.matcher.stats()[k] for k in counts] == [stats[k] for k in counts] == [1, 2, 3]


async def test_after_a_restart_the_snapshot_serves_and_old_events_are_not_reread(
    make_runtime, nats_server, tmp_path
):
    url = nats_server.url
    first = make_runtime()
    async with running(first, create_app(first)):
        await send(url, wish_posted("w-lift"))
        last_wish = await send(url, wish_posted("w-docs"))
    snapshot = tmp_path / "matcher-index.snapshot"
    assert snapshot.exists()  # saved on stop
    before = await consumer_info(url, CONSUMERS[Subjects.WISH_POSTED])
    assert before.delivered.stream_seq == last_wish

    second = make_runtime()
    async with running(second, create_app(second)) as client:
        state = second.state
        # The snapshot held both wishes; only the row at its watermark was read again.
        assert state.from_snapshot and state.replayed == 1
        assert state.matcher.stats()["wishes_open"] == 2
        await send(url, solution_submitted("s-lift-zh"))
        pairs = await published_pairs(second, url)
        after = await consumer_info(url, CONSUMERS[Subjects.WISH_POSTED])
        page = (await client.get("/v1/matches", params={"wish_id": "w-lift"})).json()
    assert pairs == [("w-lift", "s-lift-zh")]
    assert page["total"] == 1
    # The durable consumer went on where it was: no wish was delivered again.
    assert after.delivered.stream_seq == before.delivered.stream_seq
    assert after.num_redelivered == 0 and after.ack_floor.stream_seq == last_wish
    [(payload, _)] = await matched(url)
    assert payload["wish"]["owner_org"] == "Housing Department"
