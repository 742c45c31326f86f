"""Chart geometry for one KPI over time: scales, ticks and points, shared by SVG and PDF."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.trials.report.text import HKT, fmt_number, parse_iso


@dataclass(frozen=True)
class Box:
    """The plotting area inside the chart, in chart units (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Geometry:
    """Everything needed to draw one KPI chart."""

    width: float
    height: float
    box: Box
    points: tuple[tuple[float, float], ...]
    target_y: float
    baseline_y: float
    mean_y: float | None
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]


def nice_step(span: float, ticks: int = 4) -> float:
    """A 1-2-5 step giving about `ticks` intervals over `span`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def _y_domain(values: list[float]) -> tuple[float, float, float]:
    lo, hi = min(values), max(values)
    # A span too narrow to label (labels keep 12 decimals) is padded: below about 1e-300 no
    # 1-2-5 step of it can even be computed (log10 of 0, a step that underflows to 0).
    if math.isclose(lo, hi, abs_tol=1e-12):
        pad = abs(lo) * 0.1 if abs(lo) >= 1e-6 else 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def geometry(
    kpi: dict[str, Any], start: str, end: str, *, width: float = 640, height: float = 260
) -> Geometry:
    """Lay out a KPI's series (report JSON entry) between the trial's start and end."""
    box = Box(left=70, top=22, right=width - 130, bottom=height - 42)
    t0, t1 = parse_iso(start), parse_iso(end)
    if t1 <= t0:
        t1 = t0 + timedelta(hours=1)
    series = [(parse_iso(p["at"]), float(p["value"])) for p in kpi["series"]]
    values = [v for _, v in series] + [float(kpi["target"]), float(kpi["baseline"])]
    lo, hi, step = _y_domain(values)

    def x_of(moment: datetime) -> float:
        share = (moment - t0) / (t1 - t0)
        return box.left + min(max(share, 0.0), 1.0) * (box.right - box.left)

    def y_of(value: float) -> float:
        return box.bottom - (value - lo) / (hi - lo) * (box.bottom - box.top)

    y_ticks = []
    tick = lo
    while tick <= hi + step / 2:
        y_ticks.append((y_of(tick), fmt_number(round(tick, 12))))
        tick += step
    short = (t1 - t0) < timedelta(days=3)
    pattern = "%m-%d %H:%M" if short else "%Y-%m-%d"
    x_ticks = tuple(
        (x_of(t0 + (t1 - t0) * share), (t0 + (t1 - t0) * share).astimezone(HKT).strftime(pattern))
        for share in (0.0, 0.5, 1.0)
    )
    measured = kpi.get("measured")
    return Geometry(
        width=width,
        height=height,
        box=box,
        points=tuple((x_of(t), y_of(v)) for t, v in series),
        target_y=y_of(float(kpi["target"])),
        baseline_y=y_of(float(kpi["baseline"])),
        mean_y=None if measured is None else y_of(float(measured)),
        y_ticks=tuple(y_ticks),
        x_ticks=x_ticks,
    )
