"""Use cases of the trials service: load, decide in the domain, store, stage the event.

Each takes the caller's `UnitOfWork` and never commits: the HTTP handler (`UnitOfWorkDep`) or
the consumer (`apply_once`, a unit of work of its own) commits it once, so a record and its outbox event commit together.
Domain errors carry `http_status` for the HTTP layer; bad input is the kernel's FieldError.
"""

from services.trials.domain import Conflict, NotPermitted  # callers catch service.Conflict
from services.trials.repository import PublishedReport, TrialView  # what use cases answer
from services.trials.service.measurements import (
    list_measurements,
    record_measurement,
    record_measurements,
)
from services.trials.service.reports import (
    DEFAULT_REPORT_URL,
    complete_trial,
    correct_trial_report,
    draw_report_chart,
    find_report,
    list_reports,
    render_report_pdf,
)
from services.trials.service.trials import (
    amend_trial,
    get_trial,
    list_trials,
    open_trial,
    record_match_decision,
    start_trial,
    terminate_trial,
)
from services.trials.service.venues import (
    create_venue,
    get_venue,
    list_venues,
    seed_venues,
    venue_calendar,
)

__all__ = [
    "DEFAULT_REPORT_URL",
    "Conflict",
    "NotPermitted",
    "PublishedReport",
    "TrialView",
    "amend_trial",
    "complete_trial",
    "correct_trial_report",
    "create_venue",
    "draw_report_chart",
    "find_report",
    "get_trial",
    "get_venue",
    "list_measurements",
    "list_reports",
    "list_trials",
    "list_venues",
    "open_trial",
    "record_match_decision",
    "record_measurement",
    "record_measurements",
    "render_report_pdf",
    "seed_venues",
    "start_trial",
    "terminate_trial",
    "venue_calendar",
]
