"""INNOPORTAL_MAIL_FROM with a display name in any script: the From header keeps its address.

The display name used to be encoded twice (formataddr, then the MIME writer encoded the encoded
words again), leaving a From header with no address in it.
"""

import email
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import Address

import pytest

from innoportal.settings import CommonSettings
from services.notifier.emails import Composer

SECRET = "unit-test-secret-long-enough"
PORTAL = "https://innoportal.example/"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
WISH = {"id": "w-1", "title_en": "Lift fault prediction", "categories": [], "owner_org": "EMSD"}
LONG = "機電工程署網上創新科技協作平台（E&M InnoPortal）通知" * 2


CONTEXTS = {"wish_alert": {"reasons": {}}, "confirmation": {"subscription_id": "sub-1"}}


def sent(sender: str, kind: str = "wish_alert"):
    composer = Composer(SECRET, PORTAL, sender)
    msg = composer.compose(kind=kind, recipient="r@example.org", ref="w-1", language="zh-HK",
                           now=NOW, subscription_id="sub-1", context=CONTEXTS[kind],
                           items={"wish:w-1": WISH}, item_key="wish:w-1")
    return msg.data, email.message_from_bytes(msg.data, policy=policy.default)


@pytest.mark.parametrize("sender, name, address", [
    ("機電署 <alerts@emsd.gov.hk>", "機電署", "alerts@emsd.gov.hk"),
    ('"機電署, EMSD" <alerts@emsd.gov.hk>', "機電署, EMSD", "alerts@emsd.gov.hk"),
    (f"{LONG} <alerts@emsd.gov.hk>", LONG, "alerts@emsd.gov.hk"),
    ("Ünïcode Alerts <alerts@emsd.gov.hk>", "Ünïcode Alerts", "alerts@emsd.gov.hk"),
])
def test_a_non_ascii_display_name_is_encoded_once_and_the_address_kept(sender, name, address):
    data, msg = sent(sender)
    (found,) = msg["From"].addresses
    assert found.addr_spec == address and not msg["From"].defects and not msg.defects
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")  # every header is ASCII on the wire
    raw_from = head.removeprefix("From: ").split("\r\nTo: ", 1)[0]
    assert head.startswith("From: ") and f"<{address}>" in raw_from and "=?utf-8?" in raw_from
    # RFC 2047 decoding (which ignores the folding between encoded words) gives the name back.
    assert str(make_header(decode_header(raw_from))) == f"{name} <{address}>"
    assert all(len(line) <= 78 for line in ("From: " + raw_from).split("\r\n"))  # folded
    assert msg["Message-ID"].endswith("@emsd.gov.hk>")  # the Message-ID's domain is the sender's


def test_an_ascii_sender_is_written_as_before():
    data, msg = sent("E&M InnoPortal <noreply@innoportal.example>")
    assert data.startswith(b"From: E&M InnoPortal <noreply@innoportal.example>\r\n")
    data, msg = sent("noreply@innoportal.example")
    assert data.startswith(b"From: noreply@innoportal.example\r\n")
    data, msg = sent('"Smith, J." <j@innoportal.example>')
    assert msg["From"].addresses == (Address("Smith, J.", addr_spec="j@innoportal.example"),)


def test_the_setting_as_operators_write_it_reaches_every_kind_of_email(monkeypatch):
    monkeypatch.setenv("INNOPORTAL_MAIL_FROM", "機電署 <alerts@emsd.gov.hk>")
    sender = CommonSettings().mail_from
    for kind in CONTEXTS:
        _, msg = sent(sender, kind)
        assert msg["From"].addresses == (Address("機電署", addr_spec="alerts@emsd.gov.hk"),), kind


def test_a_sender_without_an_address_is_refused_at_once():
    for bad in ("", "a@example.org, b@example.org"):
        with pytest.raises(ValueError):
            Composer(SECRET, PORTAL, bad)
