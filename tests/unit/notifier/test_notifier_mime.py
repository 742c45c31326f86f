"""The MIME writer produces messages the standard library parses without defects."""

import email
from email import policy

import pytest

from services.notifier.emails.mime import build_alternative, encode_header

HEADERS = [("From", "E&M InnoPortal <noreply@innoportal.example>"), ("To", "a@example.org"),
           ("Subject", "實地試驗表現報告已發佈：升降機監測（Lift fault prediction）" * 3),
           ("Message-ID", "<abc@innoportal.example>")]


def parse(data: bytes):
    return email.message_from_bytes(data, policy=policy.default)


def test_long_chinese_subjects_fold_into_short_encoded_words_and_decode_back():
    msg = parse(build_alternative(HEADERS, "text", "<p>html</p>"))
    assert msg["Subject"] == HEADERS[2][1]
    raw = build_alternative(HEADERS, "t", "h").decode("ascii")
    assert all(len(line) <= 78 for line in raw.split("\r\n") if line.startswith((" =?", "Subject")))


def test_bodies_round_trip_with_the_right_transfer_encoding():
    text = "升降機 lift “quotes” " + "x" * 1200  # non-ASCII and a line longer than 998
    msg = parse(build_alternative(HEADERS, text, "<p>plain ascii</p>"))
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain.get_content().rstrip("\r\n") == text and plain["Content-Transfer-Encoding"] == "base64"
    assert html.get_content().strip() == "<p>plain ascii</p>" and html["Content-Transfer-Encoding"] == "7bit"
    assert not msg.defects and not plain.defects and not html.defects
    assert b"\n" not in build_alternative(HEADERS, "a\nb", "c").replace(b"\r\n", b"")


def test_the_boundary_never_occurs_in_a_body():
    first = build_alternative(HEADERS, "x", "y").decode()
    boundary = first.split('boundary="')[1].split('"')[0]
    msg = parse(build_alternative(HEADERS, f"--{boundary}\r\ninjected", "y"))
    assert f"--{boundary}" in msg.get_body(("plain",)).get_content()


def test_header_values_with_line_breaks_are_refused():
    with pytest.raises(ValueError):
        encode_header("Lift\r\nBcc: x@y.z")
    assert encode_header("plain ascii") == "plain ascii"
