"""Solution rules, free of any framework."""


def wish_link_errors(wish_id: str | None, wish_status: str | None) -> list[tuple[str, str]]:
    """A solution submitted for a wish must name a wish that exists and is open."""
    if wish_id is None:
        return []
    if wish_status is None:
        return [("wish_id", f"no wish {wish_id!r} is known")]
    if wish_status != "open":
        return [("wish_id", f"wish {wish_id!r} is closed and takes no more solutions")]
    return []
