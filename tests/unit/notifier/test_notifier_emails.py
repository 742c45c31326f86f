"""Composition of every kind of email in both languages."""

import email
import re
from datetime import UTC, datetime
from email import policy
from urllib.parse import unquote

import pytest

from services.notifier.domain import verify_token
from services.notifier.emails import DIGEST_MAX_ITEMS, Composer, EmptyDigest

SECRET = "unit-test-secret-long-enough"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
C = Composer(SECRET, "https://innoportal.example/", "E&M InnoPortal <noreply@innoportal.example>")
WISH = {"id": "w-1", "title_en": "Lift <fault> prediction", "title_zh": "升降機故障預測",
        "description_en": "Predict & prevent.", "categories": ["building-services"], "owner_org": "EMSD"}
MATCH = {"match_id": "m-1", "score": 0.82, "decision": "accepted", "reason": None,
         "reasons": [{"kind": "category", "value": "iot-sensors"}, {"kind": "term", "value": "lift"}],
         "wish": {"id": "w-1", "title_en": "Lift fault prediction", "contact_email": "ee@emsd.gov.hk", "owner_org": "EMSD"},
         "solution": {"id": "s-1", "title_zh": "升降機監測", "contact_email": "s@hkust.hk", "owner_org": "HKUST"}}
PARTIES = [{"role": "wish", **MATCH["wish"]}, {"role": "solution", **MATCH["solution"]}]
TRIAL = {"trial_id": "t-1", "verdict": "partially_passed", "summary": "Good.", "report_url": "/v1/trials/t-1/report",
         "reason": "Venue closed", "from_state": "running", "parties": PARTIES,
         "kpi_results": [{"name": "Downtime", "unit": "h", "baseline": 10, "target": 5, "measured": 4, "met": True}]}

CASES = [
    ("confirmation", None, {"subscription_id": "sub-1", "categories": ["iot-sensors"], "keywords": ["lift"]}, "sub-1"),
    ("wish_alert", WISH, {"reasons": {"categories": ["building-services"], "keywords": []}}, "sub-1"),
    ("digest", None, {"items": [{"key": "wish:w-1", "reasons": {}}], "period": "2026-11-19", "frequency": "daily"}, "sub-1"),
    ("match_found", MATCH, {"role": "solution"}, None),
    ("match_decided", MATCH, {"role": "wish"}, None),
    ("trial_completed", TRIAL, {"role": "subscriber"}, "sub-2"),
    ("trial_terminated", TRIAL, {"role": "wish"}, None),
]


def parse(composed):
    return email.message_from_bytes(composed.data, policy=policy.default)


def build(kind, item, ctx, sub, language):
    msg = C.compose(kind=kind, recipient="r@example.org", ref="ref-1", language=language, now=NOW,
                    subscription_id=sub, context=ctx, items={"wish:w-1": WISH, "item": item or {}},
                    item_key="item")
    return email.message_from_bytes(msg.as_bytes(), policy=policy.default)


@pytest.mark.parametrize("language", ["en", "zh-HK"])
@pytest.mark.parametrize("kind, item, ctx, sub", CASES, ids=[c[0] for c in CASES])
def test_every_kind_is_multipart_with_list_headers(kind, item, ctx, sub, language):
    msg = build(kind, item, ctx, sub, language)
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
    assert f'lang="{language}"' in html and msg["Content-Language"] == language
    for header in ("Message-ID", "Date", "Subject", "From", "To"):
        assert msg[header], header
    url = msg["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://innoportal.example/unsubscribe?token=")  # the portal's one-click
    claims = verify_token(SECRET, unquote(url.split("token=")[1]), "unsubscribe", NOW)
    assert claims.subject == (f"sub:{sub}" if sub else "email:r@example.org")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    prefix = "zh-hk" if language == "zh-HK" else "en"
    manage = f"https://innoportal.example/{prefix}/subscribe/manage?token="
    assert (manage in text) == bool(sub and kind != "confirmation")
    # Every link, in both parts, opens a portal page in the email's language; none is an API.
    found = re.findall(r"https?://[^\s<>\"]+", text) + re.findall(r'href="([^"]+)"', html)
    assert found and all(u.startswith(f"https://innoportal.example/{prefix}/") for u in found), found
    assert "/v1/" not in text + html
    if language == "zh-HK":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in msg["Subject"] + text)


