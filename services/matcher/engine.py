"""The matcher's ranking engine in memory: the index of every open wish and listed solution.

No database, no file, no metric here: the use cases (services/matcher/service/) feed it the rows
and the snapshot bytes they read, and take its bytes to write.
"""

import asyncio
import logging
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from contracts import SolutionRecord, WishRecord
from services.matcher.domain import MatchConfig, Matcher
from services.matcher.domain.analysis import Analyzer
from services.matcher.domain.glossary import Glossary

log = logging.getLogger("innoportal.matcher")


class StoredRecord(Protocol):
    """A wish or solution as the matcher stores it (models.IndexedRecord)."""

    kind: str
    id: str
    payload: str
    status: str


class MatchingIndex:
    """The index and the lock that keeps ranking, storing and indexing one step at a time.

    Ranking a new wish against the solutions and indexing it must not interleave with a new
    solution doing the same, or each would miss the other: handlers run under `lock`.
    The database is the truth; the index is rebuilt from it (or from a snapshot plus the rows
    changed since) at start, never from the event stream.
    """

    def __init__(self, *, threshold: float, top_k: int, snapshot_every: int = 500,
                 glossary: Glossary | None = None, analyzer: Analyzer | None = None) -> None:
        self.config = replace(MatchConfig(), threshold=threshold, top_k=top_k)
        # Building the analyzer (jieba, glossary) takes about a second: build it once and hand
        # it to every Matcher this index makes, the one restored from a snapshot included.
        self.matcher = Matcher(self.config, glossary=glossary, analyzer=analyzer)
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.snapshot_every = snapshot_every
        self.from_snapshot = False  # whether the last load started from a snapshot
        self.replayed = 0  # database rows applied on top of it at the last load
        self._changes = 0

    def _fresh(self, data: bytes | None = None) -> Matcher:
        """An empty Matcher, or one restored from snapshot bytes, sharing this analyzer."""
        parts = {"glossary": self.matcher.glossary, "analyzer": self.matcher.analyzer}
        if data is None:
            return Matcher(self.config, **parts)
        return Matcher.from_bytes(data, config=self.config, **parts)

    def restore(self, data: bytes) -> datetime | None:
        """Replace the index by a snapshot's; the time up to which it holds every row.

        SnapshotError or ValueError when the bytes are no usable snapshot (the index is kept).
        """
        matcher = self._fresh(data)
        watermark = matcher.meta.get("watermark")
        since = datetime.fromisoformat(watermark) if watermark else None
        self.matcher, self.from_snapshot = matcher, True
        return since

    def clear(self) -> None:
        """Start again from an empty index."""
        self.matcher, self.from_snapshot = self._fresh(), False

    def apply(self, row: StoredRecord) -> None:
        """Bring the index in line with one stored record."""
        if row.kind == "solution":
            self.matcher.add_solution(SolutionRecord.model_validate_json(row.payload))
        elif row.status == "closed":
            self.matcher.close_wish(row.id)
        elif row.payload:
            self.matcher.add_wish(WishRecord.model_validate_json(row.payload))

    def loaded(self, replayed: int) -> None:
        """The index holds every stored record: consumers and the API may use it."""
        self.replayed = replayed
        log.info("matcher index ready: %s (%d rows replayed)", self.matcher.stats(), replayed)
        self.ready.set()

    def dump(self, watermark: datetime | None) -> bytes:
        """The index as snapshot bytes, stamped with the time up to which it has every row."""
        return self.matcher.to_bytes({"watermark": watermark.isoformat() if watermark else None})

    def changed(self) -> bool:
        """Count an index change; True when `snapshot_every` have been counted since a save."""
        self._changes += 1
        return self._changes >= self.snapshot_every

    def saved(self) -> None:
        """A snapshot holds every change counted so far."""
        self._changes = 0
