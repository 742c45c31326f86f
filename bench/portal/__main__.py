"""`python -m bench.portal`: portal page latency (p50, p95) beside the same data from the APIs.

Starts the whole system with `innoportal up` in a temporary directory on free ports, posts N
wishes and M solutions (default 1,000 and 10,000) through the APIs, waits until every consumer
has caught up, then times one reader: each page of the portal, and in turn the API calls that
fetch the same data (as the portal makes them, concurrently). The ratio is the portal's overhead:
rendering, its own HTTP hop, and its checks. Printed, never asserted.
"""

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx
import nats

from bench.portal.measure import Timings, compare, gather_ok, ok, percentile
from bench.portal.seed import post_all, records
from innoportal.testing.system import running_system

SEARCHES = ["lift", "升降機", "sensor", "智能", "energy", "監測", "robot", "數據", "water", "安全"]
TARGET_P95_MS = 100.0


async def caught_up(nats_url: str, timeout: float = 1800) -> float:
    """Wait until every durable consumer has nothing pending; the seconds it took."""
    start = time.monotonic()
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        while time.monotonic() - start < timeout:
            infos = await js.consumers_info("INNOPORTAL")
            if all(i.num_pending == 0 and i.num_ack_pending == 0 for i in infos):
                return time.monotonic() - start
            await asyncio.sleep(1)
        raise TimeoutError("consumers did not catch up")
    finally:
        await nc.close()


async def run(system, wishes: int, solutions: int, requests: int) -> dict[str, Timings]:
    wish_bodies, solution_bodies = records(wishes, solutions)
    start = time.perf_counter()
    wish_ids = await post_all(system.url("wishes"), "/v1/wishes", wish_bodies,
                              system.auth("department", "ArchSD"))
    solution_ids = await post_all(system.url("solutions"), "/v1/solutions", solution_bodies,
                                  system.auth("provider", "HKUST"))
    print(f"posted {wishes:,} wishes and {solutions:,} solutions in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    waited = await caught_up(f"nats://127.0.0.1:{system.ports['nats']}")
    print(f"every consumer caught up {waited:.0f} s later", flush=True)

    limits = httpx.Limits(max_connections=20, max_keepalive_connections=20)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        portal, url = system.url("portal"), system.url

        async def home_api(i: int) -> None:
            await gather_ok(
                http.get(url("wishes") + "/v1/wishes", params={"status": "open", "limit": 5}),
                http.get(url("solutions") + "/v1/solutions", params={"limit": 1}),
                http.get(url("matcher") + "/v1/matches", params={"status": "accepted", "limit": 1}),
                http.get(url("trials") + "/v1/trials", params={"state": "running", "limit": 1}),
                http.get(url("trials") + "/v1/reports", params={"limit": 5}))

        async def detail_api(i: int) -> None:
            kind, ids = ("wishes", wish_ids) if i % 2 else ("solutions", solution_ids)
            record_id = ids[(i * 7919) % len(ids)]
            key = "wish_id" if kind == "wishes" else "solution_id"
            await gather_ok(http.get(f"{url(kind)}/v1/{kind}/{record_id}"),
                            http.get(url("matcher") + "/v1/matches",
                                     params={key: record_id, "status": "accepted"}))

        def detail_page(i: int) -> str:
            kind, ids = ("wishes", wish_ids) if i % 2 else ("solutions", solution_ids)
            return f"{portal}/en/{kind}/{ids[(i * 7919) % len(ids)]}"

        pages = wishes // 20
        kinds = {
            "home": (lambda i: ok_get(http, f"{portal}/en/" if i % 2 else f"{portal}/zh-hk/"),
                     home_api),
            "list": (lambda i: ok_get(http, f"{portal}/en/wishes?page={1 + i % pages}"),
                     lambda i: ok_get(http, url("wishes") + "/v1/wishes",
                                      limit=20, offset=20 * (i % pages))),
            "search": (lambda i: ok_get(http, f"{portal}/en/solutions",
                                        q=SEARCHES[i % len(SEARCHES)]),
                       lambda i: ok_get(http, url("solutions") + "/v1/solutions",
                                        q=SEARCHES[i % len(SEARCHES)], limit=20)),
            "detail": (lambda i: ok_get(http, detail_page(i)), detail_api),
        }
        return {name: await compare(page, api, requests) for name, (page, api) in kinds.items()}


async def ok_get(http: httpx.AsyncClient, target: str, **params) -> None:
    ok(await http.get(target, params=params or None))


def report(results: dict[str, Timings]) -> None:
    print(f"\n{'page':<8} {'portal p50':>11} {'p95':>8} {'APIs p50':>10} {'p95':>8} "
          f"{'ratio p50':>10} {'p95':>6}  p95 < {TARGET_P95_MS:.0f} ms")
    for name, t in results.items():
        p50, p95 = percentile(t.portal, 50), percentile(t.portal, 95)
        a50, a95 = percentile(t.api, 50), percentile(t.api, 95)
        print(f"{name:<8} {p50:>9.1f}ms {p95:>6.1f}ms {a50:>8.1f}ms {a95:>6.1f}ms "
              f"{p50 / a50:>10.2f} {p95 / a95:>6.2f}  {'yes' if p95 < TARGET_P95_MS else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.portal", description=__doc__)
    parser.add_argument("--wishes", type=int, default=1000)
    parser.add_argument("--solutions", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
        with running_system(Path(tmp)) as system:
            try:
                results = asyncio.run(run(system, args.wishes, args.solutions, args.requests))
            except Exception:
                print(system.logs())  # what the services said, before the directory goes
                raise
    report(results)


if __name__ == "__main__":
    main()
