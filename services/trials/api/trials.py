"""Trials: opening one from an accepted match, the list, one trial, its lifecycle, amendments."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from contracts import utcnow
from innoportal.auth import EmsdDep
from innoportal.listing import Limit, Offset, Org
from innoportal.uow import UnitOfWorkDep
from services.trials import service
from services.trials.api.views import trial_json
from services.trials.api.web import actor, check_id, count_created, settings_of
from services.trials.schemas import ID_PATTERN, AmendmentIn, CompleteIn, TerminateIn, TrialCreate

router = APIRouter(prefix="/v1/trials", tags=["trials"])
FilterId = Annotated[str | None, Query(pattern=ID_PATTERN)]
State = Literal["planned", "running", "completed", "terminated"]
PartyOrg = Annotated[
    Org | None,
    Query(description="Only the trials in which this organisation owns the wish or the solution"),
]


@router.post("", status_code=201)
async def open_trial(
    body: TrialCreate, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """Open a planned trial of an accepted match (EMSD): venue, window and KPIs fixed up front."""
    view = await service.open_trial(
        uow, by=actor(principal), match_id=body.match_id, venue_id=body.venue_id,
        planned_start=body.planned_start, planned_end=body.planned_end, kpis=body.kpis,
        now=utcnow(),
    )
    await uow.commit()
    count_created(request, "trial")
    return trial_json(view, settings_of(request))


@router.get("")
async def list_trials(
    uow: UnitOfWorkDep,
    request: Request,
    state: State | None = None,
    venue_id: FilterId = None,
    match_id: FilterId = None,
    party_org: PartyOrg = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Trials, newest first, by state, venue, match or party (each entry as GET /v1/trials/{id})."""
    page, total = await service.list_trials(
        uow, state=state, venue_id=venue_id, match_id=match_id, party_org=party_org,
        limit=limit, offset=offset,
    )
    items = [trial_json(view, settings_of(request)) for view in page]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/{trial_id}")
async def get_trial(trial_id: str, uow: UnitOfWorkDep, request: Request) -> dict[str, Any]:
    """A trial: its plan, parties, state, every transition and amendment, results and report."""
    view = await service.get_trial(uow, check_id("trial", trial_id))
    return trial_json(view, settings_of(request))


@router.post("/{trial_id}/start")
async def start_trial(
    trial_id: str, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """planned → running (EMSD); TrialStarted is published."""
    view = await service.start_trial(
        uow, check_id("trial", trial_id), by=actor(principal), now=utcnow()
    )
    await uow.commit()
    return trial_json(view, settings_of(request))


@router.post("/{trial_id}/amendments", status_code=201)
async def amend_trial(
    trial_id: str, body: AmendmentIn, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """Change the plan by a recorded amendment (EMSD): who, when, what and why."""
    view = await service.amend_trial(
        uow, check_id("trial", trial_id), by=actor(principal), reason=body.reason,
        now=utcnow(), changes=body.changes(),
    )
    await uow.commit()
    answer = trial_json(view, settings_of(request))
    return {"amendment": answer["amendments"][-1], "trial": answer}


@router.post("/{trial_id}/complete")
async def complete_trial(
    trial_id: str, body: CompleteIn, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """running → completed (EMSD): judge every KPI, publish the report, publish TrialCompleted."""
    settings = settings_of(request)
    view, _report = await service.complete_trial(
        uow, check_id("trial", trial_id), by=actor(principal), summary=body.summary,
        now=utcnow(), report_url=settings.report_url_template(), with_pdf=settings.report_pdf,
    )
    await uow.commit()
    count_created(request, "report")
    return trial_json(view, settings)  # its "report" is the one just sealed


@router.post("/{trial_id}/terminate")
async def terminate_trial(
    trial_id: str, body: TerminateIn, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """planned or running → terminated (EMSD); TrialTerminated carries the reason."""
    view = await service.terminate_trial(
        uow, check_id("trial", trial_id), by=actor(principal), reason=body.reason, now=utcnow()
    )
    await uow.commit()
    return trial_json(view, settings_of(request))
