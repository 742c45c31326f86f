"""The one loop every notifier worker runs in: do a round, then sleep until woken, stopped or
due again; a failed round is logged and the next waits longer (the database may be away)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

MAX_BACKOFF = 8  # a failing round is retried at most this many intervals later


class Loop:
    """Runs rounds, `step(stop)`, until `stop` is set: the next as soon as wake() is called (a
    commit gave the worker work), else `interval` seconds later; after failures in a row, 2, 4,
    then 8 intervals later. A failure is logged as "<name> failed" on `log`."""

    def __init__(self, name: str, step: Callable[[asyncio.Event], Awaitable[object]],
                 interval: float, log: logging.Logger) -> None:
        self.name, self.step, self.interval, self.log = name, step, interval, log
        self.failures = 0  # rounds failed in a row
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Start the next round now."""
        self._wake.set()

    def delay(self) -> float:
        """Seconds until the next round unless woken: the interval, longer after failures."""
        return self.interval * min(2 ** max(self.failures - 1, 0), MAX_BACKOFF)

    async def run(self, stop: asyncio.Event) -> None:
        """Run rounds until `stop` is set (the round under way finishes first)."""
        while not stop.is_set():
            self._wake.clear()  # before the round, so a wake during it is not missed
            try:
                await self.step(stop)
                self.failures = 0
            except Exception:  # database away or a bug: keep the loop alive, retry later
                self.failures += 1
                self.log.exception("%s failed", self.name)
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            try:
                await asyncio.wait(waiters, timeout=self.delay(),
                                   return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
