"""A small, known world for the portal's tests, made through the services' own APIs.

Three departments' wishes (English only, Chinese only, both; one closed), three providers'
solutions, two accepted matches: one trial completed with its published report, one running.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from innoportal.testing.system import until

LIFT_WISH = {
    "title_en": "Predictive maintenance of passenger lifts",
    "title_zh": "升降機預測性維修",
    "description_en": "Detect lift door faults and predict breakdowns of passenger lifts in "
                      "government buildings before passengers are trapped.",
    "description_zh": "在政府大樓的升降機加裝感應器，偵測門機故障並預測停機。",
    "categories": ["building-services", "iot-sensors"],
    "contact_email": "lifts@archsd.gov.hk",
    "budget_hkd": 800000,
    "venue_note": "Government offices in Kowloon Bay",
}
LEAK_WISH = {
    "title_en": "Early detection of water main leaks",
    "description_en": "Find leaks in fresh water mains early with acoustic sensors and data "
                      "analytics, before pipes burst.",
    "categories": ["iot-sensors", "ai-data-analytics"],
    "contact_email": "leaks@wsd.gov.hk",
}
TOILET_WISH = {
    "title_zh": "智能公廁清潔監測",
    "description_zh": "以感應器監測公廁使用人次及氣味，按需要安排清潔。",
    "categories": ["iot-sensors", "environmental-monitoring"],
    "contact_email": "toilets@fehd.gov.hk",
}
CLOSED_WISH = {
    "title_en": "Solar film for government office windows",
    "description_en": "Reduce cooling load with transparent solar film on west-facing windows.",
    "categories": ["renewable-energy", "energy-efficiency"],
    "contact_email": "energy@emsd.gov.hk",
}
LIFT_SOLUTION = {
    "title_zh": "升降機故障預測系統",
    "description_zh": "以物聯網感應器監測升降機門及機件，利用機器學習預測故障，減少停機時間。",
    "categories": ["building-services", "iot-sensors"],
    "contact_email": "lab@hkust.edu.hk",
    "trl": 7,
}
LEAK_SOLUTION = {
    "title_en": "Acoustic leak detection for water mains",
    "title_zh": "水管漏水聲學偵測",
    "description_en": "Acoustic sensors on water mains and data analytics locate leaks early, "
                      "before pipes burst.",
    "description_zh": "在水管裝設聲學感應器，以數據分析及早找出漏水位置。",
    "categories": ["iot-sensors", "ai-data-analytics"],
    "contact_email": "water@cityu.edu.hk",
    "trl": 8,
    "website": "https://example.cityu.edu.hk/leaks",
}
ROBOT_SOLUTION = {
    "title_en": "Window cleaning robot for high-rise facades",
    "description_en": "A rope-free robot that cleans glass facades of tall buildings safely.",
    "categories": ["robotics-automation"],
    "contact_email": "robots@polyu.edu.hk",
    "trl": 5,
}
KPIS = [
    {"name": "Fault prediction lead time", "unit": "hours", "baseline": 0, "target": 24,
     "direction": "increase"},
    {"name": "False alarms", "unit": "per month", "baseline": 10, "target": 3,
     "direction": "decrease"},
]


class Running(Protocol):
    """What the scenario needs of a running system."""

    def url(self, service: str) -> str: ...
    def auth(self, role: str, org: str) -> dict[str, str]: ...


@dataclass
class Scenario:
    """The ids of what was made, by name."""

    wishes: dict[str, str] = field(default_factory=dict)
    solutions: dict[str, str] = field(default_factory=dict)
    matches: dict[str, str] = field(default_factory=dict)
    trials: dict[str, str] = field(default_factory=dict)
    venue: str = ""


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _accepted_match(client: httpx.Client, system: Running, wish_id: str, solution_id: str) -> str:
    def found():
        items = client.get(system.url("matcher") + "/v1/matches", params={"wish_id": wish_id},
                           headers=system.auth("emsd", "EMSD")).json()["items"]
        return [m["id"] for m in items if m["solution_id"] == solution_id]

    match_id = until(found, 60, f"the match of {wish_id} and {solution_id}")[0]
    _created(client.post(f"{system.url('matcher')}/v1/matches/{match_id}/accept",
                         json={"reason": "Worth a field trial"}, headers=system.auth("emsd", "EMSD")))
    return match_id


VENUE = {"name_en": "Sha Tin Water Treatment Works", "name_zh": "沙田濾水廠",
         "address": "Tai Po Road, Sha Tin", "owner_department": "WSD", "concurrent": False}


def _open_trial(client: httpx.Client, system: Running, match_id: str, venue_id: str,
                days: int) -> str:
    now = datetime.now(UTC)
    plan = {"match_id": match_id, "venue_id": venue_id,
            "planned_start": (now - timedelta(minutes=5)).isoformat(),
            "planned_end": (now + timedelta(days=days)).isoformat(), "kpis": KPIS}
    emsd = system.auth("emsd", "EMSD")
    def opened() -> httpx.Response | None:
        answer = client.post(system.url("trials") + "/v1/trials", json=plan, headers=emsd)
        if answer.status_code == 409 and "match_id" in answer.text:
            return None  # trials hears of the decision by event: until then it answers 409
        assert answer.status_code == 201, answer.text
        return answer

    trial_id = until(opened, 60, "the trial opening once the decision has arrived").json()["id"]
    _created(client.post(f"{system.url('trials')}/v1/trials/{trial_id}/start", headers=emsd))
    return trial_id


def make_scenario(system: Running) -> Scenario:
    """Make the known world through the APIs and wait until every service has heard of it."""
    made = Scenario()
    with httpx.Client(timeout=20) as client:
        for name in ("wishes", "solutions", "matcher", "notifier", "trials"):
            until(lambda n=name: client.get(system.url(n) + "/readyz").status_code == 200, 60,
                  f"{name} ready")
        for name, body, org in (("lift", LIFT_WISH, "ArchSD"), ("leak", LEAK_WISH, "WSD"),
                                ("toilet", TOILET_WISH, "FEHD"), ("closed", CLOSED_WISH, "EMSD")):
            made.wishes[name] = _created(client.post(
                system.url("wishes") + "/v1/wishes", json=body,
                headers=system.auth("department", org)))["id"]
        _created(client.post(f"{system.url('wishes')}/v1/wishes/{made.wishes['closed']}/close",
                             json={"reason": "Need met"}, headers=system.auth("department", "EMSD")))
        for name, body, org in (("lift", LIFT_SOLUTION, "HKUST"), ("leak", LEAK_SOLUTION, "CityU"),
                                ("robot", ROBOT_SOLUTION, "PolyU")):
            made.solutions[name] = _created(client.post(
                system.url("solutions") + "/v1/solutions", json=body,
                headers=system.auth("provider", org)))["id"]
        for name in ("lift", "leak"):
            made.matches[name] = _accepted_match(client, system, made.wishes[name],
                                                 made.solutions[name])
        made.venue = _created(client.post(system.url("trials") + "/v1/venues", json=VENUE,
                                          headers=system.auth("emsd", "EMSD")))["id"]
        made.trials["completed"] = _open_trial(client, system, made.matches["lift"], "v-emsd-hq",
                                               days=30)
        made.trials["running"] = _open_trial(client, system, made.matches["leak"], made.venue,
                                             days=60)
        time.sleep(1.1)  # a measurement must fall after the actual start
        completed = made.trials["completed"]
        emsd, hkust = system.auth("emsd", "EMSD"), system.auth("provider", "HKUST")
        for kpi, value, who in (("Fault prediction lead time", 30, hkust),
                                ("Fault prediction lead time", 36, emsd),
                                ("False alarms", 2, hkust)):
            _created(client.post(f"{system.url('trials')}/v1/trials/{completed}/measurements",
                                 json={"kpi": kpi, "value": value}, headers=who))
        _created(client.post(f"{system.url('trials')}/v1/trials/{completed}/complete",
                             json={"summary": "Faults were predicted 33 hours ahead on average."},
                             headers=emsd))
    return made
