"""Shared fixtures of the wishes and solutions API tests: a service in-process, tokens, DB counts."""

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Table, func
from sqlmodel import col, select

from innoportal.auth import issue_token
from innoportal.db import Database
from innoportal.outbox import OutboxMessage
from innoportal.runtime import Runtime
from innoportal.settings import CommonSettings
from innoportal.testing.harness import running

# Nothing listens here: these tests run with bus=False and read the outbox table instead.
UNUSED_NATS = "nats://127.0.0.1:1"
# tests/conftest.py sets it (setdefault) before any test module is imported.
TEST_SECRET = os.environ["INNOPORTAL_SECRET_KEY"]


def token(role: str, org: str = "EMSD", *, secret: str = TEST_SECRET,
          ttl: timedelta = timedelta(hours=1)) -> str:
    """A bearer token for `role` at `org`."""
    return issue_token(secret, role=role, org=org, ttl=ttl)


def bearer(role: str, org: str = "EMSD", **kwargs: Any) -> dict[str, str]:
    """The Authorization header of a `role` at `org`."""
    return {"Authorization": "Bearer " + token(role, org, **kwargs)}


def error_fields(response: httpx.Response) -> list[str]:
    """The `errors[].field` names of an error answer."""
    body = response.json()
    assert isinstance(body.get("errors"), list), body
    return [e["field"] for e in body["errors"]]


def names(response: httpx.Response, field: str) -> bool:
    """Whether an error answer names `field` (or an item of it, like categories[0])."""
    return any(f == field or f.startswith((field + "[", field + ".")) for f in error_fields(response))


@dataclass
class Service:
    """A service running in-process: its HTTP client and its runtime (database, outbox)."""

    client: httpx.AsyncClient
    runtime: Runtime

    async def count(self, table: Table) -> int:
        """Rows in `table`."""
        async with self.runtime.db.session() as s:
            return (await s.exec(select(func.count()).select_from(table))).one()

    async def outbox(self, subject: str | None = None) -> list[OutboxMessage]:
        """Outbox rows (optionally of one subject), in staging order."""
        async with self.runtime.db.session() as s:
            query = select(OutboxMessage).order_by(col(OutboxMessage.id))
            if subject:
                query = query.where(col(OutboxMessage.subject) == subject)
            return list((await s.exec(query)).all())

    async def add(self, *rows: Any) -> None:
        """Insert rows directly, as a consumer of this service would."""
        async with self.runtime.db.transaction() as s:
            s.add_all(rows)


def sqlite_url(tmp_path, name: str) -> tuple[str, None]:
    """A SQLite file database, shaped like the `database_url` fixture's values."""
    return f"sqlite+aiosqlite:///{tmp_path / (name + '.db')}", None


@pytest.fixture
def serve(tmp_path) -> Callable[..., Any]:
    """serve(bootstrap, create_app, settings, (url, schema)) → async context of a Service."""

    @asynccontextmanager
    async def _serve(bootstrap, create_app, settings, database) -> AsyncIterator[Service]:
        url, schema = database
        common = CommonSettings(nats_url=UNUSED_NATS, data_dir=tmp_path, secret_key=TEST_SECRET)
        runtime = bootstrap(settings, common=common, db=Database(url, schema=schema))
        async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
            yield Service(client, runtime)

    return _serve
