"""Fixtures: a real aiosmtpd server on a free port, a notifier database, a sender."""

import email
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from notifier_helpers import BASE_URL, SECRET, SENDER, T0

from innoportal.db import Database
from services.notifier.emails import Composer
from services.notifier.models import NOTIFIER_TABLES
from services.notifier.sender import EmailSender, SenderPolicy
from services.notifier.smtp import SmtpConfig, SmtpPool


class Sink:
    """An SMTP handler keeping what it accepts; it can refuse on purpose."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []
        self.data_failures = 0  # answer 451 to the next N DATA commands
        self.refused: dict[str, str] = {}  # RCPT address -> reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.data_failures > 0:
                self.data_failures -= 1
                return "451 4.3.0 Try again later"
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        """Parsed messages received, optionally only those to `to`."""
        with self.lock:
            got = list(self.received)
        return [email.message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
                for _, rcpts, raw in got if to is None or to in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """A real aiosmtpd server that tests can stop and start again on the same port."""

    def __init__(self) -> None:
        self.sink = Sink()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


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
    return Composer(SECRET, BASE_URL, SENDER)


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
        smtp_url=f"smtp://127.0.0.1:{smtp_server.port}?timeout=5", public_base_url=BASE_URL,
        mail_from=SENDER)
    settings = NotifierSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/notifier-http.db",
                                send_poll_seconds=0.2, send_retry_base_seconds=0.2)
    runtime = bootstrap(settings, common=common)
    async with running(runtime, create_app(runtime), bus=False, relay=False) as client:
        client.runtime = runtime
        client.sink = smtp_server.sink
        yield client
