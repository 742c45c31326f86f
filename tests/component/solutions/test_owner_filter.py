"""GET /v1/solutions?owner_org=: one provider's own solutions, for its workspace."""

from ..conftest import bearer, error_fields
from .conftest import SOLUTION


async def submit(svc, org: str, **changes) -> str:
    answer = await svc.client.post("/v1/solutions", json={**SOLUTION, **changes},
                                   headers=bearer("provider", org))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_owner_org_lists_exactly_one_providers_solutions(solutions_db):
    svc = solutions_db
    mine = [await submit(svc, "HKUST"), await submit(svc, "HKUST", trl=8)]
    await submit(svc, "Rival Robotics Ltd")
    await submit(svc, "hkust")  # another spelling is another organisation

    page = (await svc.client.get("/v1/solutions", params={"owner_org": "HKUST"})).json()
    assert [s["id"] for s in page["items"]] == mine[::-1] and page["total"] == 2
    assert all("contact_email" not in s for s in page["items"])
    own = await svc.client.get("/v1/solutions", params={"owner_org": "HKUST"},
                               headers=bearer("provider", "HKUST"))
    assert all(s["contact_email"] == SOLUTION["contact_email"] for s in own.json()["items"])
    ready = {"owner_org": "HKUST", "trl_min": 7}
    assert [s["id"] for s in (await svc.client.get("/v1/solutions", params=ready)).json()[
        "items"]] == [mine[1]]
    everyone = (await svc.client.get("/v1/solutions")).json()
    assert everyone["total"] == 4


async def test_a_bad_owner_org_answers_422_naming_it(solutions):
    for bad in ("x" * 101, "\x07", ""):
        answer = await solutions.client.get("/v1/solutions", params={"owner_org": bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert error_fields(answer) == ["owner_org"]
