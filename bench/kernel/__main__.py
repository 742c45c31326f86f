"""Run: python -m bench.kernel [--events N]. Prints events/s and ratios; asserts nothing."""

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench.kernel.consumer import bench_consumer
from bench.kernel.relay import bench_relay
from innoportal.testing.nats_server import NatsServer


async def main(events: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"InnoPortal kernel benchmark: {events} events, best of {rounds} rounds each\n")
        for name, bench in (("outbox relay -> JetStream", bench_relay),
                            ("idempotent consumer", bench_consumer)):
            best: dict[str, float] = {}
            for r in range(rounds):
                # A fresh server and database per round, shared by kernel and baseline alike.
                server = NatsServer(Path(tmp) / f"nats-{name[:5]}-{r}").start()
                try:
                    result = await bench(server.url, Path(tmp) / f"{name[:5]}-{r}", events)
                finally:
                    server.stop()
                for k, v in result.items():
                    best[k] = max(best.get(k, 0.0), v)
            kernel, baseline = best["kernel"], best["hand-written"]
            print(f"{name}:")
            for k, v in best.items():
                print(f"  {k:<28} {v:>9,.0f} events/s")
            print(f"  ratio kernel / hand-written  {kernel / baseline:>9.2f}  (target >= 0.50)\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.rounds))
