"""InnoPortal event contracts: the only models that go on the wire, defined once."""

from contracts.accounts import SignInLinkIssued
from contracts.categories import CATEGORIES, CATEGORY_IDS, Category
from contracts.envelope import Event, new_event_id, utcnow
from contracts.matching import MatchDecided, Matched, MatchParty, MatchReason
from contracts.registry import EVENT_TYPES, event_type_for_subject, parse_event
from contracts.solutions import SolutionRecord, SolutionSubmitted
from contracts.streams import (
    DUPLICATE_WINDOW_SECONDS,
    PARKED_STREAM,
    PARKED_SUBJECT_PREFIX,
    STREAM,
    STREAM_NAME,
    STREAM_SUBJECTS,
)
from contracts.subjects import Subjects
from contracts.trials import (
    KpiResult,
    TrialCompleted,
    TrialParty,
    TrialStarted,
    TrialTerminated,
)
from contracts.upcasting import register_upcaster, upcast
from contracts.wishes import WishClosed, WishPosted, WishRecord

__all__ = [
    "CATEGORIES",
    "CATEGORY_IDS",
    "DUPLICATE_WINDOW_SECONDS",
    "EVENT_TYPES",
    "PARKED_STREAM",
    "PARKED_SUBJECT_PREFIX",
    "STREAM",
    "STREAM_NAME",
    "STREAM_SUBJECTS",
    "Category",
    "Event",
    "KpiResult",
    "MatchDecided",
    "MatchParty",
    "MatchReason",
    "Matched",
    "SignInLinkIssued",
    "SolutionRecord",
    "SolutionSubmitted",
    "Subjects",
    "TrialCompleted",
    "TrialParty",
    "TrialStarted",
    "TrialTerminated",
    "WishClosed",
    "WishPosted",
    "WishRecord",
    "event_type_for_subject",
    "new_event_id",
    "parse_event",
    "register_upcaster",
    "upcast",
    "utcnow",
]
