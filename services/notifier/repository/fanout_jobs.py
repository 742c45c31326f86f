"""Fan-out jobs: a fan-out queued with its event's claim, then done in chunks (caller's transaction)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.tracing import TRACE_KEY, current_traceparent
from innoportal.wake import wake_after_commit
from services.notifier.models import FanoutJob
from services.notifier.repository.sql import insert_ignore

_T_JOB: Table = FanoutJob.__table__  # type: ignore[assignment]
# A commit that queued a fan-out wakes the FanoutWorker at once (innoportal.wake channel).
FANOUT_CHANNEL = "notifier.fanout"


async def add_fanout_job(
    session: AsyncSession, key: str, kind: str, item_key: str, payload: dict[str, Any],
    *, now: datetime,
) -> bool:
    """Queue a fan-out (once per key: the same item twice is one fan-out); whether it is new."""
    if tp := current_traceparent():  # its chunks continue the trace of the event that queued it
        payload = {**payload, TRACE_KEY: tp}
    added = await insert_ignore(session, _T_JOB, [{
        "key": key, "kind": kind, "item_key": item_key, "payload": payload, "cursor": "",
        "emails": 0, "digest_entries": 0, "created_at": now, "done_at": None,
    }]) == 1
    if added:
        wake_after_commit(session, FANOUT_CHANNEL)
    return added


async def next_fanout_job(session: AsyncSession) -> FanoutJob | None:
    """The oldest unfinished fan-out job."""
    return (await session.exec(
        select(FanoutJob).where(FanoutJob.done_at.is_(None))  # type: ignore[union-attr]
        .order_by(FanoutJob.created_at, FanoutJob.key).limit(1)
    )).first()


async def advance_fanout_job(
    session: AsyncSession, key: str, *, cursor: str | None, emails: int, digest_entries: int,
    now: datetime,
) -> None:
    """Record a chunk: the new cursor (None: finished) and what it queued."""
    values: dict[str, Any] = {"emails": _T_JOB.c.emails + emails,
                              "digest_entries": _T_JOB.c.digest_entries + digest_entries}
    if cursor is None:
        values["done_at"] = now
    else:
        values["cursor"] = cursor
    await session.exec(update(_T_JOB).where(_T_JOB.c.key == key).values(**values))


async def finish_fanout_jobs(session: AsyncSession, item_key: str, *, now: datetime) -> int:
    """End the unfinished fan-outs of an item (it was closed); how many."""
    result = await session.exec(update(_T_JOB).where(
        _T_JOB.c.item_key == item_key, _T_JOB.c.done_at.is_(None)).values(done_at=now))
    return max(result.rowcount or 0, 0)


async def open_fanout_jobs(session: AsyncSession) -> int:
    """How many fan-outs are under way."""
    return (await session.exec(
        select(func.count()).select_from(_T_JOB).where(_T_JOB.c.done_at.is_(None)))).one()
