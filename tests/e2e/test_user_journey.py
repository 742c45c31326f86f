"""The whole story over `innoportal up`, as its users live it: a wish, an alert, a match, a trial, a report.

Real processes, real NATS, the real mail catcher: every step goes through HTTP and the bus, and
the emails are read back from var/mail as a subscriber's mailbox would receive them.
"""

import email
import email.policy
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from e2e.test_make_up import cli, system, token_of, until  # noqa: F401 - fixture

pytestmark = pytest.mark.slow

WISH = {
    "title_en": "Predictive maintenance of passenger lifts",
    "title_zh": "升降機預測性維修",
    "description_en": "Detect lift door faults and predict breakdowns of passenger lifts in "
                      "government buildings before passengers are trapped.",
    "description_zh": "在政府大樓的升降機加裝感應器，偵測門機故障並預測停機。",
    "categories": ["building-services"],
    "contact_email": "lifts@archsd.gov.hk",
}
SOLUTION = {
    "title_zh": "升降機故障預測系統",
    "description_zh": "以物聯網感應器監測升降機門及機件，利用機器學習預測故障，減少停機時間。",
    "categories": ["building-services", "iot-sensors"],
    "contact_email": "lab@hkust.edu.hk",
    "trl": 7,
}


def mailbox(system, address: str) -> list[email.message.EmailMessage]:
    """Every message the mail catcher kept for `address`, oldest first."""
    found = []
    for path in sorted((system.cwd / "var" / "mail").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in (msg.get("X-Envelope-To") or ""):
            found.append(msg)
    return found


def text_of(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def link(msg: email.message.EmailMessage, path: str) -> str:
    """The first link in the email that goes to `path` (a page of the portal)."""
    for url in re.findall(r"https?://[^\s<>\"']+", text_of(msg)):
        if urlsplit(url).path == path:
            return url
    raise AssertionError(f"no link to {path} in:\n{text_of(msg)}")


def test_from_wish_to_published_report(system):  # noqa: F811 - the fixture
    auth = {role: {"Authorization": "Bearer " + token_of(cli(system, "token", "issue",
                                                                "--role", role, "--org", org))}
            for role, org in (("department", "ArchSD"), ("provider", "HKUST"), ("emsd", "EMSD"))}
    url = system.url
    fan = "fan@example.org"
    with httpx.Client(timeout=15) as client:
        for name in ("wishes", "solutions", "matcher", "notifier", "trials"):
            until(lambda n=name: client.get(url(n) + "/readyz").status_code == 200, 60,
                  f"{name} ready")

        # A subscriber opts in (Chinese, building services or 升降機) and confirms by email.
        subscribed = client.post(url("notifier") + "/v1/subscriptions", json={
            "email": fan, "categories": ["building-services", "iot-sensors"],
            "keywords": ["升降機"], "language": "zh-HK", "frequency": "instant"})
        assert subscribed.status_code == 202, subscribed.text
        # Its link opens the portal's page (in Chinese), which confirms and says so.
        confirmation = until(lambda: mailbox(system, fan), 30, "the confirmation email")[0]
        confirm_link = link(confirmation, "/zh-hk/subscribe/confirm")
        assert confirm_link.startswith(url("portal") + "/zh-hk/subscribe/confirm?token=")
        confirmed = client.get(confirm_link)
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-HK">' in confirmed.text and "屋宇裝備" in confirmed.text

        # A department posts a wish: the subscriber gets one alert, though three rules match.
        wish = client.post(url("wishes") + "/v1/wishes", json=WISH, headers=auth["department"])
        assert wish.status_code == 201, wish.text
        wish_id = wish.json()["id"]
        alerts = until(lambda: [m for m in mailbox(system, fan)[1:]
                                if WISH["title_zh"] in m["Subject"]], 30, "the wish alert")
        assert alerts[0]["List-Unsubscribe"].startswith("<https://")
        assert alerts[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link(alerts[0], f"/zh-hk/wishes/{wish_id}").startswith(url("portal") + "/")

        # A provider answers it; the matcher pairs them across languages.
        solution = client.post(url("solutions") + "/v1/solutions", json=SOLUTION,
                               headers=auth["provider"])
        assert solution.status_code == 201, solution.text
        solution_id = solution.json()["id"]
        matches = until(lambda: client.get(url("matcher") + "/v1/matches",
                                           params={"wish_id": wish_id}).json()["items"],
                        30, "the match")
        assert [m["solution_id"] for m in matches] == [solution_id]
        match = matches[0]
        assert 0 < match["score"] <= 1 and match["reasons"]
        until(lambda: mailbox(system, WISH["contact_email"]), 30, "the match email to the wish")
        until(lambda: mailbox(system, SOLUTION["contact_email"]), 30, "the match email to the provider")

        # EMSD accepts; the trials service hears of it and a trial opens at EMSD Headquarters.
        accepted = client.post(f"{url('matcher')}/v1/matches/{match['id']}/accept",
                               json={"reason": "Promising; trial at EMSD HQ"}, headers=auth["emsd"])
        assert accepted.status_code == 200, accepted.text
        now = datetime.now(UTC)
        plan = {"match_id": match["id"], "venue_id": "v-emsd-hq",
                "planned_start": (now - timedelta(minutes=1)).isoformat(),
                "planned_end": (now + timedelta(days=30)).isoformat(),
                "kpis": [{"name": "Fault prediction lead time", "unit": "hours", "baseline": 0,
                          "target": 24, "direction": "increase"}]}
        trial = until(lambda: (r := client.post(url("trials") + "/v1/trials", json=plan,
                                                headers=auth["emsd"])).status_code == 201 and r,
                      30, "the trial opening once the decision has arrived")
        trial_id = trial.json()["id"]
        started = client.post(f"{url('trials')}/v1/trials/{trial_id}/start", headers=auth["emsd"])
        assert started.status_code == 200, started.text
        time.sleep(1.1)  # a measurement must fall after the actual start
        measured = client.post(f"{url('trials')}/v1/trials/{trial_id}/measurements",
                               json={"kpi": "Fault prediction lead time", "value": 36},
                               headers=auth["provider"])
        assert measured.status_code == 201, measured.text
        completed = client.post(f"{url('trials')}/v1/trials/{trial_id}/complete",
                                json={"summary": "Faults predicted 36 h ahead on average."},
                                headers=auth["emsd"])
        assert completed.status_code == 200, completed.text

        # The report is public, in HTML and JSON, and listed.
        report = client.get(f"{url('trials')}/v1/trials/{trial_id}/report")
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
        assert "<svg" in report.text and "升降機故障預測系統" in report.text
        data = client.get(f"{url('trials')}/v1/trials/{trial_id}/report.json").json()
        assert data["verdict"] == "passed"
        listed = client.get(url("trials") + "/v1/reports").json()
        assert trial_id in str(listed)

        # Both parties hear the trial completed, with the link to the report's page on the
        # portal, each in their language (the wish is in both: English; the solution Chinese).
        for address, lang in ((WISH["contact_email"], "en"), (SOLUTION["contact_email"], "zh-hk")):
            report_page = f"{url('portal')}/{lang}/reports/{trial_id}"
            until(lambda a=address, p=report_page: any(
                re.search(re.escape(p) + r"\s", text_of(m)) for m in mailbox(system, a)), 30,
                f"the report email to {address}")
        # No email links to a JSON API.
        for msg in (m for a in (fan, WISH["contact_email"], SOLUTION["contact_email"])
                    for m in mailbox(system, a)):
            assert "/v1/" not in text_of(msg), text_of(msg)
    # One alert for the wish, however many rules matched, and nothing twice.
    assert len([m for m in mailbox(system, fan) if WISH["title_zh"] in m["Subject"]]) == 1
    ids = [m["Message-ID"] for m in (system.cwd / "var" / "mail").glob("*.eml") and
           [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in (system.cwd / "var" / "mail").glob("*.eml")]]
    assert len(ids) == len(set(ids)), "an email was sent twice"
