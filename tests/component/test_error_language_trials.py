"""Every 4xx of the trials service in the reader's language (see test_error_language.py): its own
domain errors (services/trials/api/web.py) as well as the kernel's."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from contracts import MatchDecided, MatchParty, utcnow
from innoportal.errors import FieldError
from innoportal.i18n import ZH, has_chinese, translate
from innoportal.uow import unit_of_work
from services.trials import service
from services.trials.domain import (
    Actor,
    ConcurrentUpdate,
    InvalidTransition,
    NotFound,
    NotPermitted,
    TrialsError,
)
from services.trials.domain.checks import Checker
from services.trials.domain.plan import parse_kpis
from services.trials.bootstrap import bootstrap, create_app
from services.trials.settings import TrialsSettings

from .conftest import bearer, sqlite_url
from .error_corpus import Bad, check, get, post, request_errors, workspace_trial_errors

DAY = timedelta(days=1)
KPIS = [{"name": "Energy saved", "unit": "kWh/day", "baseline": 0, "target": 12,
         "direction": "increase"}]
VENUE = {"name_en": "Annex", "name_zh": "附翼", "address": "3 Kai Shing Street",
         "owner_department": "EMSD", "concurrent": True}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def plan(match_id: str, venue_id: str, start: datetime, end: datetime, kpis: Any = KPIS) -> dict:
    return {"match_id": match_id, "venue_id": venue_id, "planned_start": iso(start),
            "planned_end": iso(end), "kpis": kpis}


async def decide(svc, match_id: str, decision: str = "accepted") -> None:
    parties = {
        "wish": MatchParty(id=f"w-{match_id}", title_en="Lift fault prediction",
                           contact_email="w@asd.gov.hk", owner_org="ArchSD"),
        "solution": MatchParty(id=f"s-{match_id}", title_zh="升降機監測", contact_email="s@ust.hk",
                               owner_org="HKUST"),
    }
    event = MatchDecided(match_id=match_id, wish_id=f"w-{match_id}", solution_id=f"s-{match_id}",
                         decision=decision, decided_by="EMSD", **parties)
    async with unit_of_work(svc.runtime.db) as uow:
        await service.record_match_decision(uow, event)


async def call(svc, method: str, path: str, body: Any = None, role: str = "emsd") -> dict:
    answer = await svc.client.request(method, path, json=body, headers=bearer(role))
    assert answer.status_code < 300, answer.text
    return answer.json()


async def trials_in_every_state(svc, now: datetime) -> dict[str, str]:
    """Venue `annex` (concurrent) and trials planned, overdue, running, completed, terminated."""
    ids = {"annex": (await call(svc, "POST", "/v1/venues", VENUE))["id"]}
    windows = {"planned": (now + DAY, now + 10 * DAY), "overdue": (now - 10 * DAY, now - 5 * DAY),
               "running": (now - DAY, now + 30 * DAY), "completed": (now - DAY, now + 30 * DAY),
               "terminated": (now + DAY, now + 10 * DAY)}
    for name, (start, end) in windows.items():
        await decide(svc, f"m-{name}")
        venue = "v-emsd-hq" if name == "running" else ids["annex"]
        body = plan(f"m-{name}", venue, start, end)
        ids[name] = (await call(svc, "POST", "/v1/trials", body))["id"]
    for name in ("running", "completed"):
        await call(svc, "POST", f"/v1/trials/{ids[name]}/start")
    await call(svc, "POST", f"/v1/trials/{ids['completed']}/measurements",
               {"kpi": "Energy saved", "value": 14})
    await call(svc, "POST", f"/v1/trials/{ids['completed']}/complete", {"summary": "Done."})
    await call(svc, "POST", f"/v1/trials/{ids['terminated']}/terminate", {"reason": "No budget."})
    for match_id, decision in (("m-free", "accepted"), ("m-rejected", "rejected")):
        await decide(svc, match_id, decision)
    return ids


def plan_errors(annex: str, now: datetime) -> list[Bad]:
    """Bodies of POST /v1/trials: shapes (pydantic), then the rules of the plan (the domain)."""
    start, end = now + DAY, now + 5 * DAY
    bad_kpi = {"name": "", "unit": "u" * 41, "baseline": "5", "direction": "up"}
    wrong = [{**KPIS[0], "baseline": 10, "target": 5}, {**KPIS[0], "baseline": 1e16},
             {**KPIS[0], "direction": "decrease", "baseline": 1, "target": 3}]
    return [
        post("/v1/trials", 422, {"match_id": "a b", "venue_id": 5, "planned_start": "soon",
                                 "planned_end": "2027-01-01T00:00:00", "kpis": [bad_kpi]}),
        post("/v1/trials", 422, {**plan("m-free", annex, start, end), "kpis": "many",
                                 "planned_start": "3000-01-01T00:00:00Z",
                                 "planned_end": "0001-01-01T00:00:00+01:00"}),
        post("/v1/trials", 422, plan("m-free", annex, start, end, kpis=[])),
        post("/v1/trials", 422, plan("m-free", annex, start, end, kpis=KPIS * 21)),
        post("/v1/trials", 422, plan("m-free", annex, end, start, kpis=wrong)),
        post("/v1/trials", 422, plan("m-free", "v-nowhere", start, end)),
        post("/v1/trials", 409, plan("m-unknown", annex, start, end)),
        post("/v1/trials", 409, plan("m-rejected", annex, start, end)),
        post("/v1/trials", 409, plan("m-running", annex, start, end)),
        post("/v1/trials", 409, plan("m-free", "v-emsd-hq", start, end)),
    ]


def lifecycle_errors(ids: dict[str, str], now: datetime) -> list[Bad]:
    """Moves, measurements, amendments and reports the trial's state or plan refuses."""
    run, done, term, planned = (f"/v1/trials/{ids[k]}" for k in
                                ("running", "completed", "terminated", "planned"))
    reading = {"kpi": "Energy saved", "value": 1}
    return [
        post(f"/v1/trials/{ids['overdue']}/start", 409),
        post(f"{run}/start", 409),
        post(f"{done}/complete", 409, {"summary": "Again."}),
        post(f"{run}/complete", 422, {}),
        post(f"{term}/terminate", 409, {"reason": "Again."}),
        post(f"{planned}/measurements", 409, reading),
        post(f"{run}/measurements", 403, reading, role="provider", org="CUHK"),
        post(f"{run}/measurements", 422, {"kpi": "Nope", "value": 1,
                                          "measured_at": iso(now + DAY)}, volatile=True),
        post(f"{run}/measurements", 422, {**reading, "measured_at": iso(now - 2 * DAY)}),
        post(f"{run}/measurements", 422, {**reading, "measured_at": "2027-01-01T00:00:00"}),
        post(f"{run}/measurements", 422, {"kpi": "Energy saved", "value": "1"}),
        post(f"{run}/measurements", 422, {"kpi": "Energy saved", "value": 1e16}),
        post(f"{run}/amendments", 409, {"reason": "Move.", "planned_start": iso(now)}),
        post(f"{run}/amendments", 409, {"reason": "Move.", "venue_id": ids["annex"]}),
        post(f"{run}/amendments", 422, {"reason": "Cut.", "planned_end": iso(now - DAY / 2)}),
        post(f"{run}/amendments", 422, {"reason": "Swap.", "kpis": [{**KPIS[0], "name": "Other"}]}),
        post(f"{planned}/amendments", 422, {"reason": "Nothing."}),
        post(f"{planned}/amendments", 422, {"reason": "Back.", "planned_end": iso(now)}),
        post(f"{term}/amendments", 409, {"reason": "Late."}),
        post(f"{run}/report/corrections", 409, {"reason": "Typo.", "summary": "Fixed."}),
        post(f"{done}/report/corrections", 422, {"reason": "Typo.", "summary": "Done."}),
        post(f"{done}/report/corrections", 422, {"reason": "", "summary": "\x00"}),
        get(f"{run}/measurements?kpi=Nope", 422),
        get(f"{run}/report", 404),
        get(f"{done}/report?version=9", 404),
        get(f"{done}/report.json?version=0", 422),
        get(f"{done}/report/charts/9.svg?lang=fr", 422),
        get(f"{done}/report/charts/9.svg", 404),
    ]


