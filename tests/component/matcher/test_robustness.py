"""Odd ids in the matcher's paths and filters answer 4xx, on each backend, and decide nothing."""

from contracts import Subjects

from ..conftest import bearer, names
from .conftest import seed

EMSD = bearer("emsd", "EMSD")
ODD_IDS = ["%00", "a%00b", "%FF", "%C3%28", "x" * 5000, "😀", "%0A", "%20", "' OR 1=1 --"]


async def test_an_id_filter_with_nul_or_non_ascii_text_is_refused_naming_it(matcher_db):
    # A NUL in ?wish_id= reached PostgreSQL, which refuses NUL in text: 500.
    await seed(matcher_db, "w-1", "s-1", 0.8)
    for param in ("wish_id", "solution_id"):
        for value in ("\x00", "w-1\x00", "\x00" * 40, "升降機", "w-1\x7f"):
            response = await matcher_db.client.get("/v1/matches", params={param: value})
            assert response.status_code == 422, (param, value, response.text)
            assert names(response, param), response.text
    # Printable ids still filter as before.
    found = (await matcher_db.client.get("/v1/matches", params={"wish_id": "w-1"})).json()
    assert found["total"] == 1
    none = (await matcher_db.client.get("/v1/matches", params={"wish_id": "w 1 ~"})).json()
    assert none["total"] == 0


async def test_odd_match_ids_are_not_found(matcher_db):
    await seed(matcher_db, "w-1", "s-1", 0.8)
    client = matcher_db.client
    for odd in ODD_IDS:
        answers = [await client.get(f"/v1/matches/{odd}"),
                   await client.post(f"/v1/matches/{odd}/accept", headers=EMSD),
                   await client.post(f"/v1/matches/{odd}/reject", headers=EMSD,
                                     json={"reason": "Not a fit"})]
        assert [a.status_code for a in answers] == [404, 404, 404], (odd, answers[0].text)
    assert await matcher_db.outbox(Subjects.MATCH_DECIDED) == []
