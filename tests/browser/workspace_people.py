"""People of the workspace stories in Chromium: browsers signed in by the real emailed links (or
by copying the cookies of an httpx sign-in), the mail each address got, and a link made to
expire in the portal's own database."""

import asyncio
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response

from innoportal.db import Database
from innoportal.testing.system import text_of, until
from portal.signin import signed_in
from services.portal.domain.accounts import digest
from services.portal.models import SignInLink

from .workspace_looks import HTML_LANG, WIDE, WORDS, Looks, language_of

T = TypeVar("T")
_LINK = re.compile(r"https?://[^\s<>\"]+/sign-in/link\?token=[^\s<>\"]+")


def unique(prefix: str) -> str:
    """A name no other test (nor an earlier run) on the shared stack uses."""
    return f"{prefix}{time.time_ns()}"


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Call `function` in a thread of its own: sync Playwright keeps an event loop running in
    this one, so asyncio.run (the portal's database, tests/portal/signin.py) cannot run here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


@dataclass
class Cast:
    """The people of a story: a browser each (one tab), what they made, how the pages looked."""

    tag: str
    contexts: dict[str, BrowserContext] = field(default_factory=dict)
    looks: Looks = field(default_factory=Looks)
    ids: dict[str, str] = field(default_factory=dict)

    def page(self, who: str) -> Page:
        """The one tab of `who`'s browser."""
        context = self.contexts[who]
        return context.pages[0] if context.pages else context.new_page()

    def need(self, *names: str) -> None:
        """Skip a step whose earlier steps did not get as far."""
        missing = [n for n in names if n not in self.ids]
        if missing:
            pytest.skip(f"an earlier step did not make: {', '.join(missing)}")

    def close(self) -> None:
        """Close every browser."""
        for context in self.contexts.values():
            context.close()


# ---- Mail ----

def mails_to(stack, address: str, kind: str | None = None) -> list[EmailMessage]:
    """Every message delivered to exactly `address` (optionally of one X-InnoPortal-Kind)."""
    found = []
    for msg in stack.system.mails():
        recipients = [r.strip().lower() for r in (msg["X-Envelope-To"] or "").split(",")]
        if address.lower() in recipients and (kind is None or msg["X-InnoPortal-Kind"] == kind):
            found.append(msg)
    return found


def counted(stack, expected: dict[str, list[tuple[str, tuple[str, ...]]]]
            ) -> dict[tuple[str, str], int]:
    """For each address, and each (kind, ids) expected of it: how many of its emails of that
    kind name every one of the ids in their text (their links carry the records' ids)."""
    return {(address, kind): len([m for m in mails_to(stack, address, kind)
                                  if all(i in text_of(m) for i in ids)])
            for address, wanted in expected.items() for kind, ids in wanted}


def links_to(stack, address: str) -> list[str]:
    """The first link (in the email's language) of each link email to `address`, oldest first."""
    links = []
    for msg in mails_to(stack, address):
        link = _LINK.search(text_of(msg))
        if link:
            links.append(link.group(0))
    return links


def new_link(stack, address: str, before: int) -> str:
    """The link of the first link email to `address` after the `before` it had."""
    return until(lambda: links_to(stack, address)[before:][:1], 30,
                 f"a link email to {address}")[0]


async def _expire(stack, token: str) -> int:
    # The portal's own database, opened as tests/portal/signin.py opens it.
    db = Database(f"sqlite+aiosqlite:///{stack.system.cwd / 'var' / 'portal.db'}")
    try:
        async with db.transaction() as session:
            link = await session.get(SignInLink, digest(token))
            if link is None:
                return 0
            link.expires_at = datetime.now(UTC) - timedelta(seconds=1)
            session.add(link)
            return 1
    finally:
        await db.dispose()


def expire_link(stack, link: str) -> None:
    """Let the link's 15 minutes pass: its expiry a second ago, in the portal's own database."""
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert off_loop(asyncio.run, _expire(stack, token)) == 1, "no such link in the portal"


# ---- Browsers and signing in ----

def new_browser(browser: Browser, stack) -> BrowserContext:
    """A fresh browser (no cookies) on the stack's portal."""
    return browser.new_context(base_url=stack.portal, viewport=WIDE)


def press_link(page: Page, link: str) -> Response | None:
    """Open an emailed link and press its one button (a mail scanner's visit uses nothing)."""
    lang = language_of(link)
    page.goto(link)
    assert page.get_attribute("html", "lang") == HTML_LANG[lang]
    with page.expect_navigation() as done:
        page.get_by_role("button", name=WORDS[lang]["continue"], exact=True).click()
    return done.value


def ask_for_link(page: Page, stack, address: str, lang: str = "en",
                 looks: Looks | None = None, here: bool = False) -> str:
    """Ask for a sign-in link on the sign-in page (the one the page is on, if `here`); the link
    the email brought."""
    before = len(links_to(stack, address))
    words = WORDS[lang]
    if not here:
        page.goto(f"/{lang}/sign-in")
    if looks:
        looks.look(page)
    page.get_by_label(words["email"], exact=True).fill(address)
    page.get_by_role("button", name=words["send"]).click()
    assert page.locator("h1").inner_text() == words["sent"]
    if looks:
        looks.check_here(page)
    return new_link(stack, address, before)


def sign_in(page: Page, stack, address: str, lang: str = "en", looks: Looks | None = None) -> None:
    """Sign in as a person does: ask on the sign-in page, open the emailed link, press its
    button."""
    link = ask_for_link(page, stack, address, lang, looks)
    if looks:
        page.goto(link)  # the link's page uses nothing until its button is pressed
        looks.look(page)
    done = press_link(page, link)
    assert done is not None and done.ok and page.url.endswith(f"/{lang}/my/"), page.url
    assert page.locator("h1").inner_text() == WORDS[lang]["workspace"]


def signed_in_browser(browser: Browser, stack, email: str, role: str, org: str,
                      admin: bool = False) -> BrowserContext:
    """A browser signed in as `email`: the real link flow over httpx (tests/portal/signin.py),
    its cookies copied into a fresh browser."""
    def sign_in_over_http() -> list[dict[str, str]]:
        with signed_in(stack, email, role, org, admin) as client:
            return [{"name": c.name, "value": c.value, "url": stack.portal}
                    for c in client.cookies.jar]

    context = new_browser(browser, stack)
    context.add_cookies(off_loop(sign_in_over_http))
    return context
