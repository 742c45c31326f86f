"""Signed, expiring tokens for the confirm, manage and unsubscribe links (HMAC-SHA256)."""

import base64
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Purpose = Literal["confirm", "manage", "unsubscribe"]
PURPOSES: tuple[str, ...] = ("confirm", "manage", "unsubscribe")

# Confirmation links expire quickly (double opt-in); manage and unsubscribe links sit in old
# emails and must keep working for a long time (RFC 8058 expects the link to stay valid).
DEFAULT_TTL: dict[str, timedelta] = {
    "confirm": timedelta(hours=48),
    "manage": timedelta(days=180),
    "unsubscribe": timedelta(days=400),
}
_VERSION = "1"
_json_string = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


class TokenInvalid(ValueError):
    """The token is malformed, forged, for another purpose, or expired."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says: purpose, subject (a subscription id or email:ADDR), expiry."""

    purpose: str
    subject: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(secret: str | bytes) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(key) < 16:
        raise ValueError("the token secret must be at least 16 bytes")
    return key


def _mac(secret: str | bytes, body: str) -> bytes:
    return hmac.digest(_key(secret), f"{_VERSION}.{body}".encode("ascii"), "sha256")


def issue_token(
    secret: str | bytes,
    purpose: Purpose,
    subject: str,
    now: datetime,
    ttl: timedelta | None = None,
) -> str:
    """A URL-safe token binding purpose, subject and expiry under `secret` (`now` is aware)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    expires = int((now + (ttl or DEFAULT_TTL[purpose])).timestamp())
    # What json.dumps(..., separators=(",", ":")) writes, without its overhead (a token per link).
    payload = f'{{"p":"{purpose}","s":{_json_string(subject)},"e":{expires}}}'
    body = _b64(payload.encode("utf-8"))
    return f"{_VERSION}.{body}.{_b64(_mac(secret, body))}"


def verify_token(
    secret: str | bytes,
    token: str,
    purpose: Purpose,
    now: datetime,
    previous_secrets: tuple[str | bytes, ...] = (),
) -> TokenClaims:
    """The claims of a genuine, unexpired token for `purpose`; raises TokenInvalid otherwise.

    `previous_secrets` lets links signed before a key rotation keep working until they expire.
    """
    # A genuine token is URL-safe ASCII; anything else is malformed (and cannot be MACed).
    if not isinstance(token, str) or not token.isascii() or token.count(".") != 2 \
            or len(token) > 2048:
        raise TokenInvalid("malformed token")
    version, body, sig = token.split(".")
    if version != _VERSION:
        raise TokenInvalid("unknown token version")
    try:
        given = _unb64(sig)
    except (ValueError, TypeError):
        raise TokenInvalid("malformed token") from None
    if not any(hmac.compare_digest(_mac(s, body), given) for s in (secret, *previous_secrets)):
        raise TokenInvalid("forged token")
    try:
        claims = json.loads(_unb64(body))
        got_purpose, subject, expires = claims["p"], claims["s"], int(claims["e"])
    except (ValueError, KeyError, TypeError):
        raise TokenInvalid("malformed token") from None
    if got_purpose != purpose:
        raise TokenInvalid(f"token is for {got_purpose}, not {purpose}")
    if now.timestamp() >= expires:
        raise TokenInvalid("token expired")
    return TokenClaims(got_purpose, subject, datetime.fromtimestamp(expires, tz=UTC))
