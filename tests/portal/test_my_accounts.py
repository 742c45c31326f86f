"""The administrators' accounts pages: the portal in-process on each database backend, its outbox
read for the invitation links the notifier would email, each person in a browser of their own."""

import json
import re
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import col, select

from contracts import utcnow
from innoportal.db import Database
from innoportal.outbox import OutboxMessage
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.uow import unit_of_work
from services.portal.bootstrap import bootstrap, create_app
from services.portal.models import Account, BrowserSession
from services.portal.repository.accounts import AccountsRepository
from services.portal.service.accounts import add_admin
from services.portal.settings import PortalSettings

SECRET = "my-accounts-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PORTAL = "https://portal.example.gov.hk"
ADMIN = "boss@emsd.gov.hk"


@pytest.fixture
async def portal(database_url, tmp_path
                 ) -> AsyncIterator[tuple[object, Callable[[], httpx.AsyncClient]]]:
    """The portal on this backend, and a way to open another browser on it."""
    url, schema = database_url
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=SECRET,
                            portal_url=PORTAL)
    runtime = bootstrap(PortalSettings(), common=common, db=Database(url, schema=schema))
    app = create_app(runtime)
    browsers: list[httpx.AsyncClient] = []

    def browser() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        browsers.append(client)
        return client

    async with running(runtime, app, bus=False, relay=False):
        yield runtime, browser
        for client in browsers:
            await client.aclose()


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def links(runtime) -> list[dict]:
    """Every SignInLinkIssued staged in the portal's outbox, oldest first."""
    async with runtime.db.session() as s:
        rows = (await s.exec(select(OutboxMessage).where(
            col(OutboxMessage.subject) == "innoportal.account.link_issued")
            .order_by(col(OutboxMessage.id)))).all()
    return [json.loads(r.payload) for r in rows]


async def use(client: httpx.AsyncClient, link_url: str) -> httpx.Response:
    """Open an emailed link and press its button."""
    parts = urlsplit(link_url)
    page = await client.get(f"{parts.path}?{parts.query}")
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    return await client.post(parts.path, data=hidden)


async def sign_in(runtime, client: httpx.AsyncClient, email: str) -> None:
    """Sign `client` in as `email` (an account) by the real link flow."""
    page = await client.get("/en/sign-in")
    await client.post("/en/sign-in", data={"email": email, "csrf_token": csrf_of(page)})
    issued = [link for link in await links(runtime) if link["email"] == email][-1]
    assert (await use(client, issued["link_url"])).status_code == 303


async def admin_browser(runtime, browser) -> httpx.AsyncClient:
    async with unit_of_work(runtime.db) as uow:
        await add_admin(uow, ADMIN, org="EMSD", now=utcnow())
    client = browser()
    await sign_in(runtime, client, ADMIN)
    return client


async def account(runtime, email: str) -> Account | None:
    async with runtime.db.session() as s:
        return await AccountsRepository(s).by_email(email)


async def invite(client, lang: str = "en", **fields) -> httpx.Response:
    page = await client.get(f"/{lang}/my/accounts")
    assert page.status_code == 200, page.text
    return await client.post(f"/{lang}/my/accounts", data={**fields, "csrf_token": csrf_of(page)})


