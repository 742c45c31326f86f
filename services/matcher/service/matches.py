"""Matches as EMSD and the parties read them, and EMSD's decision on each (MatchDecided)."""

from collections.abc import Sequence

from contracts import MatchDecided, utcnow
from innoportal.errors import FieldError
from innoportal.fields import is_record_id
from innoportal.uow import UnitOfWork
from services.matcher.metrics import DecisionMetrics
from services.matcher.models import MatchRow
from services.matcher.repository import matches


def _no_match(match_id: str) -> FieldError:
    return FieldError("match_id", f"no match {match_id!r}", status=404)


async def list_matches(uow: UnitOfWork, *, wish_id: str | None, solution_id: str | None,
                       status: str | None, limit: int,
                       offset: int) -> tuple[Sequence[MatchRow], int]:
    """A page of matches filtered by wish, solution or status, best score first; the total."""
    return await matches.page_matches(uow.session, wish_id=wish_id, solution_id=solution_id,
                                      status=status, limit=limit, offset=offset)


async def get_match(uow: UnitOfWork, match_id: str) -> MatchRow:
    """One match by id; 404 naming match_id when there is none."""
    # Ids are printable ASCII: anything else names no match and must not reach the database.
    row = await matches.get_match(uow.session, match_id) if is_record_id(match_id) else None
    if row is None:
        raise _no_match(match_id)
    return row


async def decide_match(uow: UnitOfWork, match_id: str, decision: str, *, by: str,
                       reason: str | None, decisions: DecisionMetrics | None = None) -> MatchRow:
    """Accept or reject a pending match (EMSD) and stage MatchDecided; 409 if already decided."""
    if not is_record_id(match_id):
        raise _no_match(match_id)
    won = await matches.decide_pending(uow.session, match_id, decision=decision, by=by,
                                       reason=reason, at=utcnow())
    row = await matches.get_match(uow.session, match_id, fresh=True)
    if row is None:
        raise _no_match(match_id)
    if not won:
        raise FieldError("status", f"the match was already {row.status}", status=409)
    uow.stage(MatchDecided(
        match_id=row.id, wish_id=row.wish_id, solution_id=row.solution_id,
        decision=decision, reason=reason, decided_by=by, wish=row.wish, solution=row.solution,
    ))
    if decisions is not None:
        uow.after_commit(lambda: decisions.decided(decision, reason))
    return row
