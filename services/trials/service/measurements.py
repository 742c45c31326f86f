"""Measurement use cases: a reading or a batch of readings of a running trial, and the list."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.trials.domain import Actor, Measurement, Reading
from services.trials.repository import TrialsRepository


async def record_measurement(
    uow: UnitOfWork,
    trial_id: str,
    *,
    by: Actor,
    kpi: Any,
    value: Any,
    measured_at: Any,
    now: datetime,
) -> Measurement:
    """Store a validated measurement from EMSD or the trial's provider while it runs."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    measurement = trial.check_measurement(
        by=by, kpi=kpi, value=value, measured_at=measured_at, now=now
    )
    await repo.add_measurement(trial_id, measurement)
    return measurement


async def record_measurements(
    uow: UnitOfWork,
    trial_id: str,
    *,
    by: Actor,
    items: Sequence[Reading],
    now: datetime,
    store: bool = True,
) -> list[Measurement]:
    """Check a batch of readings, each (index, kpi, value, measured_at), and store all of them,
    or none: FieldError names every wrong `items[index].field`. store=False only checks."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    batch = trial.check_measurements(by=by, items=items, now=now)
    if store and batch:
        await repo.add_measurements(trial_id, batch)
    return batch


async def list_measurements(
    uow: UnitOfWork, trial_id: str, *, kpi: str | None = None
) -> tuple[str, list[Measurement]]:
    """The trial's id and its measurements in time order (of one KPI, if named)."""
    repo = TrialsRepository(uow.session)
    trial = await repo.get_trial(trial_id)
    name = None
    if kpi is not None:
        known = trial.plan.kpi(kpi)
        if known is None:
            raise FieldError("kpi", trial.plan.unknown_kpi())
        name = known.name
    return trial.id, await repo.measurements(trial.id, kpi=name)
