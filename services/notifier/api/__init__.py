"""HTTP API of the notifier (port 8104): `subscriptions` (the endpoints: subscribe, confirm,
manage, unsubscribe, RFC 8058 one-click), `answers` (reading a body, answering JSON or sending a
browser on to the portal) and `outage` (503 when the database cannot be reached)."""

from services.notifier.api.outage import install_outage_answer
from services.notifier.api.subscriptions import router

__all__ = ["install_outage_answer", "router"]
