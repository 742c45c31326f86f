"""HTTP plumbing of the trials API: ids, the caller, settings, counters, domain errors answered."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from innoportal.auth import Principal
from innoportal.fields import is_record_id
from innoportal.http import error_answer, request_language
from services.trials.domain import Actor, BookingConflict, NotFound, TrialsError
from services.trials.settings import TrialsSettings


def check_id(kind: str, value: str) -> str:
    """`value` if it could be the id of a stored record; NotFound (404) otherwise."""
    if not is_record_id(value, 64):
        raise NotFound(kind, value)
    return value


def actor(principal: Principal) -> Actor:
    """The domain's view of the caller."""
    return Actor(principal.org, principal.role)  # type: ignore[arg-type]


def settings_of(request: Request) -> TrialsSettings:
    """The trials settings of the runtime serving this request."""
    return request.app.state.runtime.settings


def count_created(request: Request, kind: str, n: int = 1) -> None:
    """Count `n` records of `kind` created (call it once they are committed)."""
    request.app.state.runtime.metrics.records_created.labels(kind=kind).inc(n)


async def _trials_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TrialsError)
    errors = [{"field": exc.field, "message": str(exc), "type": type(exc).__name__}]
    extra = ({"conflicting_trial_id": exc.conflicting_trial_id}
             if isinstance(exc, BookingConflict) else None)
    return error_answer(errors, exc.http_status, request_language(request), extra)


def install_trials_errors(app: FastAPI) -> None:
    """Answer every trials domain error in the one error shape, in the reader's language
    (Accept-Language): 403, 404 or 409 (bad input is the kernel's FieldError, 422)."""
    app.add_exception_handler(TrialsError, _trials_error)
