"""Bilingual keyword matching: text folded to units (English stems, Chinese characters)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from innoportal.text import CJK_RANGES as _CJK
from innoportal.text import fold_chinese, normalize, stem

# The kernel's folding and stemming (the same as search uses), with our own tokens: alerts need
# positions for phrases, and the CJK extension planes (e.g. 𨋢, Cantonese for lift) count too.
_TOKEN = re.compile(rf"[0-9a-z]+(?:['’][a-z]+)?|[{_CJK}]+")
_SEPARATOR = "\x00"  # between texts, so a phrase never matches across two fields


def _is_cjk(unit: str) -> bool:
    return len(unit) == 1 and ord(unit) > 0x3000


def fold(text: str) -> str:
    """`text` normalised for comparison: NFKC, lower case, Chinese folded to one script."""
    return fold_chinese(normalize(text))


def units(text: str) -> list[str]:
    """The matching units of `text`: stemmed English words and single Chinese characters."""
    out: list[str] = []
    for token in _TOKEN.findall(normalize(text)):
        if ord(token[0]) > 0x3000:
            out.extend(fold_chinese(token))
        else:
            out.append(stem(token.replace("’", "'")))
    return out


def index_terms(seq: Iterable[str]) -> set[str]:
    """Index terms of a unit sequence: every English stem and every adjacent Chinese pair."""
    terms: set[str] = set()
    prev = ""
    for unit in seq:
        if unit == _SEPARATOR:
            prev = ""
            continue
        if _is_cjk(unit):
            if prev and _is_cjk(prev):
                terms.add(prev + unit)
        else:
            terms.add(unit)
        prev = unit
    return terms


@dataclass(frozen=True)
class KeywordKey:
    """A keyword as stored: its units and the one index term (anchor) used to find it."""

    keyword: str
    units: tuple[str, ...]
    anchor: str


def keyword_key(keyword: str) -> KeywordKey | None:
    """The stored form of a keyword, or None if it has nothing to match on."""
    seq = tuple(units(keyword))
    if not seq:
        return None
    latin = [u for u in seq if not _is_cjk(u)]
    if latin:
        # The longest stem is usually the rarest, so the index hands back fewer candidates.
        anchor = max(latin, key=len)
    else:
        pairs = [a + b for a, b in zip(seq, seq[1:], strict=False)]
        if not pairs:
            return None
        anchor = pairs[0]
    return KeywordKey(keyword, seq, anchor)


@dataclass(frozen=True)
class TextProfile:
    """An item's texts prepared once: unit sequence, index terms, unit positions."""

    seq: tuple[str, ...]
    terms: frozenset[str]
    positions: dict[str, tuple[int, ...]]

    def contains(self, key_units: tuple[str, ...]) -> bool:
        """Whether `key_units` occur contiguously in the item's texts."""
        if not key_units:
            return False
        n = len(key_units)
        for start in self.positions.get(key_units[0], ()):
            if self.seq[start : start + n] == key_units:
                return True
        return False


def profile(texts: Iterable[str | None]) -> TextProfile:
    """The matching profile of an item's texts (titles and descriptions, either language)."""
    seq: list[str] = []
    for text in texts:
        if text:
            if seq:
                seq.append(_SEPARATOR)
            seq.extend(units(text))
    positions: dict[str, list[int]] = {}
    for i, unit in enumerate(seq):
        positions.setdefault(unit, []).append(i)
    return TextProfile(
        tuple(seq), frozenset(index_terms(seq)), {u: tuple(p) for u, p in positions.items()}
    )
