"""The emails' templates: Jinja2 with autoescape (as the portal's pages), compiled once at start."""

import email
from datetime import UTC, datetime
from email import policy

import pytest

from services.notifier.emails import rendering
from services.notifier.domain import KINDS
from services.notifier.emails import Composer
from services.notifier.emails.rendering import Both, compile_all, environment, render, render_both

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
EVIL = "<b>A&B</b> \"q\" 's' {{ 7 * 7 }} {% if %} ${x}"


def test_every_kind_has_every_section_in_both_languages_compiled_once():
    compiled = compile_all()
    for language in ("en", "zh-HK"):
        for kind in KINDS:
            for section in ("subject", "text", "html"):
                assert (language, kind, section) in compiled, (language, kind, section)
    assert compile_all() is compiled and environment() is environment()
    assert all(t.environment is environment() for t in compiled.values())


def test_only_the_html_sections_are_autoescaped():
    values = {"name": EVIL, "unit": "h", "baseline": 1, "target": 2, "measured": 3, "met": "yes"}
    text, html = render("en", "_kpi", "text", values), render("en", "_kpi", "html", values)
    assert text.startswith(f"- {EVIL}: baseline 1")  # the text part says it as it is
    assert "<b>" not in html and "&lt;b&gt;A&amp;B&lt;/b&gt; &#34;q&#34; &#39;s&#39;" in html
    assert "{{ 7 * 7 }} {% if %} ${x}" in html  # a value is never read as a template


def test_markup_passes_only_inside_a_both_and_none_is_empty():
    page = render("en", "_layout", "html", {
        "subject": "<i>S</i>", "body": Both("plain", "<p>made by a template</p>"), "footer": None})
    assert "<title>&lt;i&gt;S&lt;/i&gt;</title>" in page and "<p>made by a template</p>" in page
    assert "None" not in page
    part = render_both("zh-HK", "_footer_contact",
                       {"email": EVIL, "unsubscribe_url": "https://x/?a=1&b=2"})
    assert EVIL in part.text and 'href="https://x/?a=1&amp;b=2"' in part.html


def test_a_missing_value_raises_naming_it():
    with pytest.raises(KeyError, match="unsubscribe_url"):
        render("en", "_footer_contact", "html", {"email": "a@example.org"})


def test_composing_never_reads_or_compiles_a_template(monkeypatch):
    composer = Composer("unit-test-secret-long-enough", "https://innoportal.example",
                        "E&M InnoPortal <noreply@innoportal.example>")  # compiles them all

    def no_loading(*_args, **_kwargs):
        raise AssertionError("a template was loaded while composing")

    monkeypatch.setattr(rendering.SectionLoader, "get_source", no_loading)
    monkeypatch.setattr(type(environment()), "compile", no_loading)
    wish = {"id": "w-1", "title_en": EVIL, "categories": [], "owner_org": "EMSD"}
    for language in ("en", "zh-HK"):
        msg = composer.compose(kind="wish_alert", recipient="r@example.org", ref="w-1",
                               language=language, now=NOW, subscription_id="sub-1",
                               context={"reasons": {}}, items={"wish:w-1": wish},
                               item_key="wish:w-1")
        parsed = email.message_from_bytes(msg.data, policy=policy.default)
        html = parsed.get_body(("html",)).get_content()
        assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html and "<b>A&B</b>" not in html
        assert EVIL in parsed.get_body(("plain",)).get_content()
        assert parsed["Subject"].endswith(EVIL)
