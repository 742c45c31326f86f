"""The public story in Chromium, as a person lives it: language, search, subscribe, alert, report."""

import re

import httpx
import pytest

from innoportal.testing.system import text_of, until

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEW_WISH = {
    "title_en": "Smart lift lobby displays",
    "title_zh": "升降機大堂智能顯示屏",
    "description_en": "Show passengers the waiting time of each passenger lift in the lobby.",
    "description_zh": "在升降機大堂顯示各部升降機的候梯時間。",
    "categories": ["building-services"],
    "contact_email": "lobby@archsd.gov.hk",
}


def _portal_links(message, portal: str) -> list[str]:
    return [u for u in re.findall(r"https?://[^\s<>\"')]+", text_of(message)) if u.startswith(portal)]


def test_1_home_then_switch_to_chinese_which_is_remembered(page):
    page.goto("/")
    assert page.url.endswith("/en/")
    assert page.get_attribute("html", "lang") == "en"
    page.get_by_role("link", name="繁體中文").click()
    assert page.url.endswith("/zh-hk/")
    assert page.get_attribute("html", "lang") == "zh-HK"
    assert page.get_by_role("heading", level=1).inner_text() == "以創新科技提升公共服務"
    page.goto("/")
    assert page.url.endswith("/zh-hk/")


def test_2_search_wishes_in_chinese_and_open_one(page, stack):
    page.goto("/zh-hk/wishes")
    page.get_by_label("搜尋字詞").fill("升降機")
    page.get_by_role("button", name="搜尋").click()
    assert "q=" in page.url
    result = page.get_by_role("link", name="升降機預測性維修")
    result.click()
    assert page.url.endswith(f"/zh-hk/wishes/{stack.scenario.wishes['lift']}")
    assert page.get_by_role("heading", level=1).inner_text() == "升降機預測性維修"


def test_3_and_4_subscribe_confirm_by_email_then_follow_an_alert_to_its_wish(page, stack):
    address = "story-subscriber@example.org"
    page.goto("/en/subscribe")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Building services").check()
    page.get_by_role("button", name=re.compile("Subscribe")).click()
    assert page.locator("h1").inner_text()  # the "check your email" page
    confirmation = until(lambda: stack.system.mailbox(address), 30, "the confirmation email")[0]
    links = [u for u in _portal_links(confirmation, stack.portal) if "/subscribe/confirm" in u]
    assert links, text_of(confirmation)
    answer = page.goto(links[0])
    assert answer.ok and "/subscribe/confirm" in page.url

    posted = httpx.post(stack.url("wishes") + "/v1/wishes", json=NEW_WISH, timeout=20,
                        headers=stack.system.auth("department", "ArchSD"))
    assert posted.status_code == 201, posted.text
    wish_id = posted.json()["id"]
    alert = until(lambda: [m for m in stack.system.mailbox(address)
                           if NEW_WISH["title_en"] in str(m["Subject"])], 30, "the alert")[0]
    wish_links = [u for u in _portal_links(alert, stack.portal) if f"/wishes/{wish_id}" in u]
    assert wish_links, text_of(alert)
    page.goto(wish_links[0])
    assert page.get_by_role("heading", level=1).inner_text() == NEW_WISH["title_en"]


def test_5_open_a_report_and_download_its_pdf(page, stack):
    trial_id = stack.scenario.trials["completed"]
    page.goto("/en/reports")
    page.locator(f"a[href='/en/reports/{trial_id}']").first.click()
    assert page.url.endswith(f"/en/reports/{trial_id}")
    assert page.locator("img[src*='charts']").count() >= 2
    with page.expect_download() as info:
        page.locator("a[href*='report.pdf']").first.click()
    download = info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
