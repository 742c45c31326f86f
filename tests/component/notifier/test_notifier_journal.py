"""The acceptance journal on each backend: the sender writes down its claims and acceptances, a
restart marks the accepted rows sent and puts back its own claims' rows (only its own on
PostgreSQL, where other senders may share the database), and one process owns a journal."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from notifier_helpers import T0, add_confirmed, post, wish

from innoportal.db import Database
from innoportal.testing.harness import eventually
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
from services.notifier.bootstrap import _journal
from services.notifier.domain import OutgoingEmail
from services.notifier.emails import Composer
from services.notifier.repository import email_outbox
from services.notifier.workers.sender import EmailSender


def a_sender(db: Database, composer: Composer, journal: AcceptanceJournal | None,
             port: int = 9) -> tuple:
    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{port}?timeout=60"), size=2)
    sender = EmailSender(db.sessions, pool, composer,
                         envelope_from="noreply@innoportal.example", journal=journal,
                         clock=lambda: T0 + timedelta(seconds=1))
    return sender, pool


async def queue(db: Database, refs: list[str]) -> None:
    async with db.transaction() as s:
        await email_outbox.enqueue_emails(s, [OutgoingEmail(
            f"{ref}@example.org", f"contact:{ref}", "wish_alert", "en") for ref in refs], now=T0)


async def claim(db: Database, limit: int) -> list:
    async with db.transaction() as s:
        return await email_outbox.claim_due(s, now=T0, limit=limit)


async def states(db: Database) -> dict[str, tuple[str, str]]:
    async with db.session() as s:
        return {r.recipient.split("@")[0]: (r.state, r.message_id)
                for r in await email_outbox.deliveries(s)}


@pytest.mark.parametrize("every_sending_row", [False, True], ids=["own-claims", "sqlite-way"])
async def test_a_restart_marks_its_acceptances_sent_and_puts_back_its_own_claims(
    any_db, composer, tmp_path, every_sending_row
):
    db = any_db
    await queue(db, ["a0", "a1", "a2"])
    ours = await claim(db, 3)  # the process that died
    await queue(db, ["b0", "b1"])
    theirs = await claim(db, 2)  # another sender, alive, on another host
    journal = AcceptanceJournal.owned(tmp_path / "notifier-accepted")
    assert journal is not None
    journal.record_claim(ours[0].claim)
    journal.record(ours[0].id, ours[0].claim, "<a0@innoportal.example>")

    sender, pool = a_sender(db, composer, journal)
    accepted, back = await sender.recover(every_sending_row=every_sending_row)
    journal.close()

    got = await states(db)
    assert got["a0"] == ("sent", "<a0@innoportal.example>")
    assert got["a1"][0] == got["a2"][0] == "pending"
    others = "pending" if every_sending_row else "sending"
    assert got["b0"][0] == got["b1"][0] == others
    assert (accepted, back) == (1, 4 if every_sending_row else 2)
    assert journal.entries() == [] and journal.claims() == []  # emptied once applied
    assert {r.claim for r in theirs} != {ours[0].claim}


async def test_the_sender_writes_its_claim_down_before_it_sends(
    any_db, composer, smtp_server, tmp_path
):
    db = any_db
    await add_confirmed(db, [f"r{i}@example.org" for i in range(5)])
    await post(db, wish("w-journal"))
    journal = AcceptanceJournal.owned(tmp_path / "notifier-accepted")
    smtp_server.sink.hold = True  # every transaction waits at RCPT
    sender, pool = a_sender(db, composer, journal, smtp_server.port)
    drained = asyncio.create_task(sender.drain(T0))
    try:
        await eventually(lambda: smtp_server.sink.waiting > 0, timeout=30)
        async with db.session() as s:
            claims = {r.claim for r in await email_outbox.deliveries(s) if r.state == "sending"}
        assert len(claims) == 1 and journal.claims() == list(claims)
    finally:
        smtp_server.sink.hold = False
    assert await asyncio.wait_for(drained, 30) == 5
    await pool.close()
    assert [s for s, _ in (await states(db)).values()] == ["sent"] * 5
    assert journal.claims() == [] and journal.entries() == []  # all committed: emptied
    journal.close()


def test_one_process_owns_a_journal(tmp_path):
    first = AcceptanceJournal.owned(tmp_path / "j")
    assert first is not None
    assert AcceptanceJournal.owned(tmp_path / "j") is None  # held: the caller commits instead
    first.close()
    again = AcceptanceJournal.owned(tmp_path / "j")
    assert again is not None
    again.close()


def test_with_postgresql_the_journal_lives_in_the_data_folder(tmp_path):
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:5432/test")  # nothing connects
    journal = _journal(db, tmp_path / "data")
    assert journal is not None and journal.path == Path(tmp_path / "data" / "notifier-accepted")
    assert _journal(db, tmp_path / "data") is None  # a second notifier on this folder
    journal.close()


def test_a_data_folder_it_cannot_write_means_no_journal_not_no_notifier(tmp_path):
    (tmp_path / "data").write_text("a file where the folder should be")
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    assert _journal(db, tmp_path / "data") is None  # each acceptance committed instead
