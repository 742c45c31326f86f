"""Fixtures: a real aiosmtpd server on a free port, a notifier database, a sender."""

from collections.abc import AsyncIterator, Iterator

import pytest
from notifier_helpers import PORTAL_URL, SECRET, SENDER, T0

from innoportal.db import Database
from innoportal.testing.smtp import SmtpServer
from services.notifier.adapters.smtp import SmtpConfig, SmtpPool
from services.notifier.emails import Composer
from services.notifier.models import NOTIFIER_TABLES
from services.notifier.workers.sender import EmailSender, SenderPolicy


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/notifier.db")
    await database.create_all(NOTIFIER_TABLES)
    yield database
    await database.dispose()


@pytest.fixture
async def any_db(database_url) -> AsyncIterator[Database]:
    """The notifier's tables on each backend (SQLite file, PostgreSQL schema)."""
    url, schema = database_url
    database = Database(url, schema=schema)
    await database.create_all(NOTIFIER_TABLES)
    yield database
    await database.dispose()


@pytest.fixture
def composer() -> Composer:
    return Composer(SECRET, PORTAL_URL, SENDER)


@pytest.fixture
async def sender(db, smtp_server, composer) -> AsyncIterator[EmailSender]:
    pool = SmtpPool(SmtpConfig.from_url(f"smtp://127.0.0.1:{smtp_server.port}?timeout=5"), size=3)
    s = EmailSender(db.sessions, pool, composer, envelope_from="noreply@innoportal.example",
                    policy=SenderPolicy(batch=50, max_attempts=5), clock=lambda: T0)
    yield s
    await pool.close()


@pytest.fixture
async def service(tmp_path, smtp_server) -> AsyncIterator:
    """The notifier in-process (no bus): HTTP client, runtime, and its real sender on aiosmtpd."""
    import httpx  # noqa: F401 - the client type
    from notifier_helpers import HTTP_SECRET

    from innoportal.settings import CommonSettings
    from innoportal.testing.harness import running
    from services.notifier.bootstrap import bootstrap, create_app
    from services.notifier.settings import NotifierSettings

    common = CommonSettings(
        nats_url="nats://127.0.0.1:1", data_dir=tmp_path, secret_key=HTTP_SECRET,
        smtp_url=f"smtp://127.0.0.1:{smtp_server.port}?timeout=5", portal_url=PORTAL_URL,
        mail_from=SENDER)
    settings = NotifierSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/notifier-http.db",
                                send_poll_seconds=0.2, send_retry_base_seconds=0.2)
    runtime = bootstrap(settings, common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        client.runtime = runtime
        client.sink = smtp_server.sink
        yield client
