"""Drawing the report's PDF (reportlab): fonts for mixed Latin and Chinese text, styles, tables
and the KPI charts. Chinese uses the built-in CID font MSung-Light, which every PDF reader maps to
its own Traditional Chinese font, so nothing is embedded."""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDEncoding, UnicodeCIDFont
from reportlab.platypus import Table, TableStyle

from services.trials.report.chart import geometry
from services.trials.report.svg import (
    BASELINE_COLOUR,
    MEAN_COLOUR,
    SERIES_COLOUR,
    TARGET_COLOUR,
    spread,
)
from services.trials.report.text import L, fmt_number

CJK = "MSung-Light"
LATIN, LATIN_BOLD = "Helvetica", "Helvetica-Bold"
_registered = False


class _TraditionalChinese(UnicodeCIDFont):
    """MSung-Light with the Unicode-to-CNS1 CMap. reportlab (4, and 5.1 still) names UniGB-UCS2-H
    (a Simplified Chinese CMap) for it, which readers reject or map to wrong glyphs: the font is
    made as reportlab makes it (its widths: Latin proportional, CJK full-width), then given the
    Traditional Chinese CMap, through reportlab's public classes only."""

    ENCODING = "UniCNS-UCS2-H"

    def __init__(self) -> None:
        super().__init__(CJK)
        self.encodingName = self.ENCODING  # what the PDF's font dictionary names
        self.encoding = CIDEncoding(self.ENCODING)


def register_fonts() -> None:
    """Register the Traditional Chinese font (once)."""
    global _registered
    if not _registered:
        pdfmetrics.registerFont(_TraditionalChinese())
        _registered = True


def _latin(ch: str) -> bool:
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def mixed(text: Any) -> str:
    """Paragraph markup: Latin runs in Helvetica, everything else (CJK) in MSung-Light; escaped."""
    text = "" if text is None else str(text)
    out, run, run_latin = [], "", True
    for ch in text:
        latin = _latin(ch) or ch.isspace()
        if run and latin != run_latin:
            out.append(escape(run) if run_latin else f'<font name="{CJK}">{escape(run)}</font>')
            run = ""
        run_latin = latin if not run else run_latin
        run += ch
    if run:
        out.append(escape(run) if run_latin else f'<font name="{CJK}">{escape(run)}</font>')
    return "".join(out)


def _runs(text: str) -> list[tuple[str, str]]:
    """(font, text) runs: Latin in Helvetica, the rest in MSung-Light."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = LATIN if _latin(ch) or ch.isspace() else CJK
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _text(
    d: Drawing,
    x: float,
    y: float,
    text: str,
    size: float = 10,
    colour: Any = colors.black,
    anchor: str = "start",
) -> None:
    """Draw mixed Latin/CJK text as a row of Strings, each in the font that has its glyphs."""
    runs = _runs(text)
    total = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
    x -= {"start": 0, "middle": total / 2, "end": total}[anchor]
    for font, part in runs:
        d.add(String(x, y, part, fontName=font, fontSize=size, fillColor=colour))
        x += pdfmetrics.stringWidth(part, font, size)


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the report."""
    base = ParagraphStyle("base", fontName=LATIN, fontSize=9.5, leading=13)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", parent=base, fontName=LATIN_BOLD, fontSize=8.5, leading=11),
        "h1": ParagraphStyle("h1", parent=base, fontName=LATIN_BOLD, fontSize=17, leading=22),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=LATIN_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#1f5fa8"),
        ),
        "hash": ParagraphStyle("hash", parent=base, fontName="Courier", fontSize=8.5, leading=11),
    }


def label(key: str) -> str:
    """A heading or term of the report in English and Chinese, as paragraph markup."""
    en, zh = L[key]
    return mixed(f"{en} / {zh}")


def table(rows: list[list[Any]], widths: list[float], header: bool = False) -> Table:
    """A gridded table; the header row (or, without one, the first column) shaded."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        (
            "BACKGROUND",
            (0, 0),
            (0 if not header else -1, -1 if not header else 0),
            colors.HexColor("#f0f4fa"),
        ),
    ]
    table.setStyle(TableStyle(style))
    return table


def kpi_chart(kpi: dict[str, Any], start: str, end: str, width: float) -> Drawing:
    """A KPI's readings over the trial, with its baseline, target and result, `width` wide."""
    g = geometry(kpi, start, end)
    scale = width / g.width
    d = Drawing(width, g.height * scale)
    d.scale(scale, scale)
    _frame(d, g, kpi["unit"])
    _levels(d, g, kpi)
    _series(d, g)
    return d


def _frame(d: Drawing, g: Any, unit: str) -> None:
    """The plot box, its grid lines and tick labels, and the axis titles."""
    flip = lambda y: g.height - y
    b = g.box
    d.add(Rect(b.left, flip(b.bottom), b.right - b.left, b.bottom - b.top,
               fillColor=colors.HexColor("#fbfbfb"), strokeColor=colors.HexColor("#999999")))
    for y, text in g.y_ticks:
        d.add(Line(b.left, flip(y), b.right, flip(y), strokeColor=colors.HexColor("#e3e3e3")))
        d.add(String(b.left - 6, flip(y) - 4, text, fontName=LATIN, fontSize=10, textAnchor="end"))
    for x, text in g.x_ticks:
        d.add(Line(x, flip(b.bottom), x, flip(b.bottom + 4),
                   strokeColor=colors.HexColor("#999999")))
        d.add(String(x, flip(b.bottom + 17), text, fontName=LATIN, fontSize=10,
                     textAnchor="middle"))
    _text(d, b.left, flip(b.top - 6), unit)
    _text(d, (b.left + b.right) / 2, 6, "Time (HKT) / 時間（香港時間）", anchor="middle")


def _levels(d: Drawing, g: Any, kpi: dict[str, Any]) -> None:
    """The baseline, the target and the result as labelled horizontal lines."""
    flip = lambda y: g.height - y
    b = g.box
    lines = [
        (g.baseline_y, BASELINE_COLOUR, [2, 3], "Baseline 基線", kpi["baseline"]),
        (g.target_y, TARGET_COLOUR, [6, 4], "Target 目標", kpi["target"]),
    ]
    if g.mean_y is not None:
        lines.append((g.mean_y, MEAN_COLOUR, None, "Result 結果", kpi["measured"]))
    for (y, colour, dash, text, value), label_y in zip(
        lines, spread([ln[0] for ln in lines], 13), strict=True
    ):
        c = colors.HexColor(colour)
        d.add(Line(b.left, flip(y), b.right, flip(y), strokeColor=c, strokeWidth=1.5,
                   strokeDashArray=dash))
        _text(d, b.right + 6, flip(label_y) - 4, f"{text} {fmt_number(value)}", colour=c)


def _series(d: Drawing, g: Any) -> None:
    """The readings as a line (with a dot each, up to 200), or a note that there are none."""
    flip = lambda y: g.height - y
    b = g.box
    if not g.points:
        _text(d, (b.left + b.right) / 2, flip((b.top + b.bottom) / 2),
              "No measurements / 沒有量度數據", size=12, anchor="middle")
        return
    pts = [v for x, y in g.points for v in (x, flip(y))]
    d.add(PolyLine(pts, strokeColor=colors.HexColor(SERIES_COLOUR), strokeWidth=1.5))
    if len(g.points) <= 200:
        for x, y in g.points:
            d.add(Circle(x, flip(y), 2.5, fillColor=colors.HexColor(SERIES_COLOUR), strokeWidth=0))
