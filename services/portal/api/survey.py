"""The market survey: /{lang}/survey (words or a wish, category and readiness filters, pages)
and /survey.csv, the same survey for a procurement file, served from the portal's own origin."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.categories import CATEGORY_IDS
from services.portal.adapters.upstream import ServiceDown, Upstream
from services.portal.api.errors import error_page
from services.portal.api.listing import page_size
from services.portal.api.reports import FILE_HEADERS
from services.portal.api.web import LanguageDep, UpstreamDep, page_url, query_of, render
from services.portal.domain import trl
from services.portal.domain.language import Language
from services.portal.domain.paging import max_page
from services.portal.domain.queries import Checked, Choice, Text, Whole, check_query
from services.portal.domain.records import categories_in
from services.portal.domain.texts import translate
from services.portal.service.gather import settle
from services.portal.service.survey import CSV_ROWS, find_survey, survey_file
from services.portal.service.wishes import record_path, unless_missing

router = APIRouter(include_in_schema=False)
MAX_WORDS = 500  # a need in a few sentences (the matcher takes up to 2,000 characters)
RULES = {
    "q": Text(MAX_WORDS),
    "wish_id": Text(40),
    "category": Choice(CATEGORY_IDS, "input.category"),
    "trl_min": Whole(trl.LOWEST, trl.HIGHEST, "input.trl"),
}


def survey_filters(query: Checked) -> dict[str, Any]:
    """What the matcher is asked: a wish's survey or the words (a wish wins), and the filters."""
    filters = {k: v for k, v in query.values.items() if k != "page"}
    if "wish_id" in filters:
        filters.pop("q", None)
    return filters


async def _asked(upstream: Upstream, language: Language, filters: dict[str, Any], page: int,
                 size: int) -> tuple[Any, dict[str, Any] | None]:
    """The survey's page and, for a wish's survey, the wish (None if it cannot be read)."""
    calls = {"survey": find_survey(upstream, language.tag, filters, page=page, size=size)}
    if "wish_id" in filters:
        path = record_path("wishes", filters["wish_id"], "wishes")
        calls["wish"] = unless_missing(upstream.get("wishes", path, language=language.tag))
    found, _ = await settle(calls)
    if found["survey"] is None:
        raise ServiceDown("matcher", "the survey could not be read")
    return found["survey"], found.get("wish")


@router.get("/{lang:lang}/survey")
async def survey_page(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """The market survey: solutions ranked for a need in words or for a wish, a page at a time."""
    size = page_size(request)
    query = check_query(query_of(request), {**RULES, "page": Whole(1, max_page(size))})
    values: dict[str, Any] = {
        "query": query, "listing": None, "problems": dict(query.problems), "wish": None,
        "floor": 0.0, "csv_url": "", "csv_rows": CSV_ROWS, "max_words": MAX_WORDS,
        "category_options": categories_in(language),
        "trl_options": trl.at_least_options(language)}
    filters = survey_filters(query)
    if query.ok and ("q" in filters or "wish_id" in filters):
        (listing, floor), wish = await _asked(upstream, language, filters,
                                              query.values.get("page", 1), size)
        problem = listing.page_problem()
        if problem:
            values["problems"]["page"] = problem
        else:
            values.update(listing=listing, floor=floor, wish=wish,
                          csv_url=page_url(f"/{language.path}/survey.csv", filters))
    return render(request, language, "survey/page.html", values,
                  status=400 if values["problems"] else 200)


LABELS = {"q": "survey.q", "wish_id": "survey.for_wish", "category": "category.label",
          "trl_min": "solutions.trl_min"}


@router.get("/{lang:lang}/survey.csv")
async def survey_csv(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """The survey as CSV (UTF-8 with a BOM, formulas neutralised by the matcher's one rule),
    each line linked to its page in this language."""
    query = check_query(query_of(request), RULES)
    filters = survey_filters(query)
    if not query.ok or not ("q" in filters or "wish_id" in filters):
        messages = [translate("form.labelled", language, label=translate(LABELS[name], language),
                              message=translate(p.key, language, **p.values))
                    for name, p in query.problems.items()] or [translate("survey.start", language)]
        return error_page(request, 400, "error.bad_request.title", messages=messages)
    answer = await survey_file(upstream, language.tag, filters)
    disposition = answer.headers.get("content-disposition",
                                     'attachment; filename="innoportal-survey.csv"')
    return Response(answer.content, media_type="text/csv; charset=utf-8",
                    headers={**FILE_HEADERS, "Content-Disposition": disposition})
