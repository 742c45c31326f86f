"""The notifier's domain: rules, tokens, bilingual matching, items, the outbox's and delivery's
rules (no frameworks, no I/O, no clock: time is passed in)."""

from services.notifier.domain.delivery import (
    HKT,
    KINDS,
    LINK_KINDS,
    SUBSCRIBER_KINDS,
    EmailKind,
    Period,
    classify_reply,
    digest_due,
    idempotency_key,
    last_closed_period,
    message_id,
    retry_delay,
)
from services.notifier.domain.items import (
    event_context,
    match_item,
    trial_item,
    wish_context,
    wish_item_key,
    wish_payload,
)
from services.notifier.domain.links import KIND_OF_PURPOSE, aware, link_expired, on_portal
from services.notifier.domain.matching import (
    Alert,
    Candidate,
    Contact,
    Item,
    match_candidate,
    party_language,
    select_recipients,
    unique_contacts,
)
from services.notifier.domain.outbox import (
    SETTLED,
    STATES,
    OutgoingEmail,
    Settlement,
    reason_to_withhold,
)
from services.notifier.domain.rules import (
    FIELDS,
    SubscriptionRules,
    email_key,
    has_line_break,
    header_safe,
    normalise_email,
    validate_subscription,
)
from services.notifier.domain.terms import (
    KeywordKey,
    TextProfile,
    fold,
    keyword_key,
    profile,
    units,
)
from services.notifier.domain.tokens import TokenClaims, TokenInvalid, issue_token, verify_token

__all__ = [
    "FIELDS", "HKT", "KINDS", "KIND_OF_PURPOSE", "LINK_KINDS", "SETTLED", "STATES",
    "SUBSCRIBER_KINDS", "Alert", "Candidate", "Contact", "EmailKind", "Item", "KeywordKey",
    "OutgoingEmail", "Period", "Settlement", "SubscriptionRules", "TextProfile", "TokenClaims",
    "TokenInvalid", "aware", "classify_reply", "digest_due", "email_key", "event_context", "fold",
    "has_line_break", "header_safe", "idempotency_key", "issue_token", "keyword_key",
    "last_closed_period", "link_expired", "match_candidate", "match_item", "message_id",
    "normalise_email", "on_portal", "party_language", "profile", "reason_to_withhold",
    "retry_delay", "select_recipients", "trial_item", "unique_contacts", "units",
    "validate_subscription", "verify_token", "wish_context", "wish_item_key", "wish_payload",
]
