"""Each acceptance is on disk before its SMTP connection carries the next message: a real
aiosmtpd server looks into the notifier's SQLite file (and its acceptance journal, when the
sender has one) at every MAIL FROM."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from innoportal.db import Database
from innoportal.migrate import migrate, service_history
from innoportal.testing.smtp import SmtpServer, SmtpSink
from innoportal.uow import unit_of_work
from services.notifier import repository
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
from services.notifier.domain import OutgoingEmail, validate_subscription
from services.notifier.emails import Composer
from services.notifier.repository import email_outbox
from services.notifier.service import alerts
from services.notifier.workers.fanout import FanoutWorker
from services.notifier.workers.sender import EmailSender

from .conftest import PORTAL_URL, SECRET, SENDER, wish

SUBSCRIBERS = 300
POOL = 3


async def post(db: Database, event, now: datetime) -> None:
    """Queue a wish's alerts as the service does: the consumer's use case, then the fan-out."""
    async with unit_of_work(db) as uow:
        await alerts.plan_alerts_for_wish(uow, event, now=now)
    await FanoutWorker(db, clock=lambda: now).drain()


class CheckingSink(SmtpSink):
    """At each MAIL FROM on a connection, reads the state of that connection's previous
    accepted message from the notifier's database (a reader of its own: WAL), and the journal."""

    def __init__(self, db_path, journal: AcceptanceJournal | None) -> None:
        super().__init__()
        self.db_path, self.journal = db_path, journal
        self.journaled = 0
        self.checked = 0
        self.unrecorded: list[tuple[str, str | None]] = []  # (previous recipient, its state)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        previous = getattr(session, "accepted", None)
        if previous is not None:
            conn = sqlite3.connect(self.db_path, timeout=10)
            try:
                row = conn.execute("SELECT id, state FROM email_outbox WHERE recipient = ?",
                                   (previous,)).fetchone()
            finally:
                conn.close()
            journaled = self.journal is not None and row is not None and row[0] in {
                i for i, _, _ in self.journal.entries()}
            with self.lock:
                self.checked += 1
                self.journaled += journaled
                if row is None or (row[1] != "sent" and not journaled):
                    self.unrecorded.append((previous, row and row[1]))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            session.accepted = envelope.rcpt_tos[0]
        return reply


@pytest.mark.parametrize("journal", [False, True], ids=["commit", "journal"])
async def test_an_acceptance_is_on_disk_before_its_connection_sends_the_next_message(
    tmp_path, journal
):
    db_path = tmp_path / "notifier.db"
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    await migrate(db, service_history("notifier"))
    now = datetime.now(UTC)
    async with db.transaction() as s:
        for i in range(SUBSCRIBERS):
            sub = await repository.add_subscription(s, validate_subscription(
                {"email": f"r{i:04d}@example.org", "categories": ["building-services"]}), now=now)
            await repository.confirm_subscription(s, sub.id, now=now)
    await post(db, wish("w-order"), now)
    async with db.session() as s:
        assert len(await email_outbox.deliveries(s, ref="wish:w-order")) == SUBSCRIBERS
    accepted = AcceptanceJournal.beside(db_path) if journal else None
    server = SmtpServer()
    server.sink = sink = CheckingSink(db_path, accepted)
    server.start()
    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{server.port}?timeout=10"), size=POOL)
    sender = EmailSender(db.sessions, pool, Composer(SECRET, PORTAL_URL, SENDER),
                         envelope_from="noreply@innoportal.example", journal=accepted)
    try:
        assert await sender.drain() == SUBSCRIBERS
    finally:
        await pool.close()
        server.stop()
        await db.dispose()

    assert sink.count() == SUBSCRIBERS and pool.connects == POOL
    assert sink.checked == SUBSCRIBERS - POOL  # every message but each connection's first
    assert sink.unrecorded == []
    assert sender.stats.sent == SUBSCRIBERS
    if accepted is not None:
        assert sink.journaled > 0  # some were checked before their commit, found in the journal
        assert accepted.entries() == []  # emptied once every acceptance was committed
        accepted.close()


