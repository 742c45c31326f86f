"""The performance report as a standalone HTML page with bilingual headings and inline SVG."""

import json
from html import escape
from typing import Any

from services.trials.report.document import aggregate_of
from services.trials.report.svg import kpi_chart_svg
from services.trials.report.text import L, fmt_moment, fmt_number

_CSS = """
body{font-family:"Noto Sans","Helvetica Neue",Arial,"Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;
max-width:980px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #1f5fa8;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;padding:.3rem .8rem;border-radius:4px;font-weight:bold;color:#fff}
.verdict-passed{background:#27ae60}.verdict-partially_passed{background:#e67e22}.verdict-failed{background:#c0392b}
.met{color:#1e8449;font-weight:bold}.not-met{color:#c0392b;font-weight:bold}
figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:.3rem}.hash{font-family:monospace;word-break:break-all}
.note{color:#555;font-size:.9rem}.correction{border-left:4px solid #e67e22;padding:.5rem 1rem;background:#fff8ef}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _h2(key: str) -> str:
    en, zh = L[key]
    return f'<h2 id="{key}"><span lang="en">{en}</span> / <span lang="zh-HK">{zh}</span></h2>'


def _label(key: str) -> str:
    en, zh = L[key]
    return f'{en} / <span lang="zh-HK">{zh}</span>'


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<tr><th scope="row">{_label(k)}</th><td>{v}</td></tr>' for k, v in pairs)


def _titles(party: dict[str, Any]) -> str:
    names = [t for t in (party.get("title_en"), party.get("title_zh")) if t]
    return " / ".join(_e(t) for t in names) or _e(party["id"])


def _kpi_table(doc: dict[str, Any]) -> str:
    head = "".join(
        f'<th scope="col">{_label(k)}</th>'
        for k in (
            "kpi",
            "unit",
            "direction",
            "baseline",
            "target",
            "measured",
            "readings",
            "range",
            "aggregate",
            "met",
        )
    )
    body = []
    for k in doc["kpis"]:
        met = (
            f'<span class="met">{_label("met")}</span>'
            if k["met"]
            else f'<span class="not-met">{_label("not_met" if k["count"] else "no_data")}</span>'
        )
        spread = "—" if k["min"] is None else f"{fmt_number(k['min'])} – {fmt_number(k['max'])}"
        body.append(
            f'<tr class="kpi-row" data-kpi="{_e(k["name"])}" data-met="{str(k["met"]).lower()}">'
            f"<td>{_e(k['name'])}</td><td>{_e(k['unit'])}</td><td>{_label(k['direction'])}</td>"
            f'<td class="num">{fmt_number(k["baseline"])}</td><td class="num">{fmt_number(k["target"])}</td>'
            f'<td class="num measured">{fmt_number(k["measured"])}</td><td class="num">{k["count"]}</td>'
            f'<td class="num">{spread}</td>'
            f'<td class="aggregate" data-aggregate="{_e(aggregate_of(k))}">'
            f"{_label('aggregate_' + aggregate_of(k))}</td><td>{met}</td></tr>"
        )
    return (
        f'<table class="kpis"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _amendments(doc: dict[str, Any]) -> str:
    if not doc["amendments"]:
        return f"<p>{_label('none')}</p>"
    items = []
    for a in doc["amendments"]:
        changes = "".join(
            f"<li><code>{_e(c['field'])}</code>: {_e(json.dumps(c['before'], ensure_ascii=False))}"
            f" → {_e(json.dumps(c['after'], ensure_ascii=False))}</li>"
            for c in a["changes"]
        )
        items.append(
            f'<li class="amendment">{fmt_moment(a["at"])}, {_e(a["by"]["org"])} ({_e(a["by"]["role"])}): '
            f"{_label('reason')}: {_e(a['reason'])}<ul>{changes}</ul></li>"
        )
    return f"<ol>{''.join(items)}</ol>"


def _record(doc: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{fmt_moment(t['at'])}</td><td>{_label(t['from']) if t['from'] else _label('opened')}</td>"
        f"<td>{_label(t['to'])}</td><td>{_e(t['by']['org'])} ({_e(t['by']['role'])})</td>"
        f"<td>{_e(t['note'] or '')}</td></tr>"
        for t in doc["transitions"]
    )
    head = "".join(f"<th>{_label(k)}</th>" for k in ("when", "from", "to", "by", "reason"))
    return f'<table class="record"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def render_html(doc: dict[str, Any]) -> str:
    """The report document (sealed JSON) as a complete HTML page; every user text is escaped."""
    wish = next(p for p in doc["parties"] if p["role"] == "wish")
    solution = next(p for p in doc["parties"] if p["role"] == "solution")
    venue, dates = doc["venue"], doc["dates"]
    verdict = doc["verdict"]
    charts = "".join(
        f'<figure class="chart" data-kpi="{_e(k["name"])}"><figcaption>{_e(k["name"])} ({_e(k["unit"])})'
        f"</figcaption>{kpi_chart_svg(k, dates['actual_start'], dates['completed_at'])}</figure>"
        for k in doc["kpis"]
    )
    correction = ""
    if doc.get("correction"):
        c = doc["correction"]
        correction = (
            f'<div class="correction"><strong>{_label("correction")}</strong>: '
            f"{_label('supersedes')} {doc['supersedes']}. {_label('reason')}: {_e(c['reason'])} "
            f"({fmt_moment(c['at'])}, {_e(c['by']['org'])})</div>"
        )
    title = f"{L['title'][0]} / {L['title'][1]}"
    venue_name = f'{_e(venue["name_en"])} / <span lang="zh-HK">{_e(venue["name_zh"])}</span>'
    integrity = _rows(
        [
            ("version", str(doc["version"])),
            ("hash", f'<span class="hash" id="content-hash">{_e(doc["content_hash"])}</span>'),
        ]
    )
    sections = "\n".join(
        _h2(key) + f"<table>{_rows(rows)}</table>"
        for key, rows in (
            (
                "trial",
                [
                    ("trial_id", _e(doc["trial_id"])),
                    ("match_id", _e(doc["match_id"])),
                    ("version", str(doc["version"])),
                    ("published_at", fmt_moment(doc["published_at"])),
                    ("conducted_by", _e(doc["conducted_by"])),
                ],
            ),
            (
                "venue",
                [
                    ("venue", venue_name),
                    ("address", _e(venue["address"])),
                    ("owner_department", _e(venue["owner_department"])),
                ],
            ),
            (
                "dates",
                [
                    (k, fmt_moment(dates[k]))
                    for k in ("planned_start", "planned_end", "actual_start", "completed_at")
                ],
            ),
            (
                "parties",
                [
                    (
                        "wish",
                        f"{_titles(wish)} — {_e(wish['owner_org'])} (<code>{_e(wish['id'])}</code>)",
                    ),
                    (
                        "solution",
                        f"{_titles(solution)} — {_e(solution['owner_org'])} (<code>{_e(solution['id'])}</code>)",
                    ),
                ],
            ),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: {_titles(solution)}</title>
<meta name="report-version" content="{doc["version"]}"><meta name="content-hash" content="{_e(doc["content_hash"])}">
<style>{_CSS}</style></head>
<body><header><h1><span lang="en">{L["title"][0]}</span> / <span lang="zh-HK">{L["title"][1]}</span></h1>
<p class="subtitle">{_titles(solution)} — {_titles(wish)}</p>
<p>{_label("verdict")}: <span class="verdict verdict-{_e(verdict)}" id="verdict" data-verdict="{_e(verdict)}">{_label(verdict)}</span>
({doc["kpis_met"]}/{len(doc["kpis"])} {_label("met")})</p>{correction}</header>
{sections}
{_h2("summary")}<p class="summary">{_e(doc["summary"])}</p>
{_h2("kpis")}{_kpi_table(doc)}
{_h2("method")}<p>{_e(doc["method"]["en"])}</p><p lang="zh-HK">{_e(doc["method"]["zh"])}</p>
{_h2("charts")}{charts}
{_h2("amendments")}{_amendments(doc)}
{_h2("record")}{_record(doc)}
{_h2("integrity")}<table>{integrity}</table>
<p class="note">{L["hash_note"][0]}<br><span lang="zh-HK">{L["hash_note"][1]}</span></p>
</body></html>
"""
