"""A real SMTP server (aiosmtpd) for tests: keeps what it accepts, can refuse, delay or hold."""

import asyncio
import email
import threading
from collections import Counter
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from innoportal.testing.nats_server import free_port


class SmtpSink:
    """aiosmtpd handler keeping every message; it can refuse, answer 451, delay or hold on purpose."""

    def __init__(self, delay: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []  # (mail from, rcpts, raw)
        self.delay = delay  # seconds each DATA takes
        self.data_failures = 0  # answer 451 to the next N DATA commands
        self.refused: dict[str, str] = {}  # RCPT address -> reply
        self.hold = False  # new transactions wait at RCPT while set
        self.hold_after: int | None = None  # set `hold` once this many messages arrived
        self.waiting = 0  # transactions held right now

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return self.refused[address]
        if self.hold:
            with self.lock:
                self.waiting += 1
            try:
                while self.hold:
                    await asyncio.sleep(0.01)
            finally:
                with self.lock:
                    self.waiting -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.data_failures > 0:
                self.data_failures -= 1
                return "451 4.3.0 Try again later"
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            if self.hold_after is not None and len(self.received) >= self.hold_after:
                self.hold = True
        return "250 Message accepted"

    def count(self) -> int:
        """How many messages were accepted."""
        with self.lock:
            return len(self.received)

    def per_recipient(self) -> Counter:
        """Accepted messages per recipient address."""
        with self.lock:
            return Counter(r for _, rcpts, _ in self.received for r in rcpts)

    def messages(self, to: str | None = None, kind: str | None = None) -> list[EmailMessage]:
        """Parsed messages, optionally only those to `to` and of `kind` (X-InnoPortal-Kind)."""
        with self.lock:
            got = list(self.received)
        out = [email.message_from_bytes(raw, policy=policy.default)
               for _, rcpts, raw in got if to is None or to in rcpts]
        return [m for m in out if kind is None or m["X-InnoPortal-Kind"] == kind]


class SmtpServer:
    """A real aiosmtpd server on a port of its own, that tests can stop and start again."""

    def __init__(self, delay: float = 0.0) -> None:
        self.sink = SmtpSink(delay)
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        """smtp:// URL of this server."""
        return f"smtp://127.0.0.1:{self.port}?timeout=10"

    def start(self) -> None:
        """Listen (again) on the same port."""
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening; what was received is kept."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
