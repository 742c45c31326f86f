"""Words the emails fill in (frequencies, decisions, verdicts...), in English and Chinese."""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "instant": "instant", "daily": "daily", "weekly": "weekly", "none": "none",
        "yes": "yes", "no": "no", "wish": "wish", "solution": "solution",
        "subscriber": "subscription", "accepted": "accepted", "rejected": "rejected",
        "passed": "passed", "partially_passed": "partially passed", "failed": "failed",
        "planned": "planned", "running": "running", "category": "category", "keyword": "keyword",
        "one": "1 new wish", "many": "{n} new wishes", "more": "and {n} more on InnoPortal.",
        "no_reason": "no reason given", "untitled": "(untitled)", "open": "open",
    },
    "zh-HK": {
        "instant": "即時", "daily": "每日", "weekly": "每週", "none": "無",
        "yes": "是", "no": "否", "wish": "創科願望", "solution": "創科解決方案",
        "subscriber": "訂閱", "accepted": "接納", "rejected": "拒絕",
        "passed": "通過", "partially_passed": "部分通過", "failed": "未通過",
        "planned": "計劃中", "running": "進行中", "category": "類別", "keyword": "關鍵詞",
        "one": "1 項新願望", "many": "{n} 項新願望", "more": "另有 {n} 項，請瀏覽 InnoPortal。",
        "no_reason": "未有提供原因", "untitled": "（未命名）", "open": "未定",
    },
}
