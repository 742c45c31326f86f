"""Error messages in the reader's language: English as written, or Traditional Chinese (Hong Kong).

Framework-free. The HTTP edge (innoportal/http.py, the trials error handler) picks the language
from Accept-Language and translates each `errors[].message`; `field` and `type` never change.
English answers are returned untouched. A message with no translation stays English.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from innoportal.i18n_zh import FRAGMENTS, MESSAGES, NESTED, OR_LISTS, PYDANTIC
from innoportal.text import CJK_RANGES

EN = "en"
ZH = "zh-HK"
LANGUAGES = (EN, ZH)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Messages nest two deep at most ("trial t-1 is planned; cannot start: its planned end ... has
# passed; ..."): no deeper, whatever the echo of some input looks like.
MAX_DEPTH = 2
# CJK ideographs (innoportal.text), CJK punctuation and the full-width forms.
_CJK = re.compile(f"[{CJK_RANGES}\u3000-\u303f\uff00-\uffef]")


def preferences(header: str | None, limit: int = 20) -> list[tuple[str, float, int]]:
    """(item, q, position) of each entry of an Accept or Accept-Language header, lower case;
    q defaults to 1 and an unreadable q counts as 0. Only the first `limit` entries are read."""
    out = []
    for position, part in enumerate((header or "").split(",")[:limit]):
        item, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        out.append((item.lower(), q, position))
    return out


def language_of(accept_language: str | None) -> str:
    """zh-HK when Accept-Language ranks a Chinese tag (zh*) above every English one (en*), else en.

    Ties go to the earlier tag, as browsers list languages in order of preference; q=0 means
    "not this one". Only the first 20 entries are read.
    """
    best: dict[str, tuple[float, int]] = {}
    for tag, q, position in preferences(accept_language):
        kind = ZH if tag.startswith("zh") else EN if tag.startswith("en") else None
        if kind is not None and q > 0 and (kind not in best or (q, -position) > best[kind]):
            best[kind] = (q, -position)
    if ZH in best and (EN not in best or best[ZH] > best[EN]):
        return ZH
    return EN


def language_headers(language: str) -> dict[str, str]:
    """Headers of an answer whose text is in `language`."""
    return {"Content-Language": language, "Vary": "Accept-Language"}


def has_chinese(text: str) -> bool:
    """Whether `text` contains a CJK character or CJK punctuation."""
    return _CJK.search(text) is not None


@dataclass(frozen=True)
class Pattern:
    """An English message with placeholders: its texts around them, their names, its Chinese."""

    texts: tuple[str, ...]  # one more than names: before, between and after the placeholders
    names: tuple[str, ...]
    chinese: str

    @classmethod
    def of(cls, english: str, chinese: str) -> "Pattern":
        """The pattern of `english` (placeholders `{name}`, never two side by side)."""
        parts = _PLACEHOLDER.split(english)
        return cls(tuple(parts[0::2]), tuple(parts[1::2]), chinese)

    def match(self, message: str) -> dict[str, str] | None:
        """Each placeholder's text in `message`, or None when it is not this message.

        Each placeholder takes the shortest text up to the next fixed text, left to right and
        without backtracking: linear in the message, whatever its length or content.
        """
        first, last = self.texts[0], self.texts[-1]
        end = len(message) - len(last)
        if end <= len(first) or not message.startswith(first) or not message.endswith(last):
            return None
        values: dict[str, str] = {}
        pos = len(first)
        for name, text in zip(self.names, (*self.texts[1:-1], None)):
            stop = end if text is None else message.find(text, pos + 1, end)
            if stop <= pos or values.setdefault(name, message[pos:stop]) != message[pos:stop]:
                return None
            pos = stop + (len(text) if text is not None else 0)
        return values


# Messages without placeholders are looked up at once; the others are tried in order.
_EXACT: dict[str, str] = {**FRAGMENTS, **{en: zh for en, zh in MESSAGES if "{" not in en}}
_PATTERNS: list[Pattern] = [Pattern.of(en, zh) for en, zh in MESSAGES if "{" in en]


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _value(name: str, value: Any, depth: int = 0) -> str:
    """A placeholder's text in Chinese: looked up when NESTED, its " or " translated in a list."""
    text = str(value)
    if name in NESTED and depth < MAX_DEPTH:
        return _chinese(text, depth + 1) or text
    if name in OR_LISTS:
        return text.replace(" or ", " 或 ")
    return text


def _chinese(message: str, depth: int = 0) -> str | None:
    """The Chinese of an English message, or None when the catalogue has none."""
    if (exact := _EXACT.get(message)) is not None:
        return exact
    for pattern in _PATTERNS:
        if (values := pattern.match(message)) is not None:
            return _fill(pattern.chinese, {k: _value(k, v, depth) for k, v in values.items()})
    return None


def translate(message: str, language: str) -> str:
    """A message the services write in English, in `language` (English when untranslated)."""
    if language != ZH:
        return message
    return _chinese(message) or message


def validation_message(error: Mapping[str, Any], english: str, language: str) -> str:
    """A pydantic validation error in `language`: by its type and ctx (English when untranslated).

    `english` is the message the English answer carries for it.
    """
    if language != ZH:
        return english
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        return translate(english, language)
    template = PYDANTIC.get(kind)
    if template is None:
        return english
    ctx = error.get("ctx") or {}
    return _fill(template, {k: _value(k, v) for k, v in ctx.items()})


def localize(errors: Iterable[Mapping[str, str]], language: str) -> list[dict[str, str]]:
    """Field errors with each message in `language`; field and type as they were."""
    return [{**e, "message": translate(e["message"], language)} for e in errors]
