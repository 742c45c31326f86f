"""Run: python -m bench.kernel [--events N]. Prints events/s and ratios; asserts nothing.

The relay is measured on JetStream with `sync_interval: always` (fsync before every ack, as
`innoportal up`, deploy/nats and the tests run it) and, in the same run, with nats-server's
default (fsync every 2 minutes), so the price of durability is printed beside the figure."""

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.kernel.consumer import bench_consumer
from bench.kernel.relay import bench_relay
from innoportal.testing.nats_server import NatsServer

DURABLE, DEFAULT = "sync_interval: always", "nats-server default"


async def _best(bench, tmp: Path, tag: str, events: int, rounds: int,
                sync_always: bool) -> dict[str, float]:
    best: dict[str, float] = {}
    for r in range(rounds):
        # A fresh server and database per round, shared by kernel and baseline alike.
        server = NatsServer(tmp / f"nats-{tag}-{r}", sync_always=sync_always).start()
        try:
            result = await bench(server.url, tmp / f"{tag}-{r}", events)
        finally:
            server.stop()
        for k, v in result.items():
            best[k] = max(best.get(k, 0.0), v)
    return best


async def main(events: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"InnoPortal kernel benchmark: {events} events, best of {rounds} rounds each\n")
        kernel_by_mode: dict[str, float] = {}
        for name, bench, modes in (("outbox relay -> JetStream", bench_relay, (DURABLE, DEFAULT)),
                                   ("idempotent consumer", bench_consumer, (DURABLE,))):
            for mode in modes:
                tag = f"{name[:5]}-{'always' if mode == DURABLE else 'default'}"
                best = await _best(bench, Path(tmp), tag, events, rounds, mode == DURABLE)
                kernel, baseline = best["kernel"], best["hand-written"]
                if bench is bench_relay:
                    kernel_by_mode[mode] = kernel
                print(f"{name} ({mode}):")
                for k, v in best.items():
                    print(f"  {k:<28} {v:>9,.0f} events/s")
                print(f"  ratio kernel / hand-written  {kernel / baseline:>9.2f}"
                      "  (target >= 0.50)\n")
        print("outbox relay, sync_interval: always / nats-server default: "
              f"{kernel_by_mode[DURABLE]:,.0f} / {kernel_by_mode[DEFAULT]:,.0f} events/s "
              f"(ratio {kernel_by_mode[DURABLE] / kernel_by_mode[DEFAULT]:.2f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.rounds))
