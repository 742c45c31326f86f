"""The wishes service's router: it consumes nothing, and documents what it publishes."""

from typing import Any

from contracts import STREAM, Subjects, WishClosed, WishPosted
from innoportal.consume import ServiceRouter


def build_router(runtime: Any = None) -> ServiceRouter:
    """The wishes router; publishing goes through the outbox, these publishers document it."""
    router = ServiceRouter("wishes")
    router.publisher(
        Subjects.WISH_POSTED, stream=STREAM, schema=WishPosted,
        title="WishPosted", description="A department posted a wish.",
    )
    router.publisher(
        Subjects.WISH_CLOSED, stream=STREAM, schema=WishClosed,
        title="WishClosed", description="A wish's owner closed it.",
    )
    return router
