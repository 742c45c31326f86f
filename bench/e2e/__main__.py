"""`python -m bench.e2e`: from the HTTP 201 of a wish to its alerts' arrival at an SMTP sink.

The whole system runs under `innoportal up` (every service its own process, nats-server with
JetStream fsyncing before every ack) in a temporary directory on free ports, sending to an
aiosmtpd sink in a process of its own that notes when each message arrived. Before it starts,
10,000 confirmed instant subscribers (100 keyword groups of 100, a third reading Chinese) are
written into the notifier's database through its own use cases (`add_subscription` and
`confirm_subscription`, what its subscribe and confirm endpoints call, without sending 10,000
confirmation emails). A load generator then posts wishes to `POST /v1/wishes` at a steady rate
(open loop: each at its time, whatever the earlier ones are doing), each naming one group's
keyword, so each concerns exactly 100 subscribers. Every alert's latency is its arrival minus
its wish's 201; an alert is found by its Message-ID, which the notifier derives from the
recipient and the wish.

The floor, in the same run and at the same rate: nats-py publishes one message per wish to its
own JetStream stream on a nats-server of the same configuration (the acknowledgement stands for
the 201), a push consumer takes it and aiosmtplib sends the same alerts (composed once per
language, recipient and Message-ID swapped in) over as many connections to a fresh sink.

Prints p50/p95/p99 of both and their ratios, and the throughput; asserts nothing.
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from bench.e2e.population import GROUPS, PER_GROUP, alert_id, recipients, seed, wish_body
from bench.portal.measure import percentile
from innoportal.natsbin import durable_nats_server, nats_config
import innoportal.testing.system
from innoportal.testing.nats_server import free_port
from innoportal.testing.system import running_system

PY = sys.executable
TARGET_P99_S = 1.0
WARM_UP = 10  # wishes posted (and delivered) before the measured load, not counted


class Sink:
    """The arrival-noting SMTP sink (bench.e2e.sink) in its own process."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.port = free_port()
        self.status_path, self.out = tmp / f"{name}.json", tmp / f"{name}.jsonl"
        self.proc = subprocess.Popen([PY, "-m", "bench.e2e.sink", "--port", str(self.port),
                                      "--status", str(self.status_path), "--out", str(self.out)])

    def count(self) -> int:
        try:
            return json.loads(self.status_path.read_text())["count"]
        except (OSError, ValueError, KeyError):
            return 0

    async def ready(self) -> None:
        while not self.status_path.exists():
            await asyncio.sleep(0.05)

    async def wait_for(self, count: int, stall: float) -> int:
        """Until `count` messages arrived, or none for `stall` seconds; how many arrived."""
        last, since = -1, time.monotonic()
        while (got := self.count()) < count and time.monotonic() - since < stall:
            if got != last:
                last, since = got, time.monotonic()
            await asyncio.sleep(0.1)
        return got

    def arrivals(self) -> dict[str, float]:
        """Stop the sink; the first arrival time of each Message-ID."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        first: dict[str, float] = {}
        for line in self.out.read_text().splitlines():
            at, mid, _ = json.loads(line)
            first.setdefault(mid, at)
        return first

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def latencies(stamps: list[tuple[str, int, float]], arrived: dict[str, float], domain: str,
              per_group: int, groups: int) -> dict:
    """Per alert and per wish (its last alert): seconds from the stamp to the arrival."""
    alerts, last, missing = [], [], 0
    for key, n, at in stamps:
        times = []
        for rcpt in recipients(n % groups, per_group):
            got = arrived.get(alert_id(rcpt, key, domain))
            if got is None:
                missing += 1
            else:
                times.append(got - at)
        alerts += times
        if times:
            last.append(max(times))
    every = [at for _, _, at in stamps]
    ends = sorted(arrived.values())
    span = (ends[-1] - min(every)) if ends and every else float("nan")
    return {"alerts": alerts, "last": last, "missing": missing, "wishes": len(stamps),
            "throughput": len(alerts) / span if span else float("nan")}


async def run_floor(tmp: Path, rate: float, seconds: float, pool: int, per_group: int,
                    groups: int) -> dict:
    run = tmp / "floor"
    (run / "nats").mkdir(parents=True)
    port = free_port()
    conf = run / "nats.conf"
    conf.write_text(nats_config(port=port, store_dir=run / "nats", name="e2e-floor"))
    nats = subprocess.Popen([durable_nats_server(), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sink = Sink(run, "sink")
    try:
        await sink.ready()
        await asyncio.sleep(0.5)  # nats-server listening
        out = await asyncio.to_thread(subprocess.run, [
            PY, "-m", "bench.e2e.floor", "--nats", f"nats://127.0.0.1:{port}",
            "--smtp-port", str(sink.port), "--rate", str(rate), "--seconds", str(seconds),
            "--pool", str(pool), "--per-group", str(per_group), "--groups", str(groups)],
            capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        await sink.wait_for(len(result["acked"]) * per_group, stall=30)
        stamps = [(f"floor-{n}", n, at) for n, at in result["acked"]]
        return latencies(stamps, sink.arrivals(), result["domain"], per_group, groups)
    finally:
        sink.stop()
        nats.terminate()
        nats.wait()


async def run_system(tmp: Path, rate: float, seconds: float, pool: int, per_group: int,
                     groups: int) -> dict:
    cwd = tmp / "system"
    (cwd / "var").mkdir(parents=True)
    started = time.monotonic()
    await seed(f"sqlite+aiosqlite:///{cwd / 'var' / 'notifier.db'}", groups, per_group)
    print(f"seeded {groups * per_group:,} confirmed subscribers through the notifier's use cases "
          f"in {time.monotonic() - started:.0f} s", flush=True)
    sink = Sink(tmp, "system-sink")
    env = {"INNOPORTAL_SMTP_URL": f"smtp://127.0.0.1:{sink.port}?timeout=60",
           "INNOPORTAL_NOTIFIER_SMTP_POOL": str(pool), "INNOPORTAL_LOG_LEVEL": "WARNING"}
    try:
        await sink.ready()
        with running_system(cwd, env) as system:
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            async with httpx.AsyncClient(timeout=60, limits=limits) as http:
                url, auth = system.url("wishes") + "/v1/wishes", system.auth("department", "EMSD")
                posted: list[tuple[str, int, float]] = []
                took: list[float] = []
                refused: dict[int, int] = defaultdict(int)

                async def post(n: int) -> None:
                    sent = time.time()
                    r = await http.post(url, json=wish_body(n, groups), headers=auth)
                    at = time.time()
                    if r.status_code == 201:
                        posted.append((r.json()["id"], n, at))
                        took.append(at - sent)
                    else:
                        refused[r.status_code] += 1

                async def steady(first: int, count: int, per_second: float) -> float:
                    """Post each wish at its time; the rate they were sent at."""
                    start = time.monotonic()
                    tasks = []
                    for i in range(count):
                        await asyncio.sleep(max(0.0, start + i / per_second - time.monotonic()))
                        tasks.append(asyncio.create_task(post(first + i)))
                    sent = count / (time.monotonic() - start + 1 / per_second)
                    await asyncio.gather(*tasks)
                    return sent

                await steady(0, WARM_UP, 5)
                await sink.wait_for(WARM_UP * per_group, stall=60)
                warm, posted[:], took[:] = len(posted), [], []
                count = int(rate * seconds)
                achieved = await steady(WARM_UP, count, rate)
                got = await sink.wait_for((warm + len(posted)) * per_group, stall=30)
            domain = ""
            arrived = sink.arrivals()
            if arrived:
                domain = next(iter(arrived)).rsplit("@", 1)[1].rstrip(">")
        result = latencies(posted, arrived, domain, per_group, groups)
        answered = [at for _, _, at in posted]
        result.update(http=took, refused=dict(refused), offered=achieved, arrived_total=got,
                      answered=len(answered) / max(1e-9, max(answered) - min(answered)))
        return result
    finally:
        sink.stop()


def line(name: str, r: dict) -> str:
    a = r["alerts"]
    return (f"{name:<34} p50 {percentile(a, 50):7.0f}  p95 {percentile(a, 95):7.0f}  "
            f"p99 {percentile(a, 99):7.0f} ms   ({len(a):,} alerts of {r['wishes']:,} wishes, "
            f"{r['missing']:,} missing; {r['throughput']:,.0f} alerts/s)")


async def main(rate: float, seconds: float, pool: int, per_group: int, groups: int) -> None:
    print(f"end-to-end benchmark: {rate:g} wishes/s for {seconds:g} s, {groups * per_group:,} "
          f"confirmed subscribers, {per_group} per wish ({rate * per_group:,.0f} alerts/s "
          f"offered), {pool} SMTP connections\n", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        floor = await run_floor(tmp_path, rate, seconds, pool, per_group, groups)
        print(line("floor (nats-py + aiosmtplib)", floor), flush=True)
        system = await run_system(tmp_path, rate, seconds, pool, per_group, groups)
    print()
    print(line("floor (nats-py + aiosmtplib)", floor))
    print(line("system: 201 -> alert at the sink", system))
    last_s, last_f = system["last"], floor["last"]
    print(f"{'  each wish until its last alert':<34} p50 {percentile(last_s, 50):7.0f}  "
          f"p95 {percentile(last_s, 95):7.0f}  p99 {percentile(last_s, 99):7.0f} ms   "
          f"(floor {percentile(last_f, 50):.0f} / {percentile(last_f, 95):.0f} / "
          f"{percentile(last_f, 99):.0f})")
    print(f"{'  POST /v1/wishes itself':<34} p50 {percentile(system['http'], 50):7.0f}  "
          f"p95 {percentile(system['http'], 95):7.0f}  p99 {percentile(system['http'], 99):7.0f} ms"
          f"   (sent at {system['offered']:.1f} wishes/s, answered 201 at "
          f"{system['answered']:.1f}/s; refused: {system['refused'] or 0})")
    ratios = [percentile(system["alerts"], q) / percentile(floor["alerts"], q)
              for q in (50, 95, 99)]
    print(f"ratio system / floor               p50 {ratios[0]:7.2f}  p95 {ratios[1]:7.2f}  "
          f"p99 {ratios[2]:7.2f}")
    p99 = percentile(system["alerts"], 99) / 1000
    print(f"target p99 < {TARGET_P99_S:g} s: {'met' if p99 < TARGET_P99_S else 'NOT met'} "
          f"({p99:.2f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=50, help="wishes per second")
    parser.add_argument("--seconds", type=float, default=10, help="how long the load lasts")
    parser.add_argument("--pool", type=int, default=4, help="SMTP connections, both sides")
    parser.add_argument("--per-wish", type=int, default=PER_GROUP,
                        help="subscribers a wish concerns")
    parser.add_argument("--groups", type=int, default=GROUPS, help="keyword groups of subscribers")
    args = parser.parse_args()
    os.environ.setdefault("INNOPORTAL_LOG_LEVEL", "WARNING")
    # Seven processes start slowly on a loaded two-core machine.
    innoportal.testing.system.START_TIMEOUT = max(innoportal.testing.system.START_TIMEOUT, 300)
    asyncio.run(main(args.rate, args.seconds, args.pool, args.per_wish, args.groups))
