"""The solutions pages: /{lang}/solutions (search, filters, pages) and /{lang}/solutions/{id}."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.api.listing import list_page
from services.portal.api.web import LanguageDep, UpstreamDep, render
from services.portal.domain import trl
from services.portal.domain.queries import Choice, Text, Whole
from services.portal.domain.records import categories_in
from services.portal.service.solutions import find_solutions, show_solution

router = APIRouter(include_in_schema=False)


LIST_RULES = {
    "q": Text(),
    "category": Choice(CATEGORY_IDS, "input.category"),
    "trl_min": Whole(trl.LOWEST, trl.HIGHEST, "input.trl"),
}


@router.get("/{lang:lang}/solutions")
async def list_solutions(request: Request, language: LanguageDep,
                         upstream: UpstreamDep) -> Response:
    """The catalogue, searchable in either language, by category and readiness, a page at a time."""
    return await list_page(
        request, language, "solutions/list.html", rules=LIST_RULES,
        find=lambda filters, page, size: find_solutions(upstream, language.tag, filters,
                                                        page=page, size=size),
        context={"category_options": categories_in(language),
                 "trl_options": trl.at_least_options(language),
                 "trl_levels": [trl.described(level, language) for level in trl.LEVELS]})


@router.get("/{lang:lang}/solutions/{solution_id}")
async def solution_page(request: Request, language: LanguageDep, upstream: UpstreamDep,
                        solution_id: str) -> Response:
    """One solution in full: its readiness, the wish it answers, accepted matches and trials."""
    found = await show_solution(upstream, language.tag, solution_id)
    level = found.record.get("trl")
    return render(request, language, "solutions/show.html", {
        "page": found, "solution": found.record,
        "trl_text": trl.described(level, language) if isinstance(level, int) else ""})
