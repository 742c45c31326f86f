"""The candidates of one ranking and their dot products per space, without looking at every
document that shares a common word with the query.

MaxScore (Turtle and Flood, 1995), for this module's score: a query term can add at most
q-weight × its largest document weight to one space's dot product, and a document's score is at
most what its dots allow with the category factor at 1. Terms are set aside, longest postings
first, while a document found in set-aside terms only could not reach the threshold; the
candidates are the documents of the remaining terms, and every term, set aside or not, then
adds its exact share to them. The dots are summed term by term in the query's order, as a full
accumulation sums them, so each candidate's score is the same float.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.matcher.domain.profile import EN, N_SPACES, SPACE_BRIDGE, SPACE_OF_PREFIX, ZH

BOTH = EN | ZH
GROUPS = (EN, ZH, BOTH)  # document languages; a document without text has no postings at all
_ROOM = 1e-6  # float32 weights: a term is set aside only this far below the threshold
_DOT_MAX = 1.0 + 1e-5  # a cosine of unit vectors, with float32 rounding


@dataclass(slots=True)
class Term:
    """One query feature's postings: documents (ascending slots) of the languages in `groups`."""

    space: int
    qw: float
    ids: np.ndarray
    w: np.ndarray
    bound: float  # qw × the largest weight in `w`: no document gets more from this term
    groups: tuple[int, ...]


class Bound:
    """The best score a document of each language could have, given bounds of its dots."""

    def __init__(self, table: np.ndarray, term_power: float, bridge_power: float,
                 semantic: bool) -> None:
        # Rows of the coefficient table: languages × 4 + has categories × 2 + has embedding.
        cols = (0, 1, 2, 3) if semantic else (0, 2)
        self.coefs = {g: table[[g * 4 + c for c in cols]].max(axis=0).tolist() for g in GROUPS}
        self.tp, self.bp, self.semantic = term_power, bridge_power, semantic
        # The bound holds while the score grows with every dot (and the category factor is
        # at most 1): no negative weight, no power at or below 0.
        self.holds = bool((table >= 0).all()) and term_power > 0 and bridge_power > 0

    def of(self, g: int, dots: list[float]) -> float:
        """Highest score of a language-`g` document whose dots are at most `dots`."""
        c_en, c_zh, c_con, c_sem, _beta, c_br = self.coefs[g]
        en, zh, con, br = (min(d, _DOT_MAX) for d in dots)
        # The category factor, 1 - β + β·similarity, is at most 1.
        return (c_en * en**self.tp + c_zh * zh**self.tp + c_con * con + c_br * br**self.bp
                + (c_sem if self.semantic else 0.0))


def bridge_groups(table: np.ndarray, semantic: bool) -> tuple[int, ...] | None:
    """The document languages whose bridge postings count for this query: some of (EN, ZH),
    served by the split postings, or None when bilingual documents need them too, or when an
    embedding is compared (any shared feature, the bridge's too, lets it count)."""
    need = [g for g in GROUPS if table[g * 4 : g * 4 + 4, 5].max() > 0]
    return None if (BOTH in need or semantic) else tuple(need)


def query_terms(weights: dict[str, float], c, table: np.ndarray,
                semantic: bool = False) -> list[Term]:
    """The postings each query feature reads, in the query's order."""
    derived = c.derived
    derived.sync(c)
    split = bridge_groups(table, semantic)
    out: list[Term] = []
    for key, qw in weights.items():
        fid = c.vocab.get(key)
        if fid is None or not c.df[fid]:
            continue
        space = SPACE_OF_PREFIX[key[:2]]
        if space == SPACE_BRIDGE and split is not None:
            for g in split:
                got = derived.bridge_postings(g, fid)
                if got is not None:
                    out.append(Term(space, qw, got[0], got[1], qw * got[2], (g,)))
            continue
        ids = np.frombuffer(c.post_ids[fid], dtype=np.int32)
        w = np.frombuffer(c.post_w[fid], dtype=np.float32)
        out.append(Term(space, qw, ids, w, qw * float(derived.max_w[fid]), GROUPS))
    return out


def set_aside(terms: list[Term], bound: Bound, threshold: float) -> list[bool]:
    """Which terms cannot lift a document to the threshold on their own, all of them together:
    the longest postings first."""
    limit = threshold - _ROOM
    aside = [False] * len(terms)
    sums = {g: [0.0] * N_SPACES for g in GROUPS}
    if not bound.holds or any(bound.of(g, sums[g]) >= limit for g in GROUPS):
        return aside
    for i in sorted(range(len(terms)), key=lambda i: -len(terms[i].ids)):
        t = terms[i]
        trial = {g: list(sums[g]) for g in t.groups}
        for g in t.groups:
            trial[g][t.space] += t.bound
        if all(bound.of(g, trial[g]) < limit for g in t.groups):
            sums.update(trial)
            aside[i] = True
    return aside


def accumulate(terms: list[Term], n_slots: int,
               active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every document sharing a feature: (candidate slots, dots per space of shape (4, slots))."""
    # float64: the bridge enters as dot^0.25, which magnifies float32's last bits near 0.
    acc = np.zeros((N_SPACES, n_slots), dtype=np.float64)
    for t in terms:
        # One posting per slot and feature, so plain fancy-index addition is exact.
        acc[t.space, t.ids] += t.qw * t.w
    cands = np.flatnonzero((acc.sum(axis=0) > 0) & (active == 1))
    return cands, acc[:, cands]


def pruned(terms: list[Term], aside: list[bool], n_slots: int,
           active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The documents of the terms not set aside, with exact dots from all terms."""
    mark = np.zeros(n_slots, dtype=bool)
    for t, skip in zip(terms, aside):
        if not skip:
            mark[t.ids] = True
    cands = np.flatnonzero(mark & (active == 1))
    dots = np.zeros((N_SPACES, len(cands)), dtype=np.float64)
    if not len(cands):
        return cands, dots
    rank = np.full(n_slots, -1, dtype=np.int32)
    rank[cands] = np.arange(len(cands), dtype=np.int32)
    for t in terms:
        if len(t.ids) > 32 * len(cands):
            # Few candidates, long postings: binary search (postings are in slot order).
            pos = np.minimum(np.searchsorted(t.ids, cands), len(t.ids) - 1)
            at = np.flatnonzero(t.ids[pos] == cands)
            dots[t.space, at] += t.qw * t.w[pos[at]]
        else:
            r = rank[t.ids]
            hit = np.flatnonzero(r >= 0)
            dots[t.space, r[hit]] += t.qw * t.w[hit]
    return cands, dots


def candidates(weights: dict[str, float], c, table: np.ndarray, threshold: float,
               bound: Bound) -> tuple[np.ndarray, np.ndarray]:
    """Active slots that may score at least `threshold` (every one that shares a feature when
    it is not above 0), with their dots per space: (slots, array of shape (4, slots))."""
    terms = query_terms(weights, c, table, bound.semantic)
    active = np.frombuffer(c.active, dtype=np.uint8)
    if threshold <= 0:
        return accumulate(terms, len(c.ids), active)
    aside = set_aside(terms, bound, threshold)
    if not any(aside):
        return accumulate(terms, len(c.ids), active)
    return pruned(terms, aside, len(c.ids), active)
