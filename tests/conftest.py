"""Fixtures shared by every test: real nats-server, SQLite files, the local PostgreSQL."""

import asyncio
import os
import socket
import uuid

import pytest

from innoportal.testing.nats_server import NatsServer
from portal.stack import stack  # noqa: F401 - a fixture for the portal and browser tests

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"
os.environ.setdefault("INNOPORTAL_SECRET_KEY", TEST_SECRET)
os.environ.setdefault("INNOPORTAL_RETRY_BASE_DELAY", "0.2")
os.environ.setdefault("INNOPORTAL_RETRY_MAX_DELAY", "1.0")
os.environ.setdefault("INNOPORTAL_OUTBOX_POLL_INTERVAL", "0.1")
os.environ.setdefault("INNOPORTAL_OUTBOX_MAX_BACKOFF", "0.5")
os.environ.setdefault("INNOPORTAL_MAX_ATTEMPTS", "3")

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_URL = os.environ.get(
    "INNOPORTAL_TEST_POSTGRES_URL", f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/test"
)


def postgres_available() -> bool:
    """Whether a PostgreSQL server answers on 127.0.0.1:5432."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def nats_server(tmp_path):
    """A fresh nats-server with JetStream on a free port; stop()/start() it at will."""
    server = NatsServer(tmp_path / "nats").start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A database URL of each backend: a SQLite file, and a fresh schema on the local PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}", None
        return
    if not postgres_available():
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    schema = "t_" + uuid.uuid4().hex[:12]
    yield PG_URL, schema
    asyncio.run(_drop_schema(schema))


async def _drop_schema(schema: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture
def secret() -> str:
    """The signing secret the services under test use."""
    return TEST_SECRET
