"""The solutions HTTP API on each backend: submit, get, list by trl, category and q, links to wishes."""

from contracts import SolutionSubmitted
from services.solutions.models import KnownWish, Solution

from ..conftest import bearer, error_fields, names
from .conftest import SOLUTION

PROVIDER = bearer("provider", "HKUST")


async def submit(svc, body=None, headers=PROVIDER, **changes):
    return await svc.client.post("/v1/solutions", json={**(body or SOLUTION), **changes},
                                 headers=headers)


async def test_submit_answers_201_with_an_id_and_the_owner_from_the_token(solutions_db):
    response = await submit(solutions_db, owner_org="CUHK", website="https://lab.ust.hk/lifts")
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], str) and body["id"]
    assert body["owner_org"] == "HKUST"
    assert (body["trl"], body["website"], body["wish_id"]) == (6, "https://lab.ust.hk/lifts", None)
    staged = await solutions_db.outbox()
    assert [m.subject for m in staged] == ["innoportal.solution.submitted"]
    event = SolutionSubmitted.model_validate_json(staged[0].payload)
    assert event.solution.id == body["id"] and event.solution.trl == 6
    got = await solutions_db.client.get(f"/v1/solutions/{body['id']}", headers=PROVIDER)  # owner
    assert got.status_code == 200 and got.json() == body


async def test_unknown_solution_answers_404(solutions_db):
    response = await solutions_db.client.get("/v1/solutions/s-unknown")
    assert response.status_code == 404
    assert error_fields(response) == ["solution_id"]


async def test_list_filters_by_trl_min_and_category(solutions_db):
    ids = {}
    for trl, category in ((3, "robotics-automation"), (6, "building-services"),
                          (9, "building-services")):
        body = await submit(solutions_db, trl=trl, categories=[category])
        ids[trl] = body.json()["id"]
    client = solutions_db.client

    async def listed(**params):
        page = (await client.get("/v1/solutions", params=params)).json()
        assert page["total"] == len(page["items"]) or "limit" in params
        return [s["id"] for s in page["items"]]

    assert await listed() == [ids[9], ids[6], ids[3]]
    assert await listed(trl_min=6) == [ids[9], ids[6]]
    assert await listed(trl_min=9) == [ids[9]]
    assert await listed(category="building-services") == [ids[9], ids[6]]
    assert await listed(category="robotics-automation", trl_min=4) == []
    assert await listed(trl_min=1, limit=1, offset=1) == [ids[6]]
    page = (await client.get("/v1/solutions", params={"trl_min": 4, "limit": 1})).json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 0)


async def test_bad_trl_min_answers_422_naming_it(solutions):
    for trl_min in (0, 10, "abc"):
        response = await solutions.client.get("/v1/solutions", params={"trl_min": trl_min})
        assert response.status_code == 422
        assert error_fields(response) == ["trl_min"]


async def test_search_in_english_and_chinese(solutions_db):
    lift = (await submit(solutions_db)).json()
    zh_only = (await submit(solutions_db, title_en=None, description_en=None,
                            title_zh="太陽能光伏板清潔機械人",
                            description_zh="自動清潔政府大樓天台的太陽能光伏板。")).json()
    en_only = (await submit(solutions_db, title_zh=None, description_zh=None,
                            title_en="Chiller plant optimiser",
                            description_en="Reinforcement learning tunes chilled water plants.")
               ).json()
    client = solutions_db.client

    async def found(q):
        return [s["id"] for s in (await client.get("/v1/solutions", params={"q": q})).json()[
            "items"]]

    assert await found("lifts") == [lift["id"]]
    assert await found("升降機") == [lift["id"]]
    assert await found("光伏") == [zh_only["id"]]
    assert await found("太阳能") == [zh_only["id"]]  # Simplified finds Traditional
    assert await found("chillers optimising") == [en_only["id"]]
    assert await found("機械人") == [zh_only["id"]]
    assert await found("hydrogen") == []


async def test_solution_for_an_unknown_wish_answers_422_naming_wish_id(solutions_db):
    response = await submit(solutions_db, wish_id="w-never-posted")
    assert response.status_code == 422
    assert error_fields(response) == ["wish_id"]
    assert await solutions_db.count(Solution.__table__) == 0
    assert await solutions_db.outbox() == []


async def test_solution_for_a_known_open_wish_is_stored_with_the_link(solutions_db):
    # The row the WishPosted consumer would have written.
    await solutions_db.add(KnownWish(id="w-open", status="open"))
    response = await submit(solutions_db, wish_id="w-open")
    assert response.status_code == 201, response.text
    assert response.json()["wish_id"] == "w-open"
    event = SolutionSubmitted.model_validate_json((await solutions_db.outbox())[0].payload)
    assert event.solution.wish_id == "w-open"
    await submit(solutions_db)  # one in the standing catalogue
    page = (await solutions_db.client.get("/v1/solutions", params={"wish_id": "w-open"})).json()
    assert [s["id"] for s in page["items"]] == [response.json()["id"]]


async def test_solution_for_a_closed_wish_answers_422(solutions_db):
    await solutions_db.add(KnownWish(id="w-closed", status="closed"))
    response = await submit(solutions_db, wish_id="w-closed")
    assert response.status_code == 422
    assert names(response, "wish_id")
    assert "closed" in response.json()["detail"]
    assert await solutions_db.count(Solution.__table__) == 0
    assert await solutions_db.outbox() == []


async def test_records_created_metric_counts_solutions(solutions):
    await submit(solutions)
    metrics = (await solutions.client.get("/metrics")).text
    assert 'innoportal_records_created_total{kind="solution"} 1.0' in metrics
