"""Trials with their transitions and amendments, saved under an optimistic version check."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from contracts import utcnow
from services.trials.domain import (
    ACTIVE_STATES,
    Actor,
    Amendment,
    Change,
    ConcurrentUpdate,
    Kpi,
    KpiOutcome,
    MatchFacts,
    NotFound,
    Plan,
    Results,
    Transition,
    Trial,
)
from services.trials.domain.plan import DEFAULT_AGGREGATE
from services.trials.models import AmendmentRow, TransitionRow, TrialRow
from services.trials.repository.rows import Queries, party


def _kpi(d: dict[str, Any]) -> Kpi:
    # KPIs stored before aggregates existed were judged on the mean.
    return Kpi(d["name"], d["unit"], d["baseline"], d["target"], d["direction"],
               d.get("aggregate") or DEFAULT_AGGREGATE)


def _outcome(d: dict[str, Any]) -> KpiOutcome:
    return KpiOutcome(_kpi(d), d["measured"], d["met"], d["count"], d["min"], d["max"], d["last"])


def transition_of(
    seq: int, from_state: Any, to_state: Any, org: str, role: Any, at: datetime, note: str | None
) -> Transition:
    """A stored transition."""
    return Transition(seq, from_state, to_state, Actor(org, role), at, note)


def amendment_of(
    seq: int, org: str, role: Any, at: datetime, reason: str, changes: list[dict[str, Any]]
) -> Amendment:
    """A stored amendment."""
    return Amendment(seq, Actor(org, role), at, reason,
                     tuple(Change(c["field"], c["before"], c["after"]) for c in changes))


def to_trial(
    row: TrialRow, transitions: list[Transition], amendments: list[Amendment]
) -> Trial:
    """The Trial of a stored row with its transitions and amendments (each in seq order)."""
    results = None
    if row.results is not None and row.verdict is not None:
        results = Results(tuple(_outcome(d) for d in row.results), row.verdict)  # type: ignore[arg-type]
    return Trial(
        id=row.id,
        match=MatchFacts(row.match_id, party(row.parties["wish"]), party(row.parties["solution"])),
        plan=Plan(row.venue_id, row.planned_start, row.planned_end,
                  tuple(_kpi(k) for k in row.kpis)),
        state=row.state,  # type: ignore[arg-type]
        transitions=transitions,
        amendments=amendments,
        actual_start=row.actual_start,
        ended_at=row.ended_at,
        summary=row.summary,
        termination_reason=row.termination_reason,
        results=results,
        version=row.version,
    )


class TrialQueries(Queries):
    """Trials: open, load and save under the version check."""

    async def add_trial(self, trial: Trial) -> None:
        """Store a newly opened trial with its first transition."""
        self.session.add(
            TrialRow(
                id=trial.id,
                match_id=trial.match.match_id,
                version=1,
                opened_at=trial.opened_at,
                parties={
                    "wish": trial.match.wish.as_dict(),
                    "solution": trial.match.solution.as_dict(),
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
        return to_trial(
            row,
            [transition_of(t.seq, t.from_state, t.to_state, t.by_org, t.by_role, t.at, t.note)
             for t in transitions],
            [amendment_of(a.seq, a.by_org, a.by_role, a.at, a.reason, a.changes)
             for a in amendments],
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

    async def active_trial_for_match(self, match_id: str) -> str | None:
        """The id of a planned or running trial of this match, if any."""
        query = select(TrialRow.id).where(
            col(TrialRow.match_id) == match_id, col(TrialRow.state).in_(ACTIVE_STATES)
        )
        return (await self.session.exec(query.limit(1))).first()

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
            "results": None if results is None else [o.as_dict() for o in results.outcomes],
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
