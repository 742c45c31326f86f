"""What the matcher's consumers and HTTP handlers share (`runtime.state`): the in-memory index,
its snapshot file and the decision metrics; and the hooks that load and save the index."""

from innoportal.db import Database
from innoportal.uow import UnitOfWork
from services.matcher.adapters.snapshot_file import SnapshotFile
from services.matcher.domain import Matcher
from services.matcher.engine import MatchingIndex
from services.matcher.metrics import DecisionMetrics
from services.matcher.service import snapshots


class MatcherState:
    """The matcher's shared parts, and the three moments the index meets its snapshot: start
    (load), stop (save_snapshot), and every `snapshot_every` changes (changed)."""

    def __init__(self, db: Database, index: MatchingIndex, snapshot: SnapshotFile,
                 decisions: DecisionMetrics | None = None) -> None:
        self.db = db
        self.index = index
        self.snapshot = snapshot
        self.decisions = decisions

    @property
    def matcher(self) -> Matcher:
        """The index's ranking engine as it is now."""
        return self.index.matcher

    @property
    def from_snapshot(self) -> bool:
        """Whether the last load started from a snapshot."""
        return self.index.from_snapshot

    @property
    def replayed(self) -> int:
        """Database rows applied on top of the snapshot at the last load."""
        return self.index.replayed

    async def load(self) -> None:
        """Restore the index and the decision metrics (at start, before anything is served)."""
        # Reads only: a session of its own, no write transaction.
        async with self.db.session() as session:
            await snapshots.load_index(UnitOfWork(session), self.index, self.snapshot,
                                       self.decisions)

    async def save_snapshot(self) -> None:
        """Write the index's snapshot (at stop, and every `snapshot_every` changes)."""
        async with self.db.session() as session:
            await snapshots.save_snapshot(UnitOfWork(session), self.index, self.snapshot)

    async def changed(self) -> None:
        """Count an index change; snapshot every `snapshot_every` changes."""
        if self.index.changed():
            await self.save_snapshot()
