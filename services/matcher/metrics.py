"""The matcher's own Prometheus metrics, in the service's registry: EMSD's decisions on matches,
and the size of the index."""

from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Gauge

from services.matcher.domain.decisions import (
    ACCEPTED_REASON,
    REJECT_REASONS,
    STATUSES,
    decision_reason,
)
from services.matcher.engine import MatchingIndex


class DecisionMetrics:
    """Matches by status and decided matches by reason, as the matcher's database has them.

    Gauges, not counters: the share of published matches accepted is a share of every match
    ever published, which the database knows across restarts. They are read from the database
    when the service starts (before it serves or consumes), then kept in step by the two paths
    that change matches, after each commits: the consumers storing new pairs and EMSD's
    decisions. The matcher is the only writer of its database, so they stay exact. Every
    series exists from the start, at 0 when nothing has that status or reason yet.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.matches = Gauge(
            "innoportal_matcher_matches",
            "Published matches (stored pairs) by status: pending, accepted, rejected.",
            ["status"], registry=registry)
        self.by_reason = Gauge(
            "innoportal_matcher_decided_matches",
            "Decided matches by decision and reason: a rejection's reason sorted into "
            "duplicate, compliance, not_ready, cost, not_relevant or other; none for an accept.",
            ["decision", "reason"], registry=registry)
        for status in STATUSES:
            self.matches.labels(status=status)
        for labels in self.series():
            self.by_reason.labels(*labels)

    @staticmethod
    def series() -> list[tuple[str, str]]:
        """Every (decision, reason) pair the decided gauge has."""
        return [("accepted", ACCEPTED_REASON)] + [("rejected", r) for r in REJECT_REASONS]

    def published(self, n: int) -> None:
        """`n` new pairs were stored (committed), pending a decision."""
        if n:
            self.matches.labels(status="pending").inc(n)

    def decided(self, decision: str, reason: str | None) -> None:
        """A pending match was accepted or rejected (committed)."""
        self.matches.labels(status="pending").dec()
        self.matches.labels(status=decision).inc()
        self.by_reason.labels(decision, decision_reason(decision, reason)).inc()

    def set_counts(self, by_status: Mapping[str, int],
                   decided_rows: Iterable[tuple[str, str | None, int]]) -> None:
        """Set the gauges from the database's counts: matches by status, and decided matches
        as (status, reason as written, how many) (a reason's kind is worked out here)."""
        decided = dict.fromkeys(self.series(), 0)
        for status, reason, n in decided_rows:
            key = (status, decision_reason(status, reason))
            if key in decided:
                decided[key] += n
        for status in STATUSES:
            self.matches.labels(status=status).set(by_status.get(status, 0))
        for (decision, reason), n in decided.items():
            self.by_reason.labels(decision, reason).set(n)


def watch_index(registry: CollectorRegistry, index: MatchingIndex) -> None:
    """Expose the index's size as gauges, read at scrape time."""
    gauge = Gauge("innoportal_matcher_index_records",
                  "Records in the matching index, by kind and state.", ["kind", "state"],
                  registry=registry)
    for kind, state, key in (("wish", "open", "wishes_open"),
                             ("wish", "closed", "wishes_closed"),
                             ("solution", "listed", "solutions")):
        gauge.labels(kind, state).set_function(lambda k=key: index.matcher.stats()[k])
