"""The notifier's HTTP API in-process, its real sender delivering to aiosmtpd: links, redirects
to the portal's pages, errors. (What the pages say is tested in tests/portal/test_subscribe.py.)"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from notifier_helpers import HTTP_SECRET, PORTAL_URL, inbox, links, path_of, token_of

from contracts import utcnow
from innoportal.testing.harness import eventually
from services.notifier.domain import issue_token

JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ONE_CLICK = {"Content-Type": "application/x-www-form-urlencoded"}


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def sent_on(response, page: str, token: str | None, language: str = "en", **params) -> None:
    """The answer is a 303 to the portal's `page` in `language`, carrying `token` (no referrer)."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{PORTAL_URL}/{language}/{page}"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query == ({"token": token} if token else {}) | {k: str(v) for k, v in params.items()}
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


async def subscribe_and_confirm(service, address: str, **rules):
    """POST a subscription, take the confirmation from the SMTP server, follow its link: a
    browser is sent on to the portal's page, which confirms through the JSON answer."""
    response = await service.post("/v1/subscriptions", json={"email": address, **rules})
    assert response.status_code == 202, response.text
    [confirmation] = await inbox(service.sink, address, "confirmation")
    link = links(confirmation)["subscribe/confirm"]
    page = await service.get(path_of(link), headers=BROWSER)
    sent_on(page, "subscribe/confirm", token_of(link), rules.get("language", "en").lower())
    confirmed = await service.get(path_of(link), headers=JSON)
    assert confirmed.status_code == 200, confirmed.text
    return confirmation, confirmed


async def test_subscribe_confirm_by_link_and_see_the_rules(service):
    confirmation, confirmed = await subscribe_and_confirm(
        service, "ada@example.org", categories=["building-services", "iot-sensors"],
        keywords=["lift", "升降機"])
    assert confirmation["Subject"] == "Confirm your InnoPortal alerts"
    assert links(confirmation)["subscribe/confirm"].startswith(f"{PORTAL_URL}/en/subscribe/confirm?token=")
    assert confirmed.json()["subscription"]["keywords"] == ["lift", "升降機"]
    # The confirmed page links to the manage and unsubscribe pages: their tokens come along.
    tokens = confirmed.json()["tokens"]
    manage = await service.get("/v1/subscriptions/manage", params={"token": tokens["manage"]},
                               headers=JSON)
    assert manage.status_code == 200 and manage.json()["email"] == "ada@example.org"
    preview = await service.get("/v1/unsubscribe", params={"token": tokens["unsubscribe"]},
                                headers=JSON)
    assert preview.json()["status"] == "confirmed" and preview.json()["kind"] == "subscription"
    # Following the link again changes nothing; JSON when asked for.
    again = await service.get(path_of(links(confirmation)["subscribe/confirm"]), headers=JSON)
    assert again.status_code == 200 and again.json()["status"] == "confirmed"
    assert again.json()["subscription"]["categories"] == ["building-services", "iot-sensors"]


async def test_zh_hk_subscriber_gets_chinese_email_and_pages(service):
    confirmation, confirmed = await subscribe_and_confirm(
        service, "chan@example.hk", keywords=["升降機"], language="zh-HK", frequency="daily")
    assert confirmation["Subject"] == "請確認您的 InnoPortal 通知訂閱"
    assert "請確認" in confirmation.get_body(("plain",)).get_content()
    assert links(confirmation)["subscribe/confirm"].startswith(f"{PORTAL_URL}/zh-hk/subscribe/confirm?token=")
    assert confirmed.json()["subscription"]["frequency"] == "daily"
    # The subscription's language wins over the browser's.
    unsubscribe = links(confirmation)["unsubscribe"]
    page = await service.get(path_of(unsubscribe), headers={**BROWSER, "Accept-Language": "en"})
    sent_on(page, "unsubscribe", token_of(unsubscribe), "zh-hk")


@pytest.mark.parametrize("body, field", [
    ({"email": "not-an-address", "categories": ["iot-sensors"]}, "email"),
    ({"email": "a@example.org\r\nBcc: x@example.org", "categories": ["iot-sensors"]}, "email"),
    ({"email": "a@example.org", "keywords": ["lift\nBcc: x@example.org"]}, "keywords[0]"),
    ({"email": "a@example.org", "categories": ["iot-sensors", "teleportation"]}, "categories[1]"),
    ({"email": "a@example.org", "categories": ["iot-sensors"], "language": "fr"}, "language"),
    ({"email": "a@example.org", "categories": ["iot-sensors"], "frequency": "hourly"}, "frequency"),
    ({"email": "a@example.org"}, "categories"),
    ({"email": "a@example.org", "categories": ["iot-sensors"], "categoires": []}, "categoires"),
])
async def test_bad_subscriptions_answer_422_naming_the_field(service, body, field):
    response = await service.post("/v1/subscriptions", json=body)
    assert response.status_code == 422, response.text
    assert field in fields(response)
    assert service.sink.messages() == []


