"""Schema migrations: one Alembic history per service, applied through this one helper.

Each service keeps its revisions in services/<name>/migrations/; the environment and the revision
template (innoportal/migrations/) are shared, so the six histories read alike. Every history also
carries the kernel's tables (outbox, processed_events): each service has its own copy of them.

An upgrade is one transaction: on PostgreSQL (transactional DDL) under an advisory lock, so
replicas starting together migrate once; on SQLite under BEGIN IMMEDIATE (see _begin). A failure
rolls everything back and raises MigrationError; the database is left as it was.
"""

import hashlib
import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, inspect, text

from innoportal.db import Database

SCRIPT_LOCATION = Path(__file__).with_name("migrations")
log = logging.getLogger("innoportal.migrate")
# Alembic's INFO lines (plugins, "non-transactional DDL", which is ours to make transactional)
# mislead more than they tell: one line per upgrade says what happened.
logging.getLogger("alembic").setLevel(logging.WARNING)


class MigrationError(RuntimeError):
    """The schema could not be brought to this release's head; the database was not changed."""


@dataclass(frozen=True)
class History:
    """A service's migration history and the tables (its own and the kernel's) head must match."""

    service: str
    versions: Path
    tables: tuple[Table, ...]

    def metadata(self) -> MetaData:
        """The service's tables alone (the models share one SQLModel metadata)."""
        metadata = MetaData()
        for table in self.tables:
            table.to_metadata(metadata)
        return metadata

    def config(self, connection: Connection | None = None) -> Config:
        """An Alembic config for this history, handing `connection` to env.py."""
        config = Config()
        config.set_main_option("script_location", str(SCRIPT_LOCATION))
        config.set_main_option("version_locations", str(self.versions))
        config.set_main_option("path_separator", "os")
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        config.attributes.update(connection=connection, metadata=self.metadata())
        return config

    @cached_property
    def script(self) -> ScriptDirectory:
        """The revisions of the history."""
        return ScriptDirectory.from_config(self.config())

    def head(self) -> str:
        """The newest revision (a history has one head)."""
        return self.script.get_current_head() or ""

    def baseline(self) -> Script | None:
        """The first revision: the schema as `create_all` made it before migrations."""
        return next((s for s in self.script.walk_revisions() if s.down_revision is None), None)


def history_of(service: str, tables: Sequence[Table]) -> History | None:
    """The history in services/<service>/migrations, or None for a runtime of no known service."""
    from innoportal.services import SERVICES

    if service not in SERVICES:
        return None
    package = importlib.import_module(f"{SERVICES[service].module}.migrations")
    return History(service, Path(package.__path__[0]), tuple(tables))


def service_history(service: str) -> History:
    """A service's history with its tables, without building the service (for the CLI)."""
    from innoportal.idempotency import IDEMPOTENCY_TABLES
    from innoportal.outbox import OUTBOX_TABLES
    from innoportal.services import service_module

    own = getattr(service_module(service, "models"), f"{service.upper()}_TABLES")
    history = history_of(service, [*own, *OUTBOX_TABLES, *IDEMPOTENCY_TABLES])
    assert history is not None
    return history


@dataclass(frozen=True)
class Outcome:
    """What an upgrade did."""

    before: str | None
    after: str
    stamped: bool  # an unstamped database of the first release, stamped as the baseline

    @property
    def changed(self) -> bool:
        """Whether the upgrade did anything."""
        return self.before != self.after or self.stamped

    def describe(self, service: str) -> str:
        """One line for people."""
        if not self.changed:
            return f"{service}: database at {self.after} (up to date)"
        start = "an existing pre-migration schema, stamped as the baseline" if self.stamped \
            else (self.before or "an empty database")
        return f"{service}: database migrated from {start} to {self.after}"


