"""What an email is about (an item), as the consumed events describe it: keys and stored contexts."""

from typing import Any

from contracts import Event, MatchDecided, Matched, TrialCompleted, TrialTerminated, WishPosted

DESCRIPTION_CHARS = 1500  # an alert quotes the start of the description, not all of it
_ENVELOPE = {"event_id", "occurred_at", "schema_version"}


def wish_item_key(wish_id: str) -> str:
    """The item key (and alert ref) of a wish: one alert per wish per address, ever."""
    return f"wish:{wish_id}"


def wish_context(event: WishPosted) -> dict[str, Any]:
    """What the emails show of a wish (its descriptions shortened)."""
    ctx = event.wish.model_dump(mode="json", include={
        "id", "title_en", "title_zh", "description_en", "description_zh", "categories",
        "owner_org", "closes_on", "budget_hkd"})
    for k in ("description_en", "description_zh"):
        if ctx.get(k) and len(ctx[k]) > DESCRIPTION_CHARS:
            ctx[k] = ctx[k][: DESCRIPTION_CHARS - 1] + "…"
    return ctx


def wish_payload(event: WishPosted) -> dict[str, Any]:
    """What matching needs of a wish, kept whole (the stored context shortens descriptions)."""
    w = event.wish
    return {"categories": list(w.categories),
            "texts": [w.title_en, w.title_zh, w.description_en, w.description_zh]}


def event_context(event: Event) -> dict[str, Any]:
    """An event's fields as an item's stored context (without its envelope)."""
    return event.model_dump(mode="json", exclude=_ENVELOPE)


def match_item(event: Matched | MatchDecided) -> tuple[str, str, str]:
    """(email kind, item key, item kind) of a match found or decided."""
    if isinstance(event, MatchDecided):
        return "match_decided", f"match:{event.match_id}:{event.decision}", "match_decision"
    return "match_found", f"match:{event.match_id}", "match"


def trial_item(event: TrialCompleted | TrialTerminated) -> tuple[str, str]:
    """(email kind, item key) of a trial's end: a report version, or its termination."""
    if isinstance(event, TrialCompleted):
        return "trial_completed", f"trial:{event.trial_id}:report:{event.report_version}"
    return "trial_terminated", f"trial:{event.trial_id}:terminated"
