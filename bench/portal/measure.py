"""Latency of one reader: a portal page, then the same data straight from the APIs, in turn."""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

Fetch = Callable[[int], Awaitable[None]]


@dataclass
class Timings:
    """Seconds per request of one kind, for the portal and for the APIs."""

    portal: list[float] = field(default_factory=list)
    api: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of `values`, in milliseconds."""
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


async def _timed(fetch: Fetch, i: int) -> float:
    start = time.perf_counter()
    await fetch(i)
    return time.perf_counter() - start


async def compare(portal: Fetch, api: Fetch, requests: int, warmup: int = 10) -> Timings:
    """`requests` rounds of the page and of its API calls, interleaved so both meet the same noise."""
    for i in range(warmup):
        await portal(i)
        await api(i)
    timings = Timings()
    for i in range(requests):
        if i % 2:  # alternate which goes first
            timings.api.append(await _timed(api, i))
            timings.portal.append(await _timed(portal, i))
        else:
            timings.portal.append(await _timed(portal, i))
            timings.api.append(await _timed(api, i))
    return timings


def ok(answer: httpx.Response) -> httpx.Response:
    """The answer, or an error naming what failed (a benchmark of failures measures nothing)."""
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.request.url} answered {answer.status_code}")
    return answer


async def gather_ok(*calls: Awaitable[httpx.Response]) -> list[httpx.Response]:
    """Several API calls at once, as the portal makes them."""
    return [ok(a) for a in await asyncio.gather(*calls)]
