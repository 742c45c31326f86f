"""GET /v1/survey on each backend: ranked candidates for a wish, for words in English, Chinese or
both, and wishes for a solution; filters, pages, the CSV for a procurement file, bad input."""

import csv
import io

import pytest

from ..conftest import names
from .survey_world import SOLUTIONS, seed_world

LIFTS = {"s-lift-zh", "s-lift-en", "s-hostile"}  # the solutions about passenger lift faults


def ids(body: dict) -> list[str]:
    """The ranked ids of a survey page."""
    return [i.get("solution_id") or i["wish_id"] for i in body["items"]]


async def survey(svc, **params) -> dict:
    """One survey page as JSON (asserting 200)."""
    response = await svc.client.get("/v1/survey", params=params)
    assert response.status_code == 200, response.text
    assert "@" not in response.text  # contact emails are never in a survey
    return response.json()


async def test_a_wish_gets_every_candidate_above_the_floor_best_first(matcher_db):
    await seed_world(matcher_db)
    body = await survey(matcher_db, wish_id="w-lift")
    found = ids(body)
    # The Chinese-only platform is found for the English wish; the robot that lifts glass
    # panels is listed too (a survey shows what might do) but below every lift solution.
    assert set(found[:3]) == LIFTS and found[3] == "s-hoist-en" and "s-docs-en" not in found
    assert body["ranks"] == "solutions" and body["total"] == 4 and body["floor"] == 0.1
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] >= 0.1
    first = body["items"][0]
    assert first["solution_id"] == "s-lift-zh"
    assert (first["title_zh"], first["title_en"], first["owner_org"], first["trl"]) == (
        SOLUTIONS["s-lift-zh"]["title_zh"], None, "香港科技大學", 7)
    assert first["categories"] == ["ai-data-analytics", "building-services"]
    kinds = {r["kind"] for r in first["reasons"]}
    assert {"glossary", "category"} <= kinds
    assert any("升降機" in r["value"] for r in first["reasons"] if r["kind"] == "glossary")


async def test_a_closed_wish_can_still_be_surveyed(matcher_db):
    await seed_world(matcher_db)
    body = await survey(matcher_db, wish_id="w-lift-closed")
    assert set(ids(body)[:3]) == LIFTS


@pytest.mark.parametrize("q", [
    "passenger lift fault prediction",  # English: meets the Chinese-only platform too
    "升降機故障預測",  # Chinese: meets the English-only lift solutions too
    "升降機 fault prediction",  # both
])
async def test_words_in_english_chinese_or_both_find_the_lifts_in_either_language(matcher_db, q):
    await seed_world(matcher_db)
    body = await survey(matcher_db, q=q)
    assert set(ids(body)[:3]) == LIFTS, (q, body)
    assert "s-docs-en" not in ids(body)


async def test_words_in_chinese_meet_a_wish_in_english_from_a_solution(matcher_db):
    await seed_world(matcher_db)
    body = await survey(matcher_db, solution_id="s-lift-zh")
    assert body["ranks"] == "wishes"
    # Only open wishes: the closed one is never offered.
    assert ids(body)[0] == "w-lift" and "w-lift-closed" not in ids(body)
    first = body["items"][0]
    assert (first["wish_id"], first["status"], first["owner_org"]) == (
        "w-lift", "open", "Housing Department")


async def test_category_and_readiness_filters(matcher_db):
    await seed_world(matcher_db)
    iot = await survey(matcher_db, wish_id="w-lift", category="iot-sensors")
    assert ids(iot) == ["s-lift-en"] and iot["total"] == 1
    ready = await survey(matcher_db, wish_id="w-lift", trl_min=6)
    assert ids(ready) == ["s-lift-zh", "s-hoist-en"]  # TRL 7 and 6; not 5 nor 4
    both = await survey(matcher_db, q="lift", category="building-services", trl_min=5)
    assert set(ids(both)) == {"s-lift-zh", "s-lift-en"}
    none = await survey(matcher_db, wish_id="w-lift", category="materials-nanotech")
    assert none["items"] == [] and none["total"] == 0


