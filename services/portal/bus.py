"""The portal's router: it neither consumes nor publishes events yet; it reads the services' APIs."""

from typing import Any

from innoportal.consume import ServiceRouter


def build_router(runtime: Any = None) -> ServiceRouter:
    """The portal's (empty) router."""
    return ServiceRouter("portal")
