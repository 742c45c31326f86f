"""The trials service on a real nats-server: it learns accepted matches, and tells of its trials."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, func, select

from contracts import MatchDecided, MatchParty, Subjects
from innoportal.auth import issue_token
from innoportal.idempotency import ProcessedEvent
from innoportal.settings import CommonSettings
from innoportal.testing.harness import (
    acked_up_to,
    eventually,
    publish_event,
    running,
    stream_messages,
)
from services.trials.bootstrap import bootstrap, create_app
from services.trials.bus import MATCH_DECIDED_CONSUMER
from services.trials.repository import TrialsRepository
from services.trials.settings import TrialsSettings

pytestmark = pytest.mark.nats

PUBLIC = "https://innoportal.example.hk/trials"
KPIS = [
    {"name": "Energy saved", "unit": "kWh/day", "baseline": 0, "target": 12,
     "direction": "increase"},
    {"name": "Fault rate 故障率", "unit": "%", "baseline": 5, "target": 2,
     "direction": "decrease"},
]


def make_runtime(tmp_path, nats_url):
    common = CommonSettings(nats_url=nats_url, data_dir=tmp_path)
    settings = TrialsSettings(public_url=PUBLIC, report_pdf=False,
                              database_url=f"sqlite+aiosqlite:///{tmp_path}/trials.db")
    return bootstrap(settings, common=common)


def auth(secret, role="emsd", org="EMSD"):
    return {"Authorization": "Bearer " + issue_token(secret, role=role, org=org)}


def decided(match_id, decision="accepted", at=None):
    return MatchDecided(
        occurred_at=at or datetime.now(UTC), match_id=match_id, wish_id=f"w-{match_id}",
        solution_id=f"s-{match_id}", decision=decision, decided_by="EMSD",
        wish=MatchParty(id=f"w-{match_id}", title_en="Lift fault prediction",
                        title_zh="升降機故障預測", contact_email="w@asd.gov.hk",
                        owner_org="ArchSD"),
        solution=MatchParty(id=f"s-{match_id}", title_en="AI lift monitoring",
                            title_zh="人工智能升降機監測", contact_email="s@ust.hk",
                            owner_org="HKUST"),
    )


publish = publish_event


def _acked(url, seq):
    return acked_up_to(url, MATCH_DECIDED_CONSUMER, seq)


async def decision_of(runtime, match_id):
    async with runtime.db.session() as s:
        found = await TrialsRepository(s).get_match_decision(match_id)
    return found.decision if found else None


async def trial_events(url):
    return [(m.subject, json.loads(m.data), m.headers)
            for m in await stream_messages(url) if m.subject.startswith("innoportal.trial.")]


async def test_an_accepted_match_becomes_a_trial_whose_completion_is_published(
    tmp_path, nats_server, secret
):
    runtime = make_runtime(tmp_path, nats_server.url)
    emsd, provider = auth(secret), auth(secret, "provider", "HKUST")
    async with running(runtime, create_app(runtime)) as client:
        await publish(nats_server.url, decided("m-1"))
        await eventually(lambda: _is(decision_of(runtime, "m-1"), "accepted"))

        now = datetime.now(UTC)
        opened = await client.post("/v1/trials", headers=emsd, json={
            "match_id": "m-1", "venue_id": "v-emsd-hq", "planned_start": now.isoformat(),
            "planned_end": (now + timedelta(days=30)).isoformat(), "kpis": KPIS})
        assert opened.status_code == 201, opened.text
        tid = opened.json()["id"]
        assert (await client.post(f"/v1/trials/{tid}/start", headers=emsd)).status_code == 200
        for kpi, value in (("Energy saved", 13), ("Energy saved", 12), ("Fault rate 故障率", 3)):
            response = await client.post(f"/v1/trials/{tid}/measurements", headers=provider,
                                         json={"kpi": kpi, "value": value})
            assert response.status_code == 201, response.text
        done = await client.post(f"/v1/trials/{tid}/complete", headers=emsd,
                                 json={"summary": "Energy target met; fault rate not yet."})
        assert done.status_code == 200, done.text

        await eventually(lambda: _has(trial_events(nats_server.url), Subjects.TRIAL_COMPLETED))
        await runtime.relay.drain_once()  # give a duplicate every chance to show up
        events = await trial_events(nats_server.url)
        report = await client.get(f"/v1/trials/{tid}/report.json")

    assert [s for s, _, _ in events] == [Subjects.TRIAL_STARTED, Subjects.TRIAL_COMPLETED]
    (_, started, started_headers), (_, completed, headers) = events
    assert started["trial_id"] == tid and started["match_id"] == "m-1"
    assert started_headers["Nats-Msg-Id"] == started["event_id"]
    assert headers["Nats-Msg-Id"] == completed["event_id"]
    assert completed["trial_id"] == tid and completed["verdict"] == "partially_passed"
    assert [(k["name"], k["measured"], k["met"], k["count"]) for k in completed["kpi_results"]] == [
        ("Energy saved", 12.5, True, 2), ("Fault rate 故障率", 3.0, False, 1)]
    assert completed["report_url"] == f"{PUBLIC}/v1/trials/{tid}/report?version=1"
    assert completed["report_hash"] == report.json()["content_hash"]
    assert completed["summary"] == "Energy target met; fault rate not yet."
    assert {p["role"]: p["contact_email"] for p in completed["parties"]} == {
        "wish": "w@asd.gov.hk", "solution": "s@ust.hk"}


async def test_a_terminated_trial_publishes_its_reason(tmp_path, nats_server, secret):
    runtime = make_runtime(tmp_path, nats_server.url)
    emsd = auth(secret)
    async with running(runtime, create_app(runtime)) as client:
        await publish(nats_server.url, decided("m-2"))
        await eventually(lambda: _is(decision_of(runtime, "m-2"), "accepted"))
        now = datetime.now(UTC)
        opened = await client.post("/v1/trials", headers=emsd, json={
            "match_id": "m-2", "venue_id": "v-emsd-hq",
            "planned_start": (now + timedelta(days=3)).isoformat(),
            "planned_end": (now + timedelta(days=9)).isoformat(), "kpis": KPIS})
        tid = opened.json()["id"]
        await client.post(f"/v1/trials/{tid}/start", headers=emsd)
        ended = await client.post(f"/v1/trials/{tid}/terminate", headers=emsd,
                                  json={"reason": "Site flooded; 場地水浸"})
        assert ended.status_code == 200, ended.text
        await eventually(lambda: _has(trial_events(nats_server.url), Subjects.TRIAL_TERMINATED))
        await runtime.relay.drain_once()
        events = await trial_events(nats_server.url)
    assert [s for s, _, _ in events] == [Subjects.TRIAL_STARTED, Subjects.TRIAL_TERMINATED]
    terminated = events[1][1]
    assert (terminated["trial_id"], terminated["reason"], terminated["from_state"]) == (
        tid, "Site flooded; 場地水浸", "running")


async def test_a_redelivered_match_decision_has_no_second_effect(tmp_path, nats_server, secret):
    runtime = make_runtime(tmp_path, nats_server.url)
    moment = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    # Two decisions stamped the same instant: the later one to arrive stands. Applying the
    # first again (a redelivery) would bring "accepted" back; claim_event must stop it.
    accepted, rejected = decided("m-3", at=moment), decided("m-3", "rejected", at=moment)
    async with running(runtime, create_app(runtime)) as client:
        await publish(nats_server.url, accepted)
        await eventually(lambda: _is(decision_of(runtime, "m-3"), "accepted"))
        await publish(nats_server.url, rejected)
        await eventually(lambda: _is(decision_of(runtime, "m-3"), "rejected"))
        # A new Nats-Msg-Id gets it past JetStream's dedup, as a replay after the window would.
        seq = await publish(nats_server.url, accepted, msg_id=f"replay-{accepted.event_id}")
        await eventually(lambda: _acked(nats_server.url, seq))

        assert await decision_of(runtime, "m-3") == "rejected"
        now = datetime.now(UTC)
        refused = await client.post("/v1/trials", headers=auth(secret), json={
            "match_id": "m-3", "venue_id": "v-emsd-hq", "planned_start": now.isoformat(),
            "planned_end": (now + timedelta(days=1)).isoformat(), "kpis": KPIS})
        async with runtime.db.session() as s:
            claims = (await s.exec(select(func.count()).select_from(ProcessedEvent).where(
                col(ProcessedEvent.consumer) == MATCH_DECIDED_CONSUMER))).one()
    assert refused.status_code == 409 and "rejected" in refused.json()["detail"]
    assert claims == 2
    assert await stream_messages(nats_server.url, "INNOPORTAL_PARKED") == []


async def _is(value, expected):
    return await value == expected


async def _has(events, subject):
    return any(s == subject for s, _, _ in await events)


async def test_trial_completed_on_the_stream_says_how_each_kpi_was_summarised(
    tmp_path, nats_server, secret
):
    runtime = make_runtime(tmp_path, nats_server.url)
    emsd = auth(secret)
    today = (datetime.now(UTC) + timedelta(hours=8)).date()
    kpis = [{**KPIS[0], "aggregate": "last"}, {**KPIS[1], "aggregate": "median"}]
    async with running(runtime, create_app(runtime)) as client:
        await publish(nats_server.url, decided("m-2"))
        await eventually(lambda: _is(decision_of(runtime, "m-2"), "accepted"))
        opened = await client.post("/v1/trials", headers=emsd, json={
            "match_id": "m-2", "venue_id": "v-emsd-hq", "planned_start": today.isoformat(),
            "planned_end": (today + timedelta(days=30)).isoformat(), "kpis": kpis})
        assert opened.status_code == 201, opened.text
        tid = opened.json()["id"]
        assert (await client.post(f"/v1/trials/{tid}/start", headers=emsd)).status_code == 200
        items = [{"kpi": k, "value": v} for k, v in (
            ("Energy saved", 5), ("Energy saved", 12.5), ("Fault rate 故障率", 1),
            ("Fault rate 故障率", 2), ("Fault rate 故障率", 9), ("Fault rate 故障率", 1.5))]
        batch = await client.post(f"/v1/trials/{tid}/measurements/batch", headers=emsd,
                                  json={"items": items})
        assert batch.status_code == 201, batch.text
        done = await client.post(f"/v1/trials/{tid}/complete", headers=emsd,
                                 json={"summary": "Reached by the end."})
        assert done.status_code == 200, done.text
        await eventually(lambda: _has(trial_events(nats_server.url), Subjects.TRIAL_COMPLETED))
        events = await trial_events(nats_server.url)

    [completed] = [e for s, e, _ in events if s == Subjects.TRIAL_COMPLETED]
    assert completed["verdict"] == "passed"  # by the mean: 8.75 and 3.375, neither met
    assert [(k["name"], k["aggregate"], k["measured"], k["met"], k["count"])
            for k in completed["kpi_results"]] == [
        ("Energy saved", "last", 12.5, True, 2), ("Fault rate 故障率", "median", 1.75, True, 4)]
