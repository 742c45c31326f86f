"""A real SMTP server (aiosmtpd) that fails on purpose, for the chaos suite: it refuses connections
(not listening) or answers 4xx while told to, and remembers when, and over which connection, it
accepted each message, so a resent copy can be laid beside the crash that caused it."""

import time
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header

from innoportal.testing.smtp import SmtpServer, SmtpSink


@dataclass(frozen=True)
class Mail:
    """What a test reads of an accepted message: the headers it asks about and the plain text."""

    to: str
    kind: str  # X-InnoPortal-Kind
    message_id: str
    subject: str
    text: str


def read_mail(raw: bytes) -> Mail:
    """An accepted message, parsed with the email package's compat32 policy: ten times faster
    than policy.default, which counts when a test reads thousands."""
    msg = message_from_bytes(raw)
    plain = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    payload = plain.get_payload(decode=True) if plain is not None else b""
    text = payload.decode(plain.get_content_charset() or "utf-8") if payload else ""
    return Mail(str(msg["To"] or "").strip().lower(), str(msg["X-InnoPortal-Kind"] or ""),
                str(msg["Message-ID"] or ""), str(make_header(decode_header(msg["Subject"] or ""))),
                text)


@dataclass(frozen=True)
class Acceptance:
    """When (time.monotonic() of this process) and over which connection a message was taken."""

    at: float
    peer: tuple[str, int]  # the client's address and port: one SMTP connection


class FaultySink(SmtpSink):
    """SmtpSink that answers 4xx to every transaction while `failing` (450 to RCPT and 451 to
    DATA, in turn), and records an Acceptance for each message it keeps (`accepted[i]` is that
    of `received[i]`)."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = False
        self.accepted: list[Acceptance] = []
        self.refusals = 0  # 4xx answers given
        self._turn = 0

    def _refuse_here(self, stage: str) -> bool:
        """While failing: every other transaction at RCPT, the others at DATA."""
        if not self.failing:
            return False
        with self.lock:
            self._turn += stage == "rcpt"
            refuse = stage == "data" or self._turn % 2 == 1
            self.refusals += refuse
        return refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self._refuse_here("rcpt"):
            return "450 4.2.0 Mailbox busy, try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self._refuse_here("data"):
            return "451 4.3.0 Try again later"
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            # No await since the message was appended: nothing else ran on this loop meanwhile.
            with self.lock:
                self.accepted.append(Acceptance(time.monotonic(), tuple(session.peer[:2])))
        return reply

    def snapshot(self, start: int = 0) -> list[tuple[Acceptance, bytes]]:
        """Every message kept so far (from the `start`th) with its acceptance, oldest first."""
        with self.lock:
            return [(a, raw) for a, (_, _, raw) in zip(self.accepted[start:], self.received[start:],
                                                       strict=False)]


class FaultySmtpServer(SmtpServer):
    """SmtpServer whose sink is a FaultySink: refuse() stops listening (connections are refused,
    those open are cut), resume() listens again on the same port; `sink.failing` answers 4xx."""

    def __init__(self) -> None:
        super().__init__()
        self.sink = FaultySink()

    def refuse(self) -> None:
        """Refuse connections until resume()."""
        self.stop()

    def resume(self) -> None:
        """Accept connections again."""
        self.start()
