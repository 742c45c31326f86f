"""The wishes HTTP API on each backend: create, get, list with filters and pages, close."""

import asyncio
import json

from contracts import WishClosed, WishPosted
from services.wishes.models import Wish

from ..conftest import bearer, error_fields
from .conftest import WISH

DEPT = bearer("department", "Drainage Services Department")


async def post(svc, body=None, headers=DEPT, **changes):
    return await svc.client.post("/v1/wishes", json={**(body or WISH), **changes}, headers=headers)


async def test_create_answers_201_with_an_id_and_the_owner_from_the_token(wishes_db):
    response = await post(wishes_db, owner_org="Someone Else", status="closed", id="w-mine")
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], str) and body["id"] and body["id"] != "w-mine"
    assert body["owner_org"] == "Drainage Services Department"
    assert body["status"] == "open"
    assert body["title_zh"] == "升降機故障預測"
    assert body["categories"] == ["building-services", "ai-data-analytics"]
    staged = await wishes_db.outbox()
    assert [m.subject for m in staged] == ["innoportal.wish.posted"]
    event = WishPosted.model_validate_json(staged[0].payload)
    assert event.event_id == staged[0].event_id
    assert event.wish.id == body["id"] and event.wish.owner_org == "Drainage Services Department"


async def test_get_returns_the_stored_wish(wishes_db):
    created = (await post(wishes_db, budget_hkd=3_000_000_000, closes_on="2099-12-31",
                          venue_note="EMSD Headquarters, Kowloon Bay")).json()
    response = await wishes_db.client.get(f"/v1/wishes/{created['id']}", headers=DEPT)  # owner
    assert response.status_code == 200
    body = response.json()
    assert body == created
    # Above 2**31: the budget column must be wide enough on PostgreSQL too.
    assert body["budget_hkd"] == 3_000_000_000
    assert body["closes_on"] == "2099-12-31"


async def test_unknown_id_answers_404_naming_it(wishes_db):
    response = await wishes_db.client.get("/v1/wishes/w-does-not-exist")
    assert response.status_code == 404
    assert error_fields(response) == ["wish_id"]


async def test_list_filters_by_category_and_status(wishes_db):
    lifts = (await post(wishes_db)).json()
    solar = (await post(wishes_db, categories=["renewable-energy"], title_en="Solar roofs",
                        title_zh=None, description_zh=None,
                        description_en="Photovoltaic panels on government roofs.")).json()
    await wishes_db.client.post(f"/v1/wishes/{solar['id']}/close", headers=DEPT)
    client = wishes_db.client

    page = (await client.get("/v1/wishes", params={"category": "building-services"})).json()
    assert [w["id"] for w in page["items"]] == [lifts["id"]] and page["total"] == 1
    page = (await client.get("/v1/wishes", params={"status": "closed"})).json()
    assert [w["id"] for w in page["items"]] == [solar["id"]]
    page = (await client.get("/v1/wishes", params={"status": "open"})).json()
    assert [w["id"] for w in page["items"]] == [lifts["id"]]
    page = (await client.get("/v1/wishes",
                             params={"status": "open", "category": "renewable-energy"})).json()
    assert page == {"items": [], "total": 0, "limit": 20, "offset": 0}
    # No filter: newest first.
    page = (await client.get("/v1/wishes")).json()
    assert [w["id"] for w in page["items"]] == [solar["id"], lifts["id"]]


async def test_list_pages_with_limit_offset_and_total(wishes_db):
    ids = [(await post(wishes_db, title_en=f"Wish number {i}")).json()["id"] for i in range(5)]
    newest_first = ids[::-1]
    client = wishes_db.client
    first = (await client.get("/v1/wishes", params={"limit": 2})).json()
    second = (await client.get("/v1/wishes", params={"limit": 2, "offset": 2})).json()
    last = (await client.get("/v1/wishes", params={"limit": 2, "offset": 4})).json()
    beyond = (await client.get("/v1/wishes", params={"limit": 2, "offset": 9})).json()
    assert [p["total"] for p in (first, second, last, beyond)] == [5, 5, 5, 5]
    assert (first["limit"], first["offset"], second["offset"]) == (2, 0, 2)
    seen = [w["id"] for p in (first, second, last) for w in p["items"]]
    assert seen == newest_first
    assert beyond["items"] == []


