"""The sender keeps its SMTP connections busy across batches: a slow message in one batch does
not hold back the batches claimed after it."""

import asyncio
import threading

from notifier_helpers import T0, add_confirmed, post, wish

from innoportal.testing.harness import eventually
from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
from services.notifier.workers.sender import BATCHES_IN_FLIGHT, EmailSender, SenderPolicy

BATCH = 10


def hold_first_transaction(sink) -> threading.Event:
    """The SMTP server (in its own thread) holds its first transaction at RCPT until the event."""
    release, taken = threading.Event(), threading.Lock()
    original = sink.handle_RCPT

    async def handle_rcpt(server, session, envelope, address, options):  # noqa: ANN001
        if taken.acquire(blocking=False):
            while not release.is_set():
                await asyncio.sleep(0.01)
        return await original(server, session, envelope, address, options)

    sink.handle_RCPT = handle_rcpt
    return release


async def test_a_held_message_does_not_stop_the_batches_after_it(db, smtp_server, composer):
    total = BATCH * (BATCHES_IN_FLIGHT + 1)
    await add_confirmed(db, [f"r{i:03d}@example.org" for i in range(total)])
    assert (await post(db, wish("w-batches"))).emails == total
    sink = smtp_server.sink
    release = hold_first_transaction(sink)
    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{smtp_server.port}?timeout=60"), size=2)
    sender = EmailSender(db.sessions, pool, composer, envelope_from="noreply@innoportal.example",
                         policy=SenderPolicy(batch=BATCH), clock=lambda: T0)
    drained = asyncio.create_task(sender.drain(T0))
    try:
        # The other connection carries the rest of the first batch and every batch claimed
        # after it, up to BATCHES_IN_FLIGHT in memory (a sender waiting for each batch to end
        # before claiming the one after next would stop at 2 * BATCH - 1).
        expected = BATCH * BATCHES_IN_FLIGHT - 1
        await eventually(lambda: sink.count() >= expected, timeout=30)
        await asyncio.sleep(0.2)
        assert sink.count() == expected and not drained.done()
    finally:
        release.set()
    assert await asyncio.wait_for(drained, 30) == total
    await pool.close()
    assert sorted(sink.per_recipient().values()) == [1] * total
