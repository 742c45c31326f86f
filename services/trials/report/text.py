"""Bilingual labels and number/date formatting shared by the HTML and PDF views."""

from datetime import datetime, timedelta, timezone

from contracts.labels import VALUE_LABELS

HKT = timezone(timedelta(hours=8), "HKT")

# (English, 繁體中文); the words for verdicts and trial states come from contracts.labels, the
# one table of them.
L: dict[str, tuple[str, str]] = {
    **VALUE_LABELS,
    "title": ("Field trial performance report", "實地試驗表現報告"),
    "trial": ("Trial", "試驗"),
    "verdict": ("Verdict", "總體結果"),
    "venue": ("Venue", "場地"),
    "dates": ("Dates", "日期"),
    "parties": ("Parties", "參與方"),
    "summary": ("Summary", "摘要"),
    "kpis": ("Key performance indicators", "關鍵績效指標"),
    "charts": ("KPIs over time", "指標走勢"),
    "method": ("How results are computed", "結果計算方法"),
    "amendments": ("Amendments to the plan", "計劃修訂"),
    "record": ("Lifecycle record", "試驗過程紀錄"),
    "integrity": ("Version and integrity", "版本及完整性"),
    "correction": ("Correction", "更正"),
    "kpi": ("KPI", "指標"),
    "unit": ("Unit", "單位"),
    "direction": ("Better when", "較佳方向"),
    "baseline": ("Baseline", "基線"),
    "target": ("Target", "目標"),
    "measured": ("Measured result", "量度結果"),
    "readings": ("Readings", "數據點數"),
    "range": ("Min – max", "最低 – 最高"),
    "met": ("Met", "達標"),
    "not_met": ("Not met", "未達標"),
    "no_data": ("No data", "沒有數據"),
    "planned_start": ("Planned start", "計劃開始"),
    "planned_end": ("Planned end", "計劃結束"),
    "actual_start": ("Started", "實際開始"),
    "completed_at": ("Completed", "完成"),
    "wish": ("Service wish", "服務願望"),
    "solution": ("I&T solution", "創科方案"),
    "conducted_by": ("Trial conducted by", "試驗主辦"),
    "trial_id": ("Trial id", "試驗編號"),
    "match_id": ("Match id", "配對編號"),
    "version": ("Version", "版本"),
    "published_at": ("Published", "發佈日期"),
    "hash": ("Content hash (SHA-256)", "內容雜湊值（SHA-256）"),
    "supersedes": ("Supersedes version", "取代版本"),
    "address": ("Address", "地址"),
    "owner_department": ("Managed by", "管理部門"),
    "none": ("None", "沒有"),
    "reason": ("Reason", "原因"),
    "by": ("By", "執行者"),
    "from": ("From", "由"),
    "to": ("To", "至"),
    "when": ("When", "時間"),
    "change": ("Change", "修改"),
    "no_measurements": ("No measurements were recorded", "沒有量度數據"),
    "time_axis": ("Time (HKT)", "時間（香港時間）"),
    "result": ("Result", "結果"),
    "increase": ("Increase", "增加"),
    "decrease": ("Decrease", "減少"),
    "opened": ("Opened", "開立"),
    "aggregate": ("Summarised as", "彙總方式"),
    "aggregate_mean": ("Mean", "平均值"),
    "aggregate_median": ("Median", "中位數"),
    "aggregate_last": ("Last reading", "最後讀數"),
    "aggregate_min": ("Minimum", "最低值"),
    "aggregate_max": ("Maximum", "最高值"),
    "hash_note": (
        (
            "SHA-256 over the canonical JSON of report.json (keys sorted, compact, UTF-8, "
            "without content_hash)."
        ),
        "以 report.json 的規範 JSON（鍵排序、緊湊、UTF-8、不含 content_hash）計算的 SHA-256。",
    ),
}


def both(key: str, sep: str = " / ") -> str:
    """'English / 中文' for a label key."""
    en, zh = L[key]
    return f"{en}{sep}{zh}"


def fmt_number(value: float | None) -> str:
    """A readable number: up to 3 decimals, thousands separated, big/small in 4 significant digits."""
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude and (magnitude >= 1e9 or magnitude < 1e-3):
        return f"{value:.4g}"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_iso(text: str) -> datetime:
    """Parse the report's ISO timestamps."""
    return datetime.fromisoformat(text)


def fmt_moment(text: str | None) -> str:
    """An ISO UTC timestamp shown in Hong Kong time."""
    if not text:
        return "—"
    return parse_iso(text).astimezone(HKT).strftime("%Y-%m-%d %H:%M HKT")


def fmt_date(text: str) -> str:
    """Just the Hong Kong date."""
    return parse_iso(text).astimezone(HKT).strftime("%Y-%m-%d")