async def test_trials_answer_every_error_in_chinese(serve, tmp_path):
    settings = TrialsSettings(public_url="https://innoportal.example.hk/trials", report_pdf=False)
    async with serve(bootstrap, create_app, settings, sqlite_url(tmp_path, "trials")) as svc:
        now = utcnow()
        ids = await trials_in_every_state(svc, now)
        corpus = [
            *request_errors("venues", "emsd", VENUE),
            post("/v1/venues", 422, {"name_en": "", "name_zh": "名" * 201, "address": 5,
                                     "owner_department": "EMSD\x07", "concurrent": "yes"}),
            *plan_errors(ids["annex"], now),
            *lifecycle_errors(ids, now),
            *workspace_trial_errors(f"/v1/trials/{ids['running']}",
                                    f"/v1/trials/{ids['planned']}", ids["annex"]),
            get("/v1/trials/t-nowhere", 404),
            get("/v1/trials/a%20b", 404),
            get("/v1/venues/v-nowhere", 404),
            get("/v1/trials/t-nowhere/report", 404),
            get("/v1/venues/v-emsd-hq/calendar?include_ended=maybe", 422),
            get("/v1/trials?state=paused&venue_id=a%20b&limit=0", 422),
            get("/v1/reports?verdict=great&all_versions=maybe&limit=1000", 422),
        ]
        for bad in corpus:
            await check(svc.client, bad)


