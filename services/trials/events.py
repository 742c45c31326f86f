"""Domain facts → contract events (and back, for match decisions). Event ids are derived from
the fact, so staging the same fact twice yields one message after JetStream's dedup."""

import uuid
from typing import Any

from contracts import (
    KpiResult,
    MatchDecided,
    MatchParty,
    TrialCompleted,
    TrialParty,
    TrialStarted,
    TrialTerminated,
)
from services.trials.domain import MatchFacts, Party, Trial

_NAMESPACE = uuid.UUID("6f1c3d2e-8a4b-4c5d-9e6f-7a8b9c0d1e2f")


def _event_id(*parts: Any) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _parties(trial: Trial) -> list[TrialParty]:
    return [TrialParty(**p.as_dict()) for p in (trial.match.wish, trial.match.solution)]


def trial_started(trial: Trial) -> TrialStarted:
    """The TrialStarted event of a running trial."""
    return TrialStarted(
        event_id=_event_id("trial.started", trial.id),
        occurred_at=trial.actual_start,
        trial_id=trial.id,
        match_id=trial.match.match_id,
        venue_id=trial.plan.venue_id,
        planned_start=trial.plan.planned_start,
        planned_end=trial.plan.planned_end,
        parties=_parties(trial),
    )


def trial_completed(trial: Trial, report: dict[str, Any], report_url: str) -> TrialCompleted:
    """The TrialCompleted event for one published report version of a completed trial."""
    assert trial.results is not None, "a completed trial has results"
    return TrialCompleted(
        event_id=_event_id("trial.completed", trial.id, report["version"]),
        occurred_at=report["published_at"],
        trial_id=trial.id,
        match_id=trial.match.match_id,
        verdict=trial.results.verdict,
        kpi_results=[
            KpiResult(
                name=o.kpi.name,
                unit=o.kpi.unit,
                baseline=o.kpi.baseline,
                target=o.kpi.target,
                direction=o.kpi.direction,
                measured=o.measured,
                met=o.met,
                count=o.count,
                aggregate=o.kpi.aggregate,
            )
            for o in trial.results.outcomes
        ],
        summary=report["summary"],
        report_url=report_url,
        report_version=report["version"],
        report_hash=report["content_hash"],
        venue_id=trial.plan.venue_id,
        parties=_parties(trial),
    )


def trial_terminated(trial: Trial) -> TrialTerminated:
    """The TrialTerminated event, with the reason, of a terminated trial."""
    last = trial.transitions[-1]
    return TrialTerminated(
        event_id=_event_id("trial.terminated", trial.id),
        occurred_at=last.at,
        trial_id=trial.id,
        match_id=trial.match.match_id,
        reason=trial.termination_reason or "",
        from_state=last.from_state,  # type: ignore[arg-type]
        parties=_parties(trial),
    )


def _party(role: str, p: MatchParty) -> Party:
    return Party(
        role=role,
        id=p.id,
        title_en=p.title_en,
        title_zh=p.title_zh,  # type: ignore[arg-type]
        contact_email=p.contact_email,
        owner_org=p.owner_org,
    )


def match_facts(event: MatchDecided) -> MatchFacts:
    """The facts a trial needs from EMSD's decision on a match."""
    return MatchFacts(
        event.match_id, _party("wish", event.wish), _party("solution", event.solution)
    )
