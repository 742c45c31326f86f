"""A solution's contact email is personal data: only its owner, EMSD and an accepted department
see it."""

from datetime import UTC, datetime, timedelta

import pytest

from services.solutions.models import SolutionAcceptedParty

from ..conftest import bearer, error_fields, token
from .conftest import SOLUTION

OWNER = bearer("provider", "HKUST")
EMSD = bearer("emsd", "EMSD")
ANOTHER_PROVIDER = bearer("provider", "CUHK")
DEPARTMENT = bearer("department", "Housing Department")


async def submitted(svc, headers=OWNER, **changes) -> dict:
    response = await svc.client.post("/v1/solutions", json={**SOLUTION, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def seen(svc, solution_id: str, headers=None) -> tuple[dict, dict]:
    """The solution as `headers` get it, alone and in the catalogue."""
    got = await svc.client.get(f"/v1/solutions/{solution_id}", headers=headers)
    listed = await svc.client.get("/v1/solutions", headers=headers)
    assert got.status_code == listed.status_code == 200, (got.text, listed.text)
    [item] = [s for s in listed.json()["items"] if s["id"] == solution_id]
    return got.json(), item


async def test_the_public_never_sees_the_contact_key(solutions_db):
    solution = await submitted(solutions_db)
    assert solution["contact_email"] == SOLUTION["contact_email"]  # the submitter's 201 shows it
    for body in await seen(solutions_db, solution["id"]):
        assert "contact_email" not in body
        assert body["trl"] == SOLUTION["trl"] and body["owner_org"] == "HKUST"
    found = (await solutions_db.client.get("/v1/solutions", params={"q": "lifts"})).json()
    assert [s["id"] for s in found["items"]] == [solution["id"]]
    assert "contact_email" not in found["items"][0]


@pytest.mark.parametrize("headers", [OWNER, EMSD], ids=["owner", "emsd"])
async def test_owner_and_emsd_see_the_contact(solutions_db, headers):
    solution = await submitted(solutions_db)
    got, item = await seen(solutions_db, solution["id"], headers)
    assert got == item == solution


@pytest.mark.parametrize("headers", [ANOTHER_PROVIDER, DEPARTMENT],
                         ids=["another-provider", "department"])
async def test_others_do_not_see_the_contact(solutions_db, headers):
    solution = await submitted(solutions_db)
    for body in await seen(solutions_db, solution["id"], headers):
        assert "contact_email" not in body


async def test_the_department_of_an_accepted_match_sees_the_contact(solutions_db):
    solution = await submitted(solutions_db)
    other = await submitted(solutions_db, title_en="Another lift idea")
    # The row the MatchDecided consumer writes when EMSD accepts a match of `solution` with a
    # wish of Housing Department (tests/integration/solutions drives the consumer).
    await solutions_db.add(SolutionAcceptedParty(record_id=solution["id"], match_id="m-1",
                                                 org="Housing Department",
                                                 accepted_at=datetime.now(UTC)))
    for body in await seen(solutions_db, solution["id"], DEPARTMENT):
        assert body["contact_email"] == SOLUTION["contact_email"]
    for body in await seen(solutions_db, other["id"], DEPARTMENT):
        assert "contact_email" not in body
    highways = bearer("department", "Highways Department")
    for body in await seen(solutions_db, solution["id"], highways):
        assert "contact_email" not in body


@pytest.mark.parametrize("header", [
    "Bearer " + token("provider", "HKUST", secret="another-secret-another-secret-another-secret"),
    "Bearer " + token("provider", "HKUST", ttl=timedelta(seconds=-30)),
    "Bearer garbage",
    "Token abc",
], ids=["forged", "expired", "garbage", "other-scheme"])
async def test_an_invalid_token_on_a_read_answers_401(solutions, header):
    solution = await submitted(solutions)
    for url in (f"/v1/solutions/{solution['id']}", "/v1/solutions"):
        response = await solutions.client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, (url, response.text)
        assert error_fields(response) == ["authorization"]
        assert "contact_email" not in response.text
