"""Each KPI's readings are summarised as its plan says: mean, median, last, min or max."""

import copy
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from trials_builders import EMSD, PROVIDER, T0, kpis, planned_trial, running_trial

from contracts import KpiResult, Subjects, TrialCompleted, parse_event
from innoportal.errors import FieldError
from services.trials import events
from services.trials.domain import (
    EMSD_HQ,
    Kpi,
    Measurement,
    compute_results,
    make_plan,
    result_method,
)
from services.trials.domain.results import aggregate, kpi_outcome
from services.trials.report import build_report, render_html, render_pdf

UP = Kpi("Energy saved", "kWh/day", 0, 12, "increase")
DOWN = Kpi("Fault rate", "%", 5, 2, "decrease")


def readings(kpi: str, *values: float) -> list[Measurement]:
    return [Measurement(kpi, v, T0 + timedelta(hours=i), EMSD, T0 + timedelta(days=9))
            for i, v in enumerate(values)]


def test_the_mean_is_the_default_and_every_kpi_says_its_aggregate():
    assert UP.aggregate == "mean" and UP.as_dict()["aggregate"] == "mean"
    plan = make_plan(venue_id="v", planned_start=T0, planned_end=T0 + timedelta(days=1),
                     kpis=[{**kpis()[0], "aggregate": "last"}, kpis()[1]])
    assert [k.aggregate for k in plan.kpis] == ["last", "mean"]


def test_readings_that_reached_the_target_by_the_end_are_met_with_last_not_with_mean():
    climbing = readings("Energy saved", 4, 8, 11, 12.5, 13)  # mean 9.7: below 12
    [by_mean] = compute_results([UP], climbing).outcomes
    [by_last] = compute_results([replace(UP, aggregate="last")], climbing).outcomes
    assert (by_mean.measured, by_mean.met) == (pytest.approx(9.7), False)
    assert (by_last.measured, by_last.met, by_last.kpi.aggregate) == (13, True, "last")
    assert compute_results([UP], climbing).verdict == "failed"
    assert compute_results([replace(UP, aggregate="last")], climbing).verdict == "passed"


def test_last_is_the_latest_measured_whatever_order_they_arrive_in():
    late_first = list(reversed(readings("Energy saved", 4, 8, 13)))
    [outcome] = compute_results([replace(UP, aggregate="last")], late_first).outcomes
    assert outcome.measured == 13


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert aggregate("median", [1, 100, 3, 10]) == 6.5  # middle two: 3 and 10
    assert aggregate("median", [7, 1, 4]) == 4
    outlier = readings("Energy saved", 12, 13, 14, -500)  # one broken sensor reading
    [median] = compute_results([replace(UP, aggregate="median")], outlier).outcomes
    [mean] = compute_results([UP], outlier).outcomes
    assert (median.measured, median.met) == (12.5, True) and not mean.met


@pytest.mark.parametrize(
    ("kpi", "values", "aggregate_name", "measured", "met"),
    [
        (UP, (11, 13, 15), "min", 11, False),   # increase: the worst reading misses 12
        (UP, (11, 13, 15), "max", 15, True),    # increase: the best reading reaches it
        (UP, (12, 13, 15), "min", 12, True),    # every reading at or above the target
        (DOWN, (1, 1.5, 3), "max", 3, False),   # decrease: the worst reading is too high
        (DOWN, (1, 1.5, 3), "min", 1, True),    # decrease: the best reading is low enough
        (DOWN, (1, 1.5, 2), "max", 2, True),    # every reading at or below the target
    ],
)
def test_min_and_max_are_judged_by_the_direction(kpi, values, aggregate_name, measured, met):
    outcome = kpi_outcome(replace(kpi, aggregate=aggregate_name), list(values))
    assert (outcome.measured, outcome.met) == (measured, met)
    assert (outcome.minimum, outcome.maximum, outcome.count) == (min(values), max(values), 3)


def test_no_readings_is_not_met_whatever_the_aggregate():
    for name in ("mean", "median", "last", "min", "max"):
        outcome = kpi_outcome(replace(UP, aggregate=name), [])
        assert (outcome.measured, outcome.met) == (None, False)


def test_an_unknown_aggregate_names_its_field():
    with pytest.raises(FieldError) as err:
        make_plan(venue_id="v", planned_start=T0, planned_end=T0 + timedelta(days=1),
                  kpis=[kpis()[0], {**kpis()[1], "aggregate": "average"}])
    assert err.value.fields == ["kpis[1].aggregate"]
    assert "mean, median, last, min, max" in err.value.errors[0][1]


def test_before_the_start_an_amendment_may_change_an_aggregate_and_it_is_recorded():
    trial = planned_trial()
    changed = [{**kpis()[0], "aggregate": "median"}, kpis()[1]]
    a = trial.amend(by=EMSD, at=T0 - timedelta(days=1), reason="Outliers expected", kpis=changed)
    assert [k.aggregate for k in trial.plan.kpis] == ["median", "mean"]
    assert [(c.field, c.before["aggregate"], c.after["aggregate"]) for c in a.changes] == [
        ("kpis[Energy saved]", "mean", "median")]


