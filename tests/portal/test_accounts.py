"""Signing in by a one-time emailed link, registering, signing out, and who is refused: the portal
in-process on each database backend, its outbox read for the links the notifier would email."""

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
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
from services.portal.domain.accounts import PER_CLIENT, Limit
from services.portal.domain.language import by_tag
from services.portal.models import SignInLink, SignInRequest
from services.portal.service.accounts import (
    AccountsError,
    RateLimited,
    actor_of,
    add_admin,
    request_link,
    withdraw_account,
)
from services.portal.settings import PortalSettings

SECRET = "accounts-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PORTAL = "https://portal.example.gov.hk"


@pytest.fixture
async def portal(database_url, tmp_path) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    url, schema = database_url
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=SECRET,
                            portal_url=PORTAL)
    runtime = bootstrap(PortalSettings(), common=common, db=Database(url, schema=schema))
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        yield client, runtime


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


async def ask_link(client, email: str, lang: str = "en", **headers) -> httpx.Response:
    page = await client.get(f"/{lang}/sign-in")
    return await client.post(f"/{lang}/sign-in", headers=headers,
                             data={"email": email, "csrf_token": csrf_of(page)})


async def use(client, link_url: str) -> httpx.Response:
    parts = urlsplit(link_url)
    page = await client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    return await client.post(parts.path, data=hidden)


async def test_an_administrator_signs_in_by_the_emailed_link_once(portal):
    client, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        await add_admin(uow, "chan@emsd.gov.hk", org="EMSD", now=utcnow())
    sent = await ask_link(client, "Chan@EMSD.gov.hk", "zh-hk")
    assert sent.status_code == 200 and "請查看電郵" in sent.text
    [issued] = await links(runtime)
    assert issued["email"] == "chan@emsd.gov.hk" and issued["language"] == "zh-HK"
    assert issued["purpose"] == "sign_in" and issued["role"] == "emsd"
    assert issued["link_url"].startswith(f"{PORTAL}/zh-hk/sign-in/link?token=")
    # The link's page uses nothing: only its button signs in.
    signed = await use(client, issued["link_url"])
    assert signed.status_code == 303 and signed.headers["location"] == "/zh-hk/my/"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = await client.get("/zh-hk/my/")
    assert home.status_code == 200 and "已登入：chan@emsd.gov.hk" in home.text
    assert "/zh-hk/my/accounts" in home.text  # an administrator manages accounts
    # Used once: a second use is refused, and so is a made-up token.
    client.cookies.clear()
    again = await use(client, issued["link_url"])
    assert again.status_code == 410 and "已使用過" in again.text
    forged = await use(client, f"{PORTAL}/en/sign-in/link?token=made-up")
    assert forged.status_code == 400


async def test_an_expired_link_is_refused(portal):
    client, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        await add_admin(uow, "lee@emsd.gov.hk", org="EMSD", now=utcnow())
    await ask_link(client, "lee@emsd.gov.hk")
    [issued] = await links(runtime)
    async with runtime.db.transaction() as s:  # 15 minutes and a second later
        for link in (await s.exec(select(SignInLink))).all():
            link.expires_at = utcnow() - timedelta(seconds=1)
            s.add(link)
    expired = await use(client, issued["link_url"])
    assert expired.status_code == 410 and "expired" in expired.text
    assert (await client.get("/en/my/")).status_code == 303


async def test_unknown_addresses_get_the_same_answer_and_no_link(portal):
    client, runtime = portal
    answer = await ask_link(client, "nobody@example.org")
    assert answer.status_code == 200 and "If nobody@example.org has an account" in answer.text
    assert await links(runtime) == []


async def test_bad_addresses_are_errors_beside_the_field_in_the_pages_language(portal):
    client, _ = portal
    answer = await ask_link(client, "not an address", "zh-hk")
    assert answer.status_code == 422
    assert 'id="email-error">請輸入正確格式的電郵地址' in answer.text
    assert 'value="not an address"' in answer.text


async def test_a_form_without_its_csrf_token_is_refused(portal):
    client, runtime = portal
    await client.get("/en/sign-in")
    refused = await client.post("/en/sign-in", data={"email": "chan@emsd.gov.hk"})
    assert refused.status_code == 403 and "This form has expired" in refused.text
    wrong = await client.post("/en/sign-in", data={"email": "chan@emsd.gov.hk", "csrf_token": "x" * 64})
    assert wrong.status_code == 403
    assert await links(runtime) == []


async def test_links_are_rate_limited_per_address_and_per_client(portal):
    client, runtime = portal
    for _ in range(5):
        assert (await ask_link(client, "busy@example.org")).status_code == 200
    limited = await ask_link(client, "busy@example.org")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    for i in range(14):  # 20 per client: 5 above, 14 more to other addresses
        assert (await ask_link(client, f"other{i}@example.org")).status_code == 200
    assert (await ask_link(client, "fresh@example.org")).status_code == 200
    assert (await ask_link(client, "fresh2@example.org")).status_code == 429


