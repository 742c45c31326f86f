"""HTML pages behind the confirm, manage and unsubscribe links, in the reader's language."""

import html
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from contracts.categories import CATEGORIES
from services.notifier.emails import LABELS
from services.notifier.rendering import Html, render

# The token is in the URL: no referrer may carry it elsewhere, no cache may keep the page.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "categories": "Categories", "keywords": "Keywords", "frequency": "Frequency",
        "reports": "Trial reports", "language": "Language", "saved": "Your alerts were saved.",
        "status_pending": "waiting for confirmation", "status_confirmed": "active",
        "status_unsubscribed": "unsubscribed", "status_replaced": "replaced by a newer subscription",
        "what_sub": "alert ", "what_contact": "", "forged": "This link is not genuine or is incomplete.",
        "expired": "This link has expired. Subscribe again to get a new one.",
        "unknown": "We have no subscription for this link any more.",
        "ended": "This subscription has ended (unsubscribed or replaced).",
        "missing": "The link has no token.", "invalid": "Some choices were not valid:",
    },
    "zh-HK": {
        "categories": "類別", "keywords": "關鍵詞", "frequency": "頻率",
        "reports": "實地測試報告", "language": "語言", "saved": "已儲存您的通知設定。",
        "status_pending": "等待確認", "status_confirmed": "生效中",
        "status_unsubscribed": "已取消", "status_replaced": "已由較新的訂閱取代",
        "what_sub": "通知", "what_contact": "", "forged": "此連結並不真確或不完整。",
        "expired": "此連結已失效，請重新訂閱以取得新連結。",
        "unknown": "此連結所屬的訂閱已不存在。",
        "ended": "此訂閱已結束（已取消或已由新訂閱取代）。",
        "missing": "連結缺少憑證。", "invalid": "部分選項無效：",
    },
}
LANGUAGE_NAMES = {"en": "English", "zh-HK": "繁體中文"}


def _q(accept: str, media: str) -> float:
    """The quality the Accept header gives `media` (exact type or type/*; */* counts as 0)."""
    best = 0.0
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if kind not in (media, media.split("/")[0] + "/*"):
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        best = max(best, q)
    return best


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON rather than a page."""
    accept = request.headers.get("accept", "")
    return _q(accept, "application/json") > _q(accept, "text/html")


def wants_html(request: Request) -> bool:
    """Whether the client asked for a page rather than JSON (a browser does)."""
    accept = request.headers.get("accept", "")
    return _q(accept, "text/html") > _q(accept, "application/json")


def request_language(request: Request) -> str:
    """en or zh-HK from Accept-Language (the first of the two languages named wins)."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-HK"
        if tag.startswith("en"):
            return "en"
    return "en"


def page(language: str, name: str, values: Mapping[str, Any], status: int = 200) -> HTMLResponse:
    """A full page: templates/<language>/<name>.txt inside the page layout."""
    language = language if language in WORDS else "en"
    title = render(language, name, "subject", values)
    body = render(language, name, "html", values)
    document = render(language, "page_layout", "html", {"title": title, "body": Html(body)})
    return HTMLResponse(document, status_code=status, headers=HEADERS)


def error_page(language: str, reason: str, status: int, detail: str = "") -> HTMLResponse:
    """The page for a link that cannot be used; `reason` is a key of WORDS."""
    words = WORDS.get(language, WORDS["en"])
    message = words.get(reason, reason) + (f" {detail}" if detail else "")
    return page(language, "page_error", {"message": message}, status)


def _category_names(ids: list[str], language: str) -> str:
    names = {c.id: (c.zh if language == "zh-HK" else c.en) for c in CATEGORIES}
    return ("、" if language == "zh-HK" else ", ").join(names.get(i, i) for i in ids)


def rules_summary(sub: Any, language: str) -> Html:
    """A subscription's rules as a list."""
    w, lab = WORDS[language], LABELS[language]
    sep = "、" if language == "zh-HK" else ", "
    items = [
        (w["categories"], _category_names(list(sub.categories), language) or lab["none"]),
        (w["keywords"], sep.join(sub.keywords) or lab["none"]),
        (w["frequency"], lab[sub.frequency]),
        (w["reports"], lab["yes" if sub.receive_reports else "no"]),
        (w["language"], LANGUAGE_NAMES.get(sub.language, sub.language)),
    ]
    rows = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in items)
    return Html(f"<ul>{rows}</ul>")


def _choices(name: str, kind: str, options: list[tuple[str, str]], chosen: set[str]) -> Html:
    out = []
    for value, label in options:
        mark = " checked" if value in chosen else ""
        out.append(f'<label><input type="{kind}" name="{name}" value="{html.escape(value)}"{mark}> '
                   f"{html.escape(label)}</label>")
    return Html("\n".join(out))


def manage_page(sub: Any, language: str, *, action: str, unsubscribe_url: str,
                notice: str = "", errors: list[tuple[str, str]] | None = None,
                status: int = 200) -> HTMLResponse:
    """The manage form, filled with the subscription's current rules."""
    w, lab = WORDS[language], LABELS[language]
    cats = [(c.id, c.zh if language == "zh-HK" else c.en) for c in CATEGORIES]
    banner = ""
    if errors:
        items = "".join(f"<li>{html.escape(f)}: {html.escape(m)}</li>" for f, m in errors)
        banner = f'<div class="error">{html.escape(w["invalid"])}<ul>{items}</ul></div>'
    elif notice:
        banner = f'<p class="notice">{html.escape(notice)}</p>'
    return page(language, "page_manage", {
        "notice": Html(banner), "email": sub.email, "status": w.get(f"status_{sub.status}", sub.status),
        "action": action, "unsubscribe_url": unsubscribe_url,
        "categories": _choices("categories", "checkbox", cats, set(sub.categories)),
        "keywords": ", ".join(sub.keywords),
        "frequencies": _choices("frequency", "radio",
                                [(f, lab[f]) for f in ("instant", "daily", "weekly")], {sub.frequency}),
        "languages": _choices("language", "radio", list(LANGUAGE_NAMES.items()), {sub.language}),
        "reports_checked": " checked" if sub.receive_reports else "",
    }, status)


def subscription_json(sub: Any) -> dict[str, Any]:
    """A subscription as the JSON answers show it."""
    return {
        "email": sub.email, "status": sub.status, "language": sub.language,
        "frequency": sub.frequency, "categories": list(sub.categories),
        "keywords": list(sub.keywords), "receive_reports": sub.receive_reports,
        "confirmed_at": sub.confirmed_at.isoformat().replace("+00:00", "Z") if sub.confirmed_at else None,
    }
