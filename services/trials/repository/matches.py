"""EMSD's match decisions (from MatchDecided events), kept so a trial can be opened from one."""

from dataclasses import dataclass
from datetime import datetime

from services.trials.domain import MatchFacts
from services.trials.models import MatchDecisionRow
from services.trials.repository.rows import Queries, party


@dataclass(frozen=True)
class MatchDecision:
    """EMSD's latest decision on a match, with the facts a trial needs."""

    facts: MatchFacts
    decision: str
    decided_at: datetime


class MatchDecisionQueries(Queries):
    """The latest decision on each match."""

    async def record_match_decision(
        self, facts: MatchFacts, decision: str, decided_at: datetime, event_id: str
    ) -> bool:
        """Keep the latest decision on a match; an older event than the stored one is ignored."""
        row = await self.session.get(MatchDecisionRow, facts.match_id)
        if row is not None and row.decided_at > decided_at:
            return False
        if row is None:
            row = MatchDecisionRow(
                match_id=facts.match_id,
                decision=decision,
                decided_at=decided_at,
                event_id=event_id,
                wish={},
                solution={},
            )
        row.decision, row.decided_at, row.event_id = decision, decided_at, event_id
        row.wish, row.solution = facts.wish.as_dict(), facts.solution.as_dict()
        self.session.add(row)
        await self.session.flush()
        return True

    async def get_match_decision(self, match_id: str) -> MatchDecision | None:
        """The latest decision on a match, if the service has heard of it."""
        row = await self.session.get(MatchDecisionRow, match_id)
        if row is None:
            return None
        facts = MatchFacts(row.match_id, party(row.wish), party(row.solution))
        return MatchDecision(facts, row.decision, row.decided_at)
