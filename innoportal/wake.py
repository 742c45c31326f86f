"""Wake a background worker right after a commit that gave it work (and not after a rollback)."""

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

_KEY = "innoportal_wake"
_wakers: dict[str, list[Callable[[], None]]] = {}


def wake_after_commit(session: AsyncSession, channel: str) -> None:
    """Mark `session`: once it commits, every callback listening on `channel` is called."""
    session.sync_session.info.setdefault(_KEY, set()).add(channel)


def on_commit(channel: str, callback: Callable[[], None]) -> None:
    """Call `callback()` after each commit that marked `channel`."""
    _wakers.setdefault(channel, []).append(callback)


def remove_waker(channel: str, callback: Callable[[], None]) -> None:
    """Stop calling a callback registered with on_commit."""
    callbacks = _wakers.get(channel, [])
    if callback in callbacks:
        callbacks.remove(callback)


@event.listens_for(Session, "after_commit")
def _wake(session: Session) -> None:
    for channel in session.info.pop(_KEY, ()):
        for callback in list(_wakers.get(channel, ())):
            callback()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
