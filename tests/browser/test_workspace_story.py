"""The workspaces' whole story in Chromium, as its people live it: the first administrator, made
at the shell, signs in by the emailed link and invites a department, which posts a wish in
Chinese; a provider registers and proposes a solution from the wish's page; EMSD accepts the
match, books EMSD Headquarters, opens and starts the trial; the provider and EMSD record
measurements; EMSD completes it and the public report shows its charts; each party got its
emails, once. Every workspace page on the way is looked at in both languages: axe-core, 320 px."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import pytest

from innoportal.testing.system import cli, until

from .workspace_looks import assert_words_whole
from .workspace_people import (
    Cast,
    counted,
    mails_to,
    new_browser,
    new_link,
    press_link,
    sign_in,
    unique,
)
from .workspace_trial import (
    HQ,
    KPIS,
    charts_load,
    fill_plan,
    open_the_trial,
    query_value,
    the_match,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]


@dataclass
class Story(Cast):
    """The story's people, unique per run: an EMSD administrator, a department and a provider."""

    def __post_init__(self) -> None:
        self.admin = f"admin-{self.tag}@emsd.gov.hk"
        self.department = f"dept-{self.tag}@archsd.gov.hk"
        self.provider = f"lab-{self.tag}@ust.edu.hk"
        self.provider_org = f"Lift Lab {self.tag}"
        self.wish_title = f"升降機門機故障預測 {self.tag}"
        self.solution_title = f"Lift door fault prediction {self.tag}"


@pytest.fixture(scope="module")
def story(browser, stack) -> Iterator[Story]:
    """Three people's browsers: the EMSD administrator, the department and the provider."""
    found = Story(unique(""))
    found.contexts = {who: new_browser(browser, stack)
                      for who in ("admin", "department", "provider")}
    yield found
    found.close()


def test_1_the_first_administrator_invites_a_department_which_posts_a_wish_in_chinese(story,
                                                                                       stack):
    made = cli(stack.system, "admin", "add", story.admin)
    out, err = made.communicate(timeout=60)
    assert made.returncode == 0 and story.admin in out, err
    admin, looks = story.page("admin"), story.looks
    sign_in(admin, stack, story.admin, "en", looks)
    looks.look(admin)
    admin.get_by_role("link", name="Accounts", exact=True).click()
    assert admin.url.endswith("/en/my/accounts")
    looks.look(admin)
    admin.get_by_label("Email address", exact=True).fill(story.department)
    admin.get_by_label("Organisation", exact=True).fill("ArchSD")
    admin.get_by_label("Department: posts wishes").check()
    admin.get_by_label("Traditional Chinese").check()
    admin.get_by_role("button", name="Send the invitation").click()
    assert "invited=" in admin.url
    assert story.department in admin.locator(".notice-success").inner_text()
    looks.look(admin)

    invitation = new_link(stack, story.department, 0)
    assert "/zh-hk/sign-in/link?token=" in invitation  # in the language it was sent in
    department = story.page("department")
    department.goto(invitation)
    looks.look(department)
    press_link(department, invitation)
    assert department.url.endswith("/zh-hk/my/")
    looks.look(department)
    department.get_by_role("link", name="發佈願望").click()
    assert department.url.endswith("/zh-hk/my/wishes/new")
    looks.look(department)
    assert department.get_by_label("聯絡電郵").input_value() == story.department
    department.get_by_label("中文標題").fill(story.wish_title)
    department.get_by_label("中文描述").fill(
        f"在政府大樓的升降機加裝感應器，偵測門機故障並預測停機，避免乘客被困（{story.tag}）。")
    department.get_by_label("屋宇裝備", exact=True).check()
    department.get_by_label("物聯網及感應器", exact=True).check()
    department.get_by_label("參考預算（港幣）（選填）").fill("600000")
    department.get_by_role("button", name="發佈願望").click()
    assert "/zh-hk/my/wishes?" in department.url, department.url
    story.ids["wish"] = query_value(department.url, "posted")
    assert story.wish_title in department.locator(".notice-success").inner_text()
    looks.look(department)
    wish = httpx.get(f"{stack.url('wishes')}/v1/wishes/{story.ids['wish']}", timeout=20).json()
    assert (wish["title_zh"], wish["owner_org"], wish["budget_hkd"]) == (
        story.wish_title, "ArchSD", 600000)