def test_an_amendment_that_leaves_the_aggregate_out_keeps_it():
    trial = planned_trial(kpis=[{**kpis()[0], "aggregate": "last"}, kpis()[1]])
    trial.start(by=EMSD, at=T0)
    moved = [{**kpis()[0], "target": 13}, kpis()[1]]  # no aggregate: as it was
    trial.amend(by=EMSD, at=T0 + timedelta(days=1), reason="Tighter target", kpis=moved)
    assert [(k.target, k.aggregate) for k in trial.plan.kpis] == [(13, "last"), (2, "mean")]


def test_once_running_an_aggregate_cannot_change():
    trial = running_trial()
    changed = [kpis()[0], {**kpis()[1], "aggregate": "min"}]
    with pytest.raises(FieldError) as err:
        trial.amend(by=EMSD, at=T0 + timedelta(days=1), reason="Looks better", kpis=changed)
    assert err.value.fields == ["kpis[1].aggregate"]
    assert err.value.errors[0][1] == (
        "cannot be changed once the trial is running (it is mean)")
    assert trial.amendments == [] and trial.plan.kpis[1].aggregate == "mean"
    same = [kpis()[0], {**kpis()[1], "aggregate": "mean"}, {**kpis()[0], "name": "New",
                                                            "aggregate": "max"}]
    trial.amend(by=EMSD, at=T0 + timedelta(days=1), reason="Another KPI", kpis=same)
    assert [k.aggregate for k in trial.plan.kpis] == ["mean", "mean", "max"]  # a new KPI may


def completed(aggregates: tuple[str, str]):
    trial = planned_trial(kpis=[{**k, "aggregate": a} for k, a in zip(kpis(), aggregates,
                                                                       strict=True)])
    trial.start(by=EMSD, at=T0)
    now = T0 + timedelta(days=20)
    measurements = [
        trial.check_measurement(by=PROVIDER, kpi=kpi, value=value, now=now,
                                measured_at=T0 + timedelta(days=i + 1))
        for i, (kpi, value) in enumerate([("Energy saved", 6), ("Energy saved", 13),
                                          ("Fault rate 故障率", 4), ("Fault rate 故障率", 1.5)])
    ]
    trial.complete(by=EMSD, at=now, summary="Done.", measurements=measurements)
    return trial, build_report(trial, EMSD_HQ, measurements, published_at=now)


def test_the_report_carries_and_explains_each_kpis_aggregate():
    _, doc = completed(("last", "median"))
    energy, fault = doc["kpis"]
    assert (energy["aggregate"], energy["measured"], energy["met"]) == ("last", 13, True)
    assert (fault["aggregate"], fault["measured"], fault["met"]) == ("median", 2.75, False)
    assert doc["method"]["name"] == "per-kpi"
    assert "Energy saved: its last reading" in doc["method"]["en"]
    assert "Fault rate 故障率: the median of its readings" in doc["method"]["en"]
    assert "Energy saved：最後一個讀數" in doc["method"]["zh"]
    assert doc["method"] == result_method([replace(UP, aggregate="last"),
                                           replace(DOWN, name="Fault rate 故障率",
                                                   aggregate="median")])
    html = render_html(doc)
    assert '<td class="aggregate" data-aggregate="last">Last reading' in html
    assert 'data-aggregate="median">Median / <span lang="zh-HK">中位數</span>' in html
    assert "Summarised as" in html and "彙總方式" in html
    assert render_pdf(doc).startswith(b"%PDF-")


def test_a_report_from_before_aggregates_reads_as_the_mean():
    _, doc = completed(("mean", "mean"))
    old = copy.deepcopy(doc)
    for k in old["kpis"]:
        del k["aggregate"]
    assert 'data-aggregate="mean">Mean' in render_html(old)
    assert render_pdf(old).startswith(b"%PDF-")


def test_trial_completed_carries_each_aggregate_and_older_events_read_as_mean():
    trial, doc = completed(("last", "max"))
    event = events.trial_completed(trial, doc, "u")
    parsed = parse_event(Subjects.TRIAL_COMPLETED, event.model_dump_json())
    assert [(k.name, k.aggregate, k.measured) for k in parsed.kpi_results] == [
        ("Energy saved", "last", 13), ("Fault rate 故障率", "max", 4)]
    older = json.loads(event.model_dump_json())
    for k in older["kpi_results"]:
        del k["aggregate"]  # as published before the field existed
    again = parse_event(Subjects.TRIAL_COMPLETED, json.dumps(older))
    assert isinstance(again, TrialCompleted) and again.schema_version == 1
    assert [k.aggregate for k in again.kpi_results] == ["mean", "mean"]
    assert KpiResult(name="n", unit="u", baseline=0, target=1, direction="increase",
                     met=False).aggregate == "mean"
