"""The wishes service's router: it learns accepted matches, and documents what it publishes."""

from contracts import STREAM, MatchDecided, Subjects, WishClosed, WishPosted
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.runtime import Runtime
from services.wishes import service

MATCH_DECIDED_CONSUMER = "wishes-match-decided"


def build_router(runtime: Runtime) -> ServiceRouter:
    """The MatchDecided consumer (who may see a wish's contact); publishing goes through the outbox,
    these publishers document it."""
    router = ServiceRouter("wishes")

    @router.durable(Subjects.MATCH_DECIDED, "match-decided")
    async def record_match_decided(event: MatchDecided) -> None:
        await apply_once(runtime.db, MATCH_DECIDED_CONSUMER, event.event_id,
                         lambda uow: service.record_match_decision(uow, event))

    router.publisher(
        Subjects.WISH_POSTED, stream=STREAM, schema=WishPosted,
        title="WishPosted", description="A department posted a wish.",
    )
    router.publisher(
        Subjects.WISH_CLOSED, stream=STREAM, schema=WishClosed,
        title="WishClosed", description="A wish's owner closed it.",
    )
    return router
