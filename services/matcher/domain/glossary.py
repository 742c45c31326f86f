"""Bilingual E&M glossary: English and Chinese terms mapped to language-neutral concept ids."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

from innoportal.text import normalize
from services.matcher.domain.analysis import fold, has_chinese, singular

_EN_WORD = re.compile(r"[a-z0-9]+")
DOMAIN_CHILDREN = 8  # a concept with this many narrower concepts is a domain


@dataclass(frozen=True, slots=True)
class Concept:
    """A glossary concept: id, broader concept, and a label in each language."""

    id: str
    parent: str | None
    label_en: str
    label_zh: str


@dataclass(frozen=True, slots=True)
class ConceptHit:
    """One mention of a concept in a text: which concept, in which language, as written."""

    concept: str
    language: str  # "en" or "zh": the language of the field it was found in
    surface: str


_STEMMER = Stemmer.Stemmer("english")


def _en_key(phrase: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in _EN_WORD.findall(normalize(phrase)))


def _stem_key(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_STEMMER.stemWords(list(key)))


class Glossary:
    """Finds concepts in text: longest English word n-gram or longest folded Chinese substring."""

    def __init__(self, rows: list[tuple[str, str | None, list[str], list[str]]]) -> None:
        self.concepts: dict[str, Concept] = {}
        self._en: dict[tuple[str, ...], list[str]] = {}
        self._zh: dict[str, list[str]] = {}
        for cid, parent, en_terms, zh_terms in rows:
            label_en = en_terms[0] if en_terms else (zh_terms[0] if zh_terms else cid)
            label_zh = zh_terms[0] if zh_terms else label_en
            self.concepts[cid] = Concept(cid, parent or None, label_en, label_zh)
            for term in en_terms:
                self._add(self._en, _en_key(term), cid)
            for term in zh_terms:
                if has_chinese(term):
                    self._add(self._zh, fold(normalize(term)), cid)
                else:
                    # A Latin term in the Chinese column (5G, LED) is found by the English pass.
                    self._add(self._en, _en_key(term), cid)
        # Inflections (monitored, detected) are found through stems, unless two concepts share
        # a stem (lift the machine, lifting the action): those match as written only.
        by_stem: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for key, cids in self._en.items():
            by_stem[_stem_key(key)].update(cids)
        self._en_stem = {k: sorted(v) for k, v in by_stem.items() if len(v) == 1}
        for c in self.concepts.values():
            if c.parent and c.parent not in self.concepts:
                raise ValueError(f"glossary: concept {c.id} has unknown parent {c.parent}")
        children = Counter(c.parent for c in self.concepts.values() if c.parent)
        self._domains = frozenset(c for c, n in children.items() if n >= DOMAIN_CHILDREN)
        self._en_max = max((len(k) for k in self._en), default=1)
        self._zh_max = max((len(k) for k in self._zh), default=1)

    @staticmethod
    def _add(table: dict, key, cid: str) -> None:
        if key and cid not in table.setdefault(key, []):
            table[key].append(cid)

    @classmethod
    def from_tsv(cls, text: str) -> "Glossary":
        """Parse the TSV: concept, parent, English terms, Chinese terms (| between variants)."""
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                raise ValueError(f"glossary line {n}: expected 4 tab-separated columns")
            cid, parent, en, zh = (p.strip() for p in parts)
            rows.append((cid, parent or None, _split(en), _split(zh)))
        return cls(rows)

    def zh_terms(self) -> list[str]:
        """Every folded Chinese term, to teach the word segmenter."""
        return list(self._zh)

    def ancestors(self, cid: str) -> list[str]:
        """Broader concepts of `cid`, nearest first."""
        out: list[str] = []
        parent = self.concepts[cid].parent
        while parent and parent not in out and parent != cid:
            out.append(parent)
            parent = self.concepts[parent].parent
        return out

    def inherited(self, cid: str) -> list[tuple[int, str]]:
        """(depth, concept) that a mention of `cid` also counts for: its ancestors but domains.

        A domain is a concept with many narrower ones (smart mobility, HVAC, public safety):
        the categories already carry that signal, and two records in one domain are not
        thereby related (car parks and bicycle parking are both smart mobility).
        """
        return [(d, a) for d, a in enumerate(self.ancestors(cid), 1) if a not in self._domains]

    def find_en(self, words: list[str], language: str) -> list[ConceptHit]:
        """Concepts in a list of lower-case words: longest match first, no overlaps."""
        keys = [singular(w) for w in words]
        stems = _STEMMER.stemWords(keys)
        hits: list[ConceptHit] = []
        i = 0
        while i < len(keys):
            for n in range(min(self._en_max, len(keys) - i), 0, -1):
                cids = self._en.get(tuple(keys[i : i + n])) or self._en_stem.get(
                    tuple(stems[i : i + n])
                )
                if cids:
                    surface = " ".join(words[i : i + n])
                    hits.extend(ConceptHit(c, language, surface) for c in cids)
                    i += n
                    break
            else:
                i += 1
        return hits

    def find_zh(self, original: str, folded: str) -> list[ConceptHit]:
        """Concepts in folded Chinese text: longest substring first, no overlaps."""
        aligned = len(original) == len(folded)
        hits: list[ConceptHit] = []
        i = 0
        while i < len(folded):
            for n in range(min(self._zh_max, len(folded) - i), 0, -1):
                cids = self._zh.get(folded[i : i + n])
                if cids:
                    surface = original[i : i + n] if aligned else folded[i : i + n]
                    hits.extend(ConceptHit(c, "zh", surface) for c in cids)
                    i += n
                    break
            else:
                i += 1
        return hits

    def label(self, cid: str, language: str) -> str:
        """The concept's label in `language` (en or zh)."""
        c = self.concepts[cid]
        return c.label_zh if language == "zh" else c.label_en


def _split(cell: str) -> list[str]:
    return [t.strip() for t in cell.split("|") if t.strip()]


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The glossary shipped in services/matcher/data/glossary.tsv."""
    text = resources.files("services.matcher.data").joinpath("glossary.tsv").read_text("utf-8")
    return Glossary.from_tsv(text)
