"""The trials repository: the queries the API needs, mapping rows to domain objects.

It never commits: the caller owns the transaction (and stages events in the same one).
Booking is race-safe: `lock_venue` first bumps the venue row, which takes a row lock on
PostgreSQL and the database write lock on SQLite, so a second booking of the same venue waits
until the first commits and then its overlap query sees the first trial. State changes use an
optimistic version check, so two concurrent moves of one trial cannot both succeed.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import utcnow
from services.trials.domain import (
    ACTIVE_STATES,
    Actor,
    Amendment,
    Change,
    ConcurrentUpdate,
    InvalidTransition,
    Kpi,
    KpiOutcome,
    MatchFacts,
    Measurement,
    NotFound,
    Party,
    Plan,
    Results,
    Transition,
    Trial,
    Venue,
)
from services.trials.domain.venue import SEED_VENUES
from services.trials.models import (
    AmendmentRow,
    MatchDecisionRow,
    MeasurementRow,
    ReportRow,
    TransitionRow,
    TrialRow,
    VenueRow,
)


@dataclass(frozen=True)
class PublishedReport:
    """One stored version of a report: the sealed JSON document and its renderings."""

    trial_id: str
    version: int
    content: dict[str, Any]
    content_hash: str
    html: str
    pdf: bytes | None
    published_at: datetime


@dataclass(frozen=True)
class MatchDecision:
    """EMSD's latest decision on a match, with the facts a trial needs."""

    facts: MatchFacts
    decision: str
    decided_at: datetime


def _party(data: dict[str, Any]) -> Party:
    return Party(
        **{
            k: data.get(k)
            for k in ("role", "id", "title_en", "title_zh", "contact_email", "owner_org")
        }
    )


def _party_dict(p: Party) -> dict[str, Any]:
    return {
        "role": p.role,
        "id": p.id,
        "title_en": p.title_en,
        "title_zh": p.title_zh,
        "contact_email": p.contact_email,
        "owner_org": p.owner_org,
    }


def _venue(row: VenueRow) -> Venue:
    return Venue(
        row.id, row.name_en, row.name_zh, row.address, row.owner_department, row.concurrent
    )


def _outcome_dict(o: KpiOutcome) -> dict[str, Any]:
    return {
        **o.kpi.as_dict(),
        "measured": o.measured,
        "met": o.met,
        "count": o.count,
        "min": o.minimum,
        "max": o.maximum,
        "last": o.last,
    }


def _outcome(d: dict[str, Any]) -> KpiOutcome:
    kpi = Kpi(d["name"], d["unit"], d["baseline"], d["target"], d["direction"])
    return KpiOutcome(kpi, d["measured"], d["met"], d["count"], d["min"], d["max"], d["last"])


