"""The trials HTTP API: the whole lifecycle, bookings, reports and their versions."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

from contracts import Subjects, TrialCompleted, TrialStarted, TrialTerminated
from services.trials.report import verify

from ..conftest import bearer, error_fields
from .conftest import KPIS, PUBLIC_URL, accept_match

EMSD = bearer("emsd", "EMSD")
PROVIDER = bearer("provider", "HKUST")  # the solution's owner in conftest.decided
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def at(moment: datetime) -> str:
    return moment.isoformat()


def plan(match_id: str, start: datetime, end: datetime, venue_id: str = "v-emsd-hq", **changes):
    return {"match_id": match_id, "venue_id": venue_id, "planned_start": at(start),
            "planned_end": at(end), "kpis": KPIS, **changes}


async def open_trial(svc, match_id: str, start: datetime, end: datetime, **changes):
    await accept_match(svc, match_id)
    response = await svc.client.post("/v1/trials", json=plan(match_id, start, end, **changes),
                                     headers=EMSD)
    assert response.status_code == 201, response.text
    return response.json()


async def staged(svc, subject: str) -> list[dict]:
    return [json.loads(m.payload) for m in await svc.outbox(subject)]


async def test_the_whole_lifecycle_over_http(api_db):
    client = api_db.client
    venues = (await client.get("/v1/venues")).json()
    hq = venues["items"][0]
    assert hq["id"] == "v-emsd-hq" and hq["name_en"] == "EMSD Headquarters (Kowloon Bay)"
    assert hq["name_zh"] == "機電工程署總部大樓（九龍灣）" and hq["concurrent"] is False

    now = datetime.now(UTC)
    opened = await open_trial(api_db, "m-1", now - HOUR, now + 30 * DAY)
    trial_id = opened["id"]
    assert isinstance(trial_id, str) and opened["state"] == "planned"
    assert opened["venue"]["name_en"] == hq["name_en"] and opened["report"] is None
    assert [k["name"] for k in opened["kpis"]] == ["Energy saved", "Fault rate 故障率"]
    assert {p["role"]: p["owner_org"] for p in opened["parties"]} == {
        "wish": "ArchSD", "solution": "HKUST"}
    assert opened["transitions"] == [
        {"seq": 1, "from": None, "to": "planned", "at": opened["transitions"][0]["at"],
         "by": {"org": "EMSD", "role": "emsd"}, "note": None}]

    started = await client.post(f"/v1/trials/{trial_id}/start", headers=EMSD)
    assert started.status_code == 200, started.text
    assert started.json()["state"] == "running" and started.json()["actual_start"]

    readings = [("Energy saved", 11, PROVIDER), ("Energy saved", 14, EMSD),
                ("fault rate 故障率", 1.5, PROVIDER)]
    for kpi, value, who in readings:
        response = await client.post(
            f"/v1/trials/{trial_id}/measurements", headers=who,
            json={"kpi": kpi, "value": value, "measured_at": at(datetime.now(UTC))},
        )
        assert response.status_code == 201, response.text
    recorded = response.json()
    assert recorded["kpi"] == "Fault rate 故障率"  # stored under the plan's own name
    assert recorded["recorded_by"] == {"org": "HKUST", "role": "provider"}
    series = (await client.get(f"/v1/trials/{trial_id}/measurements",
                               params={"kpi": "Energy saved"})).json()
    assert [m["value"] for m in series["items"]] == [11, 14]

    amended = await client.post(
        f"/v1/trials/{trial_id}/amendments", headers=EMSD,
        json={"reason": "Typhoon season: two more weeks", "planned_end": at(now + 44 * DAY)},
    )
    assert amended.status_code == 201, amended.text
    assert amended.json()["amendment"]["reason"] == "Typhoon season: two more weeks"
    assert amended.json()["amendment"]["changes"][0]["field"] == "planned_end"

    completed = await client.post(f"/v1/trials/{trial_id}/complete", headers=EMSD,
                                  json={"summary": "Saved 12.5 kWh a day; faults fell."})
    assert completed.status_code == 200, completed.text
    done = completed.json()
    assert done["state"] == "completed" and done["verdict"] == "passed"
    assert [(r["name"], r["measured"], r["met"], r["count"]) for r in done["results"]] == [
        ("Energy saved", 12.5, True, 2), ("Fault rate 故障率", 1.5, True, 1)]
    report = done["report"]
    assert report["version"] == 1
    assert report["url"] == f"{PUBLIC_URL}/v1/trials/{trial_id}/report?version=1"

    shown = (await client.get(f"/v1/trials/{trial_id}")).json()  # public, no token
    assert [(t["from"], t["to"], t["by"]["org"]) for t in shown["transitions"]] == [
        (None, "planned", "EMSD"), ("planned", "running", "EMSD"), ("running", "completed", "EMSD")]
    assert all(t["at"] for t in shown["transitions"]) and shown["measurement_count"] == 3
    assert shown["amendments"][0]["by"] == {"org": "EMSD", "role": "emsd"}
    assert shown["report"]["content_hash"] == report["content_hash"]

    doc = (await client.get(f"/v1/trials/{trial_id}/report.json")).json()
    assert verify(doc) and doc["content_hash"] == report["content_hash"]
    canonical = json.dumps({k: v for k, v in doc.items() if k != "content_hash"},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == doc["content_hash"]
    assert (doc["version"], doc["verdict"], doc["summary"]) == (
        1, "passed", "Saved 12.5 kWh a day; faults fell.")
    assert doc["venue"]["name_zh"] == "機電工程署總部大樓（九龍灣）"
    assert doc["dates"]["completed_at"] and doc["dates"]["planned_end"].startswith(
        (now + 44 * DAY).date().isoformat())
    assert [p["title_zh"] for p in doc["parties"]] == ["升降機故障預測", "人工智能升降機監測"]
    assert [[s["value"] for s in k["series"]] for k in doc["kpis"]] == [[11, 14], [1.5]]

    html = await client.get(f"/v1/trials/{trial_id}/report")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    page = html.text
    for heading in ("Key performance indicators", "關鍵績效指標", "Venue", "場地", "Summary",
                    "摘要", "Parties", "參與方", "Field trial performance report", "實地試驗表現報告"):
        assert heading in page, heading
    assert page.count('<tr class="kpi-row"') == 2 and page.count('data-met="true"') == 2
    assert page.count("<svg") == 2 and page.count('class="target-line"') == 2
    assert report["content_hash"] in page and "Saved 12.5 kWh a day; faults fell." in page
    assert "EMSD Headquarters (Kowloon Bay)" in page and "HKUST" in page and "ArchSD" in page

    pdf = await client.get(f"/v1/trials/{trial_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")

    listed = (await client.get("/v1/reports")).json()
    assert [(r["trial_id"], r["version"], r["verdict"]) for r in listed["items"]] == [
        (trial_id, 1, "passed")]
    assert listed["total"] == 1 and listed["items"][0]["url"] == report["url"]

    [started_event] = [TrialStarted.model_validate(e)
                       for e in await staged(api_db, Subjects.TRIAL_STARTED)]
    assert started_event.trial_id == trial_id and started_event.match_id == "m-1"
    [completed_event] = [TrialCompleted.model_validate(e)
                         for e in await staged(api_db, Subjects.TRIAL_COMPLETED)]
    assert completed_event.verdict == "passed" and completed_event.report_url == report["url"]
    assert completed_event.report_hash == report["content_hash"]
    assert [k.measured for k in completed_event.kpi_results] == [12.5, 1.5]


async def test_a_terminated_trial_says_why(api_db):
    now = datetime.now(UTC)
    trial = await open_trial(api_db, "m-1", now + DAY, now + 10 * DAY)
    response = await api_db.client.post(f"/v1/trials/{trial['id']}/terminate", headers=EMSD,
                                        json={"reason": "The department withdrew the site"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "terminated"
    assert body["termination_reason"] == "The department withdrew the site"
    assert body["transitions"][-1]["note"] == "The department withdrew the site"
    [event] = [TrialTerminated.model_validate(e)
               for e in await staged(api_db, Subjects.TRIAL_TERMINATED)]
    assert (event.trial_id, event.reason, event.from_state) == (
        trial["id"], "The department withdrew the site", "planned")
    report = await api_db.client.get(f"/v1/trials/{trial['id']}/report")
    assert report.status_code == 404 and error_fields(report) == ["report"]


async def test_overlapping_bookings_conflict_naming_the_trial(api):
    now = datetime.now(UTC)
    first = await open_trial(api, "m-1", now + 10 * DAY, now + 20 * DAY)
    await accept_match(api, "m-2")
    clash = await api.client.post(
        "/v1/trials", json=plan("m-2", now + 19 * DAY, now + 25 * DAY), headers=EMSD)
    assert clash.status_code == 409
    assert error_fields(clash) == ["venue_id"] and first["id"] in clash.json()["detail"]
    assert clash.json()["conflicting_trial_id"] == first["id"]
    # Touching windows do not overlap.
    second = await open_trial(api, "m-3", now + 20 * DAY, now + 25 * DAY)
    calendar = (await api.client.get("/v1/venues/v-emsd-hq/calendar")).json()
    assert [b["trial_id"] for b in calendar["bookings"]] == [first["id"], second["id"]]
    # A terminated trial frees its window.
    await api.client.post(f"/v1/trials/{first['id']}/terminate", json={"reason": "moved"},
                          headers=EMSD)
    third = await api.client.post(
        "/v1/trials", json=plan("m-2", now + 11 * DAY, now + 19 * DAY), headers=EMSD)
    assert third.status_code == 201, third.text
    # So does moving a trial by amendment; moving into a booked window conflicts.
    moved = await api.client.post(
        f"/v1/trials/{second['id']}/amendments", headers=EMSD,
        json={"reason": "earlier", "planned_start": at(now + 15 * DAY)})
    assert moved.status_code == 409 and moved.json()["conflicting_trial_id"] == third.json()["id"]


async def test_a_venue_marked_concurrent_hosts_overlapping_trials(api):
    response = await api.client.post("/v1/venues", headers=EMSD, json={
        "name_en": "InnoZone", "name_zh": "機電創科專區", "address": "3 Kai Shing Street",
        "owner_department": "EMSD", "concurrent": True})
    assert response.status_code == 201, response.text
    zone = response.json()
    assert zone["id"] and zone["concurrent"] is True
    assert (await api.client.get(f"/v1/venues/{zone['id']}")).json() == zone
    now = datetime.now(UTC)
    a = await open_trial(api, "m-1", now + DAY, now + 9 * DAY, venue_id=zone["id"])
    b = await open_trial(api, "m-2", now + DAY, now + 9 * DAY, venue_id=zone["id"])
    calendar = (await api.client.get(f"/v1/venues/{zone['id']}/calendar")).json()
    assert {x["trial_id"] for x in calendar["bookings"]} == {a["id"], b["id"]}
    listed = (await api.client.get("/v1/trials", params={"venue_id": zone["id"]})).json()
    assert listed["total"] == 2 and {t["id"] for t in listed["items"]} == {a["id"], b["id"]}
    assert (await api.client.get("/v1/trials", params={"state": "running"})).json()["total"] == 0


async def test_a_correction_is_a_new_version_and_the_old_one_stays(api):
    now = datetime.now(UTC)
    trial = await open_trial(api, "m-1", now - HOUR, now + DAY)
    tid = trial["id"]
    await api.client.post(f"/v1/trials/{tid}/start", headers=EMSD)
    await api.client.post(f"/v1/trials/{tid}/measurements", headers=PROVIDER,
                          json={"kpi": "Energy saved", "value": 3})
    await api.client.post(f"/v1/trials/{tid}/complete", headers=EMSD, json={"summary": "Frist."})
    v1 = (await api.client.get(f"/v1/trials/{tid}/report.json")).json()
    assert v1["verdict"] == "failed" and v1["kpis_met"] == 0  # 3 < 12; no fault-rate data
    html_v1 = (await api.client.get(f"/v1/trials/{tid}/report")).text

    fixed = await api.client.post(f"/v1/trials/{tid}/report/corrections", headers=EMSD,
                                  json={"reason": "Typo", "summary": "First."})
    assert fixed.status_code == 201, fixed.text
    assert (fixed.json()["version"], fixed.json()["supersedes"]) == (2, 1)
    latest = (await api.client.get(f"/v1/trials/{tid}/report.json")).json()
    assert (latest["version"], latest["summary"]) == (2, "First.") and verify(latest)
    assert latest["correction"]["superseded_hash"] == v1["content_hash"]
    again = await api.client.get(f"/v1/trials/{tid}/report.json", params={"version": 1})
    assert again.json() == v1 and "immutable" in again.headers["cache-control"]
    assert (await api.client.get(f"/v1/trials/{tid}/report",
                                 params={"version": 1})).text == html_v1
    missing = await api.client.get(f"/v1/trials/{tid}/report.json", params={"version": 3})
    assert missing.status_code == 404 and error_fields(missing) == ["version"]

    listed = (await api.client.get("/v1/reports")).json()
    assert [(r["trial_id"], r["version"]) for r in listed["items"]] == [(tid, 2)]
    every = (await api.client.get("/v1/reports", params={"all_versions": True})).json()
    assert [r["version"] for r in every["items"]] == [2, 1] and every["total"] == 2
    assert (await api.client.get("/v1/reports", params={"verdict": "passed"})).json()["total"] == 0
    versions = [e["report_version"] for e in await staged(api, Subjects.TRIAL_COMPLETED)]
    assert versions == [1, 2]


async def test_headquarters_is_seeded_once_across_restarts(serve, tmp_path):
    from services.trials.bootstrap import bootstrap, create_app

    from ..conftest import sqlite_url
    from .conftest import trials_settings

    database = sqlite_url(tmp_path, "restart")
    for _ in range(2):
        async with serve(bootstrap, create_app, trials_settings(), database) as svc:
            venues = (await svc.client.get("/v1/venues")).json()
    assert [v["id"] for v in venues["items"]] == ["v-emsd-hq"]
