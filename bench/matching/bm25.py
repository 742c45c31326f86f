"""Plain Okapi BM25 over the matcher's own tokens (English stems, jieba words): the baseline."""

from __future__ import annotations

import math
from collections import Counter


class BM25:
    """BM25 with the usual k1 and b over pre-tokenised documents."""

    def __init__(self, docs: dict[str, list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = {d: Counter(toks) for d, toks in docs.items()}
        self.len = {d: len(toks) for d, toks in docs.items()}
        self.avgdl = sum(self.len.values()) / max(len(docs), 1)
        df: Counter[str] = Counter()
        for tf in self.tf.values():
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def rank(self, query: list[str]) -> list[str]:
        """Documents with a positive score, best first (ties by id)."""
        scores: dict[str, float] = {}
        terms = set(query)
        for d, tf in self.tf.items():
            norm = self.k1 * (1 - self.b + self.b * self.len[d] / self.avgdl)
            s = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in terms if t in tf)
            if s > 0:
                scores[d] = s
        return sorted(scores, key=lambda d: (-scores[d], d))
