"""Writes <service>.<dialect>.sql: the statements the first release's create_all issued.

Kept as it was run, once, on the release before migrations (commit 969f4ac), whose tree was
exported with `git archive 969f4ac contracts innoportal services | tar -x -C /tmp/head`:

    cd /tmp/head && PYTHONPATH=/tmp/head python make.py OUT_DIR

Its models have moved on since, so running it on today's tree would not write the same files.
"""

import importlib
import sys
from pathlib import Path

from sqlalchemy import create_mock_engine
from sqlmodel import SQLModel

from innoportal.idempotency import IDEMPOTENCY_TABLES
from innoportal.outbox import OUTBOX_TABLES

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
for name in ["portal", "wishes", "solutions", "matcher", "notifier", "trials"]:
    own = getattr(importlib.import_module(f"services.{name}.models"), f"{name.upper()}_TABLES")
    tables = [*own, *OUTBOX_TABLES, *IDEMPOTENCY_TABLES]
    for dialect in ("sqlite", "postgresql"):
        statements: list[str] = []

        def dump(sql, *_args, **_kwargs):
            statements.append(str(sql.compile(dialect=engine.dialect)).strip())

        engine = create_mock_engine(f"{dialect}://", dump)
        # What innoportal.db.Database.create_all did: the models' own metadata, these tables.
        SQLModel.metadata.create_all(engine, tables=tables, checkfirst=False)
        (out / f"{name}.{dialect}.sql").write_text(";\n\n".join(statements) + ";\n")