async def test_bad_limit_answers_422_naming_limit(wishes):
    for limit in (0, 101, -1, "ten"):
        response = await wishes.client.get("/v1/wishes", params={"limit": limit})
        assert response.status_code == 422, (limit, response.text)
        assert error_fields(response) == ["limit"]


async def test_search_stems_english_words(wishes_db):
    lift = (await post(wishes_db, title_en="Smart lift monitoring", title_zh=None,
                       description_zh=None,
                       description_en="Monitor the lift car doors and ropes.")).json()
    await post(wishes_db, title_en="Escalator handrail cleaning", title_zh=None,
               description_zh=None, description_en="Keep handrails clean at MTR stations.")
    for q in ("lifts", "Lift", "LIFTING", "monitored lifts"):
        page = (await wishes_db.client.get("/v1/wishes", params={"q": q})).json()
        assert [w["id"] for w in page["items"]] == [lift["id"]], q
    # Every word must match.
    page = (await wishes_db.client.get("/v1/wishes", params={"q": "lift handrail"})).json()
    assert page["items"] == [] and page["total"] == 0


async def test_chinese_query_finds_a_chinese_only_wish(wishes_db):
    zh = (await post(wishes_db, title_en=None, description_en=None, title_zh="升降機遙距監察",
                     description_zh="以感應器監察大廈升降機的運行狀況及故障。")).json()
    await post(wishes_db, title_en="Solar roofs", title_zh=None, description_zh=None,
               description_en="Photovoltaic panels on government roofs.")
    for q in ("升降機", "故障", "升降機 監察"):
        page = (await wishes_db.client.get("/v1/wishes", params={"q": q})).json()
        assert [w["id"] for w in page["items"]] == [zh["id"]], q
    page = (await wishes_db.client.get("/v1/wishes", params={"q": "太陽能"})).json()
    assert page["items"] == []


async def test_a_hong_kong_character_beyond_the_basic_plane_is_found(wishes_db):
    # 𨋢 (U+282E2, Cantonese for a lift) lies in CJK Extension B, outside the basic plane.
    lift = (await post(wishes_db, title_en=None, description_en=None, title_zh="𨋢門感應器",
                       description_zh="監察舊式𨋢門開關。")).json()
    await post(wishes_db, title_en=None, description_en=None, title_zh="大廈門禁系統",
               description_zh="監察大廈出入口。")
    for q in ("𨋢", "𨋢門"):
        page = (await wishes_db.client.get("/v1/wishes", params={"q": q})).json()
        assert [w["id"] for w in page["items"]] == [lift["id"]], q
        assert page["total"] == 1, q


async def test_simplified_query_finds_traditional_text(wishes_db):
    trad = (await post(wishes_db, title_en=None, description_en=None, title_zh="電梯安全監測",
                       description_zh="為舊式電梯加裝安全監測裝置。")).json()
    for q in ("电梯", "電梯", "电梯 安全"):
        page = (await wishes_db.client.get("/v1/wishes", params={"q": q})).json()
        assert [w["id"] for w in page["items"]] == [trad["id"]], q


async def test_search_ranks_a_title_match_before_a_description_match(wishes_db):
    in_description = (await post(wishes_db, title_en="Building energy audit", title_zh=None,
                                 description_zh=None,
                                 description_en="Audit chillers, pumps and the drainage sensors."
                                 )).json()
    in_title = (await post(wishes_db, title_en="Drainage blockage sensors", title_zh=None,
                           description_zh=None,
                           description_en="Detect blocked pipes early in public housing.")).json()
    await post(wishes_db, title_en="Unrelated chatbot", title_zh=None, description_zh=None,
               description_en="Answer citizen enquiries online.")
    # in_title is the newer one, so check both orders of creation give title first.
    for q in ("drainage", "sensor"):
        page = (await wishes_db.client.get("/v1/wishes", params={"q": q})).json()
        ids = [w["id"] for w in page["items"]]
        assert ids[0] == in_title["id"] and in_description["id"] in ids and page["total"] == 2, q
    older_title = (await post(wishes_db, title_en="Chiller optimisation", title_zh=None,
                              description_zh=None,
                              description_en="Tune chiller plants in government buildings.")).json()
    newer_description = (await post(wishes_db, title_en="Plant room robots", title_zh=None,
                                    description_zh=None,
                                    description_en="Robots that inspect each chiller.")).json()
    page = (await wishes_db.client.get("/v1/wishes", params={"q": "chillers"})).json()
    ids = [w["id"] for w in page["items"]]
    assert ids.index(older_title["id"]) < ids.index(newer_description["id"])


