"""The wishes pages: /{lang}/wishes (search, filters, pages) and /{lang}/wishes/{id}."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Choice, Problem, Text, Whole, check_query
from services.portal.domain.records import categories_in
from services.portal.service.wishes import find_wishes

router = APIRouter(include_in_schema=False)
STATUSES = ("open", "closed")


def list_rules(size: int) -> dict:
    """What the wishes search form accepts."""
    return {
        "q": Text(),
        "category": Choice(CATEGORY_IDS, "input.category"),
        "status": Choice(frozenset(STATUSES), "input.status"),
        "page": Whole(1, max_page(size)),
    }


@router.get("/{lang:lang}/wishes")
async def list_wishes(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """Wishes, searchable in English or Chinese, by category and status, a page at a time."""
    size = request.app.state.runtime.settings.page_size
    query = check_query(query_of(request), list_rules(size))
    context = {"query": query, "category_options": categories_in(language), 
               "listing": None, "problems": dict(query.problems)}
    if query.ok:
        filters = {k: v for k, v in query.values.items() if k != "page"}
        listing = await find_wishes(upstream, language.tag, filters,
                                    page=query.values.get("page", 1), size=size)
        if listing.beyond_end and listing.paging.total:
            context["problems"]["page"] = Problem(
                "input.page_beyond", {"page": listing.paging.number, "last": listing.paging.last})
        else:
            context["listing"] = listing
    status = 400 if context["problems"] else 200
    return render(request, language, "wishes/list.html", context, status=status)
