"""Odd inputs to every wishes endpoint answer below 500, and a record is stored whole or not at all."""

import json

from services.wishes.models import Wish, WishTerm

from ..conftest import bearer
from .conftest import WISH

DEPT = bearer("department", "Highways Department")

ODD_VALUES = [
    10**30, -(10**30), 2**63, 1.5, 1e308, -0.0, None, True, {"en": "nested"}, [1, 2], [],
    "", " ", "\x00", "\ud800", "😀" * 60, "升" * 3, "x" * 20_000, "9999-12-31", "0000-00-00",
    "<script>alert(1)</script>", "' OR 1=1 --",
]
FIELDS = ["title_en", "title_zh", "description_en", "description_zh", "categories",
          "contact_email", "budget_hkd", "closes_on", "venue_note"]

ODD_RAW_BODIES = [
    b'{"budget_hkd": 1' + b"0" * 5000 + b"}",  # beyond Python's int-parsing digit limit
    b'{"budget_hkd": NaN}', b'{"budget_hkd": Infinity}', b"[" * 5000 + b"]" * 5000,
    b'{"title_en": "\\ud800\\udc00x"}', b"\xff\xfe{}", b"null", b"", b'{"a":1}{"b":2}',
    json.dumps({**WISH, "categories": [["building-services"]]}).encode(),
]

ODD_QUERIES = [
    {"limit": -1}, {"limit": 10**12}, {"limit": 1.5}, {"limit": ""}, {"offset": -1},
    {"offset": 10**12}, {"offset": 10**30}, {"offset": "nan"}, {"q": "x" * 10_000},
    {"q": "😀🚀"}, {"q": "\x00"}, {"q": "%"}, {"q": "_"}, {"q": "' OR 1=1 --"},
    {"q": "的 the of 了"}, {"q": "升" * 200}, {"category": "x" * 10_000}, {"category": ""},
    {"status": "deleted"}, {"status": ["open", "closed"]}, {"q": "lift", "limit": 100,
                                                           "offset": 100_000},
]



def as_json(payload) -> dict:
    """Request kwargs sending `payload` as JSON text, escaping what httpx would refuse (\\ud800)."""
    return {"content": json.dumps(payload).encode(),
            "headers": {**DEPT, "Content-Type": "application/json"}}


ODD_IDS = ["%00", "%FF", "x" * 5000, "😀", "..", "w-" + "0" * 100, "%20", "' OR 1=1 --"]


async def test_no_odd_input_gets_a_500(wishes_db):
    client = wishes_db.client
    statuses: list[tuple[str, object, int]] = []
    created = 0
    for field in FIELDS:
        for value in ODD_VALUES:
            response = await client.post("/v1/wishes", **as_json({**WISH, field: value}))
            statuses.append((field, value, response.status_code))
            created += response.status_code == 201
    for raw in ODD_RAW_BODIES:
        response = await client.post("/v1/wishes", content=raw, headers={
            **DEPT, "Content-Type": "application/json"})
        statuses.append(("raw", raw[:30], response.status_code))
        created += response.status_code == 201
    for params in ODD_QUERIES:
        response = await client.get("/v1/wishes", params=params)
        statuses.append(("list", params, response.status_code))
    wish_id = (await client.post("/v1/wishes", json=WISH, headers=DEPT)).json()["id"]
    created += 1
    for odd in ODD_IDS:
        for response in (await client.get(f"/v1/wishes/{odd}"),
                         await client.post(f"/v1/wishes/{odd}/close", headers=DEPT)):
            statuses.append(("id", odd[:30], response.status_code))
            assert response.status_code == 404, (odd, response.text)
    for reason in ODD_VALUES:
        response = await client.post(f"/v1/wishes/{wish_id}/close",
                                     **as_json({"reason": reason}))
        statuses.append(("close", reason, response.status_code))

    assert [s for s in statuses if s[2] >= 500] == []
    assert all(s[2] < 500 for s in statuses) and len(statuses) > 250
    # Every 201 stored one wish with its event; every refusal stored nothing.
    assert await wishes_db.count(Wish.__table__) == created
    assert len(await wishes_db.outbox("innoportal.wish.posted")) == created
    assert len(await wishes_db.outbox("innoportal.wish.closed")) <= 1
    terms = await wishes_db.count(WishTerm.__table__)
    assert terms >= created


async def test_odd_but_valid_texts_are_stored_as_given(wishes_db):
    body = {**WISH, "title_en": "Lift 😀 <b>fault</b> ' OR 1=1 --", "title_zh": "電梯﹣升降機"}
    response = await wishes_db.client.post("/v1/wishes", json=body, headers=DEPT)
    assert response.status_code == 201, response.text
    stored = (await wishes_db.client.get(f"/v1/wishes/{response.json()['id']}")).json()
    assert stored["title_en"] == body["title_en"] and stored["title_zh"] == body["title_zh"]
