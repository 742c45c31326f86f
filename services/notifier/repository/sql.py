"""Tables and dialect-aware statements that every part of the notifier repository shares."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import String, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import ARRAY
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifier.models import (
    DigestEntry,
    EmailOutbox,
    EmailSuppression,
    NotificationItem,
    Subscription,
    SubscriptionCategory,
    SubscriptionTerm,
)

T_SUB: Table = Subscription.__table__  # type: ignore[assignment]
T_CAT: Table = SubscriptionCategory.__table__  # type: ignore[assignment]
T_TERM: Table = SubscriptionTerm.__table__  # type: ignore[assignment]
T_ITEM: Table = NotificationItem.__table__  # type: ignore[assignment]
T_DIGEST: Table = DigestEntry.__table__  # type: ignore[assignment]
T_OUT: Table = EmailOutbox.__table__  # type: ignore[assignment]
T_SUPP: Table = EmailSuppression.__table__  # type: ignore[assignment]


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def member(session: AsyncSession, column: Any, values: Iterable[str]) -> Any:
    """`column IN values`; one array parameter on PostgreSQL, so long term lists stay cheap."""
    values = sorted(set(values))
    if _dialect(session) == "postgresql":
        return column == any_(bindparam("vals", values, type_=ARRAY(String), unique=True))
    return column.in_(values)


async def insert_ignore(session: AsyncSession, table: Table, rows: Sequence[dict]) -> int:
    """Insert `rows`, skipping any that collide with an existing key; the number inserted."""
    if not rows:
        return 0
    insert = postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert
    # RETURNING counts what was really inserted: executemany's rowcount is not reliable on
    # every driver (asyncpg reports none), and skipped duplicates must not count.
    key = list(table.primary_key.columns)[0]
    stmt = insert(table).on_conflict_do_nothing().returning(key)
    result = await session.exec(stmt, params=list(rows))
    return len(result.all())
