"""The notifier's Prometheus metrics, in the service's registry."""

from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge

from services.notifier.domain import KINDS, STATES

SUBSCRIPTION_STATUSES = ("pending", "confirmed", "unsubscribed", "replaced")


class NotifierMetrics:
    """Emails by state, sent/failed/retried/suppressed counters, fan-outs, subscriptions."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.emails = Gauge("innoportal_notifier_emails", "Emails in the outbox by state.",
                            ["state"], registry=registry)
        self.sent = Counter("innoportal_notifier_emails_sent", "Emails the SMTP server accepted.",
                            ["kind"], registry=registry)
        self.failed = Counter("innoportal_notifier_emails_failed",
                              "Emails that failed for good (5xx, or out of attempts).",
                              ["kind"], registry=registry)
        self.retried = Counter("innoportal_notifier_email_retries",
                               "Transient failures (4xx, connection) scheduled for a retry.",
                               registry=registry)
        self.suppressed = Counter("innoportal_notifier_emails_suppressed",
                                  "Emails not sent: unsubscribed, bounced or no longer wanted.",
                                  registry=registry)
        self.recovered = Counter("innoportal_notifier_emails_recovered",
                                 "Emails a dead sender held, put back to be sent.",
                                 registry=registry)
        self.fanouts_open = Gauge("innoportal_notifier_fanouts_open",
                                  "Fan-outs to subscribers under way.", registry=registry)
        self.subscriptions = Gauge("innoportal_notifier_subscriptions",
                                   "Subscriptions by status.", ["status"], registry=registry)
        self.smtp_connections = Gauge("innoportal_notifier_smtp_connections_opened",
                                      "SMTP connections opened since start.", registry=registry)
        for state in STATES:  # every series exists from the start, at 0
            self.emails.labels(state=state)
        for kind in KINDS:
            self.sent.labels(kind=kind)
            self.failed.labels(kind=kind)
        for status in SUBSCRIPTION_STATUSES:
            self.subscriptions.labels(status=status)

    def observe_settled(self, entries: Iterable[tuple[Any, Any]]) -> None:
        """Count the fates of one group commit: (outbox row, Settlement) pairs."""
        for row, st in entries:
            if st.state == "sent":
                self.sent.labels(kind=row.kind).inc()
            elif st.state == "pending":
                self.retried.inc()
            elif st.state == "failed":
                self.failed.labels(kind=row.kind).inc()
            else:
                self.suppressed.inc()

    def observe_recovered(self, n: int) -> None:
        """Count emails taken back from a dead sender."""
        if n:
            self.recovered.inc(n)

    def set_gauges(self, *, emails: dict[str, int], fanouts_open: int,
                   subscriptions: dict[str, int], smtp_connections: int) -> None:
        """Refresh every gauge: emails by state, fan-outs under way, subscriptions by status,
        SMTP connections opened."""
        for state in STATES:
            self.emails.labels(state=state).set(emails.get(state, 0))
        self.fanouts_open.set(fanouts_open)
        for status, n in subscriptions.items():
            self.subscriptions.labels(status=status).set(n)
        for child in SUBSCRIPTION_STATUSES:
            if child not in subscriptions:
                self.subscriptions.labels(status=child).set(0)
        self.smtp_connections.set(smtp_connections)
