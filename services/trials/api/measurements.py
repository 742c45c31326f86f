"""Measurements of a running trial: one reading, a batch (a CSV upload, say) in one transaction,
and the list. A batch is stored whole or not at all, and its one answer names every wrong field
of every item as items[N].field (N from 0)."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from contracts import utcnow
from innoportal.auth import AnyRoleDep
from innoportal.errors import FieldError
from innoportal.uow import UnitOfWorkDep
from services.trials import service
from services.trials.api.views import measurement_json
from services.trials.api.web import actor, check_id, count_created
from services.trials.domain import Measurement
from services.trials.schemas import MeasurementBatchIn, MeasurementIn

router = APIRouter(prefix="/v1/trials/{trial_id}/measurements", tags=["trials"])
_ITEM = TypeAdapter(MeasurementIn)
_ITEM_FIELD = re.compile(r"items\[(\d+)\]\.(.+)")
# Its bodies may be larger than other requests' (TrialsSettings.max_batch_body_bytes).
BATCH_PATH = r"/v1/trials/[^/]+/measurements/batch"


@router.post("", status_code=201)
async def record_measurement(
    trial_id: str, body: MeasurementIn, principal: AnyRoleDep, uow: UnitOfWorkDep,
    request: Request,
) -> dict[str, Any]:
    """Record a KPI reading of a running trial (EMSD, or the trial's own provider)."""
    now = utcnow()
    measurement = await service.record_measurement(
        uow, check_id("trial", trial_id), by=actor(principal), kpi=body.kpi,
        value=body.value, measured_at=body.measured_at or now, now=now,
    )
    await uow.commit()
    count_created(request, "measurement")
    return {"trial_id": trial_id, **measurement_json(measurement)}


@router.get("")
async def list_measurements(
    trial_id: str, uow: UnitOfWorkDep, kpi: Annotated[str | None, Query(max_length=120)] = None
) -> dict[str, Any]:
    """A trial's measurements in time order (optionally of one KPI)."""
    trial_id, measurements = await service.list_measurements(
        uow, check_id("trial", trial_id), kpi=kpi
    )
    items = [measurement_json(m) for m in measurements]
    return {"trial_id": trial_id, "items": items, "total": len(items)}


def _shapes(items: list[Any]) -> tuple[list[tuple[int, MeasurementIn]], list[dict[str, Any]]]:
    """The items of the right shape (with their index), and the shape errors of all the others."""
    valid, errors = [], []
    for n, item in enumerate(items):
        try:
            valid.append((n, _ITEM.validate_python(item)))
        except ValidationError as exc:
            errors += [{**e, "loc": ("body", "items", n, *e["loc"])}
                       for e in exc.errors(include_url=False)]
    return valid, errors


def _error(field: str, message: str) -> dict[str, Any]:
    """A wrong field of one item as a validation error at body.items[N].field."""
    found = _ITEM_FIELD.fullmatch(field)
    loc = ("body", "items", int(found[1]), found[2]) if found else ("body", field)
    return {"type": "value_error", "loc": loc, "msg": message, "input": None}


def _item_index(error: dict[str, Any]) -> int:
    loc = error["loc"]
    return loc[2] if len(loc) > 2 and isinstance(loc[2], int) else -1


@router.post("/batch", status_code=201)
async def record_measurements(
    trial_id: str, body: MeasurementBatchIn, principal: AnyRoleDep, uow: UnitOfWorkDep,
    request: Request,
) -> dict[str, Any]:
    """Record 1 to 1000 readings of a running trial at once (EMSD, or the trial's own provider):
    all are stored, or none is and the 422 names each wrong items[N].field of every item."""
    now = utcnow()
    valid, errors = _shapes(body.items)
    readings = [(n, m.kpi, m.value, m.measured_at or now) for n, m in valid]
    stored: list[Measurement] = []
    try:
        stored = await service.record_measurements(
            uow, check_id("trial", trial_id), by=actor(principal), items=readings, now=now,
            store=not errors,
        )
    except FieldError as exc:
        errors += [_error(field, message) for field, message in exc.errors]
    if errors:  # raised before the commit: nothing of the batch is kept
        raise RequestValidationError(sorted(errors, key=_item_index))
    await uow.commit()
    count_created(request, "measurement", len(stored))
    items = [measurement_json(m) for m in stored]
    return {"trial_id": trial_id, "items": items, "total": len(items)}
