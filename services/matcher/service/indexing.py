"""Indexing: each new wish or solution ranked against the other kind, its pairs stored once and
published as Matched; a closed wish kept out of every ranking.

The caller holds the index's lock around the whole unit of work: the index changes only once the
unit has committed (uow.after_commit), so it never holds a record the database does not.
"""

from contracts import Matched, SolutionRecord, WishRecord
from innoportal.uow import UnitOfWork
from services.matcher.domain import Match
from services.matcher.domain.reasons import match_reasons
from services.matcher.engine import MatchingIndex
from services.matcher.metrics import DecisionMetrics
from services.matcher.models import party
from services.matcher.repository import matches, records


async def store_matches(uow: UnitOfWork, found: list[Match]) -> int:
    """Store each new pair and stage its Matched event; a pair already stored is skipped."""
    stored = 0
    for match in found:
        if await matches.pair_exists(uow.session, match.wish_id, match.solution_id):
            continue
        wish = await records.get_record(uow.session, "wish", match.wish_id)
        solution = await records.get_record(uow.session, "solution", match.solution_id)
        if wish is None or solution is None or not wish.payload:
            continue
        wish_party = party(WishRecord.model_validate_json(wish.payload))
        solution_party = party(SolutionRecord.model_validate_json(solution.payload))
        reasons = match_reasons(match.reasons)
        score = round(min(1.0, max(0.0, match.score)), 4)
        row = matches.add_match(uow.session, wish_id=match.wish_id,
                                solution_id=match.solution_id, score=score, reasons=reasons,
                                wish=wish_party, solution=solution_party)
        uow.stage(Matched(
            match_id=row.id, wish_id=row.wish_id, solution_id=row.solution_id, score=score,
            reasons=reasons, wish=wish_party, solution=solution_party,
        ))
        stored += 1
    return stored


def _published(uow: UnitOfWork, decisions: DecisionMetrics | None, stored: int) -> None:
    if decisions is not None:
        uow.after_commit(lambda: decisions.published(stored))


async def index_wish(uow: UnitOfWork, index: MatchingIndex, wish: WishRecord,
                     decisions: DecisionMetrics | None = None) -> None:
    """Store a posted wish and its matches among the listed solutions; then index it."""
    known = await records.get_record(uow.session, "wish", wish.id)
    # A wish closed before its post arrived is stored, never matched.
    closed = (wish.status == "closed" or wish.id in index.matcher.closed
              or (known is not None and known.status == "closed"))
    await records.upsert_record(uow.session, "wish", wish.id, wish.model_dump_json(),
                                "closed" if closed else "open")
    if closed:
        uow.after_commit(lambda: index.matcher.close_wish(wish.id))
        return
    _published(uow, decisions, await store_matches(uow, index.matcher.rank_wish(wish)))
    uow.after_commit(lambda: index.matcher.add_wish(wish))


async def index_solution(uow: UnitOfWork, index: MatchingIndex, solution: SolutionRecord,
                         decisions: DecisionMetrics | None = None) -> None:
    """Store a submitted solution and its matches among the open wishes; then index it."""
    await records.upsert_record(uow.session, "solution", solution.id,
                                solution.model_dump_json(), "open")
    _published(uow, decisions, await store_matches(uow, index.matcher.rank_solution(solution)))
    uow.after_commit(lambda: index.matcher.add_solution(solution))


async def close_wish(uow: UnitOfWork, index: MatchingIndex, wish_id: str) -> None:
    """Mark a wish closed (its post may come later: it is kept, never matched)."""
    await records.upsert_record(uow.session, "wish", wish_id, "", "closed")
    uow.after_commit(lambda: index.matcher.close_wish(wish_id))
