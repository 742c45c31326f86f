"""What the workspaces refuse, in Chromium: each role what it may not do (a 403 page in the
reader's language, never a trace or raw JSON, and nothing written), a stranger (sent to sign in,
and back), a form without its CSRF token, an expired and a reused sign-in link, and the browser
of an account withdrawn while it is signed in. Every refusal page is looked at: axe-core, 320 px.
"""

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from innoportal.db import Database
from portal.signin import make_account
from services.portal.repository.accounts import AccountsRepository

from .workspace_looks import (
    assert_refused,
    assert_refused_answer,
    assert_sent_to_sign_in,
    assert_words_whole,
    csrf_on,
)
from .workspace_people import (
    Cast,
    ask_for_link,
    expire_link,
    new_browser,
    off_loop,
    press_link,
    signed_in_browser,
    unique,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]
LANGS = ("en", "zh-hk")


@pytest.fixture(scope="module")
def people(browser, stack) -> Iterator[Cast]:
    """Signed in: a department, a provider, EMSD staff who is not an administrator, and an
    administrator (unique per run)."""
    found = Cast(unique(""))
    for who, role, org, admin in (("department", "department", "ArchSD", False),
                                  ("provider", "provider", f"Refused Lab {found.tag}", False),
                                  ("emsd", "emsd", "EMSD", False),
                                  ("admin", "emsd", "EMSD", True)):
        email = f"{who}-{found.tag}@example.gov.hk"
        found.contexts[who] = signed_in_browser(browser, stack, email, role, org, admin)
    yield found
    found.close()


def test_a_stranger_is_sent_to_sign_in_and_comes_back_to_the_page_asked_for(page, stack, people):
    for lang in LANGS:
        answer = page.goto(f"/{lang}/my/matches")
        assert_sent_to_sign_in(page, answer, lang, f"/{lang}/my/matches")
    officer = f"officer-{people.tag}@emsd.gov.hk"
    off_loop(make_account, stack, officer, "emsd", "EMSD")
    assert_sent_to_sign_in(page, page.goto("/en/my/venues"), "en", "/en/my/venues")
    link = ask_for_link(page, stack, officer, "en", here=True)
    press_link(page, link)
    assert page.url.endswith("/en/my/venues"), page.url


REFUSED = {  # who: the workspace pages (under /{lang}/) their role may not open
    "department": ("my/matches", "my/venues", "my/venues/v-emsd-hq", "my/trials",
                   "my/trials/{completed}", "my/trials/new?match_id={lift}", "my/accounts"),
    "provider": ("my/wishes/new", "my/wishes", "my/matches", "my/venues", "my/accounts",
                 "my/trials/{running}", "my/trials/{completed}"),
    "emsd": ("my/accounts",),
}


@pytest.mark.parametrize("who", list(REFUSED))
def test_each_role_is_refused_what_it_may_not_do_with_a_403_page_in_its_language(who, people,
                                                                              stack):
    page = people.page(who)
    ids = {**stack.scenario.trials, "lift": stack.scenario.matches["lift"]}
    for lang in LANGS:
        for path in REFUSED[who]:
            answer = page.goto(f"/{lang}/" + path.format(**ids))
            assert_refused(page, answer, lang)
        people.looks.check_here(page)


def test_a_provider_posting_a_wish_is_refused_and_nothing_is_posted(people, stack):
    page = people.page("provider")
    title = f"Refused wish {people.tag}"
    for lang in LANGS:
        page.goto(f"/{lang}/my/solutions/new")
        answer = page.request.post(f"/{lang}/my/wishes/new", form={
            "csrf_token": csrf_on(page), "title_en": title, "description_en": "Never posted.",
            "categories": "building-services", "contact_email": "nobody@example.gov.hk"})
        assert_refused_answer(answer, lang)
    found = httpx.get(f"{stack.url('wishes')}/v1/wishes", params={"q": title}, timeout=20).json()
    assert [w for w in found["items"] if w.get("title_en") == title] == []


def test_a_provider_recording_on_another_providers_trial_is_refused(people, stack):
    page = people.page("provider")
    running = stack.scenario.trials["running"]
    before = httpx.get(f"{stack.url('trials')}/v1/trials/{running}", timeout=20).json()
    page.goto("/en/my/solutions/new")
    answer = page.request.post(f"/en/my/trials/{running}/measurements", form={
        "csrf_token": csrf_on(page), "kpi": before["kpis"][0]["name"], "value": "1"})
    assert_refused_answer(answer, "en")
    after = httpx.get(f"{stack.url('trials')}/v1/trials/{running}", timeout=20).json()
    assert after["measurement_count"] == before["measurement_count"]


async def _account(stack, email: str):
    db = Database(f"sqlite+aiosqlite:///{stack.system.cwd / 'var' / 'portal.db'}")
    try:
        async with db.session() as session:
            return await AccountsRepository(session).by_email(email)
    finally:
        await db.dispose()


def test_emsd_staff_who_is_not_an_administrator_cannot_invite(people, stack):
    page = people.page("emsd")
    invited = f"never-{people.tag}@example.gov.hk"
    page.goto("/zh-hk/my/venues")
    answer = page.request.post("/zh-hk/my/accounts", form={
        "csrf_token": csrf_on(page), "email": invited, "org": "ArchSD", "role": "department",
        "language": "en"})
    assert_refused_answer(answer, "zh-hk")
    assert off_loop(asyncio.run, _account(stack, invited)) is None


