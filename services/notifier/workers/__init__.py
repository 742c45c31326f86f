"""The notifier's background workers, each on the one loop of `loop.py`: `sender` (the email
outbox to SMTP, with `delivery` and `recorder`), `fanout` (fan-outs chunk by chunk), `digests`
(due digests, expired sign-ups) and `gauges` (metrics read from the database). `Workers` starts
and stops them together."""

import asyncio
import contextlib
from dataclasses import dataclass, field

from innoportal.db import Database
from innoportal.wake import on_commit, remove_waker
from services.notifier.adapters.smtp import SmtpPool
from services.notifier.emails import Composer
from services.notifier.repository.email_outbox import EMAIL_CHANNEL
from services.notifier.repository.fanout_jobs import FANOUT_CHANNEL
from services.notifier.workers.digests import DigestScheduler
from services.notifier.workers.fanout import FanoutWorker
from services.notifier.workers.gauges import GaugeRefresher
from services.notifier.workers.sender import EmailSender

STOP_GRACE_SECONDS = 20.0  # lets the batch being sent finish and be recorded


@dataclass
class Workers:
    """The running parts besides the kernel's, as bootstrap built them."""

    db: Database
    composer: Composer
    pool: SmtpPool
    sender: EmailSender
    fanout: FanoutWorker
    digests: DigestScheduler
    gauges: GaugeRefresher
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task] = field(default_factory=list)

    async def start(self) -> None:
        """Recover what a dead process held, then run every loop; commits that queue emails or
        fan-outs wake the sender or the fan-out worker at once."""
        if self.db.is_sqlite or self.sender.journal is not None:
            # One process owns a SQLite file: whatever is still 'sending' belongs to a process
            # that died. Elsewhere, the journal names the claims the last process here took.
            await self.sender.recover(every_sending_row=self.db.is_sqlite)
        self._stop = asyncio.Event()
        on_commit(EMAIL_CHANNEL, self.sender.wake)
        on_commit(FANOUT_CHANNEL, self.fanout.wake)
        self._tasks = [
            asyncio.create_task(self.sender.run(self._stop), name="notifier-sender"),
            asyncio.create_task(self.fanout.run(self._stop), name="notifier-fanout"),
            asyncio.create_task(self.digests.run(self._stop), name="notifier-digests"),
            asyncio.create_task(self.gauges.run(self._stop), name="notifier-gauges"),
        ]

    async def stop(self) -> None:
        """Stop the loops (the batch being sent finishes first), then close SMTP connections
        and the acceptance journal."""
        self._stop.set()
        remove_waker(EMAIL_CHANNEL, self.sender.wake)
        remove_waker(FANOUT_CHANNEL, self.fanout.wake)
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._tasks = []
        await self.pool.close()
        if self.sender.journal is not None:
            self.sender.journal.close()
