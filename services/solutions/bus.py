"""The solutions service's router: it learns of wishes, and documents what it publishes."""

from contracts import STREAM, SolutionSubmitted, Subjects, WishClosed, WishPosted
from innoportal.consume import ServiceRouter
from innoportal.idempotency import claim_event
from innoportal.runtime import Runtime
from services.solutions.models import KnownWish


def build_router(runtime: Runtime) -> ServiceRouter:
    """Consumers of WishPosted and WishClosed (to check wish_id), and the SolutionSubmitted doc."""
    router = ServiceRouter("solutions")

    @router.durable(Subjects.WISH_POSTED, "wish-posted")
    async def record_wish_posted(event: WishPosted) -> None:
        async with runtime.db.transaction() as session:
            if not await claim_event(session, "solutions-wish-posted", event.event_id):
                return
            known = await session.get(KnownWish, event.wish.id)
            if known is None:
                session.add(KnownWish(id=event.wish.id, status=event.wish.status))

    @router.durable(Subjects.WISH_CLOSED, "wish-closed")
    async def record_wish_closed(event: WishClosed) -> None:
        async with runtime.db.transaction() as session:
            if not await claim_event(session, "solutions-wish-closed", event.event_id):
                return
            known = await session.get(KnownWish, event.wish_id)
            # A close may overtake its post; remember it either way.
            session.add(KnownWish(id=event.wish_id, status="closed") if known is None else known)
            if known is not None:
                known.status = "closed"

    router.publisher(
        Subjects.SOLUTION_SUBMITTED, stream=STREAM, schema=SolutionSubmitted,
        title="SolutionSubmitted", description="A provider submitted a solution.",
    )
    return router
