"""Measurements: from EMSD or the trial's provider, a known KPI, a finite number, inside the run."""

import math
from datetime import datetime, timedelta, timezone

import pytest
from trials_builders import DEPARTMENT, EMSD, OTHER_PROVIDER, PROVIDER, T0

from innoportal.errors import FieldError
from services.trials.domain import NotPermitted

NOW = T0 + timedelta(days=3)


def measure(trial, **overrides):
    args = {
        "by": PROVIDER,
        "kpi": "Energy saved",
        "value": 12.5,
        "measured_at": T0 + timedelta(days=1),
        "now": NOW,
    }
    args.update(overrides)
    return trial.check_measurement(**args)


def problem_fields(trial, **overrides) -> set[str]:
    with pytest.raises(FieldError) as err:
        measure(trial, **overrides)
    assert err.value.status == 422
    return set(err.value.fields)


@pytest.mark.parametrize("who", [EMSD, PROVIDER])
def test_emsd_and_the_trials_own_provider_may_record(running, who):
    m = measure(running, by=who)
    assert (m.kpi, m.value, m.measured_at, m.recorded_by, m.recorded_at) == (
        "Energy saved",
        12.5,
        T0 + timedelta(days=1),
        who,
        NOW,
    )


@pytest.mark.parametrize("who", [OTHER_PROVIDER, DEPARTMENT])
def test_nobody_else_may_record(running, who):
    with pytest.raises(NotPermitted) as err:
        measure(running, by=who)
    assert "HKUST" in str(err.value)


def test_the_kpi_name_is_matched_without_case_and_stored_as_planned(running):
    assert measure(running, kpi=" FAULT RATE 故障率 ", value=3).kpi == "Fault rate 故障率"


def test_an_unknown_kpi_is_named_with_the_known_ones(running):
    with pytest.raises(FieldError) as err:
        measure(running, kpi="Water saved")
    assert err.value.fields[0] == "kpi"
    assert "Energy saved" in err.value.errors[0][1]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "12", None, True, [1]])
def test_the_value_must_be_a_finite_number(running, value):
    assert problem_fields(running, value=value) == {"value"}


def test_integers_and_negative_numbers_are_values(running):
    assert measure(running, value=-3).value == -3.0
    assert isinstance(measure(running, value=7).value, float)


def test_before_the_actual_start_is_rejected(running):
    assert problem_fields(running, measured_at=T0 - timedelta(seconds=1)) == {"measured_at"}
    assert measure(running, measured_at=T0).measured_at == T0


def test_the_future_is_rejected(running):
    assert problem_fields(running, measured_at=NOW + timedelta(seconds=1)) == {"measured_at"}
    assert measure(running, measured_at=NOW).measured_at == NOW


def test_times_need_a_zone_and_are_kept_in_utc(running):
    assert problem_fields(running, measured_at=datetime(2026, 3, 3, 9)) == {"measured_at"}
    assert problem_fields(running, measured_at="yesterday") == {"measured_at"}
    hkt = timezone(timedelta(hours=8))
    m = measure(running, measured_at=datetime(2026, 3, 3, 17, 0, tzinfo=hkt))
    assert m.measured_at == T0 + timedelta(
        days=1, hours=8
    ) and m.measured_at.utcoffset() == timedelta(0)
    assert measure(running, measured_at="2026-03-03T01:00:00Z").measured_at == T0 + timedelta(
        days=1
    )


def test_all_wrong_fields_are_named_together(running):
    assert problem_fields(
        running, kpi="?", value=math.nan, measured_at=NOW + timedelta(days=1)
    ) == {"kpi", "value", "measured_at"}
