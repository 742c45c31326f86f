"""The alert pages over the running system: subscribe through the form, confirm by the emailed
link, manage, unsubscribe by the button and by one click; field errors and bad links in both
languages; and the notifier down."""

import html
import re
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.testing.nats_server import free_port
from innoportal.testing.system import text_of, until
from services.notifier.domain import issue_token
from services.portal.adapters.upstream import Upstream
from services.portal.bootstrap import bootstrap, create_app
from services.portal.settings import UPSTREAMS, PortalSettings

SECRET = "portal-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
FORM_ERROR = re.compile(r'<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>')


def address(name: str) -> str:
    """A fresh address (the stack is shared by the session)."""
    return f"{name}-{time.time_ns()}@example.org"


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token the page's form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def errors_beside(page: httpx.Response) -> dict[str, str]:
    """Each problem shown beside its field, by field name."""
    return {name: html.unescape(text) for name, text in FORM_ERROR.findall(page.text)}


def links_in(msg: EmailMessage) -> list[str]:
    """Every link of the plain-text part."""
    return re.findall(r"https?://[^\s<>\"']+", text_of(msg))


def portal_link(stack, msg: EmailMessage, page: str) -> str:
    """The path and query of the email's link to the portal page `page` (e.g. /en/unsubscribe)."""
    for url in links_in(msg):
        parts = urlsplit(url)
        if parts.path == page:
            assert url.startswith(stack.portal + "/"), url
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no link to {page} in:\n{text_of(msg)}")


