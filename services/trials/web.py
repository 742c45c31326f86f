"""HTTP plumbing of the trials API: domain errors as answers, ids, the caller, response bodies."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.auth import Principal
from innoportal.fields import is_record_id
from innoportal.http import error_answer, request_language
from innoportal.runtime import Runtime
from services.trials.domain import (
    Actor,
    BookingConflict,
    InvalidInput,
    NotFound,
    Trial,
    TrialsError,
)
from services.trials.repository import TrialsRepository
from services.trials.settings import TrialsSettings
from services.trials.views import trial_json


def check_id(kind: str, value: str) -> str:
    """`value` if it could be the id of a stored record; NotFound (404) otherwise."""
    if not is_record_id(value, 64):
        raise NotFound(kind, value)
    return value


def actor(principal: Principal) -> Actor:
    """The domain's view of the caller."""
    return Actor(principal.org, principal.role)  # type: ignore[arg-type]


def runtime_of(request: Request) -> Runtime:
    """The runtime serving this request."""
    return request.app.state.runtime


def settings_of(request: Request) -> TrialsSettings:
    """The trials settings of the runtime serving this request."""
    return request.app.state.runtime.settings


def report_links(
    settings: TrialsSettings, trial_id: str, version: int | None = None
) -> dict[str, str]:
    """Where a report is published: HTML, JSON and PDF (a given version, or the latest)."""
    base = f"{settings.public_url.rstrip('/')}/v1/trials/{trial_id}/report"
    query = f"?version={version}" if version is not None else ""
    return {"url": base + query, "json_url": f"{base}.json{query}", "pdf_url": f"{base}.pdf{query}"}


async def trial_body(
    session: AsyncSession, trial: Trial, settings: TrialsSettings
) -> dict[str, Any]:
    """GET /v1/trials/{id}: the trial, its venue, its measurement count and its latest report."""
    repo = TrialsRepository(session)
    venue = await repo.get_venue(trial.plan.venue_id)
    body = trial_json(trial, venue=venue, measurement_count=await repo.measurement_count(trial.id))
    body["report"] = None
    if trial.state == "completed":
        try:
            report = await repo.get_report(trial.id)
        except NotFound:  # completed and its report commit together; never expected
            return body
        body["report"] = {
            "version": report.version,
            "content_hash": report.content_hash,
            "published_at": report.content["published_at"],
            **report_links(settings, trial.id, report.version),
        }
    return body


async def _trials_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TrialsError)
    if isinstance(exc, InvalidInput):
        errors = [{"field": p.field, "message": p.message, "type": "value_error"}
                  for p in exc.problems]
    else:
        errors = [{"field": exc.field, "message": str(exc), "type": type(exc).__name__}]
    extra = ({"conflicting_trial_id": exc.conflicting_trial_id}
             if isinstance(exc, BookingConflict) else None)
    return error_answer(errors, exc.http_status, request_language(request), extra)


def install_trials_errors(app: FastAPI) -> None:
    """Answer every trials domain error in the one error shape, in the reader's language
    (Accept-Language): 403, 404, 409 or 422."""
    app.add_exception_handler(TrialsError, _trials_error)
