"""Email composition: multipart text and HTML from templates, in the reader's language."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.utils import format_datetime
from functools import cached_property, lru_cache
from typing import Any

from services.notifier.domain import LINK_KINDS, header_safe, issue_token, message_id
from services.notifier.emails.labels import LABELS
from services.notifier.emails.link_emails import render_link_email
from services.notifier.emails.links import one_click, portal_page
from services.notifier.emails.mime import build_alternative, mailbox
from services.notifier.emails.rendering import Both, compile_all, render, render_both
from services.notifier.emails.values import values_of

# Kinds whose subject and body do not depend on the recipient (only the footer does).
SHARED_KINDS = frozenset({"wish_alert", "match_found", "match_decided", "trial_completed",
                          "trial_terminated"})
_FOOTER = "\x00footer\x00"


@dataclass(frozen=True)
class Composed:
    """A finished message: its bytes as sent (CRLF line ends) and the headers we track."""

    recipient: str
    message_id: str
    subject: str
    data: bytes

    def as_bytes(self) -> bytes:
        """The message as it goes over SMTP."""
        return self.data


@lru_cache(maxsize=8)
def _date(now: datetime) -> str:
    return format_datetime(now)  # a batch shares one `now`


@dataclass(frozen=True)
class Composer:
    """Builds every email; every link opens a page of the portal at `portal_url`, in the email's
    language, and links that act on a subscription carry a token signed with `secret`."""

    secret: str
    portal_url: str
    sender: str  # e.g. "E&M InnoPortal <noreply@innoportal.example>"
    _shells: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        compile_all()  # every template compiled once, at the service's start, not per email
        if not self._from.addr_spec:
            raise ValueError(f"the sender {self.sender!r} has no address")

    def page_url(self, language: str, page: str, token: str | None = None, **params: Any) -> str:
        """The portal's `page` (e.g. "wishes/w-1") in `language`, with the token and `params`."""
        return portal_page(self.portal_url, language, page, token, **params)

    def token_url(self, language: str, page: str, purpose: str, subject: str, now: datetime) -> str:
        """A portal page carrying a signed token for `purpose` on `subject`."""
        token = issue_token(self.secret, purpose, subject, now)  # type: ignore[arg-type]
        return self.page_url(language, page, token)

    def one_click_url(self, token: str) -> str:
        """The RFC 8058 one-click address of List-Unsubscribe (https, no language)."""
        return one_click(self.portal_url, token)

    def compose(
        self, *, kind: str, recipient: str, ref: str, language: str, now: datetime,
        subscription_id: str | None = None, context: Mapping[str, Any] | None = None,
        items: Mapping[str, Mapping[str, Any]] | None = None, item_key: str | None = None,
    ) -> Composed:
        """The finished message for one outbox row (items: stored item contexts by key)."""
        language = language if language in LABELS else "en"
        context, items = dict(context or {}), items or {}
        if kind in LINK_KINDS:  # a link the reader asked for: nothing to unsubscribe from
            subject, text, html = render_link_email(kind, language, recipient, context,
                                                    portal_url=self.portal_url)
            return self._finish(recipient, ref, kind, language, now, subject, text, html, None)
        if kind in SHARED_KINDS:
            shell = self._shared_shell(kind, language, context, items, item_key, now)
        else:
            values = {"email": recipient, **values_of(self, kind, language, context, items,
                                                      item_key, now)}
            shell = self._shell(kind, language, values)
        subject, (text_head, text_tail), (html_head, html_tail) = shell
        subject_of = "sub:" + subscription_id if subscription_id else "email:" + recipient
        unsubscribe = issue_token(self.secret, "unsubscribe", subject_of, now)  # type: ignore[arg-type]
        footer_name = ("_footer_confirmation" if kind == "confirmation" else
                       "_footer_subscriber" if subscription_id else "_footer_contact")
        footer_values = {"email": recipient,
                         "unsubscribe_url": self.page_url(language, "unsubscribe", unsubscribe)}
        if subscription_id:
            footer_values["manage_url"] = self.token_url(
                language, "subscribe/manage", "manage", subject_of, now)
        footer = render_both(language, footer_name, footer_values)

        text, html = text_head + footer.text + text_tail, html_head + footer.html + html_tail
        return self._finish(recipient, ref, kind, language, now, subject, text, html, unsubscribe)

    def _shared_shell(self, kind: str, language: str, context: dict, items: Mapping[str, Any],
                      item_key: str | None, now: datetime) -> tuple:
        """The same for every recipient of the item: built once, only the footer differs."""
        key = (kind, language, item_key, repr(context))
        item = items.get(item_key or "")
        cached = self._shells.get(key)
        if cached is None or cached[0] != item:  # an item's context never changes; still check
            if len(self._shells) >= 512:
                self._shells.clear()
            cached = self._shells[key] = (item, self._shell(
                kind, language, values_of(self, kind, language, context, items, item_key, now)))
        return cached[1]

    def _finish(self, recipient: str, ref: str, kind: str, language: str, now: datetime,
                subject: str, text: str, html: str, unsubscribe: str | None) -> Composed:
        """Headers and both bodies; List-Unsubscribe only when there is an unsubscribe token."""
        mid = message_id(recipient, ref, kind, self._domain)
        headers = [("From", self._from_header), ("To", recipient), ("Subject", subject),
                   ("Date", _date(now)), ("Message-ID", mid)]
        if unsubscribe is not None:
            headers += [("List-Unsubscribe", f"<{self.one_click_url(unsubscribe)}>"),
                        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        headers += [("Auto-Submitted", "auto-generated"), ("Content-Language", language),
                    ("X-InnoPortal-Kind", kind)]
        return Composed(recipient, mid, subject, build_alternative(headers, text, html))

    def _shell(self, kind: str, language: str, values: Mapping[str, Any]) -> tuple:
        """Subject, and both bodies in their layout split where the footer goes."""
        subject = header_safe(render(language, kind, "subject", values), 250)
        layout = {"subject": subject, "body": render_both(language, kind, values),
                  "footer": Both(_FOOTER, _FOOTER)}
        text = render(language, "_layout", "text", layout) + "\n"
        html = render(language, "_layout", "html", layout) + "\n"
        return subject, tuple(text.split(_FOOTER, 1)), tuple(html.split(_FOOTER, 1))

    @cached_property
    def _from(self) -> Address:
        """The sender as email.headerregistry reads it (a display name of any script)."""
        return mailbox(self.sender)

    @cached_property
    def _from_header(self) -> str:
        return str(self._from)  # unencoded: the MIME writer encodes it, once

    @cached_property
    def _domain(self) -> str:
        return self._from.domain or "innoportal.local"
