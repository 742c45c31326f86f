"""HTTP API of the trials service (port 8105): venues, the trial lifecycle, measurements."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from contracts import utcnow
from innoportal.auth import AnyRoleDep, EmsdDep
from innoportal.listing import Limit, Offset, Org, SessionDep
from services.trials import service
from services.trials.api_measurements import batches
from services.trials.api_reports import reports, trial_reports
from services.trials.domain import InvalidInput
from services.trials.report.document import iso
from services.trials.repository import ListedTrial, TrialFilters, TrialsRepository
from services.trials.schemas import (
    ID_PATTERN,
    AmendmentIn,
    CompleteIn,
    MeasurementIn,
    TerminateIn,
    TrialCreate,
    VenueCreate,
)
from services.trials.settings import TrialsSettings
from services.trials.views import measurement_json, trial_json, venue_json
from services.trials.web import (
    actor,
    check_id,
    report_links,
    runtime_of,
    settings_of,
    trial_body,
)

venues = APIRouter(prefix="/v1/venues", tags=["venues"])
trials = APIRouter(prefix="/v1/trials", tags=["trials"])
FilterId = Annotated[str | None, Query(pattern=ID_PATTERN)]
State = Literal["planned", "running", "completed", "terminated"]
PartyOrg = Annotated[
    Org | None,
    Query(description="Only the trials in which this organisation owns the wish or the solution"),
]


@venues.get("")
async def list_venues(session: SessionDep) -> dict[str, Any]:
    """Every venue, EMSD Headquarters (Kowloon Bay) first."""
    items = [venue_json(v) for v in await TrialsRepository(session).list_venues()]
    return {"items": items, "total": len(items)}


@venues.post("", status_code=201)
async def create_venue(body: VenueCreate, principal: EmsdDep, request: Request) -> dict[str, Any]:
    """Add a venue (EMSD); `concurrent: true` lets it host overlapping trials."""
    async with runtime_of(request).db.transaction() as session:
        venue = await service.create_venue(session, by=actor(principal), data=body.model_dump())
    runtime_of(request).metrics.records_created.labels(kind="venue").inc()
    return venue_json(venue)


@venues.get("/{venue_id}")
async def get_venue(venue_id: str, session: SessionDep) -> dict[str, Any]:
    """One venue."""
    return venue_json(await TrialsRepository(session).get_venue(check_id("venue", venue_id)))


@venues.get("/{venue_id}/calendar")
async def venue_calendar(
    venue_id: str, session: SessionDep, include_ended: bool = False
) -> dict[str, Any]:
    """The venue's bookings by planned start: planned and running trials (ended ones if asked)."""
    repo = TrialsRepository(session)
    venue = await repo.get_venue(check_id("venue", venue_id))
    rows = await repo.venue_calendar(venue.id, active_only=not include_ended)
    bookings = [{"trial_id": t, "state": s, "planned_start": iso(a), "planned_end": iso(b)}
                for t, s, a, b in rows]
    return {"venue": venue_json(venue), "concurrent": venue.concurrent, "bookings": bookings}


@trials.post("", status_code=201)
async def open_trial(body: TrialCreate, principal: EmsdDep, request: Request) -> dict[str, Any]:
    """Open a planned trial of an accepted match (EMSD): venue, window and KPIs fixed up front."""
    runtime = runtime_of(request)
    async with runtime.db.transaction() as session:
        trial = await service.open_trial(
            session, by=actor(principal), match_id=body.match_id, venue_id=body.venue_id,
            planned_start=body.planned_start, planned_end=body.planned_end, kpis=body.kpis,
            now=utcnow(),
        )
        answer = await trial_body(session, trial, settings_of(request))
    runtime.metrics.records_created.labels(kind="trial").inc()
    return answer


def _listed(item: ListedTrial, settings: TrialsSettings) -> dict[str, Any]:
    """A list entry: what GET /v1/trials/{id} answers for the trial."""
    body = trial_json(item.trial, venue=item.venue, measurement_count=item.measurement_count)
    report = item.report
    body["report"] = None if report is None else {
        "version": report.version,
        "content_hash": report.content_hash,
        "published_at": iso(report.published_at),
        **report_links(settings, item.trial.id, report.version),
    }
    return body


