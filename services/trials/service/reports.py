"""Report use cases: completing a trial publishes its report, a correction the next version;
reading a version as stored, as PDF, one KPI's chart, and the list of reports."""

import asyncio
from datetime import datetime
from typing import Any

from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.trials import events
from services.trials.domain import Actor, InvalidTransition, NotFound
from services.trials.report import (
    build_report,
    correct_report,
    kpi_chart_svg,
    render_html,
    render_pdf,
)
from services.trials.repository import PublishedReport, TrialsRepository, TrialView
from services.trials.service.trials import view_of

DEFAULT_REPORT_URL = "/v1/trials/{trial_id}/report?version={version}"


async def _publish(doc: dict[str, Any], *, with_pdf: bool) -> PublishedReport:
    # Drawing a PDF takes about a tenth of a second: off the event loop, so the service
    # keeps answering meanwhile.
    pdf = await asyncio.to_thread(render_pdf, doc) if with_pdf else None
    return PublishedReport(
        trial_id=doc["trial_id"],
        version=doc["version"],
        content=doc,
        content_hash=doc["content_hash"],
        html=render_html(doc),
        pdf=pdf,
        published_at=datetime.fromisoformat(doc["published_at"]),
    )


async def complete_trial(
    uow: UnitOfWork,
    trial_id: str,
    *,
    by: Actor,
    summary: Any,
    now: datetime,
    report_url: str = DEFAULT_REPORT_URL,
    with_pdf: bool = True,
) -> tuple[TrialView, PublishedReport]:
    """running → completed: judge the KPIs, publish report version 1, stage TrialCompleted.
    report_url may use {trial_id} and {version}."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    measurements = await repo.measurements(trial_id)
    trial.complete(by=by, at=now, summary=summary, measurements=measurements)
    # Fails (ConcurrentUpdate) if a measurement arrived after we read them: no reading is lost.
    await repo.save_trial(trial, measurement_count=len(measurements))
    venue = await repo.get_venue(trial.plan.venue_id)
    doc = build_report(trial, venue, measurements, published_at=now)
    report = await _publish(doc, with_pdf=with_pdf)
    await repo.add_report(report)
    url = report_url.format(trial_id=trial.id, version=report.version)
    uow.stage(events.trial_completed(trial, report.content, url))
    return await view_of(repo, trial), report


async def correct_trial_report(
    uow: UnitOfWork,
    trial_id: str,
    *,
    by: Actor,
    reason: Any,
    summary: Any,
    now: datetime,
    report_url: str = DEFAULT_REPORT_URL,
    with_pdf: bool = True,
) -> PublishedReport:
    """Publish the next report version with a corrected summary; stages TrialCompleted for it."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    if trial.state != "completed":
        raise InvalidTransition(trial.id, trial.state, "correct its report",
                                "only a completed trial has a published report")
    latest = await repo.get_report(trial_id)
    report = await _publish(
        correct_report(latest.content, by=by, at=now, reason=reason, summary=summary),
        with_pdf=with_pdf,
    )
    await repo.add_report(report)  # the unique (trial_id, version) key stops a concurrent twin
    url = report_url.format(trial_id=trial.id, version=report.version)
    uow.stage(events.trial_completed(trial, report.content, url))
    return report


async def find_report(uow: UnitOfWork, trial_id: str, version: int | None) -> PublishedReport:
    """A version of the trial's report (the latest when None); a 404 saying why there is none."""
    repo = TrialsRepository(uow.session)
    try:
        return await repo.get_report(trial_id, version)
    except NotFound:
        trial = await repo.get_trial(trial_id)  # 404 naming trial_id when there is no trial
        if trial.state != "completed":
            raise FieldError(
                "report", f"trial {trial_id} is {trial.state}; its report is published "
                "when it completes", status=404,
            ) from None
        latest = await repo.get_report(trial_id)
        raise FieldError(
            "version", f"trial {trial_id} has no report version {version} "
            f"(the latest is {latest.version})", status=404,
        ) from None


async def render_report_pdf(
    uow: UnitOfWork, trial_id: str, version: int | None
) -> tuple[PublishedReport, bytes]:
    """A version of the report and its PDF (drawn now if it was published without one)."""
    report = await find_report(uow, trial_id, version)
    return report, report.pdf if report.pdf is not None else render_pdf(report.content)


def _kpi_number(kpi: str, report: PublishedReport) -> int:
    """The KPI a chart's number names (1 is the report's first KPI); 404 naming `kpi` otherwise."""
    count = len(report.content["kpis"])
    if kpi.isascii() and kpi.isdigit() and len(kpi) <= 6 and 1 <= int(kpi) <= count:
        return int(kpi)
    raise FieldError(
        "kpi", f"the report of trial {report.trial_id} (version {report.version}) has "
        f"{count} KPIs; a chart is numbered from 1 to {count}, not {kpi[:20]!r}", status=404,
    )


async def draw_report_chart(
    uow: UnitOfWork, trial_id: str, kpi: str, *, version: int | None, lang: str | None
) -> tuple[PublishedReport, int, str]:
    """A version of the report, the number of the KPI `kpi` names (from 1) and that KPI's
    chart as a standalone SVG labelled in `lang` (both languages when None)."""
    report = await find_report(uow, trial_id, version)
    number = _kpi_number(kpi, report)
    dates = report.content["dates"]
    svg = kpi_chart_svg(report.content["kpis"][number - 1], dates["actual_start"],
                        dates["completed_at"], lang, standalone=True)
    return report, number, svg


async def list_reports(
    uow: UnitOfWork, *, verdict: str | None, all_versions: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Published reports, newest first (the latest version of each trial unless all_versions),
    and their total."""
    repo = TrialsRepository(uow.session)
    rows = await repo.list_reports(latest_only=not all_versions, verdict=verdict, limit=limit,
                                   offset=offset)
    return rows, await repo.count_reports(latest_only=not all_versions, verdict=verdict)
