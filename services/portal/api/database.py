"""The portal's own database in a handler: one way to write, one way to read.

Writes (signing in and out, inviting, withdrawing) run in a unit of work the handler opens itself
(`async with writing(request) as uow:`, innoportal.uow.unit_of_work over `db.transaction()`),
committed when the block ends and rolled back, staged events and all, when a use case raises: so
the handler can catch the domain error and answer it with a page. On SQLite `db.transaction()`
also queues writers behind one lock, so a rate limit's count and the request it counts are one
serial step however many arrive at once.

Reads (who is signed in, the accounts list) take a short session of their own
(`async with reading(request) as session:`), never committed and closed before any unit of work
opens: on SQLite the portal has one connection, and a session kept open through the request
would hold it while the unit of work waits for it.
"""

from contextlib import AbstractAsyncContextManager

from fastapi import Request
from sqlmodel.ext.asyncio.session import AsyncSession

from innoportal.uow import UnitOfWork, unit_of_work


def writing(request: Request) -> AbstractAsyncContextManager[UnitOfWork]:
    """A unit of work on the portal's database: committed on success, rolled back on error."""
    return unit_of_work(request.app.state.runtime.db)


def reading(request: Request) -> AsyncSession:
    """A short session on the portal's database to read through; use as `async with`."""
    return request.app.state.runtime.db.session()
