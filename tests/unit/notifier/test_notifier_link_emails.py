"""The emails of the portal's one-time links: both languages, no unsubscribe, the link kept safe."""

import email
import logging
import re
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from prometheus_client import CollectorRegistry

from contracts import SignInLinkIssued
from services.notifier.domain import KINDS, LINK_KINDS, link_expired
from services.notifier.emails import Composer
from services.notifier.emails.link_emails import hong_kong_time, in_language, render_link_email
from services.notifier.metrics import NotifierMetrics
from services.notifier.service.sign_in_links import link_email

PORTAL = "https://innoportal.example"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Hong Kong
TOKEN = "Zq3-secret-token_4711"
C = Composer("unit-test-secret-long-enough", PORTAL + "/",
             "E&M InnoPortal <noreply@innoportal.example>")
SUBJECTS = {
    ("sign_in", "en"): "Sign in to E&M InnoPortal",
    ("sign_in", "zh-HK"): "登入網上創新科技協作平台",
    ("register", "en"): "Finish registering with E&M InnoPortal",
    ("register", "zh-HK"): "完成登記網上創新科技協作平台",
    ("invite", "en"): "You are invited to E&M InnoPortal by EMSD",
    ("invite", "zh-HK"): "機電工程署邀請您使用網上創新科技協作平台",
}


def issued(purpose="sign_in", language="en", *, address="Chan@ArchSD.gov.hk", org="ArchSD",
           role="department", link=None, invited_by=None, **kw) -> SignInLinkIssued:
    path = "zh-hk" if language == "zh-HK" else "en"
    return SignInLinkIssued(
        email=address, language=language, purpose=purpose, org=org, role=role,
        link_url=link or f"{PORTAL}/{path}/sign-in/link?token={TOKEN}&next=%2F{path}%2Fmy%2F",
        occurred_at=NOW, expires_at=NOW + timedelta(minutes=15), invited_by=invited_by, **kw)


def composed(event: SignInLinkIssued):
    row = link_email(event, portal_url=PORTAL)
    assert row is not None
    msg = C.compose(kind=row.kind, recipient=row.recipient, ref=row.ref, language=row.language,
                    now=NOW, context=row.context)
    return row, email.message_from_bytes(msg.as_bytes(), policy=policy.default)


def bodies(msg) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


@pytest.mark.parametrize("language", ["en", "zh-HK"])
@pytest.mark.parametrize("purpose", ["sign_in", "register", "invite"])
def test_each_purpose_in_its_language_then_the_other_with_no_unsubscribe(purpose, language):
    row, msg = composed(issued(purpose, language, invited_by="admin@emsd.gov.hk"))
    assert row.kind == f"{purpose}_link" and row.kind in LINK_KINDS
    assert msg["Subject"] == SUBJECTS[(purpose, language)]
    assert msg["X-InnoPortal-Kind"] == row.kind and msg["Content-Language"] == language
    assert msg["To"] == "Chan@archsd.gov.hk" and msg["Message-ID"] and msg["Date"]
    # Transactional: nothing to opt out of, so no List-Unsubscribe and no unsubscribe link.
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    text, html = bodies(msg)
    assert "unsubscribe" not in (text + html).lower() and "manage" not in text + html
    here, there = ("zh-hk", "en") if language == "zh-HK" else ("en", "zh-hk")
    mine = f"{PORTAL}/{here}/sign-in/link?token={TOKEN}&next=%2F{here}%2Fmy%2F"
    # The reader's version first with the link as issued; the other version opens the same
    # one-time link on the portal's page in its own language.
    links = re.findall(r"https://\S+", text)
    assert links[0] == mine and links[1] == mine.replace(f"/{here}/sign-in", f"/{there}/sign-in")
    assert mine.replace("&", "&amp;") in html
    other = "en" if language == "zh-HK" else "zh-HK"
    assert f'<html lang="{language}">' in html and f'<div lang="{other}">' in html
    # Once, for 15 minutes, until a Hong Kong time; ignore it if not asked for, in both versions.
    assert "10:15 on 20 November 2026 (Hong Kong time)" in text
    assert "香港時間 2026年11月20日 10:15" in text
    assert "works once, for 15 minutes" in text and "只可使用一次，有效時間為 15 分鐘" in text
    first, then = ("請忽略本電郵", "ignore this email")[:: 1 if language == "zh-HK" else -1]
    assert 0 <= text.index(first) < text.index(then)


