"""GET /v1/wishes?owner_org=: one department's own wishes, for its workspace."""

from ..conftest import bearer, error_fields
from .conftest import WISH

ARCHSD = "Architectural Services Department"
WSD = "水務署"


async def post(svc, org: str, **changes) -> str:
    answer = await svc.client.post("/v1/wishes", json={**WISH, **changes},
                                   headers=bearer("department", org))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_owner_org_lists_exactly_one_organisations_wishes(wishes_db):
    svc = wishes_db
    mine = [await post(svc, ARCHSD), await post(svc, ARCHSD, title_en="Chiller fouling alerts")]
    await post(svc, WSD)
    await post(svc, "Architectural Services")  # a prefix of the name is another organisation
    closed = await svc.client.post(f"/v1/wishes/{mine[0]}/close", headers=bearer("department",
                                                                                  ARCHSD))
    assert closed.status_code == 200, closed.text

    page = (await svc.client.get("/v1/wishes", params={"owner_org": ARCHSD})).json()
    assert [w["id"] for w in page["items"]] == mine[::-1] and page["total"] == 2
    assert {w["owner_org"] for w in page["items"]} == {ARCHSD}
    assert all("contact_email" not in w for w in page["items"])  # the public view stays public

    own = await svc.client.get("/v1/wishes", params={"owner_org": ARCHSD},
                               headers=bearer("department", ARCHSD))
    assert [w["contact_email"] for w in own.json()["items"]] == [WISH["contact_email"]] * 2

    water = (await svc.client.get("/v1/wishes", params={"owner_org": f" {WSD} "})).json()
    assert water["total"] == 1 and water["items"][0]["owner_org"] == WSD
    both = {"owner_org": ARCHSD, "status": "open"}
    assert [w["id"] for w in (await svc.client.get("/v1/wishes", params=both)).json()["items"]] \
        == [mine[1]]
    searched = {"owner_org": ARCHSD, "q": "chiller"}
    assert (await svc.client.get("/v1/wishes", params=searched)).json()["total"] == 1
    nobody = await svc.client.get("/v1/wishes", params={"owner_org": "architectural services "
                                                                     "department"})
    assert nobody.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


async def test_a_bad_owner_org_answers_422_naming_it(wishes):
    for bad in ("x" * 101, "EMSD\x00", "Two\nlines", "   "):
        answer = await wishes.client.get("/v1/wishes", params={"owner_org": bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert error_fields(answer) == ["owner_org"]
