"""A few seconds' memory of an answer every reader gets alike (the home page's figures), so a
crowd on the home page does not multiply into a crowd on every service."""

import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    """The last answer of `fetch`, kept for `seconds`; an answer `keep` refuses is not kept."""

    def __init__(self, fetch: Callable[[], Awaitable[T]], seconds: float,
                 keep: Callable[[T], bool] = lambda _: True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fetch, self.seconds, self.keep, self.clock = fetch, seconds, keep, clock
        self._value: T | None = None
        self._until = 0.0

    async def get(self) -> T:
        """The kept answer while it is fresh, else a new one."""
        now = self.clock()
        if self._value is not None and now < self._until:
            return self._value
        value = await self.fetch()
        if self.keep(value):
            self._value, self._until = value, now + self.seconds
        return value
