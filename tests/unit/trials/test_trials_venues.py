"""Venues and the booking rule."""

from datetime import timedelta

import pytest
from trials_builders import T0

from innoportal.errors import FieldError
from services.trials.domain import (
    EMSD_HQ,
    Booking,
    BookingConflict,
    Venue,
    check_booking,
    new_venue,
    overlaps,
)

DAY = timedelta(days=1)
HALL = Venue("v-hall", "Exhibition Hall", "展覽廳", "1 Road", "EMSD", concurrent=True)


def test_emsd_headquarters_is_seeded_bilingually():
    assert EMSD_HQ.name_en == "EMSD Headquarters (Kowloon Bay)"
    assert EMSD_HQ.name_zh == "機電工程署總部大樓（九龍灣）"
    assert "3 Kai Shing Street, Kowloon Bay" in EMSD_HQ.address
    assert EMSD_HQ.concurrent is False


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 2), (1, 3), True),
        ((0, 2), (2, 4), False),
        ((2, 4), (0, 2), False),
        ((0, 10), (3, 4), True),
        ((3, 4), (0, 10), True),
        ((0, 1), (5, 6), False),
        ((0, 2), (0, 2), True),
    ],
)
def test_windows_are_half_open(a, b, expected):
    assert overlaps(T0 + a[0] * DAY, T0 + a[1] * DAY, T0 + b[0] * DAY, T0 + b[1] * DAY) is expected


def bookings():
    return [
        Booking("t-late", T0 + 20 * DAY, T0 + 30 * DAY),
        Booking("t-early", T0 + 5 * DAY, T0 + 15 * DAY),
    ]


def test_the_conflict_names_the_earliest_overlapping_trial():
    with pytest.raises(BookingConflict) as err:
        check_booking(EMSD_HQ, T0, T0 + 40 * DAY, bookings())
    assert err.value.conflicting_trial_id == "t-early" and err.value.http_status == 409
    assert "t-early" in str(err.value) and EMSD_HQ.id in str(err.value)


def test_a_free_window_and_touching_windows_book():
    check_booking(EMSD_HQ, T0 + 15 * DAY, T0 + 20 * DAY, bookings())
    check_booking(EMSD_HQ, T0 + 30 * DAY, T0 + 31 * DAY, bookings())


def test_a_trial_does_not_clash_with_itself():
    check_booking(EMSD_HQ, T0 + 6 * DAY, T0 + 16 * DAY, bookings()[1:], exclude_trial_id="t-early")


def test_a_concurrent_venue_hosts_overlapping_trials():
    check_booking(HALL, T0, T0 + 40 * DAY, bookings())


def test_new_venue_validates_and_defaults_to_one_trial_at_a_time():
    venue = new_venue(
        {
            "name_en": " Tsing Yi Depot ",
            "name_zh": "青衣車廠",
            "address": "Tsing Yi",
            "owner_department": "EMSD",
        }
    )
    assert (
        venue.id.startswith("v-")
        and venue.name_en == "Tsing Yi Depot"
        and venue.concurrent is False
    )
    with pytest.raises(FieldError) as err:
        new_venue(
            {
                "name_en": "X",
                "name_zh": "",
                "address": None,
                "owner_department": "EMSD",
                "concurrent": "yes",
            }
        )
    assert set(err.value.fields) == {"name_zh", "address", "concurrent"}
