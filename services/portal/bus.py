"""The portal's router: it consumes nothing; it publishes the one-time links the notifier emails."""

from typing import Any

from contracts import STREAM, SignInLinkIssued, Subjects
from innoportal.consume import ServiceRouter


def build_router(runtime: Any = None) -> ServiceRouter:
    """The portal's router; publishing goes through the outbox, the publisher documents it."""
    router = ServiceRouter("portal")
    router.publisher(
        Subjects.SIGN_IN_LINK_ISSUED, stream=STREAM, schema=SignInLinkIssued,
        title="SignInLinkIssued", description="A one-time sign-in, registration or invitation "
        "link was issued; the notifier emails it.",
    )
    return router
