"""The solutions service's router: it learns of wishes and of accepted matches, and documents what
it publishes."""

from contracts import STREAM, MatchDecided, SolutionSubmitted, Subjects, WishClosed, WishPosted
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.records import apply_match_decision
from innoportal.runtime import Runtime
from services.solutions.models import KnownWish, SolutionAcceptedParty

MATCH_DECIDED_CONSUMER = "solutions-match-decided"


def build_router(runtime: Runtime) -> ServiceRouter:
    """Consumers of WishPosted and WishClosed (to check wish_id) and of MatchDecided (who may see
    a solution's contact), and the SolutionSubmitted doc."""
    router = ServiceRouter("solutions")

    @router.durable(Subjects.WISH_POSTED, "wish-posted")
    async def record_wish_posted(event: WishPosted) -> None:
        async def remember(session) -> None:
            # A close that overtook its post has already left the wish "closed": keep that.
            if await session.get(KnownWish, event.wish.id) is None:
                session.add(KnownWish(id=event.wish.id, status=event.wish.status))

        await apply_once(runtime.db, "solutions-wish-posted", event.event_id, remember)

    @router.durable(Subjects.WISH_CLOSED, "wish-closed")
    async def record_wish_closed(event: WishClosed) -> None:
        async def remember(session) -> None:
            known = await session.get(KnownWish, event.wish_id) or KnownWish(id=event.wish_id)
            known.status = "closed"
            session.add(known)

        await apply_once(runtime.db, "solutions-wish-closed", event.event_id, remember)

    @router.durable(Subjects.MATCH_DECIDED, "match-decided")
    async def record_match_decided(event: MatchDecided) -> None:
        async def remember(session) -> None:
            # The department of a wish accepted with the solution may see the solution's contact.
            await apply_match_decision(
                session, SolutionAcceptedParty, record_id=event.solution_id,
                match_id=event.match_id, other_org=event.wish.owner_org,
                decision=event.decision, decided_at=event.occurred_at,
            )

        await apply_once(runtime.db, MATCH_DECIDED_CONSUMER, event.event_id, remember)

    router.publisher(
        Subjects.SOLUTION_SUBMITTED, stream=STREAM, schema=SolutionSubmitted,
        title="SolutionSubmitted", description="A provider submitted a solution.",
    )
    return router