async def test_a_provider_registers_by_the_link_and_signs_out(portal):
    client, runtime = portal
    page = await client.get("/en/register")
    answer = await client.post("/en/register", data={
        "org": "HKUST", "email": "lab@hkust.edu.hk", "csrf_token": csrf_of(page)})
    assert answer.status_code == 200 and "finish registering" in answer.text
    [issued] = await links(runtime)
    assert issued["purpose"] == "register" and issued["org"] == "HKUST" and issued["role"] == "provider"
    assert (await use(client, issued["link_url"])).status_code == 303
    home = await client.get("/en/my/")
    assert home.status_code == 200 and "a solution provider" in home.text
    out = await client.post("/en/sign-out", data={"csrf_token": csrf_of(home)})
    assert out.status_code == 303
    assert (await client.get("/en/my/")).headers["location"] == "/en/sign-in?next=%2Fen%2Fmy%2F"


async def test_signing_in_returns_to_the_page_that_asked_for_it(portal):
    client, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        await add_admin(uow, "back@emsd.gov.hk", org="EMSD", now=utcnow())
    asked = await client.get("/en/my/?from=test")
    assert asked.status_code == 303
    page = await client.get(asked.headers["location"])
    assert 'name="next" value="/en/my/?from=test"' in page.text
    await client.post("/en/sign-in", data={"email": "back@emsd.gov.hk", "next": "/en/my/?from=test",
                                           "csrf_token": csrf_of(page)})
    [issued] = await links(runtime)
    signed = await use(client, issued["link_url"])
    assert signed.headers["location"] == "/en/my/?from=test"
    # Never to another site.
    client.cookies.clear()
    page = await client.get("/en/sign-in?next=https://evil.example/")
    await client.post("/en/sign-in", data={"email": "back@emsd.gov.hk", "next": "//evil.example/",
                                           "csrf_token": csrf_of(page)})
    issued = (await links(runtime))[-1]
    assert "evil" not in issued["link_url"]


async def test_a_withdrawn_accounts_session_is_refused_at_once(portal):
    client, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        admin = await add_admin(uow, "boss@emsd.gov.hk", org="EMSD", now=utcnow())
        await add_admin(uow, "staff@emsd.gov.hk", org="EMSD", now=utcnow())
    await ask_link(client, "staff@emsd.gov.hk")
    [issued] = await links(runtime)
    await use(client, issued["link_url"])
    assert (await client.get("/en/my/")).status_code == 200
    async with unit_of_work(runtime.db) as uow:
        staff = (await uow.session.exec(select(SignInLink))).first()
        from services.portal.repository.accounts import AccountsRepository

        account = await AccountsRepository(uow.session).by_email(staff.email)
        await withdraw_account(uow, actor_of(admin), account.id, now=utcnow())
    assert (await client.get("/en/my/")).status_code == 303  # back to signing in
    await ask_link(client, "staff@emsd.gov.hk")
    assert len(await links(runtime)) == 1  # a withdrawn account gets no new link


async def test_the_session_cookie_is_secure_behind_https(portal):
    client, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        await add_admin(uow, "sec@emsd.gov.hk", org="EMSD", now=utcnow())
    await ask_link(client, "sec@emsd.gov.hk")
    [issued] = await links(runtime)
    parts = urlsplit(issued["link_url"])
    page = await client.get(f"{parts.path}?{parts.query}")
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    signed = await client.post(parts.path, data={"token": token, "csrf_token": csrf_of(page)},
                               headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in signed.headers["set-cookie"]


async def test_the_use_cases_stage_in_their_unit_of_work_and_a_refusal_leaves_nothing(portal):
    _, runtime = portal
    async with unit_of_work(runtime.db) as uow:
        admin = await add_admin(uow, "unit@emsd.gov.hk", org="EMSD", now=utcnow())
        staff = await add_admin(uow, "gone@emsd.gov.hk", org="EMSD", now=utcnow())
    once = (Limit(1, timedelta(minutes=15)), PER_CLIENT)
    with pytest.raises(RateLimited):
        async with unit_of_work(runtime.db) as uow:
            await request_link(uow, email="unit@emsd.gov.hk", client="203.0.113.9",
                               language=by_tag("en"), now=utcnow(), portal_url=PORTAL, limits=once)
            assert [type(e).__name__ for e in uow.staged] == ["SignInLinkIssued"]
            await request_link(uow, email="unit@emsd.gov.hk", client="203.0.113.9",
                               language=by_tag("en"), now=utcnow(), portal_url=PORTAL, limits=once)
    # The refusal rolled back the whole unit: the first link, its request and its event.
    assert await links(runtime) == []
    async with runtime.db.session() as s:
        assert (await s.exec(select(SignInLink))).all() == []
        assert (await s.exec(select(SignInRequest))).all() == []
    async with unit_of_work(runtime.db) as uow:
        await withdraw_account(uow, actor_of(admin), staff.id, now=utcnow())
    with pytest.raises(AccountsError) as again:
        async with unit_of_work(runtime.db) as uow:
            await withdraw_account(uow, actor_of(admin), staff.id, now=utcnow())
    assert again.value.key == "my.accounts.already_withdrawn"
