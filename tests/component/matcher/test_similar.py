"""POST /v1/similar on each backend: the existing records most like a draft, across languages,
with a solution's field trials as the trial events told them (in any order); bad drafts."""

from datetime import UTC, datetime

import pytest

from contracts import KpiResult, TrialCompleted, TrialParty, TrialStarted, TrialTerminated
from innoportal.idempotency import apply_once
from services.matcher.service.trials import record_trial

from ..conftest import names
from .survey_world import SOLUTIONS, seed_world

# s-lift-zh again, rewritten in English by someone who has not seen it.
LIFT_DRAFT = {"kind": "solution", "title_en": "AI platform predicting lift faults",
              "description_en": "Analyses lift controller data with machine learning to predict "
                                "faults and arrange maintenance before passengers are trapped.",
              "categories": ["building-services"], "contact_email": "me@lab.hk", "trl": 6}
# w-lift again, in Chinese.
WISH_DRAFT = {"kind": "wish", "title_zh": "預測升降機故障",
              "description_zh": "在乘客被困前，利用控制器數據及感應器預測屋邨升降機的故障。",
              "categories": ["building-services"]}


async def similar(svc, draft: dict) -> dict:
    """The answer to a draft (asserting 200, and no contact email)."""
    response = await svc.client.post("/v1/similar", json=draft)
    assert response.status_code == 200, response.text
    assert "@" not in response.text
    return response.json()


async def test_a_solution_draft_in_english_finds_its_twin_in_chinese(matcher_db):
    await seed_world(matcher_db)
    body = await similar(matcher_db, LIFT_DRAFT)
    first = body["items"][0]
    assert (first["id"], first["kind"], first["status"], first["trl"]) == (
        "s-lift-zh", "solution", "listed", 7)
    assert first["title_zh"] == SOLUTIONS["s-lift-zh"]["title_zh"] and first["trials"] == []
    assert first["owner_org"] == "香港科技大學" and first["score"] >= 0.5
    assert {r["kind"] for r in first["reasons"]} >= {"glossary"}
    # Only solutions, none below the floor, the documents robot nowhere.
    assert {i["kind"] for i in body["items"]} == {"solution"}
    assert all(i["score"] >= body["floor"] == 0.35 for i in body["items"])
    assert "s-docs-en" not in [i["id"] for i in body["items"]]


async def test_a_wish_draft_in_chinese_finds_the_open_wish_in_english(matcher_db):
    await seed_world(matcher_db)
    body = await similar(matcher_db, WISH_DRAFT)
    found = [i["id"] for i in body["items"]]
    assert found[0] == "w-lift" and body["items"][0]["status"] == "open"
    assert "w-lift-closed" not in found and "w-docs" not in found
    assert body["items"][0]["trl"] is None and body["items"][0]["trials"] == []


async def test_limit_and_nothing_alike(matcher_db):
    await seed_world(matcher_db)
    assert len((await similar(matcher_db, {**LIFT_DRAFT, "limit": 1}))["items"]) == 1
    unrelated = {"kind": "solution", "title_en": "Seaweed farming drones for fish ponds"}
    assert (await similar(matcher_db, unrelated))["items"] == []


def parties() -> list[TrialParty]:
    return [TrialParty(role="wish", id="w-lift", contact_email="w@dept.gov.hk",
                       owner_org="Housing Department"),
            TrialParty(role="solution", id="s-lift-zh", contact_email="s@ust.hk",
                       owner_org="香港科技大學")]


def started(trial_id: str, match_id: str = "m-1") -> TrialStarted:
    return TrialStarted(trial_id=trial_id, match_id=match_id, venue_id="v-emsd-hq",
                        planned_start=datetime(2026, 3, 1, tzinfo=UTC),
                        planned_end=datetime(2026, 4, 1, tzinfo=UTC), parties=parties())


def completed(trial_id: str, version: int, verdict: str) -> TrialCompleted:
    kpi = KpiResult(name="Lead time", unit="hours", baseline=0, target=24, direction="increase",
                    measured=30, met=True, count=3)
    return TrialCompleted(trial_id=trial_id, match_id="m-1", verdict=verdict, kpi_results=[kpi],
                          report_url="http://trials/report", report_version=version,
                          parties=parties())


async def test_a_solution_shows_its_trials_whatever_order_their_events_came_in(matcher_db):
    await seed_world(matcher_db)
    db = matcher_db.runtime.db
    terminated = TrialTerminated(trial_id="t-2", match_id="m-2", reason="Venue lost",
                                 from_state="running", parties=parties())
    # t-1: its report, then a corrected one, then (late) its start; t-2 ended early.
    for consumer, event in (("c", completed("t-1", 1, "failed")),
                            ("c", completed("t-1", 2, "passed")),
                            ("s", started("t-1")), ("s", started("t-2", "m-2")), ("t", terminated),
                            ("c", completed("t-1", 2, "passed"))):  # a redelivery
        await apply_once(db, f"matcher-trial-{consumer}", event.event_id,
                         lambda uow, e=event: record_trial(uow, e))
    first = (await similar(matcher_db, LIFT_DRAFT))["items"][0]
    trials = {t["trial_id"]: t for t in first["trials"]}
    assert trials == {
        "t-1": {"trial_id": "t-1", "match_id": "m-1", "wish_id": "w-lift", "state": "completed",
                "verdict": "passed", "report_version": 2},
        "t-2": {"trial_id": "t-2", "match_id": "m-2", "wish_id": "w-lift",
                "state": "terminated", "verdict": None, "report_version": None},
    }


@pytest.mark.parametrize("draft, fields", [
    ({"kind": "solution"}, ["title_en", "title_zh"]),
    ({"kind": "wish", "title_en": "  ", "description_zh": ""}, ["title_en", "title_zh"]),
    ({"title_en": "Lift sensors"}, ["kind"]),
    ({"kind": "venue", "title_en": "Lift sensors"}, ["kind"]),
    ({"kind": "wish", "title_en": "x" * 201}, ["title_en"]),
    ({"kind": "wish", "description_zh": "字" * 10_001}, ["description_zh"]),
    ({"kind": "wish", "title_en": "Lifts", "categories": ["lifts"]}, ["categories"]),
    ({"kind": "wish", "title_en": "Lifts", "limit": 21}, ["limit"]),
])
async def test_a_bad_draft_is_a_422_naming_the_field(matcher, draft, fields):
    response = await matcher.client.post("/v1/similar", json=draft)
    assert response.status_code == 422, response.text
    assert all(names(response, field) for field in fields), response.text
