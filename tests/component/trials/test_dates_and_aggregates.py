"""Over HTTP: plain dates mean Hong Kong days, and each KPI's aggregate is fixed with the plan,
judges its readings and is shown in GET, the report (JSON, HTML) and TrialCompleted."""

import json
from datetime import UTC, datetime, timedelta

from contracts import Subjects, TrialCompleted

from ..conftest import error_fields
from .conftest import KPIS, accept_match
from .test_api import EMSD, PROVIDER, at

DAY = timedelta(days=1)
HKT = timedelta(hours=8)


def hk_day(days_from_today: int) -> str:
    """A Hong Kong date as YYYY-MM-DD, `days_from_today` from today there."""
    return (datetime.now(UTC) + HKT + days_from_today * DAY).date().isoformat()


def midnight_hkt(day: str) -> str:
    """00:00 HKT of `day` as the API writes it (UTC, Z)."""
    moment = datetime.fromisoformat(day).replace(tzinfo=UTC) - HKT
    return moment.isoformat().replace("+00:00", "Z")


def next_day(day: str) -> str:
    return (datetime.fromisoformat(day) + DAY).date().isoformat()


async def open_plain(svc, match_id: str, start: str, end: str, kpis=KPIS, venue="v-emsd-hq"):
    await accept_match(svc, match_id)
    body = {"match_id": match_id, "venue_id": venue, "planned_start": start, "planned_end": end,
            "kpis": kpis}
    return await svc.client.post("/v1/trials", json=body, headers=EMSD)


async def test_plain_dates_book_whole_hong_kong_days(api_db):
    svc = api_db
    first, last = hk_day(10), hk_day(12)
    opened = await open_plain(svc, "m-1", first, last)
    assert opened.status_code == 201, opened.text
    trial = opened.json()
    assert trial["planned_start"] == midnight_hkt(first)
    assert trial["planned_end"] == midnight_hkt(next_day(last))  # the end of the last day
    same_day = await open_plain(svc, "m-2", last, hk_day(14))
    assert same_day.status_code == 409 and error_fields(same_day) == ["venue_id"]
    day_after = await open_plain(svc, "m-3", hk_day(13), hk_day(13))  # half-open: no overlap
    assert day_after.status_code == 201, day_after.text
    calendar = (await svc.client.get("/v1/venues/v-emsd-hq/calendar")).json()["bookings"]
    assert [(b["planned_start"], b["planned_end"]) for b in calendar] == [
        (midnight_hkt(first), midnight_hkt(hk_day(13))),
        (midnight_hkt(hk_day(13)), midnight_hkt(hk_day(14)))]
    amended = await svc.client.post(f"/v1/trials/{trial['id']}/amendments", headers=EMSD,
                                    json={"reason": "One day less", "planned_end": hk_day(11)})
    assert amended.status_code == 201, amended.text
    assert amended.json()["trial"]["planned_end"] == midnight_hkt(hk_day(12))


async def test_a_wrong_or_zoneless_date_names_its_field(api):
    for start, end, field in (("2026-02-30", hk_day(3), "planned_start"),
                              (hk_day(2), "2027-01-01T00:00:00", "planned_end"),
                              (hk_day(2), "27-01-01", "planned_end"),
                              ("3000-01-01", "3000-01-02", "planned_start")):
        answer = await open_plain(api, "m-1", start, end)
        assert answer.status_code == 422 and field in error_fields(answer), answer.text
    backwards = await open_plain(api, "m-1", hk_day(5), hk_day(4))
    assert backwards.status_code == 422 and error_fields(backwards) == ["planned_end"]


