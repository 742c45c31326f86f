"""Domain errors of the trials service; each names what an HTTP layer answers for it.

Bad input is the kernel's one field error, `innoportal.errors.FieldError`; these are the other
refusals: not permitted (403), not found (404) and conflicts with the current state (409).
"""


class TrialsError(Exception):
    """Base of every trials domain error."""

    http_status = 400
    field = "request"  # the field an HTTP error answer names


class NotPermitted(TrialsError):
    """The actor's role or organisation may not do this (HTTP 403)."""

    http_status = 403
    field = "role"


class NotFound(TrialsError):
    """No such trial, venue, match or report (HTTP 404)."""

    http_status = 404

    def __init__(self, kind: str, ident: str) -> None:
        self.kind, self.ident = kind, ident
        self.field = f"{kind}_id"
        super().__init__(f"{kind} {ident!r} not found")


class Conflict(TrialsError):
    """The request clashes with the current state (HTTP 409)."""

    http_status = 409
    field = "state"


class InvalidTransition(Conflict):
    """A lifecycle move that the trial's state does not allow."""

    def __init__(self, trial_id: str, state: str, action: str, detail: str = "") -> None:
        self.trial_id, self.state, self.action = trial_id, state, action
        why = f": {detail}" if detail else ""
        super().__init__(f"trial {trial_id} is {state}; cannot {action}{why}")


class BookingConflict(Conflict):
    """The venue already hosts a trial whose planned window overlaps."""

    field = "venue_id"

    def __init__(self, venue_id: str, conflicting_trial_id: str) -> None:
        self.venue_id, self.conflicting_trial_id = venue_id, conflicting_trial_id
        super().__init__(
            f"venue {venue_id} is booked by trial {conflicting_trial_id} in an overlapping "
            f"window and cannot host several trials at once"
        )


class MatchNotAccepted(Conflict):
    """A trial can only be opened from a match EMSD accepted."""

    field = "match_id"

    def __init__(self, match_id: str, decision: str | None) -> None:
        self.match_id, self.decision = match_id, decision
        state = decision or "not decided (or unknown)"
        super().__init__(f"match {match_id} is {state}; only an accepted match can be trialled")


class ActiveTrialExists(Conflict):
    """A match is trialled once at a time: it already has a planned or running trial."""

    field = "match_id"

    def __init__(self, match_id: str, trial_id: str) -> None:
        self.match_id, self.trial_id = match_id, trial_id
        super().__init__(f"match {match_id} already has an active trial {trial_id}")


class ConcurrentUpdate(Conflict):
    """Someone else changed the trial meanwhile; reload and retry."""

    field = "version"
