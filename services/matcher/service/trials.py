"""What the matcher learns of field trials from the trials service's events: each trial of its
matches, its state and latest verdict, so that POST /v1/similar can show a solution's past in the
one call a form makes while a person types (asking the trials API per result would not fit)."""

import logging

from contracts import TrialCompleted, TrialStarted, TrialTerminated, utcnow
from innoportal.uow import UnitOfWork
from services.matcher.models import TrialRow
from services.matcher.repository import matches, trials

log = logging.getLogger("innoportal.matcher")
TrialEvent = TrialStarted | TrialCompleted | TrialTerminated
# Events of one trial travel on different consumers and may arrive in any order: a state never
# goes back (a late TrialStarted leaves a completed trial completed).
_ORDER = {"running": 1, "completed": 2, "terminated": 2}


def _state(event: TrialEvent) -> str:
    if isinstance(event, TrialStarted):
        return "running"
    return "completed" if isinstance(event, TrialCompleted) else "terminated"


async def _sides(uow: UnitOfWork, event: TrialEvent) -> dict[str, str] | None:
    """The wish and solution ids of the trial: from the event, else from the match."""
    sides = {p.role: p.id for p in event.parties}
    if "wish" in sides and "solution" in sides:
        return sides
    match = await matches.get_match(uow.session, event.match_id)
    if match is None:
        return None
    return {"wish": match.wish_id, "solution": match.solution_id}


async def record_trial(uow: UnitOfWork, event: TrialEvent) -> None:
    """Store the trial an event tells of, or move it on (never back)."""
    state = _state(event)
    row = await trials.get_trial(uow.session, event.trial_id)
    if row is None:
        sides = await _sides(uow, event)
        if sides is None:
            log.warning("trial %s names match %s, which the matcher never made; not kept",
                        event.trial_id, event.match_id)
            return
        row = TrialRow(trial_id=event.trial_id, match_id=event.match_id, wish_id=sides["wish"],
                       solution_id=sides["solution"], state=state)
    elif _ORDER[state] < _ORDER[row.state]:
        return
    row.state = state
    if isinstance(event, TrialCompleted) and (
            row.report_version is None or event.report_version >= row.report_version):
        # A corrected report is a new version: keep the latest one's verdict.
        row.verdict, row.report_version = event.verdict, event.report_version
    row.updated_at = utcnow()
    trials.save_trial(uow.session, row)
