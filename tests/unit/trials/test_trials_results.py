"""Results: each KPI's mean against its target and direction, and the overall verdict."""

from datetime import timedelta

import pytest
from trials_builders import EMSD, T0

from services.trials.domain import Kpi, Measurement, compute_results, is_met, verdict_of
from services.trials.domain.results import kpi_outcome

UP = Kpi("Energy saved", "kWh/day", 0, 12, "increase")
DOWN = Kpi("Fault rate", "%", 5, 2, "decrease")


def readings(kpi: str, *values: float) -> list[Measurement]:
    return [
        Measurement(kpi, v, T0 + timedelta(hours=i), EMSD, T0 + timedelta(days=9))
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("kpi", "measured", "met"),
    [
        (UP, 12.5, True),
        (UP, 12.0, True),
        (UP, 11.99, False),
        (UP, -1, False),
        (DOWN, 1.5, True),
        (DOWN, 2.0, True),
        (DOWN, 2.01, False),
        (DOWN, 5, False),
        (UP, None, False),
        (DOWN, None, False),
    ],
)
def test_met_follows_the_direction(kpi, measured, met):
    assert is_met(kpi, measured) is met


def test_rounding_noise_does_not_miss_a_target():
    kpi = Kpi("Ratio", "-", 0, 0.3, "increase")
    outcome = kpi_outcome(kpi, [0.1, 0.2, 0.3, 0.6])  # mean 0.3 up to float error
    assert outcome.met


def test_the_result_is_the_mean_with_its_spread_in_time_order():
    measurements = readings("Energy saved", 10, 16, 13) + readings("Fault rate", 4, 1)
    measurements.reverse()  # any order in, time order used
    results = compute_results([UP, DOWN], measurements)
    up, down = results.outcomes
    assert (up.measured, up.count, up.minimum, up.maximum, up.last, up.met) == (
        13.0,
        3,
        10,
        16,
        13,
        True,
    )
    assert (down.measured, down.count, down.last, down.met) == (2.5, 2, 1, False)
    assert results.verdict == "partially_passed" and results.met_count == 1


def test_a_mean_below_target_fails_even_when_the_last_reading_passes():
    [outcome] = compute_results([UP], readings("Energy saved", 5, 6, 20)).outcomes
    assert outcome.last == 20 and outcome.measured == pytest.approx(31 / 3) and not outcome.met


def test_a_kpi_without_measurements_is_not_met():
    results = compute_results([UP, DOWN], readings("Energy saved", 13))
    assert results.outcomes[1].measured is None and results.outcomes[1].count == 0
    assert not results.outcomes[1].met
    assert results.verdict == "partially_passed"


def test_measurements_of_other_names_are_ignored():
    results = compute_results([UP], readings("Something else", 100))
    assert results.outcomes[0].count == 0


@pytest.mark.parametrize(
    ("up_values", "down_values", "verdict"),
    [
        ((13,), (1,), "passed"),
        ((13,), (4,), "partially_passed"),
        ((1,), (4,), "failed"),
        ((), (), "failed"),
        ((13,), (), "partially_passed"),
    ],
)
def test_verdicts(up_values, down_values, verdict):
    results = compute_results(
        [UP, DOWN], readings("Energy saved", *up_values) + readings("Fault rate", *down_values)
    )
    assert results.verdict == verdict


def test_no_kpis_is_no_pass():
    assert verdict_of([]) == "failed"
