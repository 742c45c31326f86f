"""Measurements and what a trial achieved: each KPI against its target, and the verdict.

A KPI's result summarises all its measurements taken while the trial ran, as its plan says
(`Kpi.aggregate`, fixed before the start): the mean by default, as a trial is usually judged on
sustained performance over the agreed window ("saved 12.4 kWh/day on average"); the median when
a few outliers must not decide; the last reading for a figure that must be reached by the end
(a system that learns or is tuned during the trial); the minimum or maximum for a worst or best
case. The report names each KPI's aggregate and also shows count, minimum, maximum and last
value, so nobody has to take the result on trust. A KPI without measurements is not met: no
evidence is not success.
"""

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from services.trials.domain.plan import Actor, Kpi

Verdict = Literal["passed", "partially_passed", "failed"]
RESULT_METHOD = "per-kpi"  # each KPI's own aggregate (the report's method.name)
AGGREGATE_TEXT: dict[str, tuple[str, str]] = {  # (English, 繁體中文)
    "mean": ("the arithmetic mean of all its readings", "所有讀數的算術平均值"),
    "median": ("the median of its readings (the mean of the middle two when their number is even)",
               "讀數的中位數（讀數數目為雙數時，取中間兩個的平均值）"),
    "last": ("its last reading", "最後一個讀數"),
    "min": ("its lowest reading", "最低的讀數"),
    "max": ("its highest reading", "最高的讀數"),
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
    """One KPI's result: its readings summarised by its aggregate, met or not, and the spread."""

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


def aggregate(name: str, values: Sequence[float]) -> float:
    """Readings in time order (at least one) summarised as `name`: mean, median, last, min, max."""
    if name == "median":
        return float(statistics.median(values))
    if name == "last":
        return values[-1]
    if name == "min":
        return min(values)
    if name == "max":
        return max(values)
    return math.fsum(values) / len(values)


def kpi_outcome(kpi: Kpi, values: Sequence[float]) -> KpiOutcome:
    """The outcome of one KPI from its readings in time order, summarised by its aggregate."""
    if not values:
        return KpiOutcome(kpi, None, False, 0, None, None, None)
    measured = aggregate(kpi.aggregate, values)
    return KpiOutcome(
        kpi=kpi,
        measured=measured,
        met=is_met(kpi, measured),
        count=len(values),
        minimum=min(values),
        maximum=max(values),
        last=values[-1],
    )


def result_method(kpis: Sequence[Kpi]) -> dict[str, str]:
    """How the results were computed, per KPI, in English ("en") and Chinese ("zh")."""
    en = "; ".join(f"{k.name}: {AGGREGATE_TEXT[k.aggregate][0]}" for k in kpis)
    zh = "；".join(f"{k.name}：{AGGREGATE_TEXT[k.aggregate][1]}" for k in kpis)
    return {
        "name": RESULT_METHOD,
        "en": "Each KPI's result summarises its measurements taken while the trial was running, "
        f"as fixed in the plan: {en}. A KPI is met when its result reaches its target in the "
        "KPI's direction (at or above for increase, at or below for decrease); a KPI without "
        "measurements is not met.",
        "zh": f"每項關鍵績效指標的結果按計劃所定方式彙總試驗進行期間的量度數據：{zh}。"
        "若結果按指標方向達到目標（增加：不低於目標；減少：不高於目標），即為達標；"
        "沒有量度數據的指標視為未達標。",
    }


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