async def test_unreadable_bodies_are_4xx(service):
    malformed = await service.post("/v1/subscriptions", content=b"{nope",
                                   headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and fields(malformed) == ["body"]
    xml = await service.post("/v1/subscriptions", content=b"<a/>", headers={"Content-Type": "text/xml"})
    assert xml.status_code == 415 and fields(xml) == ["content-type"]


async def test_forged_expired_unknown_and_missing_tokens(service):
    confirmation, _ = await subscribe_and_confirm(service, "bo@example.org", categories=["iot-sensors"])
    genuine = token_of(links(confirmation)["subscribe/confirm"])
    head, body, sig = genuine.split(".")
    forged = f"{head}.{body}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    cases = [
        ("/v1/subscriptions/confirm", forged, 400),
        ("/v1/subscriptions/confirm", issue_token(HTTP_SECRET, "confirm", "sub:x",
                                                  utcnow() - timedelta(days=3)), 410),
        ("/v1/subscriptions/confirm", issue_token(HTTP_SECRET, "confirm", "sub:sub-nobody", utcnow()), 404),
        ("/v1/subscriptions/manage", genuine, 400),  # a confirm token is no manage token
        ("/v1/unsubscribe", issue_token("another-secret-long-enough", "unsubscribe", "sub:x", utcnow()), 400),
    ]
    pages = {"/v1/subscriptions/confirm": "subscribe/confirm",
             "/v1/subscriptions/manage": "subscribe/manage", "/v1/unsubscribe": "unsubscribe"}
    for path, token, status in cases:
        as_json = await service.get(path, params={"token": token}, headers=JSON)
        assert as_json.status_code == status, (path, as_json.text)
        assert fields(as_json) == ["token"]
        # A browser goes on to the portal's page, which explains the link with this status.
        page = await service.get(path, params={"token": token}, headers=BROWSER)
        sent_on(page, pages[path], token)
        chinese = await service.get(path, params={"token": token},
                                    headers={**BROWSER, "Accept-Language": "zh-HK,zh;q=0.9"})
        sent_on(chinese, pages[path], token, "zh-hk")
    missing = await service.get("/v1/subscriptions/confirm", headers=JSON)
    assert missing.status_code == 422 and fields(missing) == ["token"]
    one_click = await service.post("/v1/unsubscribe", params={"token": forged},
                                   content=b"List-Unsubscribe=One-Click", headers=ONE_CLICK)
    assert one_click.status_code == 400 and fields(one_click) == ["token"]


async def test_manage_page_and_changes_by_json_and_by_form(service):
    confirmation, _ = await subscribe_and_confirm(service, "cy@example.org", categories=["iot-sensors"])
    assert "subscribe/manage" not in links(confirmation)  # nothing to manage before confirming
    alert_link = service.runtime.workers.composer.token_url(
        "en", "subscribe/manage", "manage",
        "sub:" + token_of_subject(links(confirmation)["subscribe/confirm"]), utcnow())
    page = await service.get(path_of(alert_link), headers=BROWSER)
    sent_on(page, "subscribe/manage", token_of(alert_link))
    shown = (await service.get(path_of(alert_link), headers=JSON)).json()
    assert shown["categories"] == ["iot-sensors"] and set(shown["tokens"]) == {"manage", "unsubscribe"}

    changed = await service.post(path_of(alert_link), json={"keywords": ["chiller"], "frequency": "weekly",
                                                            "language": "zh-HK", "receive_reports": True})
    assert changed.status_code == 200, changed.text
    assert changed.json() | {"confirmed_at": None} == {
        "email": "cy@example.org", "status": "confirmed", "language": "zh-HK", "frequency": "weekly",
        "categories": ["iot-sensors"], "keywords": ["chiller"], "receive_reports": True,
        "confirmed_at": None}

    form = "categories=robotics-automation&categories=iot-sensors&keywords=lift%2C+%E5%8D%87%E9%99%8D%E6%A9%9F&frequency=daily&language=en"
    saved = await service.post(path_of(alert_link), content=form.encode(),
                               headers={**ONE_CLICK, **BROWSER})
    sent_on(saved, "subscribe/manage", token_of(alert_link), saved=1)  # an old page's form
    current = (await service.get(path_of(alert_link), headers=JSON)).json()
    assert (current["categories"], current["keywords"], current["frequency"], current["receive_reports"]) == (
        ["iot-sensors", "robotics-automation"], ["lift", "升降機"], "daily", False)

    bad = await service.post(path_of(alert_link), json={"categories": ["nope"], "email": "x@example.org"})
    assert bad.status_code == 422 and set(fields(bad)) >= {"categories[0]"}
    other = await service.post(path_of(alert_link), json={"email": "x@example.org"})
    assert other.status_code == 422 and fields(other) == ["email"]
    bad_form = await service.post(path_of(alert_link), content=b"categories=nope",
                                  headers={**ONE_CLICK, **BROWSER})
    assert bad_form.status_code == 422 and "categories[0]" in bad_form.text


