"""The matches table: pairs stored once, read by filters, decided by one conditional UPDATE."""

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchParty, MatchReason
from services.matcher.models import MatchRow


async def pair_exists(session: AsyncSession, wish_id: str, solution_id: str) -> bool:
    """Whether the pair is already stored."""
    return (await session.exec(select(MatchRow.id).where(
        MatchRow.wish_id == wish_id, MatchRow.solution_id == solution_id))).first() is not None


def add_match(session: AsyncSession, *, wish_id: str, solution_id: str, score: float,
              reasons: list[MatchReason], wish: MatchParty, solution: MatchParty) -> MatchRow:
    """A new pending match, added to the session (its id is set at once)."""
    row = MatchRow(
        wish_id=wish_id, solution_id=solution_id, score=score,
        reasons_json=json.dumps([r.model_dump() for r in reasons], ensure_ascii=False),
        wish_json=wish.model_dump_json(), solution_json=solution.model_dump_json(),
    )
    session.add(row)
    return row


async def page_matches(session: AsyncSession, *, wish_id: str | None, solution_id: str | None,
                       status: str | None, limit: int,
                       offset: int) -> tuple[Sequence[MatchRow], int]:
    """A page of matches, best score first (newest, then id, among equals), and the total."""
    query = select(MatchRow)
    if wish_id:
        query = query.where(MatchRow.wish_id == wish_id)
    if solution_id:
        query = query.where(MatchRow.solution_id == solution_id)
    if status:
        query = query.where(MatchRow.status == status)
    total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
    rows = (await session.exec(
        query.order_by(col(MatchRow.score).desc(), col(MatchRow.created_at).desc(),
                       col(MatchRow.id)).limit(limit).offset(offset)
    )).all()
    return rows, total


async def get_match(session: AsyncSession, match_id: str, *,
                    fresh: bool = False) -> MatchRow | None:
    """One match (`fresh`: read again from the database, not the session's copy)."""
    return await session.get(MatchRow, match_id, populate_existing=fresh)


async def decide_pending(session: AsyncSession, match_id: str, *, decision: str, by: str,
                         reason: str | None, at: datetime) -> bool:
    """Record the decision if the match is still pending; False if it is not (or is no match)."""
    # One conditional UPDATE: of two concurrent decisions exactly one wins, on any backend.
    result = await session.exec(
        update(MatchRow)
        .where(col(MatchRow.id) == match_id, col(MatchRow.status) == "pending")
        .values(status=decision, decided_by=by, decision_reason=reason, decided_at=at)
    )
    return result.rowcount == 1


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many matches have each status."""
    return dict((await session.exec(
        select(MatchRow.status, func.count()).group_by(col(MatchRow.status)))).all())


async def count_decided(session: AsyncSession) -> Sequence[tuple[str, str | None, int]]:
    """(status, reason as written, how many) of the decided matches."""
    rows = await session.exec(
        select(MatchRow.status, MatchRow.decision_reason, func.count())
        .where(col(MatchRow.status) != "pending")
        .group_by(col(MatchRow.status), col(MatchRow.decision_reason)))
    return rows.all()
