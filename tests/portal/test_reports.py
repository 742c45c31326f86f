"""The performance report pages over HTTP from the running system: the list and its filter, a
report in both languages with its charts and downloads, and what is not there."""

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest

from services.portal.domain.records import format_number

pytestmark = pytest.mark.slow
CONTACTS = ("lifts@archsd.gov.hk", "lab@hkust.edu.hk", "leaks@wsd.gov.hk", "water@cityu.edu.hk")


class Page(HTMLParser):
    """The parts of a page the tests read: table rows by table class, images, links, lang."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.lang = ""
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "table":
            self._table = a.get("class", "")
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(a)
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def report_json(stack, trial_id: str, **params) -> httpx.Response:
    """The trials service's own report.json."""
    return httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}/report.json", params=params,
                     timeout=20)


def test_the_list_shows_each_published_report_newest_first_and_filters_by_verdict(stack):
    completed = stack.scenario.trials["completed"]
    with httpx.Client(base_url=stack.portal, timeout=20) as client:
        published = httpx.get(stack.url("trials") + "/v1/reports").json()
        english = client.get("/en/reports")
        chinese = client.get("/zh-hk/reports")
        failed = client.get("/en/reports", params={"verdict": "failed"})
        failed_api = httpx.get(stack.url("trials") + "/v1/reports",
                               params={"verdict": "failed"}).json()
        passed = client.get("/zh-hk/reports", params={"verdict": "passed", "page": "1"})
    assert english.status_code == chinese.status_code == 200
    links = [h for h in Page(english.text).links if h.startswith("/en/reports/")]
    assert links == [f"/en/reports/{r['trial_id']}" for r in published["items"]]
    assert f"/en/reports/{completed}" in links
    for text in ("Field trial performance reports", "Passed", "2 of 2", "升降機故障預測系統",
                 "Predictive maintenance of passenger lifts", "EMSD Headquarters (Kowloon Bay)"):
        assert text in english.text, text
    for text in ("實地試驗表現報告", "通過", "2 項中 2 項", "升降機預測性維修", "機電工程署總部大樓（九龍灣）"):
        assert text in chinese.text, text
    assert failed.status_code == 200 and f"/en/reports/{completed}" not in failed.text
    failed_links = [h for h in Page(failed.text).links if h.startswith("/en/reports/")]
    # Other tests on the shared system may have published a failed trial's report.
    assert failed_links == [f"/en/reports/{r['trial_id']}" for r in failed_api["items"]]
    if not failed_api["items"]:
        assert "No published report matches." in failed.text
    assert passed.status_code == 200 and f"/zh-hk/reports/{completed}" in passed.text
    assert not any(c in english.text + chinese.text for c in CONTACTS)


@pytest.mark.parametrize(("lang", "params", "message"), [
    ("en", {"verdict": "nope"}, "Choose passed, partially passed or failed"),
    ("zh-hk", {"verdict": "nope"}, "請選擇「通過」、「部分通過」或「未通過」"),
    ("en", {"page": "-1"}, "Must be a whole number from 1 to"),
    ("zh-hk", {"page": "-1"}, "必須是 1 至"),
    ("en", {"page": str(10**9)}, "Must be a whole number from 1 to"),
    ("zh-hk", {"page": str(10**9)}, "必須是 1 至"),
    ("en", {"page": "2"}, "There is no page 2; the last is 1"),
])
def test_bad_query_input_is_a_4xx_saying_why_in_the_page_language(stack, lang, params, message):
    page = httpx.get(f"{stack.portal}/{lang}/reports", params=params, timeout=20)
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert message in page.text and 'class="error-summary"' in page.text
    if "verdict" in params:  # beside its field, which keeps what was typed
        assert 'aria-invalid="true"' in page.text and 'id="verdict-error"' in page.text


def kpi_rows(doc: dict, words: dict[str, str], met: str) -> list[list[str]]:
    return [[k["name"], k["unit"], words[k["direction"]], format_number(k["baseline"]),
             format_number(k["target"]), format_number(k["measured"]),
             words[k.get("aggregate", "mean")], str(k["count"]), met] for k in doc["kpis"]]


