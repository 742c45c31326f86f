"""The reports pages: /{lang}/reports (by verdict, a page at a time), /{lang}/reports/{trial_id}
(one version, its charts), and the report's PDF and JSON served from the portal's own origin."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.upstream import Answer, NotFound
from services.portal.api.errors import error_page, reader_language
from services.portal.api.listing import list_page
from services.portal.api.web import LanguageDep, UpstreamDep, query_of, render
from services.portal.domain.language import Language
from services.portal.domain.queries import Choice, Whole, check_query
from services.portal.domain.records import shown
from services.portal.domain.texts import translate
from services.portal.service.reports import (
    DOWNLOADS,
    MAX_VERSION,
    VERDICTS,
    find_reports,
    report_chart,
    report_file,
    show_report,
)

router = APIRouter(include_in_schema=False)
VERSION_RULES = {"version": Whole(1, MAX_VERSION, "report.input.version")}
MAX_CHARTS = 20  # a trial has at most 20 KPIs
# Images and downloads load nothing and run nothing, wherever they are opened.
FILE_HEADERS = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff"}


LIST_RULES = {"verdict": Choice(frozenset(VERDICTS), "report.input.verdict")}


@router.get("/{lang:lang}/reports")
async def list_reports(request: Request, language: LanguageDep, upstream: UpstreamDep) -> Response:
    """Published reports, newest first, filtered by verdict, a page at a time."""
    verdicts = [(v, translate(f"report.verdict.{v}", language)) for v in VERDICTS]
    return await list_page(
        request, language, "reports/list.html", rules=LIST_RULES,
        find=lambda filters, page, size: find_reports(upstream, language.tag, filters, page=page,
                                                      size=size),
        context={"verdict_options": verdicts})


def _version(request: Request, language: Language) -> tuple[int | None, Response | None]:
    """The `version` asked for, or the 400 page saying, in the reader's words, why it cannot be."""
    query = check_query(query_of(request), VERSION_RULES)
    problem = query.problems.get("version")
    if problem is None:
        return query.values.get("version"), None
    message = (translate("report.version", language) + translate("trial.colon", language)
               + translate(problem.key, language, **problem.values))
    return None, error_page(request, 400, "error.bad_request.title", messages=[message])


@router.get("/{lang:lang}/reports/{trial_id}")
async def report_page(request: Request, trial_id: str, language: LanguageDep,
                      upstream: UpstreamDep) -> Response:
    """One version of a trial's report in the page's language, with its charts and downloads."""
    version, refused = _version(request, language)
    if refused is not None:
        return refused
    report = await show_report(upstream, language.tag, trial_id, version)
    title = shown(report.solution, "title", language)
    return render(request, language, "reports/show.html", {
        "report": report, "doc": report.doc, "trial_id": trial_id,
        "page_title": title.text if title else trial_id,
    })


def _chart_number(kpi: str) -> int:
    if kpi.isascii() and kpi.isdigit() and len(kpi) <= 2 and 1 <= int(kpi) <= MAX_CHARTS:
        return int(kpi)
    raise NotFound("trials", "kpi: no such chart")


def _passed_on(answer: Answer, media_type: str, **extra: str) -> Response:
    """A service's file as the portal serves it, with its caching and the portal's headers."""
    kept = {k: answer.headers[k] for k in ("cache-control", "etag", "x-report-version")
            if k in answer.headers}
    return Response(answer.content, media_type=media_type,
                    headers={**kept, **FILE_HEADERS, **extra})


@router.get("/{lang:lang}/reports/{trial_id}/charts/{kpi}.svg")
async def chart(request: Request, trial_id: str, kpi: str, language: LanguageDep,
                upstream: UpstreamDep) -> Response:
    """One KPI's chart, labelled in the page's language (the report's KPI table is its data)."""
    version, refused = _version(request, language)
    if refused is not None:
        return refused
    answer = await report_chart(upstream, language.tag, trial_id, _chart_number(kpi), version)
    return _passed_on(answer, "image/svg+xml")


async def _download(request: Request, upstream: UpstreamDep, trial_id: str, kind: str) -> Response:
    language = reader_language(request)
    version, refused = _version(request, language)
    if refused is not None:
        return refused
    answer = await report_file(upstream, language.tag, trial_id, kind, version)
    number = re.sub(r"\D", "", answer.headers.get("x-report-version", "")) or str(version or "")
    name = re.sub(r"[^A-Za-z0-9_-]", "_", trial_id)
    disposition = f'attachment; filename="innoportal-report-{name}-v{number}.{kind}"'
    return _passed_on(answer, DOWNLOADS[kind], **{"Content-Disposition": disposition})


@router.get("/reports/{trial_id}/report.pdf")
async def report_pdf(request: Request, trial_id: str, upstream: UpstreamDep) -> Response:
    """A report version as PDF, as the trials service published it."""
    return await _download(request, upstream, trial_id, "pdf")


@router.get("/reports/{trial_id}/report.json")
async def report_json(request: Request, trial_id: str, upstream: UpstreamDep) -> Response:
    """A report version as its JSON document (the one its content hash covers)."""
    return await _download(request, upstream, trial_id, "json")
