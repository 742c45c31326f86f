"""EMSD's venue pages: /{lang}/my/venues (every venue, and adding one) and a venue's month
calendar of bookings, /{lang}/my/venues/{id}?month=YYYY-MM."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from contracts import utcnow
from services.portal.adapters.upstream import Rejected, ServiceDown
from services.portal.api.errors import RETRY_AFTER_SECONDS
from services.portal.api.forms import checked_form, csrf_token, fields_of
from services.portal.api.session import EmsdDep, api_token
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.calendar import MonthField, hong_kong_today, month_of
from services.portal.domain.language import Language
from services.portal.domain.queries import check_query
from services.portal.service.my_venues import (
    VENUE_TEXTS,
    Problems,
    add_venue,
    down_notice,
    list_venues,
    problems_of,
    separator_of,
    venue_month,
    venue_path,
)

router = APIRouter(include_in_schema=False)
VENUE_FIELDS = (*VENUE_TEXTS, "concurrent")


def venues_page(request: Request, language: Language, venues: list[dict[str, Any]] | None,
                typed: dict[str, Any], problems: Problems | None = None, status: int = 200,
                notices: list[str] | None = None) -> Response:
    """The venues and the form to add one, filled with `typed`."""
    problems = problems or Problems()
    return render(request, language, "my/venues/list.html", {
        "venues": venues, "typed": typed, "problems": problems.fields,
        "form_messages": problems.other, "notices": notices or []}, status=status,
        headers={"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else None)


@router.get("/{lang:lang}/my/venues")
async def venues(request: Request, language: LanguageDep, upstream: UpstreamDep,
                 actor: EmsdDep) -> Response:
    """Every venue, linked to its calendar, and a form to add one."""
    csrf_token(request)
    return venues_page(request, language, await list_venues(upstream, language.tag), {})


@router.post("/{lang:lang}/my/venues")
async def add(request: Request, language: LanguageDep, upstream: UpstreamDep,
              actor: EmsdDep) -> Response:
    """Add a venue: to its calendar with a notice, or the API's objections beside the fields."""
    typed = fields_of(await checked_form(request), VENUE_FIELDS)
    try:
        venue = await add_venue(upstream, language.tag, api_token(request, actor), typed)
    except Rejected as exc:
        problems = problems_of(exc, lambda name: name if name in VENUE_FIELDS else None,
                               separator_of(language.tag))
        found = await list_venues(upstream, language.tag)
        return venues_page(request, language, found, typed, problems, exc.status)
    except ServiceDown:
        return venues_page(request, language, None, typed, status=503,
                           notices=[down_notice(language)])
    return RedirectResponse(f"/{language.path}/my/venues/{venue['id']}?added=1", status_code=303)


@router.get("/{lang:lang}/my/venues/{venue_id}")
async def venue(request: Request, language: LanguageDep, upstream: UpstreamDep, actor: EmsdDep,
                venue_id: str) -> Response:
    """A venue's month of bookings (this month unless `month` says), each linked to its trial."""
    query = check_query(query_of(request), {"month": MonthField()})
    today = hong_kong_today(utcnow())
    context: dict[str, Any] = {"query": query, "problems": dict(query.problems), "page": None,
                               "added": query_of(request).get("added") == "1"}
    if query.ok:
        month = query.values.get("month") or month_of(today)
        context["page"] = await venue_month(upstream, language.tag, venue_id, month, today)
        context["venue"] = context["page"].venue
    else:
        context["venue"] = await upstream.get("trials", venue_path(venue_id), language=language.tag)
    return render(request, language, "my/venues/show.html", context,
                  status=200 if query.ok else 400)
