"""The notifier's router: durable consumers that turn events into queued emails.

Each consumer claims its event (innoportal.idempotency) in the transaction of its use case, which
queues the emails, or the fan-out job that will: a redelivery finds the claim and does nothing.
"""

from collections.abc import Awaitable, Callable

from contracts import (
    Event,
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
from innoportal.uow import UnitOfWork
from services.notifier.service import alerts, parties, sign_in_links

CONSUMERS = {
    Subjects.WISH_POSTED: "notifier-wish-posted",
    Subjects.WISH_CLOSED: "notifier-wish-closed",
    Subjects.MATCH_FOUND: "notifier-match-found",
    Subjects.MATCH_DECIDED: "notifier-match-decided",
    Subjects.TRIAL_COMPLETED: "notifier-trial-completed",
    Subjects.TRIAL_TERMINATED: "notifier-trial-terminated",
    Subjects.SIGN_IN_LINK_ISSUED: "notifier-link-issued",
}


async def _once(runtime: Runtime, subject: str, event: Event,
                use_case: Callable[[UnitOfWork], Awaitable[object]]) -> None:
    """Run the use case of an event in the transaction that claims it (once per consumer)."""
    await apply_once(runtime.db, CONSUMERS[subject], event.event_id,
                     use_case)


def build_router(runtime: Runtime) -> ServiceRouter:
    """Durable consumers of wishes, matches and trials."""
    router = ServiceRouter("notifier")

    @router.durable(Subjects.WISH_POSTED, "wish-posted",
                    title="WishPosted", description="Alert matching subscribers (or their digest).")
    async def alert_wish_posted(event: WishPosted) -> None:
        await _once(runtime, Subjects.WISH_POSTED, event,
                    lambda uow: alerts.plan_alerts_for_wish(uow, event, now=utcnow()))

    @router.durable(Subjects.WISH_CLOSED, "wish-closed",
                    title="WishClosed", description="Withdraw queued alerts and digest entries.")
    async def withdraw_wish_closed(event: WishClosed) -> None:
        await _once(runtime, Subjects.WISH_CLOSED, event,
                    lambda uow: alerts.withdraw_alerts_for_wish(uow, event, now=utcnow()))

    @router.durable(Subjects.MATCH_FOUND, "match-found",
                    title="Matched", description="Tell the wish's and the solution's contacts.")
    async def notify_match_found(event: Matched) -> None:
        await _once(runtime, Subjects.MATCH_FOUND, event,
                    lambda uow: parties.plan_match_emails(uow, event, now=utcnow()))

    @router.durable(Subjects.MATCH_DECIDED, "match-decided",
                    title="MatchDecided", description="Tell both contacts EMSD's decision.")
    async def notify_match_decided(event: MatchDecided) -> None:
        await _once(runtime, Subjects.MATCH_DECIDED, event,
                    lambda uow: parties.plan_match_emails(uow, event, now=utcnow()))

    @router.durable(Subjects.TRIAL_COMPLETED, "trial-completed", title="TrialCompleted",
                    description="Send the report link to both parties and report subscribers.")
    async def notify_trial_completed(event: TrialCompleted) -> None:
        await _once(runtime, Subjects.TRIAL_COMPLETED, event,
                    lambda uow: parties.plan_trial_emails(uow, event, now=utcnow()))

    @router.durable(Subjects.TRIAL_TERMINATED, "trial-terminated", title="TrialTerminated",
                    description="Tell both parties and report subscribers, with the reason.")
    async def notify_trial_terminated(event: TrialTerminated) -> None:
        await _once(runtime, Subjects.TRIAL_TERMINATED, event,
                    lambda uow: parties.plan_trial_emails(uow, event, now=utcnow()))

    @router.durable(Subjects.SIGN_IN_LINK_ISSUED, "link-issued", title="SignInLinkIssued",
                    description="Email the portal's one-time link (sign in, finish registering, "
                    "invitation) in the reader's language and the other; once, no unsubscribe.")
    async def email_link_issued(event: SignInLinkIssued) -> None:
        portal_url = runtime.common.portal_url
        await _once(runtime, Subjects.SIGN_IN_LINK_ISSUED, event,
                    lambda uow: sign_in_links.email_sign_in_link(
                        uow, event, portal_url=portal_url, now=utcnow()))

    return router
