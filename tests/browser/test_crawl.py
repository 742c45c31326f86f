"""Every page and link reachable from the home page, in both languages: no 4xx, no 5xx, no serious
axe violation, and nothing wider than a 320 px phone screen."""

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import pytest

from .conftest import serious_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(900)]
PAGE_TYPES = ("text/html",)
NARROW = 320


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")


def _same_site(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc


def test_every_reachable_page_answers_and_is_accessible(page, stack):
    base = stack.portal
    seen: set[str] = set()
    queue = deque([f"{base}/en/", f"{base}/zh-hk/"])
    problems: list[str] = []
    pages = 0
    with httpx.Client(timeout=30) as client:
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            head = client.get(url)
            if head.status_code >= 400:
                problems.append(f"{head.status_code} {url}")
                continue
            if not head.headers.get("content-type", "").startswith(PAGE_TYPES):
                continue  # a download or a feed: it answered, which is all a link promises
            pages += 1
            page.set_viewport_size({"width": 1280, "height": 900})
            response = page.goto(url)
            assert response is not None and response.ok, url
            problems += [f"axe {url}: {v}" for v in serious_violations(page)]
            page.set_viewport_size({"width": NARROW, "height": 800})
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW + 1:
                problems.append(f"{url} is {width} px wide at {NARROW} px")
            for link in _links(page):
                link = urldefrag(urljoin(url, link)).url
                if _same_site(link, base) and link not in seen:
                    queue.append(link)
    print(f"crawl: {pages} pages, {len(seen)} links checked")
    assert pages > 20, f"only {pages} pages reached: {sorted(seen)}"
    assert not problems, "\n".join(problems)