async def test_a_restart_marks_journaled_acceptances_sent_and_puts_back_the_rest(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/notifier.db")
    await migrate(db, service_history("notifier"))
    now = datetime.now(UTC)
    async with db.transaction() as s:
        await email_outbox.enqueue_emails(s, [OutgoingEmail(
            f"r{i}@example.org", "wish:w-1", "wish_alert", "en") for i in range(4)], now=now)
        rows = await email_outbox.claim_due(s, now=now, limit=4)
    journal = AcceptanceJournal.beside(tmp_path / "notifier.db")
    journal.record(rows[0].id, rows[0].claim, "<m0@innoportal.example>")
    journal.record(rows[1].id, "an-older-claim", "<m1@innoportal.example>")  # not this attempt
    with open(journal.path, "ab") as f:
        f.write(f"{rows[2].id}\t{rows[2].claim}".encode())  # torn: never a whole line
    journal.close()
    entries = AcceptanceJournal.beside(tmp_path / "notifier.db").entries()
    assert [e[0] for e in entries] == [rows[0].id, rows[1].id]
    async with db.transaction() as s:
        assert await email_outbox.apply_journal(s, entries, now=now) == 1
        later = now + timedelta(seconds=1)
        assert await email_outbox.recover_stale(s, now=later, lease=timedelta(0)) == 3
    async with db.session() as s:
        got = {r.id: (r.state, r.message_id) for r in await email_outbox.deliveries(s)}
    await db.dispose()
    assert got[rows[0].id] == ("sent", "<m0@innoportal.example>")
    assert [got[r.id][0] for r in rows[1:]] == ["pending"] * 3


async def test_once_recording_an_acceptance_fails_no_further_message_is_sent(tmp_path, monkeypatch):
    """The database goes away mid-round: a send already waiting for an SMTP slot must not go
    out once an acceptance could not be recorded (it would be sent again after the restart)."""
    db_path = tmp_path / "notifier.db"
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    await migrate(db, service_history("notifier"))
    now = datetime.now(UTC)
    async with db.transaction() as s:
        for i in range(60):
            sub = await repository.add_subscription(s, validate_subscription(
                {"email": f"r{i:03d}@example.org", "categories": ["building-services"]}), now=now)
            await repository.confirm_subscription(s, sub.id, now=now)
    await post(db, wish("w-broken"), now)
    commits = {"ok": 0, "rows": 0}
    real_sent, real_settle = email_outbox.settle_sent, email_outbox.settle

    async def settle_sent(conn, claim, sent, *, now):
        if commits["ok"] >= 5:  # the sixth commit of acceptances finds the database gone
            raise OSError("database unavailable")
        await real_sent(conn, claim, sent, now=now)
        commits["ok"] += 1
        commits["rows"] += len(sent)

    async def settle(session, claim, results, *, now):
        # The recorder's other path (a group that is not only acceptances, e.g. with sends
        # withheld after the failure): the database is gone for it too.
        if commits["ok"] >= 5:
            raise OSError("database unavailable")
        await real_settle(session, claim, results, now=now)
        commits["ok"] += 1
        commits["rows"] += sum(r.state == "sent" for r in results)

    monkeypatch.setattr(email_outbox, "settle_sent", settle_sent)
    monkeypatch.setattr(email_outbox, "settle", settle)
    server = SmtpServer()
    server.start()
    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{server.port}?timeout=10"), size=POOL)
    sender = EmailSender(db.sessions, pool, Composer(SECRET, PORTAL_URL, SENDER),
                         envelope_from="noreply@innoportal.example")
    try:
        with pytest.raises(OSError):
            await sender.drain()
    finally:
        await pool.close()
        server.stop()
    async with db.session() as s:
        states = [r.state for r in await email_outbox.deliveries(s)]
    await db.dispose()
    # Every message the server accepted is recorded, but for at most one per connection (the
    # ones whose commit failed): nothing was sent after the failure.
    assert commits["rows"] <= server.sink.count() <= commits["rows"] + POOL
    assert states.count("sent") == commits["rows"]
    assert states.count("sent") + states.count("pending") + states.count("sending") == 60

