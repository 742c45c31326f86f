"""SQLite for async SQLAlchemy without a thread hop per statement (URL scheme sqlite+inline).

aiosqlite runs every statement on a worker thread; on a busy two-core machine each hop costs
hundreds of microseconds, several per transaction, while SQLite itself (WAL, synchronous=NORMAL)
commits in tens of microseconds. This driver runs sqlite3 calls inline on the event loop. That is
safe only because the engine gets ONE pooled connection (see Database): sessions queue for it
asynchronously, so no statement ever waits on SQLite's lock while the loop is blocked. Each
service owns its SQLite file, so no other writer contends for it.
"""

import sqlite3
from types import SimpleNamespace
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)


class _Ready:
    """An awaitable that is already done (what aiosqlite's connect() returns, minus the thread)."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._thread = SimpleNamespace(daemon=True)  # the adapter marks aiosqlite's thread

    def __await__(self):
        return self.value
        yield  # pragma: no cover - makes this a generator


class _RunNow:
    """Stands in for aiosqlite's work queue: runs the function at once and resolves its future."""

    def put_nowait(self, item: Any) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # handed to the awaiting caller
            future.set_exception(exc)


class InlineCursor:
    """aiosqlite.Cursor's interface over a sqlite3 cursor, run inline."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> "InlineCursor":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> "InlineCursor":
        self._cursor.execute(sql, parameters if parameters is not None else ())
        return self

    async def executemany(self, sql: str, seq: Any) -> "InlineCursor":
        self._cursor.executemany(sql, seq)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """aiosqlite.Connection's interface over a sqlite3 connection, run inline."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._connection: sqlite3.Connection | None = conn
        self._tx = _RunNow()
        self._thread = SimpleNamespace(daemon=True)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._conn.close()
            self._connection = None

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    def stop(self) -> None:
        if self._connection is not None:
            self._conn.close()
            self._connection = None


class _InlineModule(SimpleNamespace):
    """The bits of the aiosqlite module the SQLAlchemy adapter reads."""


def _connect(database: str, **kwargs: Any) -> _Ready:
    kwargs.pop("loop", None)
    kwargs.setdefault("check_same_thread", False)
    return _Ready(InlineConnection(sqlite3.connect(database, **kwargs)))


INLINE = _InlineModule(
    connect=_connect,
    Connection=InlineConnection,
    __version__="inline-1",
    **{name: getattr(sqlite3, name) for name in (
        "DatabaseError", "Error", "IntegrityError", "NotSupportedError", "OperationalError",
        "ProgrammingError", "sqlite_version", "sqlite_version_info")},
)


class SQLiteDialect_inline(SQLiteDialect_aiosqlite):  # noqa: N801 - SQLAlchemy's naming
    """The aiosqlite dialect over the inline module."""

    driver = "inline"
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> AsyncAdapt_aiosqlite_dbapi:
        return AsyncAdapt_aiosqlite_dbapi(INLINE, sqlite3)


dialect = SQLiteDialect_inline
registry.register("sqlite.inline", "innoportal.sqlite_inline", "SQLiteDialect_inline")
