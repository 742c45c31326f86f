"""The home page and the language prefixes, read over HTTP from the running system."""

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_root_redirects_by_accept_language_and_remembers_the_choice(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        assert client.get("/").headers["location"] == "/en/"
        chinese = client.get("/", headers={"Accept-Language": "zh-HK,zh;q=0.9,en;q=0.8"})
        assert chinese.status_code == 303 and chinese.headers["location"] == "/zh-hk/"
        assert client.get("/", headers={"Accept-Language": "en-GB,zh-TW;q=0.5"}).headers[
            "location"] == "/en/"
        # Reading a page in Chinese is a choice the next visit to / remembers.
        page = client.get("/zh-hk/")
        assert page.status_code == 200 and '<html lang="zh-HK">' in page.text
        assert client.get("/", headers={"Accept-Language": "en"}).headers["location"] == "/zh-hk/"


def test_home_shows_live_figures_counted_by_the_services(stack):
    with httpx.Client(timeout=10) as client:
        def total(service: str, path: str, **params) -> int:
            return client.get(stack.url(service) + path, params={**params, "limit": 1}).json()["total"]

        expected = [total("wishes", "/v1/wishes", status="open"), total("solutions", "/v1/solutions"),
                    total("matcher", "/v1/matches", status="accepted"),
                    total("trials", "/v1/trials", state="running"), total("trials", "/v1/reports")]
        page = client.get(stack.portal + "/en/")
    assert page.status_code == 200
    figures = [int(part.split("</span>")[0].replace(",", ""))
               for part in page.text.split('<span class="figure">')[1:]]
    # Other tests on the shared system add to the scenario's 2 matches, 1 running, 1 report.
    assert figures == expected and all(e >= n for e, n in zip(expected[2:], (2, 1, 1))), figures
    assert "Predictive maintenance of passenger lifts" in page.text  # a newest wish
    assert f"/en/reports/{stack.scenario.trials['completed']}" in page.text  # a newest report


def test_unknown_language_or_page_is_a_404_page_not_json(stack):
    with httpx.Client(base_url=stack.portal, timeout=10) as client:
        for path in ("/fr/", "/en/nothing-here", "/zh-hk/wishes/nope/more"):
            page = client.get(path)
            assert page.status_code == 404, path
            assert page.headers["content-type"].startswith("text/html"), path
        assert "找不到網頁" in client.get("/zh-hk/nothing").text
