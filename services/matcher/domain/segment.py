"""Chinese word segmentation for the analyser: rjieba (jieba-rs, maintained) behind a small port.

`python -m bench.textdeps` measured it against the unmaintained Python `jieba` it replaced:
the same tokens on every labelled text, the same matching scores, and faster. Another
segmenter (the old one, for that benchmark) only has to offer these three methods.
"""

from __future__ import annotations

from typing import Protocol

DOMAIN_WORD_FREQ = 200000  # high enough that the segmenter keeps a glossary term whole


class Segmenter(Protocol):
    """What the analyser needs of a segmenter. Offsets are in characters, end exclusive."""

    name: str  # with its version: part of the analyser's fingerprint (snapshots)

    def add_word(self, word: str) -> None:
        """Teach a domain word, to be kept whole (扶手電梯, 物聯網)."""

    def tokenize(self, text: str, *, search: bool = False) -> list[tuple[str, int, int]]:
        """(word, start, end) of `text`; `search` adds the known words inside longer ones."""

    def knows(self, word: str) -> bool:
        """Whether `word` is in the dictionary (or was taught), not a guess of the HMM."""


class RJiebaSegmenter:
    """jieba-rs through rjieba: jieba's dictionary and HMM, one instance per analyser."""

    def __init__(self) -> None:
        from importlib.metadata import version

        import rjieba

        self._jieba = rjieba.Jieba()
        self.name = f"rjieba-{version('rjieba')}"

    def add_word(self, word: str) -> None:
        self._jieba.add_word(word, DOMAIN_WORD_FREQ, None)

    def tokenize(self, text: str, *, search: bool = False) -> list[tuple[str, int, int]]:
        return self._jieba.tokenize(text, mode="search" if search else "default")

    def knows(self, word: str) -> bool:
        return self._jieba.has_word(word)
