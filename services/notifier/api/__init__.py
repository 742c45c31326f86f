"""HTTP API of the notifier (port 8104): `subscriptions` (the endpoints: subscribe, confirm,
manage, unsubscribe, RFC 8058 one-click) and `answers` (reading a body, answering JSON or
sending a browser on to the portal). A database outage is answered 503 by the kernel
(innoportal.http), as on every service."""

from services.notifier.api.subscriptions import router

__all__ = ["router"]
