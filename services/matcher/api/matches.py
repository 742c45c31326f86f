"""Matches: read them (each side's contact only to those who may see it); EMSD accepts or
rejects them."""

from typing import Literal

from fastapi import APIRouter

from innoportal.auth import EmsdDep, ViewerDep
from innoportal.listing import Limit, Offset
from innoportal.uow import UnitOfWorkDep
from services.matcher.api.deps import IdQuery, StateDep
from services.matcher.models import Decision, MatchPage, MatchPublic, Rejection
from services.matcher.service import matches

router = APIRouter(prefix="/v1/matches", tags=["matches"])


@router.get("", response_model=MatchPage)
async def list_matches(
    uow: UnitOfWorkDep,
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
    rows, total = await matches.list_matches(uow, wish_id=wish_id, solution_id=solution_id,
                                             status=status, limit=limit, offset=offset)
    return MatchPage(items=[MatchPublic.of(r, viewer) for r in rows], total=total, limit=limit,
                     offset=offset)


@router.get("/{match_id}", response_model=MatchPublic)
async def get_match(match_id: str, uow: UnitOfWorkDep, viewer: ViewerDep) -> MatchPublic:
    """One match by id (each side's contact only for those who may see it)."""
    return MatchPublic.of(await matches.get_match(uow, match_id), viewer)


@router.post("/{match_id}/accept", response_model=MatchPublic)
async def accept_match(
    match_id: str, principal: EmsdDep, uow: UnitOfWorkDep, state: StateDep,
    body: Decision | None = None,
) -> MatchPublic:
    """Accept a match (EMSD); MatchDecided tells both parties."""
    row = await matches.decide_match(uow, match_id, "accepted", by=principal.org,
                                     reason=body.reason if body else None,
                                     decisions=state.decisions)
    await uow.commit()
    return MatchPublic.of(row, principal)  # EMSD: both contacts


@router.post("/{match_id}/reject", response_model=MatchPublic)
async def reject_match(
    match_id: str, body: Rejection, principal: EmsdDep, uow: UnitOfWorkDep, state: StateDep,
) -> MatchPublic:
    """Reject a match with a reason (EMSD); MatchDecided tells both parties why.

    The reason is free text; the matcher's metrics sort it into a few kinds (duplicate,
    compliance, not_ready, cost, not_relevant, other: services/matcher/domain/decisions.py).
    """
    row = await matches.decide_match(uow, match_id, "rejected", by=principal.org,
                                     reason=body.reason, decisions=state.decisions)
    await uow.commit()
    return MatchPublic.of(row, principal)  # EMSD: both contacts
