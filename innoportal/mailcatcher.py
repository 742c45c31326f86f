"""A local SMTP mail catcher (aiosmtpd) that keeps every message under a directory as .eml."""

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("innoportal.mailcatcher")


class MaildirHandler:
    """aiosmtpd handler: one file per message, envelope recipients in a header."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        rcpts = ", ".join(envelope.rcpt_tos)
        content = envelope.original_content or b""
        head = f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {rcpts}\r\n".encode()
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(head + content)
        tmp.rename(path)  # readers never see half a message
        log.info("caught mail for %s -> %s", rcpts, path.name)
        return "250 Message accepted for delivery"


async def serve_forever(host: str, port: int, directory: str) -> None:
    """Listen for SMTP on host:port until cancelled."""
    handler = MaildirHandler(Path(directory))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="innoportal-mailcatcher", enable_SMTPUTF8=True,
                     data_size_limit=10 * 1024 * 1024),
        host=host, port=port,
    )
    log.info("mail catcher on smtp://%s:%d keeping messages in %s", host, port, directory)
    async with server:
        await server.serve_forever()
