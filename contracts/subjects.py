"""NATS subjects of every InnoPortal event (all under innoportal.>)."""


class Subjects:
    """Subject constants; interfaces.md fixes the first four."""

    WISH_POSTED = "innoportal.wish.posted"
    WISH_CLOSED = "innoportal.wish.closed"
    SOLUTION_SUBMITTED = "innoportal.solution.submitted"
    MATCH_FOUND = "innoportal.match.found"
    MATCH_DECIDED = "innoportal.match.decided"
    TRIAL_STARTED = "innoportal.trial.started"
    TRIAL_COMPLETED = "innoportal.trial.completed"
    TRIAL_TERMINATED = "innoportal.trial.terminated"
    SIGN_IN_LINK_ISSUED = "innoportal.account.link_issued"
