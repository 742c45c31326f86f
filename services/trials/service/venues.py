"""Venue use cases: the seeded venues, adding one, reading them, and booking one for a trial."""

from datetime import datetime
from typing import Any

from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.trials.domain import Actor, NotFound, NotPermitted, Venue, check_booking, new_venue
from services.trials.repository import TrialsRepository

Booked = tuple[str, str, datetime, datetime]  # (trial_id, state, planned_start, planned_end)


async def seed_venues(uow: UnitOfWork) -> None:
    """Insert the seeded venues (EMSD Headquarters) when missing."""
    await TrialsRepository(uow.session).seed_venues()


async def create_venue(uow: UnitOfWork, *, by: Actor, data: Any) -> Venue:
    """A new venue (EMSD only) from name_en, name_zh, address, owner_department, concurrent."""
    if not by.is_emsd:
        raise NotPermitted(f"only EMSD may add venues; {by.org} ({by.role}) may not")
    venue = new_venue(data)
    await TrialsRepository(uow.session).add_venue(venue)
    return venue


async def list_venues(uow: UnitOfWork) -> list[Venue]:
    """Every venue, EMSD Headquarters (Kowloon Bay) first."""
    return await TrialsRepository(uow.session).list_venues()


async def get_venue(uow: UnitOfWork, venue_id: str) -> Venue:
    """One venue (NotFound if none)."""
    return await TrialsRepository(uow.session).get_venue(venue_id)


async def venue_calendar(
    uow: UnitOfWork, venue_id: str, *, include_ended: bool = False
) -> tuple[Venue, list[Booked]]:
    """The venue and its bookings by planned start: planned and running trials (ended ones too
    if asked)."""
    repo = TrialsRepository(uow.session)
    venue = await repo.get_venue(venue_id)
    return venue, await repo.venue_calendar(venue.id, active_only=not include_ended)


async def lock_for_booking(repo: TrialsRepository, venue_id: str) -> Venue:
    """The venue, its bookings locked for this unit of work (call it first: bookings of one venue
    then happen one after the other); FieldError naming venue_id when there is no such venue."""
    try:
        return await repo.lock_venue(venue_id)
    except NotFound:
        raise FieldError("venue_id", f"no venue {venue_id!r}; GET /v1/venues lists them") from None


async def check_free(
    repo: TrialsRepository, venue: Venue, start: datetime, end: datetime,
    moving: str | None = None,
) -> None:
    """BookingConflict unless the venue is free over [start, end) (`moving`: the trial whose
    own booking moves, which never clashes with itself)."""
    # A concurrent venue never clashes: no need to read its bookings.
    bookings = [] if venue.concurrent else await repo.active_bookings(venue.id)
    check_booking(venue, start, end, bookings, exclude_trial_id=moving)
