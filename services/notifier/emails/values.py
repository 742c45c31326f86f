"""What each kind of email fills into its template, in the reader's language: one function per
kind, each given the portal's links (the composer), the row's context and the stored items."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote

from services.notifier.emails.labels import LABELS, categories, title, why
from services.notifier.emails.rendering import Both, render_both

DIGEST_MAX_ITEMS = 50


class EmptyDigest(ValueError):
    """A digest with no item is never built."""


class Urls(Protocol):
    """Where an email's links go (the Composer): portal pages, some carrying a signed token."""

    def page_url(self, language: str, page: str, token: str | None = None, **params: Any) -> str:
        """The portal's `page` in `language`."""

    def token_url(self, language: str, page: str, purpose: str, subject: str, now: datetime) -> str:
        """A portal page carrying a signed token for `purpose` on `subject`."""


def values_of(c: Urls, kind: str, language: str, context: dict, items: Mapping[str, Any],
              item_key: str | None, now: datetime) -> dict:
    """The template values of one email of `kind` (items: stored item contexts by key)."""
    item = dict(items.get(item_key or "", {}))
    return _BY_KIND[kind](c, language, context, item, items, now)


def _confirmation(c: Urls, lang: str, ctx: dict, _item: dict, _items: Mapping,
                  now: datetime) -> dict:
    lab = LABELS[lang]
    return {
        "confirm_url": c.token_url(
            lang, "subscribe/confirm", "confirm", "sub:" + ctx["subscription_id"], now),
        "categories": categories(ctx.get("categories", []), lang),
        "keywords": ("、" if lang == "zh-HK" else ", ").join(ctx.get("keywords", [])) or lab["none"],
        "frequency": lab[ctx.get("frequency", "instant")],
        "reports": lab["yes" if ctx.get("receive_reports") else "no"],
    }


def _wish_values(c: Urls, lang: str, wish: Mapping[str, Any], reasons: Any) -> dict:
    other_lang = "en" if lang == "zh-HK" else "zh-HK"
    main, other = title(wish, lang), title(wish, other_lang)
    desc_keys = ("description_zh", "description_en") if lang == "zh-HK" else ("description_en", "description_zh")
    return {
        "title": main, "other_title": "" if other == main else other,
        "owner_org": wish.get("owner_org", ""), "categories": categories(wish.get("categories", []), lang),
        "closes_on": wish.get("closes_on") or LABELS[lang]["open"],
        "description": next((wish[k] for k in desc_keys if wish.get(k)), ""),
        "url": c.page_url(lang, f"wishes/{quote(wish['id'], safe='')}"),
        "why": why(reasons, lang),
    }


def _wish_alert(c: Urls, lang: str, ctx: dict, item: dict, _items: Mapping,
                _now: datetime) -> dict:
    return _wish_values(c, lang, item, ctx.get("reasons"))


def _digest(c: Urls, lang: str, ctx: dict, _item: dict, items: Mapping,
            _now: datetime) -> dict:
    entries = [(items[e["key"]], e.get("reasons")) for e in ctx.get("items", []) if e["key"] in items]
    if not entries:
        raise EmptyDigest("a digest needs at least one item")
    lab, shown = LABELS[lang], entries[:DIGEST_MAX_ITEMS]
    parts = [render_both(lang, "_item", _wish_values(c, lang, w, r)) for w, r in shown]
    n, rest = len(entries), len(entries) - len(shown)
    return {
        "frequency": lab[ctx.get("frequency", "daily")], "period": ctx.get("period", ""),
        "count_label": lab["one"] if n == 1 else lab["many"].format(n=n),
        "title": title(entries[0][0], lang),
        "items": Both("\n".join(p.text for p in parts), "\n".join(p.html for p in parts)),
        "more": lab["more"].format(n=rest) if rest else "",
    }


def _pair(c: Urls, lang: str, item: dict) -> dict:
    wish, sol = item.get("wish", {}), item.get("solution", {})
    return {
        "wish_title": title(wish, lang), "wish_org": wish.get("owner_org", ""),
        "wish_contact": wish.get("contact_email", ""),
        "wish_url": c.page_url(lang, f"wishes/{quote(wish.get('id', ''), safe='')}"),
        "solution_title": title(sol, lang), "solution_org": sol.get("owner_org", ""),
        "solution_contact": sol.get("contact_email", ""),
        "solution_url": c.page_url(lang, f"solutions/{quote(sol.get('id', ''), safe='')}"),
    }


def _match_found(c: Urls, lang: str, ctx: dict, item: dict, _items: Mapping,
                 _now: datetime) -> dict:
    reasons = {"categories": [r["value"] for r in item.get("reasons", []) if r["kind"] == "category"],
               "keywords": [r["value"] for r in item.get("reasons", []) if r["kind"] != "category"]}
    return {**_pair(c, lang, item), "role": LABELS[lang][ctx.get("role", "wish")],
            "score": f"{float(item.get('score', 0)):.2f}", "why": why(reasons, lang)}


def _match_decided(c: Urls, lang: str, ctx: dict, item: dict, _items: Mapping,
                   _now: datetime) -> dict:
    return {**_pair(c, lang, item), "decision": LABELS[lang][item.get("decision", "accepted")],
            "reason": item.get("reason") or LABELS[lang]["no_reason"]}


def _trial_pair(c: Urls, lang: str, item: dict) -> dict:
    by_role = {p["role"]: p for p in item.get("parties", [])}
    return _pair(c, lang, {"wish": by_role.get("wish", {}), "solution": by_role.get("solution", {})})


def _trial_completed(c: Urls, lang: str, ctx: dict, item: dict, _items: Mapping,
                     _now: datetime) -> dict:
    lab = LABELS[lang]
    kpis = [render_both(lang, "_kpi", {
        "name": k["name"], "unit": k["unit"], "baseline": k["baseline"], "target": k["target"],
        "measured": "—" if k.get("measured") is None else k["measured"],
        "met": lab["yes" if k.get("met") else "no"],
    }) for k in item.get("kpi_results", [])]
    return {**_trial_pair(c, lang, item), "verdict": lab[item.get("verdict", "passed")],
            "summary": item.get("summary") or "", "report_url": _report_url(c, lang, item),
            "kpis": Both("\n".join(k.text for k in kpis) or lab["none"],
                         "\n".join(k.html for k in kpis))}


def _trial_terminated(c: Urls, lang: str, ctx: dict, item: dict, _items: Mapping,
                      _now: datetime) -> dict:
    return {**_trial_pair(c, lang, item), "reason": item.get("reason") or LABELS[lang]["no_reason"],
            "from_state": LABELS[lang][item.get("from_state", "running")],
            "trial_url": c.page_url(lang, f"trials/{quote(item.get('trial_id', ''), safe='')}")}


def _report_url(c: Urls, lang: str, item: dict) -> str:
    """The report's page; a corrected report (version 2 on) names its version."""
    page = f"reports/{quote(item.get('trial_id', ''), safe='')}"
    version = int(item.get("report_version") or 1)
    return c.page_url(lang, page, version=version) if version > 1 else c.page_url(lang, page)


_BY_KIND: dict[str, Callable[..., dict]] = {
    "confirmation": _confirmation, "wish_alert": _wish_alert, "digest": _digest,
    "match_found": _match_found, "match_decided": _match_decided,
    "trial_completed": _trial_completed, "trial_terminated": _trial_terminated,
}
