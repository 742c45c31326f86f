"""The performance report: sealed JSON, bilingual HTML with inline SVG charts, PDF, versions."""

import copy
import hashlib
import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from trials_builders import DEPARTMENT, EMSD, T0, completed_with_report, running_trial

from innoportal.errors import FieldError
from services.trials.domain import EMSD_HQ, InvalidTransition, NotPermitted
from services.trials.report import (
    build_report,
    canonical_json,
    content_hash,
    correct_report,
    render_html,
    render_pdf,
    verify,
)


class Page(HTMLParser):
    """Collects what a reader of the page sees: headings, KPI rows, charts, script tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.kpi_rows: list[list[str]] = []
        self.svgs: list[dict] = []
        self.tags: list[str] = []
        self._heading: str | None = None
        self._row: list[str] | None = None
        self._cell: str | None = None
        self._in_kpis = False
        self._svg: dict | None = None
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in ("h1", "h2"):
            self._heading = ""
        elif tag == "table" and a.get("class") == "kpis":
            self._in_kpis = True
        elif tag == "tr" and a.get("class") == "kpi-row":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ""
        elif tag == "svg":
            self._svg = {"lines": [], "points": 0, "circles": 0, "text": ""}
        elif self._svg is not None and tag == "line" and a.get("class"):
            self._svg["lines"].append(a["class"])
        elif self._svg is not None and tag == "polyline":
            self._svg["points"] = len(a["points"].split())
        elif self._svg is not None and tag == "circle":
            self._svg["circles"] += 1

    def handle_endtag(self, tag):
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None
        elif tag == "td" and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.kpi_rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_kpis = False
        elif tag == "svg":
            self.svgs.append(self._svg)
            self._svg = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data
        if self._svg is not None:
            self._svg["text"] += data


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_document_carries_everything_a_reader_needs():
    trial, _, doc = completed_with_report()
    assert doc["version"] == 1 and doc["supersedes"] is None and doc["trial_id"] == trial.id
    assert doc["venue"]["name_zh"] == "機電工程署總部大樓（九龍灣）"
    assert doc["dates"] == {
        "planned_start": "2026-03-02T01:00:00Z",
        "planned_end": "2026-04-02T01:00:00Z",
        "actual_start": "2026-03-02T01:00:00Z",
        "completed_at": "2026-03-31T01:00:00Z",
    }
    assert [(p["role"], p["owner_org"]) for p in doc["parties"]] == [
        ("wish", DEPARTMENT.org),
        ("solution", "HKUST"),
    ]
    assert all(
        "contact_email" not in p for p in doc["parties"]
    )  # a public report shows no addresses
    assert doc["verdict"] == "partially_passed" and doc["kpis_met"] == 1
    energy, fault = doc["kpis"]
    assert (energy["measured"], energy["met"], energy["count"]) == (12.75, True, 4)
    assert [p["value"] for p in energy["series"]] == [11.0, 12.5, 14.0, 13.5]
    assert energy["series"][1]["by"] == {"org": "HKUST", "role": "provider"}
    assert (fault["measured"], fault["met"], fault["series"]) == (None, False, [])
    assert doc["amendments"][0]["reason"] == "Extend"
    assert [t["to"] for t in doc["transitions"]] == ["planned", "running", "completed"]


def test_the_hash_is_sha256_of_the_canonical_json_and_stable():
    trial, measurements, doc = completed_with_report()
    body = {k: v for k, v in doc.items() if k != "content_hash"}
    expected = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert doc["content_hash"] == expected == content_hash(doc)
    assert verify(doc)
    again = build_report(
        trial, EMSD_HQ, list(reversed(measurements)), published_at=T0 + timedelta(days=29, hours=1)
    )
    assert again["content_hash"] == doc["content_hash"]
    stored = json.loads(json.dumps(doc))  # as read back from report.json or the database
    assert verify(stored) and canonical_json(stored) == canonical_json(doc)


def test_any_change_breaks_the_hash():
    _, _, doc = completed_with_report()
    tampered = copy.deepcopy(doc)
    tampered["kpis"][0]["measured"] = 99.0
    assert not verify(tampered)


def test_only_a_completed_trial_has_a_report():
    with pytest.raises(InvalidTransition):
        build_report(running_trial(), EMSD_HQ, [], published_at=T0)


def test_html_has_bilingual_headings_the_kpi_table_and_a_chart_per_kpi():
    _, _, doc = completed_with_report()
    page = Page(render_html(doc))
    assert page.headings[0] == "Field trial performance report / 實地試驗表現報告"
    assert len(page.headings) >= 10
    for heading in page.headings:
        english, chinese = heading.split(" / ")
        assert english.isascii() and has_cjk(chinese), heading
    assert {
        "Venue / 場地",
        "Dates / 日期",
        "Parties / 參與方",
        "Summary / 摘要",
        "Key performance indicators / 關鍵績效指標",
    } <= set(page.headings)
    energy, fault = page.kpi_rows
    assert energy[0] == "Energy saved" and energy[3:7] == ["0", "12", "12.75", "4"]
    assert energy[-1] == "Met / 達標"
    assert fault[0] == "Fault rate 故障率" and fault[5] == "—" and fault[-1] == "No data / 沒有數據"
    assert len(page.svgs) == 2
    assert (
        page.svgs[0]["lines"].count("target-line") == 1 and "result-line" in page.svgs[0]["lines"]
    )
    assert page.svgs[0]["points"] == 4 and page.svgs[0]["circles"] == 4
    assert "target-line" in page.svgs[1]["lines"] and "No measurements" in page.svgs[1]["text"]
    text = " ".join(page.text)
    for expected in (
        "3 Kai Shing Street",
        "HKUST",
        "AI lift monitoring",
        "人工智能升降機監測",
        "2026-03-02 09:00 HKT",
        doc["content_hash"],
        "故障率未達標",
    ):
        assert expected in text


def test_all_user_text_is_escaped():
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    _, _, doc = completed_with_report(summary=evil)
    doc = copy.deepcopy(doc)
    doc["kpis"][0]["name"] = doc["kpis"][0]["unit"] = evil
    doc["venue"]["address"] = evil
    html = render_html(doc)
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert evil in " ".join(page.text)  # shown as text, not run
    assert "&lt;script&gt;" in html


def test_a_correction_is_a_new_version_with_its_own_hash():
    _, _, v1 = completed_with_report()
    frozen = copy.deepcopy(v1)
    v2 = correct_report(
        v1, by=EMSD, at=T0 + timedelta(days=40), reason="Typo in summary", summary="Corrected."
    )
    assert v1 == frozen  # the published version is untouched
    assert (v2["version"], v2["supersedes"], v2["summary"]) == (2, 1, "Corrected.")
    assert (
        v2["report_id"].endswith("/v2") and v2["content_hash"] != v1["content_hash"] and verify(v2)
    )
    assert v2["correction"]["superseded_hash"] == v1["content_hash"]
    assert v2["kpis"] == v1["kpis"] and v2["verdict"] == v1["verdict"]
    assert "Supersedes version" in render_html(v2)
    v3 = correct_report(
        v2, by=EMSD, at=T0 + timedelta(days=41), reason="Again", summary="Corrected twice."
    )
    assert (v3["version"], v3["supersedes"]) == (3, 2)


def test_corrections_are_checked():
    _, _, v1 = completed_with_report()
    with pytest.raises(NotPermitted):
        correct_report(v1, by=DEPARTMENT, at=T0, reason="r", summary="s")
    with pytest.raises(FieldError) as err:
        correct_report(v1, by=EMSD, at=T0, reason=" ", summary=v1["summary"])
    assert set(err.value.fields) == {"reason"}
    with pytest.raises(FieldError):
        correct_report(v1, by=EMSD, at=T0, reason="r", summary=v1["summary"])
    broken = {**v1, "summary": "edited in place"}
    with pytest.raises(ValueError):
        correct_report(broken, by=EMSD, at=T0, reason="r", summary="s")


def test_the_pdf_uses_the_traditional_chinese_cmap():
    _, _, doc = completed_with_report()
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/MSung-Light" in pdf and b"/UniCNS-UCS2-H" in pdf and b"UniGB" not in pdf
    assert len(pdf) > 5000
