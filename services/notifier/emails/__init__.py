"""Composing the notifier's emails: `composer` (a finished message per outbox row), `values`
(what each kind fills in), `link_emails` (the portal's one-time links), `rendering` and
`templates/` (Jinja2), `labels` (the one bilingual table of words), `links` (portal URLs) and
`mime` (the bytes on the wire)."""

from services.notifier.emails.composer import Composed, Composer
from services.notifier.emails.values import DIGEST_MAX_ITEMS, EmptyDigest

__all__ = ["DIGEST_MAX_ITEMS", "Composed", "Composer", "EmptyDigest"]
