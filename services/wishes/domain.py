"""Wish rules, free of any framework: what makes a wish valid, who may close it."""

from datetime import date

from innoportal.errors import FieldError


def closing_date_errors(closes_on: date | None, today: date) -> list[tuple[str, str]]:
    """A closing date must not be in the past (`today` in Hong Kong)."""
    if closes_on is not None and closes_on < today:
        return [("closes_on", f"must be today ({today.isoformat()}) or later")]
    return []


def check_close(*, owner_org: str, status: str, by_org: str) -> None:
    """Raise FieldError unless `by_org` may close a wish owned by `owner_org` that is `status`."""
    if by_org != owner_org:
        raise FieldError("owner_org", f"only {owner_org}, which posted this wish, may close it",
                         status=403)
    if status == "closed":
        raise FieldError("status", "the wish is already closed", status=409)
