"""The market survey and the possible duplicates in Chromium, as their people see them: the
survey's results, a wish's candidates for EMSD, and the "Check for similar …" panels of the wish
and solution forms (no script: a second submit button), each looked at in both languages with
axe-core at 1280 px and at 320 px; the form still posts after a check."""

from collections.abc import Iterator

import pytest

from portal.scenario import LIFT_SOLUTION

from .workspace_looks import assert_words_whole
from .workspace_people import Cast, signed_in_browser, unique

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]
WORDS = {
    "en": {"check_wish": "Check for similar wishes", "check_solution":
           "Check for similar solutions", "wishes_title": "Similar wishes already open",
           "solutions_title": "Similar solutions already listed", "post": "Post the wish",
           "title_zh": "Title in Chinese", "title_en": "Title in English",
           "description_en": "Description in English",
           "description_zh": "Description in Chinese"},
    "zh-hk": {"check_wish": "檢查有否相似的願望", "check_solution": "檢查有否相似的解決方案",
              "wishes_title": "相似的已發佈願望", "solutions_title": "相似的已登記解決方案",
              "title_zh": "中文標題", "title_en": "英文標題", "description_en": "英文描述",
              "description_zh": "中文描述"},
}


@pytest.fixture(scope="module")
def people(browser, stack) -> Iterator[Cast]:
    """Signed in: a department, a provider and EMSD staff (unique per run)."""
    found = Cast(unique(""))
    for who, role, org in (("department", "department", "ArchSD"),
                           ("provider", "provider", f"Survey Lab {found.tag}"),
                           ("emsd", "emsd", "EMSD")):
        found.contexts[who] = signed_in_browser(browser, stack, f"{who}-{found.tag}@example.hk",
                                                role, org)
    yield found
    found.close()


def test_the_survey_and_a_wishs_candidates_look_right_in_both_languages(stack, people):
    page = people.page("emsd")
    answer = page.goto("/en/survey?q=passenger+lift+faults&trl_min=5")
    assert answer is not None and answer.ok
    assert page.locator("main ol.candidates > li").count() >= 1
    people.looks.look(page)
    answer = page.goto(f"/zh-hk/wishes/{stack.scenario.wishes['lift']}")
    assert answer is not None and answer.ok
    assert page.get_by_role("heading", name="市場調查：候選解決方案").is_visible()
    people.looks.look(page)
    page.locator("main a[href^='/zh-hk/survey?wish_id=']").click()  # the wish's whole survey
    page.wait_for_load_state()
    assert page.locator("main ol.candidates > li").count() >= 1
    people.looks.look(page)
    assert not people.looks.problems, "\n".join(people.looks.problems)
    assert_words_whole(people.looks)


def _label(page, text: str):
    return page.get_by_label(text, exact=True)


def test_the_wish_form_checks_for_similar_wishes_then_posts(people):
    page = people.page("department")
    for lang in ("zh-hk", "en"):
        page.goto(f"/{lang}/my/wishes/new")
        _label(page, WORDS[lang]["title_en"]).fill("Early detection of water main leaks")
        _label(page, WORDS[lang]["description_en"]).fill(
            "Acoustic sensors find leaks in fresh water mains before pipes burst.")
        page.get_by_role("button", name=WORDS[lang]["check_wish"]).click()
        page.wait_for_load_state()
        panel = page.locator("#similar")
        assert panel.get_by_role("heading", name=WORDS[lang]["wishes_title"]).is_visible()
        assert panel.locator("li").count() >= 1
        assert _label(page, WORDS[lang]["title_en"]).input_value() == (
            "Early detection of water main leaks")  # kept as typed
        people.looks.check_here(page)
    _label(page, WORDS["en"]["title_en"]).fill(unique("Posted after a check "))
    _label(page, WORDS["en"]["description_en"]).fill(
        "This test posts its wish after a check, to show that a check never blocks posting.")
    page.get_by_label("Contact email", exact=True).fill("dept@archsd.gov.hk")
    page.get_by_label("IoT and sensors", exact=True).check()
    page.get_by_role("button", name=WORDS["en"]["post"]).click()
    page.wait_for_load_state()
    assert "/en/my/wishes?posted=w-" in page.url, page.url
    assert not people.looks.problems, "\n".join(people.looks.problems)
    assert_words_whole(people.looks)


def test_the_solution_form_shows_similar_solutions_and_their_trials(stack, people):
    page = people.page("provider")
    for lang in ("en", "zh-hk"):
        page.goto(f"/{lang}/my/solutions/new")
        # The scenario's lift solution again, as it is (the first of the panel, whatever other
        # tests add to the shared system).
        _label(page, WORDS[lang]["title_zh"]).fill(LIFT_SOLUTION["title_zh"])
        _label(page, WORDS[lang]["description_zh"]).fill(LIFT_SOLUTION["description_zh"])
        page.get_by_role("button", name=WORDS[lang]["check_solution"]).click()
        page.wait_for_load_state()
        panel = page.locator("#similar")
        assert panel.get_by_role("heading", name=WORDS[lang]["solutions_title"]).is_visible()
        lift = stack.scenario.solutions["lift"]
        assert panel.locator(f'a[href="/{lang}/solutions/{lift}"]').count() == 1
        people.looks.check_here(page)
    assert not people.looks.problems, "\n".join(people.looks.problems)
    assert_words_whole(people.looks)
