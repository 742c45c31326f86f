"""The matcher's router: it indexes wishes and solutions as they come and publishes Matched."""

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
from innoportal.idempotency import apply_once, claim_event
from innoportal.runtime import Runtime
from services.matcher.engine import MatcherState, store_matches, upsert_record
from services.matcher.models import IndexedRecord
from services.matcher.trials import record_trial


def build_router(runtime: Runtime) -> ServiceRouter:
    """Durable consumers of WishPosted, WishClosed and SolutionSubmitted; of the trial events."""
    router = ServiceRouter("matcher")
    state: MatcherState = runtime.state

    @router.durable(Subjects.WISH_POSTED, "wish-posted")
    async def match_wish_posted(event: WishPosted) -> None:
        await state.ready.wait()
        wish = event.wish
        async with state.lock:
            async with runtime.db.transaction() as session:
                if not await claim_event(session, "matcher-wish-posted", event.event_id):
                    return
                known = await session.get(IndexedRecord, ("wish", wish.id))
                # A wish closed before its post arrived is stored, never matched.
                closed = (wish.status == "closed" or wish.id in state.matcher.closed
                          or (known is not None and known.status == "closed"))
                await upsert_record(session, "wish", wish.id, wish.model_dump_json(),
                                    "closed" if closed else "open")
                stored = 0 if closed else await store_matches(session,
                                                              state.matcher.rank_wish(wish))
            state.published(stored)  # committed
            if closed:
                state.matcher.close_wish(wish.id)
            else:
                state.matcher.add_wish(wish)
        await state.changed()

    @router.durable(Subjects.SOLUTION_SUBMITTED, "solution-submitted")
    async def match_solution_submitted(event: SolutionSubmitted) -> None:
        await state.ready.wait()
        solution = event.solution
        async with state.lock:
            async with runtime.db.transaction() as session:
                if not await claim_event(session, "matcher-solution-submitted", event.event_id):
                    return
                await upsert_record(session, "solution", solution.id,
                                    solution.model_dump_json(), "open")
                stored = await store_matches(session, state.matcher.rank_solution(solution))
            state.published(stored)  # committed
            state.matcher.add_solution(solution)
        await state.changed()

    @router.durable(Subjects.WISH_CLOSED, "wish-closed")
    async def close_wish(event: WishClosed) -> None:
        await state.ready.wait()
        async with state.lock:
            async with runtime.db.transaction() as session:
                if not await claim_event(session, "matcher-wish-closed", event.event_id):
                    return
                await upsert_record(session, "wish", event.wish_id, "", "closed")
            state.matcher.close_wish(event.wish_id)
        await state.changed()

    @router.durable(Subjects.TRIAL_STARTED, "trial-started", title="TrialStarted",
                    description="Learn that a match's trial runs (shown by /v1/similar).")
    async def trial_started(event: TrialStarted) -> None:
        await apply_once(runtime.db, "matcher-trial-started", event.event_id,
                         lambda session: record_trial(session, event))

    @router.durable(Subjects.TRIAL_COMPLETED, "trial-completed", title="TrialCompleted",
                    description="Learn a trial's verdict and report version.")
    async def trial_completed(event: TrialCompleted) -> None:
        await apply_once(runtime.db, "matcher-trial-completed", event.event_id,
                         lambda session: record_trial(session, event))

    @router.durable(Subjects.TRIAL_TERMINATED, "trial-terminated", title="TrialTerminated",
                    description="Learn that a trial ended early.")
    async def trial_terminated(event: TrialTerminated) -> None:
        await apply_once(runtime.db, "matcher-trial-terminated", event.event_id,
                         lambda session: record_trial(session, event))

    router.publisher(Subjects.MATCH_FOUND, stream=STREAM, schema=Matched, title="Matched",
                     description="A wish and a solution matched above the threshold.")
    router.publisher(Subjects.MATCH_DECIDED, stream=STREAM, schema=MatchDecided,
                     title="MatchDecided", description="EMSD accepted or rejected a match.")
    return router
