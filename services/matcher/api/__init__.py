"""The matcher's HTTP API (port 8103): matches and EMSD's decisions; the market survey and
possible duplicates."""

from fastapi import APIRouter

from services.matcher.api import matches, survey


def build_api() -> APIRouter:
    """Every route of the matcher."""
    router = APIRouter()
    router.include_router(matches.router)
    router.include_router(survey.router)
    return router
