"""Venues and the booking rule: no two trials in overlapping windows unless the venue allows it."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.trials.domain.checks import Checker, get
from services.trials.domain.errors import BookingConflict


@dataclass(frozen=True)
class Venue:
    """A government premises that hosts field trials."""

    id: str
    name_en: str
    name_zh: str
    address: str
    owner_department: str
    concurrent: bool = False  # True: may host several trials at once


# EMSD's own building is the designated shared testing ground; it is there from the start.
# It books like any venue (one trial per window) so its calendar has no double booking;
# EMSD may add venues (or wings of it) marked concurrent.
EMSD_HQ = Venue(
    id="v-emsd-hq",
    name_en="EMSD Headquarters (Kowloon Bay)",
    name_zh="機電工程署總部大樓（九龍灣）",
    address="3 Kai Shing Street, Kowloon Bay, Kowloon, Hong Kong",
    owner_department="Electrical and Mechanical Services Department (EMSD)",
    concurrent=False,
)
SEED_VENUES: tuple[Venue, ...] = (EMSD_HQ,)


def new_venue_id() -> str:
    """A fresh venue id."""
    return f"v-{secrets.token_hex(8)}"


def new_venue(data: Any, *, venue_id: str | None = None) -> Venue:
    """A validated Venue from a mapping/object with name_en, name_zh, address, owner_department,
    and optional concurrent (default False); raises FieldError naming each wrong field."""
    check = Checker()
    name_en = check.text("name_en", get(data, "name_en"), max_len=200)
    name_zh = check.text("name_zh", get(data, "name_zh"), max_len=200)
    address = check.text("address", get(data, "address"), max_len=500)
    owner = check.text("owner_department", get(data, "owner_department"), max_len=200)
    raw_concurrent = get(data, "concurrent")
    concurrent = False if raw_concurrent is None else check.flag("concurrent", raw_concurrent)
    check.raise_if_any()
    return Venue(
        id=venue_id or new_venue_id(),
        name_en=name_en,  # type: ignore[arg-type]
        name_zh=name_zh,  # type: ignore[arg-type]
        address=address,  # type: ignore[arg-type]
        owner_department=owner,  # type: ignore[arg-type]
        concurrent=bool(concurrent),
    )


@dataclass(frozen=True)
class Booking:
    """A trial holding a venue for its planned window [start, end)."""

    trial_id: str
    start: datetime
    end: datetime


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open windows [start, end) share any instant (touching ends do not)."""
    return a_start < b_end and b_start < a_end


def check_booking(
    venue: Venue,
    start: datetime,
    end: datetime,
    bookings: Iterable[Booking],
    *,
    exclude_trial_id: str | None = None,
) -> None:
    """Raise BookingConflict naming the earliest booking whose window overlaps [start, end),
    unless the venue is concurrent; `bookings` are the venue's active ones (the repository's
    `active_bookings`), `exclude_trial_id` the trial being moved."""
    if venue.concurrent:
        return
    clashes = sorted(
        (
            b
            for b in bookings
            if b.trial_id != exclude_trial_id and overlaps(start, end, b.start, b.end)
        ),
        key=lambda b: (b.start, b.trial_id),
    )
    if clashes:
        raise BookingConflict(venue.id, clashes[0].trial_id)
