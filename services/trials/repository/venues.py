"""Venues and bookings: the venue rows, the booking lock and the bookings holding a venue."""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select

from services.trials.domain import ACTIVE_STATES, Booking, NotFound, Venue
from services.trials.domain.venue import SEED_VENUES
from services.trials.models import TrialRow, VenueRow
from services.trials.repository.rows import Queries


def venue_of(row: VenueRow) -> Venue:
    """The Venue of a stored row."""
    return Venue(
        row.id, row.name_en, row.name_zh, row.address, row.owner_department, row.concurrent
    )


class VenueQueries(Queries):
    """Venues, their booking lock and their calendar of trials."""

    async def seed_venues(self) -> None:
        """Insert the seeded venues (EMSD Headquarters) when missing."""
        for venue in SEED_VENUES:
            if await self.session.get(VenueRow, venue.id) is None:
                await self.add_venue(venue)

    async def add_venue(self, venue: Venue) -> None:
        """Store a new venue."""
        self.session.add(
            VenueRow(
                id=venue.id,
                name_en=venue.name_en,
                name_zh=venue.name_zh,
                address=venue.address,
                owner_department=venue.owner_department,
                concurrent=venue.concurrent,
            )
        )
        await self.session.flush()

    async def get_venue(self, venue_id: str) -> Venue:
        """The venue, or NotFound."""
        row = await self.session.get(VenueRow, venue_id)
        if row is None:
            raise NotFound("venue", venue_id)
        return venue_of(row)

    async def list_venues(self) -> list[Venue]:
        """Every venue, seeded first then by English name."""
        rows = (
            await self.session.exec(
                select(VenueRow).order_by(VenueRow.created_at, VenueRow.name_en)
            )
        ).all()
        return [venue_of(r) for r in rows]

    async def lock_venue(self, venue_id: str) -> Venue:
        """Take the venue's booking lock for this transaction (call it first); NotFound if none."""
        result = await self.session.exec(
            update(VenueRow)
            .where(col(VenueRow.id) == venue_id)
            .values(booking_seq=VenueRow.booking_seq + 1)
        )
        if result.rowcount != 1:
            raise NotFound("venue", venue_id)
        return await self.get_venue(venue_id)

    async def active_bookings(self, venue_id: str) -> list[Booking]:
        """The planned and running trials holding the venue, by planned start: what a new
        booking must not overlap (the domain's check_booking decides)."""
        query = (
            select(TrialRow.id, TrialRow.planned_start, TrialRow.planned_end)
            .where(col(TrialRow.venue_id) == venue_id, col(TrialRow.state).in_(ACTIVE_STATES))
            .order_by(TrialRow.planned_start, TrialRow.id)
        )
        return [Booking(*row) for row in (await self.session.exec(query)).all()]

    async def venue_calendar(
        self, venue_id: str, *, active_only: bool = True
    ) -> list[tuple[str, str, datetime, datetime]]:
        """(trial_id, state, planned_start, planned_end) of the venue's trials by start."""
        query = select(
            TrialRow.id, TrialRow.state, TrialRow.planned_start, TrialRow.planned_end
        ).where(col(TrialRow.venue_id) == venue_id)
        if active_only:
            query = query.where(col(TrialRow.state).in_(ACTIVE_STATES))
        return [
            tuple(r)
            for r in (await self.session.exec(query.order_by(TrialRow.planned_start))).all()
        ]
