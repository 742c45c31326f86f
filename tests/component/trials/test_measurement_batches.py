"""POST /v1/trials/{id}/measurements/batch: every reading stored in one transaction, or none and
one answer naming every wrong items[N].field (the portal maps N to a CSV line)."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import col, func, select

from services.trials.models import MeasurementRow

from ..conftest import bearer, error_fields
from .test_api import EMSD, PROVIDER, at, open_trial

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


async def running_trial(svc, match_id: str = "m-1") -> str:
    now = datetime.now(UTC)
    trial = await open_trial(svc, match_id, now - HOUR, now + 30 * DAY)
    started = await svc.client.post(f"/v1/trials/{trial['id']}/start", headers=EMSD)
    assert started.status_code == 200, started.text
    await asyncio.sleep(0.02)  # readings between the start and now
    return trial["id"]


async def started_at(svc, trial_id: str) -> datetime:
    body = (await svc.client.get(f"/v1/trials/{trial_id}")).json()
    return datetime.fromisoformat(body["actual_start"])


async def stored(svc, trial_id: str) -> tuple[int, int]:
    """(measurement rows, the trial's measurement_count) as the database holds them."""
    async with svc.runtime.db.session() as s:
        rows = (await s.exec(select(func.count()).select_from(MeasurementRow).where(
            col(MeasurementRow.trial_id) == trial_id))).one()
    return rows, (await svc.client.get(f"/v1/trials/{trial_id}")).json()["measurement_count"]


def batch(*items) -> dict:
    return {"items": list(items)}


async def test_a_batch_is_stored_whole_and_read_back_in_time_order(api_db):
    svc = api_db
    tid = await running_trial(svc)
    t0 = await started_at(svc, tid)
    ms = timedelta(milliseconds=1)
    items = [{"kpi": "Energy saved", "value": 11.5, "measured_at": at(t0 + 5 * ms)},
             {"kpi": "energy saved", "value": 14, "measured_at": at(t0 + ms)},
             {"kpi": "Fault rate 故障率", "value": 1.5}]  # measured_at: now
    answer = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", json=batch(*items),
                                   headers=PROVIDER)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["trial_id"], body["total"]) == (tid, 3)
    assert [(m["kpi"], m["value"]) for m in body["items"]] == [
        ("Energy saved", 11.5), ("Energy saved", 14), ("Fault rate 故障率", 1.5)]
    assert {m["recorded_by"]["org"] for m in body["items"]} == {"HKUST"}
    assert await stored(svc, tid) == (3, 3)
    series = (await svc.client.get(f"/v1/trials/{tid}/measurements",
                                   params={"kpi": "Energy saved"})).json()
    assert [m["value"] for m in series["items"]] == [14, 11.5]
    emsd = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", headers=EMSD,
                                 json=batch({"kpi": "Energy saved", "value": 13}))
    assert emsd.status_code == 201 and await stored(svc, tid) == (4, 4)
    done = await svc.client.post(f"/v1/trials/{tid}/complete", json={"summary": "Done."},
                                 headers=EMSD)
    assert done.status_code == 200, done.text
    assert [(r["name"], r["count"]) for r in done.json()["results"]] == [
        ("Energy saved", 3), ("Fault rate 故障率", 1)]


