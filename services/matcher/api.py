"""HTTP API of the matcher (port 8103): read matches; EMSD accepts or rejects them."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import func, update
from sqlmodel import col, select

from contracts import MatchDecided, utcnow
from innoportal.auth import EmsdDep, Principal, ViewerDep
from innoportal.fields import is_record_id
from innoportal.listing import Limit, Offset, SessionDep
from innoportal.outbox import stage_event
from services.matcher.models import Decision, MatchPage, MatchPublic, MatchRow, Rejection

router = APIRouter(prefix="/v1/matches", tags=["matches"])
# Ids are printable ASCII (see is_record_id); anything else names no match and must not reach the
# database (PostgreSQL refuses NUL in text): 422 naming the parameter.
IdQuery = Annotated[str | None, Query(max_length=40, pattern=r"^[ -~]*$")]


@router.get("", response_model=MatchPage)
async def list_matches(
    session: SessionDep,
    viewer: ViewerDep,
    wish_id: IdQuery = None,
    solution_id: IdQuery = None,
    status: Literal["pending", "accepted", "rejected"] | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> MatchPage:
    """Matches, best score first, filtered by wish, solution or status.

    Each side's contact_email is shown only to EMSD, to that side's organisation, and to the
    other side's once the match is accepted (by bearer token); otherwise the key is absent.
    """
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
    return MatchPage(items=[MatchPublic.of(r, viewer) for r in rows], total=total, limit=limit,
                     offset=offset)


@router.get("/{match_id}", response_model=MatchPublic)
async def get_match(match_id: str, session: SessionDep, viewer: ViewerDep) -> MatchPublic:
    """One match by id (each side's contact only for those who may see it)."""
    row = await session.get(MatchRow, match_id) if is_record_id(match_id) else None
    if row is None:
        raise HTTPException(404, f"match_id: no match {match_id!r}")
    return MatchPublic.of(row, viewer)


@router.post("/{match_id}/accept", response_model=MatchPublic)
async def accept_match(
    match_id: str, principal: EmsdDep, session: SessionDep, request: Request,
    body: Decision | None = None,
) -> MatchPublic:
    """Accept a match (EMSD); MatchDecided tells both parties."""
    match = await _decide(session, match_id, "accepted", principal, body.reason if body else None)
    request.app.state.runtime.state.decided("accepted", match.decision_reason)
    return match


@router.post("/{match_id}/reject", response_model=MatchPublic)
async def reject_match(
    match_id: str, body: Rejection, principal: EmsdDep, session: SessionDep, request: Request
) -> MatchPublic:
    """Reject a match with a reason (EMSD); MatchDecided tells both parties why.

    The reason is free text; the matcher's metrics sort it into a few kinds (duplicate,
    compliance, not_ready, cost, not_relevant, other: services/matcher/decisions.py).
    """
    match = await _decide(session, match_id, "rejected", principal, body.reason)
    request.app.state.runtime.state.decided("rejected", match.decision_reason)
    return match


async def _decide(
    session, match_id: str, decision: str, principal: Principal, reason: str | None
) -> MatchPublic:
    if not is_record_id(match_id):
        raise HTTPException(404, f"match_id: no match {match_id!r}")
    # One conditional UPDATE: of two concurrent decisions exactly one wins, on any backend.
    result = await session.exec(
        update(MatchRow)
        .where(col(MatchRow.id) == match_id, col(MatchRow.status) == "pending")
        .values(status=decision, decided_by=principal.org, decision_reason=reason,
                decided_at=utcnow())
    )
    row = await session.get(MatchRow, match_id, populate_existing=True)
    if row is None:
        raise HTTPException(404, f"match_id: no match {match_id!r}")
    if result.rowcount != 1:
        status = row.status  # read before the rollback expires the row
        await session.rollback()
        raise HTTPException(409, f"status: the match was already {status}")
    stage_event(session, MatchDecided(
        match_id=row.id, wish_id=row.wish_id, solution_id=row.solution_id,
        decision=decision, reason=reason, decided_by=principal.org,
        wish=row.wish, solution=row.solution,
    ))
    await session.commit()
    return MatchPublic.of(row, principal)  # EMSD: both contacts
