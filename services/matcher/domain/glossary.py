"""Bilingual E&M glossary: English and Chinese terms mapped to language-neutral concept ids."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

from innoportal.text import normalize
from services.matcher.domain.analysis import fold, has_chinese, singular

_EN_WORD = re.compile(r"[a-z0-9]+")
DOMAIN = "domain"  # the optional fifth column's flag


@dataclass(frozen=True, slots=True)
class Concept:
    """A glossary concept: id, broader concepts, a label in each language, domain or not."""

    id: str
    parents: tuple[str, ...]
    label_en: str
    label_zh: str
    domain: bool = False

    @property
    def parent(self) -> str | None:
        """The first broader concept, if any."""
        return self.parents[0] if self.parents else None


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
    # Words of three letters or fewer are abbreviations (ups, aed, ev): never stemmed.
    return tuple(w if len(w) <= 3 else s for w, s in zip(key, _STEMMER.stemWords(list(key))))


def _inflects(word: str, key_word: str) -> bool:
    """Whether a text word sharing a stem with a glossary word may stand for it.

    An agent noun names a thing, not the action: generator is not generation, controller
    is not control; other stem-mates (monitored, monitoring) are taken.
    """
    return word == key_word or not key_word.endswith(("or", "er")) or word.endswith(("or", "er"))


class Glossary:
    """Finds concepts in text: longest English word n-gram or longest folded Chinese substring."""

    def __init__(self, rows: list[tuple]) -> None:
        """Rows of (id, parents, English terms, Chinese terms[, domain]).

        `parents` is a list of ids (a string or None is one parent or none). A domain is a
        concept as broad as a technology category (HVAC, smart mobility): see `inherited`.
        """
        self.concepts: dict[str, Concept] = {}
        self._en: dict[tuple[str, ...], list[str]] = {}
        self._zh: dict[str, list[str]] = {}
        digest = hashlib.sha256()
        for row in rows:
            cid, parents, en_terms, zh_terms = row[:4]
            domain = bool(row[4]) if len(row) > 4 else False
            if isinstance(parents, str):
                parents = [parents]
            parents = tuple(p for p in (parents or ()) if p)
            label_en = en_terms[0] if en_terms else (zh_terms[0] if zh_terms else cid)
            label_zh = zh_terms[0] if zh_terms else label_en
            self.concepts[cid] = Concept(cid, parents, label_en, label_zh, domain)
            digest.update(repr((cid, parents, en_terms, zh_terms, domain)).encode("utf-8"))
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
        written: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for key, cids in self._en.items():
            by_stem[_stem_key(key)].update(cids)
            written[_stem_key(key)].append(key)
        self._en_stem = {k: (sorted(v), written[k]) for k, v in by_stem.items() if len(v) == 1}
        for c in self.concepts.values():
            for parent in c.parents:
                if parent not in self.concepts:
                    raise ValueError(f"glossary: concept {c.id} has unknown parent {parent}")
        self._domains = frozenset(c.id for c in self.concepts.values() if c.domain)
        self.fingerprint = digest.hexdigest()[:16]  # changes whenever any row does
        self._en_max = max((len(k) for k in self._en), default=1)
        self._zh_max = max((len(k) for k in self._zh), default=1)

    @staticmethod
    def _add(table: dict, key, cid: str) -> None:
        if key and cid not in table.setdefault(key, []):
            table[key].append(cid)

    @classmethod
    def from_tsv(cls, text: str) -> "Glossary":
        """Parse the TSV: concept, parents, English terms, Chinese terms (| between variants),
        and an optional fifth column `domain`."""
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.rstrip("\n").split("\t")]
            if len(parts) == 5 and parts[4] in ("", DOMAIN):
                flag = parts.pop() == DOMAIN
            elif len(parts) == 4:
                flag = False
            else:
                raise ValueError(f"glossary line {n}: expected 4 tab-separated columns "
                                 f"(and an optional fifth, '{DOMAIN}')")
            cid, parents, en, zh = parts
            rows.append((cid, _split(parents), _split(en), _split(zh), flag))
        return cls(rows)

    def zh_terms(self) -> list[str]:
        """Every folded Chinese term, to teach the word segmenter."""
        return list(self._zh)

    def _depths(self, cid: str) -> dict[str, int]:
        """Every broader concept of `cid` with its shortest distance, nearest first."""
        depth: dict[str, int] = {}
        frontier, d = [cid], 0
        while frontier:
            d += 1
            nxt = []
            for c in frontier:
                for p in self.concepts[c].parents:
                    if p != cid and p not in depth:
                        depth[p] = d
                        nxt.append(p)
            frontier = nxt
        return depth

    def ancestors(self, cid: str) -> list[str]:
        """Broader concepts of `cid`, nearest first (breadth first over several parents)."""
        return list(self._depths(cid))

    def inherited(self, cid: str) -> list[tuple[int, str]]:
        """(depth, concept) that a mention of `cid` also counts for: its ancestors but domains.

        A domain is a concept as broad as a technology category (smart mobility, HVAC, public
        safety): the categories already carry that signal, and two records in one domain are
        not thereby related (car parks and bicycle parking are both smart mobility).
        """
        return [(d, a) for a, d in self._depths(cid).items() if a not in self._domains]

    def find_en(self, words: list[str], language: str) -> list[ConceptHit]:
        """Concepts in a list of lower-case words: longest match first, no overlaps."""
        keys = [singular(w) for w in words]
        stems = _stem_key(tuple(keys))
        hits: list[ConceptHit] = []
        i = 0
        while i < len(keys):
            for n in range(min(self._en_max, len(keys) - i), 0, -1):
                cids = self._en.get(tuple(keys[i : i + n])) or self._by_stem(
                    keys[i : i + n], stems[i : i + n])
                if cids:
                    surface = " ".join(words[i : i + n])
                    hits.extend(ConceptHit(c, language, surface) for c in cids)
                    i += n
                    break
            else:
                i += 1
        return hits

    def _by_stem(self, keys: list[str], stems: tuple[str, ...]) -> list[str] | None:
        entry = self._en_stem.get(stems)
        if entry and any(all(map(_inflects, keys, written)) for written in entry[1]):
            return entry[0]
        return None

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