async def test_pages_hold_the_whole_ranking_once(matcher_db):
    await seed_world(matcher_db)
    whole = ids(await survey(matcher_db, wish_id="w-lift"))
    pages = [await survey(matcher_db, wish_id="w-lift", limit=3, offset=offset)
             for offset in (0, 3, 6)]
    assert [ids(p) for p in pages] == [whole[:3], whole[3:], []]
    assert [(p["total"], p["limit"], p["offset"]) for p in pages] == [(4, 3, 0), (4, 3, 3),
                                                                      (4, 3, 6)]


def read_csv(content: bytes) -> list[dict[str, str]]:
    """A CSV download read as a spreadsheet would: UTF-8 with its BOM, a header row."""
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


async def test_csv_is_the_same_list_with_formulas_neutralised(matcher_db):
    await seed_world(matcher_db)
    body = await survey(matcher_db, q="passenger lift faults")
    by_format = await matcher_db.client.get("/v1/survey", params={"q": "passenger lift faults",
                                                                  "format": "csv"})
    by_accept = await matcher_db.client.get("/v1/survey", params={"q": "passenger lift faults"},
                                            headers={"Accept": "text/csv",
                                                     "Accept-Language": "zh-HK"})
    for response in (by_format, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert "@" not in response.content.decode("utf-8")
    rows = read_csv(by_format.content)
    assert [r["solution_id"] for r in rows] == ids(body)
    assert [float(r["score"]) for r in rows] == [i["score"] for i in body["items"]]
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    hostile = next(r for r in rows if r["solution_id"] == "s-hostile")
    assert hostile["title_en"] == "'" + SOLUTIONS["s-hostile"]["title_en"]  # not a formula
    assert hostile["owner_org"] == "'-Evil Co" and hostile["trl"] == "4"
    assert hostile["categories"] == "building-services"
    assert hostile["url"] == "http://127.0.0.1:8100/en/solutions/s-hostile"
    assert read_csv(by_accept.content)[0]["url"].startswith("http://127.0.0.1:8100/zh-hk/")
    # A JSON reader asking for JSON first still gets JSON.
    json_first = await matcher_db.client.get("/v1/survey", params={"q": "lift"}, headers={
        "Accept": "application/json, text/csv"})
    assert json_first.headers["content-type"] == "application/json"


@pytest.mark.parametrize("params, fields, status", [
    ({"q": "lift " * 2000}, ["q"], 422),  # 10,000 characters
    ({}, ["q"], 422),  # nothing asked
    ({"q": "   "}, ["q"], 422),
    ({"q": "lift\x00"}, ["q"], 422),
    ({"wish_id": "w-nowhere"}, ["wish_id"], 404),
    ({"solution_id": "s-nowhere"}, ["solution_id"], 404),
    ({"wish_id": "w-lift", "trl_min": 0}, ["trl_min"], 422),
    ({"wish_id": "w-lift", "trl_min": 10}, ["trl_min"], 422),
    ({"wish_id": "w-lift", "offset": -1}, ["offset"], 422),
    ({"wish_id": "w-lift", "limit": 0}, ["limit"], 422),
    ({"wish_id": "w-lift", "limit": 501}, ["limit"], 422),
    ({"wish_id": "w-lift", "q": "lift"}, ["wish_id", "q"], 422),
    ({"wish_id": "w-lift", "solution_id": "s-lift-en"}, ["wish_id", "solution_id"], 422),
    ({"solution_id": "s-lift-en", "trl_min": 5}, ["trl_min"], 422),
    ({"q": "lift", "category": "lifts"}, ["category"], 422),
    ({"q": "lift", "format": "xml"}, ["format"], 422),
    ({"wish_id": "w" * 41}, ["wish_id"], 422),
])
async def test_bad_input_is_a_4xx_naming_the_field(matcher, params, fields, status):
    await seed_world(matcher)
    response = await matcher.client.get("/v1/survey", params=params)
    assert response.status_code == status, response.text
    assert all(names(response, field) for field in fields), response.text
