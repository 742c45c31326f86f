"""Every 4xx of every service in the reader's language: a corpus of bad requests, one per kind of
error, each sent with Accept-Language zh-HK (every message must be Chinese), en and none (the
English answer, unchanged). A message the catalogue (innoportal/i18n_zh.py) lacks fails here."""

from datetime import timedelta

from sqlmodel import select

from contracts import SolutionRecord, WishRecord, utcnow
from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running
from innoportal.uow import UnitOfWork
from services.matcher.bootstrap import bootstrap as matcher_bootstrap
from services.matcher.bootstrap import create_app as matcher_app
from services.matcher.domain import Match, Reason
from services.matcher.models import MatchRow
from services.matcher.repository.records import upsert_record
from services.matcher.service.indexing import store_matches
from services.matcher.settings import MatcherSettings
from services.solutions.bootstrap import bootstrap as solutions_bootstrap
from services.solutions.bootstrap import create_app as solutions_app
from services.solutions.models import KnownWish
from services.solutions.settings import SolutionsSettings
from services.wishes.bootstrap import bootstrap as wishes_bootstrap
from services.wishes.bootstrap import create_app as wishes_app
from services.wishes.settings import WishesSettings

from .conftest import TEST_SECRET, UNUSED_NATS, bearer, sqlite_url
from .error_corpus import (
    LONG,
    Bad,
    check,
    get,
    owner_filter_errors,
    post,
    request_errors,
    survey_errors,
)

WISH = {"title_en": "Lift fault prediction", "description_en": "Predict lift faults early.",
        "categories": ["building-services"], "contact_email": "lifts@emsd.gov.hk"}
SOLUTION = {"title_zh": "升降機監測", "description_zh": "以感應器預測升降機故障。",
            "categories": ["building-services"], "contact_email": "lab@ust.hk", "trl": 6}


def record_errors(collection: str, role: str, valid: dict) -> list[Bad]:
    """The bilingual record's field errors (innoportal/fields.py, records.py) and list filters."""
    path = f"/v1/{collection}"
    bad_types = {"title_en": 5, "description_en": ["x"], "categories": "building-services",
                 "contact_email": 7}
    bad_values = {"title_en": "a", "title_zh": LONG, "description_en": "abc",
                  "description_zh": "描述\x00" * 3, "categories": ["lifts", "building-services"],
                  "contact_email": "no-at-sign"}
    return [
        post(path, 422, bad_types, role=role),
        post(path, 422, bad_values, role=role),
        post(path, 422, {**valid, "title_en": "Two\nlines", "categories": []}, role=role),
        post(path, 422, {**valid, "categories": ["building-services"] * 2}, role=role),
        post(path, 422, {**valid, "categories": ["building-services", "iot-sensors", "energy",
                                                 "water", "transport", "smart-city"]}, role=role),
        post(path, 422, {**valid, "contact_email": "a@b"}, role=role),
        post(path, 422, {**valid, "contact_email": "a b@c.hk"}, role=role),
        post(path, 422, {**valid, "contact_email": "a@@c.hk"}, role=role),
        post(path, 422, {**valid, "contact_email": "x" * 250 + "@c.hk"}, role=role),
        post(path, 422, {"categories": valid["categories"], "contact_email": "a@b.hk",
                         "title_en": "Lift"}, role=role),
        post(path, 422, {"categories": valid["categories"], "contact_email": "a@b.hk",
                         "description_zh": "預測升降機故障"}, role=role),
        post(path, 422, {"categories": valid["categories"], "contact_email": "a@b.hk"}, role=role),
        get(f"{path}?category=lifts&q={'x' * 201}&limit=0&offset=-1", 422),
        get(f"{path}?limit=101&offset=100001", 422),
        get(f"{path}?limit=many", 422),
        get(f"{path}/no-such-id", 404),
        get(path, 401, headers={"Authorization": "Bearer abc"}),
        get(f"{path}/{'x' * 41}", 404),
    ]


async def test_wishes_answer_every_error_in_chinese(serve, tmp_path):
    async with serve(wishes_bootstrap, wishes_app, WishesSettings(),
                     sqlite_url(tmp_path, "wishes")) as svc:
        posted = await svc.client.post("/v1/wishes", json=WISH,
                                       headers=bearer("department", "ArchSD"))
        closed = await svc.client.post("/v1/wishes", json=WISH, headers=bearer("department"))
        wish_id, closed_id = posted.json()["id"], closed.json()["id"]
        await svc.client.post(f"/v1/wishes/{closed_id}/close", headers=bearer("department"))
        yesterday = (utcnow() + timedelta(hours=8) - timedelta(days=1)).date().isoformat()
        corpus = [
            *request_errors("wishes", "department", WISH),
            *record_errors("wishes", "department", WISH),
            *owner_filter_errors("wishes"),
            post("/v1/wishes", 422, {**WISH, "closes_on": yesterday}, role="department"),
            post("/v1/wishes", 422, {**WISH, "closes_on": "soon", "budget_hkd": -1,
                                     "venue_note": "x" * 1001}, role="department"),
            post("/v1/wishes", 422, {**WISH, "closes_on": "2027-01-01T10:00:00",
                                     "budget_hkd": 10**12}, role="department"),
            post("/v1/wishes", 422, {**WISH, "budget_hkd": 1.5, "venue_note": 5},
                 role="department"),
            post("/v1/wishes", 422, {**WISH, "budget_hkd": "much"}, role="department"),
            get("/v1/wishes?status=maybe", 422),
            post(f"/v1/wishes/{wish_id}/close", 403, role="department"),
            post(f"/v1/wishes/{closed_id}/close", 409, role="department"),
            post("/v1/wishes/w-nothing/close", 404, role="department"),
            post(f"/v1/wishes/{wish_id}/close", 422, {"reason": "x" * 1001}, role="department",
                 org="ArchSD"),
            post(f"/v1/wishes/{wish_id}/close", 401, role=None),
        ]
        for bad in corpus:
            await check(svc.client, bad)


