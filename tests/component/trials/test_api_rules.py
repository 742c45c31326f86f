"""The trials API's rules: wrong moves (409), roles (401/403), unknown ids (404), bad input (422)."""

import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from ..conftest import bearer, error_fields, names
from .conftest import KPIS, accept_match
from .test_api import EMSD, PROVIDER, at, open_trial, plan

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
DEPARTMENT = bearer("department", "ArchSD")
RIVAL = bearer("provider", "Rival Robotics Ltd")
SUMMARY, REASON = {"summary": "Done."}, {"reason": "Stopped."}
MEASURE = {"kpi": "Energy saved", "value": 1}
AMEND = {"reason": "Later end", "planned_end": "2099-01-01T00:00:00Z"}


def raw_json(body) -> dict:
    """Request arguments sending `body` as JSON that may hold NaN or Infinity (httpx refuses)."""
    return {"content": json.dumps(body).encode(), "headers": {"content-type": "application/json"}}


async def trial_in(svc, state: str, match_id: str = "m-1") -> str:
    """The id of a trial brought to `state` over HTTP."""
    now = datetime.now(UTC)
    trial = await open_trial(svc, match_id, now - HOUR, now + DAY)
    tid, post = trial["id"], svc.client.post
    if state in ("running", "completed"):
        assert (await post(f"/v1/trials/{tid}/start", headers=EMSD)).status_code == 200
    if state == "completed":
        assert (await post(f"/v1/trials/{tid}/complete", json=SUMMARY,
                           headers=EMSD)).status_code == 200
    if state == "terminated":
        assert (await post(f"/v1/trials/{tid}/terminate", json=REASON,
                           headers=EMSD)).status_code == 200
    return tid


# (action path, body) of each move; which states allow it.
MOVES = {
    "start": ("start", None, {"planned"}),
    "measure": ("measurements", MEASURE, {"running"}),
    "amend": ("amendments", AMEND, {"planned", "running"}),
    "complete": ("complete", SUMMARY, {"running"}),
    "terminate": ("terminate", REASON, {"planned", "running"}),
    "correct": ("report/corrections", {"reason": "r", "summary": "Other."}, {"completed"}),
}


@pytest.mark.parametrize("state", ["planned", "running", "completed", "terminated"])
async def test_every_wrong_move_answers_409_and_changes_nothing(api, state):
    tid = await trial_in(api, state)
    before = (await api.client.get(f"/v1/trials/{tid}")).json()
    for move, (path, body, allowed) in MOVES.items():
        if state in allowed:
            continue
        response = await api.client.post(f"/v1/trials/{tid}/{path}", json=body, headers=EMSD)
        assert response.status_code == 409, (state, move, response.text)
        assert error_fields(response) == ["state"], (state, move)
        assert state in response.json()["detail"]
    assert (await api.client.get(f"/v1/trials/{tid}")).json() == before


async def test_the_plan_is_fixed_once_running_except_the_end_and_kpis(api):
    tid = await trial_in(api, "running")
    for change in ({"planned_start": "2020-01-01T00:00:00Z"}, {"venue_id": "v-emsd-hq"}):
        response = await api.client.post(f"/v1/trials/{tid}/amendments", headers=EMSD,
                                         json={"reason": "r", **change})
        assert response.status_code == 409, response.text
    dropped = await api.client.post(f"/v1/trials/{tid}/amendments", headers=EMSD,
                                    json={"reason": "r", "kpis": KPIS[:1]})
    assert dropped.status_code == 422 and error_fields(dropped) == ["kpis"]
    nothing = await api.client.post(f"/v1/trials/{tid}/amendments", headers=EMSD,
                                    json={"reason": "r"})
    assert nothing.status_code == 422 and error_fields(nothing) == ["amendment"]


