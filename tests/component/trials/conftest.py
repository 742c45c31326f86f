"""The trials store on each backend (a SQLite file, a fresh PostgreSQL schema), seeded."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts import MatchDecided, MatchParty
from innoportal.db import Database
from innoportal.outbox import OUTBOX_TABLES
from innoportal.uow import unit_of_work
from services.trials import service
from services.trials.domain import Actor
from services.trials.models import TRIALS_TABLES
from services.trials.repository import TrialsRepository

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
EMSD = Actor("EMSD", "emsd")
PROVIDER = Actor("HKUST", "provider")
KPIS = [
    {
        "name": "Energy saved",
        "unit": "kWh/day",
        "baseline": 0,
        "target": 12,
        "direction": "increase",
    },
    {"name": "Fault rate 故障率", "unit": "%", "baseline": 5, "target": 2, "direction": "decrease"},
]


@pytest.fixture
async def db(database_url):
    url, schema = database_url
    database = Database(url, schema=schema)
    await database.create_all([*TRIALS_TABLES, *OUTBOX_TABLES])
    async with database.transaction() as s:
        await TrialsRepository(s).seed_venues()
    yield database
    await database.dispose()


def decided(
    match_id: str,
    decision: str = "accepted",
    *,
    at: datetime = T0 - 30 * DAY,
    provider: str = PROVIDER.org,
) -> MatchDecided:
    return MatchDecided(
        occurred_at=at,
        match_id=match_id,
        wish_id=f"w-{match_id}",
        solution_id=f"s-{match_id}",
        decision=decision,
        decided_by="EMSD",
        wish=MatchParty(
            id=f"w-{match_id}",
            title_en="Lift fault prediction",
            title_zh="升降機故障預測",
            contact_email="w@asd.gov.hk",
            owner_org="ArchSD",
        ),
        solution=MatchParty(
            id=f"s-{match_id}",
            title_en="AI lift monitoring",
            title_zh="人工智能升降機監測",
            contact_email="s@ust.hk",
            owner_org=provider,
        ),
    )


async def accept(db: Database, match_id: str, decision: str = "accepted", **kwargs) -> None:
    async with unit_of_work(db) as uow:
        await service.record_match_decision(uow, decided(match_id, decision, **kwargs))


async def open_trial(
    db: Database,
    match_id: str,
    start: datetime = T0,
    end: datetime = T0 + 30 * DAY,
    venue_id: str = "v-emsd-hq",
    accept_first: bool = True,
):
    if accept_first:
        await accept(db, match_id)
    async with unit_of_work(db) as uow:
        view = await service.open_trial(
            uow,
            by=EMSD,
            match_id=match_id,
            venue_id=venue_id,
            planned_start=start,
            planned_end=end,
            kpis=KPIS,
            now=T0 - 7 * DAY,
        )
    return view.trial


# The trials HTTP service in-process (tests/component/conftest.py's `serve`).
PUBLIC_URL = "https://innoportal.example.hk/trials"


def trials_settings(**changes):
    from services.trials.settings import TrialsSettings

    return TrialsSettings(public_url=PUBLIC_URL, **{"report_pdf": False, **changes})


@pytest.fixture
async def api(serve, tmp_path):
    """The trials service on a SQLite file (reports without PDF, which is slow to draw)."""
    from services.trials.bootstrap import bootstrap, create_app

    from ..conftest import sqlite_url

    database = sqlite_url(tmp_path, "trials")
    async with serve(bootstrap, create_app, trials_settings(), database) as svc:
        yield svc


@pytest.fixture
async def api_db(serve, database_url):
    """The trials service on each backend (a SQLite file, then the local PostgreSQL), with PDFs."""
    from services.trials.bootstrap import bootstrap, create_app

    async with serve(bootstrap, create_app, trials_settings(report_pdf=True), database_url) as svc:
        yield svc


async def accept_match(svc, match_id: str, decision: str = "accepted", **kwargs) -> None:
    """Record EMSD's decision on a match in the service, as its MatchDecided consumer would."""
    async with unit_of_work(svc.runtime.db) as uow:
        await service.record_match_decision(uow, decided(match_id, decision, **kwargs))
