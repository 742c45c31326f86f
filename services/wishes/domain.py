"""Wish rules, free of any framework: what makes a wish valid, who may close it."""

from datetime import date


class WishError(Exception):
    """A rule of wishes was broken."""


class NotOwner(WishError):
    """Only the department that posted a wish may close it."""


class AlreadyClosed(WishError):
    """A closed wish cannot be closed again."""


def closing_date_errors(closes_on: date | None, today: date) -> list[tuple[str, str]]:
    """A closing date must not be in the past (`today` in Hong Kong)."""
    if closes_on is not None and closes_on < today:
        return [("closes_on", f"must be today ({today.isoformat()}) or later")]
    return []


def check_close(*, owner_org: str, status: str, by_org: str) -> None:
    """Raise unless `by_org` may close a wish owned by `owner_org` that is `status`."""
    if by_org != owner_org:
        raise NotOwner(f"only {owner_org}, which posted this wish, may close it")
    if status == "closed":
        raise AlreadyClosed("the wish is already closed")