@trials.get("")
async def list_trials(
    session: SessionDep,
    request: Request,
    state: State | None = None,
    venue_id: FilterId = None,
    match_id: FilterId = None,
    party_org: PartyOrg = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Trials, newest first, by state, venue, match or party (each entry as GET /v1/trials/{id})."""
    filters = TrialFilters(state=state, venue_id=venue_id, match_id=match_id, party_org=party_org)
    page, total = await TrialsRepository(session).list_trial_page(
        filters, limit=limit, offset=offset
    )
    items = [_listed(item, settings_of(request)) for item in page]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@trials.get("/{trial_id}")
async def get_trial(trial_id: str, session: SessionDep, request: Request) -> dict[str, Any]:
    """A trial: its plan, parties, state, every transition and amendment, results and report."""
    trial = await service.get_trial(session, check_id("trial", trial_id))
    return await trial_body(session, trial, settings_of(request))


@trials.post("/{trial_id}/start")
async def start_trial(trial_id: str, principal: EmsdDep, request: Request) -> dict[str, Any]:
    """planned → running (EMSD); TrialStarted is published."""
    async with runtime_of(request).db.transaction() as session:
        trial = await service.start_trial(
            session, check_id("trial", trial_id), by=actor(principal), now=utcnow()
        )
        return await trial_body(session, trial, settings_of(request))


@trials.post("/{trial_id}/measurements", status_code=201)
async def record_measurement(
    trial_id: str, body: MeasurementIn, principal: AnyRoleDep, request: Request
) -> dict[str, Any]:
    """Record a KPI reading of a running trial (EMSD, or the trial's own provider)."""
    runtime = runtime_of(request)
    now = utcnow()
    async with runtime.db.transaction() as session:
        measurement = await service.record_measurement(
            session, check_id("trial", trial_id), by=actor(principal), kpi=body.kpi,
            value=body.value, measured_at=body.measured_at or now, now=now,
        )
    runtime.metrics.records_created.labels(kind="measurement").inc()
    return {"trial_id": trial_id, **measurement_json(measurement)}


@trials.get("/{trial_id}/measurements")
async def list_measurements(
    trial_id: str, session: SessionDep, kpi: Annotated[str | None, Query(max_length=120)] = None
) -> dict[str, Any]:
    """A trial's measurements in time order (optionally of one KPI)."""
    repo = TrialsRepository(session)
    trial = await repo.get_trial(check_id("trial", trial_id))
    name = None
    if kpi is not None:
        known = trial.plan.kpi(kpi)
        if known is None:
            names = ", ".join(k.name for k in trial.plan.kpis)
            raise InvalidInput.one("kpi", f"is not a KPI of this trial (known: {names})")
        name = known.name
    items = [measurement_json(m) for m in await repo.measurements(trial.id, kpi=name)]
    return {"trial_id": trial.id, "items": items, "total": len(items)}


@trials.post("/{trial_id}/amendments", status_code=201)
async def amend_trial(
    trial_id: str, body: AmendmentIn, principal: EmsdDep, request: Request
) -> dict[str, Any]:
    """Change the plan by a recorded amendment (EMSD): who, when, what and why."""
    async with runtime_of(request).db.transaction() as session:
        amendment = await service.amend_trial(
            session, check_id("trial", trial_id), by=actor(principal), reason=body.reason,
            now=utcnow(), changes=body.changes(),
        )
        trial = await service.get_trial(session, trial_id)
        answer = await trial_body(session, trial, settings_of(request))
    return {"amendment": answer["amendments"][amendment.seq - 1], "trial": answer}


@trials.post("/{trial_id}/complete")
async def complete_trial(
    trial_id: str, body: CompleteIn, principal: EmsdDep, request: Request
) -> dict[str, Any]:
    """running → completed (EMSD): judge every KPI, publish the report, publish TrialCompleted."""
    runtime, settings = runtime_of(request), settings_of(request)
    async with runtime.db.transaction() as session:
        trial, _report = await service.complete_trial(
            session, check_id("trial", trial_id), by=actor(principal), summary=body.summary,
            now=utcnow(), report_url=settings.report_url_template(), with_pdf=settings.report_pdf,
        )
        answer = await trial_body(session, trial, settings)  # its "report" is the one just sealed
    runtime.metrics.records_created.labels(kind="report").inc()
    return answer


@trials.post("/{trial_id}/terminate")
async def terminate_trial(
    trial_id: str, body: TerminateIn, principal: EmsdDep, request: Request
) -> dict[str, Any]:
    """planned or running → terminated (EMSD); TrialTerminated carries the reason."""
    async with runtime_of(request).db.transaction() as session:
        trial = await service.terminate_trial(
            session, check_id("trial", trial_id), by=actor(principal), reason=body.reason,
            now=utcnow(),
        )
        return await trial_body(session, trial, settings_of(request))


router = APIRouter()
router.include_router(venues)
router.include_router(trials)
router.include_router(batches)
router.include_router(trial_reports)
router.include_router(reports)
