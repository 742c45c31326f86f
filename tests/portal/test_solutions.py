"""The solutions catalogue and a solution's page over the running system, and services down."""

import re

import httpx
import pytest

from portal.scenario import LEAK_SOLUTION, LEAK_WISH
from portal.test_wishes import (
    CONTACTS,
    api_ids,
    assert_no_contact,
    field_problem,
    listed,
    main_of,
    portal_over,
    urls_of,
)
from services.portal.domain.language import EN, ZH
from services.portal.domain.texts import translate
from services.portal.settings import UPSTREAMS

pytestmark = pytest.mark.slow
LANGUAGES = (("en", EN), ("zh-hk", ZH))


# The catalogue

def test_catalogue_searches_in_chinese_and_english_as_the_api_does(stack):
    solutions = stack.scenario.solutions
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, q, expected in (("en", "升降機", "lift"), ("zh-hk", "acoustic", "leak"),
                                  ("en", "window cleaning", "robot"), ("zh-hk", "漏水", "leak")):
            from_api = api_ids(stack, "solutions", "/v1/solutions", q=q, limit=20)[0]
            page = client.get(f"/{lang}/solutions", params={"q": q})
            assert page.status_code == 200, (q, page.text[-500:])
            ids = listed(page.text, lang, "solutions")
            assert solutions[expected] in ids and ids == from_api, q
            assert f'value="{q}"' in page.text


def test_catalogue_items_show_readiness_owner_categories_and_date(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en = client.get("/en/solutions", params={"q": "acoustic"}).text
        zh = client.get("/zh-hk/solutions", params={"q": "acoustic"}).text
    assert '<span class="trl">TRL 8</span>' in en and "Submitted by CityU on " in en
    assert "IoT and sensors" in en and "物聯網及感應器" in zh and "由CityU於" in zh
    # The filter explains what the levels mean, in the page's language.
    assert translate("trl.explain_title", EN) in en and "TRL 9: system proven" in en
    assert translate("trl.explain_title", ZH) in zh and "TRL 5 或以上" in zh


def test_catalogue_filters_by_category_and_readiness_as_the_api_does(stack):
    made = stack.scenario.solutions
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for params in ({"trl_min": "8"}, {"category": "robotics-automation"},
                       {"category": "iot-sensors", "trl_min": "7"}, {"trl_min": "9"}):
            page = client.get("/zh-hk/solutions", params=params)
            assert page.status_code == 200, params
            expected, _ = api_ids(stack, "solutions", "/v1/solutions", **params, limit=20)
            assert listed(page.text, "zh-hk", "solutions") == expected, params
        at_least_8 = listed(client.get("/en/solutions", params={"trl_min": 8}).text, "en",
                            "solutions")
    assert made["leak"] in at_least_8 and not {made["lift"], made["robot"]} & set(at_least_8)


async def test_catalogue_pages_through_every_solution(stack, tmp_path):
    everything, total = api_ids(stack, "solutions", "/v1/solutions", limit=100)
    assert total >= 3
    last = -(-total // 2)
    async with portal_over(urls_of(stack), tmp_path, page_size=2) as client:
        shown: list[str] = []
        for number in range(1, last + 1):
            page = await client.get("/zh-hk/solutions", params={"page": number})
            assert page.status_code == 200, number
            shown += listed(page.text, "zh-hk", "solutions")
            assert f"第 {2 * number - 1} 至 {min(total, 2 * number)} 項，共 {total} 項" in page.text
            assert ('rel="next"' in page.text) == (number < last)
        beyond = await client.get("/en/solutions", params={"page": last + 1, "trl_min": "1"})
    assert shown == everything[:len(shown)] and len(shown) == total
    assert beyond.status_code == 400
    assert translate("input.page_beyond", EN, page=last + 1, last=last) in beyond.text


BAD_INPUT = [
    ({"category": "nope"}, "category", "input.category", {}),
    ({"trl_min": "0"}, "trl_min", "input.trl", {}),
    ({"trl_min": "10"}, "trl_min", "input.trl", {}),
    ({"trl_min": "x"}, "trl_min", "input.trl", {}),
    ({"trl_min": "5\x00"}, "trl_min", "input.trl", {}),
    ({"q": "x" * 10_000}, "q", "input.too_long", {"max": 200, "length": 10_000}),
    ({"q": "lift\x07door"}, "q", "input.control", {}),
    ({"q": "升降機\x1b[31m"}, "q", "input.control", {}),
]


@pytest.mark.parametrize(("params", "field", "key", "values"), BAD_INPUT,
                         ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_INPUT)])
