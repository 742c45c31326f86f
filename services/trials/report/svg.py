"""One KPI over time as hand-written inline SVG (no script): readings, target, baseline, result."""

from html import escape
from typing import Any

from services.trials.report.chart import geometry
from services.trials.report.text import L, fmt_number

TARGET_COLOUR, BASELINE_COLOUR, SERIES_COLOUR, MEAN_COLOUR = (
    "#c0392b",
    "#7f8c8d",
    "#1f5fa8",
    "#27ae60",
)


def _n(value: float) -> str:
    return f"{value:.1f}"


def spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near `ys` but at least `gap` apart, in the same order as given."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: dict[int, float] = {}
    last = None
    for i in order:
        y = ys[i] if last is None else max(ys[i], last + gap)
        placed[i] = last = y
    return [placed[i] for i in range(len(ys))]


def kpi_chart_svg(kpi: dict[str, Any], start: str, end: str) -> str:
    """An <svg> chart of one KPI entry of the report JSON between the trial's start and end."""
    g = geometry(kpi, start, end)
    b = g.box
    name, unit = escape(kpi["name"]), escape(kpi["unit"])
    label = (
        f"{name} ({unit}): {L['target'][0]} {fmt_number(kpi['target'])}, "
        f"{L['measured'][0]} {fmt_number(kpi['measured'])}"
    )
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" role="img" '
            f'viewBox="0 0 {_n(g.width)} {_n(g.height)}" width="{_n(g.width)}" height="{_n(g.height)}" '
            f'aria-label="{label}">'
        ),
        f"<title>{label}</title>",
        (
            f'<rect x="{_n(b.left)}" y="{_n(b.top)}" width="{_n(b.right - b.left)}" '
            f'height="{_n(b.bottom - b.top)}" fill="#fbfbfb" stroke="#999" stroke-width="1"/>'
        ),
    ]
    for y, text in g.y_ticks:
        out.append(
            f'<line x1="{_n(b.left)}" y1="{_n(y)}" x2="{_n(b.right)}" y2="{_n(y)}" stroke="#e3e3e3"/>'
            f'<text x="{_n(b.left - 6)}" y="{_n(y + 4)}" font-size="11" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    for x, text in g.x_ticks:
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(b.bottom)}" x2="{_n(x)}" y2="{_n(b.bottom + 4)}" stroke="#999"/>'
            f'<text x="{_n(x)}" y="{_n(b.bottom + 17)}" font-size="11" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    out.append(
        f'<text x="{_n(b.left)}" y="{_n(b.top - 6)}" font-size="11">{unit}</text>'
        f'<text x="{_n((b.left + b.right) / 2)}" y="{_n(g.height - 6)}" font-size="11" '
        f'text-anchor="middle">Time (HKT) / 時間（香港時間）</text>'
    )
    lines = [
        (g.baseline_y, BASELINE_COLOUR, "2 3", "Baseline 基線", kpi["baseline"], "baseline"),
        (g.target_y, TARGET_COLOUR, "6 4", "Target 目標", kpi["target"], "target"),
    ]
    if g.mean_y is not None:
        lines.append((g.mean_y, MEAN_COLOUR, "1 0", "Result 結果", kpi["measured"], "result"))
    label_ys = spread([y for y, *_ in lines], gap=13)
    for (y, colour, dash, text, value, css), label_y in zip(lines, label_ys, strict=True):
        out.append(
            f'<line class="{css}-line" x1="{_n(b.left)}" y1="{_n(y)}" x2="{_n(b.right)}" '
            f'y2="{_n(y)}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{_n(b.right + 6)}" y="{_n(label_y + 4)}" font-size="11" fill="{colour}">'
            f"{text} {escape(fmt_number(value))}</text>"
        )
    if g.points:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in g.points)
        out.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="{SERIES_COLOUR}" '
            f'stroke-width="1.5"/>'
        )
        if len(g.points) <= 200:  # dots only while they stay readable
            out.extend(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{SERIES_COLOUR}"/>'
                for x, y in g.points
            )
    else:
        out.append(
            f'<text x="{_n((b.left + b.right) / 2)}" y="{_n((b.top + b.bottom) / 2)}" font-size="13" '
            f'text-anchor="middle" fill="#555">{L["no_measurements"][0]} / '
            f"{L['no_measurements'][1]}</text>"
        )
    out.append("</svg>")
    return "".join(out)
