"""The matcher HTTP API on each backend: list and get matches; EMSD accepts or rejects them."""

import asyncio

import pytest

from contracts import MatchDecided, Matched, Subjects
from innoportal.uow import UnitOfWork
from services.matcher.domain import Match
from services.matcher.service.indexing import store_matches

from ..conftest import bearer, error_fields, names
from .conftest import REASONS, seed

EMSD = bearer("emsd", "EMSD")


async def decided(svc) -> list[MatchDecided]:
    return [MatchDecided.model_validate_json(m.payload)
            for m in await svc.outbox(Subjects.MATCH_DECIDED)]


async def test_list_filters_by_wish_solution_and_status_best_score_first(matcher_db):
    svc, client = matcher_db, matcher_db.client
    best = await seed(svc, "w-1", "s-1", 0.91)
    second = await seed(svc, "w-1", "s-2", 0.62)
    third = await seed(svc, "w-2", "s-1", 0.48)

    page = (await client.get("/v1/matches")).json()
    assert [m["id"] for m in page["items"]] == [best, second, third]
    assert (page["total"], page["limit"], page["offset"]) == (3, 20, 0)
    by_wish = (await client.get("/v1/matches", params={"wish_id": "w-1"})).json()
    assert [m["id"] for m in by_wish["items"]] == [best, second] and by_wish["total"] == 2
    by_solution = (await client.get("/v1/matches", params={"solution_id": "s-1"})).json()
    assert [m["id"] for m in by_solution["items"]] == [best, third]
    both = (await client.get("/v1/matches", params={"wish_id": "w-2", "solution_id": "s-1"})).json()
    assert [m["id"] for m in both["items"]] == [third]

    assert (await client.post(f"/v1/matches/{second}/accept", headers=EMSD)).status_code == 200
    accepted = (await client.get("/v1/matches", params={"status": "accepted"})).json()
    assert [m["id"] for m in accepted["items"]] == [second]
    pending = (await client.get("/v1/matches",
                                params={"status": "pending", "wish_id": "w-1"})).json()
    assert [m["id"] for m in pending["items"]] == [best]
    nothing = (await client.get("/v1/matches", params={"status": "rejected"})).json()
    assert nothing == {"items": [], "total": 0, "limit": 20, "offset": 0}
    unknown = (await client.get("/v1/matches", params={"wish_id": "w-none"})).json()
    assert unknown["items"] == [] and unknown["total"] == 0


async def test_list_pages_with_limit_offset_and_total(matcher_db):
    ids = [await seed(matcher_db, f"w-{i}", "s-1", 0.9 - i / 10) for i in range(5)]
    client = matcher_db.client
    first = (await client.get("/v1/matches", params={"limit": 2})).json()
    second = (await client.get("/v1/matches", params={"limit": 2, "offset": 2})).json()
    last = (await client.get("/v1/matches", params={"limit": 2, "offset": 4})).json()
    assert [m["id"] for m in first["items"] + second["items"] + last["items"]] == ids
    assert [p["total"] for p in (first, second, last)] == [5, 5, 5]
    assert (last["limit"], last["offset"], len(last["items"])) == (2, 4, 1)


@pytest.mark.parametrize("params, field", [
    ({"status": "maybe"}, "status"), ({"limit": 0}, "limit"), ({"limit": 101}, "limit"),
    ({"offset": -1}, "offset"), ({"wish_id": "w" * 41}, "wish_id"),
])
async def test_bad_list_parameters_answer_422_naming_them(matcher, params, field):
    response = await matcher.client.get("/v1/matches", params=params)
    assert response.status_code == 422 and names(response, field), response.text


async def test_get_returns_the_match_with_reasons_and_both_parties(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.83)
    # EMSD sees both parties' contacts (the public sees neither: test_match_views).
    response = await matcher_db.client.get(f"/v1/matches/{match_id}", headers=EMSD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["wish_id"], body["solution_id"], body["score"]) == (
        match_id, "w-lift", "s-lift", 0.83)
    assert body["status"] == "pending" and body["decided_by"] is None
    assert [(r["kind"], r["value"], r["language"], r["weight"]) for r in body["reasons"]] == [
        (r.kind, r.value, r.language, r.weight) for r in REASONS]
    assert body["wish"] == {"id": "w-lift", "title_en": "Lift fault prediction w-lift",
                            "title_zh": "升降機故障預測", "contact_email": "w-lift@archsd.gov.hk",
                            "owner_org": "ArchSD"}
    assert body["solution"]["contact_email"] == "s-lift@hkust.hk"
    assert body["solution"]["title_en"] is None and body["solution"]["owner_org"] == "HKUST"
    # The Matched event staged with it says the same.
    [staged] = await matcher_db.outbox(Subjects.MATCH_FOUND)
    event = Matched.model_validate_json(staged.payload)
    assert event.match_id == match_id and staged.event_id == event.event_id
    assert event.wish.model_dump() == body["wish"]


@pytest.mark.parametrize("path", ["m-does-not-exist", "x" * 41, "%E5%8D%87"])
async def test_unknown_ids_answer_404_naming_match_id(matcher, path):
    client = matcher.client
    for response in (await client.get(f"/v1/matches/{path}"),
                     await client.post(f"/v1/matches/{path}/accept", headers=EMSD),
                     await client.post(f"/v1/matches/{path}/reject", headers=EMSD,
                                       json={"reason": "Out of scope"})):
        assert response.status_code == 404, response.text
        assert error_fields(response) == ["match_id"]
    assert await decided(matcher) == []


