"""Measurements and what a trial achieved: each KPI against its target, and the verdict.

A KPI's result is the arithmetic mean of all its measurements taken while the trial ran.
Why the mean: a trial is judged on sustained performance over the whole agreed window, which
is how a field-trial report states a figure ("saved 12.4 kWh/day on average"). The last value
rewards a lucky final reading and punishes an unlucky one; a best value hides bad days. The
report also shows count, minimum, maximum and last value, so nobody has to take the mean on
trust. A KPI without measurements is not met: no evidence is not success.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from services.trials.domain.plan import Actor, Kpi

Verdict = Literal["passed", "partially_passed", "failed"]
RESULT_METHOD = "mean"
RESULT_METHOD_TEXT = {
    "en": "Each KPI's result is the arithmetic mean of all its measurements taken while the "
    "trial was running. A KPI is met when that mean reaches its target in the KPI's direction "
    "(at or above for increase, at or below for decrease); a KPI without measurements is not met.",
    "zh": "每項關鍵績效指標的結果為試驗進行期間所有量度數據的算術平均值。"
    "若平均值按指標方向達到目標（增加：不低於目標；減少：不高於目標），即為達標；"
    "沒有量度數據的指標視為未達標。",
}


@dataclass(frozen=True)
class Measurement:
    """One validated reading of a KPI."""

    kpi: str
    value: float
    measured_at: datetime
    recorded_by: Actor
    recorded_at: datetime


@dataclass(frozen=True)
class KpiOutcome:
    """One KPI's result: the mean of its readings, whether it met the target, and the spread."""

    kpi: Kpi
    measured: float | None
    met: bool
    count: int
    minimum: float | None
    maximum: float | None
    last: float | None

    def as_dict(self) -> dict[str, Any]:
        """The KPI's plan and its outcome, flat, as stored and shown."""
        return {**self.kpi.as_dict(), "measured": self.measured, "met": self.met,
                "count": self.count, "min": self.minimum, "max": self.maximum, "last": self.last}


@dataclass(frozen=True)
class Results:
    """Every KPI's outcome and the overall verdict."""

    outcomes: tuple[KpiOutcome, ...]
    verdict: Verdict

    @property
    def met_count(self) -> int:
        """How many KPIs were met."""
        return sum(o.met for o in self.outcomes)


def is_met(kpi: Kpi, measured: float | None) -> bool:
    """Whether `measured` reaches the target in the KPI's direction (equal counts as met)."""
    if measured is None:
        return False
    # A mean like 0.1+0.2 must not miss a target of 0.3 by a rounding error.
    if math.isclose(measured, kpi.target, rel_tol=1e-9, abs_tol=1e-12):
        return True
    return measured > kpi.target if kpi.direction == "increase" else measured < kpi.target


def kpi_outcome(kpi: Kpi, values: Sequence[float]) -> KpiOutcome:
    """The outcome of one KPI from its readings in time order."""
    if not values:
        return KpiOutcome(kpi, None, False, 0, None, None, None)
    mean = math.fsum(values) / len(values)
    return KpiOutcome(
        kpi=kpi,
        measured=mean,
        met=is_met(kpi, mean),
        count=len(values),
        minimum=min(values),
        maximum=max(values),
        last=values[-1],
    )


def verdict_of(outcomes: Sequence[KpiOutcome]) -> Verdict:
    """passed: every KPI met; failed: none met (or no data); partially_passed otherwise."""
    met = sum(o.met for o in outcomes)
    if outcomes and met == len(outcomes):
        return "passed"
    return "partially_passed" if met else "failed"


def compute_results(kpis: Sequence[Kpi], measurements: Iterable[Measurement]) -> Results:
    """Results of a plan's KPIs from the trial's measurements (any order)."""
    by_kpi: dict[str, list[Measurement]] = {k.name.casefold(): [] for k in kpis}
    for m in measurements:
        if (bucket := by_kpi.get(m.kpi.casefold())) is not None:
            bucket.append(m)
    outcomes = []
    for kpi in kpis:
        readings = sorted(by_kpi[kpi.name.casefold()], key=lambda m: m.measured_at)
        outcomes.append(kpi_outcome(kpi, [m.value for m in readings]))
    return Results(tuple(outcomes), verdict_of(outcomes))
