"""Wiring of the notifier: real adapters by default, any of them replaceable.

Nothing connects here: the workers (and the SMTP pool, the acceptance journal and the composer
they use, which need the signing secret) are built when the runtime starts, closed when it stops.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from innoportal.db import Database
from innoportal.runtime import Runtime
from innoportal.tracing import tracer
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
from services.notifier.api import router
from services.notifier.bus import build_router
from services.notifier.emails import Composer
from services.notifier.metrics import NotifierMetrics
from services.notifier.models import NOTIFIER_TABLES
from services.notifier.repository.email_outbox import settled_emails_rule
from services.notifier.settings import NotifierSettings
from services.notifier.workers import Workers
from services.notifier.workers.digests import DigestScheduler
from services.notifier.workers.fanout import FanoutWorker
from services.notifier.workers.gauges import GaugeRefresher
from services.notifier.workers.sender import EmailSender, SenderPolicy

log = logging.getLogger("innoportal.notifier")


def bootstrap(settings: NotifierSettings | None = None, **adapters: Any) -> Runtime:
    """The notifier runtime; its sender, fan-out worker and digest scheduler run while it runs
    (`runtime.workers`, None until it starts).

    Pass db=, broker=, common= to replace the Runtime's adapters.
    """
    settings = settings or NotifierSettings()
    runtime = Runtime(settings=settings, build_router=build_router, tables=NOTIFIER_TABLES,
                      **adapters)
    metrics = NotifierMetrics(runtime.metrics.registry)
    runtime.workers = None
    runtime.retention.add(settled_emails_rule(timedelta(days=settings.email_keep_days)))

    async def start() -> None:
        runtime.workers = build_workers(runtime, settings, metrics)
        await runtime.workers.start()

    async def stop() -> None:
        if runtime.workers is not None:
            await runtime.workers.stop()

    runtime.on_start.append(start)
    runtime.on_stop.append(stop)
    return runtime


def build_workers(runtime: Runtime, settings: NotifierSettings, metrics: NotifierMetrics) -> Workers:
    """The sender on an SMTP pool (and, on SQLite, an acceptance journal), the fan-out worker,
    the digest scheduler and the gauges, from the settings."""
    common = runtime.common
    composer = Composer(runtime.secret_key, common.portal_url, common.mail_from)
    pool = SmtpPool(SmtpConfig.from_url(common.smtp_url), size=settings.smtp_pool or None)
    policy = SenderPolicy(
        batch=settings.send_batch, lease=timedelta(seconds=settings.send_lease_seconds),
        max_attempts=settings.send_max_attempts, base_delay=settings.send_retry_base_seconds,
        max_delay=settings.send_retry_max_seconds, poll_interval=settings.send_poll_seconds,
    )
    envelope_from = parseaddr(common.mail_from)[1] or "no-reply@innoportal.localhost"
    spans = tracer(runtime.tracer_provider, "innoportal.notifier")
    sender = EmailSender(runtime.db.sessions, pool, composer, envelope_from=envelope_from,
                         policy=policy, metrics=metrics, tracer=spans,
                         journal=_journal(runtime.db, common.data_dir))
    return Workers(
        db=runtime.db, composer=composer, pool=pool, sender=sender,
        fanout=FanoutWorker(runtime.db, chunk=settings.fanout_chunk, tracer=spans),
        digests=DigestScheduler(runtime.db, hour=settings.digest_hour,
                                interval=settings.digest_check_seconds,
                                unconfirmed_ttl=timedelta(hours=settings.unconfirmed_ttl_hours)),
        gauges=GaugeRefresher(runtime.db, metrics, settings.metrics_refresh_seconds,
                              lambda: pool.connects),
    )


def _journal(db: Database, data_dir: Path) -> AcceptanceJournal | None:
    """The acceptance journal: beside a SQLite file, or in the data folder for another database;
    None (each acceptance committed instead) while another process on this host holds it."""
    path = make_url(db.url).database
    if db.is_sqlite and (not path or path == ":memory:"):
        return None
    where = AcceptanceJournal.path_beside(path) if db.is_sqlite else data_dir / "notifier-accepted"
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        journal = AcceptanceJournal.owned(where)
    except OSError as exc:  # e.g. a read-only data folder: slower, never wrong
        log.warning("acceptance journal %s cannot be opened (%s); committing each SMTP "
                    "acceptance instead", where, exc)
        return None
    if journal is None:
        log.warning("acceptance journal %s is held by another notifier on this host; this one "
                    "commits each SMTP acceptance instead", where)
    return journal


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The notifier HTTP app."""
    runtime = runtime or bootstrap()
    app = runtime.http_app(
        router, title="InnoPortal notifier",
        description="Opportunity alerts by email: double opt-in subscriptions by category and "
        "keyword (English or 中文), signed manage and unsubscribe links, RFC 8058 one-click.",
    )
    return app
