"""The trials service's router: it learns EMSD's match decisions, documents what it publishes."""

from contracts import STREAM, MatchDecided, Subjects, TrialCompleted, TrialStarted, TrialTerminated
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.runtime import Runtime
from services.trials import service

MATCH_DECIDED_CONSUMER = "trials-match-decided"


def build_router(runtime: Runtime) -> ServiceRouter:
    """The MatchDecided consumer (a trial needs an accepted match) and the trial event docs."""
    router = ServiceRouter("trials")

    @router.durable(Subjects.MATCH_DECIDED, "match-decided")
    async def record_match_decided(event: MatchDecided) -> None:
        # The claim and the effect commit together: a redelivery finds the claim and does nothing.
        await apply_once(runtime.db, MATCH_DECIDED_CONSUMER, event.event_id,
                         lambda uow: service.record_match_decision(uow, event))

    router.publisher(
        Subjects.TRIAL_STARTED, stream=STREAM, schema=TrialStarted,
        title="TrialStarted", description="EMSD started a planned field trial at its venue.",
    )
    router.publisher(
        Subjects.TRIAL_COMPLETED, stream=STREAM, schema=TrialCompleted,
        title="TrialCompleted",
        description="A trial completed: its verdict, each KPI against its target, and the URL of "
        "the published performance report (a corrected report is a new version, published again).",
    )
    router.publisher(
        Subjects.TRIAL_TERMINATED, stream=STREAM, schema=TrialTerminated,
        title="TrialTerminated", description="A trial ended early, with EMSD's reason.",
    )
    return router
