"""Words the emails fill in (frequencies, decisions, verdicts, the role an invitation gives...),
in English and Chinese: the one table of them, and how titles, categories and reasons are said
in each."""

from collections.abc import Mapping
from typing import Any

from contracts.categories import CATEGORIES
from contracts.labels import VALUE_LABELS, value_label

_CAT = {c.id: c for c in CATEGORIES}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "instant": "instant", "daily": "daily", "weekly": "weekly", "none": "none",
        "yes": "yes", "no": "no", "wish": "wish", "solution": "solution",
        "subscriber": "subscription", "category": "category", "keyword": "keyword",
        "one": "1 new wish", "many": "{n} new wishes", "more": "and {n} more on InnoPortal.",
        "no_reason": "no reason given", "untitled": "(untitled)", "open": "open",
        # One-time link emails: who the reader will act for, and who invited them.
        "acting_department": "You will act for {org}, a government department or public body.",
        "acting_provider": "You will act for {org}, a solution provider.",
        "acting_emsd": "You will act for {org} as EMSD staff.",
        "invited_by": "The invitation is from {who}.",
    },
    "zh-HK": {
        "instant": "即時", "daily": "每日", "weekly": "每週", "none": "無",
        "yes": "是", "no": "否", "wish": "創科願望", "solution": "創科解決方案",
        "subscriber": "訂閱", "category": "類別", "keyword": "關鍵詞",
        "one": "1 項新願望", "many": "{n} 項新願望", "more": "另有 {n} 項，請瀏覽 InnoPortal。",
        "no_reason": "未有提供原因", "untitled": "（未命名）", "open": "未定",
        "acting_department": "您將代表政府部門或公營機構「{org}」。",
        "acting_provider": "您將代表方案提供者「{org}」。",
        "acting_emsd": "您將以機電署職員身分代表「{org}」。",
        "invited_by": "邀請人：{who}。",
    },
}
# The words for the values events carry (verdicts, trial states, decisions) come from the one
# table in contracts, said in the middle of a sentence.
for _lang in LABELS:
    LABELS[_lang].update({v: value_label(v, _lang, inline=True) for v in VALUE_LABELS})


def title(ctx: Mapping[str, Any], language: str) -> str:
    """An item's title in `language`, falling back to the other language."""
    first, second = ("title_zh", "title_en") if language == "zh-HK" else ("title_en", "title_zh")
    return ctx.get(first) or ctx.get(second) or LABELS[language]["untitled"]


def categories(ids: list[str], language: str) -> str:
    """Category ids by their names in `language`, listed as the language lists them."""
    sep = "、" if language == "zh-HK" else ", "
    field = "zh" if language == "zh-HK" else "en"
    return sep.join(getattr(_CAT[c], field) if c in _CAT else c for c in ids) or LABELS[language]["none"]


def why(reasons: Mapping[str, list[str]] | None, language: str) -> str:
    """Why a reader got an item: the categories and keywords that matched."""
    reasons = reasons or {}
    lab = LABELS[language]
    parts = [f"{lab['category']} {categories([c], language)}" for c in reasons.get("categories", [])]
    quote_ = "「{}」" if language == "zh-HK" else "“{}”"
    parts += [f"{lab['keyword']} " + quote_.format(k) for k in reasons.get("keywords", [])]
    return ("、" if language == "zh-HK" else "; ").join(parts) or lab["none"]
