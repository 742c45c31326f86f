"""Open data over the running system: Atom feeds, CSV and JSON downloads, and the open data page."""

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest

from innoportal.auth import issue_token
from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from services.portal.adapters.upstream import Upstream
from services.portal.bootstrap import bootstrap as portal_bootstrap
from services.portal.bootstrap import create_app as create_portal
from services.portal.domain.open_data import DATASETS
from services.portal.settings import PortalSettings
from services.wishes.bootstrap import bootstrap as wishes_bootstrap
from services.wishes.bootstrap import create_app as wishes_app
from services.wishes.settings import WishesSettings

A = "{http://www.w3.org/2005/Atom}"
BOM = "\ufeff".encode()
API = {"wishes": ("wishes", "/v1/wishes", "id"), "solutions": ("solutions", "/v1/solutions", "id"),
       "reports": ("trials", "/v1/reports", "trial_id")}
slow = pytest.mark.slow


def api_records(stack, dataset: str) -> tuple[list[dict], int]:
    """Every record a service's public list gives, paged as any client would, and its total."""
    service, path, _ = API[dataset]
    items, total, offset = [], None, 0
    with httpx.Client(timeout=20) as client:
        while total is None or offset < total:
            body = client.get(stack.url(service) + path,
                              params={"limit": 100, "offset": offset}).json()
            items += body["items"]
            total, offset = body["total"], offset + 100
    return items, total


def scenario_ids(stack, dataset: str) -> set[str]:
    made = {"wishes": stack.scenario.wishes, "solutions": stack.scenario.solutions,
            "reports": {"completed": stack.scenario.trials["completed"]}}[dataset]
    return set(made.values())


@slow
@pytest.mark.parametrize("dataset", ["wishes", "solutions", "reports"])
def test_each_feed_is_atom_and_links_to_pages_that_answer(stack, dataset):
    with httpx.Client(timeout=20) as client:
        answer = client.get(f"{stack.portal}/feeds/{dataset}.atom")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
        again = client.get(f"{stack.portal}/feeds/{dataset}.atom",
                           headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and not again.content  # a poll of an unchanged feed
        root = ET.fromstring(answer.content)
        assert root.tag == f"{A}feed"
        for tag in ("id", "title", "updated", "author"):
            assert root.find(f"{A}{tag}") is not None, tag
        assert root.find(f"{A}link[@rel='self']").get("href") == \
            f"{stack.portal}/feeds/{dataset}.atom"
        records, total = api_records(stack, dataset)
        entries = root.findall(f"{A}entry")
        assert len(entries) == min(50, total)
        linked = set()
        for entry in entries:
            for tag in ("id", "title", "updated", "summary", "author/" + A + "name"):
                assert (entry.find(f"{A}{tag}").text or "").strip(), tag
            pages = {link.get("hreflang"): link.get("href")
                     for link in entry.findall(f"{A}link[@rel='alternate']")}
            assert pages[None] == pages["en"] and "/zh-hk/" in pages["zh-HK"]
            linked.add(pages["en"].rsplit("/", 1)[1])
            for href in (pages["en"], pages["zh-HK"]):
                assert href.startswith(stack.portal + "/"), href  # absolute, on the portal
                assert client.get(href).status_code == 200, href
    assert scenario_ids(stack, dataset) <= linked


@slow
def test_feed_titles_are_bilingual_and_reports_say_their_verdict(stack):
    with httpx.Client(base_url=stack.portal, timeout=20) as client:
        wishes = ET.fromstring(client.get("/feeds/wishes.atom").content)
        reports = ET.fromstring(client.get("/feeds/reports.atom").content)
    titles = [e.find(f"{A}title").text for e in wishes.findall(f"{A}entry")]
    assert "Predictive maintenance of passenger lifts / 升降機預測性維修" in titles
    assert "智能公廁清潔監測" in titles  # Chinese only: one language, not "None / ..."
    report = next(e for e in reports.findall(f"{A}entry")
                  if e.find(f"{A}id").text.endswith(stack.scenario.trials["completed"]))
    summary = report.find(f"{A}summary").text
    assert "Verdict: Passed" in summary and "2 of 2" in summary and "試驗結果：通過" in summary
    assert report.find(f"{A}author/{A}name").text == "EMSD"


def _download(client: httpx.Client, stack, dataset: str, extension: str) -> httpx.Response:
    answer = client.get(f"{stack.portal}/open-data/{dataset}.{extension}")
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(
        f'.{extension}"'), disposition
    assert b"@" not in answer.content, f"an email address in {dataset}.{extension}"
    return answer


@slow
@pytest.mark.parametrize("dataset", ["wishes", "solutions", "reports"])
def test_downloads_hold_every_record_the_api_lists(stack, dataset):
    key = API[dataset][2]
    names = DATASETS[dataset].field_names
    records, total = api_records(stack, dataset)
    with httpx.Client(timeout=60) as client:
        as_csv = _download(client, stack, dataset, "csv")
        as_json = _download(client, stack, dataset, "json")
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.content.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(as_csv.content[len(BOM):].decode("utf-8"))))
    assert list(rows[0]) == names and "contact_email" not in names
    body = json.loads(as_json.content)
    assert set(body) == {"dataset", "generated_at", "fields", "items"}
    assert body["dataset"] == dataset and body["fields"] == names
    expected = {r[key] for r in records}
    for found in ([r[key] for r in rows], [i[key] for i in body["items"]]):
        assert len(found) == total == len(set(found)) and set(found) == expected
    assert scenario_ids(stack, dataset) <= expected
    if dataset == "reports":
        with httpx.Client(timeout=30) as client:
            for item in body["items"]:
                for link in ("page_en", "page_zh", "report_json", "report_pdf"):
                    assert item[link].startswith(stack.portal + "/"), item[link]
                    assert client.get(item[link]).status_code == 200, item[link]
    else:
        by_id = {i["id"]: i for i in body["items"]}
        assert all(isinstance(i["categories"], list) for i in body["items"])
        api = {r["id"]: r for r in records}
        some = next(iter(scenario_ids(stack, dataset)))
        assert by_id[some]["title_zh"] == api[some]["title_zh"]
        assert {r["categories"] for r in rows if r["id"] == some} == {
            ";".join(api[some]["categories"])}