def test_catalogue_answers_bad_input_beside_its_field_in_the_pages_language(
        stack, params, field, key, values):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, language in LANGUAGES:
            typed = {"q": "water", **params} if field != "q" else params
            page = client.get(f"/{lang}/solutions", params=typed)
            assert page.status_code == 400, (lang, params)
            assert field_problem(page.text, field) == translate(key, language, **values)
            assert translate("form.errors_title", language) in page.text
            if field == "q":
                assert f'value="{typed["q"]}"' in page.text  # as typed
            else:  # what else was typed stays in its field
                assert 'value="water"' in page.text


def test_catalogue_answers_impossible_pages_with_the_problem_not_a_500(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, language in LANGUAGES:
            for number in ("-1", "0", str(10**9), "2.5", "ten"):
                page = client.get(f"/{lang}/solutions", params={"page": number, "q": "lift"})
                assert page.status_code == 400, number
                beside = "".join((translate("solutions.page", language),
                                  translate("record.colon", language),
                                  translate("input.page", language, max=5001)))
                assert re.search(r'<p class="field-error" id="page"[^>]*>' + re.escape(beside),
                                 page.text), number
                assert 'value="lift"' in page.text


# One solution

def test_a_solution_in_both_languages_with_its_match_trial_and_report(stack):
    made = stack.scenario
    solution_id = made.solutions["lift"]
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en = client.get(f"/en/solutions/{solution_id}")
        zh = client.get(f"/zh-hk/solutions/{solution_id}")
    assert en.status_code == zh.status_code == 200
    assert '<html lang="en">' in en.text and '<html lang="zh-HK">' in zh.text
    page, chinese = main_of(en.text), main_of(zh.text)
    # A Chinese-only solution: on the English page, its texts are marked as Chinese.
    assert '<h1><span lang="zh-HK">升降機故障預測系統</span></h1>' in page
    assert '<span lang="zh-HK">以物聯網感應器監測升降機門' in page
    assert "<h1>升降機故障預測系統</h1>" in chinese and 'class="other-version"' not in chinese
    assert "TRL 7: prototype demonstrated in an operational environment" in page
    assert "TRL 7：原型已在實際運作環境中示範" in chinese
    assert "HKUST" in page and "Building services" in page and "屋宇裝備" in chinese
    assert translate("solutions.for_catalogue", EN) in page
    # Its accepted match, linked to the wish's page; the completed trial and its report.
    assert f'<a href="/en/wishes/{made.wishes["lift"]}">Predictive maintenance' in page
    assert f'<a href="/zh-hk/wishes/{made.wishes["lift"]}">升降機預測性維修</a>' in chinese
    for lang, text in (("en", page), ("zh-hk", chinese)):
        assert f'href="/{lang}/trials/{made.trials["completed"]}"' in text
        assert f'href="/{lang}/reports/{made.trials["completed"]}"' in text
    assert_no_contact(en.text)
    assert_no_contact(zh.text)


def test_a_bilingual_solution_shows_both_versions_and_its_website(stack):
    made = stack.scenario
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en = main_of(client.get(f"/en/solutions/{made.solutions['leak']}").text)
        zh = main_of(client.get(f"/zh-hk/solutions/{made.solutions['leak']}").text)
        robot = client.get(f"/zh-hk/solutions/{made.solutions['robot']}").text
    assert f"<h1>{LEAK_SOLUTION['title_en']}</h1>" in en
    assert re.search(r'<div lang="zh-HK">\s*<h3>水管漏水聲學偵測</h3>', en)
    assert re.search(r'<div lang="en">\s*<h3>Acoustic leak detection', zh)
    website = LEAK_SOLUTION["website"]
    assert re.search(rf'<a href="{re.escape(website)}" rel="[^"]*\bnoopener\b[^"]*">', en)
    assert f'href="/en/trials/{made.trials["running"]}"' in en and "Running" in en
    assert "/en/reports/" not in en  # the running trial has no report yet
    leak_wish = made.wishes["leak"]
    assert f'<a href="/zh-hk/wishes/{leak_wish}"><span lang="en">{LEAK_WISH["title_en"]}' in zh
    assert '<h1><span lang="en">Window cleaning robot' in robot
    assert translate("solutions.no_matches", ZH) in robot
    assert_no_contact(en + zh + robot)


def test_a_solution_submitted_for_a_wish_links_it(stack):
    wish_id = stack.scenario.wishes["toilet"]
    body = {"title_en": "Odour sensors for public toilets",
            "description_en": "Ammonia sensors tell cleaners when a public toilet needs them.",
            "categories": ["environmental-monitoring"], "contact_email": "odour@cuhk.edu.hk",
            "trl": 6, "wish_id": wish_id}
    created = httpx.post(stack.url("solutions") + "/v1/solutions", json=body, timeout=10,
                         headers=stack.system.auth("provider", "CUHK"))
    assert created.status_code == 201, created.text
    solution_id = created.json()["id"]
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        en = client.get(f"/en/solutions/{solution_id}")
        zh = client.get(f"/zh-hk/solutions/{solution_id}")
    assert en.status_code == zh.status_code == 200
    assert (f'<a href="/en/wishes/{wish_id}"><span lang="zh-HK">智能公廁清潔監測</span></a>'
            in en.text)
    assert f'<a href="/zh-hk/wishes/{wish_id}">智能公廁清潔監測</a>' in zh.text
    assert "odour@cuhk.edu.hk" not in en.text + zh.text and "@" not in en.text + zh.text


def test_unknown_or_impossible_solution_ids_are_404_pages(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for lang, language in LANGUAGES:
            for solution_id in ("s-000000000000000000000000", "s" * 41, "%01", "%E6%BC%8F"):
                page = client.get(f"/{lang}/solutions/{solution_id}")
                assert page.status_code == 404, solution_id
                assert translate("error.not_found.title", language) in page.text


# Services down

async def test_a_solution_shows_without_the_matcher_wishes_or_trials(stack, tmp_path):
    made = stack.scenario
    async with portal_over(urls_of(stack, down=("matcher", "wishes")), tmp_path / "m") as client:
        page = await client.get(f"/zh-hk/solutions/{made.solutions['lift']}")
    assert page.status_code == 200 and "升降機故障預測系統" in page.text
    assert translate("record.matches_unavailable", ZH) in page.text
    async with portal_over(urls_of(stack, down=("trials",)), tmp_path / "t") as client:
        page = await client.get(f"/en/solutions/{made.solutions['lift']}")
    assert page.status_code == 200 and translate("record.trials_unavailable", EN) in page.text
    assert f'href="/en/wishes/{made.wishes["lift"]}"' in page.text


async def test_solutions_service_down_is_the_503_page_in_both_languages(stack, tmp_path):
    solution_id = stack.scenario.solutions["leak"]
    async with portal_over(urls_of(stack, down=UPSTREAMS), tmp_path) as client:
        for lang, language in LANGUAGES:
            for path in (f"/{lang}/solutions/{solution_id}", f"/{lang}/solutions?q=leak&trl_min=5"):
                page = await client.get(path)
                assert page.status_code == 503, path
                assert page.headers["retry-after"]
                assert translate("error.unavailable.title", language) in page.text
                assert translate("service.solutions", language) in page.text
                assert not any(c in page.text for c in CONTACTS)
