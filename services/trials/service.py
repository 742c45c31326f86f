"""Use cases of the trials service: load, decide in the domain, store, stage the event.

Each takes the caller's session and never commits: the HTTP or FastStream handler wraps a call
in one transaction (`async with db.transaction() as session:`), so the record and its outbox
event commit together. Domain errors carry `http_status` for the HTTP layer.
"""

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchDecided
from innoportal.outbox import stage_event
from services.trials import events
from services.trials.domain import (
    UNSET,
    ActiveTrialExists,
    Actor,
    Amendment,
    BookingConflict,
    Conflict,  # noqa: F401 - callers catch service.Conflict
    InvalidInput,
    MatchNotAccepted,
    Measurement,
    NotFound,
    NotPermitted,
    Reading,
    Trial,
    Venue,
    make_plan,
    new_venue,
)
from services.trials.report import build_report, correct_report, render_html, render_pdf
from services.trials.repository import PublishedReport, TrialsRepository

DEFAULT_REPORT_URL = "/v1/trials/{trial_id}/report?version={version}"


async def create_venue(session: AsyncSession, *, by: Actor, data: Any) -> Venue:
    """A new venue (EMSD only) from name_en, name_zh, address, owner_department, concurrent."""
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may add venues; {by.org} ({by.role}) may not")
    venue = new_venue(data)
    await TrialsRepository(session).add_venue(venue)
    return venue


async def record_match_decision(session: AsyncSession, event: MatchDecided) -> bool:
    """Remember EMSD's decision on a match (consumer of innoportal.match.decided)."""
    return await TrialsRepository(session).record_match_decision(
        events.match_facts(event), event.decision, event.occurred_at, event.event_id
    )


async def _venue_for_booking(repo: TrialsRepository, venue_id: str) -> Venue:
    try:
        return await repo.lock_venue(venue_id)
    except NotFound:
        raise InvalidInput.one(
            "venue_id", f"no venue {venue_id!r}; GET /v1/venues lists them"
        ) from None


async def _check_free(
    repo: TrialsRepository, venue: Venue, start: datetime, end: datetime, exclude: str | None = None
) -> None:
    if venue.concurrent:
        return
    if clash := await repo.find_conflicting_trial(venue.id, start, end, exclude_trial_id=exclude):
        raise BookingConflict(venue.id, clash)


async def open_trial(
    session: AsyncSession,
    *,
    by: Actor,
    match_id: Any,
    venue_id: Any,
    planned_start: Any,
    planned_end: Any,
    kpis: Any,
    now: datetime,
) -> Trial:
    """Open a planned trial of an accepted match at a free venue (EMSD only)."""
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may open a trial; {by.org} ({by.role}) may not")
    if not isinstance(match_id, str) or not match_id.strip():
        raise InvalidInput.one("match_id", "is required")
    plan = make_plan(
        venue_id=venue_id, planned_start=planned_start, planned_end=planned_end, kpis=kpis
    )
    repo = TrialsRepository(session)
    venue = await _venue_for_booking(repo, plan.venue_id)  # first: serializes this venue's bookings
    decision = await repo.get_match_decision(match_id.strip())
    if decision is None or decision.decision != "accepted":
        raise MatchNotAccepted(match_id, None if decision is None else decision.decision)
    if active := await repo.active_trial_for_match(decision.facts.match_id):
        raise ActiveTrialExists(decision.facts.match_id, active)
    await _check_free(repo, venue, plan.planned_start, plan.planned_end)
    trial = Trial.open(match=decision.facts, plan=plan, by=by, at=now)
    await repo.add_trial(trial)
    return trial


async def get_trial(session: AsyncSession, trial_id: str) -> Trial:
    """A trial with its transitions and amendments (NotFound if none)."""
    return await TrialsRepository(session).get_trial(trial_id)


async def start_trial(session: AsyncSession, trial_id: str, *, by: Actor, now: datetime) -> Trial:
    """planned → running; stages TrialStarted."""
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    trial.start(by=by, at=now)
    await repo.save_trial(trial)
    stage_event(session, events.trial_started(trial))
    return trial


async def record_measurement(
    session: AsyncSession,
    trial_id: str,
    *,
    by: Actor,
    kpi: Any,
    value: Any,
    measured_at: Any,
    now: datetime,
) -> Measurement:
    """Store a validated measurement from EMSD or the trial's provider while it runs."""
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    measurement = trial.check_measurement(
        by=by, kpi=kpi, value=value, measured_at=measured_at, now=now
    )
    await repo.add_measurement(trial_id, measurement)
    return measurement


async def record_measurements(
    session: AsyncSession,
    trial_id: str,
    *,
    by: Actor,
    items: Sequence[Reading],
    now: datetime,
    store: bool = True,
) -> list[Measurement]:
    """Check a batch of readings, each (index, kpi, value, measured_at), and store all of them,
    or none: InvalidInput names every wrong `items[index].field`. store=False only checks."""
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    batch = trial.check_measurements(by=by, items=items, now=now)
    if store and batch:
        await repo.add_measurements(trial_id, batch)
    return batch


async def amend_trial(
    session: AsyncSession,
    trial_id: str,
    *,
    by: Actor,
    reason: Any,
    now: datetime,
    changes: Mapping[str, Any],
) -> Amendment:
    """Record an amendment of the plan; moved dates or venue are booked again."""
    allowed = {"planned_start", "planned_end", "venue_id", "kpis"}
    if unknown := sorted(set(changes) - allowed):
        raise InvalidInput.one(unknown[0], f"cannot be amended; only {', '.join(sorted(allowed))}")
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    amendment = trial.amend(
        by=by, at=now, reason=reason, **{k: changes.get(k, UNSET) for k in allowed}
    )
    if any(amendment.changed(f) for f in ("planned_start", "planned_end", "venue_id")):
        venue = await _venue_for_booking(repo, trial.plan.venue_id)
        await _check_free(
            repo, venue, trial.plan.planned_start, trial.plan.planned_end, exclude=trial.id
        )
    await repo.save_trial(trial)
    return amendment


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
    session: AsyncSession,
    trial_id: str,
    *,
    by: Actor,
    summary: Any,
    now: datetime,
    report_url: str = DEFAULT_REPORT_URL,
    with_pdf: bool = True,
) -> tuple[Trial, PublishedReport]:
    """running → completed: judge the KPIs, publish report version 1, stage TrialCompleted.
    report_url may use {trial_id} and {version}."""
    repo = TrialsRepository(session)
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
    stage_event(session, events.trial_completed(trial, report.content, url))
    return trial, report


async def terminate_trial(
    session: AsyncSession, trial_id: str, *, by: Actor, reason: Any, now: datetime
) -> Trial:
    """planned or running → terminated; stages TrialTerminated with the reason."""
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    trial.terminate(by=by, at=now, reason=reason)
    await repo.save_trial(trial)
    stage_event(session, events.trial_terminated(trial))
    return trial


async def correct_trial_report(
    session: AsyncSession,
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
    repo = TrialsRepository(session)
    trial = await repo.get_trial(trial_id)
    latest = await repo.get_report(trial_id)
    report = await _publish(
        correct_report(latest.content, by=by, at=now, reason=reason, summary=summary),
        with_pdf=with_pdf,
    )
    await repo.add_report(report)  # the unique (trial_id, version) key stops a concurrent twin
    url = report_url.format(trial_id=trial.id, version=report.version)
    stage_event(session, events.trial_completed(trial, report.content, url))
    return report
