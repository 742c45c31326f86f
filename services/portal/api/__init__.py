"""The portal's pages, one router per area of the site."""

from fastapi import APIRouter

from services.portal.api import home


def build_api() -> APIRouter:
    """Every page of the portal; the catch-all language routes come last."""
    router = APIRouter(include_in_schema=False)
    for area in ():
        router.include_router(area.router)
    router.include_router(home.router)
    return router