async def test_a_trial_whose_window_has_passed_cannot_start(api):
    now = datetime.now(UTC)
    trial = await open_trial(api, "m-1", now - 3 * DAY, now - DAY)
    response = await api.client.post(f"/v1/trials/{trial['id']}/start", headers=EMSD)
    assert response.status_code == 409 and "planned end" in response.json()["detail"]


async def test_only_an_accepted_match_can_be_trialled_and_only_once_at_a_time(api):
    now = datetime.now(UTC)
    body = plan("m-unknown", now + DAY, now + 2 * DAY)
    unknown = await api.client.post("/v1/trials", json=body, headers=EMSD)
    assert unknown.status_code == 409 and error_fields(unknown) == ["match_id"]
    await accept_match(api, "m-no", "rejected")
    rejected = await api.client.post("/v1/trials", json={**body, "match_id": "m-no"},
                                     headers=EMSD)
    assert rejected.status_code == 409 and "rejected" in rejected.json()["detail"]
    first = await open_trial(api, "m-1", now + DAY, now + 2 * DAY)
    twice = await api.client.post(
        "/v1/trials", json=plan("m-1", now + 5 * DAY, now + 6 * DAY), headers=EMSD)
    assert twice.status_code == 409 and error_fields(twice) == ["match_id"]
    assert first["id"] in twice.json()["detail"]


WRITES = [
    ("/v1/venues", {"name_en": "Hall", "name_zh": "禮堂", "address": "1 Road",
                    "owner_department": "EMSD"}),
    ("/v1/trials", None),
    ("/v1/trials/{tid}/start", None),
    ("/v1/trials/{tid}/amendments", AMEND),
    ("/v1/trials/{tid}/complete", SUMMARY),
    ("/v1/trials/{tid}/terminate", REASON),
    ("/v1/trials/{tid}/report/corrections", {"reason": "r", "summary": "s"}),
]


async def test_every_write_needs_a_token_and_the_emsd_role(api):
    tid = await trial_in(api, "planned")
    now = datetime.now(UTC)
    for path, body in WRITES:
        url = path.format(tid=tid)
        body = body or plan("m-2", now + 9 * DAY, now + 10 * DAY)
        anonymous = await api.client.post(url, json=body)
        assert anonymous.status_code == 401, url
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        forged = await api.client.post(url, json=body, headers={"Authorization": "Bearer x.y.z"})
        assert forged.status_code == 401, url
        for who in (DEPARTMENT, PROVIDER):
            response = await api.client.post(url, json=body, headers=who)
            assert response.status_code == 403 and error_fields(response) == ["role"], url
    assert (await api.client.get(f"/v1/trials/{tid}")).json()["state"] == "planned"


async def test_measurements_come_from_emsd_or_the_trials_own_provider(api):
    tid = await trial_in(api, "running")
    url = f"/v1/trials/{tid}/measurements"
    assert (await api.client.post(url, json=MEASURE)).status_code == 401
    for stranger in (RIVAL, DEPARTMENT):
        refused = await api.client.post(url, json=MEASURE, headers=stranger)
        assert refused.status_code == 403 and error_fields(refused) == ["role"]
        assert "HKUST" in refused.json()["detail"]
    for allowed in (PROVIDER, EMSD):
        assert (await api.client.post(url, json=MEASURE, headers=allowed)).status_code == 201
    assert (await api.client.get(url)).json()["total"] == 2


