"""The wishes pages over the running system: the list, one wish, proposing, and services down."""

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.testing.nats_server import free_port
from portal.scenario import LIFT_WISH
from services.portal.adapters.upstream import Upstream
from services.portal.bootstrap import bootstrap, create_app
from services.portal.domain.language import EN, ZH
from services.portal.domain.texts import translate
from services.portal.settings import UPSTREAMS, PortalSettings

pytestmark = pytest.mark.slow

SECRET = "portal-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
CONTACTS = ("lifts@archsd.gov.hk", "leaks@wsd.gov.hk", "toilets@fehd.gov.hk", "energy@emsd.gov.hk",
            "lab@hkust.edu.hk", "water@cityu.edu.hk", "robots@polyu.edu.hk")


def closed_url() -> str:
    """A URL where nothing listens: a service that is down."""
    return f"http://127.0.0.1:{free_port()}"


def urls_of(stack, down: tuple[str, ...] = ()) -> dict[str, str]:
    """The stack's services, with those in `down` replaced by a port where nothing listens."""
    return {name: closed_url() if name in down else stack.url(name) for name in UPSTREAMS}


@asynccontextmanager
async def portal_over(urls: Mapping[str, str], data_dir: Path,
                      page_size: int = 20) -> AsyncIterator[httpx.AsyncClient]:
    """A portal in-process (no NATS) reading the services at `urls`; an HTTP client to it."""
    # The setting allows 5 to 100; a smaller page lets the scenario's few records fill pages.
    settings = PortalSettings().model_copy(update={"page_size": page_size})
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=data_dir, secret_key=SECRET)
    runtime = bootstrap(settings, upstream=Upstream(urls, timeout=5, connect_timeout=1),
                        common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        yield client


def listed(html: str, lang: str, kind: str) -> list[str]:
    """The record ids a list page links, in order."""
    return re.findall(rf'<h3><a href="/{lang}/{kind}/([^"]+)">', html)


def api_ids(stack, service: str, path: str, **params) -> tuple[list[str], int]:
    """The ids of one page of a service's list, and its total."""
    # A service's first Chinese search loads jieba's dictionary: seconds on a loaded machine.
    body = httpx.get(stack.url(service) + path, params=params, timeout=60).json()
    return [item["id"] for item in body["items"]], body["total"]


def main_of(html: str) -> str:
    """The page's <main> (its own content, without the layout)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def field_problem(html: str, name: str) -> str | None:
    """The problem shown beside field `name`: between its label and the field itself."""
    found = re.search(
        rf'<label for="{name}">[^<]*</label>\s*(?:<p class="hint"[^>]*>[^<]*</p>\s*)?'
        rf'<p class="field-error" id="{name}-error">([^<]*)</p>\s*<(?:input|select) id="{name}"',
        html)
    return found.group(1) if found else None


def assert_no_contact(html: str) -> None:
    """No contact email, nor any @ at all, in a public page."""
    assert "@" not in html
    assert not any(contact in html for contact in CONTACTS)


# The list

def test_list_searches_in_chinese_and_english_as_the_api_does(stack):
    wishes = stack.scenario.wishes
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, q, expected in (("en", "升降機", "lift"), ("zh-hk", "leaks", "leak"),
                                  ("en", "公廁", "toilet")):
            from_api = api_ids(stack, "wishes", "/v1/wishes", q=q, limit=20)[0]
            page = client.get(f"/{lang}/wishes", params={"q": q})
            assert page.status_code == 200, (q, page.text[-500:])
            ids = listed(page.text, lang, "wishes")
            assert wishes[expected] in ids and ids == from_api, q
            assert f'value="{q}"' in page.text  # the words stay in the field


def test_list_filters_by_status_and_category_as_the_api_does(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for params in ({"status": "closed"}, {"status": "open", "category": "iot-sensors"},
                       {"category": "renewable-energy"}):
            page = client.get("/zh-hk/wishes", params=params)
            assert page.status_code == 200, params
            expected, total = api_ids(stack, "wishes", "/v1/wishes", **params, limit=20)
            assert listed(page.text, "zh-hk", "wishes") == expected and total >= 1, params
    assert stack.scenario.wishes["closed"] in api_ids(stack, "wishes", "/v1/wishes",
                                                      status="closed", limit=100)[0]


async def test_list_pages_through_every_wish(stack, tmp_path):
    everything, total = api_ids(stack, "wishes", "/v1/wishes", limit=100)
    assert total >= 4
    async with portal_over(urls_of(stack), tmp_path, page_size=2) as client:
        shown: list[str] = []
        last = -(-total // 2)
        for number in range(1, last + 1):
            page = await client.get("/en/wishes", params={"page": number})
            assert page.status_code == 200, number
            shown += listed(page.text, "en", "wishes")
            assert f"{2 * number - 1} to {min(total, 2 * number)} of {total}" in page.text
            assert ('rel="next"' in page.text) == (number < last)
            assert ('rel="prev"' in page.text) == (number > 1)
        beyond = await client.get("/zh-hk/wishes", params={"page": last + 1})
    assert shown == everything[:len(shown)] and len(shown) == total
    assert beyond.status_code == 400
    assert translate("input.page_beyond", ZH, page=last + 1, last=last) in beyond.text


def test_list_answers_bad_input_beside_its_field(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        page = client.get("/zh-hk/wishes", params={"q": "升降機", "status": "maybe"})
        assert page.status_code == 400
        assert field_problem(page.text, "status") == translate("input.status", ZH)
        assert 'value="升降機"' in page.text
        page = client.get("/en/wishes", params={"q": "x" * 10_000})
        assert page.status_code == 400 and f'value="{"x" * 10_000}"' in page.text
        assert field_problem(page.text, "q") == translate("input.too_long", EN, max=200,
                                                          length=10_000)


# One wish

def test_a_wish_in_both_languages_with_its_match_and_trials(stack):
    made = stack.scenario
    wish_id, solution_id = made.wishes["lift"], made.solutions["lift"]
    match = httpx.get(f"{stack.url('matcher')}/v1/matches/{made.matches['lift']}",
                      timeout=10).json()
    percent = round(match["score"] * 100)
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en, zh = client.get(f"/en/wishes/{wish_id}"), client.get(f"/zh-hk/wishes/{wish_id}")
    assert en.status_code == zh.status_code == 200
    assert '<html lang="en">' in en.text and '<html lang="zh-HK">' in zh.text
    page = main_of(en.text)
    assert f"<h1>{LIFT_WISH['title_en']}</h1>" in page
    assert LIFT_WISH["description_en"] in page
    # The other language's version, in its own section marked with its language.
    assert re.search(r'<div lang="zh-HK">\s*<h3>升降機預測性維修</h3>', page)
    for fact in ("HK$800,000", "Government offices in Kowloon Bay", "ArchSD", "Building services",
                 "IoT and sensors", "Open", "Posted on"):
        assert fact in page, fact
    assert f'href="/en/propose?wish_id={wish_id}"' in page
    # The accepted match, linked to the solution's page (a Chinese title, marked), and its trials.
    assert (f'<a href="/en/solutions/{solution_id}"><span lang="zh-HK">升降機故障預測系統</span></a>'
            in page)
    assert f"Match score: {percent}%" in page
    assert f'href="/en/trials/{made.trials["completed"]}"' in page
    assert f'href="/en/reports/{made.trials["completed"]}"' in page and "Completed" in page
    chinese = main_of(zh.text)
    assert "<h1>升降機預測性維修</h1>" in chinese and "港幣 800,000 元" in chinese
    assert re.search(r'<div lang="en">\s*<h3>Predictive maintenance', chinese)
    assert f"配對分數：{percent}%" in chinese and "已完成" in chinese
    assert f'href="/zh-hk/solutions/{solution_id}">升降機故障預測系統</a>' in chinese
    assert_no_contact(en.text)
    assert_no_contact(zh.text)


def test_a_wish_in_one_language_is_marked_on_the_other_languages_page(stack):
    made = stack.scenario
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        toilet_en = main_of(client.get(f"/en/wishes/{made.wishes['toilet']}").text)
        toilet_zh = main_of(client.get(f"/zh-hk/wishes/{made.wishes['toilet']}").text)
        leak_zh = client.get(f"/zh-hk/wishes/{made.wishes['leak']}")
    assert '<h1><span lang="zh-HK">智能公廁清潔監測</span></h1>' in toilet_en
    assert '<span lang="zh-HK">以感應器監測公廁' in toilet_en
    assert "<h1>智能公廁清潔監測</h1>" in toilet_zh
    assert 'class="other-version"' not in toilet_en + toilet_zh  # nothing else to show
    assert '<h1><span lang="en">Early detection of water main leaks</span></h1>' in leak_zh.text
    # The leak wish's match and its running trial, which has no report yet.
    assert f'href="/zh-hk/solutions/{made.solutions["leak"]}"' in leak_zh.text
    assert f'href="/zh-hk/trials/{made.trials["running"]}"' in leak_zh.text
    assert "進行中" in leak_zh.text and "/zh-hk/reports/" not in leak_zh.text
    assert_no_contact(leak_zh.text + toilet_en + toilet_zh)


def test_a_closed_wish_says_why_and_takes_no_proposals(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en = client.get(f"/en/wishes/{stack.scenario.wishes['closed']}")
        zh = client.get(f"/zh-hk/wishes/{stack.scenario.wishes['closed']}")
    assert en.status_code == zh.status_code == 200
    assert "Reason: Need met" in en.text and translate("wishes.closed_no_proposals", EN) in en.text
    assert "/en/propose" not in en.text
    assert "原因：Need met" in zh.text and translate("wishes.closed_no_proposals", ZH) in zh.text
    assert translate("wishes.no_matches", ZH) in zh.text
    assert_no_contact(en.text + zh.text)


def test_unknown_or_impossible_wish_ids_are_404_pages(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, wish_id in (("en", "w-000000000000000000000000"), ("zh-hk", "x" * 41),
                              ("en", "%00"), ("zh-hk", "%E5%8D%87")):
            page = client.get(f"/{lang}/wishes/{wish_id}")
            assert page.status_code == 404, wish_id
            assert page.headers["content-type"].startswith("text/html")
            expected = translate("error.not_found.title", ZH if lang == "zh-hk" else EN)
            assert expected in page.text, wish_id


# Proposing a solution

def test_the_propose_page_says_how_for_an_open_wish_and_not_for_a_closed_one(stack):
    made = stack.scenario
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        open_en = client.get("/en/propose", params={"wish_id": made.wishes["lift"]})
        open_zh = client.get("/zh-hk/propose", params={"wish_id": made.wishes["lift"]})
        closed = client.get("/zh-hk/propose", params={"wish_id": made.wishes["closed"]})
        general = client.get("/en/propose")
        unknown = client.get("/en/propose", params={"wish_id": "w-nothing"})
    assert open_en.status_code == open_zh.status_code == closed.status_code == 200
    assert general.status_code == 200 and unknown.status_code == 404
    assert f'&#34;wish_id&#34;: &#34;{made.wishes["lift"]}&#34;' in open_en.text
    assert stack.url("solutions") + "/v1/solutions" in open_en.text
    assert "--role provider" in open_en.text and 'href="/en/subscribe"' in open_en.text
    assert f'href="/en/wishes/{made.wishes["lift"]}"' in open_en.text
    assert translate("propose.step_submit", ZH) in open_zh.text and "你的方案標題" in open_zh.text
    assert translate("propose.closed", ZH) in closed.text and "wish_id&#34;" not in closed.text
    assert "wish_id&#34;" not in general.text and "/v1/solutions" in general.text
    assert not any(c in open_en.text + open_zh.text + closed.text for c in CONTACTS)


# Services down

async def test_the_wish_shows_without_the_matcher_or_trials_with_a_notice(stack, tmp_path):
    wish_id = stack.scenario.wishes["lift"]
    async with portal_over(urls_of(stack, down=("matcher",)), tmp_path / "m") as client:
        en = await client.get(f"/en/wishes/{wish_id}")
        zh = await client.get(f"/zh-hk/wishes/{wish_id}")
    assert en.status_code == zh.status_code == 200
    assert LIFT_WISH["title_en"] in en.text and "HK$800,000" in en.text
    assert translate("record.matches_unavailable", EN) in en.text
    assert translate("record.matches_unavailable", ZH) in zh.text
    async with portal_over(urls_of(stack, down=("trials",)), tmp_path / "t") as client:
        page = await client.get(f"/zh-hk/wishes/{wish_id}")
    assert page.status_code == 200 and translate("record.trials_unavailable", ZH) in page.text
    assert f'href="/zh-hk/solutions/{stack.scenario.solutions["lift"]}"' in page.text
    assert "/zh-hk/trials/" not in page.text


async def test_wishes_service_down_is_the_503_page_in_both_languages(stack, tmp_path):
    wish_id = stack.scenario.wishes["lift"]
    async with portal_over(urls_of(stack, down=UPSTREAMS), tmp_path) as client:
        answers = {lang: await client.get(f"/{lang}/wishes/{wish_id}") for lang in ("en", "zh-hk")}
        listing = await client.get("/en/wishes", params={"q": "lift"})
        propose = await client.get("/zh-hk/propose", params={"wish_id": wish_id})
    for lang, language in (("en", EN), ("zh-hk", ZH)):
        page = answers[lang]
        assert page.status_code == 503 and page.headers["retry-after"]
        assert page.headers["content-type"].startswith("text/html")
        assert translate("error.unavailable.title", language) in page.text
        assert translate("service.wishes", language) in page.text
    assert listing.status_code == 503 and propose.status_code == 503
    assert translate("error.unavailable.title", ZH) in propose.text
