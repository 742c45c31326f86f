"""The transactional outbox: an event is stored in the same transaction as the record it tells of."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import Event, utcnow
from innoportal.db import UTCDateTime
from innoportal.tracing import current_traceparent
from innoportal.wake import on_commit, remove_waker, wake_after_commit

OUTBOX_CHANNEL = "outbox"


class OutboxMessage(SQLModel, table=True):
    """An event waiting to be (or already) published to JetStream."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "id",
            sqlite_where=text("published_at IS NULL"),
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, unique=True)
    subject: str = Field(max_length=200)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    # The W3C traceparent of the span that staged the event: its trace goes on through NATS.
    traceparent: str | None = Field(default=None, max_length=55)


def stage_event(session: AsyncSession, event_: Event, *, subject: str | None = None) -> None:
    """Add `event_` to the outbox in `session`'s transaction; the relay publishes it after commit."""
    session.add(
        OutboxMessage(
            event_id=event_.event_id,
            subject=subject or event_.SUBJECT,
            payload=event_.model_dump_json(),
            traceparent=current_traceparent(),
        )
    )
    wake_after_commit(session, OUTBOX_CHANNEL)


def on_outbox_commit(callback: Callable[[], None]) -> None:
    """Call `callback()` after any commit that staged an event (wakes the relay at once)."""
    on_commit(OUTBOX_CHANNEL, callback)


def remove_outbox_waker(callback: Callable[[], None]) -> None:
    """Forget a callback registered with on_outbox_commit."""
    remove_waker(OUTBOX_CHANNEL, callback)


OUTBOX_TABLES = [OutboxMessage.__table__]
