"""The baseline: a bare aiosmtplib loop sending the same messages over the same number of
connections, no database, no templates. Prints a JSON line with its rate and peak RSS.

Run: python -m bench.notifier.bare --port P --count N --pool 4
"""

import argparse
import asyncio
import json
import resource
import time

import aiosmtplib

from bench.notifier.messages import PLACEHOLDER, address, language, sample_messages


async def main(port: int, count: int, pool: int) -> dict:
    samples = sample_messages()
    placeholder = PLACEHOLDER.encode()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def connection() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30)
        await client.connect()
        try:
            while not queue.empty():
                i = queue.get_nowait()
                rcpt = address(i)
                await client.sendmail("noreply@innoportal.example", [rcpt],
                                      samples[language(i)].replace(placeholder, rcpt.encode()))
        finally:
            await client.quit()

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    start = time.time()
    await asyncio.gather(*(connection() for _ in range(pool)))
    elapsed = time.time() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"sent": count, "seconds": elapsed, "rate": count / elapsed,
            "cpu_us": (usage.ru_utime + usage.ru_stime - cpu0) / count * 1e6,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--pool", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.port, args.count, args.pool))), flush=True)