def token_of_subject(confirm_url: str) -> str:
    """The subscription id a confirm link names."""
    import base64
    import json

    body = token_of(confirm_url).split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["s"].removeprefix("sub:")


async def test_unsubscribe_page_does_nothing_until_the_button_and_one_click_works(service):
    confirmation, _ = await subscribe_and_confirm(service, "di@example.org", categories=["iot-sensors"])
    subject = token_of_subject(links(confirmation)["subscribe/confirm"])
    url = service.runtime.workers.composer.token_url("en", "unsubscribe", "unsubscribe", "sub:" + subject, utcnow())
    page = await service.get(path_of(url), headers=BROWSER)
    sent_on(page, "unsubscribe", token_of(url))
    assert (await service.get(path_of(url), headers=JSON)).json()["status"] == "confirmed"

    done = await service.post(path_of(url), content=b"List-Unsubscribe=One-Click", headers=ONE_CLICK)
    assert done.status_code == 200 and done.json() == {"status": "unsubscribed", "email": "di@example.org"}
    assert (await service.get(path_of(url), headers=JSON)).json()["status"] == "unsubscribed"
    again = await service.post(path_of(url), content=b"List-Unsubscribe=One-Click", headers={**ONE_CLICK, **BROWSER})
    sent_on(again, "unsubscribe", token_of(url))  # an old page's button: the portal says it is done
    assert (await service.get(path_of(url), headers=JSON)).json()["status"] == "unsubscribed"
    manage = service.runtime.workers.composer.token_url("en", "subscribe/manage", "manage", "sub:" + subject, utcnow())
    assert (await service.get(path_of(manage), headers=JSON)).status_code == 410


async def test_metrics_count_sent_emails_by_kind(service):
    await subscribe_and_confirm(service, "ed@example.org", categories=["iot-sensors"])
    sent = 'innoportal_notifier_emails_sent_total{kind="confirmation"} 1.0'

    async def scraped():  # the count follows the commit of 'sent', just after the server's 250
        text = (await service.get("/metrics")).text
        return text if sent in text else None

    text = await eventually(scraped)
    assert 'innoportal_notifier_emails{state="pending"}' in text


async def test_a_browser_form_subscribes_and_gets_a_page(service):
    form = "email=fay%40example.org&categories=iot-sensors&keywords=lift&language=zh-HK&frequency=weekly"
    page = await service.post("/v1/subscriptions", content=form.encode(), headers={**ONE_CLICK, **BROWSER})
    sent_on(page, "subscribe/sent", None, "zh-hk")  # the portal's "check your inbox" page
    [confirmation] = await inbox(service.sink, "fay@example.org", "confirmation")
    assert "每週" in confirmation.get_body(("plain",)).get_content()


async def test_a_contacts_unsubscribe_link_stops_every_email_to_the_address(service):
    url = service.runtime.workers.composer.token_url("en", "unsubscribe", "unsubscribe",
                                                   "email:ee@emsd.gov.hk", utcnow())
    preview = (await service.get(path_of(url), headers=JSON)).json()
    assert preview["status"] == "active" and preview["kind"] == "contact"
    page = await service.get(path_of(url), headers={**BROWSER, "Accept-Language": "zh-HK"})
    sent_on(page, "unsubscribe", token_of(url), "zh-hk")  # no subscription: the browser's language
    done = await service.post(path_of(url), content=b"List-Unsubscribe=One-Click", headers=ONE_CLICK)
    assert done.status_code == 200
    assert (await service.get(path_of(url), headers=JSON)).json()["status"] == "unsubscribed"
