"""Signing in to the stack's portal as a test needs to: an account made in the portal's own
database (as `innoportal admin add` or an invitation would), then the real sign-in by the link
the notifier emailed (portal outbox → NATS → notifier → SMTP → the mail catcher)."""

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx

from innoportal.db import Database
from innoportal.testing.system import text_of, until
from services.portal.models import Account
from services.portal.repository.accounts import AccountsRepository

# The first link of a link email is in the email's (the page's) language; the second, in the
# other language's version, opens the same one-time link in the other language.
_LINK = re.compile(r"https?://[^\s<>\"]+/sign-in/link\?token=[^\s<>\"]+")


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


def _links_for(stack, email: str) -> list[str]:
    """The sign-in link of every link email the mail catcher kept for `email`, oldest first."""
    found = []
    for msg in stack.system.mailbox(email):
        recipients = [r.strip().lower() for r in (msg["X-Envelope-To"] or "").split(",")]
        link = _LINK.search(text_of(msg)) if email.lower() in recipients else None
        if link:
            found.append(link.group(0))
    return found


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


def make_account(stack, email: str, role: str, org: str, admin: bool = False) -> None:
    """An active account in the stack's portal."""
    asyncio.run(_ensure_account(stack, email, role, org, admin))


def sign_in_link(stack, client: httpx.Client, email: str, lang: str = "en") -> str:
    """Ask for a link through the sign-in page; the link from the email that reached `email`."""
    before = len(_links_for(stack, email))
    page = client.get(f"{stack.portal}/{lang}/sign-in")
    sent = client.post(f"{stack.portal}/{lang}/sign-in",
                       data={"email": email, "csrf_token": csrf_of(page.text)})
    assert sent.status_code == 200, sent.text
    return until(lambda: (found := _links_for(stack, email))[before:] and found[-1],
                 30, f"the sign-in email to {email}")


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