def test_2_a_provider_registers_and_proposes_a_solution_from_the_wish_page(story, stack):
    story.need("wish")
    provider, looks = story.page("provider"), story.looks
    provider.goto("/en/register")
    looks.look(provider)
    provider.get_by_label("Organisation", exact=True).fill(story.provider_org)
    provider.get_by_label("Email address", exact=True).fill(story.provider)
    provider.get_by_role("button", name="Email me a sign-in link").click()
    assert provider.locator("h1").inner_text() == "Check your email"
    looks.check_here(provider)
    press_link(provider, new_link(stack, story.provider, 0))
    assert provider.url.endswith("/en/my/")

    provider.goto(f"/en/wishes/{story.ids['wish']}")
    assert provider.locator("h1").inner_text() == story.wish_title
    looks.look(provider)
    provider.get_by_role("link", name="Propose a solution").click()
    assert provider.url.endswith(f"/en/my/solutions/new?wish_id={story.ids['wish']}")
    assert story.wish_title in provider.locator("section.for-wish").inner_text()
    looks.look(provider)
    provider.get_by_label("Title in English").fill(story.solution_title)
    provider.get_by_label("Description in English").fill(
        "IoT sensors on lift doors and machinery, and machine learning that predicts faults of "
        "passenger lifts before passengers are trapped.")
    provider.get_by_label("Title in Chinese").fill(f"升降機門機故障預測系統 {story.tag}")
    provider.get_by_label("Description in Chinese").fill(
        "以物聯網感應器監測升降機門及機件，利用機器學習預測故障，減少停機時間。")
    provider.get_by_label("Building services", exact=True).check()
    provider.get_by_label("IoT and sensors", exact=True).check()
    provider.get_by_label("Technology readiness level").select_option("7")
    provider.get_by_role("button", name="Submit the solution").click()
    assert "/en/solutions/" in provider.url, provider.url
    story.ids["solution"] = urlsplit(provider.url).path.rsplit("/", 1)[1]
    looks.look(provider)
    solution = httpx.get(f"{stack.url('solutions')}/v1/solutions/{story.ids['solution']}",
                         timeout=20).json()
    assert (solution["wish_id"], solution["owner_org"]) == (story.ids["wish"], story.provider_org)


def test_3_emsd_accepts_the_match_books_headquarters_opens_and_starts_the_trial(story, stack):
    story.need("wish", "solution")
    story.ids["match"] = match_id = the_match(stack, story.ids["wish"], story.ids["solution"])
    emsd, looks = story.page("admin"), story.looks
    emsd.goto("/en/my/")
    emsd.get_by_role("link", name="Matches to decide").click()
    item = emsd.locator(f"#match-{match_id}")
    while not item.count():  # best score first, a page at a time: on to the next page
        assert emsd.locator("a[rel=next]").count(), f"{match_id} is not in the queue"
        emsd.locator("a[rel=next]").click()
    looks.look(emsd)
    assert story.wish_title in item.locator("h2").inner_text()
    item.get_by_label("Note (optional)").fill("Worth a trial at EMSD Headquarters.")
    item.get_by_role("button", name="Accept", exact=True).click()
    assert query_value(emsd.url, "done") == match_id
    decided, notice = emsd.url, emsd.locator(".notice-success")
    assert "You accepted the match" in notice.inner_text()
    # On at once, as a person would: trials hears of the accept by event, and the page waits.
    notice.get_by_role("link", name="Open its field trial").click()
    plan = emsd.url
    assert plan.endswith(f"/en/my/trials/new?match_id={match_id}")
    fill_plan(emsd, stack)
    open_the_trial(emsd, stack)
    assert query_value(emsd.url, "done") == "opened", emsd.url
    story.ids["trial"] = trial_id = urlsplit(emsd.url).path.rsplit("/", 1)[1]
    looks.look(emsd)
    opened = emsd.url
    for page_before in (decided, plan):  # the pages passed by on the way, looked at now
        emsd.goto(page_before)
        looks.look(emsd)
    emsd.goto(opened)
    emsd.get_by_role("button", name="Start the trial").click()
    assert query_value(emsd.url, "done") == "started"
    looks.look(emsd)
    trial = httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}", timeout=20).json()
    assert (trial["state"], trial["venue_id"], trial["match_id"]) == ("running", HQ, match_id)
    assert [(k["name"], k["aggregate"]) for k in trial["kpis"]] == [(k[0], k[5]) for k in KPIS]


