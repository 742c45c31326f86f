"""Idempotent consumption: each consumer records the event ids it has applied, in the effect's transaction."""

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import utcnow
from innoportal.db import Database, UTCDateTime
from innoportal.uow import UnitOfWork, unit_of_work


class ProcessedEvent(SQLModel, table=True):
    """An event a consumer has applied; its presence makes a redelivery a no-op."""

    __tablename__ = "processed_events"

    consumer: str = Field(primary_key=True, max_length=120)
    event_id: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def claim_event(session: AsyncSession, consumer: str, event_id: str) -> bool:
    """Record `event_id` as applied by `consumer` in this transaction; False if it already was.

    Call it first in the transaction that applies the event: on PostgreSQL a concurrent
    redelivery waits on the key until this transaction ends, then sees it and does nothing.
    """
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(ProcessedEvent)
        .values(consumer=consumer, event_id=event_id, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
    )
    result = await session.exec(stmt)
    return result.rowcount == 1


async def apply_once(
    db: Database, consumer: str, event_id: str,
    effect: Callable[[UnitOfWork], Awaitable[object]],
) -> bool:
    """Run `effect(uow)` in one unit of work with the claim of `event_id`, then the unit's
    after-commit work; False if the event was seen before."""
    async with unit_of_work(db) as uow:
        if not await claim_event(uow.session, consumer, event_id):
            return False
        await effect(uow)
    return True


IDEMPOTENCY_TABLES = [ProcessedEvent.__table__]
