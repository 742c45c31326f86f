"""JSON shapes the HTTP layer answers with: venues, trials, measurements, report links."""

from typing import Any

from services.trials.domain import Measurement, Venue
from services.trials.report.document import amendment_json, iso, transition_json
from services.trials.service import TrialView
from services.trials.settings import TrialsSettings


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


def report_links(
    settings: TrialsSettings, trial_id: str, version: int | None = None
) -> dict[str, str]:
    """Where a report is published: HTML, JSON and PDF (a given version, or the latest)."""
    base = f"{settings.public_url.rstrip('/')}/v1/trials/{trial_id}/report"
    query = f"?version={version}" if version is not None else ""
    return {"url": base + query, "json_url": f"{base}.json{query}", "pdf_url": f"{base}.pdf{query}"}


def trial_json(view: TrialView, settings: TrialsSettings) -> dict[str, Any]:
    """GET /v1/trials/{id} (and each entry of GET /v1/trials): the trial with its plan, parties,
    every transition and amendment, results once completed, venue, measurement count, report."""
    trial, report = view.trial, view.report
    return {
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
        "venue": venue_json(view.venue),
        "measurement_count": view.measurement_count,
        "report": None if report is None else {
            "version": report.version,
            "content_hash": report.content_hash,
            "published_at": iso(report.published_at),
            **report_links(settings, trial.id, report.version),
        },
    }


def measurement_json(m: Measurement) -> dict[str, Any]:
    """A stored measurement."""
    return {
        "kpi": m.kpi,
        "value": m.value,
        "measured_at": iso(m.measured_at),
        "recorded_by": {"org": m.recorded_by.org, "role": m.recorded_by.role},
        "recorded_at": iso(m.recorded_at),
    }