async def test_an_invited_department_user_signs_in_and_is_refused_at_once_when_withdrawn(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    page = await admin.get("/en/my/accounts")
    assert page.status_code == 200 and ADMIN in page.text
    assert "/en/register" in page.text  # providers register themselves
    assert "This is you" in page.text  # never a button to withdraw oneself
    sent = await invite(admin, email="Chan@ArchSD.gov.hk", org="ArchSD", role="department",
                        language="zh-HK")
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/en/my/accounts?invited=a-")
    shown = await admin.get(sent.headers["location"])
    assert "Invitation sent to chan@archsd.gov.hk (Department, ArchSD)" in shown.text
    invited = await account(runtime, "chan@archsd.gov.hk")
    assert (invited.status, invited.role, invited.org, invited.admin) == (
        "invited", "department", "ArchSD", False)
    assert invited.created_by == ADMIN and invited.language == "zh-HK"
    [issued] = [link for link in await links(runtime) if link["email"] == "chan@archsd.gov.hk"]
    assert issued["purpose"] == "invite" and issued["role"] == "department"
    assert issued["language"] == "zh-HK" and issued["invited_by"] == "EMSD"
    assert issued["link_url"].startswith(f"{PORTAL}/zh-hk/sign-in/link?token=")

    chan = browser()
    assert (await use(chan, issued["link_url"])).status_code == 303
    home = await chan.get("/zh-hk/my/")
    assert home.status_code == 200 and "ArchSD" in home.text
    assert (await account(runtime, "chan@archsd.gov.hk")).status == "active"

    listing = await admin.get("/en/my/accounts")
    assert "Active" in listing.text
    withdrawn = await admin.post(f"/en/my/accounts/{invited.id}/withdraw",
                                 data={"csrf_token": csrf_of(listing)})
    assert withdrawn.status_code == 303
    notice = await admin.get(withdrawn.headers["location"])
    assert "The account of chan@archsd.gov.hk is withdrawn" in notice.text
    refused = await chan.get("/zh-hk/my/")
    assert refused.status_code == 303 and "/zh-hk/sign-in" in refused.headers["location"]
    async with runtime.db.session() as s:
        sessions = (await s.exec(select(BrowserSession).where(
            BrowserSession.account_id == invited.id))).all()
    assert sessions and all(b.ended_at is not None for b in sessions)
    after = await account(runtime, "chan@archsd.gov.hk")
    assert after.status == "withdrawn" and after.withdrawn_by == ADMIN
    # Withdrawn once: a second press changes nothing and says so.
    again = await admin.post(f"/en/my/accounts/{invited.id}/withdraw",
                             data={"csrf_token": csrf_of(notice)})
    assert again.status_code == 409 and "already withdrawn" in again.text


async def test_an_emsd_administrator_can_be_invited(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    sent = await invite(admin, "zh-hk", email="lee@emsd.gov.hk", org="EMSD", role="emsd",
                        admin="yes", language="en")
    assert sent.status_code == 303
    shown = await admin.get(sent.headers["location"])
    assert "已向 lee@emsd.gov.hk（EMSD，機電署職員）發出邀請" in shown.text
    lee = await account(runtime, "lee@emsd.gov.hk")
    assert (lee.role, lee.admin, lee.language) == ("emsd", True, "en")


async def test_bad_invitations_are_errors_beside_their_fields_in_both_languages(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    english = await invite(admin, email="not an address", org="A", role="department",
                           admin="yes", language="en")
    assert english.status_code == 422
    assert 'id="email-error">Enter an email address like name@example.org' in english.text
    assert 'id="org-error">Enter the organisation they act for' in english.text
    assert 'id="admin-error">Only EMSD staff can be administrators' in english.text
    assert 'href="#email"' in english.text and 'href="#admin"' in english.text  # the summary
    assert 'value="not an address"' in english.text  # what was typed is kept
    chinese = await invite(admin, "zh-hk", email="ok@wsd.gov.hk", org="WSD")
    assert chinese.status_code == 422
    assert 'id="role-error">請選擇政府部門或機電署職員' in chinese.text
    assert 'id="language-error">請選擇英文或繁體中文' in chinese.text
    assert 'value="ok@wsd.gov.hk"' in chinese.text and "錯誤：帳戶" in chinese.text
    taken = await invite(admin, "zh-hk", email=ADMIN.upper(), org="EMSD", role="emsd",
                         language="zh-HK")
    assert taken.status_code == 422 and 'id="email-error">此電郵地址已有帳戶' in taken.text
    long_org = await invite(admin, email="x@wsd.gov.hk", org="W" * 101, role="department",
                            language="en")
    assert 'id="org-error">Must be at most 100 characters (you entered 101)' in long_org.text
    blank = await invite(admin, "zh-hk", email=" ", org="", role="department", language="en")
    assert 'id="email-error">請輸入對方的電郵地址' in blank.text
    assert 'id="org-error">請輸入對方所代表的機構' in blank.text
    assert [link["email"] for link in await links(runtime)] == [ADMIN]  # nobody was invited
    assert await account(runtime, "ok@wsd.gov.hk") is None


async def test_withdrawing_oneself_or_no_one_is_refused(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    page = await admin.get("/en/my/accounts")
    me = await account(runtime, ADMIN)
    own = await admin.post(f"/en/my/accounts/{me.id}/withdraw", data={"csrf_token": csrf_of(page)})
    assert own.status_code == 409 and "You cannot withdraw your own account" in own.text
    nobody = await admin.post("/zh-hk/my/accounts/a-nobody/withdraw",
                              data={"csrf_token": csrf_of(page)})
    assert nobody.status_code == 404 and "沒有此帳戶" in nobody.text
    # That page's language switch opens the same address by GET: back to the accounts.
    switched = await admin.get("/en/my/accounts/a-nobody/withdraw")
    assert switched.status_code == 303 and switched.headers["location"] == "/en/my/accounts"
    assert (await account(runtime, ADMIN)).status == "active"
    assert (await admin.get("/en/my/")).status_code == 200


async def test_only_emsd_administrators_see_or_use_the_accounts_pages(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    for email, role, org in (("staff@emsd.gov.hk", "emsd", "EMSD"),
                             ("dept@wsd.gov.hk", "department", "WSD")):
        await invite(admin, email=email, org=org, role=role, language="en")
        client = browser()
        await use(client, [link for link in await links(runtime) if link["email"] == email][-1][
            "link_url"])
        home = await client.get("/en/my/")
        assert home.status_code == 200 and "/en/my/accounts" not in home.text
        page = await client.get("/en/my/accounts")
        assert page.status_code == 403 and "You cannot do this" in page.text
        posted = await client.post("/en/my/accounts", data={
            "email": "sneaky@example.org", "org": "Sneaky", "role": "emsd", "admin": "yes",
            "language": "en", "csrf_token": csrf_of(home)})
        assert posted.status_code == 403
        me = await account(runtime, ADMIN)
        withdraw = await client.post(f"/en/my/accounts/{me.id}/withdraw",
                                     data={"csrf_token": csrf_of(home)})
        assert withdraw.status_code == 403
    assert await account(runtime, "sneaky@example.org") is None
    assert (await account(runtime, ADMIN)).status == "active"
    stranger = browser()
    asked = await stranger.get("/zh-hk/my/accounts")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/zh-hk/sign-in?next=%2Fzh-hk%2Fmy%2Faccounts"


async def test_forms_without_their_csrf_token_are_refused(portal):
    runtime, browser = portal
    admin = await admin_browser(runtime, browser)
    refused = await admin.post("/en/my/accounts", data={
        "email": "x@wsd.gov.hk", "org": "WSD", "role": "department", "language": "en"})
    assert refused.status_code == 403 and "This form has expired" in refused.text
    me = await account(runtime, ADMIN)
    forged = await admin.post(f"/en/my/accounts/{me.id}/withdraw", data={"csrf_token": "x" * 64})
    assert forged.status_code == 403
    assert await account(runtime, "x@wsd.gov.hk") is None
