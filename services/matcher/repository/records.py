"""The matcher's copy of wishes and solutions (matcher_records): what rebuilds its index."""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import utcnow
from services.matcher.models import IndexedRecord


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


async def get_record(session: AsyncSession, kind: str, record_id: str) -> IndexedRecord | None:
    """The stored copy of one wish or solution, if any."""
    return await session.get(IndexedRecord, (kind, record_id))


async def payload_of(session: AsyncSession, kind: str, record_id: str) -> dict[str, Any] | None:
    """The stored record as received (a closed wish too); None if unknown or never posted."""
    row = await get_record(session, kind, record_id)
    return json.loads(row.payload) if row is not None and row.payload else None


async def payloads_of(session: AsyncSession, kind: str,
                      ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored records of `kind` with these ids, by id."""
    if not ids:
        return {}
    rows = (await session.exec(select(IndexedRecord).where(
        IndexedRecord.kind == kind, col(IndexedRecord.id).in_(ids)))).all()
    return {row.id: json.loads(row.payload) for row in rows if row.payload}


async def changed_since(session: AsyncSession,
                        since: datetime | None) -> Sequence[IndexedRecord]:
    """Every record changed at or after `since` (None: every record), oldest change first."""
    query = select(IndexedRecord).order_by(col(IndexedRecord.updated_at))
    if since is not None:
        query = query.where(col(IndexedRecord.updated_at) >= since)
    return (await session.exec(query)).all()


async def latest_change(session: AsyncSession) -> datetime | None:
    """When the most recently changed record changed (None: no record)."""
    return (await session.exec(
        select(IndexedRecord.updated_at).order_by(col(IndexedRecord.updated_at).desc())
        .limit(1))).first()
