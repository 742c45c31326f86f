"""Scores of many documents: the indexed path scores the candidates pruning finds all at once,
with the same arithmetic as the brute-force path's one document at a time."""

from __future__ import annotations

import numpy as np

from services.matcher.domain.index import Collection
from services.matcher.domain.pruning import Bound, candidates
from services.matcher.domain.scoring import (
    MatchConfig,
    Query,
    coefficients,
    combine,
    semantic_similarity,
)

_SPACE = {"e": 0, "z": 1, "c": 2, "x": 3}
_TIES = 1e-4  # scores this close to the limit-th are kept; the rounded score decides


def coef_table(config: MatchConfig, q: Query) -> np.ndarray:
    """Coefficients for every (languages, has categories, has embedding) of a document:
    row languages × 4 + has categories × 2 + has embedding."""
    has_query_emb = q.embedding is not None
    rows = [coefficients(config, q, langs, bool(cats), bool(emb) and has_query_emb)
            for langs in range(4) for cats in (0, 1) for emb in (0, 1)]
    return np.array(rows, dtype=np.float64)


def _category_similarity(q: Query, target: Collection, cands: np.ndarray) -> np.ndarray:
    ncat = np.frombuffer(target.ncat, np.uint8)[cands].astype(np.float64)
    mask = np.frombuffer(target.catmask, np.uint64)[cands]
    cat_sim = np.zeros(len(cands))
    for cat, qk in q.categories.items():
        bit = target.cat_bit.get(cat)
        if bit is not None:
            cat_sim += qk * ((mask >> np.uint64(bit)) & np.uint64(1)).astype(np.float64)
    return cat_sim / np.sqrt(np.maximum(ncat, 1.0))


def _semantic(config: MatchConfig, q: Query, target: Collection,
              cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rescaled embedding cosine, has an embedding) per candidate; zeros without embeddings."""
    if not (target.dim and q.embedding is not None):
        return np.zeros(len(cands)), np.zeros(len(cands), dtype=np.int64)
    has_emb = np.frombuffer(target.has_emb, np.uint8)[cands].astype(np.int64)
    emb = np.frombuffer(target.emb, np.float32).reshape(-1, target.dim)[cands]
    floor = config.semantic_floor
    return np.clip((emb @ q.embedding - floor) / (1.0 - floor), 0.0, 1.0) * has_emb, has_emb


def scores(config: MatchConfig, q: Query, target: Collection, threshold: float, limit: int,
           keep=None) -> list[tuple]:
    """(score, slot, coefficients, semantic) of the active documents scoring at least
    `threshold` (and above 0), the best `limit` and those tied with the last; `keep(slots)`,
    if given, is a mask of the candidate slots a filter lets through."""
    table = coef_table(config, q)
    semantic = bool(target.dim) and q.embedding is not None
    bound = Bound(table, config.term_power, config.bridge_power, semantic)
    # Words or concepts must be shared: categories alone never make a match.
    cands, dots = candidates(q.weights, target, table, threshold, bound)
    if keep is not None and len(cands):
        kept = keep(cands)
        cands, dots = cands[kept], dots[:, kept]
    if not len(cands):
        return []
    langs = np.frombuffer(target.langs, np.uint8)[cands].astype(np.int64)
    has_cats = np.frombuffer(target.ncat, np.uint8)[cands] > 0
    cat_sim = _category_similarity(q, target, cands)
    sem, has_emb = _semantic(config, q, target, cands)
    coefs = table[langs * 4 + has_cats * 2 + has_emb]
    score = combine(coefs.T, dots[0], dots[1], dots[2], sem, cat_sim, config.term_power,
                    dots[3], config.bridge_power)
    best = np.flatnonzero((score >= threshold) & (score > 0))
    if len(best) > limit:
        # Everything tied with the limit-th score stays (within float32 noise), so ties
        # order by id as in a scan.
        kth = np.partition(score[best], len(best) - limit)[len(best) - limit]
        best = best[score[best] >= kth - _TIES]
    return [(float(score[i]), int(cands[i]), tuple(coefs[i]), float(sem[i])) for i in best]


def scan(config: MatchConfig, q: Query, target: Collection) -> list[tuple]:
    """The brute-force path: the same score, one document at a time from its forward list."""
    table = coef_table(config, q)
    out = []
    for slot in range(len(target.ids)):
        if not target.active[slot]:
            continue
        emb = target.embedding_of(slot) if q.embedding is not None else None
        score, coefs, sem = score_doc(config, q, table, target.features_of(slot),
                                      target.langs[slot], target.categories_of(slot), emb)
        if score > 0:
            out.append((score, slot, coefs, sem))
    return out


def score_doc(config: MatchConfig, q: Query, table, feats, langs: int, cats: list[str],
              emb) -> tuple:
    """Score of one document given its forward list: (score, coefficients, semantic)."""
    dots = [0.0, 0.0, 0.0, 0.0]
    for key, dw, _ in feats:
        qw = q.weights.get(key)
        if qw:
            dots[_SPACE[key[0]]] += qw * dw
    if sum(dots) <= 0:
        return 0.0, (0.0,) * 6, 0.0  # categories alone never make a match
    cat_sim = sum(q.categories.get(c, 0.0) for c in cats) / max(len(cats), 1) ** 0.5
    has_emb = emb is not None and q.embedding is not None
    sem = semantic_similarity(config, float(emb @ q.embedding)) if has_emb else 0.0
    coefs = tuple(float(c) for c in table[langs * 4 + (len(cats) > 0) * 2 + has_emb])
    score = combine(coefs, dots[0], dots[1], dots[2], sem, cat_sim, config.term_power,
                    dots[3], config.bridge_power)
    return score, coefs, sem