def test_subjects_name_the_item():
    subjects = {k: build(k, i, c, s, "en")["Subject"] for k, i, c, s in CASES}
    assert subjects["wish_alert"] == "New wish: Lift <fault> prediction"
    assert subjects["match_found"] == "Match found: Lift fault prediction and 升降機監測"
    assert subjects["match_decided"] == "Match accepted: Lift fault prediction and 升降機監測"
    assert subjects["trial_completed"] == "Trial report published: 升降機監測 for Lift fault prediction"
    assert build("wish_alert", WISH, CASES[1][2], "s", "zh-HK")["Subject"] == "新創科願望：升降機故障預測"


def test_html_is_escaped_and_the_report_link_is_absolute():
    html = build("wish_alert", WISH, CASES[1][2], "s", "en").get_body(("html",)).get_content()
    assert "Lift &lt;fault&gt; prediction" in html and "Predict &amp; prevent." in html
    text = build("trial_completed", TRIAL, {"role": "wish"}, None, "en").get_body(("plain",)).get_content()
    assert "https://innoportal.example/en/reports/t-1\r\n" in text and "partially passed" in text
    corrected = build("trial_completed", {**TRIAL, "report_version": 2}, {"role": "wish"}, None, "zh-HK")
    assert "https://innoportal.example/zh-hk/reports/t-1?version=2" in corrected.get_body(("plain",)).get_content()


@pytest.mark.parametrize("kind, item, pages", [
    ("wish_alert", WISH, ["wishes/w-1"]),
    ("match_found", MATCH, ["wishes/w-1", "solutions/s-1"]),
    ("match_decided", MATCH, ["wishes/w-1", "solutions/s-1"]),
    ("trial_completed", TRIAL, ["reports/t-1"]),
    ("trial_terminated", TRIAL, ["trials/t-1"]),
])
def test_items_link_to_their_portal_pages_in_the_emails_language(kind, item, pages):
    for language, prefix in (("en", "en"), ("zh-HK", "zh-hk")):
        msg = build(kind, item, {"role": "wish"}, None, language)
        text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
        for page in pages:
            url = f"https://innoportal.example/{prefix}/{page}"
            assert url in text and f'href="{url}"' in html, (kind, language, page)
    confirmation = build(*CASES[0][:4], "zh-HK")
    assert "https://innoportal.example/zh-hk/subscribe/confirm?token=" in confirmation.get_body(
        ("plain",)).get_content()


def test_a_title_with_line_breaks_cannot_forge_headers():
    evil = {**WISH, "title_en": "Lift\r\nBcc: victim@example.org"}
    msg = build("wish_alert", evil, CASES[1][2], "s", "en")
    assert msg["Bcc"] is None and msg["Subject"] == "New wish: Lift Bcc: victim@example.org"


def test_digests_are_never_empty_and_list_a_bounded_number_of_items():
    with pytest.raises(EmptyDigest):
        build("digest", None, {"items": [], "frequency": "daily"}, "s", "en")
    with pytest.raises(EmptyDigest):  # every listed item vanished
        build("digest", None, {"items": [{"key": "wish:gone"}], "frequency": "daily"}, "s", "en")
    many = {f"wish:{i}": {**WISH, "id": str(i), "title_en": f"Wish {i}"} for i in range(DIGEST_MAX_ITEMS + 5)}
    msg = parse(C.compose(kind="digest", recipient="r@example.org", ref="d", language="en", now=NOW,
                          subscription_id="s", items=many,
                          context={"items": [{"key": k} for k in many], "frequency": "weekly", "period": "2026-W46"}))
    text = msg.get_body(("plain",)).get_content()
    assert "and 5 more on InnoPortal." in text and "Wish 54" not in text
    assert msg["Subject"] == f"Your weekly InnoPortal digest: {DIGEST_MAX_ITEMS + 5} new wishes, including Wish 0"