async def test_unknown_ids_answer_404_naming_them(api):
    for method, url, field in [
        ("get", "/v1/trials/t-nope", "trial_id"),
        ("get", "/v1/trials/t-nope/measurements", "trial_id"),
        ("get", "/v1/trials/t-nope/report", "trial_id"),
        ("get", "/v1/trials/t-nope/report.json", "trial_id"),
        ("get", "/v1/trials/t-nope/report.pdf", "trial_id"),
        ("get", "/v1/trials/t%00nope", "trial_id"),
        ("get", "/v1/venues/v-nope", "venue_id"),
        ("get", "/v1/venues/v-nope/calendar", "venue_id"),
        ("post", "/v1/trials/t-nope/start", "trial_id"),
        ("post", "/v1/trials/t-nope/measurements", "trial_id"),
        ("post", "/v1/trials/t-nope/complete", "trial_id"),
        ("post", "/v1/trials/t-nope/terminate", "trial_id"),
        ("post", "/v1/trials/t-nope/amendments", "trial_id"),
        ("post", "/v1/trials/t-nope/report/corrections", "trial_id"),
    ]:
        body = {"reason": "r", "summary": "s", "planned_end": "2099-01-01T00:00:00Z", **MEASURE}
        kwargs = {"json": body, "headers": EMSD} if method == "post" else {}
        response = await getattr(api.client, method)(url, **kwargs)
        assert response.status_code == 404, (url, response.text)
        assert error_fields(response) == [field], url


async def test_a_report_is_not_there_before_completion(api):
    tid = await trial_in(api, "running")
    for suffix in ("report", "report.json", "report.pdf"):
        response = await api.client.get(f"/v1/trials/{tid}/{suffix}")
        assert response.status_code == 404 and error_fields(response) == ["report"]
        assert "running" in response.json()["detail"]


@pytest.mark.parametrize(("change", "field"), [
    ({"match_id": None}, "match_id"),
    ({"match_id": "m 1"}, "match_id"),
    ({"venue_id": "v-nowhere"}, "venue_id"),
    ({"kpis": []}, "kpis"),
    ({"kpis": "Energy"}, "kpis"),
    ({"kpis": [{**KPIS[0], "direction": "up"}]}, "kpis[0].direction"),
    ({"kpis": [{**KPIS[0], "target": -1}]}, "kpis[0].target"),
    ({"kpis": [{**KPIS[0], "baseline": "0"}]}, "kpis[0].baseline"),
    ({"kpis": [{**KPIS[0], "target": math.inf}]}, "kpis[0].target"),
    ({"kpis": [{**KPIS[0], "name": " "}]}, "kpis[0].name"),
    ({"kpis": [KPIS[0], {**KPIS[1], "name": "energy SAVED"}]}, "kpis[1].name"),
    ({"kpis": [{k: v for k, v in KPIS[0].items() if k != "unit"}]}, "kpis[0].unit"),
    ({"planned_start": "2026-05-01T09:00:00"}, "planned_start"),
    ({"planned_start": "next week"}, "planned_start"),
    ({"planned_end": "2026-04-01T09:00:00Z"}, "planned_end"),
    ({"planned_end": "9999-12-31T23:59:59-05:00"}, "planned_end"),
])
async def test_a_bad_plan_answers_422_naming_the_field(api, change, field):
    await accept_match(api, "m-1")
    body = {**plan("m-1", datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)),
            **change}
    request = raw_json(body)
    response = await api.client.post("/v1/trials", content=request["content"],
                                     headers={**request["headers"], **EMSD})
    assert response.status_code == 422, response.text
    assert names(response, field), (field, response.json())
    assert (await api.client.get("/v1/trials")).json()["total"] == 0


async def test_a_bad_measurement_answers_422_naming_the_field(api):
    tid = await trial_in(api, "running")
    url = f"/v1/trials/{tid}/measurements"
    future = at(datetime.now(UTC) + HOUR)
    for body, field in [
        ({**MEASURE, "kpi": "Noise"}, "kpi"),
        ({**MEASURE, "value": "12"}, "value"),
        ({**MEASURE, "value": math.nan}, "value"),
        ({**MEASURE, "value": True}, "value"),
        ({"kpi": "Energy saved"}, "value"),
        ({**MEASURE, "measured_at": future}, "measured_at"),
        ({**MEASURE, "measured_at": "2026-03-01T09:00:00"}, "measured_at"),
        ({**MEASURE, "measured_at": at(datetime.now(UTC) - 2 * HOUR)}, "measured_at"),
    ]:
        request = raw_json(body)
        response = await api.client.post(url, content=request["content"],
                                         headers={**request["headers"], **PROVIDER})
        assert response.status_code == 422, (body, response.text)
        assert error_fields(response) == [field], (body, response.json())
    assert (await api.client.get(url)).json()["total"] == 0
    unknown_filter = await api.client.get(url, params={"kpi": "Noise"})
    assert unknown_filter.status_code == 422 and error_fields(unknown_filter) == ["kpi"]


