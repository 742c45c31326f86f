"""The index at start and at stop: restored from its snapshot plus the rows changed since (or
rebuilt from every row), and saved with the time up to which it holds every row."""

import logging
from datetime import datetime

from innoportal.uow import UnitOfWork
from services.matcher.adapters.snapshot_file import SnapshotFile
from services.matcher.domain import SnapshotError
from services.matcher.engine import MatchingIndex
from services.matcher.metrics import DecisionMetrics
from services.matcher.repository import matches, records

log = logging.getLogger("innoportal.matcher")


async def _restore(index: MatchingIndex, snapshots: SnapshotFile) -> datetime | None:
    """Restore the snapshot if there is a usable one; the time after which rows are to read."""
    index.from_snapshot = False
    try:
        data = await snapshots.read()
        return None if data is None else index.restore(data)
    except (SnapshotError, OSError, ValueError) as exc:
        log.warning("matcher snapshot unusable (%s); rebuilding from the database", exc)
        index.clear()
        return None


async def load_index(uow: UnitOfWork, index: MatchingIndex, snapshots: SnapshotFile,
                     decisions: DecisionMetrics | None = None) -> None:
    """Restore the index: the snapshot if any, then every record changed after it; and read
    the decision metrics from the database."""
    since = await _restore(index, snapshots)
    rows = await records.changed_since(uow.session, since)
    if decisions is not None:
        decisions.set_counts(await matches.count_by_status(uow.session),
                             await matches.count_decided(uow.session))
    for row in rows:
        index.apply(row)
    index.loaded(len(rows))


async def save_snapshot(uow: UnitOfWork, index: MatchingIndex, snapshots: SnapshotFile) -> None:
    """Write the index with the time up to which it has every row."""
    if not index.ready.is_set():
        # Never loaded (start failed): an empty index stamped with the latest row's time
        # would hide every record from the next start.
        return
    async with index.lock:
        data = index.dump(await records.latest_change(uow.session))
    await snapshots.write(data)
    index.saved()
