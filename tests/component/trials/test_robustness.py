"""Odd figures in a trial's plan and readings: 4xx naming the field, and reports that still draw."""

from datetime import UTC, datetime

from ..conftest import names
from .conftest import KPIS, accept_match
from .test_api import EMSD, at, open_trial, plan
from .test_api_rules import DAY, HOUR, raw_json, trial_in

HUGE = [1e16, -1e300, 1.7976931348623157e308]  # beyond the ±10^15 a KPI figure may take


async def test_huge_readings_are_refused_naming_the_value(api):
    # Two readings near the float limit once made completion answer 500: their sum overflowed.
    tid = await trial_in(api, "running")
    for value in HUGE:
        response = await api.client.post(f"/v1/trials/{tid}/measurements",
                                         **_json({"kpi": "Energy saved", "value": value}))
        assert response.status_code == 422 and names(response, "value"), response.text
    shown = (await api.client.get(f"/v1/trials/{tid}")).json()
    assert shown["measurement_count"] == 0

    for value in (1e15, 1e15, -1e15):  # the bound itself is a reading like any other
        response = await api.client.post(f"/v1/trials/{tid}/measurements",
                                         **_json({"kpi": "Energy saved", "value": value}))
        assert response.status_code == 201, response.text
    done = await api.client.post(f"/v1/trials/{tid}/complete", json={"summary": "Big numbers."},
                                 headers=EMSD)
    assert done.status_code == 200, done.text
    assert done.json()["results"][0]["measured"] == 1e15 / 3
    assert (await api.client.get(f"/v1/trials/{tid}/report")).status_code == 200


async def test_huge_baselines_and_targets_are_refused_and_nothing_is_stored(api):
    now = datetime.now(UTC)
    await accept_match(api, "m-9")
    for field in ("baseline", "target"):
        for value in HUGE:
            kpis = [{**KPIS[0], field: value, "direction": "increase" if value > 0 else "decrease"}]
            body = plan("m-9", now + HOUR, now + DAY, kpis=kpis)
            response = await api.client.post("/v1/trials", **_json(body))
            assert response.status_code == 422, response.text
            assert names(response, f"kpis[0].{field}"), response.text
    assert (await api.client.get("/v1/trials", params={"match_id": "m-9"})).json()["total"] == 0

    tid = await trial_in(api, "planned")
    kpis = [{**KPIS[0], "target": 1e300}]
    response = await api.client.post(f"/v1/trials/{tid}/amendments",
                                     **_json({"reason": "Aim higher", "kpis": kpis}))
    assert response.status_code == 422 and names(response, "kpis[0].target"), response.text
    shown = (await api.client.get(f"/v1/trials/{tid}")).json()
    assert shown["amendments"] == [] and shown["kpis"][0]["target"] == KPIS[0]["target"]


async def test_a_report_draws_figures_too_close_to_tell_apart(api):
    # A chart whose values all lie within a subnormal float of each other once failed to find
    # a scale (log10 of 0, a step of 0), so completing the trial answered 500.
    kpis = [
        {"name": "Leak", "unit": "ppm", "baseline": 0, "target": 5e-324, "direction": "increase"},
        {"name": "Drift", "unit": "mm", "baseline": 1e-322, "target": 1e-322,
         "direction": "decrease"},
    ]
    now = datetime.now(UTC)
    trial = await open_trial(api, "m-7", now - HOUR, now + DAY, kpis=kpis)
    tid = trial["id"]
    assert (await api.client.post(f"/v1/trials/{tid}/start", headers=EMSD)).status_code == 200
    response = await api.client.post(f"/v1/trials/{tid}/measurements", headers=EMSD,
                                     json={"kpi": "Leak", "value": 5e-324,
                                           "measured_at": at(datetime.now(UTC))})
    assert response.status_code == 201, response.text
    done = await api.client.post(f"/v1/trials/{tid}/complete", json={"summary": "Tiny."},
                                 headers=EMSD)
    assert done.status_code == 200, done.text
    assert [r["met"] for r in done.json()["results"]] == [True, False]
    page = await api.client.get(f"/v1/trials/{tid}/report")
    assert page.status_code == 200 and page.text.count("<svg") >= 2


def _json(body) -> dict:
    """Request arguments of an EMSD POST of `body` (which may hold numbers httpx refuses)."""
    kwargs = raw_json(body)
    kwargs["headers"] = {**kwargs["headers"], **EMSD}
    return kwargs
