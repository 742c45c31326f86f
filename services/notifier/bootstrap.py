"""Wiring of the notifier: real adapters by default, any of them replaceable."""

from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from innoportal.runtime import Runtime
from services.notifier.api import router as api_router
from services.notifier.bus import build_router
from services.notifier.delivery_log import settled_emails_rule
from services.notifier.models import NOTIFIER_TABLES
from services.notifier.settings import NotifierSettings
from services.notifier.state import NotifierState


def bootstrap(settings: NotifierSettings | None = None, **adapters: Any) -> Runtime:
    """The notifier runtime; its sender, fan-out worker and digest scheduler run while it runs.

    Pass db=, broker=, common= to replace the Runtime's adapters.
    """
    settings = settings or NotifierSettings()
    runtime = Runtime(settings=settings, build_router=build_router, tables=NOTIFIER_TABLES,
                      **adapters)
    runtime.state = NotifierState(runtime, settings)
    runtime.retention.add(settled_emails_rule(timedelta(days=settings.email_keep_days)))
    runtime.on_start.append(runtime.state.start)
    runtime.on_stop.append(runtime.state.stop)
    return runtime


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The notifier HTTP app."""
    runtime = runtime or bootstrap()
    return runtime.http_app(
        api_router, title="InnoPortal notifier",
        description="Opportunity alerts by email: double opt-in subscriptions by category and "
        "keyword (English or 中文), signed manage and unsubscribe links, RFC 8058 one-click.",
    )
