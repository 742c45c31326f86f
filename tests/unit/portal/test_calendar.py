"""A venue's month calendar: weeks from Monday, Hong Kong days, half-open bookings, the month
field's rules, and the clash check a plan goes through before it is sent."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.portal.domain.calendar import (
    Booking,
    Month,
    MonthField,
    bookings_of,
    clashes,
    day_window,
    month_view,
    plan_window,
    window_days,
)

HKT = timedelta(hours=8)


def hk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Hong Kong wall-clock moment, in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - HKT


def booking(trial: str, start: datetime, end: datetime, state: str = "planned") -> Booking:
    return Booking(trial, state, start, end)


def test_weeks_start_on_monday_and_pad_the_month():
    view = month_view(Month(2026, 12), [], today=date(2026, 12, 2))
    # 1 December 2026 is a Tuesday: one empty cell before it; the 31st is a Thursday.
    assert [cell.day for cell in view.weeks[0]][:2] == [None, date(2026, 12, 1)]
    assert all(len(week) == 7 for week in view.weeks) and len(view.weeks) == 5
    assert [c.day for c in view.weeks[-1]][3:] == [date(2026, 12, 31), None, None, None]
    assert [c.day for w in view.weeks for c in w if c.today] == [date(2026, 12, 2)]


def test_a_month_starting_on_monday_has_no_padding_before_it():
    view = month_view(Month(2027, 2), [], today=date(2000, 1, 1))
    assert view.weeks[0][0].day == date(2027, 2, 1) and len(view.weeks) == 4


def test_each_day_lists_the_bookings_holding_any_part_of_its_hong_kong_day():
    # From 23:30 HKT on the 9th to 00:00 HKT on the 12th: the 9th, 10th and 11th, not the 12th.
    late = booking("t-a", hk(2026, 12, 9, 23, 30), hk(2026, 12, 12))
    view = month_view(Month(2026, 12), [late], today=date(2026, 12, 1))
    held = [c.day.day for w in view.weeks for c in w if c.day and c.bookings]
    assert held == [9, 10, 11]
    assert view.bookings == [late]
    assert (late.first_day, late.last_day) == (date(2026, 12, 9), date(2026, 12, 11))


def test_a_booking_across_months_shows_in_each_and_others_are_left_out():
    across = booking("t-b", hk(2026, 11, 25), hk(2027, 1, 3))
    elsewhere = booking("t-c", hk(2027, 3, 1), hk(2027, 3, 2))
    view = month_view(Month(2026, 12), [across, elsewhere], today=date(2026, 12, 1))
    assert view.bookings == [across]
    assert all(c.bookings == (across,) for w in view.weeks for c in w if c.day)


def test_hong_kong_days_are_utc_plus_eight():
    start, end = day_window(date(2026, 12, 1))
    assert start == datetime(2026, 11, 30, 16, tzinfo=UTC) and end - start == timedelta(days=1)


def test_bookings_are_read_from_the_calendar_answer_earliest_first():
    found = bookings_of([
        {"trial_id": "t-2", "state": "running", "planned_start": "2026-12-05T00:00:00Z",
         "planned_end": "2026-12-06T00:00:00Z"},
        {"trial_id": "t-1", "state": "completed", "planned_start": "2026-12-01T00:00:00+08:00",
         "planned_end": "2026-12-02T00:00:00+08:00"},
        {"trial_id": "t-3", "planned_start": "not a date", "planned_end": None},
        {"trial_id": "t-4", "planned_start": "2026-12-01T00:00:00", "planned_end": "x"},
    ])
    assert [b.trial_id for b in found] == ["t-1", "t-2"]
    assert [b.active for b in found] == [False, True]


@pytest.mark.parametrize(("raw", "month", "key"), [
    ("2026-11", Month(2026, 11), None), (" 2026-01 ", Month(2026, 1), None), ("", None, None),
    ("2026-13", None, "my_trials.input.month"), ("2026-00", None, "my_trials.input.month"),
    ("2026-1", None, "my_trials.input.month"), ("November", None, "my_trials.input.month"),
    ("２０２６-１１", None, "my_trials.input.month"), ("0999-01", None, "my_trials.input.month_range"),
    ("2026-11-01", None, "my_trials.input.month"),
])
def test_the_month_field(raw, month, key):
    value, problem = MonthField().check(raw)
    assert value == month and (problem.key if problem else None) == key


def test_previous_and_next_months_stop_at_the_apis_years():
    assert Month(2026, 1).previous() == Month(2025, 12) and Month(2026, 12).next() == Month(2027, 1)
    assert Month(1970, 1).previous() is None and Month(2999, 12).next() is None
    assert len(Month(2999, 12).days) == 31 and len(Month(2028, 2).days) == 29
    assert Month(2026, 3).text == "2026-03"


def test_a_plan_of_plain_dates_is_read_as_the_trials_api_reads_it():
    assert plan_window("2026-12-10", "2026-12-20") == (hk(2026, 12, 10), hk(2026, 12, 21))
    assert plan_window("2026-12-10", "2026-12-10") == (hk(2026, 12, 10), hk(2026, 12, 11))
    for start, end in (("2026-12-20", "2026-12-10"), ("2026-02-30", "2026-03-01"),
                       ("", "2026-12-01"), ("2026/12/01", "2026-12-02"),
                       ("0001-01-01", "2026-01-01")):
        assert plan_window(start, end) is None, (start, end)


def test_only_active_bookings_that_overlap_clash_and_touching_ends_do_not():
    held = booking("t-held", hk(2026, 12, 10), hk(2026, 12, 21), "running")
    ended = booking("t-ended", hk(2026, 12, 1), hk(2026, 12, 31), "completed")
    before = booking("t-before", hk(2026, 12, 1), hk(2026, 12, 10))
    start, end = plan_window("2026-12-20", "2026-12-24")
    assert clashes(start, end, [held, ended, before]) == [held]
    start, end = plan_window("2026-12-21", "2026-12-24")
    assert clashes(start, end, [held, ended, before]) == []


def test_a_window_as_hong_kong_days():
    assert window_days("2026-12-09T16:00:00Z", "2026-12-20T16:00:00Z") == (
        date(2026, 12, 10), date(2026, 12, 20))
    assert window_days("2026-12-10T01:00:00+08:00", "2026-12-10T02:00:00+08:00") == (
        date(2026, 12, 10), date(2026, 12, 10))
    assert window_days(None, "2026-12-10") is None


def test_a_window_of_whole_days_reads_as_its_first_and_last_day():
    from services.portal.domain.language import EN, ZH
    from services.portal.domain.records import window_ends

    # 00:00 HKT on 2 December to 00:00 HKT on 16 December: the 2nd to the 15th.
    assert window_ends("2026-12-01T16:00:00Z", "2026-12-15T16:00:00Z", EN) == (
        "2 December 2026", "15 December 2026")
    assert window_ends("2026-12-01T16:00:00Z", "2026-12-15T16:00:00Z", ZH) == (
        "2026年12月2日", "2026年12月15日")
    # Not at midnight: to the minute.
    assert window_ends("2026-12-02T00:42:00Z", "2027-01-01T00:47:00Z", EN) == (
        "2 December 2026 08:42", "1 January 2027 08:47")
