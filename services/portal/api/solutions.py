"""The solutions pages: /{lang}/solutions (search, filters, pages) and /{lang}/solutions/{id}."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain import trl
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Choice, Problem, Text, Whole, check_query
from services.portal.domain.records import categories_in
from services.portal.service.solutions import find_solutions, show_solution

router = APIRouter(include_in_schema=False)


def list_rules(size: int) -> dict:
    """What the catalogue's search form accepts."""
    return {
        "q": Text(),
        "category": Choice(CATEGORY_IDS, "input.category"),
        "trl_min": Whole(trl.LOWEST, trl.HIGHEST, "input.trl"),
        "page": Whole(1, max_page(size)),
    }


@router.get("/{lang:lang}/solutions")
async def list_solutions(request: Request, language: LanguageDep,
                         upstream: UpstreamDep) -> Response:
    """The catalogue, searchable in either language, by category and readiness, a page at a time."""
    size = request.app.state.runtime.settings.page_size
    query = check_query(query_of(request), list_rules(size))
    context = {"query": query, "category_options": categories_in(language),
               "trl_options": trl.at_least_options(language),
               "trl_levels": [trl.described(level, language) for level in trl.LEVELS],
               "listing": None,
               "problems": dict(query.problems)}
    if query.ok:
        filters = {k: v for k, v in query.values.items() if k != "page"}
        listing = await find_solutions(upstream, language.tag, filters,
                                       page=query.values.get("page", 1), size=size)
        if listing.beyond_end and listing.paging.total:
            context["problems"]["page"] = Problem(
                "input.page_beyond", {"page": listing.paging.number, "last": listing.paging.last})
        else:
            context["listing"] = listing
    status = 400 if context["problems"] else 200
    return render(request, language, "solutions/list.html", context, status=status)


@router.get("/{lang:lang}/solutions/{solution_id}")
async def solution_page(request: Request, language: LanguageDep, upstream: UpstreamDep,
                        solution_id: str) -> Response:
    """One solution in full: its readiness, the wish it answers, accepted matches and trials."""
    found = await show_solution(upstream, language.tag, solution_id)
    level = found.record.get("trl")
    return render(request, language, "solutions/show.html", {
        "page": found, "solution": found.record,
        "trl_text": trl.described(level, language) if isinstance(level, int) else ""})
