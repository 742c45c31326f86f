"""The portal's pages, one router per area of the site."""

from fastapi import APIRouter

from services.portal.api import home, open_data, reports, solutions, subscribe, trials, wishes

AREAS = (wishes, solutions, reports, trials, subscribe, open_data, home)


def build_api() -> APIRouter:
    """Every page of the portal, area by area."""
    router = APIRouter(include_in_schema=False)
    for area in AREAS:
        router.include_router(area.router)
    return router
