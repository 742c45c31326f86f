"""EMSD's decisions as labels: a rejection's free-text reason sorted into a fixed set of kinds, for
the matcher's metrics (services/matcher/metrics.py) and `bench.matching --decisions`.

The API takes a rejection's reason as free text (POST /v1/matches/{id}/reject {reason}), in
English or Chinese, and publishes it as written. Metrics and `bench.matching --decisions` need a
bounded set, so each reason is sorted by keywords into one of REJECT_REASONS, the first that
applies in that order (a budget that "does not meet" anything is about cost, not relevance):

- duplicate: the pair, or the solution for this need, is already there;
- compliance: safety, regulations, certification, licences, privacy, security;
- not_ready: not mature enough (TRL, prototype, not proven, no track record);
- cost: price, budget, funding;
- not_relevant: the solution does not address the wish (out of scope, wrong problem, unsuitable);
- other: anything else, and a reason none of these words describe.

Only `not_relevant` says the matcher was wrong; the others reject a pair that did match the need.
"""

from __future__ import annotations

import re
import unicodedata

from innoportal.text import fold_chinese

STATUSES = ("pending", "accepted", "rejected")
REJECT_REASONS = ("duplicate", "compliance", "not_ready", "cost", "not_relevant", "other")
ACCEPTED_REASON = "none"  # an acceptance's note is kept as written, not sorted

# English: at a word's start (regulat: regulation, regulatory); one ending in a space is a whole
# word (law, not lawn). Chinese: anywhere in the Simplified folding, so 規例 and 规例 both count.
_KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "duplicate": (
        ("duplicat", "already matched", "already covered", "already have", "already has",
         "already in place", "already use", "already trial", "same solution", "same as",
         "repeat", "redundant"),
        ("重複", "重覆", "已有", "已經有", "已採用", "已經採用", "已配對", "相同方案"),
    ),
    "compliance": (
        ("safety", "unsafe", "safe ", "regulat", "complian", "comply", "certif", "licen",
         "statutory", "legal", "law ", "laws ", "privacy", "personal data", "security",
         "cybersecurity",
         "code of practice", "fire code", "standard"),
        ("安全", "規例", "法例", "法規", "規管", "合規", "認證", "牌照", "許可", "私隱", "個人資料",
         "保安", "網絡安全", "標準", "守則"),
    ),
    "not_ready": (
        ("trl", "immature", "not mature", "maturity", "prototype", "proof of concept", "unproven",
         "not proven", "not yet proven", "early stage", "early-stage", "not ready",
         "track record", "not field tested", "untested", "lab only", "laboratory"),
        ("未成熟", "不成熟", "成熟度", "技術成熟", "原型", "概念驗證", "未經驗證", "未經證實",
         "未有往績", "往績", "初期", "實驗室"),
    ),
    "cost": (
        ("cost", "budget", "expensive", "price", "pricing", "afford", "funding", "fund ",
         "value for money", "too costly"),
        ("成本", "預算", "昂貴", "價格", "價錢", "費用", "資金", "經費", "太貴", "物有所值"),
    ),
    "not_relevant": (
        ("not relevant", "irrelevant", "unrelated", "not related", "does not address",
         "doesn't address", "does not meet", "doesn't meet", "does not match", "doesn't match",
         "mismatch", "not match", "does not fit", "doesn't fit", "not fit", "not a fit",
         "out of scope", "outside the scope", "off topic", "off-topic", "different problem",
         "different need", "wrong", "not suitable", "unsuitable", "not applicable",
         "not what", "no relation", "false match", "false positive"),
        ("不相關", "無關", "沒有關係", "不符合", "不符", "不配合", "不適合", "不合適", "不適用",
         "錯配", "範圍以外", "超出範圍", "並非", "不是我們"),
    ),
}


def _english_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(w.strip()) + ("(?![a-z0-9])" if w.endswith(" ") else "") for w in words]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + ")")


_RULES = [(kind, _english_pattern(en), tuple(fold_chinese(w) for w in zh))
          for kind, (en, zh) in _KEYWORDS.items()]
assert tuple(kind for kind, _, _ in _RULES) + ("other",) == REJECT_REASONS


def reason_category(reason: str | None) -> str:
    """The kind of a rejection's free-text reason: one of REJECT_REASONS."""
    if not reason or not reason.strip():
        return "other"
    text = " ".join(unicodedata.normalize("NFKC", reason).lower().replace("’", "'").split())
    folded = fold_chinese(text)
    for kind, english, chinese in _RULES:
        if english.search(text) or any(word in folded for word in chinese):
            return kind
    return "other"


def decision_reason(decision: str, reason: str | None) -> str:
    """The `reason` label of a decided match: the kind of a rejection; `none` for an accept."""
    return reason_category(reason) if decision == "rejected" else ACCEPTED_REASON
