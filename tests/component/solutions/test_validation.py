"""Bad solutions answer 4xx naming the field and store nothing; roles; no odd input gets a 500."""

import json
from datetime import timedelta

import pytest

from services.solutions.models import KnownWish, Solution, SolutionTerm

from ..conftest import bearer, error_fields, names, token
from .conftest import SOLUTION

PROVIDER = bearer("provider", "Cyberport start-up")

BAD_SOLUTIONS = {
    "trl 0": ({**SOLUTION, "trl": 0}, "trl"),
    "trl 10": ({**SOLUTION, "trl": 10}, "trl"),
    "trl abc": ({**SOLUTION, "trl": "abc"}, "trl"),
    "trl fractional": ({**SOLUTION, "trl": 5.5}, "trl"),
    "trl missing": ({k: v for k, v in SOLUTION.items() if k != "trl"}, "trl"),
    "trl null": ({**SOLUTION, "trl": None}, "trl"),
    "website not a URL": ({**SOLUTION, "website": "our lab page"}, "website"),
    "website javascript": ({**SOLUTION, "website": "javascript:alert(1)"}, "website"),
    "website ftp": ({**SOLUTION, "website": "ftp://files.example.com/x"}, "website"),
    "website too long": ({**SOLUTION, "website": "https://example.com/" + "a" * 600},
                         "website"),
    "wish_id empty": ({**SOLUTION, "wish_id": ""}, "wish_id"),
    "wish_id with NUL": ({**SOLUTION, "wish_id": "w-\x00"}, "wish_id"),
    "wish_id too long": ({**SOLUTION, "wish_id": "w-" + "0" * 100}, "wish_id"),
    "wish_id a number": ({**SOLUTION, "wish_id": 42}, "wish_id"),
    "no complete language": ({**SOLUTION, "description_en": None, "description_zh": None},
                             "description_en"),
    "unknown category": ({**SOLUTION, "categories": ["ai-data-analytics", "magic"]},
                         "categories"),
    "invalid email": ({**SOLUTION, "contact_email": "lab at ust"}, "contact_email"),
    "NUL in description": ({**SOLUTION, "description_zh": "升降機\x00監測系統的說明文字"},
                           "description_zh"),
}


async def assert_nothing_stored(svc) -> None:
    assert await svc.count(Solution.__table__) == 0
    assert await svc.count(SolutionTerm.__table__) == 0
    assert await svc.outbox() == []


@pytest.mark.parametrize("case", BAD_SOLUTIONS)
async def test_bad_solution_answers_422_naming_the_field_and_stores_nothing(solutions, case):
    body, field = BAD_SOLUTIONS[case]
    response = await solutions.client.post("/v1/solutions", json=body, headers=PROVIDER)
    assert response.status_code == 422, response.text
    assert names(response, field), error_fields(response)
    await assert_nothing_stored(solutions)


async def test_malformed_json_answers_400_naming_body(solutions):
    response = await solutions.client.post("/v1/solutions", content=b"{trl: 5}", headers={
        **PROVIDER, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert error_fields(response) == ["body"]
    await assert_nothing_stored(solutions)


async def test_department_submitting_a_solution_answers_403(solutions):
    response = await solutions.client.post("/v1/solutions", json=SOLUTION,
                                           headers=bearer("department", "EMSD"))
    assert response.status_code == 403
    assert error_fields(response) == ["role"]
    await assert_nothing_stored(solutions)


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer " + token("provider", secret="forged-" * 8)},
    {"Authorization": "Bearer " + token("provider", ttl=timedelta(seconds=-1))},
    {"Authorization": "Token abc"},
], ids=["none", "forged", "expired", "garbage"])
async def test_submitting_without_a_valid_token_answers_401(solutions, headers):
    response = await solutions.client.post("/v1/solutions", json=SOLUTION, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_fields(response) == ["authorization"]
    await assert_nothing_stored(solutions)


ODD_VALUES = [10**30, -(10**30), 1.5, 9.0, 1e308, None, True, {"n": 1}, ["x"], "", "\x00",
              "\ud800", "😀" * 300, "x" * 20_000, "http://[::1", "https://例子.香港/路徑"]
FIELDS = ["title_en", "title_zh", "description_en", "categories", "contact_email", "trl",
          "website", "wish_id"]
ODD_QUERIES = [{"trl_min": 10**12}, {"trl_min": -1}, {"trl_min": 4.5}, {"trl_min": ""},
               {"limit": 10**30}, {"offset": -1}, {"offset": 10**12}, {"q": "y" * 10_000},
               {"q": "🦄 升降機 lifts"}, {"q": "\x00"}, {"wish_id": "\x00"},
               {"wish_id": "w-" + "1" * 1000}, {"category": "😀"}]


async def test_no_odd_input_gets_a_500(solutions_db):
    await solutions_db.add(KnownWish(id="w-open", status="open"))
    client = solutions_db.client
    statuses = []
    created = 0
    for field in FIELDS:
        for value in ODD_VALUES:
            response = await client.post("/v1/solutions",
                                         content=json.dumps({**SOLUTION, field: value}).encode(),
                                         headers={**PROVIDER, "Content-Type": "application/json"})
            statuses.append((field, value, response.status_code))
            created += response.status_code == 201
    for params in ODD_QUERIES:
        response = await client.get("/v1/solutions", params=params)
        statuses.append(("list", params, response.status_code))
    for odd in ("%00", "%FF", "z" * 5000, "🦄", "s-" + "0" * 100):
        response = await client.get(f"/v1/solutions/{odd}")
        statuses.append(("get", odd[:20], response.status_code))
        assert response.status_code == 404
    assert [s for s in statuses if s[2] >= 500] == []
    assert len(statuses) > 130
    assert await solutions_db.count(Solution.__table__) == created
    assert len(await solutions_db.outbox()) == created
