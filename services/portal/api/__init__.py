"""The portal's pages, one router per area of the site."""

from fastapi import APIRouter, Depends

from services.portal.api import (
    account,
    home,
    my_accounts,
    my_matches,
    my_records,
    my_similar,
    my_trials,
    my_venues,
    open_data,
    reports,
    solutions,
    subscribe,
    survey,
    trials,
    wishes,
    workspace,
)
from services.portal.api.session import current_actor

AREAS = (wishes, solutions, survey, reports, trials, subscribe, open_data, account, workspace,
         my_records, my_similar, my_trials, my_venues, my_matches, my_accounts, home)


def build_api() -> APIRouter:
    """Every page of the portal, area by area; every page knows who is signed in."""
    router = APIRouter(include_in_schema=False, dependencies=[Depends(current_actor)])
    for area in AREAS:
        router.include_router(area.router)
    return router
