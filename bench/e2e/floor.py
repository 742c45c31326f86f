"""The floor of bench.e2e: the same mails with nothing but nats-py and aiosmtplib.

Run: python -m bench.e2e.floor --nats URL --smtp-port P --rate 50 --seconds S [--pool 4]
Publishes one small JetStream message per "wish" at a steady rate (its acknowledgement stands
for the HTTP 201), a push consumer takes each and sends the alert (composed once by the notifier
per language, recipient and Message-ID swapped in) to the wish's recipients over `pool`
reused aiosmtplib connections. No database, no templates, no outbox. Prints one JSON line:
{"acked": [[n, seconds since the epoch], ...], "domain": ...}.
"""

import argparse
import asyncio
import json
import re
import time

import aiosmtplib
import nats

from bench.e2e.population import GROUPS, PER_GROUP, alert_id, recipients
from bench.notifier.messages import PLACEHOLDER, SENDER, sample_messages

STREAM, SUBJECT = "E2E_FLOOR", "e2e.floor.wish"
DOMAIN = SENDER.rpartition("@")[2].rstrip(">")
_MESSAGE_ID = re.compile(rb"(?im)^Message-ID: *(\S+)")


def templates() -> dict[str, tuple[bytes, bytes]]:
    """Per language, the composed alert split around its Message-ID."""
    out = {}
    for lang, raw in sample_messages().items():
        found = _MESSAGE_ID.search(raw)
        assert found is not None
        out[lang] = (raw[:found.start(1)], raw[found.end(1):])
    return out


async def run(url: str, port: int, rate: float, seconds: float, pool: int,
              per_group: int, groups: int) -> dict:
    parts = templates()
    placeholder = PLACEHOLDER.encode()
    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name=STREAM, subjects=[SUBJECT])
    mails: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    consumed = [0]

    async def on_wish(msg) -> None:
        n = int(msg.data)
        for i, rcpt in enumerate(recipients(n % groups, per_group)):
            head, tail = parts["zh-HK" if i % 3 == 0 else "en"]
            raw = head + alert_id(rcpt, f"floor-{n}", DOMAIN).encode() + tail
            mails.put_nowait((rcpt, raw.replace(placeholder, rcpt.encode())))
        await msg.ack()
        consumed[0] += 1

    async def connection() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60)
        await client.connect()
        try:
            while True:
                rcpt, raw = await mails.get()
                await client.sendmail("noreply@innoportal.example", [rcpt], raw)
                mails.task_done()
        finally:
            client.close()

    senders = [asyncio.create_task(connection()) for _ in range(pool)]
    sub = await js.subscribe(SUBJECT, durable="floor", cb=on_wish, manual_ack=True)
    acked: list[tuple[int, float]] = []

    async def publish(n: int) -> None:
        await js.publish(SUBJECT, str(n).encode(), headers={"Nats-Msg-Id": f"floor-{n}"})
        acked.append((n, time.time()))

    start = time.monotonic()
    tasks = []
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        tasks.append(asyncio.create_task(publish(n)))
    await asyncio.gather(*tasks)
    while consumed[0] < len(tasks):
        await asyncio.sleep(0.05)
    await mails.join()
    await sub.unsubscribe()
    for task in senders:
        task.cancel()
    await nc.close()
    return {"acked": acked, "domain": DOMAIN}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nats", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument("--per-group", type=int, default=PER_GROUP)
    parser.add_argument("--groups", type=int, default=GROUPS)
    a = parser.parse_args()
    result = asyncio.run(run(a.nats, a.smtp_port, a.rate, a.seconds, a.pool, a.per_group, a.groups))
    print(json.dumps(result), flush=True)