async def test_each_kpis_aggregate_judges_it_and_is_shown_everywhere(api_db):
    svc = api_db
    kpis = [{**KPIS[0], "aggregate": "last"}, {**KPIS[1], "aggregate": "max"}]
    opened = await open_plain(svc, "m-1", hk_day(-1), hk_day(30), kpis=kpis)
    assert opened.status_code == 201, opened.text
    tid = opened.json()["id"]
    assert [k["aggregate"] for k in opened.json()["kpis"]] == ["last", "max"]
    assert (await svc.client.post(f"/v1/trials/{tid}/start", headers=EMSD)).status_code == 200
    start = datetime.fromisoformat((await svc.client.get(f"/v1/trials/{tid}")).json()[
        "actual_start"])
    readings = [("Energy saved", 4), ("Energy saved", 13), ("Fault rate 故障率", 1),
                ("Fault rate 故障率", 1.8)]
    items = [{"kpi": k, "value": v, "measured_at": at(start + timedelta(microseconds=i + 1))}
             for i, (k, v) in enumerate(readings)]
    stored = await svc.client.post(f"/v1/trials/{tid}/measurements/batch", headers=PROVIDER,
                                   json={"items": items})
    assert stored.status_code == 201, stored.text
    done = await svc.client.post(f"/v1/trials/{tid}/complete", json={"summary": "Reached."},
                                 headers=EMSD)
    assert done.status_code == 200, done.text
    body = done.json()  # by the mean, energy (8.5) would have failed
    assert body["verdict"] == "passed"
    assert [(r["aggregate"], r["measured"], r["met"]) for r in body["results"]] == [
        ("last", 13, True), ("max", 1.8, True)]
    doc = (await svc.client.get(f"/v1/trials/{tid}/report.json")).json()
    assert [(k["name"], k["aggregate"]) for k in doc["kpis"]] == [
        ("Energy saved", "last"), ("Fault rate 故障率", "max")]
    assert doc["method"]["name"] == "per-kpi" and "Energy saved: its last reading" in doc[
        "method"]["en"]
    html = (await svc.client.get(f"/v1/trials/{tid}/report")).text
    assert 'data-aggregate="last"' in html and 'data-aggregate="max"' in html
    pdf = await svc.client.get(f"/v1/trials/{tid}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    [event] = [TrialCompleted.model_validate(json.loads(m.payload))
               for m in await svc.outbox(Subjects.TRIAL_COMPLETED)]
    assert [(k.aggregate, k.measured, k.met) for k in event.kpi_results] == [
        ("last", 13, True), ("max", 1.8, True)]


async def test_an_aggregate_is_amended_only_before_the_start(api):
    opened = await open_plain(api, "m-1", hk_day(-1), hk_day(30))
    tid = opened.json()["id"]
    url = f"/v1/trials/{tid}/amendments"
    median = [{**KPIS[0], "aggregate": "median"}, KPIS[1]]
    amended = await api.client.post(url, json={"reason": "Outliers", "kpis": median},
                                    headers=EMSD)
    assert amended.status_code == 201, amended.text
    change = amended.json()["amendment"]["changes"][0]
    assert (change["before"]["aggregate"], change["after"]["aggregate"]) == ("mean", "median")
    wrong = await api.client.post(url, headers=EMSD, json={
        "reason": "Typo", "kpis": [{**KPIS[0], "aggregate": "average"}, KPIS[1]]})
    assert wrong.status_code == 422 and error_fields(wrong) == ["kpis[0].aggregate"]
    assert (await api.client.post(f"/v1/trials/{tid}/start", headers=EMSD)).status_code == 200
    late = await api.client.post(url, json={"reason": "Better", "kpis": [
        {**KPIS[0], "aggregate": "max"}, KPIS[1]]}, headers=EMSD)
    assert late.status_code == 422 and error_fields(late) == ["kpis[0].aggregate"]
    kept = await api.client.post(url, json={"reason": "Target", "kpis": [
        {**KPIS[0], "target": 13}, KPIS[1]]}, headers=EMSD)  # no aggregate given: kept
    assert kept.status_code == 201, kept.text
    shown = (await api.client.get(f"/v1/trials/{tid}")).json()["kpis"]
    assert [(k["target"], k["aggregate"]) for k in shown] == [(13, "median"), (2, "mean")]
