"""The SMTP sink of bench.e2e, in its own process: notes when each message arrived.

Run: python -m bench.e2e.sink --port P --status FILE --out FILE
Every 0.1 s it writes its count to --status; on SIGTERM it writes every arrival to --out as
JSON lines [seconds since the epoch, Message-ID, recipient] and exits.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import time
from pathlib import Path

from aiosmtpd.smtp import SMTP

_MESSAGE_ID = re.compile(rb"^Message-ID: *(\S+)", re.MULTILINE | re.IGNORECASE)


class Arrivals:
    """Accepts every message and notes its arrival time, Message-ID and recipients."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        now = time.time()
        found = _MESSAGE_ID.search(envelope.content[:4096])
        mid = found.group(1).decode() if found else ""
        for rcpt in envelope.rcpt_tos:
            self.seen.append((now, mid, rcpt))
        return "250 OK"


async def main(port: int, status: Path, out: Path) -> None:
    handler = Arrivals()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink"), "127.0.0.1", port)
    tmp = status.with_suffix(".tmp")
    async with server:
        while not stop.is_set():
            tmp.write_text(json.dumps({"count": len(handler.seen), "pid": os.getpid()}))
            os.replace(tmp, status)
            try:
                await asyncio.wait_for(stop.wait(), 0.1)
            except TimeoutError:
                pass
    with open(out, "w") as f:
        f.writelines(json.dumps(a) + "\n" for a in handler.seen)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--status", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.status, args.out))
