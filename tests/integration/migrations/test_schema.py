"""Each service's migration history, on SQLite and on PostgreSQL: its head is exactly the models,
its first revision exactly the first release's schema, a failing revision changes nothing, and
replicas starting together migrate once."""

import asyncio
import shutil

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from innoportal.db import Database
from innoportal.migrate import History, MigrationError, check_at_head, differences, migrate
from innoportal.migrate import service_history

from .schemas import SERVICE_NAMES, build_first_release, describe

BROKEN = '''"""A revision that fails half-way."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_made", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("wishes", sa.Column("half_column", sa.String(length=10), nullable=True))
    op.execute("UPDATE wishes SET title_en = 'changed by a broken migration'")
    op.execute("THIS IS NOT SQL")


def downgrade():
    pass
'''


async def drop_schema(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE'))


def other_database(database_url, tmp_path, suffix: str) -> Database:
    """A second database of the same backend as the fixture's."""
    url, schema = database_url
    if schema is None:
        return Database(f"sqlite:///{tmp_path / (suffix + '.db')}")
    return Database(url, schema=f"{schema}_{suffix}")


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_at_head_the_database_is_exactly_the_models(service, database_url):
    """Alembic's autogenerate (compare_metadata) finds nothing to do: a model changed without a
    migration fails here."""
    url, schema = database_url
    db = Database(url, schema=schema)
    history = service_history(service)
    try:
        outcome = await migrate(db, history)
        assert (outcome.before, outcome.after, outcome.stamped) == (None, history.head(), False)
        assert await differences(db, history) == []
        again = await migrate(db, history)  # a second start changes nothing
        assert (again.before, again.after) == (history.head(), history.head())
    finally:
        await db.dispose()


async def test_a_model_changed_without_a_migration_is_found(database_url):
    url, schema = database_url
    db = Database(url, schema=schema)
    history = service_history("wishes")
    metadata = history.metadata()
    metadata.tables["wishes"].append_column(sa.Column("forgotten", sa.String(20)))
    changed = History("wishes", history.versions, tuple(metadata.sorted_tables))
    try:
        await migrate(db, history)
        [diff] = await differences(db, changed)
        assert diff[0] == "add_column" and diff[3].name == "forgotten"
    finally:
        await db.dispose()


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_the_first_revision_is_exactly_the_first_release_schema(
    service, database_url, tmp_path
):
    """Tables, columns, types, nullability, defaults, keys, constraints and indexes (partial ones
    with their conditions): on SQLite the very CREATE statements are compared."""
    url, schema = database_url
    created = Database(url, schema=schema)
    migrated = other_database(database_url, tmp_path, "migrated")
    try:
        await build_first_release(created, service)
        await migrate(migrated, service_history(service), target="0001")
        assert await describe(migrated) == await describe(created)
    finally:
        if migrated.schema:
            await drop_schema(migrated)
        await created.dispose()
        await migrated.dispose()


async def test_a_failing_migration_leaves_the_database_as_it_was(database_url, tmp_path):
    """SQLite too: innoportal.migrate runs the whole upgrade in one explicit transaction."""
    url, schema = database_url
    db = Database(url, schema=schema)
    history = service_history("wishes")
    versions = tmp_path / "versions"
    shutil.copytree(history.versions, versions)
    (versions / "9999_broken.py").write_text(BROKEN.format(head=history.head()))
    broken = History("wishes", versions, history.tables)
    try:
        await migrate(db, history)
        async with db.engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO wishes (id, title_en, contact_email, categories_csv, owner_org, "
                "created_at, status) VALUES ('w-1', 'Lifts', 'a@b.hk', 'building-services', "
                "'EMSD', '2026-01-01 00:00:00', 'open')"))
        before = await describe(db)
        with pytest.raises(MigrationError, match="rolled back, the database is as it was"):
            await migrate(db, broken)
        assert await describe(db) == before
        assert await check_at_head(db, history) == history.head()
        async with db.engine.connect() as conn:
            titles = (await conn.execute(text("SELECT title_en FROM wishes"))).scalars().all()
        assert titles == ["Lifts"]
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_replicas_migrating_at_once_on_postgresql_migrate_once(database_url):
    url, schema = database_url
    if schema is None:
        pytest.skip("the PostgreSQL case")
    history = service_history("trials")
    replicas = [Database(url, schema=schema) for _ in range(4)]
    try:
        outcomes = await asyncio.gather(*(migrate(db, history) for db in replicas))
        assert sorted(o.before is None for o in outcomes) == [False, False, False, True]
        assert {o.after for o in outcomes} == {history.head()}
        async with replicas[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT * FROM alembic_version"))).all()
        assert versions == [(history.head(),)]
        assert await differences(replicas[0], history) == []
    finally:
        for db in replicas:
            await db.dispose()
