"""Signed link tokens: genuine ones verify; forged, misused or expired ones never do."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.domain import TokenInvalid, issue_token, verify_token

SECRET = "a-secret-that-is-long-enough"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_a_genuine_token_round_trips():
    token = issue_token(SECRET, "confirm", "sub:abc", NOW)
    claims = verify_token(SECRET, token, "confirm", NOW + timedelta(hours=47))
    assert (claims.purpose, claims.subject) == ("confirm", "sub:abc")
    assert claims.expires_at == NOW + timedelta(hours=48)


def test_confirm_tokens_expire_and_unsubscribe_tokens_last():
    confirm = issue_token(SECRET, "confirm", "sub:abc", NOW)
    with pytest.raises(TokenInvalid, match="expired"):
        verify_token(SECRET, confirm, "confirm", NOW + timedelta(hours=48))
    unsubscribe = issue_token(SECRET, "unsubscribe", "sub:abc", NOW)
    assert verify_token(SECRET, unsubscribe, "unsubscribe", NOW + timedelta(days=300)).subject == "sub:abc"


def _swap_payload(token: str, other: str) -> str:
    version, _, sig = token.split(".")
    return ".".join([version, other.split(".")[1], sig])


def test_forgeries_are_rejected():
    token = issue_token(SECRET, "manage", "sub:abc", NOW)
    other = issue_token(SECRET, "manage", "sub:victim", NOW)
    with pytest.raises(TokenInvalid, match="forged"):
        verify_token(SECRET, _swap_payload(token, other), "manage", NOW)
    with pytest.raises(TokenInvalid, match="forged"):
        verify_token("another-secret-long-enough", token, "manage", NOW)
    with pytest.raises(TokenInvalid, match="forged"):
        verify_token(SECRET, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "manage", NOW)
    for junk in ("", "abc", "1.2", "1.a.b.c", "2." + token[2:], "1.!!!.###"):
        with pytest.raises(TokenInvalid):
            verify_token(SECRET, junk, "manage", NOW)


def test_a_token_only_serves_its_purpose():
    token = issue_token(SECRET, "confirm", "sub:abc", NOW)
    with pytest.raises(TokenInvalid, match="not unsubscribe"):
        verify_token(SECRET, token, "unsubscribe", NOW)


def test_links_survive_a_key_rotation_through_previous_secrets():
    token = issue_token("the-old-secret-long-enough", "unsubscribe", "email:a@b.hk", NOW)
    claims = verify_token(SECRET, token, "unsubscribe", NOW, previous_secrets=("the-old-secret-long-enough",))
    assert claims.subject == "email:a@b.hk"


def test_short_secrets_are_refused():
    with pytest.raises(ValueError):
        issue_token("short", "confirm", "sub:x", NOW)
