"""Retention: each service deletes rows it no longer needs, by age, in small batches.

One helper for every service: the runtime prunes its processed events (kernel rule below), and a
service adds rules of its own (the notifier: settled emails). Each batch is its own short
transaction, so SQLite's one connection is never held for long; a rule names only rows that are
settled for good, so nothing still due or in flight is ever deleted.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, select, tuple_

from contracts import utcnow
from innoportal.db import Database
from innoportal.idempotency import ProcessedEvent

log = logging.getLogger("innoportal.retention")
FIRST_RUN_AFTER = 60.0  # seconds after start: starting stays quick, a restart loop prunes nothing


@dataclass(frozen=True)
class PruneRule:
    """Rows of `table` that `condition(cutoff)` selects go once older than `keep`."""

    table: Table
    keep: timedelta
    condition: Callable[[datetime], ColumnElement[bool]]

    def where(self, now: datetime) -> ColumnElement[bool]:
        """The rows to delete now."""
        return self.condition(now - self.keep)


def processed_events_rule(keep: timedelta) -> PruneRule:
    """Processed events older than `keep`: a redelivery after that would be applied again, so
    `keep` must outlast any redelivery or republish still to be expected."""
    table: Table = ProcessedEvent.__table__  # type: ignore[assignment]
    return PruneRule(table, keep, lambda cutoff: table.c.processed_at < cutoff)


class Retention:
    """Runs the prune rules every `interval` seconds, `batch` rows per transaction."""

    def __init__(
        self, db: Database, rules: Sequence[PruneRule] = (), *, interval: float = 3600.0,
        batch: int = 500, clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.rules = list(rules)
        self.interval = interval
        self.batch = batch
        self.clock = clock
        self._task: asyncio.Task | None = None

    def add(self, rule: PruneRule) -> None:
        """Prune `rule`'s rows too."""
        self.rules.append(rule)

    async def prune_once(self) -> dict[str, int]:
        """Apply every rule now; rows deleted per table."""
        now = self.clock()
        deleted: dict[str, int] = {}
        for rule in self.rules:
            deleted[rule.table.name] = deleted.get(rule.table.name, 0) + await self._prune(rule, now)
        return deleted

    async def _prune(self, rule: PruneRule, now: datetime) -> int:
        table, where = rule.table, rule.where(now)
        key = list(table.primary_key.columns)
        chosen = select(*key).where(where).limit(self.batch)
        # The condition is repeated on the delete: PostgreSQL checks it again on a row another
        # transaction changed meanwhile, so a row that stopped qualifying stays.
        matches = key[0].in_(chosen.scalar_subquery()) if len(key) == 1 \
            else tuple_(*key).in_(chosen)
        total = 0
        while True:
            async with self.db.transaction() as session:
                result = await session.exec(delete(table).where(matches, where))
            count = max(result.rowcount or 0, 0)
            total += count
            if count < self.batch:
                return total
            await asyncio.sleep(0)  # others get the connection between batches

    def start(self) -> None:
        """Prune in the background until stop()."""
        self._task = asyncio.create_task(self._run(), name="retention")

    async def stop(self) -> None:
        """Stop pruning (a batch under way is rolled back)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        await asyncio.sleep(min(self.interval, FIRST_RUN_AFTER))
        while True:
            try:
                deleted = await self.prune_once()
                for table, count in deleted.items():
                    if count:
                        log.info("retention: deleted %d old row(s) of %s", count, table)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database away: try again next time
                log.warning("retention: pruning failed (%s); next try in %.0fs", exc, self.interval)
            await asyncio.sleep(self.interval)
