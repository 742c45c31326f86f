"""Plain dates in a plan mean Hong Kong days: from 00:00 HKT, to the end of the day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from trials_builders import EMSD, T0, kpis, planned_trial, running_trial

from innoportal.errors import FieldError
from services.trials.domain import make_plan
from services.trials.domain.checks import day_bound


def plan(start, end):
    return make_plan(venue_id="v-emsd-hq", planned_start=start, planned_end=end, kpis=kpis())


def test_a_plain_date_is_that_hong_kong_day_from_its_start_to_its_end():
    p = plan("2026-11-21", "2026-11-30")
    assert p.planned_start == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # 00:00 HKT on the 21st
    assert p.planned_end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 00:00 HKT on 1 December


def test_one_day_is_a_whole_window_and_dates_mix_with_date_times():
    one = plan("2026-11-21", "2026-11-21")
    assert one.planned_end - one.planned_start == timedelta(days=1)
    mixed = plan("2026-11-21T09:30:00+08:00", date(2026, 11, 22))
    assert mixed.planned_start == datetime(2026, 11, 21, 1, 30, tzinfo=UTC)
    assert mixed.planned_end == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert day_bound(" 2026-12-31 ", "end") == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-02-30", "2026-03-02", "planned_start", "is not a real date (YYYY-MM-DD)"),
        ("2026-03-01", "2026-13-01", "planned_end", "is not a real date (YYYY-MM-DD)"),
        ("2026-03-01T09:00:00", "2026-03-02", "planned_start",
         "must carry a time zone (e.g. Z or +08:00)"),
        ("3000-01-01", "3000-01-02", "planned_start", "must be between the years 1970 and 2999"),
        ("2026-03-02", "2026-03-01", "planned_end", "must be after planned_start"),
        ("2026-3-1", "2026-03-02", "planned_start",
         "must be an ISO 8601 date-time, e.g. 2026-11-21T09:30:00Z"),
    ],
)
def test_wrong_dates_name_their_field(start, end, field, message):
    with pytest.raises(FieldError) as err:
        plan(start, end)
    assert err.value.errors[0] == (field, message)


def test_the_last_day_of_the_range_still_ends():
    assert plan("2999-12-30", "2999-12-31").planned_end == datetime(2999, 12, 31, 16, 0, tzinfo=UTC)
    with pytest.raises(FieldError):
        plan("1969-12-31", "1970-01-02")


def test_amendments_take_plain_dates_too():
    planned = planned_trial()
    planned.amend(by=EMSD, at=T0 - timedelta(days=1), reason="Later",
                  planned_start="2026-03-10", planned_end="2026-04-10")
    assert planned.plan.planned_start == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert planned.plan.planned_end == datetime(2026, 4, 10, 16, 0, tzinfo=UTC)
    running = running_trial()
    running.amend(by=EMSD, at=T0 + timedelta(days=1), reason="Longer", planned_end="2026-05-31")
    assert running.amendments[0].changes[0].after == "2026-05-31T16:00:00Z"


def test_a_reading_keeps_needing_a_time_zone(running):
    with pytest.raises(FieldError) as err:
        running.check_measurement(by=EMSD, kpi="Energy saved", value=1, now=T0 + timedelta(days=3),
                                  measured_at="2026-03-03")
    assert err.value.fields[0] == "measured_at"
