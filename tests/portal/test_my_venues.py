"""EMSD's venues over the running system: adding one (its errors beside the fields, in the
page's language), and a venue's month calendar of bookings by Hong Kong day."""

import re
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from innoportal.fields import HONG_KONG
from portal.signin import signed_in
from portal.test_my_trials import EMSD, field_error, post_form
from portal.test_reports import Page

pytestmark = pytest.mark.slow
WEEKDAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            "zh-hk": ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]}


@pytest.fixture(scope="module")
def officer(stack) -> Iterator[httpx.Client]:
    """EMSD staff signed in to the portal."""
    with signed_in(stack, EMSD, "emsd", "EMSD") as client:
        yield client


def test_adding_a_venue_shows_the_apis_objections_then_adds_it(stack, officer):
    page_url = f"{stack.portal}/zh-hk/my/venues"
    refused = post_form(officer, page_url, page_url, {
        "name_en": "", "name_zh": "將軍澳試驗場", "address": "x" * 501, "owner_department": "EMSD"})
    assert refused.status_code == 422
    assert field_error(refused.text, "name_en") == "最少須有 1 個字元"
    assert "500" in field_error(refused.text, "address")
    assert 'value="將軍澳試驗場"' in refused.text and 'href="#name_en"' in refused.text
    added = post_form(officer, page_url, page_url, {
        "name_en": "Tseung Kwan O Test Yard", "name_zh": "將軍澳試驗場", "address": "TKO",
        "owner_department": "EMSD", "concurrent": "true"})
    assert added.status_code == 303
    venue_id = re.fullmatch(r"/zh-hk/my/venues/([^?]+)\?added=1", added.headers["location"])[1]
    venue = httpx.get(f"{stack.url('trials')}/v1/venues/{venue_id}", timeout=20).json()
    assert venue["name_zh"] == "將軍澳試驗場" and venue["concurrent"] is True
    page = officer.get(stack.portal + added.headers["location"])
    assert page.status_code == 200 and "已新增場地" in page.text and "可同時進行多項" in page.text
    listed = officer.get(f"{stack.portal}/en/my/venues")
    assert f'href="/en/my/venues/{venue_id}"' in listed.text
    assert ["Tseung Kwan O Test Yard", "TKO", "EMSD", "Several at once"] in Page(
        listed.text).tables["venues"]


def month_of(moment: str) -> str:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(HONG_KONG) \
        .strftime("%Y-%m")


@pytest.mark.parametrize("lang", ["en", "zh-hk"])
def test_the_calendar_shows_the_scenarios_bookings_by_hong_kong_day(stack, officer, lang):
    for name, venue in (("running", stack.scenario.venue), ("completed", "v-emsd-hq")):
        trial_id = stack.scenario.trials[name]
        trial = httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}", timeout=20).json()
        month = month_of(trial["planned_start"])
        page = officer.get(f"{stack.portal}/{lang}/my/venues/{venue}?month={month}")
        assert page.status_code == 200
        read = Page(page.text)
        calendar = read.tables["calendar"]
        # Monday first: the short names are seen, the full ones heard.
        assert all(day in cell for day, cell in zip(WEEKDAYS[lang], calendar[0], strict=True))
        assert page.text.count('<th scope="col">') >= 7
        first = datetime.fromisoformat(trial["planned_start"].replace("Z", "+00:00")).astimezone(
            HONG_KONG).day
        solution = trial["parties"][1]
        title = (solution["title_en"] or solution["title_zh"]) if lang == "en" else (
            solution["title_zh"] or solution["title_en"])
        [day] = [cell for row in calendar[1:] for cell in row if cell.startswith(str(first))
                 and not cell[len(str(first)):][:1].isdigit()]
        assert title in day
        assert f'href="/{lang}/my/trials/{trial_id}"' in page.text  # each day links its trial
        assert 'rel="prev"' in page.text and 'rel="next"' in page.text
    empty = officer.get(f"{stack.portal}/{lang}/my/venues/v-emsd-hq?month=1999-01")
    assert empty.status_code == 200 and stack.scenario.trials["completed"] not in empty.text


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Enter a month as YYYY-MM"), ("zh-hk", "請以 YYYY-MM 格式輸入月份")])
def test_a_bad_month_is_the_problem_beside_the_month_field(stack, officer, lang, message):
    page = officer.get(f"{stack.portal}/{lang}/my/venues/v-emsd-hq?month=2026-13")
    assert page.status_code == 400
    assert field_error(page.text, "month").startswith(message)
    assert 'value="2026-13"' in page.text and 'class="calendar"' not in page.text


def test_venues_are_for_emsd_only_and_forms_need_their_token(stack, officer):
    with signed_in(stack, "water@cityu.edu.hk", "provider", "CityU") as provider:
        assert provider.get(f"{stack.portal}/en/my/venues").status_code == 403
        assert provider.get(f"{stack.portal}/en/my/venues/v-emsd-hq").status_code == 403
    before = httpx.get(f"{stack.url('trials')}/v1/venues", timeout=20).json()["total"]
    forged = officer.post(f"{stack.portal}/en/my/venues", data={
        "name_en": "Forged", "name_zh": "偽", "address": "x", "owner_department": "x"})
    assert forged.status_code == 403
    assert httpx.get(f"{stack.url('trials')}/v1/venues", timeout=20).json()["total"] == before
    assert officer.get(f"{stack.portal}/en/my/venues/v-nope").status_code == 404
