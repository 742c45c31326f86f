"""One KPI over time as hand-written SVG (no script): readings, target, baseline, result.

Labelled in both languages (inline in the bilingual HTML report), or in one (`lang`), as the
portal shows a chart beside text in its reader's language.
"""

from dataclasses import dataclass
from html import escape
from typing import Any

from services.trials.report.chart import Geometry, geometry
from services.trials.report.text import L, fmt_number

# Each at least 4.5:1 against the chart's background, as its labels are text in these colours.
TARGET_COLOUR, BASELINE_COLOUR, SERIES_COLOUR, MEAN_COLOUR = (
    "#c0392b",
    "#5f6b6d",
    "#1f5fa8",
    "#00703c",
)
LANGS = {"en": 0, "zh-HK": 1}  # a chart's language (an API `lang`) -> its place in a label pair
FONTS = ("Noto Sans, Noto Sans CJK TC, Noto Sans TC, PingFang TC, Microsoft JhengHei, Arial, "
         "sans-serif")


@dataclass(frozen=True)
class Words:
    """Every text a chart shows, in its language(s)."""

    label: str
    axis: str
    baseline: str
    target: str
    result: str
    empty: str


def _n(value: float) -> str:
    return f"{value:.1f}"


def words(kpi: dict[str, Any], lang: str | None = None) -> Words:
    """A chart's texts: in `lang` (en, zh-HK), or both languages when None."""
    name, unit = kpi["name"], kpi["unit"]
    target, measured = fmt_number(kpi["target"]), fmt_number(kpi["measured"])
    if lang is None:
        return Words(
            label=f"{name} ({unit}): {L['target'][0]} {target}, {L['measured'][0]} {measured}",
            axis=f"{L['time_axis'][0]} / {L['time_axis'][1]}",
            baseline=" ".join(L["baseline"]), target=" ".join(L["target"]),
            result=" ".join(L["result"]),
            empty=f"{L['no_measurements'][0]} / {L['no_measurements'][1]}",
        )
    i = LANGS[lang]
    if i == 0:
        label = f"{name} ({unit}): {L['target'][0]} {target}, {L['measured'][0]} {measured}"
    else:
        label = f"{name}（{unit}）：{L['target'][1]} {target}，{L['measured'][1]} {measured}"
    return Words(label=label, axis=L["time_axis"][i], baseline=L["baseline"][i],
                 target=L["target"][i], result=L["result"][i], empty=L["no_measurements"][i])


def spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near `ys` but at least `gap` apart, in the same order as given."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: dict[int, float] = {}
    last = None
    for i in order:
        y = ys[i] if last is None else max(ys[i], last + gap)
        placed[i] = last = y
    return [placed[i] for i in range(len(ys))]


def _axes(g: Geometry, unit: str, said: Words) -> list[str]:
    b = g.box
    out = [
        f'<rect x="{_n(b.left)}" y="{_n(b.top)}" width="{_n(b.right - b.left)}" '
        f'height="{_n(b.bottom - b.top)}" fill="#fbfbfb" stroke="#999" stroke-width="1"/>'
    ]
    for y, text in g.y_ticks:
        out.append(
            f'<line x1="{_n(b.left)}" y1="{_n(y)}" x2="{_n(b.right)}" y2="{_n(y)}" '
            f'stroke="#e3e3e3"/>'
            f'<text x="{_n(b.left - 6)}" y="{_n(y + 4)}" font-size="11" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    for x, text in g.x_ticks:
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(b.bottom)}" x2="{_n(x)}" y2="{_n(b.bottom + 4)}" '
            f'stroke="#999"/>'
            f'<text x="{_n(x)}" y="{_n(b.bottom + 17)}" font-size="11" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    out.append(
        f'<text x="{_n(b.left)}" y="{_n(b.top - 6)}" font-size="11">{escape(unit)}</text>'
        f'<text x="{_n((b.left + b.right) / 2)}" y="{_n(g.height - 6)}" font-size="11" '
        f'text-anchor="middle">{escape(said.axis)}</text>'
    )
    return out


def _levels(g: Geometry, kpi: dict[str, Any], said: Words) -> list[str]:
    b = g.box
    lines = [
        (g.baseline_y, BASELINE_COLOUR, "2 3", said.baseline, kpi["baseline"], "baseline"),
        (g.target_y, TARGET_COLOUR, "6 4", said.target, kpi["target"], "target"),
    ]
    if g.mean_y is not None:
        lines.append((g.mean_y, MEAN_COLOUR, "1 0", said.result, kpi["measured"], "result"))
    label_ys = spread([y for y, *_ in lines], gap=13)
    return [
        f'<line class="{css}-line" x1="{_n(b.left)}" y1="{_n(y)}" x2="{_n(b.right)}" '
        f'y2="{_n(y)}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
        f'<text x="{_n(b.right + 6)}" y="{_n(label_y + 4)}" font-size="11" fill="{colour}">'
        f"{escape(text)} {escape(fmt_number(value))}</text>"
        for (y, colour, dash, text, value, css), label_y in zip(lines, label_ys, strict=True)
    ]


def _series(g: Geometry, said: Words) -> list[str]:
    b = g.box
    if not g.points:
        return [
            f'<text x="{_n((b.left + b.right) / 2)}" y="{_n((b.top + b.bottom) / 2)}" '
            f'font-size="13" text-anchor="middle" fill="#555">{escape(said.empty)}</text>'
        ]
    path = " ".join(f"{_n(x)},{_n(y)}" for x, y in g.points)
    out = [
        f'<polyline class="series" points="{path}" fill="none" stroke="{SERIES_COLOUR}" '
        f'stroke-width="1.5"/>'
    ]
    if len(g.points) <= 200:  # dots only while they stay readable
        out.extend(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{SERIES_COLOUR}"/>'
                   for x, y in g.points)
    return out


def kpi_chart_svg(kpi: dict[str, Any], start: str, end: str, lang: str | None = None, *,
                  standalone: bool = False) -> str:
    """An <svg> chart of one KPI entry of the report JSON between the trial's start and end,
    labelled in `lang` (en, zh-HK) or in both; `standalone` makes it an image file of its own."""
    g = geometry(kpi, start, end)
    said = words(kpi, lang)
    label = escape(said.label)
    extra = ""
    if standalone:  # an image of its own inherits no font and no language from a page
        extra = f' font-family="{FONTS}"' + (f' xml:lang="{lang}"' if lang else "")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else "",
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" role="img" '
        f'viewBox="0 0 {_n(g.width)} {_n(g.height)}" width="{_n(g.width)}" height="{_n(g.height)}" '
        f'aria-label="{label}"{extra}>',
        f"<title>{label}</title>",
        *_axes(g, kpi["unit"], said),
        *_levels(g, kpi, said),
        *_series(g, said),
        "</svg>",
    ]
    return "".join(out)
