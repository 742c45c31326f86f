"""Venues: the list, adding one (EMSD), one venue and its calendar of bookings."""

from typing import Any

from fastapi import APIRouter, Request

from innoportal.auth import EmsdDep
from innoportal.uow import UnitOfWorkDep
from services.trials import service
from services.trials.api.views import venue_json
from services.trials.api.web import actor, check_id, count_created
from services.trials.report.document import iso
from services.trials.schemas import VenueCreate

router = APIRouter(prefix="/v1/venues", tags=["venues"])


@router.get("")
async def list_venues(uow: UnitOfWorkDep) -> dict[str, Any]:
    """Every venue, EMSD Headquarters (Kowloon Bay) first."""
    items = [venue_json(v) for v in await service.list_venues(uow)]
    return {"items": items, "total": len(items)}


@router.post("", status_code=201)
async def create_venue(
    body: VenueCreate, principal: EmsdDep, uow: UnitOfWorkDep, request: Request
) -> dict[str, Any]:
    """Add a venue (EMSD); `concurrent: true` lets it host overlapping trials."""
    venue = await service.create_venue(uow, by=actor(principal), data=body.model_dump())
    await uow.commit()
    count_created(request, "venue")
    return venue_json(venue)


@router.get("/{venue_id}")
async def get_venue(venue_id: str, uow: UnitOfWorkDep) -> dict[str, Any]:
    """One venue."""
    return venue_json(await service.get_venue(uow, check_id("venue", venue_id)))


@router.get("/{venue_id}/calendar")
async def venue_calendar(
    venue_id: str, uow: UnitOfWorkDep, include_ended: bool = False
) -> dict[str, Any]:
    """The venue's bookings by planned start: planned and running trials (ended ones if asked)."""
    venue, rows = await service.venue_calendar(
        uow, check_id("venue", venue_id), include_ended=include_ended
    )
    bookings = [{"trial_id": t, "state": s, "planned_start": iso(a), "planned_end": iso(b)}
                for t, s, a, b in rows]
    return {"venue": venue_json(venue), "concurrent": venue.concurrent, "bookings": bookings}
