"""The published performance reports: HTML, JSON, PDF and KPI charts of each version, the list,
corrections."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from contracts import utcnow
from innoportal.auth import EmsdDep
from innoportal.listing import Limit, Offset
from innoportal.uow import UnitOfWorkDep
from services.trials import service
from services.trials.api.views import report_links
from services.trials.api.web import actor, check_id, settings_of
from services.trials.schemas import CorrectionIn
from services.trials.service import PublishedReport

trial_reports = APIRouter(prefix="/v1/trials/{trial_id}", tags=["reports"])
reports = APIRouter(prefix="/v1/reports", tags=["reports"])
Version = Annotated[
    int | None, Query(ge=1, le=1_000_000, description="A report version; default the latest")
]
ChartLanguage = Annotated[
    Literal["en", "zh-HK"] | None,
    Query(description="The language of the chart's labels: en or zh-HK; both when not given"),
]
# A chart is an image: nothing in it may load or run anything, wherever it is opened.
SVG_CSP = "default-src 'none'; frame-ancestors 'none'"


def _headers(report: PublishedReport, version: int | None) -> dict[str, str]:
    # A named version never changes; "the latest" may be superseded by a correction.
    cache = "public, max-age=31536000, immutable" if version else "no-cache"
    return {"ETag": f'"{report.content_hash}"', "Cache-Control": cache,
            "X-Report-Version": str(report.version)}


@trial_reports.get("/report", response_class=HTMLResponse)
async def report_html(trial_id: str, uow: UnitOfWorkDep, version: Version = None) -> HTMLResponse:
    """The performance report as a bilingual HTML page with inline SVG charts."""
    report = await service.find_report(uow, check_id("trial", trial_id), version)
    return HTMLResponse(report.html, headers=_headers(report, version))


@trial_reports.get("/report.json")
async def report_json(trial_id: str, uow: UnitOfWorkDep, version: Version = None) -> JSONResponse:
    """The report document itself; content_hash is sha256 of its canonical JSON."""
    report = await service.find_report(uow, check_id("trial", trial_id), version)
    return JSONResponse(report.content, headers=_headers(report, version))


@trial_reports.get("/report.pdf", response_class=Response,
                   responses={200: {"content": {"application/pdf": {}}}})
async def report_pdf(trial_id: str, uow: UnitOfWorkDep, version: Version = None) -> Response:
    """The report as PDF."""
    report, pdf = await service.render_report_pdf(uow, check_id("trial", trial_id), version)
    headers = _headers(report, version)
    headers["Content-Disposition"] = f'inline; filename="{trial_id}-report-v{report.version}.pdf"'
    return Response(pdf, media_type="application/pdf", headers=headers)


@trial_reports.get("/report/charts/{kpi}.svg", response_class=Response,
                   responses={200: {"content": {"image/svg+xml": {}}}})
async def report_chart(
    trial_id: str, kpi: str, uow: UnitOfWorkDep, version: Version = None,
    lang: ChartLanguage = None,
) -> Response:
    """One KPI of the report over time as an SVG image (`kpi` numbers them from 1, in the
    report's order), labelled in `lang`; the report's KPI table is its data."""
    report, number, svg = await service.draw_report_chart(
        uow, check_id("trial", trial_id), kpi, version=version, lang=lang
    )
    headers = _headers(report, version)
    headers["ETag"] = f'"{report.content_hash}-{number}-{lang or "both"}"'
    headers["Content-Security-Policy"] = SVG_CSP
    return Response(svg, media_type="image/svg+xml", headers=headers)


@trial_reports.post("/report/corrections", status_code=201)
async def correct_report(
    trial_id: str, body: CorrectionIn, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """Publish a corrected report as a new version (EMSD); the published ones never change."""
    settings = settings_of(request)
    report = await service.correct_trial_report(
        uow, check_id("trial", trial_id), by=actor(principal), reason=body.reason,
        summary=body.summary, now=utcnow(), report_url=settings.report_url_template(),
        with_pdf=settings.report_pdf,
    )
    await uow.commit()
    return {"trial_id": trial_id, "version": report.version, "supersedes": report.version - 1,
            "content_hash": report.content_hash, **report_links(settings, trial_id, report.version)}


@reports.get("")
async def list_reports(
    uow: UnitOfWorkDep,
    request: Request,
    verdict: Literal["passed", "partially_passed", "failed"] | None = None,
    all_versions: bool = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Published reports, newest first (the latest version of each trial unless all_versions)."""
    rows, total = await service.list_reports(
        uow, verdict=verdict, all_versions=all_versions, limit=limit, offset=offset
    )
    items = [{**r, **report_links(settings_of(request), r["trial_id"], r["version"])}
             for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}