async def migrate(db: Database, history: History, target: str = "head") -> Outcome:
    """Upgrade `db` to `target` in one transaction; MigrationError (nothing changed) on failure."""
    try:
        async with db.engine.connect() as conn:
            await _begin(conn, db, history)
            outcome = await conn.run_sync(_upgrade, history, target)
            await conn.commit()
        if outcome.changed:
            log.info("%s", outcome.describe(history.service))
        return outcome
    except MigrationError:
        raise
    except Exception as exc:
        raise MigrationError(
            f"{history.service}: migration to {target} failed and was rolled back, the database "
            f"is as it was: {type(exc).__name__}: {exc}") from exc


async def check_at_head(db: Database, history: History) -> str:
    """The database's revision when it is this release's head, else MigrationError."""
    try:
        async with db.engine.connect() as conn:
            current = await conn.run_sync(_current)
    except Exception as exc:
        raise MigrationError(f"{history.service}: cannot read the database's revision: "
                             f"{type(exc).__name__}: {exc}") from exc
    head = history.head()
    if current != head:
        where = f"at revision {current}" if current else "not migrated"
        raise MigrationError(
            f"{history.service}: the database is {where}, this release needs {head}; run "
            f"`innoportal migrate {history.service}`")
    return current


async def prepare(db: Database, history: History, *, apply: bool) -> str:
    """Bring the schema to head (apply) or insist it is there (a separately migrated deployment)."""
    if apply:
        return (await migrate(db, history)).after
    try:
        return await check_at_head(db, history)
    except MigrationError as exc:
        raise MigrationError(f"{exc} (INNOPORTAL_MIGRATE=0: services do not migrate at start)") \
            from exc.__cause__


async def differences(db: Database, history: History) -> list[Any]:
    """What Alembic's autogenerate finds between the database and the models (empty at head)."""
    def compare(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, history.metadata())

    async with db.engine.connect() as conn:
        return await conn.run_sync(compare)


def configure_context(context: Any, connection: Connection, metadata: MetaData) -> None:
    """How every service's env.py configures Alembic."""
    context.configure(
        connection=connection, target_metadata=metadata, compare_type=True,
        # SQLite alters a table by copying it: Alembic's batch mode writes that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
    )


def _render_item(kind: str, obj: Any, _autogen: Any) -> str | bool:
    # Revisions name plain SQLAlchemy types, so they never break when the models' types change.
    from sqlmodel.sql.sqltypes import AutoString

    from innoportal.db import UTCDateTime

    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if kind == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


async def _begin(conn: Any, db: Database, history: History) -> None:
    if db.is_sqlite:
        # SQLite's DDL is transactional, but Python's sqlite3 opens a transaction only before
        # DML, so each CREATE or ALTER would commit on its own: one explicit transaction makes
        # the whole upgrade atomic. IMMEDIATE takes the write lock now: a second process on the
        # same file waits for it (busy_timeout), then finds the work done. Deferred foreign keys
        # let a batch migration rebuild a table that others reference.
        await conn.exec_driver_sql("BEGIN IMMEDIATE")
        await conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        return
    # Held until commit or rollback: replicas starting together upgrade one after the other.
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                       {"key": _lock_key(history.service, db.schema)})
    if db.schema:
        await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))


def _lock_key(service: str, schema: str | None) -> int:
    digest = hashlib.blake2b(f"innoportal-migrate:{service}:{schema or ''}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, history: History, target: str) -> Outcome:
    before = _current(conn)
    if before is not None and before == history.head() and target in ("head", before):
        return Outcome(before, before, False)  # every start after the first: nothing to load
    config = history.config(conn)
    stamped = False
    baseline = history.baseline()
    if before is None and baseline is not None:
        expected = set(baseline.module.TABLES)
        present = expected & set(inspect(conn).get_table_names())
        if present == expected:
            # The first release made these tables with create_all and recorded no version.
            command.stamp(config, baseline.revision)
            stamped = True
        elif present:
            raise MigrationError(
                f"{history.service}: the database has some of the tables of the first release but "
                f"not {', '.join(sorted(expected - present))}, and no migration history; it is "
                f"not a schema this release knows how to upgrade")
    command.upgrade(config, target)
    return Outcome(before, _current(conn) or "", stamped)
