"""The survey and the duplicate check over what came by the bus: records from WishPosted and
SolutionSubmitted, trials from TrialStarted and TrialCompleted (each delivered twice), on a
real nats-server."""

from datetime import UTC, datetime

import pytest

from contracts import KpiResult, TrialCompleted, TrialParty, TrialStarted
from innoportal.testing.harness import running
from services.matcher.bootstrap import create_app

from .conftest import email, send, solution_submitted, wish_posted

pytestmark = pytest.mark.nats


def parties() -> list[TrialParty]:
    return [TrialParty(role="wish", id="w-lift", contact_email=email("w-lift"),
                       owner_org="Housing Department"),
            TrialParty(role="solution", id="s-lift-zh", contact_email=email("s-lift-zh"),
                       owner_org="香港科技大學")]


async def test_survey_and_duplicates_from_the_bus_with_the_trials_it_heard_of(make_runtime,
                                                                              nats_server):
    url = nats_server.url
    runtime = make_runtime()
    started = TrialStarted(trial_id="t-1", match_id="m-1", venue_id="v-emsd-hq",
                           planned_start=datetime(2026, 3, 1, tzinfo=UTC),
                           planned_end=datetime(2026, 4, 1, tzinfo=UTC), parties=parties())
    kpi = KpiResult(name="Lead time", unit="hours", baseline=0, target=24, direction="increase",
                    measured=30, met=True, count=3)
    completed = TrialCompleted(trial_id="t-1", match_id="m-1", verdict="passed",
                               kpi_results=[kpi], report_url="http://x/report", parties=parties())
    async with running(runtime, create_app(runtime)) as client:
        for solution_id in ("s-lift-zh", "s-hoist-en", "s-docs-en"):
            await send(url, solution_submitted(solution_id))
        await send(url, wish_posted("w-lift"))
        await send(url, completed)  # before the start: events of one trial race
        await send(url, started)
        # The same event again under another message id: past JetStream's dedup, to the consumer.
        await send(url, completed, msg_id="again-" + completed.event_id)
        survey = (await client.get("/v1/survey", params={"wish_id": "w-lift"})).json()
        draft = {"kind": "solution", "title_en": "Predicting lift faults with machine learning",
                 "description_en": "Lift controller data and machine learning predict faults."}
        found = (await client.post("/v1/similar", json=draft)).json()

    assert survey["items"][0]["solution_id"] == "s-lift-zh"
    assert "s-docs-en" not in [i["solution_id"] for i in survey["items"]]
    first = found["items"][0]
    assert first["id"] == "s-lift-zh"
    assert first["trials"] == [{"trial_id": "t-1", "match_id": "m-1", "wish_id": "w-lift",
                                "state": "completed", "verdict": "passed",
                                "report_version": 1}]