def token_in(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def mail_of(stack, to: str, kind: str) -> EmailMessage:
    """The first email of `kind` that reached `to`."""
    return until(lambda: [m for m in stack.system.mailbox(to) if m["X-InnoPortal-Kind"] == kind],
                 30, f"the {kind} email to {to}")[0]


def link_in_page(page: httpx.Response, path: str) -> str:
    """The page's link to `path` (with its query)."""
    return html.unescape(re.search(rf'href="({re.escape(path)}\?[^"]+)"', page.text).group(1))


def subscribe(client: httpx.Client, lang: str, **fields) -> httpx.Response:
    """Fill in and send the subscribe form, as a browser does (cookie and token from the page)."""
    form = client.get(f"/{lang}/subscribe")
    assert form.status_code == 200
    return client.post(f"/{lang}/subscribe", data={"csrf_token": csrf_of(form), **fields})


def notifier_sees(stack, link: str) -> dict:
    """The subscription an unsubscribe link names, as the notifier has it now."""
    return httpx.get(stack.url("notifier") + "/v1/unsubscribe", params={"token": token_in(link)},
                     headers=JSON, timeout=10).json()


def assert_token_page(page: httpx.Response, status: int = 200) -> None:
    assert page.status_code == status, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.slow
def test_subscribe_confirm_manage_and_unsubscribe(stack):
    fan = address("ada")
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        form = client.get("/en/subscribe")
        for name in ("email", "keywords"):
            assert f'<label for="{name}">' in form.text
        assert '<legend>Categories</legend>' in form.text and 'value="en" checked' in form.text
        refused = client.post("/en/subscribe", data={"email": fan, "categories": "iot-sensors"})
        assert refused.status_code == 403 and "This form has expired" in refused.text

        sent = subscribe(client, "en", email=fan, categories=["building-services", "iot-sensors"],
                         keywords="lift, 升降機", language="en", frequency="weekly",
                         receive_reports="true")
        assert sent.status_code == 303 and sent.headers["location"] == "/en/subscribe/sent"
        inbox = client.get("/en/subscribe/sent")
        assert inbox.status_code == 200 and "Check your email" in inbox.text and fan in inbox.text

        confirmation = mail_of(stack, fan, "confirmation")
        assert all(u.startswith(stack.portal + "/en/") for u in links_in(confirmation))
        confirmed = client.get(portal_link(stack, confirmation, "/en/subscribe/confirm"))
        assert_token_page(confirmed)
        for text in ("Your alerts are on", "Building services", "IoT and sensors", "lift, 升降機",
                     "Weekly digest, on Mondays", f"{fan} will now receive"):
            assert text in confirmed.text, text

        manage_link = link_in_page(confirmed, "/en/subscribe/manage")
        manage = client.get(manage_link)
        assert_token_page(manage)
        assert re.search(r'value="building-services" checked', manage.text)
        assert not re.search(r'value="robotics-automation" checked', manage.text)
        saved = client.post(manage_link, data={
            "csrf_token": csrf_of(manage), "categories": "robotics-automation",
            "keywords": "chiller，冷水機", "language": "zh-HK", "frequency": "daily"})
        assert saved.status_code == 303 and saved.headers["location"].endswith("&saved=1")
        shown = client.get(saved.headers["location"])
        assert "Your alerts were saved." in shown.text
        assert 'value="robotics-automation" checked' in shown.text
        assert 'value="building-services" checked' not in shown.text
        unsubscribe_link = link_in_page(shown, "/en/unsubscribe")
        now = notifier_sees(stack, unsubscribe_link)["subscription"]
        assert (now["categories"], now["keywords"], now["language"], now["frequency"],
                now["receive_reports"]) == (["robotics-automation"], ["chiller", "冷水機"],
                                            "zh-HK", "daily", False)

        wrong = client.post(manage_link, data={"csrf_token": csrf_of(manage),
                                               "categories": "teleportation", "keywords": "lift, x"})
        assert wrong.status_code == 422
        beside = errors_beside(wrong)
        assert "teleportation" in beside["categories"] and '"x"' in beside["keywords"]
        assert 'value="lift, x"' in wrong.text

        # The unsubscribe page says what will stop; only its button stops it.
        page = client.get(unsubscribe_link)
        assert_token_page(page)
        assert f"Stop these alerts to {fan}?" in page.text and "Robotics and automation" in page.text
        assert notifier_sees(stack, unsubscribe_link)["status"] == "confirmed"
        assert client.post(unsubscribe_link, data={}).status_code == 403
        done = client.post(unsubscribe_link, data={"csrf_token": csrf_of(page)})
        assert_token_page(done)
        assert "You are unsubscribed" in done.text and fan in done.text
        assert notifier_sees(stack, unsubscribe_link)["status"] == "unsubscribed"
        again = client.get(unsubscribe_link)
        assert again.status_code == 200 and "You are unsubscribed" in again.text
        ended = client.get(manage_link)
        assert_token_page(ended, 410)
        assert "This link has expired" in ended.text and 'href="/en/subscribe"' in ended.text


@pytest.mark.slow
@pytest.mark.parametrize("lang, email_says, category_says", [
    ("en", "is not a valid email address", "unknown category"),
    ("zh-hk", "不是有效的電郵地址", "未知的類別"),
])
def test_field_errors_beside_their_fields_in_the_readers_language(stack, lang, email_says,
                                                                  category_says):
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        page = subscribe(client, lang, email="not-an-address",
                         categories=["iot-sensors", "teleportation"], keywords="lift, 升降機",
                         language="en", frequency="daily")
    assert page.status_code == 422
    beside = errors_beside(page)
    assert email_says in beside["email"] and category_says in beside["categories"], beside
    assert "teleportation" in beside["categories"]
    # What was typed is kept, and the summary links to each field.
    assert 'value="not-an-address"' in page.text and 'value="lift, 升降機"' in page.text
    assert 'value="iot-sensors" checked' in page.text and 'value="daily" checked' in page.text
    assert 'href="#email"' in page.text and 'href="#categories"' in page.text
    assert 'aria-invalid="true"' in page.text


@pytest.mark.slow
def test_chinese_subscriber_reads_chinese_pages_and_emails(stack):
    chan = address("chan")
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        form = client.get("/zh-hk/subscribe")
        assert 'value="zh-HK" checked' in form.text and "訂閱創科願望通知" in form.text
        sent = subscribe(client, "zh-hk", email=chan, categories="building-services",
                         keywords="升降機", language="zh-HK", frequency="instant")
        assert sent.headers["location"] == "/zh-hk/subscribe/sent"
        assert "請查看你的電郵" in client.get(sent.headers["location"]).text
        confirmation = mail_of(stack, chan, "confirmation")
        assert confirmation["Subject"] == "請確認您的 InnoPortal 通知訂閱"
        confirmed = client.get(portal_link(stack, confirmation, "/zh-hk/subscribe/confirm"))
        assert_token_page(confirmed)
        assert '<html lang="zh-HK">' in confirmed.text
        for text in ("你的通知已經啟用", "屋宇裝備", "升降機", "即時：每有新願望即發一封電郵", "繁體中文"):
            assert text in confirmed.text, text
        page = client.get(portal_link(stack, confirmation, "/zh-hk/unsubscribe"))
        assert_token_page(page)
        assert f"停止向 {chan} 發送以下通知？" in page.text and "取消訂閱" in page.text


@pytest.mark.slow
def test_one_click_from_a_mail_client_needs_no_cookie(stack):
    dee = address("dee")
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        subscribe(client, "en", email=dee, categories="iot-sensors", language="en")
    confirmation = mail_of(stack, dee, "confirmation")
    header = confirmation["List-Unsubscribe"].strip("<>")
    secure = "https://" + stack.portal.removeprefix("http://")
    assert header.startswith(secure + "/unsubscribe?token=")
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    local = stack.portal + header.removeprefix(secure)  # the test system serves plain http
    with httpx.Client(timeout=15) as mail_client:  # no cookie, no CSRF token: the token is the key
        assert mail_client.post(local, data={"other": "x"}).status_code == 400
        done = mail_client.post(local, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "You are unsubscribed" in done.text
        assert done.headers["referrer-policy"] == "no-referrer"
        forged = mail_client.post(stack.portal + "/unsubscribe?token=1.x.y",
                                  data={"List-Unsubscribe": "One-Click"})
        assert forged.status_code == 400
    assert notifier_sees(stack, local)["status"] == "unsubscribed"


@pytest.mark.slow
def test_links_that_cannot_be_used_say_why_in_the_readers_language(stack):
    secret = stack.system.env["INNOPORTAL_SECRET_KEY"]
    expired = issue_token(secret, "confirm", "sub:sub-x", datetime.now(UTC) - timedelta(days=3))
    unknown = issue_token(secret, "manage", "sub:sub-nobody", datetime.now(UTC))
    a_confirm_link = issue_token(secret, "confirm", "sub:sub-x", datetime.now(UTC))
    cases = [("/subscribe/confirm?token=1.abc.def", 400, "This link cannot be used", "此連結無法使用"),
             ("/subscribe/manage?token=" + a_confirm_link, 400,  # not a manage link
              "This link cannot be used", "此連結無法使用"),
             ("/subscribe/confirm?token=" + expired, 410, "This link has expired", "此連結已經失效"),
             ("/subscribe/manage?token=" + unknown, 404, "We cannot find this subscription",
              "找不到此訂閱"),
             ("/unsubscribe", 400, "This link cannot be used", "此連結無法使用")]
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        for path, status, english, chinese in cases:
            for lang, says in (("en", english), ("zh-hk", chinese)):
                page = client.get(f"/{lang}{path}")
                assert_token_page(page, status)
                assert says in page.text and f'href="/{lang}/subscribe"' in page.text, path


@pytest.mark.slow
def test_old_links_to_the_notifier_lead_to_the_portal_page(stack):
    eve = address("eve")
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        subscribe(client, "zh-hk", email=eve, categories="iot-sensors", language="zh-HK")
    token = token_in(portal_link(stack, mail_of(stack, eve, "confirmation"), "/zh-hk/subscribe/confirm"))
    old = httpx.get(stack.url("notifier") + "/v1/subscriptions/confirm", params={"token": token},
                    headers={**BROWSER, "Accept-Language": "en"}, timeout=15)
    assert old.status_code == 303  # in the subscription's language, not the browser's
    assert old.headers["location"].startswith(stack.portal + "/zh-hk/subscribe/confirm?token=")
    page = httpx.get(old.headers["location"], timeout=15)
    assert_token_page(page)
    assert "你的通知已經啟用" in page.text


@pytest.mark.slow
def test_a_contact_can_stop_every_email_to_the_address(stack):
    match_email = mail_of(stack, "water@cityu.edu.hk", "match_found")
    link = portal_link(stack, match_email, "/en/unsubscribe")
    with httpx.Client(base_url=stack.portal, timeout=15) as client:
        page = client.get(link)  # looked at, not pressed: other tests read this contact's mail
    assert_token_page(page)
    assert "Stop every E&amp;M InnoPortal email to water@cityu.edu.hk?" in page.text
    assert "the contact of a wish or a solution" in page.text


def closed_url() -> str:
    """A URL where nothing listens: a service that is down."""
    return f"http://127.0.0.1:{free_port()}"


async def test_notifier_down_keeps_what_was_typed_and_says_so(tmp_path):
    urls = {name: closed_url() for name in UPSTREAMS}
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=SECRET)
    runtime = bootstrap(PortalSettings(), upstream=Upstream(urls, timeout=2, connect_timeout=1),
                        common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        for lang, says in (("en", "The alerts service is not answering"),
                           ("zh-hk", "通知服務暫時沒有回應")):
            form = await client.get(f"/{lang}/subscribe")
            page = await client.post(f"/{lang}/subscribe", data={
                "csrf_token": csrf_of(form), "email": "fay@example.org",
                "categories": "iot-sensors", "keywords": "lift", "frequency": "weekly"})
            assert page.status_code == 503 and says in page.text
            assert 'value="fay@example.org"' in page.text and 'value="lift"' in page.text
            assert 'value="iot-sensors" checked' in page.text and 'value="weekly" checked' in page.text
            confirm = await client.get(f"/{lang}/subscribe/confirm", params={"token": "1.a.b"})
            assert_token_page(confirm, 503)
            one_click = await client.post("/unsubscribe", params={"token": "1.a.b"},
                                          data={"List-Unsubscribe": "One-Click"})
            assert one_click.status_code == 503
