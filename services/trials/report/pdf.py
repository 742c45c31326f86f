"""The performance report as PDF (reportlab). Chinese uses the built-in CID font MSung-Light,
which every PDF reader maps to its own Traditional Chinese font, so nothing is embedded."""

import io
import json
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDEncoding, UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.trials.report.chart import geometry
from services.trials.report.document import aggregate_of
from services.trials.report.svg import (
    BASELINE_COLOUR,
    MEAN_COLOUR,
    SERIES_COLOUR,
    TARGET_COLOUR,
    spread,
)
from services.trials.report.text import L, fmt_moment, fmt_number

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


def _fonts() -> None:
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


def _styles() -> dict[str, ParagraphStyle]:
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


def _label(key: str) -> str:
    en, zh = L[key]
    return mixed(f"{en} / {zh}")


def _table(rows: list[list[Any]], widths: list[float], header: bool = False) -> Table:
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


def _chart(kpi: dict[str, Any], start: str, end: str, width: float) -> Drawing:
    g = geometry(kpi, start, end)
    scale = width / g.width
    d = Drawing(width, g.height * scale)
    d.scale(scale, scale)
    flip = lambda y: g.height - y
    b = g.box
    d.add(
        Rect(
            b.left,
            flip(b.bottom),
            b.right - b.left,
            b.bottom - b.top,
            fillColor=colors.HexColor("#fbfbfb"),
            strokeColor=colors.HexColor("#999999"),
        )
    )
    for y, text in g.y_ticks:
        d.add(Line(b.left, flip(y), b.right, flip(y), strokeColor=colors.HexColor("#e3e3e3")))
        d.add(String(b.left - 6, flip(y) - 4, text, fontName=LATIN, fontSize=10, textAnchor="end"))
    for x, text in g.x_ticks:
        d.add(
            Line(x, flip(b.bottom), x, flip(b.bottom + 4), strokeColor=colors.HexColor("#999999"))
        )
        d.add(
            String(x, flip(b.bottom + 17), text, fontName=LATIN, fontSize=10, textAnchor="middle")
        )
    _text(d, b.left, flip(b.top - 6), kpi["unit"])
    _text(d, (b.left + b.right) / 2, 6, "Time (HKT) / 時間（香港時間）", anchor="middle")
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
        d.add(
            Line(
                b.left,
                flip(y),
                b.right,
                flip(y),
                strokeColor=c,
                strokeWidth=1.5,
                strokeDashArray=dash,
            )
        )
        _text(d, b.right + 6, flip(label_y) - 4, f"{text} {fmt_number(value)}", colour=c)
    if g.points:
        pts = [v for x, y in g.points for v in (x, flip(y))]
        d.add(PolyLine(pts, strokeColor=colors.HexColor(SERIES_COLOUR), strokeWidth=1.5))
        if len(g.points) <= 200:
            for x, y in g.points:
                d.add(
                    Circle(x, flip(y), 2.5, fillColor=colors.HexColor(SERIES_COLOUR), strokeWidth=0)
                )
    else:
        _text(
            d,
            (b.left + b.right) / 2,
            flip((b.top + b.bottom) / 2),
            "No measurements / 沒有量度數據",
            size=12,
            anchor="middle",
        )
    return d


