"""The matcher's own Prometheus metrics, in the service's registry: EMSD's decisions on matches."""

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.matcher.decisions import ACCEPTED_REASON, REJECT_REASONS, STATUSES, decision_reason
from services.matcher.models import MatchRow


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

    async def refresh(self, session: AsyncSession) -> None:
        """Read the counts from the database (a reason's kind is worked out here, from text)."""
        by_status = dict((await session.exec(
            select(MatchRow.status, func.count()).group_by(col(MatchRow.status)))).all())
        decided = dict.fromkeys(self.series(), 0)
        rows = await session.exec(
            select(MatchRow.status, MatchRow.decision_reason, func.count())
            .where(col(MatchRow.status) != "pending")
            .group_by(col(MatchRow.status), col(MatchRow.decision_reason)))
        for status, reason, n in rows.all():
            key = (status, decision_reason(status, reason))
            if key in decided:
                decided[key] += n
        for status in STATUSES:
            self.matches.labels(status=status).set(by_status.get(status, 0))
        for (decision, reason), n in decided.items():
            self.by_reason.labels(decision, reason).set(n)