def test_an_invitation_names_the_organisation_the_role_and_who_invited():
    _, msg = composed(issued("invite", "en", org="ArchSD", role="department",
                             invited_by="admin@emsd.gov.hk"))
    text, _ = bodies(msg)
    assert "You will act for ArchSD, a government department or public body." in text
    assert "您將代表政府部門或公營機構「ArchSD」。" in text
    assert "The invitation is from admin@emsd.gov.hk." in text
    _, emsd = composed(issued("invite", "zh-HK", org="EMSD", role="emsd"))
    text, _ = bodies(emsd)
    assert "您將以機電署職員身分代表「EMSD」。" in text and "You will act for EMSD as EMSD staff." in text
    assert "邀請人" not in text and "invitation is from" not in text  # none given, none shown


def test_a_registration_names_the_organisation():
    _, msg = composed(issued("register", "en", org="HKUST", role="provider"))
    text, _ = bodies(msg)
    assert "register HKUST as a solution provider" in text and "把「HKUST」登記為" in text


def test_what_people_typed_is_escaped_in_html():
    _, msg = composed(issued("register", "en", org='<script>alert("x")</script>', role="provider"))
    _, html = bodies(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_one_email_per_issued_link_and_the_key_is_the_event():
    event = issued()
    first, again = link_email(event, portal_url=PORTAL), link_email(event, portal_url=PORTAL)
    assert first == again and first is not None and first.ref == f"link:{event.event_id}"
    assert first.subscription_id is None  # no subscription: nothing can unsubscribe it
    other = link_email(issued(), portal_url=PORTAL)
    assert other is not None and other.ref != first.ref


def test_a_link_off_the_portal_or_a_bad_address_is_not_emailed_and_not_logged(caplog):
    caplog.set_level(logging.DEBUG)
    evil = issued(link=f"https://innoportal.example.evil.hk/en/sign-in/link?token={TOKEN}")
    assert link_email(evil, portal_url=PORTAL) is None
    assert link_email(issued(address="not an address"), portal_url=PORTAL) is None
    spaced = issued(link=f"{PORTAL}/en/sign-in/link?token={TOKEN} https://evil.hk")
    assert link_email(spaced, portal_url=PORTAL) is None
    assert len(caplog.records) == 3
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_expiry_and_hong_kong_time():
    row = link_email(issued(), portal_url=PORTAL)
    assert row is not None and row.context["minutes"] == 15
    assert not link_expired(row.context, NOW + timedelta(minutes=14, seconds=59))
    assert link_expired(row.context, NOW + timedelta(minutes=15))
    assert not link_expired({}, NOW)  # no expiry known: never withheld for it
    late = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # the next day in Hong Kong
    assert hong_kong_time(late, "en") == "00:30 on 1 January 2027"
    assert hong_kong_time(late, "zh-HK") == "2027年1月1日 00:30"


def test_in_language_changes_only_the_portal_language_prefix():
    assert in_language(f"{PORTAL}/en/sign-in/link?token=a", "zh-HK", PORTAL + "/") == \
        f"{PORTAL}/zh-hk/sign-in/link?token=a"
    assert in_language(f"{PORTAL}/zh-hk/sign-in/link?token=en", "en", PORTAL) == \
        f"{PORTAL}/en/sign-in/link?token=en"
    odd = "https://elsewhere.example/en/x"
    assert in_language(odd, "zh-HK", PORTAL) == odd


def test_a_forgotten_link_is_never_composed_again():
    row = link_email(issued(), portal_url=PORTAL)
    assert row is not None
    with pytest.raises(ValueError):
        render_link_email(row.kind, "en", row.recipient, {**row.context, "link_url": None},
                          portal_url=PORTAL)


def test_link_emails_are_counted_by_kind_from_the_start():
    assert set(LINK_KINDS) <= set(KINDS)
    registry = CollectorRegistry()
    NotifierMetrics(registry)
    for kind in LINK_KINDS:
        for counter in ("sent", "failed"):
            name = f"innoportal_notifier_emails_{counter}_total"
            assert registry.get_sample_value(name, {"kind": kind}) == 0