@slow
def test_a_title_starting_with_a_formula_is_neutralised_in_csv_only(stack):
    title = '=HYPERLINK("http://example.org/x","Click me")'
    wish = {"title_en": title, "description_en": "+cmd|' /C calc'!A0 and -2+3",
            "categories": ["fintech-govtech"], "contact_email": "someone@example.org"}
    with httpx.Client(timeout=60) as client:
        made = client.post(stack.url("wishes") + "/v1/wishes", json=wish,
                           headers=stack.system.auth("department", "X"))
        assert made.status_code == 201, made.text
        wish_id = made.json()["id"]
        as_csv = _download(client, stack, "wishes", "csv")
        as_json = _download(client, stack, "wishes", "json")
        feed = client.get(f"{stack.portal}/feeds/wishes.atom")
    row = next(r for r in csv.DictReader(io.StringIO(as_csv.content[len(BOM):].decode("utf-8")))
               if r["id"] == wish_id)
    assert row["title_en"] == "'" + title
    assert row["description_en"] == "'" + wish["description_en"]
    item = next(i for i in json.loads(as_json.content)["items"] if i["id"] == wish_id)
    assert item["title_en"] == title  # JSON is data, not a spreadsheet: kept as written
    entry = next(e for e in ET.fromstring(feed.content).findall(f"{A}entry")
                 if e.find(f"{A}id").text.endswith(wish_id))
    assert entry.find(f"{A}title").text == title


@slow
@pytest.mark.parametrize("path, lang, words", [
    ("/en/open-data", "en", ["Open data", "no personal data", "Fields of wishes",
                             "Atom feed of performance reports"]),
    ("/zh-hk/open-data", "zh-HK", ["開放數據", "不包含任何個人資料", "創科願望的欄位",
                                   "表現報告 Atom 資訊提供"]),
])
def test_the_open_data_page_documents_every_field_in_each_language(stack, path, lang, words):
    with httpx.Client(base_url=stack.portal, timeout=20) as client:
        page = client.get(path)
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        for word in words:
            assert word in page.text, word
        for dataset in DATASETS.values():
            for name in dataset.field_names:
                assert f"<code>{name}</code>" in page.text, name
            for link in (f"/feeds/{dataset.name}.atom", f"/open-data/{dataset.name}.csv",
                         f"/open-data/{dataset.name}.json"):
                assert f'href="{link}"' in page.text and client.get(link).status_code == 200
        assert 'scope="col"' in page.text and 'scope="row"' in page.text
        assert "style=" not in page.text and "<script" not in page.text
    if lang == "zh-HK":
        assert "Fields of" not in page.text and "Meaning" not in page.text


