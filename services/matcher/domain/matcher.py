"""The matcher: wishes and solutions indexed, each new item ranked against the other kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np

from services.matcher.domain.analysis import Analyzer
from services.matcher.domain.bridge import Bridge, default_bridge
from services.matcher.domain.glossary import Glossary, default_glossary
from services.matcher.domain.index import Collection
from services.matcher.domain.profile import Profile, Profiler, field_of
from services.matcher.domain.ranking import coef_table, scan, score_doc, scores
from services.matcher.domain.reasons import explain
from services.matcher.domain.scoring import Match, MatchConfig, Query, make_query

_SLACK = 1e-4  # candidates within this of a cut are kept; the rounded score decides


def _published(score: float) -> float:
    """The score as published: clipped to [0, 1], four decimals."""
    return round(min(1.0, max(0.0, float(score))), 4)


class Matcher:
    """Keeps open wishes and listed solutions; ranks one record against the other kind.

    Records are contracts.WishRecord / SolutionRecord or anything with their field names
    (attributes or mapping keys). Not thread-safe: call it from one task or under a lock.
    """

    def __init__(
        self,
        config: MatchConfig | None = None,
        *,
        glossary: Glossary | None = None,
        analyzer: Analyzer | None = None,
        embedder=None,
        bridge: Bridge | None = None,
    ) -> None:
        self.config = config or MatchConfig()
        self.glossary = glossary or default_glossary()
        self.analyzer = analyzer or Analyzer(self.glossary.zh_terms())
        self.bridge = bridge if bridge is not None else default_bridge(self.analyzer.stop_en)
        self.profiler = Profiler(self.analyzer, self.glossary, self.bridge)
        self.embedder = embedder if (embedder and self.config.w_semantic > 0) else None
        dim = self.embedder.dim if self.embedder else 0
        self.wishes = Collection(dim)
        self.solutions = Collection(dim)
        self.closed: set[str] = set()
        self.meta: dict = {}  # what the last snapshot carried (e.g. the stream position)

    def feature_fingerprint(self) -> str:
        """Identifies the glossary, text analysis and bridge: a snapshot is only valid under
        the same."""
        return f"{self.glossary.fingerprint}-{self.analyzer.fingerprint}-{self.bridge.fingerprint}"

    # -- keeping the index --------------------------------------------------------------
    def profile(self, record: Any) -> Profile:
        """The matching profile of a wish or solution record."""
        return self.profiler.profile(record)

    def add_wish(self, wish: Any) -> bool:
        """Index an open wish (replacing it if known); False if it is or was closed."""
        wid = str(field_of(wish, "id"))
        if field_of(wish, "status") == "closed" or wid in self.closed:
            self.close_wish(wid)
            return False
        self.wishes.add(*self._profiled(wish))
        return True

    def add_solution(self, solution: Any) -> None:
        """Index a solution (replacing it if known)."""
        self.solutions.add(*self._profiled(solution))

    def close_wish(self, wish_id: str) -> bool:
        """Stop matching a wish, for good; True if it was open in the index."""
        self.closed.add(wish_id)
        return self.wishes.remove(wish_id)

    def remove_wish(self, wish_id: str) -> bool:
        """Forget a wish (it may be added again)."""
        return self.wishes.remove(wish_id)

    def remove_solution(self, solution_id: str) -> bool:
        """Forget a solution."""
        return self.solutions.remove(solution_id)

    def _profiled(self, record: Any) -> tuple[Profile, Any]:
        profile = self.profile(record)
        emb = self.embedder.embed(profile.text) if (self.embedder and profile.text) else None
        return profile, emb

    # -- ranking ---------------------------------------------------------------------------
    def rank_wish(self, wish: Any, *, threshold: float | None = None, top_k: int | None = None,
                  exclude: Iterable[str] = ()) -> list[Match]:
        """Listed solutions for a wish, best first, score ≥ threshold, at most top_k."""
        if field_of(wish, "status") == "closed" or str(field_of(wish, "id")) in self.closed:
            return []
        return self._rank(self._profiled(wish), self.solutions, True, threshold, top_k, exclude)

    def rank_solution(self, solution: Any, *, threshold: float | None = None,
                      top_k: int | None = None, exclude: Iterable[str] = ()) -> list[Match]:
        """Open wishes for a solution, best first, score ≥ threshold, at most top_k."""
        return self._rank(self._profiled(solution), self.wishes, False, threshold, top_k, exclude)

    def add_and_rank_wish(self, wish: Any, *, threshold: float | None = None,
                          top_k: int | None = None) -> list[Match]:
        """What a WishPosted handler needs: index the wish, rank solutions for it (one analysis)."""
        wid = str(field_of(wish, "id"))
        if field_of(wish, "status") == "closed" or wid in self.closed:
            self.close_wish(wid)
            return []
        profiled = self._profiled(wish)
        self.wishes.add(*profiled)
        return self._rank(profiled, self.solutions, True, threshold, top_k, ())

    def add_and_rank_solution(self, solution: Any, *, threshold: float | None = None,
                              top_k: int | None = None) -> list[Match]:
        """What a SolutionSubmitted handler needs: index it, rank the open wishes for it."""
        profiled = self._profiled(solution)
        self.solutions.add(*profiled)
        return self._rank(profiled, self.wishes, False, threshold, top_k, ())

    def brute_force_rank_wish(self, wish: Any, *, threshold: float | None = None,
                              top_k: int | None = None) -> list[Match]:
        """rank_wish by scoring every solution one by one: the baseline for benchmarks."""
        return self._rank(self._profiled(wish), self.solutions, True, threshold, top_k, (),
                          brute=True)

    def score_pair(self, wish: Any, solution: Any) -> Match:
        """Score one pair on its own, with idf from the solutions indexed now (no threshold)."""
        wprof, wemb = self._profiled(wish)
        sprof, semb = self._profiled(solution)
        t = self.solutions
        q = make_query(wprof, t.df_of, t.cat_df_of, t.n_active, wemb)
        feats = [(k, w, sprof.concept_langs.get(k[2:], 0) if k[0] == "c" else 0)
                 for k, w in sprof.vector().items()]
        cats = list(sprof.categories)
        score, coefs, sem = self._score_doc(q, self._coef_table(q), feats, sprof.langs, cats, semb)
        reasons = explain(self.config, self.glossary, q, feats, cats, coefs, sem,
                          self.embedder.name if self.embedder else "")
        return Match(wprof.id, sprof.id, round(min(1.0, max(0.0, score)), 4), reasons)

    def _rank(self, profiled: tuple[Profile, Any], target: Collection, is_wish: bool, threshold,
              top_k, exclude, *, brute: bool = False) -> list[Match]:
        threshold = self.config.threshold if threshold is None else threshold
        top_k = self.config.top_k if top_k is None else top_k
        if top_k <= 0 or target.n_active == 0:
            return []
        profile, emb = profiled
        q = make_query(profile, target.df_of, target.cat_df_of, target.n_active, emb)
        skip = set(exclude)
        if brute:
            scored = self._scan(q, target)
        else:
            scored = self._scores(q, target, threshold - _SLACK, top_k + len(skip))
        # Threshold and order apply to the published (rounded) score, ties by id: the float32
        # index and the float64 scan then agree even where their last bits differ.
        scored = [(_published(t[0]),) + tuple(t[1:]) for t in scored
                  if target.ids[t[1]] not in skip]
        scored = [t for t in scored if t[0] >= threshold and t[0] > 0]
        scored.sort(key=lambda t: (-t[0], target.ids[t[1]]))
        out = []
        for score, slot, coefs, sem in scored[:top_k]:
            reasons = explain(self.config, self.glossary, q, target.features_of(slot),
                              target.categories_of(slot), coefs, sem,
                              self.embedder.name if self.embedder else "")
            other = target.ids[slot]
            wid, sid = (profile.id, other) if is_wish else (other, profile.id)
            out.append(Match(wid, sid, score, reasons))
        return out

    def _coef_table(self, q: Query) -> np.ndarray:
        """Coefficients for every (languages, has categories, has embedding) of a document."""
        return coef_table(self.config, q)

    def _scores(self, q: Query, target: Collection, threshold: float, limit: int,
                keep=None) -> list[tuple]:
        """The indexed path (see ranking.scores): the documents that can reach the threshold,
        scored, the best kept; `keep(slots)` optionally masks the candidate slots."""
        return scores(self.config, q, target, threshold, limit, keep)

    def _scan(self, q: Query, target: Collection) -> list[tuple]:
        """The brute-force path: the same score, one document at a time from its forward list."""
        return scan(self.config, q, target)

    def _score_doc(self, q: Query, table, feats, langs: int, cats: list[str], emb) -> tuple:
        """Score of one document given its forward list: (score, coefficients, semantic)."""
        return score_doc(self.config, q, table, feats, langs, cats, emb)

    # -- snapshots ---------------------------------------------------------------------------
    def to_bytes(self, meta: dict | None = None) -> bytes:
        """The whole index as bytes; `meta` (e.g. the last stream sequence) travels along."""
        from services.matcher.domain.snapshot import dump

        return dump(self, meta if meta is not None else self.meta)

    @classmethod
    def from_bytes(cls, data: bytes, *, config: MatchConfig | None = None,
                   glossary: Glossary | None = None, analyzer: Analyzer | None = None,
                   embedder=None) -> "Matcher":
        """A matcher restored from `to_bytes()`; its `meta` is what was saved with it."""
        from services.matcher.domain.snapshot import load

        matcher = load(cls, data, config=config, glossary=glossary, analyzer=analyzer,
                       embedder=embedder)
        for target in (matcher.wishes, matcher.solutions):
            target.derived.sync(target)  # what ranking derives, built now rather than on demand
        return matcher

    def save(self, path: str | Path, meta: dict | None = None) -> None:
        """Write a snapshot atomically (temporary file, then rename)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(self.to_bytes(meta))
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path, **kwargs) -> "Matcher":
        """Read a snapshot written by `save()`."""
        return cls.from_bytes(Path(path).read_bytes(), **kwargs)

    def stats(self) -> dict:
        """Counts for metrics and health pages."""
        return {
            "wishes_open": self.wishes.n_active,
            "wishes_closed": len(self.closed),
            "solutions": self.solutions.n_active,
            "features": len(self.wishes.keys) + len(self.solutions.keys),
        }
