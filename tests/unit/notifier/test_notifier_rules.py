"""Subscription validation: every bad field is named, header injection refused."""

import pytest

from innoportal.errors import FieldError
from services.notifier.domain import header_safe, validate_subscription


def errors_of(data):
    with pytest.raises(FieldError) as info:
        validate_subscription(data)
    assert info.value.status == 422
    return dict(info.value.errors)


def test_valid_rules_are_normalised():
    rules = validate_subscription({
        "email": "Ada.Lovelace@EMSD.GOV.HK", "categories": ["iot-sensors", "AI-Data-Analytics", "iot-sensors"],
        "keywords": [" Lift  maintenance ", "升降機", "lift maintenance", ""], "language": "zh-hk",
        "frequency": "weekly", "receive_reports": True,
    })
    assert rules.email == "Ada.Lovelace@emsd.gov.hk"
    assert rules.categories == ("ai-data-analytics", "iot-sensors")
    assert rules.keywords == ("Lift maintenance", "升降機")
    assert (rules.language, rules.frequency, rules.receive_reports) == ("zh-HK", "weekly", True)


@pytest.mark.parametrize("address, fragment", [
    ("not-an-address", "not a valid email address"),
    ("a@b\r\nBcc: victim@example.org", "CR or LF"),
    ("x@example.org\n", "CR or LF"),
    ("", "required"),
])
def test_bad_addresses_name_the_email_field(address, fragment):
    assert fragment in errors_of({"email": address, "categories": ["iot-sensors"]})["email"]


def test_every_bad_field_is_reported_at_once():
    errors = errors_of({
        "email": "ok@example.org", "categories": ["iot-sensors", "quantum-magic"],
        "keywords": ["fine", "bad\rword", 7, "x"], "language": "fr", "frequency": "hourly",
        "receive_reports": "yes",
    })
    assert "unknown category 'quantum-magic'" in errors["categories[1]"]
    assert "CR or LF" in errors["keywords[1]"]
    assert errors["keywords[2]"] == "must be text"
    assert "at least two" in errors["keywords[3]"]
    assert set(errors) >= {"language", "frequency", "receive_reports"}


def test_a_subscription_must_ask_for_something():
    assert "at least one" in errors_of({"email": "ok@example.org"})["categories"]


def test_header_safe_removes_line_breaks_and_caps_length():
    assert header_safe("Lift\r\nBcc: x@y.z\tfault") == "Lift Bcc: x@y.z fault"
    assert len(header_safe("字" * 500, 100)) == 100
