"""Text analysis for matching: English stems, Chinese words (jieba's dictionary, through rjieba)
in one folded script."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

import Stemmer

from innoportal.text import STOP_WORDS as _KERNEL_STOP_WORDS
from innoportal.text import CJK_RANGES as _CJK
from innoportal.text import fold_chinese, normalize
from services.matcher.domain.segment import RJiebaSegmenter, Segmenter

# Extension B and beyond hold Hong Kong characters (𨋢, lift; 𠝹, to cut) beside the basic block.
_IS_CJK = re.compile(f"[{_CJK}]")
_NOT_CJK = re.compile(f"[^{_CJK}]+")
_EN_TOKEN = re.compile(r"[a-z0-9]+")
_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
ANALYSIS_VERSION = 3  # raise when analysis changes what a text's features are
BIGRAM_MARK = "~"  # key prefix of a character bigram from a word the segmenter does not know
# A token worth indexing: Chinese, or a Latin word that is not a bare number.
_USEFUL = re.compile(rf"[{_CJK}]|[a-z]")


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed token: its index key and the text it came from."""

    key: str
    surface: str


def _data_lines(name: str) -> list[str]:
    text = resources.files("services.matcher.data").joinpath(name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


# One script for Chinese, shared with the kernel's search so both fold alike.
fold = fold_chinese


def singular(word: str) -> str:
    """A light English singular for glossary keys: lifts→lift, batteries→battery, lifting stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def has_chinese(text: str) -> bool:
    """Whether the text has any CJK ideograph."""
    return bool(_IS_CJK.search(text))


class Analyzer:
    """English and Chinese analysis; `extra_words` teaches the segmenter the glossary's terms."""

    def __init__(self, extra_words: Iterable[str] = (), *,
                 segmenter: Segmenter | None = None) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._segmenter = segmenter or RJiebaSegmenter()
        for word in extra_words:
            # Taught at a high frequency, domain terms (扶手電梯, 物聯網) stay whole.
            self._segmenter.add_word(fold(normalize(word)))
        self.stop_en = frozenset(_KERNEL_STOP_WORDS) | frozenset(_data_lines("stopwords_en.txt"))
        self.stop_zh = frozenset(fold(w) for w in _data_lines("stopwords_zh.txt"))
        # The segmenter is part of what features mean: a snapshot made under another is rebuilt.
        digest = hashlib.sha256(repr((ANALYSIS_VERSION, self._segmenter.name, sorted(self.stop_en),
                                      sorted(self.stop_zh))).encode("utf-8"))
        self.fingerprint = digest.hexdigest()[:16]  # with the glossary's: what features mean

    def english_words(self, text: str) -> list[str]:
        """Lower-case Latin words in order (stop words kept: glossary phrases need them)."""
        return _EN_TOKEN.findall(normalize(text))

    def english(self, text: str | None) -> list[Token]:
        """Stemmed English tokens without stop words or bare numbers.

        A hyphenated compound also counts as one word (stand-by → standby, e-payment →
        epayment), so that it meets the same compound written solid.
        """
        if not text:
            return []
        norm = normalize(text)
        words = [w for w in _EN_TOKEN.findall(norm) if w not in self.stop_en and _USEFUL.search(w)]
        joined = [m.group() for m in _HYPHENATED.finditer(norm)]
        solid = [j.replace("-", "") for j in joined]
        stems = self._stemmer.stemWords(words + solid)
        return [Token(s, w) for s, w in zip(stems, words + joined) if s not in self.stop_en]

    def chinese(self, text: str | None) -> list[Token]:
        """Words of folded Chinese text; Latin words inside are stemmed like English."""
        if not text:
            return []
        original = normalize(text)
        folded = fold(original)
        # Folding is nearly always one character for one; then the surface is the writer's own.
        aligned = len(folded) == len(original)
        placed: list[tuple[int, Token]] = []
        for word, start, end in self._segmenter.tokenize(folded, search=True):
            word = word.strip()
            # Single characters (機, 電, 網) join unrelated words; the glossary keeps 蚊, 鼠.
            # Latin words are taken below: segmenters cut them each their own way (nb-iot).
            if len(word) < 2 or not _IS_CJK.search(word) or word in self.stop_zh:
                continue
            placed.append((start, Token(word, original[start:end] if aligned else word)))
        for run in _NOT_CJK.finditer(original):
            # As in an English field: NB-IoT is nb, iot and nbiot there and here alike.
            placed += [(run.start(), token) for token in self.english(run.group())]
        placed.sort(key=lambda p: p[0])  # in the text's order (the sort is stable)
        out = [token for _, token in placed]
        for start, end in self._unknown_runs(folded):
            for i in range(start, end - 1):
                surface = original[i : i + 2] if aligned else folded[i : i + 2]
                out.append(Token(BIGRAM_MARK + folded[i : i + 2], surface))
        return out

    def _unknown_runs(self, folded: str) -> list[tuple[int, int]]:
        """Spans of consecutive Chinese tokens the dictionary does not know (single characters
        and words the segmenter guessed): their character bigrams still let two spellings of
        an unknown term (冷房門, 冷房) meet, within one language."""
        runs: list[tuple[int, int]] = []
        start = end = -1
        knows = self._segmenter.knows
        for word, s, e in self._segmenter.tokenize(folded):
            unknown = (_IS_CJK.fullmatch(word) is not None and word not in self.stop_zh) if (
                len(word) == 1) else (bool(_IS_CJK.match(word)) and not knows(word))
            if unknown and s == end:
                end = e
                continue
            if end - start >= 2:
                runs.append((start, end))
            start, end = (s, e) if unknown else (-1, -1)
        if end - start >= 2:
            runs.append((start, end))
        return runs
