"""The market survey and possible duplicates for signed-in people, over the running system: a
wish's candidates for its department and EMSD (not for the public, another department or a
provider), and the "Check for similar …" panels of the wish and solution forms, which never
stand in the way of posting; without the matcher, no panel and no error."""

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from innoportal.testing.system import until
from portal.scenario import LIFT_SOLUTION
from portal.signin import csrf_of, signed_in
from portal.test_my_records import portal_signed_in, unique
from portal.test_wishes import main_of
from services.portal.domain.language import EN, ZH
from services.portal.domain.texts import translate

pytestmark = pytest.mark.slow
# The scenario's leak wish (English), asked for again in Chinese by another department.
LEAK_DRAFT = {"title_zh": "及早偵測水管漏水",
              "description_zh": "以聲學感應器及數據分析，在水管爆裂前及早找出食水管漏水位置。",
              "categories": ["iot-sensors"], "contact_email": "survey@archsd.gov.hk"}
# The scenario's lift solution (trialled and reported), submitted again as it is: other tests
# add lift solutions to the shared system, and a twin stays first whatever they add.
LIFT_DRAFT = {"title_zh": LIFT_SOLUTION["title_zh"],
              "description_zh": LIFT_SOLUTION["description_zh"],
              "categories": ["building-services", "iot-sensors"],
              "contact_email": "survey@cityu.edu.hk", "trl": "6"}
# What is posted after a check: not one more leak wish for the next check to find.
POSTED = {"description_zh": "本測試在檢查相似願望後發佈此願望，以示檢查不會阻礙發佈。"}


def person(stack, email: str, role: str, org: str) -> Iterator[httpx.Client]:
    with signed_in(stack, email, role, org) as client:
        client.base_url = stack.portal
        yield client


@pytest.fixture(scope="module")
def archsd(stack) -> Iterator[httpx.Client]:
    """ArchSD staff: the lift wish's own department."""
    yield from person(stack, "survey@archsd.gov.hk", "department", "ArchSD")


@pytest.fixture(scope="module")
def emsd(stack) -> Iterator[httpx.Client]:
    yield from person(stack, "survey@emsd.gov.hk", "emsd", "EMSD")


@pytest.fixture(scope="module")
def provider(stack) -> Iterator[httpx.Client]:
    yield from person(stack, "survey@cityu.edu.hk", "provider", "CityU")


def candidates_section(page: httpx.Response) -> str | None:
    """The wish page's market survey section, if it has one."""
    found = re.search(r'<section aria-labelledby="candidates">(.*?)</section>', page.text, re.S)
    return html.unescape(found.group(1)) if found else None


def test_a_wishs_candidates_are_for_its_department_and_emsd_only(stack, archsd, emsd,
                                                                provider):
    wish_id, lift = stack.scenario.wishes["lift"], stack.scenario.solutions["lift"]
    path = f"/zh-hk/wishes/{wish_id}"
    for client in (archsd, emsd):
        section = candidates_section(client.get(path))
        assert section is not None and translate("survey.candidates", ZH) in section
        assert f'<h3><a href="/zh-hk/solutions/{lift}">' in section  # the top one, linked
        assert f'href="/zh-hk/survey?wish_id={wish_id}"' in section
        assert "@" not in section
    with signed_in(stack, "survey@wsd.gov.hk", "department", "WSD") as wsd:
        other_department = wsd.get(stack.portal + path)
    public = httpx.get(stack.portal + path, timeout=30)
    for page in (other_department, public, provider.get(path)):
        assert page.status_code == 200
        assert candidates_section(page) is None
        assert translate("survey.candidates", ZH) not in page.text


def check(client: httpx.Client, form_path: str, fields: dict) -> httpx.Response:
    """Open a form and press "Check for similar …" with these fields."""
    page = client.get(form_path)
    assert page.status_code == 200, page.text[:500]
    action = re.search(r'formaction="([^"#]+)#similar"', page.text).group(1)
    return client.post(action, data={"csrf_token": csrf_of(page.text), **fields})


def panel(page: httpx.Response) -> str | None:
    found = re.search(r'<section class="similar-panel"(.*?)</section>', page.text, re.S)
    return html.unescape(found.group(1)) if found else None


def test_the_wish_form_shows_similar_open_wishes_then_posts_as_ever(stack, archsd):
    leak = stack.scenario.wishes["leak"]
    draft = {**LEAK_DRAFT, "title_zh": unique(LEAK_DRAFT["title_zh"])}
    checked = check(archsd, "/zh-hk/my/wishes/new", draft)
    assert checked.status_code == 200
    found = panel(checked)
    assert found is not None and translate("similar.title.wish", ZH) in found
    assert f'href="/zh-hk/wishes/{leak}"' in found and "@" not in found
    assert translate("similar.intro.wish", ZH) in found
    # The form came back as typed, with its token; its own button posts it.
    assert f'value="{draft["title_zh"]}"' in checked.text
    assert draft["description_zh"] in html.unescape(checked.text)
    assert 'value="iot-sensors" checked' in checked.text
    posted = archsd.post("/zh-hk/my/wishes/new", data={"csrf_token": csrf_of(checked.text),
                                                       **draft, **POSTED})
    assert posted.status_code == 303 and "posted=w-" in posted.headers["location"]


def test_the_solution_form_shows_similar_solutions_with_their_trials(stack, provider):
    lift, trial = stack.scenario.solutions["lift"], stack.scenario.trials["completed"]

    def reported() -> str | None:  # the matcher learns the trial's report by event
        found = panel(check(provider, "/en/my/solutions/new", LIFT_DRAFT))
        return found if found and f'href="/en/reports/{trial}"' in found else None

    found = until(reported, 30, "the lift solution's report beside the draft")
    assert f'href="/en/solutions/{lift}"' in found
    assert translate("report.verdict.passed", EN) in found  # every KPI of the scenario met
    assert translate("record.trial_state.completed", EN) in found and "@" not in found
    empty = check(provider, "/en/my/solutions/new", {"title_en": " ", "trl": "6"})
    assert translate("similar.no_text", EN) in (panel(empty) or "")
    # A draft for a wish keeps the wish when checked.
    wish_id = stack.scenario.wishes["leak"]
    for_wish = check(provider, f"/en/my/solutions/new?wish_id={wish_id}",
                     {**LIFT_DRAFT, "wish_id": wish_id})
    assert f'<input type="hidden" name="wish_id" value="{wish_id}">' in for_wish.text


async def test_without_the_matcher_the_forms_work_without_a_panel(stack, tmp_path):
    async with portal_signed_in(stack, tmp_path, "department", "ArchSD", ("matcher",)) as client:
        form = await client.get("/en/my/wishes/new")
        checked = await client.post("/en/my/wishes/new/similar", data={
            "csrf_token": csrf_of(form.text), **LEAK_DRAFT})
        wish = await client.get(f"/en/wishes/{stack.scenario.wishes['lift']}")
        posted = await client.post("/en/my/wishes/new", data={
            "csrf_token": csrf_of(checked.text), **LEAK_DRAFT, **POSTED,
            "title_zh": unique(LEAK_DRAFT["title_zh"])})
    assert checked.status_code == 200 and panel(checked) is None
    assert "field-error" not in checked.text and 'class="notice' not in main_of(checked.text)
    assert posted.status_code == 303
    section = candidates_section(wish)
    assert wish.status_code == 200 and section is not None
    assert translate("survey.candidates_unavailable", EN) in section
