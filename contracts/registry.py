"""Which event type lives on which subject, and parsing a payload by subject."""

from typing import Any

from contracts.accounts import SignInLinkIssued
from contracts.envelope import Event
from contracts.matching import MatchDecided, Matched
from contracts.solutions import SolutionSubmitted
from contracts.trials import TrialCompleted, TrialStarted, TrialTerminated
from contracts.wishes import WishClosed, WishPosted

EVENT_TYPES: tuple[type[Event], ...] = (
    WishPosted,
    WishClosed,
    SolutionSubmitted,
    Matched,
    MatchDecided,
    TrialStarted,
    TrialCompleted,
    TrialTerminated,
    SignInLinkIssued,
)
_BY_SUBJECT = {cls.SUBJECT: cls for cls in EVENT_TYPES}


def event_type_for_subject(subject: str) -> type[Event]:
    """The event class published on `subject` (KeyError if none)."""
    return _BY_SUBJECT[subject]


def parse_event(subject: str, payload: bytes | str | dict[str, Any]) -> Event:
    """Parse (and upcast) a payload received on `subject`."""
    cls = event_type_for_subject(subject)
    if isinstance(payload, dict):
        return cls.model_validate(payload)
    return cls.model_validate_json(payload)