async def test_owner_closes_a_wish_and_wish_closed_is_staged(wishes_db):
    wish = (await post(wishes_db)).json()
    response = await wishes_db.client.post(f"/v1/wishes/{wish['id']}/close", headers=DEPT,
                                           json={"reason": "Solved in house / 已自行解決"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "closed" and body["closed_at"]
    assert body["close_reason"] == "Solved in house / 已自行解決"
    assert (await wishes_db.client.get(f"/v1/wishes/{wish['id']}")).json()["status"] == "closed"
    closed = await wishes_db.outbox("innoportal.wish.closed")
    assert len(closed) == 1
    event = WishClosed.model_validate_json(closed[0].payload)
    assert (event.wish_id, event.owner_org) == (wish["id"], "Drainage Services Department")
    assert event.reason == "Solved in house / 已自行解決"
    assert json.loads(closed[0].payload)["event_id"] == closed[0].event_id


async def test_close_without_a_body_works(wishes):
    wish = (await post(wishes)).json()
    response = await wishes.client.post(f"/v1/wishes/{wish['id']}/close", headers=DEPT)
    assert response.status_code == 200, response.text
    assert response.json()["close_reason"] is None


async def test_another_department_may_not_close(wishes):
    wish = (await post(wishes)).json()
    other = bearer("department", "Highways Department")
    response = await wishes.client.post(f"/v1/wishes/{wish['id']}/close", headers=other)
    assert response.status_code == 403
    assert error_fields(response) == ["owner_org"]
    assert (await wishes.client.get(f"/v1/wishes/{wish['id']}")).json()["status"] == "open"
    assert await wishes.outbox("innoportal.wish.closed") == []


async def test_closing_twice_answers_409(wishes):
    wish = (await post(wishes)).json()
    first = await wishes.client.post(f"/v1/wishes/{wish['id']}/close", headers=DEPT)
    second = await wishes.client.post(f"/v1/wishes/{wish['id']}/close", headers=DEPT)
    assert (first.status_code, second.status_code) == (200, 409)
    assert error_fields(second) == ["status"]
    assert len(await wishes.outbox("innoportal.wish.closed")) == 1


async def test_closing_an_unknown_wish_answers_404(wishes):
    response = await wishes.client.post("/v1/wishes/w-nope/close", headers=DEPT)
    assert response.status_code == 404
    assert error_fields(response) == ["wish_id"]


async def test_emsd_may_not_close_a_department_wish(wishes):
    wish = (await post(wishes)).json()
    response = await wishes.client.post(f"/v1/wishes/{wish['id']}/close",
                                        headers=bearer("emsd", "EMSD"))
    assert response.status_code == 403
    assert error_fields(response) == ["role"]
    assert await wishes.outbox("innoportal.wish.closed") == []


async def test_records_created_metric_counts_wishes(wishes):
    await post(wishes)
    await post(wishes)
    metrics = (await wishes.client.get("/metrics")).text
    assert 'innoportal_records_created_total{kind="wish"} 2.0' in metrics
    assert await wishes.count(Wish.__table__) == 2


async def test_concurrent_closes_close_once_and_stage_one_event(wishes_db):
    wish = (await post(wishes_db)).json()
    responses = await asyncio.gather(*(
        wishes_db.client.post(f"/v1/wishes/{wish['id']}/close", headers=DEPT) for _ in range(4)))
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    assert len(await wishes_db.outbox("innoportal.wish.closed")) == 1
