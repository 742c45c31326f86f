"""Queries of the notifier; every function works inside the caller's transaction.

The parts: `sql` (tables, insert_ignore), `subscriptions` (sign-up to ending, with the index),
`recipients` (who an item or a report reaches), `digests` (items and digest entries),
`suppression` (addresses never sent to again), `fanout_jobs` (fan-outs under way) and
`email_outbox` (the emails and their delivery log: the one module that writes that table).
"""

from services.notifier.repository import email_outbox, fanout_jobs
from services.notifier.repository.digests import (
    add_digest_entries,
    close_item,
    drop_open_digest_entries,
    is_closed,
    load_items,
    open_digest_subscribers,
    save_item,
    take_digest_entries,
)
from services.notifier.repository.recipients import (
    next_candidate_ids,
    stream_candidates,
    stream_report_subscribers,
)
from services.notifier.repository.sql import insert_ignore
from services.notifier.repository.subscriptions import (
    add_subscription,
    confirm_subscription,
    confirmed_among,
    count_by_status,
    get_subscription,
    languages_of,
    live_subscriptions,
    new_subscription_id,
    purge_unconfirmed,
    recent_pending,
    unsubscribe,
    unsubscribe_address,
    update_subscription,
)
from services.notifier.repository.suppression import suppress, suppressed_among

__all__ = [
    "add_digest_entries",
    "add_subscription",
    "close_item",
    "confirm_subscription",
    "confirmed_among",
    "count_by_status",
    "drop_open_digest_entries",
    "email_outbox",
    "fanout_jobs",
    "get_subscription",
    "insert_ignore",
    "is_closed",
    "languages_of",
    "live_subscriptions",
    "load_items",
    "new_subscription_id",
    "next_candidate_ids",
    "open_digest_subscribers",
    "purge_unconfirmed",
    "recent_pending",
    "save_item",
    "stream_candidates",
    "stream_report_subscribers",
    "suppress",
    "suppressed_among",
    "take_digest_entries",
    "unsubscribe",
    "unsubscribe_address",
    "update_subscription",
]
