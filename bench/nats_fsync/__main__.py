"""Run: python -m bench.nats_fsync [--messages N]. What `sync_interval: always` (fsync before every
JetStream ack, deploy/nats/n*.conf and `innoportal up`) costs against nats-server's default
(fsync every 2 minutes): acked publishes/s one at a time and pipelined as the outbox relay does.
Prints rates and ratios measured in the same run; asserts nothing."""

import argparse
import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

import nats

from innoportal.natsbin import nats_config, nats_server_binary
from innoportal.testing.nats_server import free_port
from innoportal.up import _wait_port

PAYLOAD = b'{"event_id": "e", "wish": {"title_en": "Lift fault prediction"}}' * 8  # ~0.5 KB


def start(store: Path, always: bool) -> tuple[subprocess.Popen, str]:
    """A single-node JetStream server, with or without fsync before every ack."""
    port = free_port()
    conf = nats_config(port=port, store_dir=store, name="bench")
    if not always:
        conf = conf.replace("  sync_interval: always\n", "")
    store.mkdir(parents=True)
    (store / "nats.conf").write_text(conf)
    proc = subprocess.Popen([nats_server_binary(), "-c", str(store / "nats.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_port("127.0.0.1", port, 15)
    return proc, f"nats://127.0.0.1:{port}"


async def measure(url: str, messages: int, batch: int) -> float:
    """Acked publishes per second, `batch` in flight at a time."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name="BENCH", subjects=["bench.>"])
    start_at = time.perf_counter()
    for first in range(0, messages, batch):
        await asyncio.gather(*(js.publish("bench.x", PAYLOAD, headers={"Nats-Msg-Id": f"m{i}"})
                               for i in range(first, min(first + batch, messages))))
    elapsed = time.perf_counter() - start_at
    await nc.close()
    return messages / elapsed


async def main(messages: int, rounds: int) -> None:
    print(f"JetStream acked publishes/s, {messages} messages, best of {rounds} rounds\n")
    with tempfile.TemporaryDirectory() as tmp:
        for label, batch in (("one at a time", 1), ("pipelined, 256 in flight", 256)):
            best = {}
            for r in range(rounds):
                for always in (False, True):
                    proc, url = start(Path(tmp) / f"{batch}-{r}-{always}", always)
                    try:
                        rate = await measure(url, messages, batch)
                    finally:
                        proc.terminate()
                        proc.wait()
                    best[always] = max(best.get(always, 0.0), rate)
            print(f"{label}:")
            print(f"  default (fsync every 2 min)   {best[False]:>9,.0f} msg/s")
            print(f"  sync_interval: always         {best[True]:>9,.0f} msg/s")
            print(f"  ratio always / default        {best[True] / best[False]:>9.2f}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rounds))
