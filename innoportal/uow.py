"""The unit of work every use case runs in: one transaction, and the events it stages.

A use case (a service's `service.py`, named verb_object) takes a `UnitOfWork`, reads and writes
through repositories built on `uow.session`, stages its events with `uow.stage(...)`, and never
commits: whoever opened the unit (an HTTP handler through `UnitOfWorkDep`, a consumer through
`Database.unit_of_work()`) commits it once, so a record and its outbox event are stored together
or not at all. An exception rolls everything back, staged events included.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import Event
from innoportal.outbox import stage_event


class UnitOfWork:
    """One transaction: a session, the events staged in it, and work to run once it commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.staged: list[Event] = []
        self._after: list[Callable[[], Any]] = []

    def stage(self, event: Event, *, subject: str | None = None) -> None:
        """Publish `event` if, and only if, this unit commits (through the outbox)."""
        stage_event(self.session, event, subject=subject)
        self.staged.append(event)

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run `callback` once the unit has committed (a metric, a cache to forget)."""
        self._after.append(callback)

    async def commit(self) -> None:
        await self.session.commit()
        callbacks, self._after = self._after, []
        for callback in callbacks:
            callback()

    async def rollback(self) -> None:
        await self.session.rollback()
        self.staged.clear()
        self._after.clear()


@asynccontextmanager
async def unit_of_work(db: Any) -> AsyncIterator[UnitOfWork]:
    """A unit on `db` (an innoportal.db.Database): committed on success, rolled back on error."""
    async with db.transaction() as session:
        uow = UnitOfWork(session)
        try:
            yield uow
        except BaseException:
            uow.staged.clear()
            uow._after.clear()
            raise
    for callback in uow._after:  # the transaction has committed
        callback()


async def _request_unit(request: Request) -> AsyncIterator[UnitOfWork]:
    async with request.app.state.runtime.db.session() as session:
        uow = UnitOfWork(session)
        yield uow
        # A handler that raised never reaches its commit: closing the session rolls back.


UnitOfWorkDep = Annotated[UnitOfWork, Depends(_request_unit)]
