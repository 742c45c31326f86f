"""A batch of measurements (a CSV upload, say) in one transaction: every item stored, or none,
and then one answer naming every wrong field of every item as items[N].field (N from 0)."""

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from contracts import utcnow
from innoportal.auth import AnyRoleDep
from services.trials import service
from services.trials.domain import FieldProblem, InvalidInput, Measurement
from services.trials.schemas import MeasurementBatchIn, MeasurementIn
from services.trials.views import measurement_json
from services.trials.web import actor, check_id, runtime_of

batches = APIRouter(prefix="/v1/trials", tags=["trials"])
_ITEM = TypeAdapter(MeasurementIn)
_ITEM_FIELD = re.compile(r"items\[(\d+)\]\.(.+)")
# Its bodies may be larger than other requests' (TrialsSettings.max_batch_body_bytes).
BATCH_PATH = r"/v1/trials/[^/]+/measurements/batch"


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


def _error(problem: FieldProblem) -> dict[str, Any]:
    """A domain problem of one item as a validation error at body.items[N].field."""
    found = _ITEM_FIELD.fullmatch(problem.field)
    loc = ("body", "items", int(found[1]), found[2]) if found else ("body", problem.field)
    return {"type": "value_error", "loc": loc, "msg": problem.message, "input": None}


def _item_index(error: dict[str, Any]) -> int:
    loc = error["loc"]
    return loc[2] if len(loc) > 2 and isinstance(loc[2], int) else -1


@batches.post("/{trial_id}/measurements/batch", status_code=201)
async def record_measurements(
    trial_id: str, body: MeasurementBatchIn, principal: AnyRoleDep, request: Request
) -> dict[str, Any]:
    """Record 1 to 1000 readings of a running trial at once (EMSD, or the trial's own provider):
    all are stored, or none is and the 422 names each wrong items[N].field of every item."""
    runtime = runtime_of(request)
    now = utcnow()
    valid, errors = _shapes(body.items)
    readings = [(n, m.kpi, m.value, m.measured_at or now) for n, m in valid]
    stored: list[Measurement] = []
    async with runtime.db.transaction() as session:
        try:
            stored = await service.record_measurements(
                session, check_id("trial", trial_id), by=actor(principal), items=readings,
                now=now, store=not errors,
            )
        except InvalidInput as exc:
            errors += [_error(p) for p in exc.problems]
        if errors:  # raised inside the transaction: nothing of the batch is kept
            raise RequestValidationError(sorted(errors, key=_item_index))
    runtime.metrics.records_created.labels(kind="measurement").inc(len(stored))
    items = [measurement_json(m) for m in stored]
    return {"trial_id": trial_id, "items": items, "total": len(items)}
