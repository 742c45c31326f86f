"""The matcher's router: it indexes wishes and solutions as they come and publishes Matched."""

from collections.abc import Awaitable, Callable

from contracts import (
    STREAM,
    MatchDecided,
    Matched,
    SolutionSubmitted,
    Subjects,
    TrialCompleted,
    TrialStarted,
    TrialTerminated,
    WishClosed,
    WishPosted,
)
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.runtime import Runtime
from innoportal.uow import UnitOfWork
from services.matcher.service import indexing
from services.matcher.service.trials import record_trial
from services.matcher.state import MatcherState

UseCase = Callable[[UnitOfWork], Awaitable[None]]


async def _index_once(runtime: Runtime, consumer: str, event_id: str, use_case: UseCase) -> None:
    """Run `use_case` on the loaded index, once per event, one event at a time."""
    state: MatcherState = runtime.state
    await state.index.ready.wait()
    # Under the lock until the unit's after-commit work has run: the index takes the record only
    # once it is stored, and the next event ranks against it.
    async with state.index.lock:
        applied = await apply_once(runtime.db, consumer, event_id, use_case)
    if applied:
        await state.changed()


def build_router(runtime: Runtime) -> ServiceRouter:
    """Durable consumers of WishPosted, WishClosed and SolutionSubmitted; of the trial events."""
    router = ServiceRouter("matcher")
    state: MatcherState = runtime.state

    @router.durable(Subjects.WISH_POSTED, "wish-posted")
    async def match_wish_posted(event: WishPosted) -> None:
        await _index_once(runtime, "matcher-wish-posted", event.event_id, lambda uow: (
            indexing.index_wish(uow, state.index, event.wish, state.decisions)))

    @router.durable(Subjects.SOLUTION_SUBMITTED, "solution-submitted")
    async def match_solution_submitted(event: SolutionSubmitted) -> None:
        await _index_once(runtime, "matcher-solution-submitted", event.event_id, lambda uow: (
            indexing.index_solution(uow, state.index, event.solution, state.decisions)))

    @router.durable(Subjects.WISH_CLOSED, "wish-closed")
    async def close_wish(event: WishClosed) -> None:
        await _index_once(runtime, "matcher-wish-closed", event.event_id, lambda uow: (
            indexing.close_wish(uow, state.index, event.wish_id)))

    @router.durable(Subjects.TRIAL_STARTED, "trial-started", title="TrialStarted",
                    description="Learn that a match's trial runs (shown by /v1/similar).")
    async def trial_started(event: TrialStarted) -> None:
        await apply_once(runtime.db, "matcher-trial-started", event.event_id,
                         lambda uow: record_trial(uow, event))

    @router.durable(Subjects.TRIAL_COMPLETED, "trial-completed", title="TrialCompleted",
                    description="Learn a trial's verdict and report version.")
    async def trial_completed(event: TrialCompleted) -> None:
        await apply_once(runtime.db, "matcher-trial-completed", event.event_id,
                         lambda uow: record_trial(uow, event))

    @router.durable(Subjects.TRIAL_TERMINATED, "trial-terminated", title="TrialTerminated",
                    description="Learn that a trial ended early.")
    async def trial_terminated(event: TrialTerminated) -> None:
        await apply_once(runtime.db, "matcher-trial-terminated", event.event_id,
                         lambda uow: record_trial(uow, event))

    router.publisher(Subjects.MATCH_FOUND, stream=STREAM, schema=Matched, title="Matched",
                     description="A wish and a solution matched above the threshold.")
    router.publisher(Subjects.MATCH_DECIDED, stream=STREAM, schema=MatchDecided,
                     title="MatchDecided", description="EMSD accepted or rejected a match.")
    return router
