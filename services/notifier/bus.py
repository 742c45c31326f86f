"""The notifier's router: durable consumers that turn events into queued emails.

Each handler claims its event (innoportal.idempotency) in the transaction that queues the
emails, or the fan-out job that will: a redelivery finds the claim and does nothing.
"""

from contracts import (
    MatchDecided,
    Matched,
    SignInLinkIssued,
    Subjects,
    TrialCompleted,
    TrialTerminated,
    WishClosed,
    WishPosted,
    utcnow,
)
from innoportal.consume import ServiceRouter
from innoportal.idempotency import apply_once
from innoportal.runtime import Runtime
from services.notifier import planner
from services.notifier.link_emails import plan_link_email

CONSUMERS = {
    Subjects.WISH_POSTED: "notifier-wish-posted",
    Subjects.WISH_CLOSED: "notifier-wish-closed",
    Subjects.MATCH_FOUND: "notifier-match-found",
    Subjects.MATCH_DECIDED: "notifier-match-decided",
    Subjects.TRIAL_COMPLETED: "notifier-trial-completed",
    Subjects.TRIAL_TERMINATED: "notifier-trial-terminated",
    Subjects.SIGN_IN_LINK_ISSUED: "notifier-link-issued",
}


def build_router(runtime: Runtime) -> ServiceRouter:
    """Durable consumers of wishes, matches and trials."""
    router = ServiceRouter("notifier")

    @router.durable(Subjects.WISH_POSTED, "wish-posted",
                    title="WishPosted", description="Alert matching subscribers (or their digest).")
    async def alert_wish_posted(event: WishPosted) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.WISH_POSTED], event.event_id,
                         lambda s: planner.start_wish_fanout(s, event, now=utcnow()))

    @router.durable(Subjects.WISH_CLOSED, "wish-closed",
                    title="WishClosed", description="Withdraw queued alerts and digest entries.")
    async def withdraw_wish_closed(event: WishClosed) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.WISH_CLOSED], event.event_id,
                         lambda s: planner.plan_wish_closed(s, event, now=utcnow()))

    @router.durable(Subjects.MATCH_FOUND, "match-found",
                    title="Matched", description="Tell the wish's and the solution's contacts.")
    async def notify_match_found(event: Matched) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.MATCH_FOUND], event.event_id,
                         lambda s: planner.plan_match_found(s, event, now=utcnow()))

    @router.durable(Subjects.MATCH_DECIDED, "match-decided",
                    title="MatchDecided", description="Tell both contacts EMSD's decision.")
    async def notify_match_decided(event: MatchDecided) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.MATCH_DECIDED], event.event_id,
                         lambda s: planner.plan_match_decided(s, event, now=utcnow()))

    @router.durable(Subjects.TRIAL_COMPLETED, "trial-completed", title="TrialCompleted",
                    description="Send the report link to both parties and report subscribers.")
    async def notify_trial_completed(event: TrialCompleted) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.TRIAL_COMPLETED], event.event_id,
                         lambda s: planner.start_trial_fanout(s, event, now=utcnow()))

    @router.durable(Subjects.TRIAL_TERMINATED, "trial-terminated", title="TrialTerminated",
                    description="Tell both parties and report subscribers, with the reason.")
    async def notify_trial_terminated(event: TrialTerminated) -> None:
        await apply_once(runtime.db, CONSUMERS[Subjects.TRIAL_TERMINATED], event.event_id,
                         lambda s: planner.start_trial_fanout(s, event, now=utcnow()))

    @router.durable(Subjects.SIGN_IN_LINK_ISSUED, "link-issued", title="SignInLinkIssued",
                    description="Email the portal's one-time link (sign in, finish registering, "
                    "invitation) in the reader's language and the other; once, no unsubscribe.")
    async def email_link_issued(event: SignInLinkIssued) -> None:
        portal_url = runtime.common.portal_url
        await apply_once(runtime.db, CONSUMERS[Subjects.SIGN_IN_LINK_ISSUED], event.event_id,
                         lambda s: plan_link_email(s, event, portal_url=portal_url, now=utcnow()))

    return router
