"""Which failures are the infrastructure being away (wait for it) and which are the work's own."""

import asyncpg
import pytest
from sqlalchemy import exc as sa
from sqlalchemy import text

from innoportal.db import Database
from innoportal.outage import is_outage
from innoportal.testing.nats_server import free_port


async def _raised(url: str, statement: str = "SELECT 1", *, then=None) -> BaseException:
    db = Database(url)
    if then is not None:
        then()
    try:
        async with db.transaction() as session:
            await session.exec(text(statement))
    except Exception as exc:  # noqa: BLE001 - the error under test
        return exc
    finally:
        await db.dispose()
    raise AssertionError("no error")


async def test_a_postgresql_server_that_is_not_there_is_an_outage():
    error = await _raised(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/test")
    assert is_outage(error), repr(error)


async def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path):
    def folder_becomes_a_file() -> None:  # (Database makes the folder; root may open anything)
        (tmp_path / "gone").rmdir()
        (tmp_path / "gone").write_text("")

    error = await _raised(f"sqlite+aiosqlite:///{tmp_path}/gone/x.db", then=folder_becomes_a_file)
    assert "unable to open database file" in str(error) and is_outage(error)


def test_postgresql_starting_or_shutting_down_is_an_outage():
    starting = asyncpg.exceptions.CannotConnectNowError(
        "the database system is not yet accepting connections")
    wrapped = sa.DBAPIError("SELECT 1", {}, starting)
    assert starting.sqlstate == "57P03" and is_outage(wrapped)
    assert is_outage(asyncpg.exceptions.AdminShutdownError("terminating connection"))


def test_a_broken_rule_or_constraint_is_not():
    # (SQLite reports every error, even a bad statement, as OperationalError: such a message
    # waits for a fixed release rather than being parked; nothing is lost either way.)
    unique = asyncpg.exceptions.UniqueViolationError("duplicate key")
    assert not is_outage(sa.IntegrityError("INSERT", {}, unique))
    assert not is_outage(ValueError("a rule of the domain"))
    assert not is_outage(None)


@pytest.mark.parametrize("error", [ConnectionRefusedError(), ConnectionResetError()])
def test_lost_connections_are_outages(error):
    assert is_outage(RuntimeError("while applying")) is False
    try:
        try:
            raise error
        except OSError as cause:
            raise RuntimeError("while applying") from cause
    except RuntimeError as exc:
        assert is_outage(exc)
