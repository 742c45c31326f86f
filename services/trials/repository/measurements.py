"""Measurements of a running trial, counted on the trial row so completion can check them."""

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import col, select

from services.trials.domain import Actor, InvalidTransition, Measurement, NotFound
from services.trials.models import MeasurementRow, TrialRow
from services.trials.repository.rows import Queries


class MeasurementQueries(Queries):
    """A trial's measurements and their counter."""

    async def add_measurement(self, trial_id: str, m: Measurement) -> None:
        """Store a measurement if the trial is still running (checked in the same statement)."""
        await self.add_measurements(trial_id, [m])

    async def add_measurements(self, trial_id: str, batch: Sequence[Measurement]) -> None:
        """Store measurements if the trial is still running (checked in the same statement)."""
        result = await self.session.exec(
            update(TrialRow)
            .where(col(TrialRow.id) == trial_id, col(TrialRow.state) == "running")
            .values(measurement_count=TrialRow.measurement_count + len(batch))
        )
        if result.rowcount != 1:
            state = (
                await self.session.exec(select(TrialRow.state).where(col(TrialRow.id) == trial_id))
            ).first()
            if state is None:
                raise NotFound("trial", trial_id)
            raise InvalidTransition(trial_id, state, "record a measurement")
        self.session.add_all([
            MeasurementRow(
                trial_id=trial_id,
                kpi=m.kpi,
                value=m.value,
                measured_at=m.measured_at,
                by_org=m.recorded_by.org,
                by_role=m.recorded_by.role,
                recorded_at=m.recorded_at,
            )
            for m in batch
        ])
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
