"""The wishes pages: the list, one wish with its accepted matches and trials, and proposing."""

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

from innoportal.fields import is_record_id
from services.portal.adapters.upstream import NotFound, ServiceDown, Upstream
from services.portal.service.gather import settle
from services.portal.service.listing import Listing, fetch_page

T = TypeVar("T")
MOST_MATCHES = 100  # accepted matches shown on one record's page (the APIs' largest page)
MOST_TRIALS = 100  # trials of one match


@dataclass(frozen=True)
class Accepted:
    """An accepted match of the record, and the field trials arranged for it (None: not known)."""

    match: dict[str, Any]
    trials: list[dict[str, Any]] | None


@dataclass(frozen=True)
class RecordView:
    """A record's page: the record, its accepted matches (None: not known), the services down."""

    record: dict[str, Any]
    matches: list[Accepted] | None
    down: list[str] = field(default_factory=list)
    wish: dict[str, Any] | None = None  # the wish a solution was submitted for


async def find_wishes(upstream: Upstream, language: str, filters: dict[str, Any], *, page: int,
                      size: int) -> Listing:
    """Wishes matching `filters` (q in either language, category, status), newest or best first."""
    return await fetch_page(upstream, "wishes", "/v1/wishes", filters=filters, number=page,
                            size=size, language=language)


def record_path(collection: str, record_id: str, service: str) -> str:
    """The API path of one record; NotFound for what cannot be an id (never sent to the service)."""
    if not is_record_id(record_id):
        raise NotFound(service, f"no record {record_id[:50]!r}")
    return f"/v1/{collection}/{quote(record_id, safe='')}"


async def unless_missing(call: Awaitable[T]) -> T | None:
    """The call's answer, or None when the record it asks for does not exist."""
    try:
        return await call
    except NotFound:
        return None


def accepted_matches(upstream: Upstream, language: str, side: str,
                     record_id: str) -> Awaitable[Any]:
    """The accepted matches of a wish or solution (`side`), best score first."""
    return upstream.get("matcher", "/v1/matches", language=language, params={
        f"{side}_id": record_id, "status": "accepted", "limit": MOST_MATCHES})


def trial_calls(upstream: Upstream, language: str, matches: Any) -> dict[str, Awaitable[Any]]:
    """One call per accepted match for its trials, keyed `trials <match id>`."""
    return {f"trials {m['id']}": upstream.get("trials", "/v1/trials", language=language, params={
        "match_id": m["id"], "limit": MOST_TRIALS}) for m in _items(matches)}


def with_trials(matches: Any, answers: Mapping[str, Any]) -> list[Accepted] | None:
    """Each accepted match beside its trials, from the answers of `trial_calls`."""
    if matches is None:
        return None
    out = []
    for match in _items(matches):
        trials = answers.get(f"trials {match['id']}")
        out.append(Accepted(match, None if trials is None else list(trials["items"])))
    return out


def _items(page: Any) -> list[dict[str, Any]]:
    return list(page["items"]) if page else []


def merge_down(*lists: list[str]) -> list[str]:
    """The services named in any of `lists`, once each, in order."""
    out: list[str] = []
    for name in (n for found in lists for n in found):
        if name not in out:
            out.append(name)
    return out


async def show_wish(upstream: Upstream, language: str, wish_id: str) -> RecordView:
    """A wish, its accepted matches and their trials; ServiceDown only if the wish cannot be read."""
    path = record_path("wishes", wish_id, "wishes")
    first, down = await settle({
        "wish": upstream.get("wishes", path, language=language),
        "matches": accepted_matches(upstream, language, "wish", wish_id),
    })
    if first["wish"] is None:
        raise ServiceDown("wishes", "the wish could not be read")
    second, more = await settle(trial_calls(upstream, language, first["matches"]))
    return RecordView(first["wish"], with_trials(first["matches"], second), merge_down(down, more))


async def wish_to_propose(upstream: Upstream, language: str, wish_id: str) -> dict[str, Any]:
    """The wish a solution would be proposed to (NotFound, ServiceDown as the service says)."""
    return await upstream.get("wishes", record_path("wishes", wish_id, "wishes"), language=language)
