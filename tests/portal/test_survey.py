"""The market survey page over the running system: words in either language, a wish's survey,
filters, pages, bad input beside its field, its CSV from the portal's own origin, and the
matcher down."""

import csv
import html
import io
import math
import re
import time

import httpx
import pytest

from portal.test_wishes import main_of, portal_over, urls_of
from services.portal.domain.language import EN, ZH
from services.portal.domain.texts import translate

pytestmark = pytest.mark.slow
LANGS = {"en": EN, "zh-hk": ZH}
CANDIDATE = re.compile(r'<h3><a href="/(?:en|zh-hk)/solutions/([^"]+)">')


def candidates(html: str) -> list[str]:
    """The solution ids the survey lists, in order."""
    return CANDIDATE.findall(main_of(html))


def from_matcher(stack, **params) -> dict:
    """The matcher's own answer to the same survey."""
    response = httpx.get(stack.url("matcher") + "/v1/survey", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def percents(score: float) -> set[int]:
    """The percentage a score may be shown as (however a half is rounded)."""
    return {math.floor(score * 100), math.ceil(score * 100)}


def problem_beside(html: str, name: str) -> str | None:
    """The problem shown beside field `name`."""
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("lang", ["en", "zh-hk"])
def test_words_rank_the_solutions_with_score_and_reasons_in_the_pages_language(stack, lang):
    language = LANGS[lang]
    q = "passenger lift faults" if lang == "en" else "升降機故障"
    page = httpx.get(f"{stack.portal}/{lang}/survey", params={"q": q}, timeout=30)
    assert page.status_code == 200, page.text[-800:]
    expected = from_matcher(stack, q=q, limit=20)
    assert candidates(page.text) == [i["solution_id"] for i in expected["items"]]
    # The Chinese-only lift solution, for English words too (other tests add lift solutions to
    # the shared system: it is on the first page, not necessarily first).
    assert stack.scenario.solutions["lift"] in candidates(page.text)
    main = html.unescape(main_of(page.text))
    first = expected["items"][0]
    assert any(translate("survey.score", language, percent=p) in main
               for p in percents(first["score"]))
    assert translate("survey.reasons", language) in main
    assert translate("record.reason.glossary", language) in main
    assert translate("survey.ranked", language, floor=round(expected["floor"] * 100)) in main
    assert "@" not in main  # no contact email
    assert f'href="/{lang}/survey.csv?q=' in main
    assert f'<a href="/{lang}/survey" aria-current="page">' in page.text  # in the navigation
    home = httpx.get(f"{stack.portal}/{lang}/", timeout=30).text
    assert f'href="/{lang}/survey"' in main_of(home)


def test_a_wishs_survey_names_the_wish_and_ranks_for_it(stack):
    wish_id = stack.scenario.wishes["lift"]
    page = httpx.get(f"{stack.portal}/zh-hk/survey", params={"wish_id": wish_id}, timeout=30)
    assert page.status_code == 200, page.text[-800:]
    main = main_of(page.text)
    assert f'<a href="/zh-hk/wishes/{wish_id}">升降機預測性維修</a>' in main
    assert f'<input type="hidden" name="wish_id" value="{wish_id}">' in main
    expected = from_matcher(stack, wish_id=wish_id, limit=20)
    assert candidates(page.text) == [i["solution_id"] for i in expected["items"]]
    assert stack.scenario.solutions["lift"] in candidates(page.text)
    unknown = httpx.get(f"{stack.portal}/en/survey", params={"wish_id": "w-nowhere"}, timeout=30)
    assert unknown.status_code == 404


async def test_filters_and_pages_are_the_matchers(stack, tmp_path):
    async with portal_over(urls_of(stack), tmp_path, page_size=5) as client:
        for params in ({"q": "sensors", "trl_min": "8"},
                       {"q": "window cleaning robot", "category": "robotics-automation"}):
            page = await client.get("/en/survey", params=params)
            assert page.status_code == 200, params
            expected = from_matcher(stack, **params, limit=5)
            assert candidates(page.text) == [i["solution_id"] for i in expected["items"]]
            assert expected["items"], params
        expected = from_matcher(stack, q="sensors data", limit=100)
        total, shown = expected["total"], []
        last = max(1, -(-total // 5))
        for number in range(1, last + 1):
            page = await client.get("/en/survey", params={"q": "sensors data", "page": number})
            shown += candidates(page.text)
        beyond = await client.get("/zh-hk/survey", params={"q": "sensors data",
                                                           "page": last + 1})
    assert [i["solution_id"] for i in from_matcher(stack, q="sensors data", limit=100)[
        "items"]][:len(shown)] == shown and len(shown) == total
    assert beyond.status_code == 400
    assert translate("input.page_beyond", ZH, page=last + 1, last=last) in beyond.text


@pytest.mark.parametrize("params, field, key, values", [
    ({"q": "lift", "trl_min": "10"}, "trl_min", "input.trl", {"min": 1, "max": 9}),
    ({"q": "lift", "category": "lifts"}, "category", "input.category", {}),
    ({"q": "x" * 501}, "q", "input.too_long", {"max": 500, "length": 501}),
])
def test_bad_input_is_shown_beside_its_field_in_the_readers_language(stack, params, field, key,
                                                                      values):
    page = httpx.get(f"{stack.portal}/zh-hk/survey", params=params, timeout=30)
    assert page.status_code == 400
    assert problem_beside(page.text, field) == translate(key, ZH, **values)
    assert candidates(page.text) == []


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_is_the_same_survey_from_the_portal_with_formulas_neutralised(stack):
    word = f"zorblax{time.time_ns() % 10**9}"  # a word only this test's solution has
    hostile = {"title_en": f'=HYPERLINK("http://evil.example","{word} lift sensors")',
               "description_en": f"Sensors for passenger lift faults, {word} edition.",
               "categories": ["building-services"], "contact_email": "evil@example.hk",
               "trl": 4}
    created = httpx.post(stack.url("solutions") + "/v1/solutions", json=hostile, timeout=30,
                         headers=stack.system.auth("provider", "Evil Co"))
    assert created.status_code == 201, created.text
    solution_id = created.json()["id"]
    from_system = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not from_system:
        from_system = from_matcher(stack, q=word)["items"]
        time.sleep(0.2)
    assert from_system, "the matcher never heard of the solution"
    page = httpx.get(f"{stack.portal}/zh-hk/survey", params={"q": word}, timeout=30)
    link = re.search(r'href="(/zh-hk/survey\.csv\?[^"]+)"', page.text).group(1)
    download = httpx.get(stack.portal + link.replace("&amp;", "&"), timeout=30)
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    rows = read_csv(download.content)
    assert rows[0]["solution_id"] == solution_id and rows[0]["rank"] == "1"
    assert rows[0]["title_en"] == "'" + hostile["title_en"]
    assert rows[0]["url"].endswith(f"/zh-hk/solutions/{solution_id}")
    assert "@" not in download.content.decode("utf-8")
    nothing = httpx.get(f"{stack.portal}/en/survey.csv", timeout=30)
    assert nothing.status_code == 400 and "text/html" in nothing.headers["content-type"]


async def test_the_matcher_down_is_the_503_page_and_an_empty_survey_is_still_a_form(stack,
                                                                                     tmp_path):
    async with portal_over(urls_of(stack, down=("matcher",)), tmp_path) as client:
        down = await client.get("/en/survey", params={"q": "lift"})
        form = await client.get("/zh-hk/survey")
    assert down.status_code == 503 and down.headers["retry-after"]
    assert form.status_code == 200
    assert translate("survey.start", ZH) in form.text and 'name="q"' in form.text
