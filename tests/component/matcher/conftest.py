"""The matcher in-process (no bus, no relay), its matches seeded as its consumers store them."""

from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from contracts import SolutionRecord, WishRecord
from innoportal.db import Database
from innoportal.settings import CommonSettings
from innoportal.uow import UnitOfWork
from innoportal.testing.harness import running
from services.matcher.bootstrap import bootstrap, create_app
from services.matcher.domain import Match, Matcher, Reason
from services.matcher.models import MatchRow
from services.matcher.repository.records import upsert_record
from services.matcher.service.indexing import store_matches
from services.matcher.settings import MatcherSettings

from ..conftest import TEST_SECRET, UNUSED_NATS, Service, sqlite_url

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
REASONS = (
    Reason("glossary", "passenger lift ↔ 升降機", "any", 0.35),
    Reason("term", "predict", "en", 0.2),
    Reason("category", "building-services", "any", 0.1),
)


@pytest.fixture(scope="session")
def text_parts():
    """The matcher's analyzer and glossary, built once (about a second) for every runtime."""
    matcher = Matcher()
    return {"glossary": matcher.glossary, "analyzer": matcher.analyzer}


@pytest.fixture
def serve_matcher(tmp_path, text_parts):
    """serve_matcher((url, schema)) → async context of the matcher as a Service."""

    @asynccontextmanager
    async def _serve(database):
        url, schema = database
        common = CommonSettings(nats_url=UNUSED_NATS, data_dir=tmp_path, secret_key=TEST_SECRET)
        runtime = bootstrap(MatcherSettings(), common=common, db=Database(url, schema=schema),
                            **text_parts)
        async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
            yield Service(client, runtime)

    return _serve


@pytest.fixture
async def matcher(serve_matcher, tmp_path):
    """The matcher on a SQLite file."""
    async with serve_matcher(sqlite_url(tmp_path, "matcher")) as svc:
        yield svc


@pytest.fixture
async def matcher_db(serve_matcher, database_url):
    """The matcher on each backend: a SQLite file, then the local PostgreSQL."""
    async with serve_matcher(database_url) as svc:
        yield svc


def wish_record(wish_id: str) -> WishRecord:
    """A wish as WishPosted carries it."""
    return WishRecord(id=wish_id, title_en=f"Lift fault prediction {wish_id}",
                      title_zh="升降機故障預測", description_en="Predict passenger lift faults.",
                      categories=["building-services"], contact_email=f"{wish_id}@archsd.gov.hk",
                      owner_org="ArchSD", created_at=T0)


def solution_record(solution_id: str) -> SolutionRecord:
    """A Chinese-only solution as SolutionSubmitted carries it."""
    return SolutionRecord(id=solution_id, title_zh=f"升降機監測 {solution_id}",
                          description_zh="以人工智能預測升降機故障。", categories=["building-services"],
                          contact_email=f"{solution_id}@hkust.hk", owner_org="HKUST", trl=7,
                          created_at=T0)


async def seed(svc: Service, wish_id: str, solution_id: str, score: float) -> str:
    """Store a match as the consumers do (records, row, Matched staged); its id."""
    async with svc.runtime.db.transaction() as s:
        await upsert_record(s, "wish", wish_id, wish_record(wish_id).model_dump_json(), "open")
        await upsert_record(s, "solution", solution_id,
                            solution_record(solution_id).model_dump_json(), "open")
        stored = await store_matches(UnitOfWork(s), [Match(wish_id, solution_id, score, REASONS)])
    assert stored == 1
    async with svc.runtime.db.session() as s:
        return (await s.exec(select(MatchRow.id).where(
            MatchRow.wish_id == wish_id, MatchRow.solution_id == solution_id))).one()
