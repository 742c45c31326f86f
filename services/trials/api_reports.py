"""The published performance reports: HTML, JSON, PDF and KPI charts of each version, the list,
corrections."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import utcnow
from innoportal.auth import EmsdDep
from innoportal.listing import Limit, Offset, SessionDep
from services.trials import service
from services.trials.domain import InvalidTransition, NotFound
from services.trials.report import kpi_chart_svg, render_pdf
from services.trials.repository import PublishedReport, TrialsRepository
from services.trials.schemas import CorrectionIn
from services.trials.web import actor, check_id, report_links, runtime_of, settings_of

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


async def _published(session: AsyncSession, trial_id: str, version: int | None) -> PublishedReport:
    repo = TrialsRepository(session)
    check_id("trial", trial_id)
    try:
        return await repo.get_report(trial_id, version)
    except NotFound:
        trial = await repo.get_trial(trial_id)  # 404 naming trial_id when there is no trial
        if trial.state != "completed":
            raise HTTPException(
                404, f"report: trial {trial_id} is {trial.state}; its report is published "
                "when it completes",
            ) from None
        latest = await repo.get_report(trial_id)
        raise HTTPException(
            404, f"version: trial {trial_id} has no report version {version} "
            f"(the latest is {latest.version})",
        ) from None


def _headers(report: PublishedReport, version: int | None) -> dict[str, str]:
    # A named version never changes; "the latest" may be superseded by a correction.
    cache = "public, max-age=31536000, immutable" if version else "no-cache"
    return {"ETag": f'"{report.content_hash}"', "Cache-Control": cache,
            "X-Report-Version": str(report.version)}


@trial_reports.get("/report", response_class=HTMLResponse)
async def report_html(trial_id: str, session: SessionDep, version: Version = None) -> HTMLResponse:
    """The performance report as a bilingual HTML page with inline SVG charts."""
    report = await _published(session, trial_id, version)
    return HTMLResponse(report.html, headers=_headers(report, version))


@trial_reports.get("/report.json")
async def report_json(trial_id: str, session: SessionDep, version: Version = None) -> JSONResponse:
    """The report document itself; content_hash is sha256 of its canonical JSON."""
    report = await _published(session, trial_id, version)
    return JSONResponse(report.content, headers=_headers(report, version))


@trial_reports.get("/report.pdf", response_class=Response,
                   responses={200: {"content": {"application/pdf": {}}}})
async def report_pdf(trial_id: str, session: SessionDep, version: Version = None) -> Response:
    """The report as PDF."""
    report = await _published(session, trial_id, version)
    pdf = report.pdf if report.pdf is not None else render_pdf(report.content)
    headers = _headers(report, version)
    headers["Content-Disposition"] = f'inline; filename="{trial_id}-report-v{report.version}.pdf"'
    return Response(pdf, media_type="application/pdf", headers=headers)


def _kpi_number(kpi: str, report: PublishedReport) -> int:
    """The KPI a chart's number names (1 is the report's first KPI); 404 naming `kpi` otherwise."""
    count = len(report.content["kpis"])
    if kpi.isascii() and kpi.isdigit() and len(kpi) <= 6 and 1 <= int(kpi) <= count:
        return int(kpi)
    raise HTTPException(
        404, f"kpi: the report of trial {report.trial_id} (version {report.version}) has "
        f"{count} KPIs; a chart is numbered from 1 to {count}, not {kpi[:20]!r}",
    )


@trial_reports.get("/report/charts/{kpi}.svg", response_class=Response,
                   responses={200: {"content": {"image/svg+xml": {}}}})
async def report_chart(
    trial_id: str, kpi: str, session: SessionDep, version: Version = None,
    lang: ChartLanguage = None,
) -> Response:
    """One KPI of the report over time as an SVG image (`kpi` numbers them from 1, in the
    report's order), labelled in `lang`; the report's KPI table is its data."""
    report = await _published(session, trial_id, version)
    number = _kpi_number(kpi, report)
    dates = report.content["dates"]
    svg = kpi_chart_svg(report.content["kpis"][number - 1], dates["actual_start"],
                        dates["completed_at"], lang, standalone=True)
    headers = _headers(report, version)
    headers["ETag"] = f'"{report.content_hash}-{number}-{lang or "both"}"'
    headers["Content-Security-Policy"] = SVG_CSP
    return Response(svg, media_type="image/svg+xml", headers=headers)


@trial_reports.post("/report/corrections", status_code=201)
async def correct_report(
    trial_id: str, body: CorrectionIn, principal: EmsdDep, request: Request
) -> dict[str, Any]:
    """Publish a corrected report as a new version (EMSD); the published ones never change."""
    settings = settings_of(request)
    async with runtime_of(request).db.transaction() as session:
        trial = await service.get_trial(session, check_id("trial", trial_id))
        if trial.state != "completed":
            raise InvalidTransition(trial.id, trial.state, "correct its report",
                                    "only a completed trial has a published report")
        report = await service.correct_trial_report(
            session, trial_id, by=actor(principal), reason=body.reason, summary=body.summary,
            now=utcnow(), report_url=settings.report_url_template(), with_pdf=settings.report_pdf,
        )
    return {"trial_id": trial_id, "version": report.version, "supersedes": report.version - 1,
            "content_hash": report.content_hash, **report_links(settings, trial_id, report.version)}


@reports.get("")
async def list_reports(
    session: SessionDep,
    request: Request,
    verdict: Literal["passed", "partially_passed", "failed"] | None = None,
    all_versions: bool = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Published reports, newest first (the latest version of each trial unless all_versions)."""
    repo = TrialsRepository(session)
    rows = await repo.list_reports(latest_only=not all_versions, verdict=verdict, limit=limit,
                                   offset=offset)
    items = [{**r, **report_links(settings_of(request), r["trial_id"], r["version"])}
             for r in rows]
    total = await repo.count_reports(latest_only=not all_versions, verdict=verdict)
    return {"items": items, "total": total, "limit": limit, "offset": offset}