async def test_other_bad_bodies_and_queries_answer_4xx_naming_the_field(api):
    tid = await trial_in(api, "running")
    post, get = api.client.post, api.client.get
    for url, body, field in [
        (f"/v1/trials/{tid}/complete", {"summary": "  "}, "summary"),
        (f"/v1/trials/{tid}/complete", {}, "summary"),
        (f"/v1/trials/{tid}/complete", None, "body"),
        (f"/v1/trials/{tid}/terminate", {"reason": "a\x00b"}, "reason"),
        (f"/v1/trials/{tid}/amendments", {"reason": "r", "planned_end": "soon"}, "planned_end"),
        ("/v1/venues", {"name_en": "Hall", "name_zh": "禮堂", "address": "1 Road"},
         "owner_department"),
        ("/v1/venues", {"name_en": "Hall", "name_zh": "禮堂", "address": "1 Road",
                        "owner_department": "EMSD", "concurrent": "yes"}, "concurrent"),
    ]:
        response = await post(url, json=body, headers=EMSD)
        assert response.status_code == 422, (url, body, response.text)
        assert error_fields(response) == [field], (url, body, response.json())
    malformed = await post(f"/v1/trials/{tid}/complete", content=b"{not json",
                           headers={**EMSD, "content-type": "application/json"})
    assert malformed.status_code == 400 and error_fields(malformed) == ["body"]
    for params, field in [({"limit": 0}, "limit"), ({"state": "paused"}, "state"),
                          ({"venue_id": "v x"}, "venue_id")]:
        response = await get("/v1/trials", params=params)
        assert response.status_code == 422 and error_fields(response) == [field]
    for params, field in [({"verdict": "maybe"}, "verdict"), ({"offset": -1}, "offset")]:
        response = await get("/v1/reports", params=params)
        assert response.status_code == 422 and error_fields(response) == [field]
    response = await get(f"/v1/trials/{tid}/report", params={"version": 0})
    assert response.status_code == 422 and error_fields(response) == ["version"]


async def test_hostile_text_never_reaches_the_database(api_db):
    # PostgreSQL refuses NUL in text: it must be a 4xx naming the field, never a 500.
    await accept_match(api_db, "m-1")
    now = datetime.now(UTC)
    body = plan("m-1", now - HOUR, now + DAY)
    for change, field in [({"match_id": "m-\x001"}, "match_id"),
                          ({"kpis": [{**KPIS[0], "name": "E\x00"}]}, "kpis[0].name")]:
        response = await api_db.client.post("/v1/trials", json={**body, **change}, headers=EMSD)
        assert response.status_code == 422 and names(response, field), response.text
    tid = (await api_db.client.post("/v1/trials", json=body, headers=EMSD)).json()["id"]
    for url in ("/v1/trials/t-%00", f"/v1/trials/{tid}%00/report"):
        assert (await api_db.client.get(url)).status_code == 404
    await api_db.client.post(f"/v1/trials/{tid}/start", headers=EMSD)
    response = await api_db.client.post(f"/v1/trials/{tid}/measurements", headers=EMSD,
                                        json={"kpi": "Energy\x00", "value": 1})
    assert response.status_code == 422 and error_fields(response) == ["kpi"]
    response = await api_db.client.get(f"/v1/trials/{tid}/measurements",
                                       params={"kpi": "E\x00"})
    assert response.status_code in (404, 422)
