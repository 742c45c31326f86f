"""Open data's pure parts: field lists, CSV cells, JSON framing, Atom feeds with hostile text."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from services.portal.domain.open_data import DATASETS, row_of
from services.portal.domain.open_data.atom import feed_xml
from services.portal.domain.open_data.cells import (
    BOM,
    JSON_TAIL,
    csv_cell,
    csv_header,
    csv_row,
    json_head,
    json_item,
    neutralised,
)
from services.portal.domain.open_data.datasets import utc_moment
from services.portal.domain.open_data.entries import bilingual, feed_of
from services.portal.domain.texts import CATALOG

A = "{http://www.w3.org/2005/Atom}"
PORTAL = "https://innoportal.example.hk"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
HOSTILE = "<b>&amp; \"quoted\" ]]> 'x' \x00\x07\x1b\x0b\ufffe\ud800 end"
WISH = {
    "id": "w-0123456789abcdef01234567", "title_en": "Lift fault prediction",
    "title_zh": "升降機故障預測", "description_en": "Predict lift faults.",
    "description_zh": "預測升降機故障。", "categories": ["building-services", "iot-sensors"],
    "owner_org": "ArchSD", "created_at": "2026-11-30T01:02:03.456789Z", "status": "open",
    "closed_at": None, "close_reason": None, "closes_on": "2026-12-31", "budget_hkd": 800000,
    "venue_note": None, "contact_email": "lifts@archsd.gov.hk", "secret_new_field": "x",
}
SOLUTION = {
    "id": "s-0123456789abcdef01234567", "title_en": None, "title_zh": "升降機故障預測系統",
    "description_en": None, "description_zh": "以物聯網感應器預測故障。",
    "categories": ["iot-sensors"], "owner_org": "HKUST", "created_at": "2026-11-30T02:00:00Z",
    "trl": 7, "website": None, "wish_id": None, "contact_email": "lab@hkust.edu.hk",
}
REPORT = {
    "trial_id": "t-0123456789abcdef", "version": 2, "supersedes": 1, "verdict": "partially_passed",
    "content_hash": "ab" * 32, "published_at": "2026-12-01T08:00:00Z",
    "solution": {"id": SOLUTION["id"], "owner_org": "HKUST", "role": "solution",
                 "title_en": None, "title_zh": "升降機故障預測系統"},
    "wish": {"id": WISH["id"], "owner_org": "ArchSD", "role": "wish",
             "title_en": "Lift fault prediction", "title_zh": "升降機故障預測"},
    "venue": {"id": "v-emsd-hq", "name_en": "EMSD Headquarters", "name_zh": "機電工程署總部"},
    "dates": {"planned_start": "2026-10-01T00:00:00Z", "planned_end": "2026-11-01T00:00:00Z",
              "actual_start": "2026-10-01T01:00:00Z", "completed_at": "2026-11-01T02:00:00Z"},
    "kpis_met": 1, "kpis_total": 2, "url": "http://127.0.0.1:8105/internal",
}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_neutralised(start):
    assert neutralised(f"{start}HYPERLINK(\"http://x\")") == f"'{start}HYPERLINK(\"http://x\")"
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("text", ["Lift", "升降機", "a=b", "'=already", "", "1-2"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralised(text) == text


def test_cells_of_every_kind():
    assert csv_cell(None) == ""
    assert csv_cell(["iot-sensors", "building-services"]) == "iot-sensors;building-services"
    assert csv_cell(800000) == "800000" and csv_cell(-5) == "-5"  # numbers are ours, not formulas
    assert csv_cell("\x00=cmd") == "'=cmd"  # a control character cannot hide a formula
    assert csv_cell("a\x07b\nc") == "ab\nc"


def test_csv_reads_back_with_its_header_and_neutralised_cells():
    dataset = DATASETS["wishes"]
    hostile = {**WISH, "title_en": "=HYPERLINK(\"http://evil\",\"x\")",
               "description_en": 'Commas, "quotes"\nand lines'}
    text = csv_header(dataset.field_names) + csv_row(row_of(dataset, hostile, PORTAL))
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM):])))
    assert len(rows) == 1 and list(rows[0]) == dataset.field_names
    row = rows[0]
    assert row["title_en"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert row["description_en"] == 'Commas, "quotes"\nand lines'
    assert row["categories"] == "building-services;iot-sensors"
    assert row["created_at"] == "2026-11-30T01:02:03Z"
    assert row["page_zh"] == f"{PORTAL}/zh-hk/wishes/{WISH['id']}"


def test_no_dataset_publishes_a_contact_or_an_unlisted_field():
    for dataset in DATASETS.values():
        names = dataset.field_names
        assert len(names) == len(set(names)), dataset.name
        assert not [n for n in names if "email" in n or "contact" in n], dataset.name
    row = row_of(DATASETS["wishes"], WISH, PORTAL)
    assert "contact_email" not in row and "secret_new_field" not in row
    assert "@" not in json.dumps(row) + json.dumps(row_of(DATASETS["solutions"], SOLUTION, PORTAL))
    assert "url" not in row_of(DATASETS["reports"], REPORT, PORTAL)  # the service's own link


def test_the_fields_the_brief_asks_for_are_there():
    assert {"id", "title_en", "title_zh", "categories", "owner_org", "status", "created_at",
            "page_en", "page_zh"} <= set(DATASETS["wishes"].field_names)
    assert {"id", "trl", "wish_id", "website"} <= set(DATASETS["solutions"].field_names)
    assert {"trial_id", "version", "verdict", "kpis_met", "kpis_total", "wish_id",
            "wish_title_en", "solution_id", "solution_title_zh", "venue_name_en",
            "planned_start", "completed_at", "published_at", "content_hash", "page_en",
            "report_json", "report_pdf"} <= set(DATASETS["reports"].field_names)
    row = row_of(DATASETS["reports"], REPORT, PORTAL)
    assert row["report_pdf"] == f"{PORTAL}/reports/{REPORT['trial_id']}/report.pdf"
    assert row["solution_title_en"] is None and row["venue_id"] == "v-emsd-hq"


def test_every_field_is_documented_in_both_languages():
    for dataset in DATASETS.values():
        for field in dataset.fields:
            for key in (f"open_data.field.{field.doc}", f"open_data.type.{field.kind}"):
                english, chinese = CATALOG[key]
                assert english and chinese and english != chinese, key


def test_json_framing_parses_with_and_without_items():
    dataset = DATASETS["solutions"]
    head = json_head("solutions", "2026-12-01T09:30:00Z", dataset.field_names)
    assert json.loads(head + JSON_TAIL)["items"] == []
    rows = [row_of(dataset, {**SOLUTION, "title_en": HOSTILE}, PORTAL),
            row_of(dataset, SOLUTION, PORTAL)]
    text = head + "".join(json_item(r, n == 0) for n, r in enumerate(rows)) + JSON_TAIL
    body = json.loads(text.encode("utf-8", "replace"))
    assert set(body) == {"dataset", "generated_at", "fields", "items"}
    assert body["fields"] == dataset.field_names and len(body["items"]) == 2
    assert body["items"][1]["categories"] == ["iot-sensors"] and body["items"][1]["trl"] == 7


def test_bilingual_titles():
    assert bilingual("Lift fault prediction", "升降機故障預測") == "Lift fault prediction / 升降機故障預測"
    assert bilingual(None, "升降機故障預測") == "升降機故障預測"
    assert bilingual("Same", "Same") == "Same"


def _parsed(dataset: str, records, documents=None) -> ET.Element:
    body = feed_xml(feed_of(DATASETS[dataset], records, PORTAL, NOW, documents))
    assert body.startswith(b"<?xml")
    return ET.fromstring(body)


def test_a_feed_survives_hostile_text_and_has_the_atom_elements():
    hostile = {**WISH, "title_en": HOSTILE, "description_en": HOSTILE, "owner_org": "A&B <Org>"}
    closed = WISH | {"id": "w-2", "status": "closed", "closed_at": "2026-12-01T00:00:00Z"}
    root = _parsed("wishes", [hostile, closed])
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author", "subtitle"):
        assert root.find(f"{A}{tag}") is not None, tag
    assert root.find(f"{A}link[@rel='self']").get("href") == f"{PORTAL}/feeds/wishes.atom"
    alternates = root.findall(f"{A}link[@rel='alternate']")
    assert {(link.get("hreflang"), link.get("href")) for link in alternates} >= {
        ("en", f"{PORTAL}/en/wishes"), ("zh-HK", f"{PORTAL}/zh-hk/wishes")}
    entry = root.findall(f"{A}entry")[0]
    title = entry.find(f"{A}title").text
    assert title == "<b>&amp; \"quoted\" ]]> 'x'  end / 升降機故障預測"
    assert entry.find(f"{A}author/{A}name").text == "A&B <Org>"
    assert entry.find(f"{A}id").text == f"{PORTAL}/en/wishes/{WISH['id']}"
    assert entry.find(f"{A}updated").text == "2026-11-30T01:02:03Z"
    links = {(link.get("hreflang"), link.get("href")) for link in entry.findall(f"{A}link")}
    assert (None, f"{PORTAL}/en/wishes/{WISH['id']}") in links
    assert ("zh-HK", f"{PORTAL}/zh-hk/wishes/{WISH['id']}") in links
    assert [c.get("term") for c in entry.findall(f"{A}category")] == WISH["categories"]
    assert "預測升降機故障。" in entry.find(f"{A}summary").text
    second = root.findall(f"{A}entry")[1]
    assert second.find(f"{A}updated").text == "2026-12-01T00:00:00Z"  # when it closed
    assert root.find(f"{A}updated").text == "2026-12-01T00:00:00Z"  # the newest change


def test_an_empty_feed_is_still_a_valid_feed():
    root = _parsed("solutions", [])
    assert root.findall(f"{A}entry") == []
    assert root.find(f"{A}updated").text == "2026-12-01T09:30:00Z"


def test_a_report_entry_says_verdict_kpis_and_who_conducted_it():
    root = _parsed("reports", [REPORT], {REPORT["trial_id"]: {"conducted_by": "EMSD",
                                                              "summary": "Worked <well> & fast"}})
    entry = root.find(f"{A}entry")
    assert entry.find(f"{A}author/{A}name").text == "EMSD"
    assert entry.find(f"{A}published") is None  # version 2: its first publication is not known here
    title = entry.find(f"{A}title").text
    assert "升降機故障預測系統" in title and "表現報告" in title and "version 2" in title
    summary = entry.find(f"{A}summary").text
    assert "Partially passed" in summary and "部分通過" in summary and "1 of 2" in summary
    assert "Worked <well> & fast" in summary
    hrefs = [link.get("href") for link in entry.findall(f"{A}link[@rel='related']")]
    assert f"{PORTAL}/reports/{REPORT['trial_id']}/report.pdf" in hrefs


def test_moments_are_written_one_way():
    assert utc_moment("2026-12-01T17:30:00.123+08:00") == "2026-12-01T09:30:00Z"
    assert utc_moment("2026-12-01T09:30:00") == "2026-12-01T09:30:00Z"
    assert utc_moment(None) is None and utc_moment("not a date") == "not a date"
