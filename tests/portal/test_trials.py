"""A field trial's public page over HTTP from the running system: the running and the completed
trial of the scenario, in both languages."""

import httpx
import pytest

from portal.test_reports import CONTACTS, Page
from services.portal.domain.records import format_number

pytestmark = pytest.mark.slow
WORDS = {
    "en": {"running": "Running", "completed": "Completed", "planned": "Planned",
           "opened": "(opened)", "increase": "Higher", "decrease": "Lower", "mean": "Mean",
           "kpis": "Key performance indicators", "timeline": "Timeline",
           "not_amended": "The plan has not been amended.", "measurements": "Measurements recorded",
           "report": "Read the performance report (version 1)"},
    "zh-hk": {"running": "進行中", "completed": "已完成", "planned": "已計劃", "opened": "（開立）",
              "increase": "越高越好", "decrease": "越低越好", "mean": "平均值", "kpis": "關鍵績效指標",
              "timeline": "時間線", "not_amended": "計劃未曾修訂。", "measurements": "已記錄的量度數據",
              "report": "閱讀表現報告（第 1 版）"},
}


def trial_of(stack, name: str) -> dict:
    """The trials service's own public view of a scenario trial."""
    trial_id = stack.scenario.trials[name]
    return httpx.get(f"{stack.url('trials')}/v1/trials/{trial_id}", timeout=20).json()


def kpi_rows(trial: dict, words: dict) -> list[list[str]]:
    return [[k["name"], k["unit"], format_number(k["baseline"]), format_number(k["target"]),
             words[k["direction"]], words[k.get("aggregate", "mean")]] for k in trial["kpis"]]


@pytest.mark.parametrize("lang", ["en", "zh-hk"])
def test_the_running_trial_shows_its_plan_parties_and_timeline(stack, lang):
    trial, words = trial_of(stack, "running"), WORDS[lang]
    page = httpx.get(f"{stack.portal}/{lang}/trials/{trial['id']}", timeout=20)
    assert page.status_code == 200
    read = Page(page.text)
    venue = trial["venue"]["name_en" if lang == "en" else "name_zh"]
    for text in (words["running"], venue, trial["venue"]["address"], words["kpis"],
                 words["timeline"], words["not_amended"], words["measurements"],
                 "Acoustic leak detection for water mains" if lang == "en" else "水管漏水聲學偵測"):
        assert text in page.text, text
    assert read.tables["kpis"][1:] == kpi_rows(trial, words)
    assert [row[1:3] for row in read.tables["timeline"][1:]] == [
        [words["opened"], words["planned"]], [words["planned"], words["running"]]]
    wish, solution = trial["parties"]
    assert f"/{lang}/wishes/{wish['id']}" in read.links
    assert f"/{lang}/solutions/{solution['id']}" in read.links
    assert not any(f"/reports/{trial['id']}" in link for link in read.links)  # no report yet
    assert not any(c in page.text for c in CONTACTS)


@pytest.mark.parametrize("lang", ["en", "zh-hk"])
def test_the_completed_trial_links_its_report_and_counts_its_measurements(stack, lang):
    trial, words = trial_of(stack, "completed"), WORDS[lang]
    page = httpx.get(f"{stack.portal}/{lang}/trials/{trial['id']}", timeout=20)
    assert page.status_code == 200
    read = Page(page.text)
    assert words["completed"] in page.text and words["report"] in page.text
    assert f"/{lang}/reports/{trial['id']}" in read.links
    assert trial["measurement_count"] == 3
    assert f"<dd>{trial['measurement_count']}</dd>" in page.text
    assert [row[2] for row in read.tables["timeline"][1:]] == [
        words["planned"], words["running"], words["completed"]]
    assert not any(c in page.text for c in CONTACTS)


@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"), ("zh-hk", "找不到網頁")])
def test_an_unknown_trial_is_the_404_page(stack, lang, title):
    for trial_id in ("t-0000000000000000", "x%3Fy", "a" * 65):
        page = httpx.get(f"{stack.portal}/{lang}/trials/{trial_id}", timeout=20)
        assert page.status_code == 404 and title in page.text, trial_id
