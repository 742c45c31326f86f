"""What a person reads for the values the events carry (a trial's verdict and state, EMSD's
decision on a match), in English and Traditional Chinese: the one table of them, for every
service that shows such a value in an email, a report or a page."""

from typing import Literal

Language = Literal["en", "zh-HK"]

# value -> (English in sentence case, 繁體中文)
VALUE_LABELS: dict[str, tuple[str, str]] = {
    "passed": ("Passed", "通過"),
    "partially_passed": ("Partially passed", "部分通過"),
    "failed": ("Failed", "未通過"),
    "planned": ("Planned", "已計劃"),
    "running": ("Running", "進行中"),
    "completed": ("Completed", "已完成"),
    "terminated": ("Terminated", "已終止"),
    "accepted": ("Accepted", "接納"),
    "rejected": ("Rejected", "拒絕"),
}


def value_label(value: str, language: str, *, inline: bool = False) -> str:
    """The label of `value` in `language` (zh-HK, else English); `inline` for the middle of an
    English sentence ("partially passed")."""
    en, zh = VALUE_LABELS[value]
    if language == "zh-HK":
        return zh
    return en.lower() if inline else en
