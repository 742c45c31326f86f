"""Solution rules, free of any framework."""

import re

# Ids are short printable ASCII ("s-" or "w-" and hex); anything else names no record and must
# not reach the database (PostgreSQL refuses NUL in text).
ID_PATTERN = r"^[!-~]{1,40}$"
_ID = re.compile(ID_PATTERN)


def is_possible_id(value: str) -> bool:
    """Whether `value` could be the id of a stored record."""
    return _ID.fullmatch(value) is not None


def wish_link_errors(wish_id: str | None, wish_status: str | None) -> list[tuple[str, str]]:
    """A solution submitted for a wish must name a wish that exists and is open."""
    if wish_id is None:
        return []
    if wish_status is None:
        return [("wish_id", f"no wish {wish_id!r} is known")]
    if wish_status != "open":
        return [("wish_id", f"wish {wish_id!r} is closed and takes no more solutions")]
    return []
