"""A wish's contact email is personal data: only its owner, EMSD and an accepted provider see it."""

from datetime import UTC, datetime, timedelta

import pytest

from services.wishes.models import WishAcceptedParty

from ..conftest import bearer, error_fields, token
from .conftest import WISH

OWNER = bearer("department", "Drainage Services Department")
EMSD = bearer("emsd", "EMSD")
ANOTHER_DEPARTMENT = bearer("department", "Highways Department")
PROVIDER = bearer("provider", "HKUST")


async def posted(svc, headers=OWNER, **changes) -> dict:
    response = await svc.client.post("/v1/wishes", json={**WISH, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def seen(svc, wish_id: str, headers=None) -> tuple[dict, dict]:
    """The wish as `headers` get it, alone and in the list."""
    got = await svc.client.get(f"/v1/wishes/{wish_id}", headers=headers)
    listed = await svc.client.get("/v1/wishes", headers=headers)
    assert got.status_code == listed.status_code == 200, (got.text, listed.text)
    [item] = [w for w in listed.json()["items"] if w["id"] == wish_id]
    return got.json(), item


async def test_the_public_never_sees_the_contact_key(wishes_db):
    wish = await posted(wishes_db)
    assert wish["contact_email"] == WISH["contact_email"]  # the creator's 201 shows it
    for body in await seen(wishes_db, wish["id"]):
        assert "contact_email" not in body
        assert body["title_zh"] == WISH["title_zh"] and body["owner_org"] == wish["owner_org"]
    searched = (await wishes_db.client.get("/v1/wishes", params={"q": "升降機"})).json()
    assert [w["id"] for w in searched["items"]] == [wish["id"]]
    assert "contact_email" not in searched["items"][0]


@pytest.mark.parametrize("headers", [OWNER, EMSD], ids=["owner", "emsd"])
async def test_owner_and_emsd_see_the_contact(wishes_db, headers):
    wish = await posted(wishes_db)
    for body in await seen(wishes_db, wish["id"], headers):
        assert body["contact_email"] == WISH["contact_email"]
    got, _ = await seen(wishes_db, wish["id"], headers)
    assert got == wish


@pytest.mark.parametrize("headers", [ANOTHER_DEPARTMENT, PROVIDER, bearer("provider", "Drainage")],
                         ids=["another-department", "provider", "similar-name"])
async def test_others_do_not_see_the_contact(wishes_db, headers):
    wish = await posted(wishes_db)
    for body in await seen(wishes_db, wish["id"], headers):
        assert "contact_email" not in body


async def test_a_page_shows_each_wish_as_its_caller_may_see_it(wishes_db):
    mine = await posted(wishes_db, title_en="Mine")
    theirs = await posted(wishes_db, headers=ANOTHER_DEPARTMENT, title_en="Theirs")
    accepted = await posted(wishes_db, headers=ANOTHER_DEPARTMENT, title_en="Accepted")
    # The row the MatchDecided consumer writes when EMSD accepts a match of `accepted` with a
    # solution of Drainage Services Department (tests/integration/wishes drives the consumer).
    await wishes_db.add(WishAcceptedParty(record_id=accepted["id"], match_id="m-1",
                                          org="Drainage Services Department",
                                          accepted_at=datetime.now(UTC)))
    page = (await wishes_db.client.get("/v1/wishes", headers=OWNER)).json()
    shown = {w["id"]: "contact_email" in w for w in page["items"]}
    assert shown == {mine["id"]: True, theirs["id"]: False, accepted["id"]: True}
    page = (await wishes_db.client.get("/v1/wishes", headers=PROVIDER)).json()
    assert not any("contact_email" in w for w in page["items"])
    page = (await wishes_db.client.get("/v1/wishes", headers=EMSD)).json()
    assert all(w["contact_email"] == WISH["contact_email"] for w in page["items"])


async def test_the_other_party_of_an_accepted_match_sees_the_contact(wishes_db):
    wish = await posted(wishes_db)
    await wishes_db.add(WishAcceptedParty(record_id=wish["id"], match_id="m-1", org="HKUST",
                                          accepted_at=datetime.now(UTC)))
    for body in await seen(wishes_db, wish["id"], PROVIDER):
        assert body["contact_email"] == WISH["contact_email"]
    for body in await seen(wishes_db, wish["id"], bearer("provider", "CUHK")):
        assert "contact_email" not in body


async def test_closing_answers_the_owner_with_the_contact(wishes):
    wish = await posted(wishes)
    closed = await wishes.client.post(f"/v1/wishes/{wish['id']}/close", headers=OWNER)
    assert closed.status_code == 200 and closed.json()["contact_email"] == WISH["contact_email"]
    got = (await wishes.client.get(f"/v1/wishes/{wish['id']}")).json()
    assert got["status"] == "closed" and "contact_email" not in got


@pytest.mark.parametrize("header", [
    "Bearer " + token("department", "Drainage Services Department",
                      secret="another-secret-another-secret-another-secret"),
    "Bearer " + token("department", "Drainage Services Department",
                      ttl=timedelta(seconds=-30)),
    "Bearer garbage",
    "Bearer ",
    "Basic ZGVwdDpwYXNzd29yZA==",
], ids=["forged", "expired", "garbage", "empty", "basic"])
async def test_an_invalid_token_on_a_read_answers_401_not_the_public_view(wishes, header):
    wish = await posted(wishes)
    for url in (f"/v1/wishes/{wish['id']}", "/v1/wishes"):
        response = await wishes.client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, (url, response.text)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert error_fields(response) == ["authorization"]
        assert "contact_email" not in response.text