async def test_accept_records_the_decision_and_stages_one_match_decided(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    response = await matcher_db.client.post(f"/v1/matches/{match_id}/accept",
                                            headers=bearer("emsd", "EMSD E&M Trading Fund"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "accepted" and body["decided_by"] == "EMSD E&M Trading Fund"
    assert body["decided_at"] is not None and body["decision_reason"] is None
    assert (await matcher_db.client.get(f"/v1/matches/{match_id}", headers=EMSD)).json() == body
    [event] = await decided(matcher_db)
    assert (event.match_id, event.decision, event.decided_by, event.reason) == (
        match_id, "accepted", "EMSD E&M Trading Fund", None)
    assert (event.wish_id, event.solution_id) == ("w-lift", "s-lift")
    assert event.wish.contact_email == "w-lift@archsd.gov.hk"
    assert event.solution.contact_email == "s-lift@hkust.hk"


async def test_accept_may_carry_a_note(matcher):
    match_id = await seed(matcher, "w-lift", "s-lift", 0.8)
    response = await matcher.client.post(f"/v1/matches/{match_id}/accept", headers=EMSD,
                                         json={"reason": "試驗場地：九龍灣總部"})
    assert response.status_code == 200 and response.json()["decision_reason"] == "試驗場地：九龍灣總部"
    assert [e.reason for e in await decided(matcher)] == ["試驗場地：九龍灣總部"]


async def test_reject_requires_a_reason_and_passes_it_on(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    client = matcher_db.client
    for body in ({}, {"reason": None}, {"reason": "   "}, {"reason": "x" * 1001}):
        response = await client.post(f"/v1/matches/{match_id}/reject", headers=EMSD, json=body)
        assert response.status_code == 422 and error_fields(response) == ["reason"], response.text
    no_body = await client.post(f"/v1/matches/{match_id}/reject", headers=EMSD)
    assert no_body.status_code == 422 and "body" in error_fields(no_body)
    assert (await client.get(f"/v1/matches/{match_id}")).json()["status"] == "pending"
    assert await decided(matcher_db) == []

    response = await client.post(f"/v1/matches/{match_id}/reject", headers=EMSD,
                                 json={"reason": "Solution needs TRL 7 or more; 技術成熟度不足"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    [event] = await decided(matcher_db)
    assert (event.decision, event.reason) == ("rejected", "Solution needs TRL 7 or more; 技術成熟度不足")


async def test_deciding_twice_answers_409_and_keeps_the_first_decision(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    client = matcher_db.client
    assert (await client.post(f"/v1/matches/{match_id}/accept", headers=EMSD)).status_code == 200
    again = await client.post(f"/v1/matches/{match_id}/accept", headers=EMSD)
    reverse = await client.post(f"/v1/matches/{match_id}/reject", headers=EMSD,
                                json={"reason": "Changed our mind"})
    for response in (again, reverse):
        assert response.status_code == 409, response.text
        assert error_fields(response) == ["status"] and "accepted" in response.json()["detail"]
    stored = (await client.get(f"/v1/matches/{match_id}")).json()
    assert stored["status"] == "accepted" and stored["decision_reason"] is None
    assert [e.decision for e in await decided(matcher_db)] == ["accepted"]


async def test_deciding_needs_an_emsd_token(matcher):
    match_id = await seed(matcher, "w-lift", "s-lift", 0.8)
    client = matcher.client
    reject = {"reason": "Not suitable"}
    for action, body in (("accept", None), ("reject", reject)):
        url = f"/v1/matches/{match_id}/{action}"
        assert (await client.post(url, json=body)).status_code == 401
        bad = await client.post(url, json=body, headers={"Authorization": "Bearer forged"})
        assert bad.status_code == 401
        for role, org in (("department", "ArchSD"), ("provider", "HKUST")):
            response = await client.post(url, json=body, headers=bearer(role, org))
            assert response.status_code == 403, response.text
            assert error_fields(response) == ["role"]
    assert (await client.get(f"/v1/matches/{match_id}")).json()["status"] == "pending"
    assert await decided(matcher) == []


async def test_of_concurrent_decisions_exactly_one_wins(matcher_db):
    client = matcher_db.client
    for n in range(3):
        match_id = await seed(matcher_db, f"w-{n}", "s-1", 0.8)
        url = f"/v1/matches/{match_id}"
        calls = [client.post(f"{url}/accept", headers=bearer("emsd", f"officer {i}"))
                 for i in range(3)]
        calls += [client.post(f"{url}/reject", headers=bearer("emsd", f"officer {i}"),
                              json={"reason": f"reason {i}"}) for i in range(3, 6)]
        responses = await asyncio.gather(*calls)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409, 409, 409, 409, 409], [r.text for r in responses]
        [winner] = [r.json() for r in responses if r.status_code == 200]
        stored = (await client.get(f"/v1/matches/{match_id}")).json()
        assert (stored["status"], stored["decided_by"]) == (winner["status"], winner["decided_by"])
        events = [e for e in await decided(matcher_db) if e.match_id == match_id]
        assert [(e.decision, e.decided_by) for e in events] == [
            (winner["status"], winner["decided_by"])]


async def test_a_pair_is_stored_and_announced_once(matcher_db):
    first = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    # A replayed event ranks the same pair again, even with another score: nothing new.
    async with matcher_db.runtime.db.transaction() as s:
        assert await store_matches(UnitOfWork(s), [Match("w-lift", "s-lift", 0.9, REASONS)]) == 0
    page = (await matcher_db.client.get("/v1/matches")).json()
    assert [(m["id"], m["score"]) for m in page["items"]] == [(first, 0.8)]
    assert len(await matcher_db.outbox(Subjects.MATCH_FOUND)) == 1
