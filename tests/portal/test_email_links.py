"""Every link in every email opens a page of the portal: wish alerts, match and decision emails,
published reports, and the confirm, manage and unsubscribe links; List-Unsubscribe answers the
RFC 8058 one-click POST. No email links to a service's port or to a JSON API (/v1/)."""

import html
import re
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx
import pytest

from innoportal.testing.system import text_of, until
from portal.scenario import (
    CLOSED_WISH,
    LEAK_SOLUTION,
    LEAK_WISH,
    LIFT_SOLUTION,
    LIFT_WISH,
    ROBOT_SOLUTION,
    TOILET_WISH,
)

pytestmark = pytest.mark.slow

CONTACTS = {record["contact_email"] for record in (LIFT_WISH, LEAK_WISH, TOILET_WISH, CLOSED_WISH,
                                                   LIFT_SOLUTION, LEAK_SOLUTION, ROBOT_SOLUTION)}
CHILLER_WISH = {
    "title_en": "Chiller plant optimisation for a government office",
    "title_zh": "政府辦公大樓冷水機組優化",
    "description_en": "Cut the energy a chiller plant uses with sensors and analytics.",
    "description_zh": "以感應器及數據分析減少冷水機組的能源消耗。",
    "categories": ["energy-efficiency"],
}


LINK_KINDS = {"sign_in_link", "register_link", "invite_link"}


def links_of(msg: EmailMessage) -> list[str]:
    """Every link of both parts: the text part's URLs and the HTML part's hrefs."""
    found = re.findall(r"https?://[^\s<>\"']+", text_of(msg))
    part = msg.get_body(preferencelist=("html",))
    if part is not None:
        found += [html.unescape(u) for u in re.findall(r'href="([^"]+)"', part.get_content())]
    return found


def kinds(mails: list[EmailMessage]) -> set[str]:
    return {m["X-InnoPortal-Kind"] for m in mails}


def subscribed_reader(stack) -> str:
    """A reader who subscribed through the portal (energy efficiency) and confirmed by email."""
    reader = f"reader-{time.time_ns()}@example.org"
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        form = client.get("/en/subscribe")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        sent = client.post("/en/subscribe", data={
            "csrf_token": token, "email": reader, "categories": "energy-efficiency",
            "language": "en", "frequency": "instant", "receive_reports": "true"})
        assert sent.status_code == 303, sent.text
        confirmation = until(lambda: stack.system.mailbox(reader), 30, "the confirmation")[0]
        confirm = next(u for u in links_of(confirmation) if "/subscribe/confirm?" in u)
        assert client.get(confirm).status_code == 200
    return reader


def test_every_link_in_every_email_opens_a_portal_page(stack):
    reader = subscribed_reader(stack)
    wish = dict(CHILLER_WISH, contact_email=f"chillers-{time.time_ns()}@emsd.gov.hk")
    posted = httpx.post(stack.url("wishes") + "/v1/wishes", json=wish,
                        headers=stack.system.auth("department", "EMSD"), timeout=15)
    assert posted.status_code == 201, posted.text
    until(lambda: "wish_alert" in kinds(stack.system.mailbox(reader)), 30, "the wish alert")

    wanted = {"confirmation", "wish_alert", "match_found", "match_decided", "trial_completed"}

    def mails() -> list[EmailMessage] | None:
        found = [m for m in stack.system.mails()
                 if (m.get("X-Envelope-To") or "") in {reader, *CONTACTS}]
        return found if wanted <= kinds(found) else None

    until(mails, 60, f"emails of every kind ({sorted(wanted)})")
    # This test's emails and every one-time link email caught so far; not other tests'
    # subscribers', whose later unsubscribing rightly makes their old links answer 410 Gone.
    emails = [m for m in stack.system.mails() if m["X-InnoPortal-Kind"] in LINK_KINDS
              or (m.get("X-Envelope-To") or "") in {reader, *CONTACTS}]
    service_ports = [str(port) for name, port in stack.system.ports.items() if name != "portal"]
    secure_portal = "https://" + stack.portal.removeprefix("http://")
    answered: dict[str, int] = {}
    with httpx.Client(timeout=15) as client:
        for msg in emails:
            what = f"{msg['X-InnoPortal-Kind']} to {msg['X-Envelope-To']}"
            found = links_of(msg)
            assert found, what
            for url in found:
                parts = urlsplit(url)
                assert url.startswith(stack.portal + "/"), (what, url)
                assert parts.path.split("/")[1] in ("en", "zh-hk"), (what, url)
                assert "/v1/" not in url and not any(f":{p}/" in url for p in service_ports), url
                if url not in answered:
                    page = client.get(url)
                    assert page.status_code == 200, (what, url, page.status_code)
                    assert page.headers["content-type"].startswith("text/html"), (what, url)
                    answered[url] = page.status_code
            if msg["X-InnoPortal-Kind"] in LINK_KINDS:  # a link asked for: nothing to unsubscribe
                assert msg["List-Unsubscribe"] is None, what
                continue
            header = msg["List-Unsubscribe"].strip("<>")
            assert header.startswith(secure_portal + "/unsubscribe?token="), (what, header)
            assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    pages = {urlsplit(u).path.split("/")[2] for u in answered}
    assert pages >= {"wishes", "solutions", "reports", "subscribe", "unsubscribe"}, pages
    assert any("/subscribe/manage?" in u for u in answered), "no manage link was followed"
    with httpx.Client(timeout=15) as client:
        # The reader's mail client unsubscribes in one click (this test system serves plain http).
        alert = next(m for m in emails if m["X-InnoPortal-Kind"] == "wish_alert"
                     and m["X-Envelope-To"] == reader)
        one_click = stack.portal + alert["List-Unsubscribe"].strip("<>").removeprefix(secure_portal)
        done = client.post(one_click, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200, done.text
        token = one_click.split("token=", 1)[1]
        status = client.get(stack.url("notifier") + "/v1/unsubscribe", params={"token": token},
                            headers={"Accept": "application/json"}).json()["status"]
        assert status == "unsubscribed"
