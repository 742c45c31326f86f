"""The performance report as data: built from a completed trial, sealed by a sha256 content hash.

The JSON document is the report; HTML and PDF are views of it. Its hash is sha256 over the
canonical JSON (keys sorted, no spaces, UTF-8, content_hash itself left out), so anyone can
recompute it from report.json. A published version never changes: a correction is a new version
that names the one it supersedes and carries its own hash.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from innoportal.errors import FieldError
from services.trials.domain import (
    AGGREGATES,
    Actor,
    InvalidTransition,
    Measurement,
    NotPermitted,
    Trial,
    Venue,
    result_method,
)
from services.trials.domain.checks import Checker

REPORT_SCHEMA = "innoportal.trial-report/1"
HASH_FIELD = "content_hash"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def aggregate_of(kpi: dict[str, Any]) -> str:
    """How a report's KPI was summarised (the mean in reports from before KPIs said)."""
    aggregate = kpi.get("aggregate")
    return aggregate if aggregate in AGGREGATES else "mean"


def _actor(actor: Actor) -> dict[str, str]:
    return {"org": actor.org, "role": actor.role}


def amendment_json(a: Any) -> dict[str, Any]:
    """One recorded amendment of a trial's plan, as JSON."""
    return {
        "seq": a.seq,
        "at": iso(a.at),
        "by": _actor(a.by),
        "reason": a.reason,
        "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in a.changes],
    }


def transition_json(t: Any) -> dict[str, Any]:
    """One recorded state transition of a trial, as JSON."""
    return {"seq": t.seq, "from": t.from_state, "to": t.to_state, "at": iso(t.at),
            "by": _actor(t.by), "note": t.note}


def report_id(trial_id: str, version: int) -> str:
    """The id of one version of a trial's report."""
    return f"{trial_id}/v{version}"


def build_report(
    trial: Trial, venue: Venue, measurements: Sequence[Measurement], *, published_at: datetime
) -> dict[str, Any]:
    """Version 1 of a completed trial's report, sealed."""
    if trial.state != "completed" or trial.results is None:
        raise InvalidTransition(
            trial.id, trial.state, "publish a report", "only a completed trial has one"
        )
    series: dict[str, list[dict[str, Any]]] = {k.name: [] for k in trial.plan.kpis}
    for m in sorted(measurements, key=lambda m: (m.measured_at, m.recorded_at)):
        if m.kpi in series:
            series[m.kpi].append(
                {"at": iso(m.measured_at), "value": m.value, "by": _actor(m.recorded_by)}
            )
    kpis = [{**o.as_dict(), "series": series[o.kpi.name]} for o in trial.results.outcomes]
    parties = [p.public_dict() for p in (trial.match.wish, trial.match.solution)]
    doc = {
        "schema": REPORT_SCHEMA,
        "report_id": report_id(trial.id, 1),
        "trial_id": trial.id,
        "match_id": trial.match.match_id,
        "version": 1,
        "supersedes": None,
        "correction": None,
        "published_at": iso(published_at),
        "conducted_by": trial.transitions[0].by.org,
        "venue": {
            "id": venue.id,
            "name_en": venue.name_en,
            "name_zh": venue.name_zh,
            "address": venue.address,
            "owner_department": venue.owner_department,
        },
        "dates": {
            "planned_start": iso(trial.plan.planned_start),
            "planned_end": iso(trial.plan.planned_end),
            "actual_start": iso(trial.actual_start),
            "completed_at": iso(trial.ended_at),
        },
        "parties": parties,
        "summary": trial.summary,
        "verdict": trial.results.verdict,
        "kpis_met": trial.results.met_count,
        "method": result_method([o.kpi for o in trial.results.outcomes]),
        "kpis": kpis,
        "amendments": [amendment_json(a) for a in trial.amendments],
        "transitions": [transition_json(t) for t in trial.transitions],
    }
    return seal(doc)


def canonical_json(doc: dict[str, Any]) -> bytes:
    """The canonical bytes the hash covers: sorted keys, compact, UTF-8, no content_hash."""
    body = {k: v for k, v in doc.items() if k != HASH_FIELD}
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(doc: dict[str, Any]) -> str:
    """sha256 hex of the canonical JSON."""
    return hashlib.sha256(canonical_json(doc)).hexdigest()


def seal(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` carrying its content hash."""
    return {**doc, HASH_FIELD: content_hash(doc)}


def verify(doc: dict[str, Any]) -> bool:
    """Whether the document's content_hash matches its content."""
    return doc.get(HASH_FIELD) == content_hash(doc)


def correct_report(
    previous: dict[str, Any], *, by: Actor, at: datetime, reason: Any, summary: Any = None
) -> dict[str, Any]:
    """The next version of a published report, correcting its summary (EMSD only); the
    measured data and verdict stay those of the trial. `previous` must be the latest version."""
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may correct a report; {by.org} ({by.role}) may not")
    if not verify(previous):
        raise ValueError("the previous report's content hash does not match its content")
    check = Checker()
    why = check.text("reason", reason, max_len=2000)
    new_summary = previous["summary"]
    if summary is not None:
        new_summary = check.text("summary", summary, max_len=5000)
    check.raise_if_any()
    if new_summary == previous["summary"]:
        raise FieldError("summary", "is the same as in the current version; nothing to correct")
    version = int(previous["version"]) + 1
    doc = {k: v for k, v in previous.items() if k != HASH_FIELD}
    doc.update(
        report_id=report_id(previous["trial_id"], version),
        version=version,
        supersedes=previous["version"],
        published_at=iso(at),
        summary=new_summary,
        correction={
            "reason": why,
            "by": _actor(by),
            "at": iso(at),
            "superseded_hash": previous[HASH_FIELD],
        },
    )
    return seal(doc)
