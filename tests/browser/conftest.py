"""Debian's Chromium driven by Playwright (executable_path, no downloaded browser), and axe-core."""

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Without the background-networking flags Chromium reaches for Google's hosts, which this
# machine's closed network refuses; --no-sandbox because the tests may run as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERIOUS = ("serious", "critical")


def chromium_path() -> str:
    """Debian's Chromium (INNOPORTAL_CHROMIUM overrides); `make test` installs it when missing."""
    path = os.environ.get("INNOPORTAL_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("chromium is not installed: run `make browser` (apt install chromium)")
    return path


# Per module: sync Playwright runs an event loop of its own, which must be gone before the
# asyncio tests of other modules start theirs.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, stack) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the portal of the session's stack."""
    context = browser.new_context(base_url=stack.portal, viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


_AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """axe-core's violations of serious or critical impact on the page, one line each."""
    results = _AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def assert_accessible(page: Page) -> None:
    """No axe violation of serious or critical impact."""
    found = serious_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)
