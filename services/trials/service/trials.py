"""Trial use cases: the match decisions a trial needs, opening one, its lifecycle and amendments,
reading one or a page of them."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from contracts import MatchDecided
from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.trials import events
from services.trials.domain import (
    UNSET,
    ActiveTrialExists,
    Actor,
    MatchNotAccepted,
    NotPermitted,
    Trial,
    make_plan,
)
from services.trials.repository import TrialFilters, TrialsRepository, TrialView
from services.trials.service.venues import check_free, lock_for_booking

AMENDABLE = ("kpis", "planned_end", "planned_start", "venue_id")


async def view_of(repo: TrialsRepository, trial: Trial) -> TrialView:
    """The trial with its venue, its measurement count and its latest report."""
    venue = await repo.get_venue(trial.plan.venue_id)
    count = await repo.measurement_count(trial.id)
    # Only a completed trial has a report (the two commit together).
    report = await repo.latest_report_ref(trial.id) if trial.state == "completed" else None
    return TrialView(trial, venue, count, report)


async def record_match_decision(uow: UnitOfWork, event: MatchDecided) -> bool:
    """Remember EMSD's decision on a match (consumer of innoportal.match.decided)."""
    return await TrialsRepository(uow.session).record_match_decision(
        events.match_facts(event), event.decision, event.occurred_at, event.event_id
    )


async def open_trial(
    uow: UnitOfWork,
    *,
    by: Actor,
    match_id: Any,
    venue_id: Any,
    planned_start: Any,
    planned_end: Any,
    kpis: Any,
    now: datetime,
) -> TrialView:
    """Open a planned trial of an accepted match at a free venue (EMSD only)."""
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may open a trial; {by.org} ({by.role}) may not")
    if not isinstance(match_id, str) or not match_id.strip():
        raise FieldError("match_id", "is required")
    plan = make_plan(
        venue_id=venue_id, planned_start=planned_start, planned_end=planned_end, kpis=kpis
    )
    repo = TrialsRepository(uow.session)
    venue = await lock_for_booking(repo, plan.venue_id)  # first: serializes this venue's bookings
    decision = await repo.get_match_decision(match_id.strip())
    if decision is None or decision.decision != "accepted":
        raise MatchNotAccepted(match_id, None if decision is None else decision.decision)
    if active := await repo.active_trial_for_match(decision.facts.match_id):
        raise ActiveTrialExists(decision.facts.match_id, active)
    await check_free(repo, venue, plan.planned_start, plan.planned_end)
    trial = Trial.open(match=decision.facts, plan=plan, by=by, at=now)
    await repo.add_trial(trial)
    return await view_of(repo, trial)


async def get_trial(uow: UnitOfWork, trial_id: str) -> TrialView:
    """A trial with its transitions and amendments, venue, count and report (NotFound if none)."""
    repo = TrialsRepository(uow.session)
    return await view_of(repo, await repo.get_trial(trial_id))


async def list_trials(
    uow: UnitOfWork,
    *,
    state: str | None = None,
    venue_id: str | None = None,
    match_id: str | None = None,
    party_org: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[TrialView], int]:
    """A page of trials, newest first, by state, venue, match or party, and their total."""
    filters = TrialFilters(state=state, venue_id=venue_id, match_id=match_id, party_org=party_org)
    return await TrialsRepository(uow.session).list_trial_page(
        filters, limit=limit, offset=offset
    )


async def start_trial(uow: UnitOfWork, trial_id: str, *, by: Actor, now: datetime) -> TrialView:
    """planned → running; stages TrialStarted."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    trial.start(by=by, at=now)
    await repo.save_trial(trial)
    uow.stage(events.trial_started(trial))
    return await view_of(repo, trial)


async def amend_trial(
    uow: UnitOfWork,
    trial_id: str,
    *,
    by: Actor,
    reason: Any,
    now: datetime,
    changes: Mapping[str, Any],
) -> TrialView:
    """Record an amendment of the plan (the trial's last); moved dates or venue are booked again."""
    if unknown := sorted(set(changes) - set(AMENDABLE)):
        raise FieldError(unknown[0], f"cannot be amended; only {', '.join(AMENDABLE)}")
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    amendment = trial.amend(
        by=by, at=now, reason=reason, **{k: changes.get(k, UNSET) for k in AMENDABLE}
    )
    if any(amendment.changed(f) for f in ("planned_start", "planned_end", "venue_id")):
        venue = await lock_for_booking(repo, trial.plan.venue_id)
        await check_free(
            repo, venue, trial.plan.planned_start, trial.plan.planned_end, moving=trial.id
        )
    await repo.save_trial(trial)
    return await view_of(repo, trial)


async def terminate_trial(
    uow: UnitOfWork, trial_id: str, *, by: Actor, reason: Any, now: datetime
) -> TrialView:
    """planned or running → terminated; stages TrialTerminated with the reason."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    trial.terminate(by=by, at=now, reason=reason)
    await repo.save_trial(trial)
    uow.stage(events.trial_terminated(trial))
    return await view_of(repo, trial)
