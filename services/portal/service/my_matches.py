"""EMSD's match queue: the matcher's matches a page at a time, and deciding them through its API.

Every call carries the signed-in person's short-lived token: the matcher decides who may see the
contacts and who may accept or reject, never the portal.
"""

from dataclasses import dataclass
from typing import Any

from services.portal.adapters.upstream import NotFound, Rejected, Upstream
from services.portal.domain.paging import Paging
from services.portal.service.listing import Listing
from services.portal.service.wishes import record_path

SERVICE = "matcher"
STATUSES = ("pending", "accepted", "rejected")
ACTIONS = ("accept", "reject")


async def find_matches(upstream: Upstream, language: str, token: str, *, status: str, page: int,
                       size: int) -> Listing:
    """Page `page` of the matches in `status`, best score first (the matcher's own order)."""
    body = await upstream.get(SERVICE, "/v1/matches", language=language, token=token, params={
        "status": status, "limit": size, "offset": (page - 1) * size})
    return Listing(items=list(body["items"]), paging=Paging(page, size, int(body["total"])))


async def one_match(upstream: Upstream, language: str, token: str,
                    match_id: str) -> dict[str, Any] | None:
    """A match by id, or None when there is no such match (or nothing an id could be)."""
    try:
        return await upstream.get(SERVICE, record_path("matches", match_id, SERVICE),
                                  language=language, token=token)
    except NotFound:
        return None


async def decide(upstream: Upstream, language: str, token: str, match_id: str, action: str,
                 reason: str) -> dict[str, Any]:
    """Accept (`reason` an optional note) or reject (`reason` required) a match.

    Rejected as the matcher says: 422 with the reason's problem, 409 when already decided.
    """
    assert action in ACTIONS
    path = f"{record_path('matches', match_id, SERVICE)}/{action}"
    # The matcher is the one judge of the reason: a blank one is its 422, in the reader's words.
    return await upstream.post(SERVICE, path, json={"reason": reason}, language=language,
                               token=token)


@dataclass(frozen=True)
class Problems:
    """The matcher's objections to a decision: beside the reason field, and any others."""

    fields: dict[str, str]
    other: list[str]


# The matcher's words for a blank reason are a validator's ("at least 1 character"): a person is
# told what to do instead. Its other messages (too long, control characters) are shown as they are.
BLANK = ("missing", "string_too_short")


def problems_of(exc: Rejected, field_id: str, separator: str, blank: str) -> Problems:
    """`reason`'s messages beside the field `field_id` (`blank` when it was left empty);
    whatever names another field, apart."""
    found: list[str] = []
    other: list[str] = []
    for error in exc.errors:
        name, message = str(error.get("field", "")), str(error.get("message", ""))
        if name == "reason":
            found.append(blank if error.get("type") in BLANK else message)
        else:
            other.append(f"{name}: {message}" if name else message)
    if not found and not other:
        other.append(exc.detail or str(exc.status))
    return Problems({field_id: separator.join(found)} if found else {}, other)