def render_pdf(doc: dict[str, Any]) -> bytes:
    """The sealed report document as an A4 PDF."""
    _fonts()
    s = _styles()
    P = lambda text, style="cell": Paragraph(text, s[style])
    out = io.BytesIO()
    page = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{L['title'][0]} {doc['trial_id']} v{doc['version']}",
        author=doc["conducted_by"],
    )
    width = A4[0] - 32 * mm
    wish = next(p for p in doc["parties"] if p["role"] == "wish")
    sol = next(p for p in doc["parties"] if p["role"] == "solution")
    titles = lambda p: mixed(" / ".join(t for t in (p["title_en"], p["title_zh"]) if t) or p["id"])
    venue, dates = doc["venue"], doc["dates"]
    kv = lambda pairs: _table(
        [[P(_label(k), "head"), P(v)] for k, v in pairs], [width * 0.3, width * 0.7]
    )
    h2 = lambda key: P(_label(key), "h2")
    story: list[Any] = [
        P(_label("title"), "h1"),
        P(f"{titles(sol)} — {titles(wish)}", "body"),
        Spacer(1, 4),
        P(
            f"<b>{_label('verdict')}: {_label(doc['verdict'])}</b> ({doc['kpis_met']}/{len(doc['kpis'])} "
            f"{_label('met')})",
            "body",
        ),
    ]
    if doc.get("correction"):
        c = doc["correction"]
        story.append(
            P(
                f"<b>{_label('correction')}</b>: {_label('supersedes')} {doc['supersedes']}. "
                f"{_label('reason')}: {mixed(c['reason'])}",
                "body",
            )
        )
    story += [
        h2("trial"),
        kv(
            [
                ("trial_id", mixed(doc["trial_id"])),
                ("match_id", mixed(doc["match_id"])),
                ("version", str(doc["version"])),
                ("published_at", fmt_moment(doc["published_at"])),
                ("conducted_by", mixed(doc["conducted_by"])),
            ]
        ),
        h2("venue"),
        kv(
            [
                ("venue", mixed(f"{venue['name_en']} / {venue['name_zh']}")),
                ("address", mixed(venue["address"])),
                ("owner_department", mixed(venue["owner_department"])),
            ]
        ),
        h2("dates"),
        kv(
            [
                (k, fmt_moment(dates[k]))
                for k in ("planned_start", "planned_end", "actual_start", "completed_at")
            ]
        ),
        h2("parties"),
        kv(
            [
                ("wish", f"{titles(wish)} — {mixed(wish['owner_org'])} ({mixed(wish['id'])})"),
                ("solution", f"{titles(sol)} — {mixed(sol['owner_org'])} ({mixed(sol['id'])})"),
            ]
        ),
        h2("summary"),
        P(mixed(doc["summary"]).replace("\n", "<br/>"), "body"),
        h2("kpis"),
    ]
    cols = ("kpi", "unit", "direction", "baseline", "target", "measured", "readings", "aggregate",
            "met")
    rows = [[P(_label(c), "head") for c in cols]]
    for k in doc["kpis"]:
        met = _label("met") if k["met"] else _label("not_met" if k["count"] else "no_data")
        colour = "#1e8449" if k["met"] else "#c0392b"
        rows.append(
            [
                P(mixed(k["name"])),
                P(mixed(k["unit"])),
                P(_label(k["direction"])),
                P(fmt_number(k["baseline"])),
                P(fmt_number(k["target"])),
                P(f"<b>{fmt_number(k['measured'])}</b>"),
                P(str(k["count"])),
                P(_label(f"aggregate_{aggregate_of(k)}")),
                P(f'<font color="{colour}"><b>{met}</b></font>'),
            ]
        )
    shares = (0.17, 0.09, 0.11, 0.09, 0.09, 0.12, 0.09, 0.11, 0.13)
    story += [
        _table(rows, [width * x for x in shares], header=True),
        h2("method"),
        P(mixed(doc["method"]["en"]), "body"),
        P(mixed(doc["method"]["zh"]), "body"),
        h2("charts"),
    ]
    for k in doc["kpis"]:
        story.append(
            KeepTogether(
                [
                    P(f"<b>{mixed(k['name'])} ({mixed(k['unit'])})</b>", "body"),
                    _chart(k, dates["actual_start"], dates["completed_at"], width),
                    Spacer(1, 6),
                ]
            )
        )
    story.append(h2("amendments"))
    if not doc["amendments"]:
        story.append(P(_label("none"), "body"))
    for a in doc["amendments"]:
        changes = "<br/>".join(
            f"{mixed(c['field'])}: {mixed(json.dumps(c['before'], ensure_ascii=False))} → "
            f"{mixed(json.dumps(c['after'], ensure_ascii=False))}"
            for c in a["changes"]
        )
        story.append(
            P(
                f"{a['seq']}. {fmt_moment(a['at'])}, {mixed(a['by']['org'])}: {_label('reason')}: "
                f"{mixed(a['reason'])}<br/>{changes}",
                "small",
            )
        )
    story.append(h2("record"))
    rows = [[P(_label(c), "head") for c in ("when", "from", "to", "by", "reason")]]
    for t in doc["transitions"]:
        rows.append(
            [
                P(fmt_moment(t["at"])),
                P(_label(t["from"]) if t["from"] else _label("opened")),
                P(_label(t["to"])),
                P(mixed(f"{t['by']['org']} ({t['by']['role']})")),
                P(mixed(t["note"] or "")),
            ]
        )
    story += [
        _table(rows, [width * x for x in (0.2, 0.17, 0.17, 0.2, 0.26)], header=True),
        h2("integrity"),
        kv([("version", str(doc["version"]))]),
        P(_label("hash"), "head"),
        P(doc["content_hash"], "hash"),
        P(mixed(L["hash_note"][0]), "small"),
        P(mixed(L["hash_note"][1]), "small"),
    ]

    def footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(LATIN, 7.5)
        canvas.drawString(
            16 * mm,
            10 * mm,
            f"{doc['trial_id']} · v{doc['version']} · sha256 {doc['content_hash'][:16]}…",
        )
        canvas.drawRightString(A4[0] - 16 * mm, 10 * mm, f"{canvas.getPageNumber()}")
        canvas.restoreState()

    page.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
