"""Contacts in match views: EMSD sees both; a party sees its own side, and the other side once the
match is accepted; the public sees neither."""

import pytest

from ..conftest import bearer, error_fields, token
from .conftest import seed

EMSD = bearer("emsd", "EMSD")
WISH_OWNER = bearer("department", "ArchSD")  # seed(): wishes of ArchSD, solutions of HKUST
SOLUTION_OWNER = bearer("provider", "HKUST")
OUTSIDER = bearer("provider", "CUHK")
WISH_CONTACT, SOLUTION_CONTACT = "w-lift@archsd.gov.hk", "s-lift@hkust.hk"


def contacts(match: dict) -> tuple[str | None, str | None]:
    """(wish contact, solution contact) as shown; None where the key is absent."""
    return match["wish"].get("contact_email"), match["solution"].get("contact_email")


async def views(svc, match_id: str, headers=None) -> list[tuple[str | None, str | None]]:
    """The contacts `headers` see in the match alone and in the list."""
    got = await svc.client.get(f"/v1/matches/{match_id}", headers=headers)
    listed = await svc.client.get("/v1/matches", headers=headers)
    assert got.status_code == listed.status_code == 200, (got.text, listed.text)
    [item] = [m for m in listed.json()["items"] if m["id"] == match_id]
    return [contacts(got.json()), contacts(item)]


def twice(pair):
    return [pair, pair]


async def test_while_pending_each_party_sees_only_its_own_side(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    assert await views(matcher_db, match_id) == twice((None, None))
    assert await views(matcher_db, match_id, OUTSIDER) == twice((None, None))
    assert await views(matcher_db, match_id, EMSD) == twice((WISH_CONTACT, SOLUTION_CONTACT))
    assert await views(matcher_db, match_id, WISH_OWNER) == twice((WISH_CONTACT, None))
    assert await views(matcher_db, match_id, SOLUTION_OWNER) == twice((None, SOLUTION_CONTACT))
    public = (await matcher_db.client.get(f"/v1/matches/{match_id}")).json()
    assert public["wish"] == {"id": "w-lift", "title_en": "Lift fault prediction w-lift",
                              "title_zh": "升降機故障預測", "owner_org": "ArchSD"}
    assert public["solution"]["owner_org"] == "HKUST" and "contact_email" not in public["solution"]


async def test_once_accepted_both_parties_see_each_other(matcher_db):
    match_id = await seed(matcher_db, "w-lift", "s-lift", 0.8)
    accepted = await matcher_db.client.post(f"/v1/matches/{match_id}/accept", headers=EMSD)
    assert accepted.status_code == 200, accepted.text
    assert contacts(accepted.json()) == (WISH_CONTACT, SOLUTION_CONTACT)  # to EMSD
    both = twice((WISH_CONTACT, SOLUTION_CONTACT))
    assert await views(matcher_db, match_id, WISH_OWNER) == both
    assert await views(matcher_db, match_id, SOLUTION_OWNER) == both
    assert await views(matcher_db, match_id, EMSD) == both
    assert await views(matcher_db, match_id) == twice((None, None))
    assert await views(matcher_db, match_id, OUTSIDER) == twice((None, None))


async def test_once_rejected_each_party_still_sees_only_its_own_side(matcher):
    match_id = await seed(matcher, "w-lift", "s-lift", 0.8)
    rejected = await matcher.client.post(f"/v1/matches/{match_id}/reject", headers=EMSD,
                                         json={"reason": "Out of scope"})
    assert rejected.status_code == 200, rejected.text
    assert contacts(rejected.json()) == (WISH_CONTACT, SOLUTION_CONTACT)  # to EMSD
    assert await views(matcher, match_id, WISH_OWNER) == twice((WISH_CONTACT, None))
    assert await views(matcher, match_id, SOLUTION_OWNER) == twice((None, SOLUTION_CONTACT))
    assert await views(matcher, match_id) == twice((None, None))


async def test_acceptance_of_one_match_shows_nothing_of_another(matcher):
    accepted = await seed(matcher, "w-lift", "s-lift", 0.8)
    pending = await seed(matcher, "w-lift", "s-other", 0.6)
    assert (await matcher.client.post(f"/v1/matches/{accepted}/accept",
                                      headers=EMSD)).status_code == 200
    page = (await matcher.client.get("/v1/matches", headers=WISH_OWNER)).json()
    shown = {m["id"]: contacts(m) for m in page["items"]}
    assert shown == {accepted: (WISH_CONTACT, SOLUTION_CONTACT), pending: (WISH_CONTACT, None)}


@pytest.mark.parametrize("header", [
    "Bearer " + token("emsd", secret="another-secret-another-secret-another-secret"),
    "Bearer garbage",
    "Bearer ",
], ids=["forged", "garbage", "empty"])
async def test_an_invalid_token_on_a_read_answers_401(matcher, header):
    match_id = await seed(matcher, "w-lift", "s-lift", 0.8)
    for url in (f"/v1/matches/{match_id}", "/v1/matches"):
        response = await matcher.client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, (url, response.text)
        assert error_fields(response) == ["authorization"]
