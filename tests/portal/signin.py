"""Signing in to the stack's portal as a test needs to: an account made in the portal's own
database (as `innoportal admin add` or an invitation would), then the real sign-in by link."""

import asyncio
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx
from sqlmodel import col, select

from contracts import utcnow
from innoportal.db import Database
from innoportal.outbox import OutboxMessage
from innoportal.testing.system import until
from services.portal.models import Account
from services.portal.repository.accounts import AccountsRepository


def _database(stack) -> Database:
    return Database(f"sqlite+aiosqlite:///{stack.system.cwd / 'var' / 'portal.db'}")


async def _ensure_account(stack, email: str, role: str, org: str, admin: bool) -> None:
    db = _database(stack)
    try:
        async with db.transaction() as session:
            repo = AccountsRepository(session)
            account = await repo.by_email(email) or Account(email=email, org=org, role=role,
                                                           created_by="test")
            account.role, account.org, account.admin, account.status = role, org, admin, "active"
            repo.add(account)
    finally:
        await db.dispose()


async def _links_for(stack, email: str) -> list[str]:
    db = _database(stack)
    try:
        async with db.session() as session:
            rows = (await session.exec(select(OutboxMessage).where(
                col(OutboxMessage.subject) == "innoportal.account.link_issued")
                .order_by(col(OutboxMessage.id)))).all()
    finally:
        await db.dispose()
    return [p["link_url"] for p in map(json.loads, (r.payload for r in rows)) if p["email"] == email]


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


def make_account(stack, email: str, role: str, org: str, admin: bool = False) -> None:
    """An active account in the stack's portal."""
    asyncio.run(_ensure_account(stack, email, role, org, admin))


def sign_in_link(stack, client: httpx.Client, email: str, lang: str = "en") -> str:
    """Ask for a link through the sign-in page; the link as the notifier would email it."""
    before = len(asyncio.run(_links_for(stack, email)))
    page = client.get(f"{stack.portal}/{lang}/sign-in")
    sent = client.post(f"{stack.portal}/{lang}/sign-in",
                       data={"email": email, "csrf_token": csrf_of(page.text)})
    assert sent.status_code == 200, sent.text
    return until(lambda: (found := asyncio.run(_links_for(stack, email)))[before:] and found[-1],
                 10, f"the sign-in link for {email}")


@contextmanager
def signed_in(stack, email: str, role: str, org: str, admin: bool = False,
              lang: str = "en") -> Iterator[httpx.Client]:
    """An HTTP client signed in to the stack's portal as `email` (role at org)."""
    make_account(stack, email, role, org, admin)
    with httpx.Client(timeout=30) as client:
        link = urlsplit(sign_in_link(stack, client, email, lang))
        page = client.get(f"{stack.portal}{link.path}?{link.query}")
        hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        done = client.post(f"{stack.portal}{link.path}", data=hidden)
        assert done.status_code == 303, done.text
        yield client
