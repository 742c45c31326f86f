"""The wishes pages: /{lang}/wishes (search, filters, pages), a wish, and /{lang}/propose."""

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.language import EN, Language
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Choice, Problem, Text, Whole, check_query
from services.portal.domain.records import categories_in
from services.portal.domain.texts import translate
from services.portal.service.wishes import find_wishes, show_wish, wish_to_propose

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


@router.get("/{lang:lang}/wishes/{wish_id}")
async def wish_page(request: Request, language: LanguageDep, upstream: UpstreamDep,
                    wish_id: str) -> Response:
    """One wish in full, its accepted matches and their field trials."""
    found = await show_wish(upstream, language.tag, wish_id)
    return render(request, language, "wishes/show.html", {"page": found, "wish": found.record})


@router.get("/{lang:lang}/propose")
async def propose(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """How to propose a solution, to one wish (`wish_id`) or to the catalogue."""
    wish_id = query_of(request).get("wish_id", "").strip()
    wish = await wish_to_propose(upstream, language.tag, wish_id) if wish_id else None
    open_wish = wish if wish and wish.get("status") == "open" else None
    return render(request, language, "propose.html", {
        "wish": wish, "open_wish": open_wish,
        "solutions_api": upstream.urls["solutions"] + "/v1/solutions",
        "example": example_body(open_wish, language)})


def example_body(wish: dict[str, Any] | None, language: Language) -> str:
    """A solution to submit, as JSON in the reader's language (to `wish` if it takes proposals)."""
    suffix = "en" if language is EN else "zh"
    body: dict[str, Any] = {
        f"title_{suffix}": translate("propose.example_title", language),
        f"description_{suffix}": translate("propose.example_description", language),
        "categories": list((wish or {}).get("categories") or ["iot-sensors"])[:5],
        "contact_email": "you@example.org",
        "trl": 6,
    }
    if wish:
        body["wish_id"] = wish["id"]
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items()]
    return "{\n" + ",\n".join(lines) + "\n}"
