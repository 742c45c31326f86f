"""Databases of the first release (before migrations), and schemas described for comparison."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import text

from innoportal.db import Database

FIRST_RELEASE = Path(__file__).with_name("first_release")
SERVICE_NAMES = ["portal", "wishes", "solutions", "matcher", "notifier", "trials"]


def dialect_of(db: Database) -> str:
    return "sqlite" if db.is_sqlite else "postgresql"


async def build_first_release(db: Database, service: str) -> None:
    """The service's database as the first release's create_all left it (its very statements)."""
    sql = (FIRST_RELEASE / f"{service}.{dialect_of(db)}.sql").read_text()
    async with db.engine.begin() as conn:
        if db.schema:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{db.schema}"'))
        for statement in sql.split(";\n\n"):
            if statement.strip().rstrip(";"):
                await conn.exec_driver_sql(statement.strip().rstrip(";"))


async def insert_models(db: Database, *rows: Any) -> None:
    """Insert model instances, each with the columns its table has in this database (the
    columns the models gained later are left to the migrations' defaults)."""
    async with db.engine.begin() as conn:
        columns = await conn.run_sync(lambda c: {
            name: {col["name"] for col in sa.inspect(c).get_columns(name)}
            for name in sa.inspect(c).get_table_names()})
        for row in rows:
            table = type(row).__table__
            values = {c.name: getattr(row, c.name) for c in table.columns
                      if c.name in columns[table.name]
                      and not (c.primary_key and getattr(row, c.name) is None)}
            light = sa.table(table.name, *[sa.column(k, table.c[k].type) for k in values])
            await conn.execute(light.insert().values(values))


async def describe(db: Database) -> dict[str, list[tuple]]:
    """Everything a schema is made of, in a form two databases can be compared by."""
    async with db.engine.connect() as conn:
        if db.is_sqlite:
            rows = await conn.execute(text(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE "
                "'%alembic%' ORDER BY type, name"))
            return {"sqlite_master": [tuple(r) for r in rows]}
        schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
        queries = {
            "columns": "SELECT table_name, column_name, data_type, character_maximum_length, "
                       "numeric_precision, is_nullable, column_default, ordinal_position "
                       "FROM information_schema.columns WHERE table_schema = current_schema()",
            "constraints": "SELECT conrelid::regclass::text, conname, contype, "
                           "pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE connamespace = current_schema()::regnamespace",
            "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
                       "WHERE schemaname = current_schema()",
        }
        described = {}
        for what, query in queries.items():
            rows = (await conn.execute(text(query))).all()
            described[what] = sorted(
                tuple(str(v).replace(f"{schema}.", "") if v is not None else None for v in row)
                for row in rows if "alembic" not in str(row))
        return described
