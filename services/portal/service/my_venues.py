"""Venues in EMSD's workspace: the list, adding one, a venue's month of bookings, and the clash
check a trial's plan goes through before it is sent."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from innoportal.fields import is_record_id
from services.portal.adapters.upstream import NotFound, Rejected, Upstream
from services.portal.domain.calendar import (
    Booking,
    Month,
    MonthView,
    bookings_of,
    clashes,
    month_view,
    plan_window,
)
from services.portal.domain.language import Language
from services.portal.domain.records import format_date
from services.portal.domain.texts import translate
from services.portal.service.gather import settle
from services.portal.service.wishes import unless_missing

VENUE_TEXTS = ("name_en", "name_zh", "address", "owner_department")
MOST_TITLES = 42  # trials named on one month's page (six weeks of a trial a day)


@dataclass(frozen=True)
class Problems:
    """A service's objections: by form field, and those that name no field of the form."""

    fields: dict[str, str] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.other)


def problems_of(exc: Rejected, form_field: Callable[[str], str | None], separator: str) -> Problems:
    """Each error beside the form field `form_field` names for its API field (None: no field)."""
    found: dict[str, list[str]] = {}
    other: list[str] = []
    for error in exc.errors:
        name, message = str(error.get("field", "")), str(error.get("message", ""))
        target = form_field(name)
        if target is None:
            # These messages are sentences of their own; others need the field they name.
            plain = name in ("", "body", "request", "state", "role", "match_id", "version")
            other.append(message if plain else f"{name}: {message}")
        elif message not in found.setdefault(target, []):
            found[target].append(message)
    if not found and not other:
        other.append(exc.detail or str(exc.status))
    return Problems({k: separator.join(v) for k, v in found.items()}, other)


def down_notice(language: Language) -> str:
    """The trials service did not answer: nothing was saved."""
    return translate("my_trials.down", language, service=translate("service.trials", language))


def separator_of(language: str) -> str:
    """How two messages about one field are joined in `language`."""
    return "；" if language == "zh-HK" else "; "


def venue_path(venue_id: str, rest: str = "") -> str:
    """The trials API path of a venue; NotFound (the 404 page) for what cannot be an id."""
    if not is_record_id(venue_id, 64):
        raise NotFound("trials", "venue_id: not a venue id")
    return f"/v1/venues/{quote(venue_id, safe='')}{rest}"


async def list_venues(upstream: Upstream, language: str) -> list[dict[str, Any]]:
    """Every venue, EMSD Headquarters first."""
    return list((await upstream.get("trials", "/v1/venues", language=language))["items"])


def venue_body(typed: Mapping[str, Any]) -> dict[str, Any]:
    """The add-a-venue form as the API takes it (an unticked box is False)."""
    return {**{name: str(typed.get(name, "")) for name in VENUE_TEXTS},
            "concurrent": bool(typed.get("concurrent"))}


async def add_venue(upstream: Upstream, language: str, token: str,
                    typed: Mapping[str, Any]) -> dict[str, Any]:
    """Add a venue (EMSD's token); Rejected with the field errors otherwise."""
    return await upstream.post("trials", "/v1/venues", json=venue_body(typed), token=token,
                               language=language)


async def trials_by_id(upstream: Upstream, language: str,
                       ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The trials named, by id (one missing, or a service down, is left out)."""
    wanted = list(dict.fromkeys(ids))[:MOST_TITLES]
    calls = {i: unless_missing(upstream.get("trials", f"/v1/trials/{quote(i, safe='')}",
                                            language=language))
             for i in wanted if is_record_id(i, 64)}
    answers, _ = await settle(calls)
    return {i: trial for i, trial in answers.items() if trial}


@dataclass(frozen=True)
class VenueMonth:
    """A venue's page: the venue, its month of bookings, and the trials booked in it."""

    venue: dict[str, Any]
    view: MonthView
    trials: dict[str, dict[str, Any]]


async def venue_month(upstream: Upstream, language: str, venue_id: str, month: Month,
                      today: date) -> VenueMonth:
    """A venue's bookings in `month`, ended ones too, with their trials' titles."""
    answer = await upstream.get("trials", venue_path(venue_id, "/calendar"), language=language,
                                params={"include_ended": "true"})
    view = month_view(month, bookings_of(answer.get("bookings", [])), today)
    trials = await trials_by_id(upstream, language, [b.trial_id for b in view.bookings])
    return VenueMonth(answer["venue"], view, trials)


async def booking_clashes(upstream: Upstream, language: str, venue_id: str, start: datetime,
                          end: datetime) -> list[Booking]:
    """The planned or running trials a venue that hosts one at a time already has in the
    window (none for an unknown venue: the trials API names that problem itself)."""
    try:
        answer = await upstream.get("trials", venue_path(venue_id, "/calendar"), language=language)
    except NotFound:
        return []
    if answer.get("concurrent") or answer.get("venue", {}).get("concurrent"):
        return []
    return clashes(start, end, bookings_of(answer.get("bookings", [])))


@dataclass(frozen=True)
class Clash:
    """A booking the plan's window overlaps, and its trial (None: not known)."""

    booking: Booking
    trial: dict[str, Any] | None


async def clash_of(upstream: Upstream, language: str, typed: Mapping[str, Any]) -> list[Clash]:
    """The bookings of the chosen venue that the plan's dates overlap, if it hosts one trial at
    a time (none when the dates or venue cannot be read yet: the API names those problems)."""
    window = plan_window(str(typed.get("planned_start", "")), str(typed.get("planned_end", "")))
    venue_id = str(typed.get("venue_id", "")).strip()
    if window is None or not venue_id:
        return []
    found = await booking_clashes(upstream, language, venue_id, *window)
    named = await trials_by_id(upstream, language, [b.trial_id for b in found])
    return [Clash(b, named.get(b.trial_id)) for b in found]


def clash_problems(clash: list[Clash], language: Language) -> Problems:
    """The clash beside the plan's dates, in the reader's words."""
    dates = separator_of(language.tag).join(
        translate("my_trials.window", language, start=format_date(c.booking.first_day, language),
                  end=format_date(c.booking.last_day, language)) for c in clash)
    return Problems({"window": translate("my_trials.clash", language, dates=dates)})
