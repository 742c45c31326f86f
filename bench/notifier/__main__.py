"""Run: python -m bench.notifier [--subscribers N] [--pool 4]. Prints, asserts nothing.

One wish fanned out to N matching confirmed subscribers by the notifier (its own process:
`innoportal serve notifier`, a real nats-server, SQLite) into an aiosmtpd sink in another
process, beside bare aiosmtplib loops sending the same messages (composed once, recipient
swapped) to a fresh sink in the same run: over the same number of connections (the strict
baseline) and over one connection (the classic loop). Memory is the notifier's peak RSS (VmHWM)
at N and N/10 subscribers; CPU per email is read from /proc for every process.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.notifier.messages import PORTAL_URL, SECRET, SENDER, bench_wish, seed
from innoportal.testing.nats_server import NatsServer, free_port

PY = sys.executable
EXE = str(Path(sys.executable).parent / "innoportal")


class Sink:
    """The SMTP sink process."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.port = free_port()
        self.status_path = tmp / f"{name}.json"
        self.proc = subprocess.Popen([PY, "-m", "bench.notifier.sink", "--port", str(self.port),
                                      "--status", str(self.status_path)])

    def status(self) -> dict:
        try:
            return json.loads(self.status_path.read_text())
        except (OSError, ValueError):
            return {"count": 0}

    async def wait_for(self, count: int, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.status()
            if st.get("count", 0) >= count:
                await asyncio.sleep(0.25)  # its file is written every 0.1 s: take the final one
                return self.status()
            await asyncio.sleep(0.1)
        raise TimeoutError(f"sink got {self.status().get('count')} of {count}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a running process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run_bare(tmp: Path, count: int, pool: int) -> dict:
    sink = Sink(tmp, "bare-sink")
    try:
        await asyncio.sleep(0.5)
        sink_cpu = cpu_seconds(sink.proc.pid)
        out = subprocess.run([PY, "-m", "bench.notifier.bare", "--port", str(sink.port),
                              "--count", str(count), "--pool", str(pool)],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        st = await sink.wait_for(count, 60)
        result["sink_duplicates"] = st["duplicates"]
        result["sink_cpu_us"] = (cpu_seconds(sink.proc.pid) - sink_cpu) / count * 1e6
        return result
    finally:
        sink.stop()


async def run_notifier(tmp: Path, count: int, pool: int) -> dict:
    run = tmp / f"notifier-{count}"
    run.mkdir()
    db = run / "notifier.db"
    await seed(f"sqlite+aiosqlite:///{db}", count)
    nats = NatsServer(run / "nats").start()
    sink = Sink(run, "sink")
    port = free_port()
    env = {**os.environ, "INNOPORTAL_NATS_URL": nats.url,
           "INNOPORTAL_SMTP_URL": f"smtp://127.0.0.1:{sink.port}?timeout=30",
           "INNOPORTAL_DATA_DIR": str(run), "INNOPORTAL_SECRET_KEY": SECRET,
           "INNOPORTAL_MAIL_FROM": SENDER, "INNOPORTAL_PORTAL_URL": PORTAL_URL,
           "INNOPORTAL_LOG_LEVEL": "WARNING", "INNOPORTAL_NOTIFIER_DATABASE_URL": f"sqlite:///{db}",
           "INNOPORTAL_NOTIFIER_PORT": str(port), "INNOPORTAL_NOTIFIER_SMTP_POOL": str(pool)}
    log = open(run / "notifier.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([EXE, "serve", "notifier"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        rss_idle = peak_rss_mb(proc.pid)
        cpu0, sink_cpu0 = cpu_seconds(proc.pid), cpu_seconds(sink.proc.pid)
        import nats as nats_client

        nc = await nats_client.connect(nats.url)
        event = bench_wish()
        start = time.time()
        await nc.jetstream().publish(event.SUBJECT, event.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": event.event_id})
        await nc.close()
        st = await sink.wait_for(count, timeout=max(120, count / 20))
        elapsed = st["last"] - start
        return {"sent": st["count"], "unique": st["unique"], "duplicates": st["duplicates"],
                "seconds": elapsed, "rate": st["count"] / elapsed,
                "send_rate": st["count"] / max(1e-9, st["last"] - st["first"]),
                "first_email_after": st["first"] - start,
                "peak_rss_mb": peak_rss_mb(proc.pid), "idle_rss_mb": rss_idle,
                "cpu_us": (cpu_seconds(proc.pid) - cpu0) / count * 1e6,
                "sink_cpu_us": (cpu_seconds(sink.proc.pid) - sink_cpu0) / count * 1e6}
    finally:
        proc.terminate()
        proc.wait()
        log.close()
        sink.stop()
        nats.stop()


async def main(subscribers: int, pool: int) -> None:
    small = max(1000, subscribers // 10)
    print(f"notifier fan-out benchmark: {subscribers:,} subscribers, {pool} SMTP connections\n")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        bare = await run_bare(tmp_path, subscribers, pool)
        single = await run_bare(tmp_path, min(subscribers, 10_000), 1)
        full = await run_notifier(tmp_path, subscribers, pool)
        fewer = await run_notifier(tmp_path, small, pool) if small < subscribers else None
    print(f"bare aiosmtplib loop, 1 connection  {single['rate']:>6,.0f} emails/s   "
          f"({single['sent']:,} in {single['seconds']:.1f} s; the anchor's kind of loop)")
    print(f"bare aiosmtplib loop, {pool} connections {bare['rate']:>6,.0f} emails/s   "
          f"({bare['sent']:,} in {bare['seconds']:.1f} s, peak RSS {bare['peak_rss_mb']:.0f} MB)")
    print(f"notifier, end to end                {full['rate']:>6,.0f} emails/s   "
          f"({full['sent']:,} in {full['seconds']:.1f} s from the publish, first email after "
          f"{full['first_email_after']:.2f} s)")
    print(f"notifier, sending phase             {full['send_rate']:>6,.0f} emails/s")
    print(f"ratio notifier / bare loop, same {pool} connections  {full['rate'] / bare['rate']:5.2f}   "
          "(target >= 0.70)")
    print(f"ratio notifier / bare loop, 1 connection         {full['rate'] / single['rate']:5.2f}")
    print(f"CPU per email: notifier {full['cpu_us']:.0f} us + sink {full['sink_cpu_us']:.0f} us;"
          f" bare loop {bare['cpu_us']:.0f} us + sink {bare['sink_cpu_us']:.0f} us")
    print(f"duplicates at the sink: {full['duplicates']}   unique recipients: {full['unique']:,}")
    print("\nnotifier peak RSS (memory must not grow with subscribers):")
    for r, n in ((fewer, small), (full, subscribers)):
        if r is not None:
            print(f"  {n:>9,} subscribers   peak {r['peak_rss_mb']:6.1f} MB   "
                  f"(ready, before the event: {r['idle_rss_mb']:.1f} MB)   {r['rate']:,.0f} emails/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=4, help="SMTP connections, both sides")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.pool))
