"""A record's matching profile: weighted features per space (English, Chinese, concepts, and
the bilingual bridge: English stems, and Chinese words through a dictionary)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping

from innoportal.text import normalize
from services.matcher.domain.analysis import BIGRAM_MARK, Analyzer, fold, has_chinese
from services.matcher.domain.bridge import Bridge
from services.matcher.domain.glossary import Glossary

EN, ZH = 1, 2  # language bits
SPACE_EN, SPACE_ZH, SPACE_CONCEPT, SPACE_BRIDGE = 0, 1, 2, 3
N_SPACES = 4
PREFIX = {SPACE_EN: "e:", SPACE_ZH: "z:", SPACE_CONCEPT: "c:", SPACE_BRIDGE: "x:"}
SPACE_OF_PREFIX = {v: k for k, v in PREFIX.items()}

TITLE_WEIGHT = 2.0  # a title word counts as much as two description words
PARENT_WEIGHT = 0.5  # a broader concept is weaker evidence than the concept itself


def field_of(record: Any, name: str) -> Any:
    """A field of a pydantic model, dataclass or mapping (None when absent)."""
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


@dataclass(slots=True)
class Profile:
    """Features of one record: raw weights per feature key, languages, categories, surfaces."""

    id: str
    langs: int
    categories: tuple[str, ...]
    weights: dict[str, float]  # feature key ("e:lift", "z:升降机", "c:lift", "x:lift") → raw weight
    concept_langs: dict[str, int] = field(default_factory=dict)  # concept → language bits found
    surfaces: dict[str, str] = field(default_factory=dict)  # feature key → text as written
    text: str = ""  # the record's text, for an optional embedding model
    level: int = 0  # a solution's technology readiness level (1 to 9); 0 for a wish or unknown

    def vector(self) -> dict[str, float]:
        """Log-weighted features, unit length within each space (the document side of lnc.ltc)."""
        out: dict[str, float] = {}
        norms = [0.0] * N_SPACES
        for key, w in self.weights.items():
            lw = 1.0 + math.log(w) if w >= 1.0 else w
            out[key] = lw
            norms[SPACE_OF_PREFIX[key[:2]]] += lw * lw
        for key, lw in out.items():
            out[key] = lw / math.sqrt(norms[SPACE_OF_PREFIX[key[:2]]])
        return out


class Profiler:
    """Builds profiles from wish or solution records (any object with their field names)."""

    def __init__(self, analyzer: Analyzer, glossary: Glossary,
                 bridge: Bridge | None = None) -> None:
        self.analyzer = analyzer
        self.glossary = glossary
        self.bridge = bridge

    def profile(self, record: Any) -> Profile:
        """Analyse titles and descriptions in both languages, and the categories."""
        weights: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = {}
        concept_langs: dict[str, int] = {}
        langs = 0
        texts: list[str] = []
        for lang, bit in (("en", EN), ("zh", ZH)):
            for name, fw in (("title", TITLE_WEIGHT), ("description", 1.0)):
                text = field_of(record, f"{name}_{lang}")
                if not text or not str(text).strip():
                    continue
                text = str(text)
                langs |= bit
                texts.append(text)
                analyse = self.analyzer.english if lang == "en" else self.analyzer.chinese
                tokens = analyse(text)
                prefix = "e:" if lang == "en" else "z:"
                for tok in tokens:
                    key = prefix + tok.key
                    weights[key] += fw
                    surfaces.setdefault(key, Counter())[tok.surface] += 1
                    if self.bridge:
                        self._bridge(tok, lang, fw, weights, surfaces)
                for hit in self._concepts(text, lang):
                    key = "c:" + hit.concept
                    weights[key] += fw
                    surfaces.setdefault(f"{key}@{hit.language}", Counter())[hit.surface] += 1
                    concept_langs[hit.concept] = concept_langs.get(hit.concept, 0) | bit
        for cid in [k[2:] for k in list(weights) if k.startswith("c:")]:
            for depth, parent in self.glossary.inherited(cid):
                weights["c:" + parent] += PARENT_WEIGHT**depth * weights["c:" + cid]
                concept_langs[parent] = concept_langs.get(parent, 0) | concept_langs[cid]
        categories = tuple(sorted({str(c) for c in (field_of(record, "categories") or [])}))
        trl = field_of(record, "trl")
        return Profile(
            id=str(field_of(record, "id")),
            langs=langs,
            categories=categories,
            weights=dict(weights),
            concept_langs=concept_langs,
            surfaces={k: c.most_common(1)[0][0] for k, c in surfaces.items()},
            text="\n".join(texts),
            level=trl if isinstance(trl, int) and 1 <= trl <= 9 else 0,
        )

    def _bridge(self, tok, lang: str, fw: float, weights, surfaces) -> None:
        """The token in the bridge space: an English stem as itself, a Chinese word as the
        English stems of its dictionary senses (shares summing to 1); bigrams of unknown
        words bridge to nothing."""
        if lang == "en" or not has_chinese(tok.key):
            # An English word (also inside Chinese text: 5G, LED) bridges to its own stem.
            word = tok.surface.lower()
            stem = self.bridge.english_stem(word) if word.isalpha() and word.isascii() else tok.key
            pairs: tuple[tuple[str, float], ...] = ((stem, 1.0),)
        elif tok.key.startswith(BIGRAM_MARK):
            return
        else:
            pairs = self.bridge.of_chinese(tok.key)
        for stem, share in pairs:
            key = "x:" + stem
            weights[key] += fw * share
            surfaces.setdefault(key, Counter())[tok.surface] += 1

    def _concepts(self, text: str, lang: str):
        words = self.analyzer.english_words(text)
        hits = self.glossary.find_en(words, lang)
        if lang == "zh":
            original = normalize(text)
            hits += self.glossary.find_zh(original, fold(original))
        return hits