def messages_no_request_reaches() -> list[str]:
    """Trials messages the API's own checks (pydantic, routes) keep any request from reaching."""
    check = Checker()
    check.text("name", None, max_len=5)
    check.text("name", 5, max_len=5)
    check.number("value", "5")
    check.number("value", 10**400)
    check.number("value", float("nan"))
    check.moment("at", "tomorrow")
    check.moment("at", 5)
    check.moment("at", datetime(2026, 1, 1))
    check.choice("direction", "up", ("increase", "decrease"))
    check.flag("concurrent", "yes")
    parse_kpis("many", check)
    texts = [message for _, message in check.problems]
    errors: list[TrialsError | FieldError] = [
        NotPermitted(f"only EMSD may {action}; HKUST (provider) may not")
        for action in ("add venues", "open a trial", "start a trial", "complete a trial",
                       "terminate a trial", "amend a trial", "correct a report")
    ]
    errors += [
        ConcurrentUpdate("trial t-1 changed meanwhile; reload it and try again"),
        InvalidTransition("t-1", "running", "publish a report", "only a completed trial has one"),
        NotFound("match", "m-1"), NotFound("report", "t-1 v2"),
        FieldError("match_id", "is required"),
    ]
    return texts + [m for e in errors if isinstance(e, FieldError) for _, m in e.errors] \
        + [str(e) for e in errors if not isinstance(e, FieldError)]


@pytest.mark.parametrize("english", messages_no_request_reaches())
def test_trials_messages_no_request_reaches_are_in_chinese_too(english):
    assert has_chinese(translate(english, ZH)), english


async def test_amending_an_unknown_plan_field_is_refused_in_chinese():
    with pytest.raises(FieldError) as caught:
        await service.amend_trial(None, "t-1", by=Actor("EMSD", "emsd"),  # type: ignore[arg-type]
                                  reason="r", now=utcnow(), changes={"budget": 5})
    assert has_chinese(translate(caught.value.errors[0][1], ZH))
