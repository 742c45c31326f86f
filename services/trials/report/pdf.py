"""The performance report as an A4 PDF (reportlab), section by section in the HTML's order; the
drawing itself (fonts, tables, charts) is in pdf_drawing."""

import io
import json
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from services.trials.report.document import aggregate_of
from services.trials.report.pdf_drawing import (
    LATIN,
    kpi_chart,
    label,
    mixed,
    register_fonts,
    styles,
    table,
)
from services.trials.report.text import L, fmt_moment, fmt_number

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
KPI_COLUMNS = ("kpi", "unit", "direction", "baseline", "target", "measured", "readings",
               "aggregate", "met")
KPI_SHARES = (0.17, 0.09, 0.11, 0.09, 0.09, 0.12, 0.09, 0.11, 0.13)
RECORD_SHARES = (0.2, 0.17, 0.17, 0.2, 0.26)


class _Story:
    """The flowables of the report, added section by section."""

    def __init__(self) -> None:
        self.styles = styles()
        self.items: list[Any] = []

    def p(self, text: str, style: str = "cell") -> Paragraph:
        """A paragraph of markup in one of the report's styles."""
        return Paragraph(text, self.styles[style])

    def h2(self, key: str) -> Paragraph:
        """A section heading in English and Chinese."""
        return self.p(label(key), "h2")

    def kv(self, pairs: list[tuple[str, str]]) -> Any:
        """A two-column table of labelled values."""
        return table([[self.p(label(k), "head"), self.p(v)] for k, v in pairs],
                     [WIDTH * 0.3, WIDTH * 0.7])


def _titles(party: dict[str, Any]) -> str:
    return mixed(" / ".join(t for t in (party["title_en"], party["title_zh"]) if t) or party["id"])


def _party(doc: dict[str, Any], role: str) -> dict[str, Any]:
    return next(p for p in doc["parties"] if p["role"] == role)


def _opening(s: _Story, doc: dict[str, Any]) -> None:
    """Title, what was trialled for which wish, the verdict, and any correction."""
    s.items += [
        s.p(label("title"), "h1"),
        s.p(f"{_titles(_party(doc, 'solution'))} — {_titles(_party(doc, 'wish'))}", "body"),
        Spacer(1, 4),
        s.p(
            f"<b>{label('verdict')}: {label(doc['verdict'])}</b> ({doc['kpis_met']}/"
            f"{len(doc['kpis'])} {label('met')})",
            "body",
        ),
    ]
    if c := doc.get("correction"):
        s.items.append(s.p(
            f"<b>{label('correction')}</b>: {label('supersedes')} {doc['supersedes']}. "
            f"{label('reason')}: {mixed(c['reason'])}",
            "body",
        ))


def _facts(s: _Story, doc: dict[str, Any]) -> None:
    """The trial, its venue, dates and parties, and the summary."""
    venue, dates = doc["venue"], doc["dates"]
    wish, sol = _party(doc, "wish"), _party(doc, "solution")
    s.items += [
        s.h2("trial"),
        s.kv([
            ("trial_id", mixed(doc["trial_id"])),
            ("match_id", mixed(doc["match_id"])),
            ("version", str(doc["version"])),
            ("published_at", fmt_moment(doc["published_at"])),
            ("conducted_by", mixed(doc["conducted_by"])),
        ]),
        s.h2("venue"),
        s.kv([
            ("venue", mixed(f"{venue['name_en']} / {venue['name_zh']}")),
            ("address", mixed(venue["address"])),
            ("owner_department", mixed(venue["owner_department"])),
        ]),
        s.h2("dates"),
        s.kv([(k, fmt_moment(dates[k]))
              for k in ("planned_start", "planned_end", "actual_start", "completed_at")]),
        s.h2("parties"),
        s.kv([
            ("wish", f"{_titles(wish)} — {mixed(wish['owner_org'])} ({mixed(wish['id'])})"),
            ("solution", f"{_titles(sol)} — {mixed(sol['owner_org'])} ({mixed(sol['id'])})"),
        ]),
        s.h2("summary"),
        s.p(mixed(doc["summary"]).replace("\n", "<br/>"), "body"),
    ]


