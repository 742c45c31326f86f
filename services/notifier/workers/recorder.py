"""The sender's recorder: every fate of a round's emails committed by group commit, and each SMTP
acceptance durable before its connection carries the next message (see workers/sender.py)."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from services.notifier import repository as repo
from services.notifier.adapters.journal import AcceptanceJournal
from services.notifier.domain import LINK_KINDS, Settlement
from services.notifier.repository import email_outbox


@dataclass
class Done:
    """A finished attempt for the recorder; `recorded` resolves once its commit is durable."""

    row: Any
    settlement: Settlement
    recorded: asyncio.Future | None = None


class Recorder:
    """Group commit: each transaction settles everything that finished while the previous one
    ran, then releases the connections waiting for it. Only when nobody waits (a journal has
    the acceptances) does it linger a few milliseconds to gather more."""

    def __init__(self, sessions: async_sessionmaker, journal: AcceptanceJournal | None, *,
                 linger: float, group_size: int, clock: Callable[[], datetime],
                 counted: Callable[[list[tuple[Any, Settlement]]], None]) -> None:
        self.sessions, self.journal, self.clock, self.counted = sessions, journal, clock, counted
        self.linger, self.group_size = linger, group_size

    async def run(self, claim: str, done: asyncio.Queue) -> None:
        """Record what `done` brings until it brings None; raises the first failed commit."""
        finished, error = False, None
        while not finished:
            batch = [await done.get()]
            if self.journal is not None and batch[-1] is not None \
                    and done.qsize() < self.group_size:
                await asyncio.sleep(self.linger)
            while batch[-1] is not None and not done.empty():
                batch.append(done.get_nowait())
            finished = batch[-1] is None
            entries = [b for b in batch if b is not None]
            if not entries:
                continue
            try:
                await self._commit(claim, entries)
            except Exception as exc:  # database away: the waiting sends must not go on
                error = error or exc
                for e in entries:
                    if e.recorded is not None and not e.recorded.done():
                        e.recorded.set_exception(exc)
                continue
            for e in entries:
                if e.recorded is not None and not e.recorded.done():
                    e.recorded.set_result(None)
            self.counted([(e.row, e.settlement) for e in entries])
        if error is not None:
            raise error

    async def _commit(self, claim: str, entries: list[Done]) -> None:
        now = self.clock()
        if all(e.settlement.state == "sent" and e.row.kind not in LINK_KINDS for e in entries):
            # The common case, acceptances alone: one statement on a bare connection.
            async with self.sessions.kw["bind"].begin() as conn:
                await email_outbox.settle_sent(conn, claim, [e.settlement for e in entries], now=now)
            return
        async with self.sessions() as s, s.begin():
            await email_outbox.settle(s, claim, [e.settlement for e in entries], now=now)
            await email_outbox.forget_links(
                s, [(e.row.id, e.row.context or {}) for e in entries
                    if e.row.kind in LINK_KINDS and e.settlement.state != "pending"])
            for e in entries:
                st = e.settlement
                if st.state == "failed" and st.error and st.error.startswith("hard_bounce"):
                    await repo.suppress(s, e.row.recipient, "hard_bounce", st.error, now=now)
