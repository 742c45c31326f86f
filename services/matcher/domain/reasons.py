"""Reasons of a match: each shared category, term and concept with its share of the score."""

from __future__ import annotations

from collections.abc import Iterable

from contracts import MatchReason
from services.matcher.domain.glossary import Glossary
from services.matcher.domain.profile import EN, ZH
from services.matcher.domain.scoring import MatchConfig, Query, Reason

_LANG = {EN: "en", ZH: "zh"}


def explain(
    config: MatchConfig,
    glossary: Glossary,
    q: Query,
    doc_features: list[tuple[str, float, int]],
    doc_categories: list[str],
    coefs: tuple[float, float, float, float, float, float],
    semantic: float,
    model_name: str = "",
) -> tuple[Reason, ...]:
    """Reasons sorted by weight; `doc_features` holds (key, unit weight, language bits).

    The weights add up to the score: text evidence keeps its (1 - β) share and the shared
    categories get the β·category-similarity part of the text score.
    """
    c_en, c_zh, c_con, c_sem, beta, c_br = coefs
    text: list[Reason] = []
    surfaces = q.profile.surfaces
    for key, dw, dlangs in doc_features:
        qw = q.weights.get(key)
        if not qw:
            continue
        prefix = key[:2]
        if prefix == "e:" and c_en:
            text.append(Reason("term", surfaces.get(key, key[2:]), "en", c_en * qw * dw))
        elif prefix == "z:" and c_zh:
            text.append(Reason("term", surfaces.get(key, key[2:]), "zh", c_zh * qw * dw))
        elif prefix == "c:" and c_con:
            value, lang = _concept_value(glossary, q, key, dlangs)
            text.append(Reason("glossary", value, lang, c_con * qw * dw))
        elif prefix == "x:" and c_br:
            # A word both sides have through the bilingual bridge: as the query wrote it,
            # with the English stem it bridges to when that differs.
            surface = surfaces.get(key, key[2:])
            value = surface if surface.startswith(key[2:]) else f"{surface} ↔ {key[2:]}"
            text.append(Reason("term", value, "any", c_br * qw * dw))
    if semantic and c_sem:
        text.append(Reason("semantic", model_name or "embedding", "any", c_sem * semantic))
    for lang, coef, power in (("en", c_en, config.term_power), ("zh", c_zh, config.term_power),
                              ("any", c_br, config.bridge_power)):
        # Word similarity enters the score as dot^power: share that out pro rata.
        dot = sum(r.weight for r in text if r.kind == "term" and r.language == lang) / (coef or 1)
        if dot > 0:
            scale = dot ** (power - 1.0)
            text = [Reason(r.kind, r.value, r.language, r.weight * scale)
                    if r.kind == "term" and r.language == lang else r for r in text]
    total = sum(r.weight for r in text)
    reasons = [Reason(r.kind, r.value, r.language, r.weight * (1.0 - beta)) for r in text]
    n_cats = max(len(doc_categories), 1)
    for cat in doc_categories:
        if cat in q.categories and beta:
            share = total * beta * q.categories[cat] / n_cats**0.5
            reasons.append(Reason("category", cat, "any", share))
    reasons.sort(key=lambda r: -r.weight)
    return tuple(
        Reason(r.kind, r.value, r.language, round(float(r.weight), 4))
        for r in reasons[: config.max_reasons]
        if r.weight >= 0.0005
    )


def _concept_value(glossary: Glossary, q: Query, key: str, dlangs: int) -> tuple[str, str]:
    """The concept as written where both sides use one language, else both labels."""
    cid = key[2:]
    qlangs = q.profile.concept_langs.get(cid, 0)
    for bit in (EN, ZH):
        if qlangs & dlangs & bit:
            lang = _LANG[bit]
            return q.profile.surfaces.get(f"{key}@{lang}", glossary.label(cid, lang)), lang
    q_lang = "zh" if qlangs == ZH else "en"
    d_lang = "zh" if dlangs == ZH else "en"
    q_text = q.profile.surfaces.get(f"{key}@{q_lang}", glossary.label(cid, q_lang))
    return f"{q_text} ↔ {glossary.label(cid, d_lang)}", "any"


def match_reasons(reasons: Iterable[Reason]) -> list[MatchReason]:
    """Reasons as events and answers carry them: each weight rounded, never below 0."""
    return [MatchReason(kind=r.kind, value=r.value, language=r.language,
                        weight=round(max(0.0, r.weight), 4)) for r in reasons]