@slow
def test_unknown_feeds_and_formats_are_404_pages(stack):
    with httpx.Client(base_url=stack.portal, timeout=20) as client:
        for path in ("/feeds/matches.atom", "/open-data/wishes.xml", "/open-data/people.csv",
                     "/open-data/wishes", "/feeds/wishes.rss"):
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert answer.headers["content-type"].startswith("text/html"), path


# In-process: the real wishes service on SQLite behind a real portal app, for what the shared
# stack should not be made to hold (hundreds of records) or suffer (a service that is down).

@asynccontextmanager
async def portal_app(tmp_path, transports=None, urls=None):
    """The portal's app (no lifespan needed: it owns no tables) on the given services."""
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path,
                            secret_key=os.environ["INNOPORTAL_SECRET_KEY"],
                            portal_url="https://portal.example.hk")
    settings = PortalSettings()
    upstream = Upstream({**settings.upstream_urls(), **(urls or {})}, transports=transports,
                        timeout=5, connect_timeout=1)
    app = create_portal(portal_bootstrap(settings, upstream=upstream, common=common))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://portal.test") as client:
        yield client
    await upstream.close()


async def test_a_download_pages_through_every_page_of_the_api(tmp_path):
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path,
                            secret_key=os.environ["INNOPORTAL_SECRET_KEY"])
    runtime = wishes_bootstrap(WishesSettings(), common=common,
                               db=Database(f"sqlite+aiosqlite:///{tmp_path / 'wishes.db'}"))
    app = wishes_app(runtime)
    token = issue_token(common.secret_key, role="department", org="EMSD",
                        ttl=timedelta(hours=1))
    async with running(runtime, app, bus=False, relay=False) as wishes:
        for n in range(205):  # three pages of the API: 100, 100 and 5
            made = await wishes.post("/v1/wishes", headers={"Authorization": f"Bearer {token}"},
                                     json={"title_en": f"Wish {n}", "description_en": "A need.",
                                           "categories": ["iot-sensors"],
                                           "contact_email": "owner@example.org"})
            assert made.status_code == 201, made.text
        transports = {"wishes": httpx.ASGITransport(app=app)}
        async with portal_app(tmp_path, transports) as portal:
            as_csv = await portal.get("/open-data/wishes.csv")
            as_json = await portal.get("/open-data/wishes.json")
            feed = await portal.get("/feeds/wishes.atom")
    rows = list(csv.DictReader(io.StringIO(as_csv.content[len(BOM):].decode("utf-8"))))
    items = json.loads(as_json.content)["items"]
    for found in (rows, items):
        titles = [r["title_en"] for r in found]
        assert len(titles) == 205 and set(titles) == {f"Wish {n}" for n in range(205)}
    assert b"@" not in as_csv.content + as_json.content + feed.content
    entries = ET.fromstring(feed.content).findall(f"{A}entry")
    assert len(entries) == 50 and entries[0].find(f"{A}title").text == "Wish 204"
    first_link = entries[0].find(f"{A}link").get("href")
    assert first_link.startswith("https://portal.example.hk/en/wishes/")


@pytest.mark.parametrize("path", ["/feeds/solutions.atom", "/open-data/solutions.csv",
                                  "/open-data/reports.json", "/feeds/reports.atom"])
async def test_a_service_that_is_down_is_a_503_notice(tmp_path, path):
    nowhere = {"solutions": "http://127.0.0.1:1", "trials": "http://127.0.0.1:1"}
    async with portal_app(tmp_path, urls=nowhere) as portal:
        answer = await portal.get(path, headers={"Accept-Language": "zh-HK"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in answer.headers
    assert "暫時沒有回應" in answer.text
