"""The notifier's use cases, named verb_object, each taking a UnitOfWork and never committing:
`subscriptions` (subscribe, confirm, manage, unsubscribe: the HTTP endpoints), `alerts` (a wish
fanned out to subscribers, a closed wish withdrawn, one chunk of a fan-out), `parties` (emails to
the parties of a match, a decision, a trial), `sign_in_links` (the portal's one-time links) and
`digests` (daily and weekly digests, expired sign-ups); `tokens` reads the links' tokens."""
