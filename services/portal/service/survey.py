"""The market survey and possible duplicates, asked of the matcher: a page of ranked candidates,
the top ones for a wish's owner and EMSD, the CSV for a procurement file, and the records most
like a draft (never in the way of the form: any failure is no answer)."""

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.portal.adapters.upstream import Answer, Upstream, UpstreamError
from services.portal.domain.paging import Paging
from services.portal.service.listing import Listing

log = logging.getLogger("innoportal.portal.survey")
CSV_ROWS = 500  # the matcher's largest page: a procurement file's worth of candidates
CANDIDATES = 5  # shown on a wish's page
SIMILAR = 5  # shown beside a draft
SIMILAR_SECONDS = 2.0  # a check waits no longer than this for the matcher, then shows no panel
DRAFT_FIELDS = ("title_en", "title_zh", "description_en", "description_zh")


@dataclass(frozen=True)
class Candidates:
    """The top candidates of a wish (None: the matcher did not answer) and how many there are."""

    items: list[dict[str, Any]] | None
    total: int = 0


async def find_survey(upstream: Upstream, language: str, filters: Mapping[str, Any], *,
                      page: int, size: int) -> tuple[Listing, float]:
    """Page `page` of the survey `filters` ask for (q or wish_id, category, trl_min), and the
    lowest score it lists."""
    body = await upstream.get("matcher", "/v1/survey", language=language, params={
        **filters, "limit": size, "offset": (page - 1) * size})
    return (Listing(list(body["items"]), Paging(page, size, int(body["total"]))),
            float(body["floor"]))


def sees_candidates(actor: Any, wish: Mapping[str, Any]) -> bool:
    """Whether the signed-in person is EMSD or the wish's own department (the candidates are
    for them: the public sees the wish and its accepted matches)."""
    if actor is None:
        return False
    return actor.role == "emsd" or (actor.role == "department"
                                    and actor.org == wish.get("owner_org"))


async def wish_candidates(upstream: Upstream, language: str, wish_id: str) -> Candidates:
    """The best solutions for a wish; Candidates(None) when the matcher cannot say."""
    try:
        body = await upstream.get("matcher", "/v1/survey", language=language,
                                  params={"wish_id": wish_id, "limit": CANDIDATES})
    except UpstreamError as exc:
        log.info("no survey for wish %s: %s", wish_id, exc)
        return Candidates(None)
    return Candidates(list(body["items"]), int(body["total"]))


async def survey_file(upstream: Upstream, language: str, filters: Mapping[str, Any]) -> Answer:
    """The survey as CSV, its first CSV_ROWS candidates (ServiceDown, NotFound, Rejected)."""
    return await upstream.request("GET", "matcher", "/v1/survey", language=language,
                                  accept="text/csv", params={**filters, "limit": CSV_ROWS})


def has_text(typed: Mapping[str, Any]) -> bool:
    """Whether a draft has any title or description to compare."""
    return any(str(typed.get(name, "")).strip() for name in DRAFT_FIELDS)


async def similar_records(upstream: Upstream, language: str, kind: str,
                          typed: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The existing records most like a draft; None when the matcher cannot say in time."""
    draft = {name: str(typed.get(name, "")).strip() or None for name in DRAFT_FIELDS}
    body = {"kind": kind, "limit": SIMILAR, **draft,
            "categories": [c for c in typed.get("categories", []) if isinstance(c, str)][:5]}
    try:
        found = await asyncio.wait_for(
            upstream.post("matcher", "/v1/similar", json=body, language=language),
            SIMILAR_SECONDS)
    except (UpstreamError, TimeoutError) as exc:
        # A draft the matcher refuses (a bad category typed in by hand) or a matcher away: the
        # form works as before, without the panel.
        log.info("no duplicate check for a draft %s: %s", kind, exc)
        return None
    return list(found["items"])
