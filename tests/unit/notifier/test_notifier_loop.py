"""The one loop of the notifier's workers: a round when woken or due, longer waits after failures."""

import asyncio
import logging

from services.notifier.workers.loop import MAX_BACKOFF, Loop

log = logging.getLogger("innoportal.notifier.test")


async def test_a_wake_starts_the_next_round_at_once_and_stop_ends_the_loop():
    rounds = asyncio.Queue()

    async def step(_stop):
        await rounds.put(None)

    loop = Loop("test round", step, interval=3600.0, log=log)
    stop = asyncio.Event()
    task = asyncio.create_task(loop.run(stop))
    await asyncio.wait_for(rounds.get(), 5)  # the first round runs at once
    loop.wake()
    await asyncio.wait_for(rounds.get(), 5)  # woken: long before the interval
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_failures_are_logged_and_wait_longer_each_time_up_to_a_limit(caplog):
    failing = True

    async def step(_stop):
        if failing:
            raise RuntimeError("database away")

    loop = Loop("test round", step, interval=0.5, log=log)
    assert loop.delay() == 0.5
    for failures, intervals in [(1, 1), (2, 2), (3, 4), (4, 8), (9, MAX_BACKOFF)]:
        loop.failures = failures
        assert loop.delay() == 0.5 * intervals
    loop.failures = 0
    stop = asyncio.Event()
    task = asyncio.create_task(loop.run(stop))
    while loop.failures < 2:
        await asyncio.sleep(0.05)  # bounded by the test timeout, never asserted on
    assert [r.getMessage() for r in caplog.records if r.name == log.name][:2] == [
        "test round failed"] * 2
    failing = False
    loop.wake()
    while loop.failures:
        await asyncio.sleep(0.05)
    assert loop.delay() == 0.5  # a round that works again resets the wait
    stop.set()
    await asyncio.wait_for(task, 5)