def _kpis(s: _Story, doc: dict[str, Any]) -> None:
    """Each KPI against its target, how results were computed, and each KPI's chart."""
    rows = [[s.p(label(c), "head") for c in KPI_COLUMNS]]
    for k in doc["kpis"]:
        met = label("met") if k["met"] else label("not_met" if k["count"] else "no_data")
        colour = "#1e8449" if k["met"] else "#c0392b"
        rows.append([
            s.p(mixed(k["name"])),
            s.p(mixed(k["unit"])),
            s.p(label(k["direction"])),
            s.p(fmt_number(k["baseline"])),
            s.p(fmt_number(k["target"])),
            s.p(f"<b>{fmt_number(k['measured'])}</b>"),
            s.p(str(k["count"])),
            s.p(label(f"aggregate_{aggregate_of(k)}")),
            s.p(f'<font color="{colour}"><b>{met}</b></font>'),
        ])
    s.items += [
        s.h2("kpis"),
        table(rows, [WIDTH * x for x in KPI_SHARES], header=True),
        s.h2("method"),
        s.p(mixed(doc["method"]["en"]), "body"),
        s.p(mixed(doc["method"]["zh"]), "body"),
        s.h2("charts"),
    ]
    dates = doc["dates"]
    for k in doc["kpis"]:
        s.items.append(KeepTogether([
            s.p(f"<b>{mixed(k['name'])} ({mixed(k['unit'])})</b>", "body"),
            kpi_chart(k, dates["actual_start"], dates["completed_at"], WIDTH),
            Spacer(1, 6),
        ]))


def _history(s: _Story, doc: dict[str, Any]) -> None:
    """Every amendment of the plan and every transition of the trial."""
    s.items.append(s.h2("amendments"))
    if not doc["amendments"]:
        s.items.append(s.p(label("none"), "body"))
    for a in doc["amendments"]:
        changes = "<br/>".join(
            f"{mixed(c['field'])}: {mixed(json.dumps(c['before'], ensure_ascii=False))} → "
            f"{mixed(json.dumps(c['after'], ensure_ascii=False))}"
            for c in a["changes"]
        )
        s.items.append(s.p(
            f"{a['seq']}. {fmt_moment(a['at'])}, {mixed(a['by']['org'])}: {label('reason')}: "
            f"{mixed(a['reason'])}<br/>{changes}",
            "small",
        ))
    rows = [[s.p(label(c), "head") for c in ("when", "from", "to", "by", "reason")]]
    for t in doc["transitions"]:
        rows.append([
            s.p(fmt_moment(t["at"])),
            s.p(label(t["from"]) if t["from"] else label("opened")),
            s.p(label(t["to"])),
            s.p(mixed(f"{t['by']['org']} ({t['by']['role']})")),
            s.p(mixed(t["note"] or "")),
        ])
    s.items += [s.h2("record"), table(rows, [WIDTH * x for x in RECORD_SHARES], header=True)]


def _integrity(s: _Story, doc: dict[str, Any]) -> None:
    """The version and the content hash, and how to check it."""
    s.items += [
        s.h2("integrity"),
        s.kv([("version", str(doc["version"]))]),
        s.p(label("hash"), "head"),
        s.p(doc["content_hash"], "hash"),
        s.p(mixed(L["hash_note"][0]), "small"),
        s.p(mixed(L["hash_note"][1]), "small"),
    ]


def render_pdf(doc: dict[str, Any]) -> bytes:
    """The sealed report document as an A4 PDF."""
    register_fonts()
    story = _Story()
    for section in (_opening, _facts, _kpis, _history, _integrity):
        section(story, doc)

    def footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(LATIN, 7.5)
        canvas.drawString(
            MARGIN, 10 * mm,
            f"{doc['trial_id']} · v{doc['version']} · sha256 {doc['content_hash'][:16]}…",
        )
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"{canvas.getPageNumber()}")
        canvas.restoreState()

    out = io.BytesIO()
    page = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
        bottomMargin=18 * mm, title=f"{L['title'][0]} {doc['trial_id']} v{doc['version']}",
        author=doc["conducted_by"],
    )
    page.build(story.items, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
