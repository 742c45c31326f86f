"""The notifier's running parts besides the kernel's: sender, fan-out worker, digest scheduler."""

import asyncio
import contextlib
import logging
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy.engine import make_url

from contracts import utcnow
from innoportal.runtime import Runtime
from innoportal.tracing import tracer
from innoportal.wake import on_commit, remove_waker
from services.notifier import delivery_log
from services.notifier.emails import Composer
from services.notifier.fanout import FanoutWorker
from services.notifier.jobs import FANOUT_CHANNEL
from services.notifier.journal import AcceptanceJournal
from services.notifier.metrics import NotifierMetrics
from services.notifier.scheduler import DigestScheduler, refresh_gauges_forever
from services.notifier.sender import EmailSender, SenderPolicy
from services.notifier.settings import NotifierSettings
from services.notifier.smtp import SmtpConfig, SmtpPool

log = logging.getLogger("innoportal.notifier")
STOP_GRACE_SECONDS = 20.0  # lets the batch being sent finish and be recorded


class NotifierState:
    """Built at bootstrap, started and stopped by the runtime's hooks."""

    def __init__(self, runtime: Runtime, settings: NotifierSettings) -> None:
        self.runtime, self.settings = runtime, settings
        self.metrics = NotifierMetrics(runtime.metrics.registry)
        self.composer: Composer | None = None
        self.pool: SmtpPool | None = None
        self.sender: EmailSender | None = None
        self.fanout: FanoutWorker | None = None
        self.scheduler: DigestScheduler | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._wakers: list[tuple[str, Any]] = []

    @property
    def db(self) -> Any:
        """The notifier's database."""
        return self.runtime.db

    @property
    def secret(self) -> str:
        """The secret that signs the links."""
        return self.runtime.secret_key

    def build(self) -> None:
        """Create the composer, SMTP pool, sender, fan-out worker and scheduler from settings."""
        s, common = self.settings, self.runtime.common
        self.composer = Composer(self.secret, common.portal_url, common.mail_from)
        config = SmtpConfig.from_url(common.smtp_url)
        self.pool = SmtpPool(config, size=s.smtp_pool or None)
        policy = SenderPolicy(
            batch=s.send_batch, lease=timedelta(seconds=s.send_lease_seconds),
            max_attempts=s.send_max_attempts, base_delay=s.send_retry_base_seconds,
            max_delay=s.send_retry_max_seconds, poll_interval=s.send_poll_seconds,
        )
        envelope_from = parseaddr(common.mail_from)[1] or "no-reply@innoportal.localhost"
        spans = tracer(self.runtime.tracer_provider, "innoportal.notifier")
        self.sender = EmailSender(self.db.sessions, self.pool, self.composer,
                                  envelope_from=envelope_from, policy=policy, metrics=self.metrics,
                                  tracer=spans, journal=self._journal())
        self.fanout = FanoutWorker(self.db, chunk=s.fanout_chunk, tracer=spans)
        self.scheduler = DigestScheduler(
            self.db, hour=s.digest_hour, interval=s.digest_check_seconds,
            unconfirmed_ttl=timedelta(hours=s.unconfirmed_ttl_hours))

    def _journal(self) -> AcceptanceJournal | None:
        """On SQLite (one process owns the file) acceptances go to a journal beside it."""
        path = make_url(self.db.url).database
        if not self.db.is_sqlite or not path or path == ":memory:":
            return None
        if self.sender is not None and self.sender.journal is not None:
            self.sender.journal.close()
        return AcceptanceJournal.beside(path)

    async def start(self) -> None:
        """Recover what a dead process held, then run the background loops."""
        self.build()
        assert self.sender and self.fanout and self.scheduler and self.pool
        if self.db.is_sqlite:
            # One process owns a SQLite file: whatever is still 'sending' belongs to a process
            # that died, so it goes back now rather than after the lease (same Message-ID).
            journal = self.sender.journal
            async with self.db.transaction() as s:
                # First what the SMTP server had accepted (journaled, not yet committed), then
                # the rest goes back to 'pending'.
                accepted = await delivery_log.apply_journal(
                    s, journal.entries() if journal else [], now=utcnow())
                n = await delivery_log.recover_stale(s, now=utcnow(), lease=timedelta(0))
            if journal is not None:
                journal.clear()
            if accepted:
                log.info("%d email(s) accepted by the SMTP server just before the last process "
                         "stopped were recorded as sent", accepted)
            if n:
                log.warning("%d email(s) were being sent when the last process stopped; "
                            "sending them again with the same Message-ID", n)
                self.metrics.observe_recovered(n)
        self._stop = asyncio.Event()
        for channel, callback in ((delivery_log.EMAIL_CHANNEL, self.sender.wake),
                                  (FANOUT_CHANNEL, self.fanout.wake)):
            on_commit(channel, callback)
            self._wakers.append((channel, callback))
        pool = self.pool
        self._tasks = [
            asyncio.create_task(self.sender.run(self._stop), name="notifier-sender"),
            asyncio.create_task(self.fanout.run(self._stop), name="notifier-fanout"),
            asyncio.create_task(self.scheduler.run(self._stop), name="notifier-digests"),
            asyncio.create_task(refresh_gauges_forever(
                self.db, self.metrics, self.settings.metrics_refresh_seconds, self._stop,
                extra=lambda: self.metrics.smtp_connections.set(pool.connects)),
                name="notifier-gauges"),
        ]

    async def stop(self) -> None:
        """Stop the loops (the batch being sent finishes first), then close SMTP connections."""
        self._stop.set()
        for channel, callback in self._wakers:
            remove_waker(channel, callback)
        self._wakers = []
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._tasks = []
        if self.pool is not None:
            await self.pool.close()
        if self.sender is not None and self.sender.journal is not None:
            self.sender.journal.close()
