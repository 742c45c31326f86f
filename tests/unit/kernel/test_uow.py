"""The kernel's unit of work: a record and its staged events commit together, or neither does."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from contracts import WishClosed
from innoportal.db import Database
from innoportal.outbox import OUTBOX_TABLES, OutboxMessage
from innoportal.uow import UnitOfWork, unit_of_work


async def _outbox_count(db: Database) -> int:
    async with db.session() as s:
        return (await s.exec(select(func.count()).select_from(OutboxMessage))).one()


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'uow.db'}")
    await database.create_all(OUTBOX_TABLES)
    yield database
    await database.dispose()


async def test_staged_events_and_after_commit_work_happen_only_on_commit(db):
    done = []
    async with unit_of_work(db) as uow:
        uow.stage(WishClosed(wish_id="w-1", owner_org="EMSD"))
        uow.after_commit(lambda: done.append("counted"))
        assert done == []  # not before the commit
    assert await _outbox_count(db) == 1 and done == ["counted"]


async def test_an_exception_rolls_back_the_staged_events_and_skips_after_commit_work(db):
    done = []
    with pytest.raises(RuntimeError):
        async with unit_of_work(db) as uow:
            uow.stage(WishClosed(wish_id="w-1", owner_org="EMSD"))
            uow.after_commit(lambda: done.append("counted"))
            raise RuntimeError("the use case refused")
    assert await _outbox_count(db) == 0 and done == []


async def test_a_request_unit_commits_explicitly_and_rolls_back_otherwise(db):
    done = []
    async with db.session() as session:
        uow = UnitOfWork(session)
        uow.stage(WishClosed(wish_id="w-1", owner_org="EMSD"))
        await uow.rollback()
        uow.stage(WishClosed(wish_id="w-2", owner_org="EMSD"))
        uow.after_commit(lambda: done.append("counted"))
        await uow.commit()
    assert await _outbox_count(db) == 1 and done == ["counted"]
