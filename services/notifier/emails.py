"""Email composition: multipart text and HTML from templates, in the reader's language."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.utils import format_datetime
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import quote

from services.notifier.domain import LINK_KINDS, header_safe, issue_token, message_id
from services.notifier.labels import LABELS, categories, title, why
from services.notifier.link_emails import render_link_email
from services.notifier.links import one_click, portal_page
from services.notifier.mime import build_alternative, mailbox
from services.notifier.rendering import Both, compile_all, render, render_both

DIGEST_MAX_ITEMS = 50
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


class EmptyDigest(ValueError):
    """A digest with no item is never built."""


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
            # The same for every recipient of the item: built once, only the footer differs.
            key = (kind, language, item_key, repr(context))
            item = items.get(item_key or "")
            cached = self._shells.get(key)
            if cached is None or cached[0] != item:  # an item's context never changes; still check
                if len(self._shells) >= 512:
                    self._shells.clear()
                cached = self._shells[key] = (item, self._shell(
                    kind, language, self._values(kind, language, context, items, item_key, now)))
            shell = cached[1]
        else:
            values = {"email": recipient, **self._values(kind, language, context, items, item_key, now)}
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

    def _values(self, kind: str, language: str, context: dict, items: Mapping[str, Any],
                item_key: str | None, now: datetime) -> dict:
        item = dict(items.get(item_key or "", {}))
        return getattr(self, f"_{kind}")(language, context, item, items, now)

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

    # One method per kind: the template values ---------------------------------------------------

    def _confirmation(self, lang: str, ctx: dict, _item: dict, _items: Mapping, now: datetime) -> dict:
        lab = LABELS[lang]
        return {
            "confirm_url": self.token_url(
                lang, "subscribe/confirm", "confirm", "sub:" + ctx["subscription_id"], now),
            "categories": categories(ctx.get("categories", []), lang),
            "keywords": ("、" if lang == "zh-HK" else ", ").join(ctx.get("keywords", [])) or lab["none"],
            "frequency": lab[ctx.get("frequency", "instant")],
            "reports": lab["yes" if ctx.get("receive_reports") else "no"],
        }

    def _wish_values(self, lang: str, wish: Mapping[str, Any], reasons: Any) -> dict:
        other_lang = "en" if lang == "zh-HK" else "zh-HK"
        main, other = title(wish, lang), title(wish, other_lang)
        desc_keys = ("description_zh", "description_en") if lang == "zh-HK" else ("description_en", "description_zh")
        return {
            "title": main, "other_title": "" if other == main else other,
            "owner_org": wish.get("owner_org", ""), "categories": categories(wish.get("categories", []), lang),
            "closes_on": wish.get("closes_on") or LABELS[lang]["open"],
            "description": next((wish[k] for k in desc_keys if wish.get(k)), ""),
            "url": self.page_url(lang, f"wishes/{quote(wish['id'], safe='')}"),
            "why": why(reasons, lang),
        }

    def _wish_alert(self, lang: str, ctx: dict, item: dict, _items: Mapping, _now: datetime) -> dict:
        return self._wish_values(lang, item, ctx.get("reasons"))

    def _digest(self, lang: str, ctx: dict, _item: dict, items: Mapping, _now: datetime) -> dict:
        entries = [(items[e["key"]], e.get("reasons")) for e in ctx.get("items", []) if e["key"] in items]
        if not entries:
            raise EmptyDigest("a digest needs at least one item")
        lab, shown = LABELS[lang], entries[:DIGEST_MAX_ITEMS]
        parts = [render_both(lang, "_item", self._wish_values(lang, w, r)) for w, r in shown]
        n, rest = len(entries), len(entries) - len(shown)
        return {
            "frequency": lab[ctx.get("frequency", "daily")], "period": ctx.get("period", ""),
            "count_label": lab["one"] if n == 1 else lab["many"].format(n=n),
            "title": title(entries[0][0], lang),
            "items": Both("\n".join(p.text for p in parts), "\n".join(p.html for p in parts)),
            "more": lab["more"].format(n=rest) if rest else "",
        }

    def _pair(self, lang: str, item: dict) -> dict:
        wish, sol = item.get("wish", {}), item.get("solution", {})
        return {
            "wish_title": title(wish, lang), "wish_org": wish.get("owner_org", ""),
            "wish_contact": wish.get("contact_email", ""),
            "wish_url": self.page_url(lang, f"wishes/{quote(wish.get('id', ''), safe='')}"),
            "solution_title": title(sol, lang), "solution_org": sol.get("owner_org", ""),
            "solution_contact": sol.get("contact_email", ""),
            "solution_url": self.page_url(lang, f"solutions/{quote(sol.get('id', ''), safe='')}"),
        }

    def _match_found(self, lang: str, ctx: dict, item: dict, _items: Mapping, _now: datetime) -> dict:
        reasons = {"categories": [r["value"] for r in item.get("reasons", []) if r["kind"] == "category"],
                   "keywords": [r["value"] for r in item.get("reasons", []) if r["kind"] != "category"]}
        return {**self._pair(lang, item), "role": LABELS[lang][ctx.get("role", "wish")],
                "score": f"{float(item.get('score', 0)):.2f}", "why": why(reasons, lang)}

    def _match_decided(self, lang: str, ctx: dict, item: dict, _items: Mapping, _now: datetime) -> dict:
        return {**self._pair(lang, item), "decision": LABELS[lang][item.get("decision", "accepted")],
                "reason": item.get("reason") or LABELS[lang]["no_reason"]}

    def _trial_pair(self, lang: str, item: dict) -> dict:
        by_role = {p["role"]: p for p in item.get("parties", [])}
        return self._pair(lang, {"wish": by_role.get("wish", {}), "solution": by_role.get("solution", {})})

    def _trial_completed(self, lang: str, ctx: dict, item: dict, _items: Mapping, _now: datetime) -> dict:
        lab = LABELS[lang]
        kpis = [render_both(lang, "_kpi", {
            "name": k["name"], "unit": k["unit"], "baseline": k["baseline"], "target": k["target"],
            "measured": "—" if k.get("measured") is None else k["measured"],
            "met": lab["yes" if k.get("met") else "no"],
        }) for k in item.get("kpi_results", [])]
        return {**self._trial_pair(lang, item), "verdict": lab[item.get("verdict", "passed")],
                "summary": item.get("summary") or "", "report_url": self._report_url(lang, item),
                "kpis": Both("\n".join(k.text for k in kpis) or lab["none"],
                             "\n".join(k.html for k in kpis))}

    def _trial_terminated(self, lang: str, ctx: dict, item: dict, _items: Mapping, _now: datetime) -> dict:
        return {**self._trial_pair(lang, item), "reason": item.get("reason") or LABELS[lang]["no_reason"],
                "from_state": LABELS[lang][item.get("from_state", "running")],
                "trial_url": self.page_url(lang, f"trials/{quote(item.get('trial_id', ''), safe='')}")}

    def _report_url(self, lang: str, item: dict) -> str:
        """The report's page; a corrected report (version 2 on) names its version."""
        page = f"reports/{quote(item.get('trial_id', ''), safe='')}"
        version = int(item.get("report_version") or 1)
        return self.page_url(lang, page, version=version) if version > 1 else self.page_url(lang, page)