async def test_solutions_answer_every_error_in_chinese(serve, tmp_path):
    async with serve(solutions_bootstrap, solutions_app, SolutionsSettings(),
                     sqlite_url(tmp_path, "solutions")) as svc:
        await svc.add(KnownWish(id="w-closed", status="closed"))
        long_url = "https://example.hk/" + "a" * 500
        corpus = [
            *request_errors("solutions", "provider", SOLUTION),
            *record_errors("solutions", "provider", SOLUTION),
            *owner_filter_errors("solutions"),
            post("/v1/solutions", 422, {**SOLUTION, "trl": 0, "website": "not a url",
                                        "wish_id": "w x"}, role="provider"),
            post("/v1/solutions", 422, {**SOLUTION, "trl": 10, "website": "ftp://example.hk"},
                 role="provider"),
            post("/v1/solutions", 422, {**SOLUTION, "trl": "six", "website": long_url},
                 role="provider"),
            post("/v1/solutions", 422, {**SOLUTION, "trl": None}, role="provider"),
            post("/v1/solutions", 422, {**SOLUTION, "wish_id": "w-unknown"}, role="provider"),
            post("/v1/solutions", 422, {**SOLUTION, "wish_id": "w-closed"}, role="provider"),
            get("/v1/solutions?trl_min=0&wish_id=a%20b", 422),
            get("/v1/solutions?trl_min=x", 422),
        ]
        for bad in corpus:
            await check(svc.client, bad)


async def seed_match(runtime, wish_id: str, solution_id: str) -> str:
    """A pending match, stored as the matcher's consumers store one; its id."""
    wish = WishRecord(id=wish_id, title_en="Lift fault prediction",
                      description_en="Predict faults.", categories=["building-services"],
                      contact_email="w@emsd.gov.hk", owner_org="EMSD", created_at=utcnow())
    solution = SolutionRecord(id=solution_id, title_zh="升降機監測", description_zh="預測升降機故障。",
                              categories=["building-services"], contact_email="s@ust.hk",
                              owner_org="HKUST", trl=7, created_at=utcnow())
    reasons = (Reason("category", "building-services", "any", 0.1),)
    async with runtime.db.transaction() as s:
        await upsert_record(s, "wish", wish_id, wish.model_dump_json(), "open")
        await upsert_record(s, "solution", solution_id, solution.model_dump_json(), "open")
        await store_matches(UnitOfWork(s), [Match(wish_id, solution_id, 0.8, reasons)])
    async with runtime.db.session() as s:
        return (await s.exec(select(MatchRow.id).where(MatchRow.wish_id == wish_id))).one()


async def test_matcher_answers_every_error_in_chinese(tmp_path):
    common = CommonSettings(nats_url=UNUSED_NATS, data_dir=tmp_path, secret_key=TEST_SECRET)
    url, _ = sqlite_url(tmp_path, "matcher")
    runtime = matcher_bootstrap(MatcherSettings(), common=common, db=Database(url))
    async with running(runtime, matcher_app(runtime), bus=False, relay=False) as client:
        decided = await seed_match(runtime, "w-1", "s-1")
        pending = await seed_match(runtime, "w-2", "s-2")
        accepted = await client.post(f"/v1/matches/{decided}/accept", headers=bearer("emsd"))
        assert accepted.status_code == 200, accepted.text
        corpus = [
            *request_errors(f"matches/{pending}/reject", "emsd", {"reason": "Out of scope."}),
            post(f"/v1/matches/{decided}/accept", 409),
            post(f"/v1/matches/{decided}/reject", 409, {"reason": "Changed our mind."}),
            post("/v1/matches/m-nothing/accept", 404),
            post(f"/v1/matches/{pending}/reject", 422, {"reason": "  "}),
            post(f"/v1/matches/{pending}/reject", 422, {"reason": "x" * 1001}),
            post(f"/v1/matches/{pending}/accept", 422, {"reason": 5}),
            post(f"/v1/matches/{pending}/accept", 403, role="provider"),
            get("/v1/matches/m-nothing", 404),
            get(f"/v1/matches?wish_id={'x' * 41}&solution_id=%01&status=maybe", 422),
            get("/v1/matches?limit=0&offset=x", 422),
            *survey_errors("w-1", "s-1"),
        ]
        for bad in corpus:
            await check(client, bad)
