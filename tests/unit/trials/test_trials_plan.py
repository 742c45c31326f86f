"""The plan fixed before a trial: every wrong field is named."""

import math
from datetime import datetime, timedelta

import pytest
from trials_builders import T0, kpis, plan

from innoportal.errors import FieldError
from services.trials.domain import Kpi


def fields(exc: FieldError) -> set[str]:
    return set(exc.fields)


def test_a_valid_plan_keeps_its_kpis_in_order_as_floats():
    p = plan()
    assert [k.name for k in p.kpis] == ["Energy saved", "Fault rate 故障率"]
    assert p.kpis[0] == Kpi("Energy saved", "kWh/day", 0.0, 12.0, "increase")
    assert p.planned_end - p.planned_start == timedelta(days=30)


def test_iso_strings_with_zone_are_accepted_and_normalised_to_utc():
    p = plan(planned_start="2026-03-02T09:00:00+08:00", planned_end="2026-03-03T01:00:00Z")
    assert p.planned_start == T0
    assert p.planned_start.utcoffset() == timedelta(0)


def test_end_not_after_start_is_rejected_on_planned_end():
    with pytest.raises(FieldError) as err:
        plan(planned_end=T0)
    assert fields(err.value) == {"planned_end"}
    assert "after planned_start" in str(err.value)


def test_naive_and_malformed_dates_name_their_field():
    with pytest.raises(FieldError) as err:
        plan(planned_start=datetime(2026, 3, 2, 9), planned_end="next tuesday")
    assert fields(err.value) == {"planned_start", "planned_end"}


def test_a_plan_needs_kpis():
    with pytest.raises(FieldError) as err:
        plan(kpis=[])
    assert fields(err.value) == {"kpis"}
    with pytest.raises(FieldError):
        plan(kpis="energy")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "kpis[1].name"),
        ({"unit": None}, "kpis[1].unit"),
        ({"baseline": math.nan}, "kpis[1].baseline"),
        ({"target": math.inf}, "kpis[1].target"),
        ({"target": "2"}, "kpis[1].target"),
        ({"target": True}, "kpis[1].target"),
        ({"direction": "up"}, "kpis[1].direction"),
        ({"target": 9}, "kpis[1].target"),  # decrease with a target above the baseline
        ({"name": "ENERGY SAVED"}, "kpis[1].name"),  # the same name twice
    ],
)
def test_each_bad_kpi_field_is_named(change, field):
    items = kpis()
    items[1] = {**items[1], **change}
    with pytest.raises(FieldError) as err:
        plan(kpis=items)
    assert field in fields(err.value)


def test_every_problem_is_reported_at_once():
    items = kpis()
    items[0] = {**items[0], "unit": "", "direction": "sideways"}
    with pytest.raises(FieldError) as err:
        plan(kpis=items, venue_id="", planned_end=T0 - timedelta(hours=1))
    assert fields(err.value) == {"kpis[0].unit", "kpis[0].direction", "venue_id", "planned_end"}


def test_a_target_equal_to_the_baseline_is_allowed_as_no_worse():
    items = kpis()
    items[0] = {**items[0], "target": 0}
    assert plan(kpis=items).kpis[0].target == 0.0


def test_kpi_lookup_ignores_case_and_space():
    p = plan()
    assert p.kpi("  energy SAVED ").name == "Energy saved"
    assert p.kpi("fault rate 故障率").unit == "%"
    assert p.kpi("Water") is None
