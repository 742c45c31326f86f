"""Keyboard alone: a skip link first, a visible focus, every field of a form reachable by Tab."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page):
    page.goto("/zh-hk/wishes")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "跳至主要內容"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_focus_is_visible_on_links_and_fields(page):
    page.goto("/en/wishes")
    for selector in ("nav a[href='/en/solutions']", "#q"):
        element = page.locator(selector)
        before = element.evaluate("e => getComputedStyle(e).outlineColor + getComputedStyle(e).backgroundColor + getComputedStyle(e).boxShadow")
        element.focus()
        after = element.evaluate("e => getComputedStyle(e).outlineColor + getComputedStyle(e).backgroundColor + getComputedStyle(e).boxShadow")
        assert before != after, f"no visible focus on {selector}"


# A radio group is one stop for Tab (arrow keys move inside it), so it is known by its name.
KEY = ("e => e.type === 'radio' ? 'radio:' + e.name : "
       "(e.id || e.name || e.textContent.trim())")


@pytest.mark.parametrize("path", ["/en/wishes", "/zh-hk/solutions", "/en/subscribe",
                                  "/zh-hk/survey"])
def test_every_field_has_a_label_and_is_reached_by_tab(page, path):
    page.goto(path)
    fields = set(page.eval_on_selector_all(
        "main input:not([type=hidden]), main select, main textarea, main button",
        f"els => els.map({KEY})"))
    unlabelled = page.eval_on_selector_all(
        "main input:not([type=hidden]):not([type=submit]), main select, main textarea",
        "els => els.filter(e => !(e.labels && e.labels.length)).map(e => e.name)")
    assert not unlabelled, unlabelled
    reached = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(f"({KEY})(document.activeElement)"))
        if fields <= reached:
            break
    assert fields <= reached, fields - reached
