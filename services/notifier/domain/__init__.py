"""The notifier's domain: rules, tokens, bilingual matching, delivery policy (no frameworks)."""

from services.notifier.domain.delivery import (
    HKT,
    KINDS,
    LINK_KINDS,
    SUBSCRIBER_KINDS,
    EmailKind,
    Period,
    classify_reply,
    idempotency_key,
    last_closed_period,
    message_id,
    retry_delay,
)
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
from services.notifier.domain.rules import (
    FieldError,
    SubscriptionInvalid,
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
    "HKT", "KINDS", "LINK_KINDS", "SUBSCRIBER_KINDS", "Alert", "Candidate", "Contact", "EmailKind", "FieldError",
    "Item", "KeywordKey", "Period", "SubscriptionInvalid", "SubscriptionRules", "TextProfile",
    "TokenClaims", "TokenInvalid", "classify_reply", "email_key", "fold", "has_line_break",
    "header_safe", "idempotency_key", "issue_token", "keyword_key", "last_closed_period",
    "match_candidate", "message_id", "normalise_email", "party_language", "profile",
    "retry_delay", "select_recipients", "unique_contacts", "units", "validate_subscription",
    "verify_token",
]
