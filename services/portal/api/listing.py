"""A list page: its query read by its rules, one page asked of a service, problems beside fields."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.portal.api.web import query_of, render
from services.portal.domain.language import Language
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Rule, Whole, check_query
from services.portal.service.listing import Listing

# find(filters, page, size): one page of the list, the filters named as the service's API names them.
Find = Callable[[dict[str, Any], int, int], Awaitable[Listing]]


def page_size(request: Request) -> int:
    """Items on a page of a list."""
    return request.app.state.runtime.settings.page_size


async def list_page(request: Request, language: Language, template: str, *,
                    rules: Mapping[str, Rule], find: Find,
                    context: Mapping[str, Any] | None = None) -> Response:
    """The list page: 400 with each problem beside its field, else the page asked for."""
    size = page_size(request)
    query = check_query(query_of(request), {**rules, "page": Whole(1, max_page(size))})
    values: dict[str, Any] = {**(context or {}), "query": query, "listing": None,
                              "problems": dict(query.problems)}
    if query.ok:
        filters = {k: v for k, v in query.values.items() if k != "page"}
        listing = await find(filters, query.values.get("page", 1), size)
        problem = listing.page_problem()
        if problem:
            values["problems"]["page"] = problem
        else:
            values["listing"] = listing
    return render(request, language, template, values,
                  status=400 if values["problems"] else 200)