async def test_a_bad_batch_stores_nothing_and_names_every_bad_item(api_db):
    svc = api_db
    tid = await running_trial(svc)
    now = datetime.now(UTC)
    good = {"kpi": "Energy saved", "value": 12}
    items = [
        good,
        {"kpi": "Nope", "value": 1},                                          # 1: unknown KPI
        {"kpi": "Energy saved", "value": "12"},                               # 2: a string
        {"kpi": "Energy saved", "value": 1, "measured_at": at(now + DAY)},    # 3: in the future
        7,                                                                    # 4: not an object
        good,
        {"value": 1e16, "measured_at": "2026-11-21T09:30:00"},  # 6: no kpi, naive time, too big
        {"kpi": "Energy saved", "value": 2, "measured_at": at(now - DAY)},    # 7: before start
    ]
    answer = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", json=batch(*items),
                                   headers=PROVIDER)
    assert answer.status_code == 422, answer.text
    assert error_fields(answer) == [
        "items[1].kpi", "items[2].value", "items[3].measured_at", "items[4]", "items[6].kpi",
        "items[6].measured_at", "items[7].measured_at"]
    assert "items[1].kpi: is not a KPI of this trial" in answer.json()["detail"]
    assert await stored(svc, tid) == (0, 0)
    only_domain = await svc.client.post(
        f"/v1/trials/{tid}/measurements/batch", headers=EMSD,
        json=batch(good, {"kpi": "Energy saved", "value": 1e16}, good, {"kpi": "Other",
                                                                           "value": 1}))
    assert only_domain.status_code == 422
    assert error_fields(only_domain) == ["items[1].value", "items[3].kpi"]
    assert await stored(svc, tid) == (0, 0)


async def test_a_thousand_readings_fit_and_one_more_does_not(api_db):
    svc = api_db
    tid = await running_trial(svc)
    t0 = await started_at(svc, tid)
    items = [{"kpi": "Energy saved", "value": 10 + i % 7,
              "measured_at": at(t0 + timedelta(microseconds=10 * i))} for i in range(1000)]
    answer = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", json=batch(*items),
                                   headers=PROVIDER)  # some 90 KB: over the usual 64 KiB limit
    assert answer.status_code == 201, answer.text[:500]
    assert answer.json()["total"] == 1000 and await stored(svc, tid) == (1000, 1000)
    too_many = await svc.client.post(f"/v1/trials/{tid}/measurements/batch",
                                     json=batch(*items, items[0]), headers=PROVIDER)
    assert too_many.status_code == 422 and error_fields(too_many) == ["items"]
    empty = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", json=batch(),
                                  headers=PROVIDER)
    assert empty.status_code == 422 and error_fields(empty) == ["items"]
    assert await stored(svc, tid) == (1000, 1000)


async def test_the_batch_has_its_own_body_limit_and_other_writes_keep_theirs(api):
    tid = await running_trial(api)
    huge = {"items": [{"kpi": "Energy saved", "value": 1, "pad": "x" * 2000}] * 600}
    over = await api.client.post(f"/v1/trials/{tid}/measurements/batch", json=huge,
                                 headers=PROVIDER)
    assert over.status_code == 413 and error_fields(over) == ["body"]
    assert "1048576" in over.json()["detail"]
    single = await api.client.post(f"/v1/trials/{tid}/measurements", headers=PROVIDER,
                                   json={"kpi": "Energy saved", "value": 1, "pad": "x" * 70_000})
    assert single.status_code == 413 and "65536" in single.json()["detail"]


async def test_only_emsd_and_the_trials_provider_may_send_a_running_trial_a_batch(api):
    tid = await running_trial(api)
    one = batch({"kpi": "Energy saved", "value": 12})
    url = f"/v1/trials/{tid}/measurements/batch"
    for headers, status in ((bearer("provider", "Rival Robotics Ltd"), 403),
                            (bearer("department", "ArchSD"), 403), ({}, 401)):
        answer = await api.client.post(url, json=one, headers=headers)
        assert answer.status_code == status, answer.text
    later = datetime.now(UTC) + 40 * DAY
    planned = await open_trial(api, "m-2", later, later + 9 * DAY)
    early = await api.client.post(f"/v1/trials/{planned['id']}/measurements/batch", json=one,
                                  headers=EMSD)
    assert early.status_code == 409 and error_fields(early) == ["state"]
    ended = await api.client.post(f"/v1/trials/{tid}/terminate", json={"reason": "Stop."},
                                  headers=EMSD)
    assert ended.status_code == 200
    late = await api.client.post(url, json=one, headers=PROVIDER)
    assert late.status_code == 409 and error_fields(late) == ["state"]
    unknown = await api.client.post("/v1/trials/t-nowhere/measurements/batch", json=one,
                                    headers=EMSD)
    assert unknown.status_code == 404 and error_fields(unknown) == ["trial_id"]
    assert await stored(api, tid) == (0, 0)
