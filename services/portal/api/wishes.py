"""The wishes pages: /{lang}/wishes (search, filters, pages), a wish, and /{lang}/propose."""

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.api.listing import list_page
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.language import EN, Language
from services.portal.domain.queries import Choice, Text
from services.portal.domain.records import categories_in
from services.portal.domain.texts import translate
from services.portal.service.survey import sees_candidates, wish_candidates
from services.portal.service.wishes import find_wishes, show_wish, wish_to_propose

router = APIRouter(include_in_schema=False)
STATUSES = ("open", "closed")


LIST_RULES = {
    "q": Text(),
    "category": Choice(CATEGORY_IDS, "input.category"),
    "status": Choice(frozenset(STATUSES), "input.status"),
}


@router.get("/{lang:lang}/wishes")
async def list_wishes(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """Wishes, searchable in English or Chinese, by category and status, a page at a time."""
    return await list_page(
        request, language, "wishes/list.html", rules=LIST_RULES,
        find=lambda filters, page, size: find_wishes(upstream, language.tag, filters, page=page,
                                                     size=size),
        context={"category_options": categories_in(language)})


@router.get("/{lang:lang}/wishes/{wish_id}")
async def wish_page(request: Request, language: LanguageDep, upstream: UpstreamDep,
                    wish_id: str) -> Response:
    """One wish in full, its accepted matches and their field trials; for its department and
    EMSD, the market survey's best candidates too."""
    found = await show_wish(upstream, language.tag, wish_id)
    candidates = None
    if sees_candidates(request.state.actor, found.record):
        candidates = await wish_candidates(upstream, language.tag, found.record["id"])
    return render(request, language, "wishes/show.html", {"page": found, "wish": found.record,
                                                          "candidates": candidates})


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