def test_4_the_provider_records_a_reading_and_a_csv_file_and_emsd_records_one(story, stack):
    story.need("trial")
    trial_id, looks = story.ids["trial"], story.looks
    provider = story.page("provider")
    provider.goto("/en/my/")
    provider.get_by_role("link", name="Record measurements of my trials").click()
    looks.look(provider)
    provider.get_by_role("link", name=story.solution_title).click()
    assert provider.url.endswith(f"/en/my/trials/{trial_id}")
    looks.look(provider)
    provider.get_by_label("Indicator", exact=True).select_option(KPIS[0][0])
    provider.get_by_label("Value", exact=True).fill("30")
    provider.get_by_role("button", name="Record the reading").click()
    assert query_value(provider.url, "done") == "recorded"
    now = datetime.now(UTC).isoformat(timespec="milliseconds")  # after the start, not ahead
    csv = f"kpi,value,measured_at\n{KPIS[0][0]},36,{now}\n{KPIS[1][0]},2,{now}\n"
    provider.get_by_label("CSV file").set_input_files(
        {"name": "readings.csv", "mimeType": "text/csv", "buffer": csv.encode()})
    provider.get_by_role("button", name="Upload the readings").click()
    assert query_value(provider.url, "done") == "uploaded"
    assert "All 2 readings of the file were recorded." in provider.locator(
        ".notice-success").inner_text()
    looks.look(provider)

    emsd = story.page("admin")
    emsd.goto(f"/en/my/trials/{trial_id}")
    emsd.get_by_label("Indicator", exact=True).select_option(KPIS[1][0])
    emsd.get_by_label("Value", exact=True).fill("1")
    emsd.get_by_role("button", name="Record the reading").click()
    assert query_value(emsd.url, "done") == "recorded"
    looks.look(emsd)
    readings = httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}/measurements",
                         timeout=20).json()["items"]
    assert sorted((r["kpi"], r["value"], r["recorded_by"]["org"]) for r in readings) == sorted([
        (KPIS[0][0], 30, story.provider_org), (KPIS[0][0], 36, story.provider_org),
        (KPIS[1][0], 2, story.provider_org), (KPIS[1][0], 1, "EMSD")])


def test_5_emsd_completes_the_trial_and_the_public_report_shows_its_charts(story, stack):
    story.need("trial")
    trial_id, looks = story.ids["trial"], story.looks
    emsd = story.page("admin")
    emsd.goto(f"/en/my/trials/{trial_id}")
    emsd.get_by_label("Summary", exact=True).fill(
        "Door faults were predicted 33 hours ahead on average; one false alarm in the last month.")
    emsd.get_by_role("button", name="Complete and publish the report").click()
    assert query_value(emsd.url, "done") == "completed"
    looks.look(emsd)
    emsd.get_by_role("link", name="Read the performance report", exact=True).click()
    assert emsd.url.endswith(f"/en/reports/{trial_id}")
    charts_load(emsd, len(KPIS))
    looks.check_here(emsd)
    emsd.get_by_role("link", name="繁體中文").click()
    assert emsd.url.endswith(f"/zh-hk/reports/{trial_id}")
    assert emsd.get_attribute("html", "lang") == "zh-HK"
    charts_load(emsd, len(KPIS))
    looks.check_here(emsd)
    report = httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}/report.json",
                       timeout=20).json()
    assert report["verdict"] == "passed", report


def test_6_each_party_got_its_emails_once(story, stack):
    story.need("trial")
    wish, solution, trial = story.ids["wish"], story.ids["solution"], story.ids["trial"]
    expected = {  # address: (kind, the ids its text names), each exactly once
        story.admin: [("sign_in_link", ())],
        story.department: [("invite_link", ()), ("match_found", (wish, solution)),
                           ("match_decided", (wish, solution)), ("trial_completed", (trial,))],
        story.provider: [("register_link", ()), ("match_found", (wish, solution)),
                         ("match_decided", (wish, solution)), ("trial_completed", (trial,))],
    }

    until(lambda: all(counted(stack, expected).values()), 60, "every party's emails")
    assert set(counted(stack, expected).values()) == {1}, counted(stack, expected)
    for address in expected:
        assert len(mails_to(stack, address, "sign_in_link")) == (address == story.admin)
    ids = [m["Message-ID"] for address in expected for m in mails_to(stack, address)]
    assert len(ids) == len(set(ids)), ids


def test_7_every_workspace_page_of_the_story_is_accessible_and_fits_320_px(story):
    assert story.looks.seen, "the story looked at no page"
    assert not story.looks.problems, "\n".join(story.looks.problems)


def test_8_no_word_of_a_button_status_or_table_heading_is_broken_in_two(story):
    assert story.looks.seen, "the story looked at no page"
    assert_words_whole(story.looks)
