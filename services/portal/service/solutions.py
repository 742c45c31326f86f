"""The solutions pages: the searchable catalogue, and one solution with its matches and trials."""

from typing import Any

from innoportal.fields import is_record_id

from services.portal.adapters.upstream import ServiceDown, Upstream
from services.portal.service.gather import settle
from services.portal.service.listing import Listing, fetch_page
from services.portal.service.wishes import (
    RecordView,
    accepted_matches,
    merge_down,
    record_path,
    trial_calls,
    unless_missing,
    with_trials,
)


async def find_solutions(upstream: Upstream, language: str, filters: dict[str, Any], *,
                         page: int, size: int) -> Listing:
    """Solutions by `filters` (q in either language, category, trl_min), newest or best first."""
    return await fetch_page(upstream, "solutions", "/v1/solutions", filters=filters, number=page,
                            size=size, language=language)


async def show_solution(upstream: Upstream, language: str, solution_id: str) -> RecordView:
    """A solution, the wish it answers, its accepted matches and their trials.

    Only the solutions service is needed: without the others the page says what is missing.
    """
    path = record_path("solutions", solution_id, "solutions")
    first, down = await settle({
        "solution": upstream.get("solutions", path, language=language),
        "matches": accepted_matches(upstream, language, "solution", solution_id),
    })
    solution = first["solution"]
    if solution is None:
        raise ServiceDown("solutions", "the solution could not be read")
    calls = trial_calls(upstream, language, first["matches"])
    wish_id = solution.get("wish_id")
    if wish_id and is_record_id(wish_id):
        calls["wish"] = unless_missing(
            upstream.get("wishes", record_path("wishes", wish_id, "wishes"), language=language))
    second, more = await settle(calls)
    return RecordView(solution, with_trials(first["matches"], second),
                      merge_down(down, more), wish=second.get("wish"))
