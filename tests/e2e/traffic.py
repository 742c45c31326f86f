"""Traffic across every service of a running system, as people and programs make it: the portal
scenario (wishes, solutions, matches accepted, trials, a report), a report viewed, a subscriber
confirmed by the emailed link and alerted, a sign-in by link, and some bad requests (4xx)."""

from dataclasses import dataclass

import httpx

from innoportal.testing.system import System, text_of, until
from portal.scenario import LEAK_WISH, Scenario, make_scenario
from portal.signin import signed_in
from portal.stack import Stack

SUBSCRIBER = "fan@example.org"
STAFF = "ops-staff@emsd.gov.hk"


@dataclass
class Driven:
    """What the traffic made."""

    scenario: Scenario
    alert_wish: str


def _confirm_subscriber(client: httpx.Client, system: System) -> None:
    answer = client.post(system.url("notifier") + "/v1/subscriptions", json={
        "email": SUBSCRIBER, "categories": ["iot-sensors"], "language": "en",
        "frequency": "instant"})
    assert answer.status_code == 202, answer.text
    mail = until(lambda: system.mailbox(SUBSCRIBER), 30, "the confirmation email")[0]
    link = next(word for word in text_of(mail).split() if "/en/subscribe/confirm?token=" in word)
    assert client.get(link).status_code == 200


def _bad_requests(client: httpx.Client, system: System, scenario: Scenario) -> None:
    department = system.auth("department", "WSD")
    emsd = system.auth("emsd", "EMSD")
    for answer, status in (
        (client.post(system.url("wishes") + "/v1/wishes", json={}, headers=department), 422),
        (client.get(system.url("wishes") + "/v1/wishes/no-such-wish"), 404),
        (client.get(system.url("solutions") + "/v1/solutions/no-such-solution"), 404),
        (client.post(f"{system.url('matcher')}/v1/matches/{scenario.matches['lift']}/accept",
                     json={"reason": "again"}, headers=emsd), 409),
        (client.get(system.url("trials") + "/v1/trials/no-such-trial"), 404),
        (client.post(system.url("notifier") + "/v1/subscriptions",
                     json={"email": "not an address", "categories": ["iot-sensors"]}), 422),
        (client.get(system.url("portal") + "/en/wishes/no-such-wish"), 404),
    ):
        assert answer.status_code == status, (answer.request.url, answer.text)


def drive(system: System) -> Driven:
    """Run the traffic; returns once every email it causes has been caught."""
    scenario = make_scenario(system)
    completed = scenario.trials["completed"]
    with httpx.Client(timeout=30) as client:
        for path in (f"/v1/trials/{completed}/report", f"/v1/trials/{completed}/report.json"):
            assert client.get(system.url("trials") + path).status_code == 200
        for path in ("/en/", f"/en/reports/{completed}", "/zh-hk/wishes", "/en/solutions"):
            assert client.get(system.url("portal") + path).status_code == 200, path
        _confirm_subscriber(client, system)
        posted = client.post(system.url("wishes") + "/v1/wishes", json=LEAK_WISH,
                             headers=system.auth("department", "WSD"))
        assert posted.status_code == 201, posted.text
        until(lambda: [m for m in system.mailbox(SUBSCRIBER)
                       if m["X-InnoPortal-Kind"] == "wish_alert"], 60, "the wish alert")
        _bad_requests(client, system, scenario)
    with signed_in(Stack(system, scenario), STAFF, "emsd", "EMSD", admin=True) as browser:
        assert browser.get(system.url("portal") + "/en/my/").status_code == 200
    return Driven(scenario, posted.json()["id"])
