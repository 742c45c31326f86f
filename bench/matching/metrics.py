"""Ranking metrics over graded judgements: nDCG@k, Recall@k, MRR."""

from __future__ import annotations

import math


def dcg(gains: list[int]) -> float:
    """Discounted cumulative gain with exponential gain (2^grade - 1)."""
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    """nDCG@k of one ranking; 0 when nothing is relevant."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(d, 0) for d in ranked[:k]]) / ideal


def recall_at(ranked: list[str], grades: dict[str, int], k: int, min_grade: int = 2) -> float:
    """Share of the documents graded ≥ min_grade that appear in the top k."""
    rel = {d for d, g in grades.items() if g >= min_grade}
    if not rel:
        return 0.0
    return len(rel & set(ranked[:k])) / len(rel)


def reciprocal_rank(ranked: list[str], grades: dict[str, int], min_grade: int = 2) -> float:
    """1 / rank of the first document graded ≥ min_grade (0 if none is ranked)."""
    for i, d in enumerate(ranked):
        if grades.get(d, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def summarize(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@5, Recall@10 and MRR over the queries of `runs`."""
    qs = [q for q in runs if any(g >= 2 for g in qrels.get(q, {}).values())]
    if not qs:
        return {"ndcg@5": 0.0, "recall@10": 0.0, "mrr": 0.0, "n": 0}
    return {
        "ndcg@5": sum(ndcg_at(runs[q], qrels[q], 5) for q in qs) / len(qs),
        "recall@10": sum(recall_at(runs[q], qrels[q], 10) for q in qs) / len(qs),
        "mrr": sum(reciprocal_rank(runs[q], qrels[q]) for q in qs) / len(qs),
        "n": len(qs),
    }
