"""An SMTP sink in its own process: counts what it accepts, writes its status to a file.

Run: python -m bench.notifier.sink --port P --status FILE
"""

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

from aiosmtpd.smtp import SMTP


class Counting:
    """Accepts every message; counts messages, recipients and duplicates."""

    def __init__(self) -> None:
        self.count = 0
        self.first = 0.0
        self.last = 0.0
        self.seen: set[str] = set()
        self.duplicates = 0

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        if not self.count:
            self.first = now
        self.count += 1
        self.last = now
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.seen:
                self.duplicates += 1
            self.seen.add(rcpt)
        return "250 OK"


async def main(port: int, status: Path) -> None:
    handler = Counting()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink"), "127.0.0.1", port)
    tmp = status.with_suffix(".tmp")
    async with server:
        while True:
            tmp.write_text(json.dumps({
                "count": handler.count, "first": handler.first, "last": handler.last,
                "unique": len(handler.seen), "duplicates": handler.duplicates, "pid": os.getpid()}))
            os.replace(tmp, status)
            await asyncio.sleep(0.1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--status", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.status))
