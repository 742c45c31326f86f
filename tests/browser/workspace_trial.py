"""The field trial of the workspace story, as EMSD plans it in the browser (EMSD Headquarters on
days no other booking holds, two KPIs), and its report's charts as a reader sees them."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Page

from innoportal.fields import HONG_KONG
from innoportal.testing.system import until

HQ = "v-emsd-hq"
# name, unit, baseline, target, better when, how the readings are summarised
KPIS = (("Door fault lead time", "hours", "0", "24", "increase", "mean"),
        ("False alarms", "per month", "10", "3", "decrease", "last"))


def query_value(url: str, name: str) -> str:
    """One value of a URL's query string."""
    return parse_qs(urlsplit(url).query)[name][0]


def the_match(stack, wish_id: str, solution_id: str) -> str:
    """The matcher's pairing of a wish and a solution (its API, as EMSD reads it)."""
    def found() -> list[str]:
        items = httpx.get(f"{stack.url('matcher')}/v1/matches", params={"wish_id": wish_id},
                          headers=stack.system.auth("emsd", "EMSD"), timeout=20).json()["items"]
        return [m["id"] for m in items if m["solution_id"] == solution_id]
    return until(found, 60, "the matcher pairing the wish and the solution")[0]


def free_window(stack, days: int = 14) -> tuple[date, date]:
    """The first `days` Hong Kong days from today when no planned or running trial holds EMSD
    Headquarters, read from its calendar (other tests on the shared stack book it too)."""
    calendar = httpx.get(f"{stack.url('trials')}/v1/venues/{HQ}/calendar", timeout=20).json()
    busy = [(datetime.fromisoformat(b["planned_start"]), datetime.fromisoformat(b["planned_end"]))
            for b in calendar["bookings"] if b["state"] in ("planned", "running")]
    today = datetime.now(HONG_KONG).date()
    for offset in range(400):
        first = today + timedelta(days=offset)
        start = datetime(first.year, first.month, first.day, tzinfo=HONG_KONG)
        end = start + timedelta(days=days)  # half-open: 00:00 HKT after the last day
        if calendar["concurrent"] or all(end <= b0 or b1 <= start for b0, b1 in busy):
            return first, first + timedelta(days=days - 1)
    raise AssertionError(f"EMSD Headquarters has no free {days} days in a year: {busy}")


def fill_plan(page: Page, stack) -> None:
    """The trial's plan: EMSD Headquarters on free days, and its two KPIs."""
    first, last = free_window(stack)
    page.get_by_label("Venue", exact=True).select_option(HQ)
    page.get_by_label("First day").fill(first.isoformat())
    page.get_by_label("Last day").fill(last.isoformat())
    for number, (name, unit, baseline, target, better, result) in enumerate(KPIS, 1):
        row = page.get_by_role("group", name=f"Indicator {number}", exact=True)
        row.get_by_label("Name").fill(name)
        row.get_by_label("Unit").fill(unit)
        row.get_by_label("Baseline").fill(baseline)
        row.get_by_label("Target").fill(target)
        row.get_by_label("Better when").select_option(better)
        row.get_by_label("Result is").select_option(result)


def open_the_trial(page: Page, stack) -> None:
    """Send the plan. The page waits for trials to hear of the accept; should it still say the
    decision is on its way, or show a clash another test's booking made since the calendar was
    read, send it again as a person would (with other days for a clash)."""
    for _ in range(5):
        page.get_by_role("button", name="Open the trial").click()
        if "/my/trials/new" not in page.url:
            return
        if page.locator("#window-error").count():
            fill_plan(page, stack)
        else:
            assert "on its way" in page.locator("main").inner_text(), page.content()[:3000]
    raise AssertionError("the trial did not open in five tries")


def charts_load(page: Page, count: int) -> None:
    """The report's KPI charts: `count` images, each loaded and an SVG."""
    images = page.locator("figure.chart img")
    assert images.count() == count
    for n in range(count):
        image = images.nth(n)
        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), image.get_attribute("src")
        answer = page.request.get(image.get_attribute("src") or "")
        assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")
