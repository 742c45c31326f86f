"""JSON shapes the HTTP layer answers with (GET /v1/trials/{id}, GET /v1/venues)."""

from typing import Any

from services.trials.domain import Measurement, Trial, Venue
from services.trials.report.document import amendment_json, iso, transition_json


def venue_json(venue: Venue) -> dict[str, Any]:
    """A venue as the API shows it."""
    return {
        "id": venue.id,
        "name_en": venue.name_en,
        "name_zh": venue.name_zh,
        "address": venue.address,
        "owner_department": venue.owner_department,
        "concurrent": venue.concurrent,
    }


def _actor(a: Any) -> dict[str, str]:
    return {"org": a.org, "role": a.role}


def trial_json(
    trial: Trial, *, venue: Venue | None = None, measurement_count: int | None = None
) -> dict[str, Any]:
    """A trial with its plan, parties, every transition and amendment, and results once completed."""
    out: dict[str, Any] = {
        "id": trial.id,
        "match_id": trial.match.match_id,
        "state": trial.state,
        "venue_id": trial.plan.venue_id,
        "planned_start": iso(trial.plan.planned_start),
        "planned_end": iso(trial.plan.planned_end),
        "actual_start": iso(trial.actual_start),
        "ended_at": iso(trial.ended_at),
        "kpis": [k.as_dict() for k in trial.plan.kpis],
        "parties": [p.public_dict() for p in (trial.match.wish, trial.match.solution)],
        "transitions": [transition_json(t) for t in trial.transitions],
        "amendments": [amendment_json(a) for a in trial.amendments],
        "summary": trial.summary,
        "termination_reason": trial.termination_reason,
        "verdict": trial.results.verdict if trial.results else None,
        "results": None
        if trial.results is None
        else [o.as_dict() for o in trial.results.outcomes],
        "version": trial.version,
    }
    if venue is not None:
        out["venue"] = venue_json(venue)
    if measurement_count is not None:
        out["measurement_count"] = measurement_count
    return out


def measurement_json(m: Measurement) -> dict[str, Any]:
    """A stored measurement."""
    return {
        "kpi": m.kpi,
        "value": m.value,
        "measured_at": iso(m.measured_at),
        "recorded_by": _actor(m.recorded_by),
        "recorded_at": iso(m.recorded_at),
    }