@pytest.mark.parametrize(("lang", "words"), [
    ("en", {"verdict": "Passed", "increase": "Higher", "decrease": "Lower", "met": "Met",
            "mean": "Mean",
            "heading": "Key performance indicators", "summary": "2 of 2 key performance"}),
    ("zh-hk", {"verdict": "通過", "increase": "越高越好", "decrease": "越低越好", "met": "達標",
               "mean": "平均值",
               "heading": "關鍵績效指標", "summary": "2 項關鍵績效指標中 2 項達標"}),
])
def test_a_report_reads_in_the_page_language_with_the_values_of_its_json(stack, lang, words):
    trial_id = stack.scenario.trials["completed"]
    with httpx.Client(timeout=20) as client:
        doc = report_json(stack, trial_id).json()
        page = client.get(f"{stack.portal}/{lang}/reports/{trial_id}")
    assert page.status_code == 200
    read = Page(page.text)
    assert read.lang == ("en" if lang == "en" else "zh-HK")
    shown = html.unescape(page.text)
    for text in (words["verdict"], words["heading"], words["summary"], doc["content_hash"],
                 doc["summary"], doc["method"]["en" if lang == "en" else "zh"]):
        assert text in shown, text
    other_method = doc["method"]["zh" if lang == "en" else "en"]
    assert other_method not in shown  # one language, not both stacked
    assert read.tables["kpis"][1:] == kpi_rows(doc, words, words["met"])
    assert len(read.tables["timeline"]) == 1 + len(doc["transitions"])
    wish, solution = (next(p for p in doc["parties"] if p["role"] == role)
                      for role in ("wish", "solution"))
    for link in (f"/{lang}/wishes/{wish['id']}", f"/{lang}/solutions/{solution['id']}",
                 f"/{lang}/trials/{trial_id}"):
        assert link in read.links, link
    assert not any(c in page.text for c in CONTACTS)


@pytest.mark.parametrize(("lang", "said", "unsaid"), [
    ("en", ["Target 24", "Baseline 0", "Time (HKT)"], ["目標", "時間"]),
    ("zh-hk", ["目標 24", "基線 0", "時間（香港時間）"], ["Target", "Baseline", "Time"]),
])
def test_each_chart_is_an_image_from_the_portal_labelled_in_the_page_language(stack, lang, said,
                                                                              unsaid):
    trial_id = stack.scenario.trials["completed"]
    with httpx.Client(base_url=stack.portal, timeout=20) as client:
        doc = report_json(stack, trial_id).json()
        images = Page(client.get(f"/{lang}/reports/{trial_id}").text).images
        assert len(images) == len(doc["kpis"]) == 2
        charts = [client.get(image["src"]) for image in images]
    for image, kpi in zip(images, doc["kpis"], strict=True):
        assert urlsplit(image["src"]).netloc == ""  # the portal's own origin (img-src 'self')
        assert image["src"].startswith(f"/{lang}/reports/{trial_id}/charts/")
        assert kpi["name"] in image["alt"] and format_number(kpi["target"]) in image["alt"]
        assert format_number(kpi["measured"]) in image["alt"]
    for chart in charts:
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
        assert chart.text.lstrip().startswith("<?xml") and "<svg" in chart.text
    first = charts[0].text
    assert all(word in first for word in said), said
    assert not any(word in first for word in unsaid), unsaid