def test_a_form_sent_without_its_csrf_token_is_refused_and_changes_nothing(people, stack):
    page = people.page("department")
    title = {lang: f"No token {lang} {people.tag}" for lang in LANGS}
    labels = {"en": ("Title in English", "Description in English", "Building services",
                     "Post the wish"),
              "zh-hk": ("英文標題", "英文描述", "屋宇裝備", "發佈願望")}
    for lang in LANGS:
        title_label, description, category, button = labels[lang]
        page.goto(f"/{lang}/my/wishes/new")
        page.get_by_label(title_label).fill(title[lang])
        page.get_by_label(description).fill("A wish whose form lost its token.")
        page.get_by_label(category, exact=True).check()
        # As a page from another site would send it: the form without its token.
        page.evaluate("document.querySelectorAll('form.record-form input[name=csrf_token]')"
                      ".forEach(e => e.remove())")
        with page.expect_navigation() as sent:
            page.get_by_role("button", name=button).click()
        assert_refused(page, sent.value, lang, "csrf")
        people.looks.check_here(page)
    # Without a page at all: the administrator's invitation, posted with no token.
    admin = people.page("admin")
    admin.goto("/en/my/accounts")
    invited = f"no-token-{people.tag}@example.gov.hk"
    answer = admin.request.post("/en/my/accounts", form={
        "email": invited, "org": "ArchSD", "role": "department", "language": "en"})
    assert_refused_answer(answer, "en", "csrf")
    assert off_loop(asyncio.run, _account(stack, invited)) is None
    for lang in LANGS:
        found = httpx.get(f"{stack.url('wishes')}/v1/wishes", params={"q": title[lang]},
                          timeout=20).json()["items"]
        assert [w for w in found if w.get("title_en") == title[lang]] == []


def test_an_expired_sign_in_link_is_refused_with_its_explanation(page, people, stack):
    address = f"late-{people.tag}@emsd.gov.hk"
    off_loop(make_account, stack, address, "emsd", "EMSD")
    link = ask_for_link(page, stack, address, "en")
    expire_link(stack, link)
    answer = press_link(page, link)
    assert_refused(page, answer, "en", "link_problem", status=410)
    assert "The link has expired: links work for 15 minutes." in page.locator("main").inner_text()
    people.looks.check_here(page)
    assert_sent_to_sign_in(page, page.goto("/en/my/"), "en", "/en/my/")


def test_a_used_sign_in_link_is_refused_the_second_time(page, browser, people, stack):
    address = f"twice-{people.tag}@emsd.gov.hk"
    off_loop(make_account, stack, address, "emsd", "EMSD")
    link = ask_for_link(page, stack, address, "zh-hk")
    first = press_link(page, link)
    assert first is not None and first.ok and page.url.endswith("/zh-hk/my/")
    other = new_browser(browser, stack)  # the same link, forwarded to another browser
    try:
        again = other.new_page()
        answer = press_link(again, link)
        assert_refused(again, answer, "zh-hk", "link_problem", status=410)
        assert "此連結已使用過：每條連結只可使用一次。" in again.locator("main").inner_text()
        people.looks.check_here(again)
        assert_sent_to_sign_in(again, again.goto("/zh-hk/my/"), "zh-hk", "/zh-hk/my/")
    finally:
        other.close()


def test_a_withdrawn_accounts_browser_is_sent_to_sign_in_and_its_link_no_longer_works(
        browser, people, stack):
    victim = f"leaving-{people.tag}@archsd.gov.hk"
    signed = signed_in_browser(browser, stack, victim, "department", "ArchSD")
    elsewhere = new_browser(browser, stack)  # a link asked for on another device, kept for later
    try:
        theirs, later = signed.new_page(), elsewhere.new_page()
        assert theirs.goto("/en/my/wishes").ok
        link = ask_for_link(later, stack, victim, "en")
        admin = people.page("admin")
        admin.goto("/en/my/accounts")
        admin.get_by_role("button", name=f"Withdraw the account of {victim}").click()
        assert "withdrawn=" in admin.url
        assert f"The account of {victim} is withdrawn." in admin.locator(
            ".notice-success").inner_text()
        people.looks.look(admin)
        assert_sent_to_sign_in(theirs, theirs.goto("/en/my/wishes/new"), "en", "/en/my/wishes/new")
        answer = press_link(later, link)
        assert_refused(later, answer, "en", "link_problem", status=400)
        assert "This account has been withdrawn." in later.locator("main").inner_text()
        assert_sent_to_sign_in(later, later.goto("/en/my/"), "en", "/en/my/")
    finally:
        signed.close()
        elsewhere.close()


def test_every_refusal_page_is_accessible_and_fits_320_px(people):
    assert people.looks.seen, "no refusal page was looked at"
    assert not people.looks.problems, "\n".join(people.looks.problems)


def test_no_word_of_a_button_status_or_table_heading_is_broken_in_two(people):
    assert people.looks.seen, "no refusal page was looked at"
    assert_words_whole(people.looks)
