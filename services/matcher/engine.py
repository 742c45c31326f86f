"""The matcher's service layer: the in-memory index kept in step with the database; use cases."""

import asyncio
import json
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import Matched, MatchReason, SolutionRecord, WishRecord, utcnow
from innoportal.db import Database
from innoportal.outbox import stage_event
from services.matcher.metrics import DecisionMetrics
from services.matcher.domain import Match, MatchConfig, Matcher, SnapshotError
from services.matcher.domain.analysis import Analyzer
from services.matcher.domain.glossary import Glossary
from services.matcher.models import IndexedRecord, MatchRow, party

log = logging.getLogger("innoportal.matcher")


class MatcherState:
    """The index and the lock that keeps ranking, storing and indexing one step at a time.

    Ranking a new wish against the solutions and indexing it must not interleave with a new
    solution doing the same, or each would miss the other: handlers run under `lock`.
    The database is the truth; the index is rebuilt from it (or from a snapshot plus the rows
    changed since) at start, never from the event stream.
    """

    def __init__(self, db: Database, *, threshold: float, top_k: int, snapshot_path: Path,
                 snapshot_every: int = 500, glossary: Glossary | None = None,
                 analyzer: Analyzer | None = None) -> None:
        self.db = db
        self.config = replace(MatchConfig(), threshold=threshold, top_k=top_k)
        # Building the analyzer (jieba, glossary) takes about a second: build it once and hand
        # it to every Matcher this state makes, the one restored from a snapshot included.
        self.matcher = Matcher(self.config, glossary=glossary, analyzer=analyzer)
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.snapshot_path = snapshot_path
        self.snapshot_every = snapshot_every
        self.from_snapshot = False  # whether the last load started from a snapshot
        self.replayed = 0  # database rows applied on top of it at the last load
        self.decisions: DecisionMetrics | None = None  # set by watch()
        self._changes = 0

    def _fresh(self, data: bytes | None = None) -> Matcher:
        """An empty Matcher, or one restored from snapshot bytes, sharing this analyzer."""
        parts = {"glossary": self.matcher.glossary, "analyzer": self.matcher.analyzer}
        if data is None:
            return Matcher(self.config, **parts)
        return Matcher.from_bytes(data, config=self.config, **parts)

    async def load(self) -> None:
        """Restore the index: the snapshot if any, then every record changed after it."""
        since: datetime | None = None
        self.from_snapshot = False
        if self.snapshot_path.exists():
            try:
                data = await asyncio.to_thread(self.snapshot_path.read_bytes)
                matcher = self._fresh(data)
                watermark = matcher.meta.get("watermark")
                since = datetime.fromisoformat(watermark) if watermark else None
                self.matcher = matcher
                self.from_snapshot = True
            except (SnapshotError, OSError, ValueError) as exc:
                log.warning("matcher snapshot unusable (%s); rebuilding from the database", exc)
                self.matcher, since = self._fresh(), None
        async with self.db.session() as session:
            query = select(IndexedRecord).order_by(col(IndexedRecord.updated_at))
            if since is not None:
                query = query.where(col(IndexedRecord.updated_at) >= since)
            rows = (await session.exec(query)).all()
            if self.decisions is not None:
                await self.decisions.refresh(session)
        for row in rows:
            self._apply(row)
        self.replayed = len(rows)
        log.info("matcher index ready: %s (%d rows replayed)", self.matcher.stats(), len(rows))
        self.ready.set()

    def _apply(self, row: IndexedRecord) -> None:
        if row.kind == "solution":
            self.matcher.add_solution(SolutionRecord.model_validate_json(row.payload))
        elif row.status == "closed":
            self.matcher.close_wish(row.id)
        elif row.payload:
            self.matcher.add_wish(WishRecord.model_validate_json(row.payload))

    async def save_snapshot(self) -> None:
        """Write the index with the time up to which it has every row."""
        if not self.ready.is_set():
            # Never loaded (start failed): an empty index stamped with the latest row's time
            # would hide every record from the next start.
            return
        async with self.lock:
            async with self.db.session() as session:
                latest = (await session.exec(
                    select(IndexedRecord.updated_at).order_by(col(IndexedRecord.updated_at).desc())
                    .limit(1))).first()
            meta = {"watermark": latest.isoformat() if latest else None}
            data = self.matcher.to_bytes(meta)
        await asyncio.to_thread(_write_atomically, self.snapshot_path, data)
        self._changes = 0

    def watch(self, registry: CollectorRegistry) -> None:
        """Expose the index's size as gauges, read at scrape time; and the decided matches
        (services/matcher/metrics.py), read from the database at load and kept in step."""
        self.decisions = DecisionMetrics(registry)
        gauge = Gauge("innoportal_matcher_index_records",
                      "Records in the matching index, by kind and state.", ["kind", "state"],
                      registry=registry)
        for kind, state, key in (("wish", "open", "wishes_open"),
                                 ("wish", "closed", "wishes_closed"),
                                 ("solution", "listed", "solutions")):
            gauge.labels(kind, state).set_function(lambda k=key: self.matcher.stats()[k])

    def published(self, stored: int) -> None:
        """Count pairs stored by a committed transaction (store_matches' result)."""
        if self.decisions is not None:
            self.decisions.published(stored)

    def decided(self, decision: str, reason: str | None) -> None:
        """Count a committed decision on a match."""
        if self.decisions is not None:
            self.decisions.decided(decision, reason)

    async def changed(self) -> None:
        """Count an index change; snapshot every `snapshot_every` changes."""
        self._changes += 1
        if self._changes >= self.snapshot_every:
            await self.save_snapshot()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


async def upsert_record(session: AsyncSession, kind: str, record_id: str, payload: str,
                        status: str) -> IndexedRecord:
    """Store (or replace) the matcher's copy of a record."""
    row = await session.get(IndexedRecord, (kind, record_id))
    if row is None:
        row = IndexedRecord(kind=kind, id=record_id, payload=payload, status=status)
    else:
        row.payload, row.status, row.updated_at = payload or row.payload, status, utcnow()
    session.add(row)
    return row


async def store_matches(session: AsyncSession, matches: list[Match]) -> int:
    """Store each new pair and stage its Matched event; a pair already stored is skipped."""
    stored = 0
    for match in matches:
        exists = (await session.exec(select(MatchRow.id).where(
            MatchRow.wish_id == match.wish_id, MatchRow.solution_id == match.solution_id))).first()
        if exists:
            continue
        wish = await session.get(IndexedRecord, ("wish", match.wish_id))
        solution = await session.get(IndexedRecord, ("solution", match.solution_id))
        if wish is None or solution is None or not wish.payload:
            continue
        wish_party = party(WishRecord.model_validate_json(wish.payload))
        solution_party = party(SolutionRecord.model_validate_json(solution.payload))
        reasons = [MatchReason(kind=r.kind, value=r.value, language=r.language,
                               weight=round(max(0.0, r.weight), 4)) for r in match.reasons]
        score = round(min(1.0, max(0.0, match.score)), 4)
        row = MatchRow(
            wish_id=match.wish_id, solution_id=match.solution_id, score=score,
            reasons_json=json.dumps([r.model_dump() for r in reasons], ensure_ascii=False),
            wish_json=wish_party.model_dump_json(), solution_json=solution_party.model_dump_json(),
        )
        session.add(row)
        stage_event(session, Matched(
            match_id=row.id, wish_id=row.wish_id, solution_id=row.solution_id, score=score,
            reasons=reasons, wish=wish_party, solution=solution_party,
        ))
        stored += 1
    return stored