class TrialsRepository:
    """Venues, trials with their records, measurements, reports and match decisions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # venues
    async def seed_venues(self) -> None:
        """Insert the seeded venues (EMSD Headquarters) when missing."""
        for venue in SEED_VENUES:
            if await self.session.get(VenueRow, venue.id) is None:
                await self.add_venue(venue)

    async def add_venue(self, venue: Venue) -> None:
        """Store a new venue."""
        self.session.add(
            VenueRow(
                id=venue.id,
                name_en=venue.name_en,
                name_zh=venue.name_zh,
                address=venue.address,
                owner_department=venue.owner_department,
                concurrent=venue.concurrent,
            )
        )
        await self.session.flush()

    async def get_venue(self, venue_id: str) -> Venue:
        """The venue, or NotFound."""
        row = await self.session.get(VenueRow, venue_id)
        if row is None:
            raise NotFound("venue", venue_id)
        return _venue(row)

    async def list_venues(self) -> list[Venue]:
        """Every venue, seeded first then by English name."""
        rows = (
            await self.session.exec(
                select(VenueRow).order_by(VenueRow.created_at, VenueRow.name_en)
            )
        ).all()
        return [_venue(r) for r in rows]

    async def lock_venue(self, venue_id: str) -> Venue:
        """Take the venue's booking lock for this transaction (call it first); NotFound if none."""
        result = await self.session.exec(
            update(VenueRow)
            .where(col(VenueRow.id) == venue_id)
            .values(booking_seq=VenueRow.booking_seq + 1)
        )
        if result.rowcount != 1:
            raise NotFound("venue", venue_id)
        return await self.get_venue(venue_id)

    async def find_conflicting_trial(
        self, venue_id: str, start: datetime, end: datetime, *, exclude_trial_id: str | None = None
    ) -> str | None:
        """The id of the earliest active trial at the venue whose window [start, end) overlaps."""
        query = (
            select(TrialRow.id)
            .where(
                col(TrialRow.venue_id) == venue_id,
                col(TrialRow.state).in_(ACTIVE_STATES),
                col(TrialRow.planned_start) < end,
                col(TrialRow.planned_end) > start,
            )
            .order_by(TrialRow.planned_start, TrialRow.id)
            .limit(1)
        )
        if exclude_trial_id is not None:
            query = query.where(col(TrialRow.id) != exclude_trial_id)
        return (await self.session.exec(query)).first()

    async def venue_calendar(
        self, venue_id: str, *, active_only: bool = True
    ) -> list[tuple[str, str, datetime, datetime]]:
        """(trial_id, state, planned_start, planned_end) of the venue's trials by start."""
        query = select(
            TrialRow.id, TrialRow.state, TrialRow.planned_start, TrialRow.planned_end
        ).where(col(TrialRow.venue_id) == venue_id)
        if active_only:
            query = query.where(col(TrialRow.state).in_(ACTIVE_STATES))
        return [
            tuple(r)
            for r in (await self.session.exec(query.order_by(TrialRow.planned_start))).all()
        ]

    # trials
    async def add_trial(self, trial: Trial) -> None:
        """Store a newly opened trial with its first transition."""
        self.session.add(
            TrialRow(
                id=trial.id,
                match_id=trial.match.match_id,
                version=1,
                opened_at=trial.opened_at,
                parties={
                    "wish": _party_dict(trial.match.wish),
                    "solution": _party_dict(trial.match.solution),
                },
                **self._mutable(trial),
            )
        )
        await self.session.flush()
        await self._append_records(trial)
        trial.version = 1

    async def get_trial(self, trial_id: str) -> Trial:
        """The trial with its transitions and amendments (not its measurements), or NotFound."""
        fresh = (
            select(TrialRow)
            .where(col(TrialRow.id) == trial_id)
            .execution_options(populate_existing=True)
        )
        row = (await self.session.exec(fresh)).first()  # a fresh read, never a stale cached copy
        if row is None:
            raise NotFound("trial", trial_id)
        transitions = (
            await self.session.exec(
                select(TransitionRow)
                .where(col(TransitionRow.trial_id) == trial_id)
                .order_by(TransitionRow.seq)
            )
        ).all()
        amendments = (
            await self.session.exec(
                select(AmendmentRow)
                .where(col(AmendmentRow.trial_id) == trial_id)
                .order_by(AmendmentRow.seq)
            )
        ).all()
        kpis = tuple(
            Kpi(k["name"], k["unit"], k["baseline"], k["target"], k["direction"]) for k in row.kpis
        )
        results = None
        if row.results is not None and row.verdict is not None:
            results = Results(tuple(_outcome(d) for d in row.results), row.verdict)  # type: ignore[arg-type]
        return Trial(
            id=row.id,
            match=MatchFacts(
                row.match_id, _party(row.parties["wish"]), _party(row.parties["solution"])
            ),
            plan=Plan(row.venue_id, row.planned_start, row.planned_end, kpis),
            state=row.state,  # type: ignore[arg-type]
            transitions=[
                Transition(
                    t.seq, t.from_state, t.to_state, Actor(t.by_org, t.by_role), t.at, t.note
                )  # type: ignore[arg-type]
                for t in transitions
            ],
            amendments=[
                Amendment(
                    a.seq,
                    Actor(a.by_org, a.by_role),
                    a.at,
                    a.reason,  # type: ignore[arg-type]
                    tuple(Change(c["field"], c["before"], c["after"]) for c in a.changes),
                )
                for a in amendments
            ],
            actual_start=row.actual_start,
            ended_at=row.ended_at,
            summary=row.summary,
            termination_reason=row.termination_reason,
            results=results,
            version=row.version,
        )

    async def save_trial(self, trial: Trial, *, measurement_count: int | None = None) -> None:
        """Write a loaded trial's changes if nobody changed it meanwhile (else ConcurrentUpdate).
        With measurement_count, also require that no measurement arrived since it was counted."""
        stmt = update(TrialRow).where(
            col(TrialRow.id) == trial.id, col(TrialRow.version) == trial.version
        )
        if measurement_count is not None:
            stmt = stmt.where(col(TrialRow.measurement_count) == measurement_count)
        result = await self.session.exec(
            stmt.values(version=trial.version + 1, updated_at=utcnow(), **self._mutable(trial))
        )
        if result.rowcount != 1:
            raise ConcurrentUpdate(f"trial {trial.id} changed meanwhile; reload it and try again")
        await self._append_records(trial)
        trial.version += 1

    async def list_trials(
        self,
        *,
        state: str | None = None,
        venue_id: str | None = None,
        match_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Trial]:
        """Trials, newest first, optionally filtered."""
        query = _trial_filters(
            select(TrialRow.id).order_by(col(TrialRow.opened_at).desc(), TrialRow.id),
            state=state, venue_id=venue_id, match_id=match_id,
        )
        ids = (await self.session.exec(query.limit(limit).offset(offset))).all()
        return [await self.get_trial(i) for i in ids]

    async def count_trials(
        self, *, state: str | None = None, venue_id: str | None = None, match_id: str | None = None
    ) -> int:
        """How many trials list_trials would page through with the same filters."""
        query = _trial_filters(
            select(func.count()).select_from(TrialRow),
            state=state, venue_id=venue_id, match_id=match_id,
        )
        return int((await self.session.exec(query)).one())

    async def active_trial_for_match(self, match_id: str) -> str | None:
        """The id of a planned or running trial of this match, if any."""
        query = select(TrialRow.id).where(
            col(TrialRow.match_id) == match_id, col(TrialRow.state).in_(ACTIVE_STATES)
        )
        return (await self.session.exec(query.limit(1))).first()

    # measurements
    async def add_measurement(self, trial_id: str, m: Measurement) -> None:
        """Store a measurement if the trial is still running (checked in the same statement)."""
        result = await self.session.exec(
            update(TrialRow)
            .where(col(TrialRow.id) == trial_id, col(TrialRow.state) == "running")
            .values(measurement_count=TrialRow.measurement_count + 1)
        )
        if result.rowcount != 1:
            state = (
                await self.session.exec(select(TrialRow.state).where(col(TrialRow.id) == trial_id))
            ).first()
            if state is None:
                raise NotFound("trial", trial_id)
            raise InvalidTransition(trial_id, state, "record a measurement")
        self.session.add(
            MeasurementRow(
                trial_id=trial_id,
                kpi=m.kpi,
                value=m.value,
                measured_at=m.measured_at,
                by_org=m.recorded_by.org,
                by_role=m.recorded_by.role,
                recorded_at=m.recorded_at,
            )
        )
        await self.session.flush()

    async def measurements(self, trial_id: str, *, kpi: str | None = None) -> list[Measurement]:
        """A trial's measurements in time order."""
        query = select(MeasurementRow).where(col(MeasurementRow.trial_id) == trial_id)
        if kpi is not None:
            query = query.where(col(MeasurementRow.kpi) == kpi)
        rows = (
            await self.session.exec(query.order_by(MeasurementRow.measured_at, MeasurementRow.id))
        ).all()
        return [
            Measurement(r.kpi, r.value, r.measured_at, Actor(r.by_org, r.by_role), r.recorded_at)  # type: ignore[arg-type]
            for r in rows
        ]

    async def measurement_count(self, trial_id: str) -> int:
        """How many measurements the trial has (the counter complete() checks against)."""
        count = (
            await self.session.exec(
                select(TrialRow.measurement_count).where(col(TrialRow.id) == trial_id)
            )
        ).first()
        if count is None:
            raise NotFound("trial", trial_id)
        return count

    # reports
    async def add_report(self, report: PublishedReport) -> None:
        """Store a new report version (a duplicate version fails on the unique key)."""
        self.session.add(
            ReportRow(
                id=report.content["report_id"],
                trial_id=report.trial_id,
                version=report.version,
                verdict=report.content["verdict"],
                content_hash=report.content_hash,
                content=json.dumps(report.content, ensure_ascii=False, sort_keys=True),
                html=report.html,
                pdf=report.pdf,
                published_at=report.published_at,
            )
        )
        await self.session.flush()

    async def get_report(self, trial_id: str, version: int | None = None) -> PublishedReport:
        """A version of the trial's report (the latest when version is None), or NotFound."""
        query = select(ReportRow).where(col(ReportRow.trial_id) == trial_id)
        query = (
            query.where(col(ReportRow.version) == version)
            if version
            else query.order_by(col(ReportRow.version).desc())
        )
        row = (await self.session.exec(query.limit(1))).first()
        if row is None:
            raise NotFound("report", trial_id if version is None else f"{trial_id} v{version}")
        return PublishedReport(
            row.trial_id,
            row.version,
            json.loads(row.content),
            row.content_hash,
            row.html,
            row.pdf,
            row.published_at,
        )

    async def list_reports(
        self,
        *,
        latest_only: bool = True,
        verdict: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Published reports, newest first: trial, version, verdict, hash, titles, venue, dates."""
        query = _report_filters(select(ReportRow), latest_only=latest_only, verdict=verdict)
        query = (
            query.order_by(col(ReportRow.published_at).desc(), col(ReportRow.id))
            .limit(limit)
            .offset(offset)
        )
        out = []
        for row in (await self.session.exec(query)).all():
            doc = json.loads(row.content)
            solution = next(p for p in doc["parties"] if p["role"] == "solution")
            wish = next(p for p in doc["parties"] if p["role"] == "wish")
            out.append(
                {
                    "trial_id": row.trial_id,
                    "version": row.version,
                    "verdict": row.verdict,
                    "content_hash": row.content_hash,
                    "published_at": doc["published_at"],
                    "supersedes": doc["supersedes"],
                    "solution": solution,
                    "wish": wish,
                    "venue": {k: doc["venue"][k] for k in ("id", "name_en", "name_zh")},
                    "dates": doc["dates"],
                    "kpis_met": doc["kpis_met"],
                    "kpis_total": len(doc["kpis"]),
                }
            )
        return out

    async def count_reports(self, *, latest_only: bool = True, verdict: str | None = None) -> int:
        """How many reports list_reports would page through with the same filters."""
        query = _report_filters(
            select(func.count(col(ReportRow.id))).select_from(ReportRow),
            latest_only=latest_only, verdict=verdict,
        )
        return int((await self.session.exec(query)).one())

    # match decisions (from MatchDecided events)
    async def record_match_decision(
        self, facts: MatchFacts, decision: str, decided_at: datetime, event_id: str
    ) -> bool:
        """Keep the latest decision on a match; an older event than the stored one is ignored."""
        row = await self.session.get(MatchDecisionRow, facts.match_id)
        if row is not None and row.decided_at > decided_at:
            return False
        if row is None:
            row = MatchDecisionRow(
                match_id=facts.match_id,
                decision=decision,
                decided_at=decided_at,
                event_id=event_id,
                wish={},
                solution={},
            )
        row.decision, row.decided_at, row.event_id = decision, decided_at, event_id
        row.wish, row.solution = _party_dict(facts.wish), _party_dict(facts.solution)
        self.session.add(row)
        await self.session.flush()
        return True

    async def get_match_decision(self, match_id: str) -> MatchDecision | None:
        """The latest decision on a match, if the service has heard of it."""
        row = await self.session.get(MatchDecisionRow, match_id)
        if row is None:
            return None
        facts = MatchFacts(row.match_id, _party(row.wish), _party(row.solution))
        return MatchDecision(facts, row.decision, row.decided_at)

    # helpers
    @staticmethod
    def _mutable(trial: Trial) -> dict[str, Any]:
        results = trial.results
        return {
            "venue_id": trial.plan.venue_id,
            "state": trial.state,
            "planned_start": trial.plan.planned_start,
            "planned_end": trial.plan.planned_end,
            "actual_start": trial.actual_start,
            "ended_at": trial.ended_at,
            "kpis": [k.as_dict() for k in trial.plan.kpis],
            "summary": trial.summary,
            "termination_reason": trial.termination_reason,
            "results": None if results is None else [_outcome_dict(o) for o in results.outcomes],
            "verdict": None if results is None else results.verdict,
        }

    async def _append_records(self, trial: Trial) -> None:
        async def stored(model: Any) -> int:
            query = select(func.coalesce(func.max(model.seq), 0)).where(model.trial_id == trial.id)
            return (await self.session.exec(query)).one()

        for t in trial.transitions[await stored(TransitionRow) :]:
            self.session.add(
                TransitionRow(
                    trial_id=trial.id,
                    seq=t.seq,
                    from_state=t.from_state,
                    to_state=t.to_state,
                    by_org=t.by.org,
                    by_role=t.by.role,
                    at=t.at,
                    note=t.note,
                )
            )
        for a in trial.amendments[await stored(AmendmentRow) :]:
            self.session.add(
                AmendmentRow(
                    trial_id=trial.id,
                    seq=a.seq,
                    by_org=a.by.org,
                    by_role=a.by.role,
                    at=a.at,
                    reason=a.reason,
                    changes=[
                        {"field": c.field, "before": c.before, "after": c.after} for c in a.changes
                    ],
                )
            )
        await self.session.flush()


def _trial_filters(query: Any, **equal: str | None) -> Any:
    for name, value in equal.items():
        if value is not None:
            query = query.where(col(getattr(TrialRow, name)) == value)
    return query


def _report_filters(query: Any, *, latest_only: bool, verdict: str | None) -> Any:
    if latest_only:
        latest = (
            select(ReportRow.trial_id, func.max(ReportRow.version).label("v"))
            .group_by(ReportRow.trial_id)
            .subquery()
        )
        query = query.join(
            latest,
            (col(ReportRow.trial_id) == latest.c.trial_id) & (col(ReportRow.version) == latest.c.v),
        )
    if verdict is not None:
        query = query.where(col(ReportRow.verdict) == verdict)
    return query
