"""The trials repository: the queries the API needs, mapping rows to domain objects.

It never commits: the caller owns the transaction (and stages events in the same one).
Booking is race-safe: `lock_venue` first bumps the venue row, which takes a row lock on
PostgreSQL and the database write lock on SQLite, so a second booking of the same venue waits
until the first commits, and the bookings it then reads include the first trial. State changes
use an optimistic version check, so two concurrent moves of one trial cannot both succeed.
"""

from services.trials.repository.listing import TrialFilters, TrialListQueries, TrialView
from services.trials.repository.matches import MatchDecision, MatchDecisionQueries
from services.trials.repository.measurements import MeasurementQueries
from services.trials.repository.reports import PublishedReport, ReportQueries, ReportRef
from services.trials.repository.trials import TrialQueries
from services.trials.repository.venues import VenueQueries

__all__ = [
    "MatchDecision",
    "PublishedReport",
    "ReportRef",
    "TrialFilters",
    "TrialView",
    "TrialsRepository",
]


class TrialsRepository(
    VenueQueries, TrialQueries, TrialListQueries, MeasurementQueries, ReportQueries,
    MatchDecisionQueries,
):
    """Venues, trials with their records, lists of trials, measurements, reports and match
    decisions."""
