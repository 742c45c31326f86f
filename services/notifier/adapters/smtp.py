"""SMTP delivery with aiosmtplib: URL config, a small connection pool, failures classified."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
from aiosmtplib import SMTPStatus
from aiosmtplib import errors as e

from services.notifier.domain import classify_reply
from services.notifier.domain.delivery import Outcome

log = logging.getLogger("innoportal.notifier.smtp")
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to deliver: from smtp://[user:pass@]host[:port][?starttls=1] or smtps://."""

    host: str = "127.0.0.1"
    port: int = 25
    use_tls: bool = False
    start_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    validate_certs: bool = True
    pool_size: int = 4

    @classmethod
    def from_url(cls, url: str) -> "SmtpConfig":
        """Parse an SMTP URL; query options: starttls, timeout, verify (certificates), pool."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SMTP URL must start with smtp:// or smtps://, not {parts.scheme!r}")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        use_tls = parts.scheme == "smtps"
        start_tls = query.get("starttls", "0").lower() in _TRUE
        if use_tls and start_tls:
            raise ValueError("smtps:// is TLS from the start; starttls=1 is for smtp://")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (465 if use_tls else 25),
            use_tls=use_tls,
            start_tls=start_tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=float(query.get("timeout", 30)),
            validate_certs=query.get("verify", "1").lower() in _TRUE,
            pool_size=max(1, int(query.get("pool", 4))),
        )

    def redacted(self) -> str:
        """The config for logs, without the password."""
        user = f"{self.username}:***@" if self.username else ""
        scheme = "smtps" if self.use_tls else "smtp"
        return f"{scheme}://{user}{self.host}:{self.port}" + ("?starttls=1" if self.start_tls else "")


@dataclass(frozen=True)
class SendResult:
    """How one SMTP transaction ended."""

    outcome: Outcome  # sent, transient, permanent, hard_bounce
    code: int | None = None
    detail: str = ""


def classify_error(exc: BaseException) -> SendResult:
    """The class of an aiosmtplib (or socket) failure."""
    detail = f"{type(exc).__name__}: {exc}"[:400]
    if isinstance(exc, e.SMTPRecipientsRefused):
        code = exc.recipients[0].code if exc.recipients else None
        return SendResult(classify_reply(code, "rcpt"), code, detail)
    stages = ((e.SMTPRecipientRefused, "rcpt"), (e.SMTPSenderRefused, "mail"),
              (e.SMTPDataError, "data"), (e.SMTPAuthenticationError, "auth"),
              (e.SMTPConnectResponseError, "connect"), (e.SMTPHeloError, "helo"))
    if isinstance(exc, e.SMTPResponseException):
        stage = next((s for cls, s in stages if isinstance(exc, cls)), "helo")
        return SendResult(classify_reply(exc.code, stage), exc.code, detail)
    # Lost or refused connections, timeouts, TLS or extension problems: try again later.
    return SendResult("transient", None, detail)


class SmtpPool:
    """Up to `size` reused connections; each send takes one, so concurrency is bounded too."""

    IDLE_CHECK_SECONDS = 30.0

    def __init__(self, config: SmtpConfig, size: int | None = None) -> None:
        self.config = config
        self.size = size or config.pool_size
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []
        self._slots = asyncio.Semaphore(self.size)
        self.connects = 0  # how many connections were opened (reuse shows in tests and metrics)

    def _client(self) -> aiosmtplib.SMTP:
        c = self.config
        return aiosmtplib.SMTP(
            hostname=c.host, port=c.port, use_tls=c.use_tls, start_tls=c.start_tls,
            username=c.username, password=c.password, timeout=c.timeout,
            validate_certs=c.validate_certs,
        )

    async def _take(self) -> aiosmtplib.SMTP:
        while self._idle:
            client, since = self._idle.pop()
            if not client.is_connected:
                continue
            if time.monotonic() - since > self.IDLE_CHECK_SECONDS:
                try:
                    await client.noop()
                except Exception:
                    await _close(client)
                    continue
            return client
        client = self._client()
        await client.connect()
        self.connects += 1
        return client

    async def send(self, envelope_from: str, recipient: str, message: bytes, *,
                   accepted: Callable[[], Awaitable[None]] | None = None,
                   proceed: Callable[[], bool] | None = None) -> SendResult:
        """Send one message to one recipient; never raises for SMTP or network failures.

        `accepted()`, when given, is awaited once the server has answered 250 to DATA, while
        this send still holds its connection and its slot: that connection carries nothing else
        until it returns, so a caller recording the acceptance there leaves at most one accepted
        but unrecorded message per connection at any instant. If it raises, the exception
        propagates (the connection, which did nothing wrong, is kept).

        `proceed()`, when given, is asked once the slot is held, just before sending: False
        sends nothing and answers "withheld" (a caller whose recording broke while this send
        waited for a slot must not send what it could not record).
        """
        async with self._slots:
            if proceed is not None and not proceed():
                return SendResult("withheld", None, "not sent: recording acceptances failed")
            client: aiosmtplib.SMTP | None = None
            try:
                client = await self._take()
                await _transaction(client, envelope_from, recipient, message)
            except (TimeoutError, e.SMTPException, OSError) as exc:
                result = classify_error(exc)
                keep = isinstance(exc, e.SMTPResponseException | e.SMTPRecipientsRefused) \
                    and getattr(exc, "code", 0) != 421
                if client is not None:
                    if keep and client.is_connected:
                        self._idle.append((client, time.monotonic()))
                    else:
                        await _close(client)
                return result
            except Exception as exc:  # e.g. an address aiosmtplib refuses to put in a command
                if client is not None:
                    await _close(client)
                return SendResult("permanent", None, f"{type(exc).__name__}: {exc}"[:400])
            try:
                if accepted is not None:
                    await accepted()
            finally:
                self._idle.append((client, time.monotonic()))
            return SendResult("sent")

    async def close(self) -> None:
        """Close every idle connection (QUIT, then drop)."""
        idle, self._idle = self._idle, []
        for client, _ in idle:
            with contextlib.suppress(Exception):
                await client.quit()
            await _close(client)


async def _transaction(client: aiosmtplib.SMTP, sender: str, recipient: str, message: bytes) -> None:
    """MAIL, RCPT, DATA for one recipient, as sendmail() does (RSET after a refusal).

    Called directly rather than through sendmail(): the addresses were validated when they were
    stored and the message is written with CRLF line ends, so sendmail's second parse of each
    address and its extra pass over the message for SIZE are not needed at fan-out volume. Once
    the connection has greeted the server, MAIL and RCPT go out as commands with the addresses
    as stored (aiosmtplib's mail() and rcpt() parse each address again: a tenth of our CPU).
    """
    options = [f"SIZE={len(message)}"] if client.supports_extension("size") else []
    try:
        if client.is_ehlo_or_helo_needed:  # the first message: mail() greets (EHLO, else HELO)
            await client.mail(sender, options=options)
        else:
            reply = await client.execute_command(
                b"MAIL", b"FROM:" + _path(sender), *(o.encode("ascii") for o in options))
            if reply.code != SMTPStatus.completed:
                raise e.SMTPSenderRefused(reply.code, reply.message, sender)
        reply = await client.execute_command(b"RCPT", b"TO:" + _path(recipient))
        if reply.code not in (SMTPStatus.completed, SMTPStatus.will_forward):
            raise e.SMTPRecipientRefused(reply.code, reply.message, recipient)
        await client.data(message)
    except e.SMTPResponseException:
        with contextlib.suppress(ConnectionError, e.SMTPResponseException):
            await client.rset()  # leave the connection ready for the next message
        raise


def _path(address: str) -> bytes:
    """An SMTP path, <address>, in ASCII (UnicodeEncodeError otherwise, as aiosmtplib raises)."""
    return b"<" + address.strip().encode("ascii") + b">"


async def _close(client: aiosmtplib.SMTP) -> None:
    with contextlib.suppress(Exception):
        client.close()