def test_the_pdf_and_json_downloads_come_from_the_portal(stack):
    trial_id = stack.scenario.trials["completed"]
    with httpx.Client(base_url=stack.portal, timeout=60) as client:
        original = report_json(stack, trial_id)
        version = original.json()["version"]
        links = Page(client.get(f"/zh-hk/reports/{trial_id}").text).links
        pdf_link = f"/reports/{trial_id}/report.pdf?version={version}"
        json_link = f"/reports/{trial_id}/report.json?version={version}"
        assert pdf_link in links and json_link in links
        pdf, data = client.get(pdf_link), client.get(json_link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="innoportal-report-{trial_id}-v{version}.pdf"')
    assert data.status_code == 200 and data.headers["content-type"] == "application/json"
    assert data.headers["content-disposition"].endswith(f'-v{version}.json"')
    assert data.content == original.content and data.json() == original.json()


@pytest.mark.parametrize("path", [
    "/{lang}/reports/{completed}?version=99",
    "/{lang}/reports/{running}",
    "/{lang}/reports/t-0000000000000000",
    "/{lang}/reports/a%3Fb%23c",
    "/{lang}/reports/{completed}/charts/3.svg",
    "/{lang}/reports/{completed}/charts/x.svg",
    "/{lang}/reports/{completed}/charts/1.svg?version=99",
    "/reports/{running}/report.pdf",
    "/reports/{completed}/report.json?version=99",
])
@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"), ("zh-hk", "找不到網頁")])
def test_what_is_not_there_is_the_404_page_in_the_reader_language(stack, path, lang, title):
    trials = stack.scenario.trials
    url = path.format(lang=lang, completed=trials["completed"], running=trials["running"])
    page = httpx.get(stack.portal + url, timeout=20, headers={"Cookie": f"lang={lang}"})
    assert page.status_code == 404, url
    assert page.headers["content-type"].startswith("text/html") and title in page.text, url


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Must be a version number from 1 to 1000000"),
    ("zh-hk", "必須是 1 至 1000000 的版本號碼"),
])
def test_a_bad_version_is_a_400_saying_why_in_the_reader_language(stack, lang, message):
    completed = stack.scenario.trials["completed"]
    with httpx.Client(base_url=stack.portal, timeout=20, cookies={"lang": lang}) as client:
        for url in (f"/{lang}/reports/{completed}?version=abc",
                    f"/{lang}/reports/{completed}?version=0",
                    f"/{lang}/reports/{completed}/charts/1.svg?version=-1",
                    f"/reports/{completed}/report.pdf?version=1.5"):
            page = client.get(url)
            assert page.status_code == 400 and message in page.text, url


def shown_version(doc: dict, latest: int, lang: str) -> str:
    """The report page of `doc` as the portal renders it, `latest` being the newest version."""
    from services.portal.api.web import NAV, environment
    from services.portal.domain.language import by_path, other
    from services.portal.service.reports import ReportPage
    from services.portal.service.trials import amendments_of, party

    language = by_path(lang)
    report = ReportPage(doc, party(doc["parties"], "wish"), party(doc["parties"], "solution"),
                        amendments_of(doc["amendments"]), latest)
    return environment().get_template("reports/show.html").render(
        language=language, other=other(language), switch_url="/", nav=NAV, current="/",
        notices=[], csrf_token="", actor=None, report=report, doc=doc, trial_id=doc["trial_id"],
        page_title="x")


def test_a_corrected_version_says_what_it_replaces_and_why_and_links_the_earlier_one(stack):
    # Rendered, not published: a correction on the shared stack would change other tests' world.
    from datetime import UTC, datetime

    from services.trials.domain import Actor
    from services.trials.report import correct_report

    v1 = report_json(stack, stack.scenario.trials["completed"]).json()
    v2 = correct_report(v1, by=Actor("EMSD", "emsd"), at=datetime.now(UTC),
                        reason="Wrong figure <b>quoted</b>",
                        summary="Faults were predicted 33 h ahead.")
    english, chinese = shown_version(v2, 2, "en"), shown_version(v2, 2, "zh-hk")
    assert "This is a corrected version (version 2). It replaces version 1." in english
    assert "這是更正版本（第 2 版），取代第 1 版。" in chinese
    for page in (english, chinese):
        assert "Wrong figure &lt;b&gt;quoted&lt;/b&gt;" in page and "<b>quoted" not in page
        assert v2["content_hash"] in page and v1["content_hash"] in page  # its own, and superseded
        assert f'/reports/{v1["trial_id"]}?version=1"' in page
        assert f'/reports/{v1["trial_id"]}/report.pdf?version=2"' in page
        assert f'/charts/1.svg?version=2"' in page
    older = shown_version(v1, 2, "zh-hk")
    assert "你正在閱讀第 1 版。已有較新的第 2 版。" in older and "閱讀最新版本" in older
    assert "沒有：這是第一版。" in older
