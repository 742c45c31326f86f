"""The solutions service's router: it learns of wishes and of accepted matches, and documents what
it publishes."""

from contracts import STREAM, MatchDecided, SolutionSubmitted, Subjects, WishClosed, WishPosted
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.runtime import Runtime
from services.solutions import service

MATCH_DECIDED_CONSUMER = "solutions-match-decided"


def build_router(runtime: Runtime) -> ServiceRouter:
    """Consumers of WishPosted and WishClosed (to check wish_id) and of MatchDecided (who may see
    a solution's contact), and the SolutionSubmitted doc."""
    router = ServiceRouter("solutions")

    @router.durable(Subjects.WISH_POSTED, "wish-posted")
    async def record_wish_posted(event: WishPosted) -> None:
        await apply_once(runtime.db, "solutions-wish-posted", event.event_id,
                         lambda uow: service.record_wish_posted(uow, event))

    @router.durable(Subjects.WISH_CLOSED, "wish-closed")
    async def record_wish_closed(event: WishClosed) -> None:
        await apply_once(runtime.db, "solutions-wish-closed", event.event_id,
                         lambda uow: service.record_wish_closed(uow, event))

    @router.durable(Subjects.MATCH_DECIDED, "match-decided")
    async def record_match_decided(event: MatchDecided) -> None:
        await apply_once(runtime.db, MATCH_DECIDED_CONSUMER, event.event_id,
                         lambda uow: service.record_match_decision(uow, event))

    router.publisher(
        Subjects.SOLUTION_SUBMITTED, stream=STREAM, schema=SolutionSubmitted,
        title="SolutionSubmitted", description="A provider submitted a solution.",
    )
    return router
