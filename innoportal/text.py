"""Bilingual text analysis for search: English stems, Chinese character n-grams, script folding;
the one definition of the CJK ideographs and of text no one means to type (control characters)."""

import re
import unicodedata
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")
# The CJK ideographs, as the inside of a regular expression's [...]: Extension A, the unified
# block, the compatibility ideographs, and the astral planes (Extension B and later), where Hong
# Kong characters live (𨋢 U+282E2, Cantonese for a lift; 𠝹, to cut).
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{CJK_RANGES}]+|[a-z0-9]+(?:['’][a-z]+)?")
_IS_CJK = re.compile(rf"[{CJK_RANGES}]")

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves""".split()
)


@lru_cache(maxsize=1)
def _converter():
    # `opencc`: OpenCC's own C++ library (maintained; bench.textdeps measured it against the
    # pure-Python reimplementation it replaced: the same folding of every labelled text).
    from opencc import OpenCC

    # Traditional → Simplified is many-to-one, so folding to Simplified makes 電梯 and 电梯 equal;
    # hk2s also folds Hong Kong variant characters (綫→线).
    return OpenCC("hk2s")


@lru_cache(maxsize=65536)
def fold_chinese(run: str) -> str:
    """Hong Kong Traditional (or Simplified) Chinese folded to one script, so they match."""
    return _converter().convert(run)


def normalize(text: str) -> str:
    """NFKC (full-width to ASCII), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def has_chinese(text: str) -> bool:
    """Whether the text has any CJK ideograph."""
    return bool(_IS_CJK.search(text))


def stem(word: str) -> str:
    """The English Snowball stem of a lower-case word."""
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=1)
def _segmenter():
    # rjieba: jieba's dictionary and HMM in Rust (jieba-rs), maintained; the matcher's analyser
    # uses it too (services/matcher/domain/segment.py).
    import rjieba

    return rjieba.Jieba()


def warm_up() -> None:
    """Load the segmenter's dictionary now, not on the first Chinese search."""
    _segmenter()


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _cjk_grams(run: str, *, index: bool) -> list[str]:
    run = fold_chinese(run)
    if index:
        # Documents index every bigram and every character, so any query word finds them.
        return _bigrams(run) + (list(run) if len(run) > 1 else [])
    # A query is segmented into words first: 電梯維修 asks for 電梯 and 維修, not the
    # bigram 梯維 that spans the two words.
    terms: list[str] = []
    for word in _segmenter().cut(run):
        terms.extend(_bigrams(word))
    return terms


def analyze(text: str | None, *, index: bool = False) -> list[str]:
    """Search terms of `text`: English stems without stop words, Chinese bigrams (folded)."""
    if not text:
        return []
    terms: list[str] = []
    for match in _TOKEN.finditer(normalize(text)):
        token = match.group()
        if _IS_CJK.match(token):
            terms.extend(_cjk_grams(token, index=index))
        elif token not in STOP_WORDS:
            token = token.replace("’", "'").split("'")[0]
            if token and token not in STOP_WORDS:
                terms.append(stem(token))
    return terms


def weighted_terms(fields: list[tuple[str | None, float]]) -> dict[str, float]:
    """Terms of several fields with their weights summed (a title counts more than a body)."""
    weights: dict[str, float] = {}
    for text, weight in fields:
        for term in analyze(text, index=True):
            weights[term] = weights.get(term, 0.0) + weight
    return {t[:64]: w for t, w in weights.items()}


def query_terms(q: str | None) -> list[str]:
    """Distinct terms of a search query, in order (all must match)."""
    seen: dict[str, None] = {}
    for term in analyze(q, index=False):
        seen.setdefault(term[:64], None)
    return list(seen)


# Unicode's control characters (category Cc: C0, DEL, C1) and, among them, those str.isspace()
# counts as white space.
CONTROLS = "".join(map(chr, (*range(0x20), *range(0x7F, 0xA0))))
SPACE_CONTROLS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85"


@lru_cache(maxsize=16)
def _control_pattern(allow: str) -> re.Pattern[str]:
    refused = "".join(c for c in CONTROLS if c not in allow)
    # Lone surrogates (category Cs) too: PostgreSQL stores neither them nor NUL.
    return re.compile(f"[{re.escape(refused)}\ud800-\udfff]")


def has_control(value: str, *, allow: str = "") -> bool:
    """Whether `value` has a control character not in `allow`, or a lone surrogate.

    No one means to type either: `allow="\\n\\r\\t"` lets a multi-line text through, and
    `allow=SPACE_CONTROLS` every control character that is white space.
    """
    return _control_pattern(allow).search(value) is not None
