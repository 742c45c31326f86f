"""HTTP API of the trials service (port 8105): venues, the trial lifecycle, measurements,
reports. HTTP only: each handler parses, checks the role, calls one use case in a unit of work,
commits and shapes the answer."""

from fastapi import APIRouter

from services.trials.api import measurements, reports, trials, venues
from services.trials.api.measurements import BATCH_PATH
from services.trials.api.web import install_trials_errors

__all__ = ["BATCH_PATH", "install_trials_errors", "router"]

router = APIRouter()
router.include_router(venues.router)
router.include_router(trials.router)
router.include_router(measurements.router)
router.include_router(reports.trial_reports)
router.include_router(reports.reports)
