"""Small parts of the notifier service: settings, digest timing, content negotiation, templates."""

import base64
import email
import json
from datetime import UTC, datetime
from email import policy

import pytest
from starlette.requests import Request

from services.notifier.api import answers
from services.notifier.domain import digest_due, issue_token, verify_token
from services.notifier.domain.delivery import HKT
from services.notifier.emails import Composer
from services.notifier.emails.links import https
from services.notifier.emails.rendering import environment, render
from services.notifier.settings import NotifierSettings


def test_settings_have_their_own_prefix_and_the_interface_port(monkeypatch):
    monkeypatch.setenv("INNOPORTAL_NOTIFIER_FANOUT_CHUNK", "7")
    monkeypatch.setenv("INNOPORTAL_NOTIFIER_DIGEST_HOUR", "9")
    settings = NotifierSettings()
    assert (settings.name, settings.port, settings.fanout_chunk, settings.digest_hour) == (
        "notifier", 8104, 7, 9)


def hkt(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in November 2026 given in Hong Kong time (UTC+8); the 23rd is a Monday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=HKT).astimezone(UTC)


@pytest.mark.parametrize("frequency, when, due", [
    ("daily", hkt(21, 7, 59), False),
    ("daily", hkt(21, 8, 0), True),
    ("daily", hkt(21, 23, 0), True),  # still the same closed day: queued once, nothing new later
    ("weekly", hkt(23, 7, 0), False),  # Monday before the hour
    ("weekly", hkt(23, 8, 0), True),
    ("weekly", hkt(25, 12, 0), True),  # a late start on Wednesday catches up
])
def test_digests_are_due_from_the_hour_after_their_period_closed(frequency, when, due):
    assert digest_due(frequency, when, hour=8) is due


def test_list_unsubscribe_header_is_https_even_for_a_local_http_base():
    assert https("http://127.0.0.1:8100/unsubscribe?token=a") == "https://127.0.0.1:8100/unsubscribe?token=a"
    assert https("https://innoportal.example/x") == "https://innoportal.example/x"
    composer = Composer("a-secret-long-enough-1234", "http://127.0.0.1:8100", "x@innoportal.example")
    msg = email.message_from_bytes(composer.compose(
        kind="wish_alert", recipient="r@example.org", ref="wish:w", language="en",
        now=datetime.now(UTC), subscription_id="sub-1", context={},
        items={"wish:w": {"id": "w", "title_en": "Lift"}}, item_key="wish:w").data, policy=policy.default)
    header = msg["List-Unsubscribe"].strip("<>")
    assert header.startswith("https://127.0.0.1:8100/unsubscribe?token=")
    text = msg.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:8100/en/unsubscribe?token=" in text  # the body keeps the local link


def test_recipients_of_one_item_share_the_body_never_the_links():
    composer = Composer("a-secret-long-enough-1234", "https://innoportal.example", "x@innoportal.example")
    now = datetime.now(UTC)
    items = {"wish:w": {"id": "w", "title_en": "Lift"}}
    a, b = (email.message_from_bytes(composer.compose(
        kind="wish_alert", recipient=r, ref="wish:w", language="en", now=now, subscription_id=sid,
        context={}, items=items, item_key="wish:w").data, policy=policy.default)
        for r, sid in (("a@example.org", "sub-a"), ("b@example.org", "sub-b")))
    assert a["Subject"] == b["Subject"] == "New wish: Lift"
    assert a["List-Unsubscribe"] != b["List-Unsubscribe"] and a["Message-ID"] != b["Message-ID"]
    assert "a@example.org" in a.get_body(("plain",)).get_content()
    assert "b@example.org" not in a.get_body(("plain",)).get_content()


@pytest.mark.parametrize("subject", ['sub:abc', 'email:a"b\\c@例子.hk', "email:\u2028x@y"])
def test_token_payload_is_the_json_it_always_was(subject):
    token = issue_token("a-secret-long-enough-1234", "unsubscribe", subject, datetime.now(UTC))
    body = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert claims["s"] == subject and claims["p"] == "unsubscribe"
    assert verify_token("a-secret-long-enough-1234", token, "unsubscribe", datetime.now(UTC)).subject == subject


def request(headers: dict[str, str]) -> Request:
    return Request({"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})


@pytest.mark.parametrize("accept, json_, html", [
    ("", False, False),
    ("*/*", False, False),
    ("application/json", True, False),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False, True),
    ("application/json;q=0.5, text/html", False, True),
    ("text/html;q=0.2, application/json", True, False),
])
def test_content_negotiation(accept, json_, html):
    r = request({"Accept": accept})
    assert (answers.wants_json(r), answers.wants_html(r)) == (json_, html)


def test_page_language_from_accept_language():
    assert answers.request_language(request({"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8"})) == "zh-HK"
    assert answers.request_language(request({"Accept-Language": "en-GB,zh-HK;q=0.5"})) == "en"
    assert answers.request_language(request({})) == "en"


def test_templates_keep_braces_dollars_and_refuse_missing_values():
    assert environment().from_string("a{b}$ ${x}{{ y }} $z").render(y=1) == "a{b}$ ${x}1 $z"
    footer = render("en", "_footer_contact", "text", {"email": "a{b}$x@e.org", "unsubscribe_url": "u"})
    assert footer.startswith("You receive this as the contact of a wish or solution on InnoPortal "
                             "(a{b}$x@e.org)")
    with pytest.raises(KeyError):
        render("en", "_footer_subscriber", "html", {})
    page = render("en", "_layout", "html", {"subject": "T", "body": "B", "footer": "F"})
    assert "font-family:Arial" in page and "<title>T</title>" in page
