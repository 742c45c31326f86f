"""The signed links' tokens as the use cases read them: what a token names, fresh tokens for a
subscription's pages, and the one field error of a bad token."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.errors import FieldError
from services.notifier import repository as repo
from services.notifier.domain import TokenInvalid, issue_token, verify_token
from services.notifier.models import Subscription


def token_error(reason: str | None) -> FieldError:
    """The error naming `token`: missing 422, forged 400, unknown 404, expired or ended 410."""
    if reason is None:
        return FieldError("token", "is required", 422)
    if reason == "token expired" or reason.startswith("subscription is"):
        return FieldError("token", reason, 410)
    if reason == "unknown subscription":
        return FieldError("token", reason, 404)
    return FieldError("token", reason, 400)


def token_subject(secret: str, token: str | None, purpose: str, *, now: datetime) -> tuple[str, str]:
    """("sub", id) or ("email", address) named by a genuine token; FieldError naming `token`."""
    if not token:
        raise token_error(None)
    try:
        claims = verify_token(secret, token, purpose, now)  # type: ignore[arg-type]
    except TokenInvalid as exc:
        raise token_error(exc.reason) from None
    kind, _, value = claims.subject.partition(":")
    if kind not in ("sub", "email") or not value:
        raise token_error("token names nothing")
    return kind, value


async def subscription_by_token(session: AsyncSession, secret: str, token: str | None,
                                purpose: str, *, now: datetime) -> Subscription:
    """The subscription a genuine token names; FieldError if forged, expired or unknown."""
    kind, value = token_subject(secret, token, purpose, now=now)
    sub = await repo.get_subscription(session, value) if kind == "sub" else None
    if sub is None:
        raise token_error("unknown subscription")
    return sub


def subscription_tokens(secret: str, sub_id: str, now: datetime) -> dict[str, str]:
    """Fresh manage and unsubscribe tokens of a subscription (its pages link to each other)."""
    return {purpose: issue_token(secret, purpose, "sub:" + sub_id, now)  # type: ignore[arg-type]
            for purpose in ("manage", "unsubscribe")}
