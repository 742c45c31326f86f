"""The market survey and possible duplicates: every record of one kind that scores above a low
floor against a wish, a solution, free text or a draft, ranked with the matcher's own score."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from innoportal.errors import FieldError
from services.matcher.domain.analysis import has_chinese
from services.matcher.domain.index import Collection
from services.matcher.domain.matcher import Matcher
from services.matcher.domain.reasons import explain
from services.matcher.domain.scoring import Reason, make_query

ONE_ONLY = "give only one of wish_id, solution_id and q"
NOTHING_ASKED = "is required: give q (words in English or Chinese), wish_id or solution_id"
TRL_FOR_WISHES = "applies to solutions only; with solution_id the survey ranks wishes"
NO_TEXT = "a title or a description, in English or Chinese, is needed to compare"
_SLACK = 1e-4  # candidates within this of the floor are kept; the rounded score decides
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")

Keep = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Filters:
    """What a survey keeps besides the score: one category, a lowest readiness level."""

    category: str | None = None
    trl_min: int | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """One record of the ranking, its score in [0, 1] and why."""

    id: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RankedPage:
    """A page of the ranking and how many records are above the floor in all."""

    items: list[Ranked]
    total: int


def asked(trl_min: int | None = None, **given: str | None) -> tuple[str, str]:
    """The one thing a survey is of, as (parameter, value): wish_id, solution_id or q given
    alone; FieldError otherwise (and for trl_min with solution_id, which ranks wishes)."""
    named = [(name, value.strip()) for name, value in given.items() if value and value.strip()]
    if not named:
        raise FieldError("q", NOTHING_ASKED)
    if len(named) > 1:
        raise FieldError([(name, ONE_ONLY) for name, _ in named])
    name, value = named[0]
    if name == "q" and any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in value):
        raise FieldError("q", "must not contain control characters")
    if trl_min is not None and name == "solution_id":
        raise FieldError("trl_min", TRL_FOR_WISHES)
    return name, value


def check_draft(*texts: str | None) -> None:
    """A draft to compare needs some text: FieldError naming both titles otherwise."""
    if not any(t and t.strip() for t in texts):
        raise FieldError([("title_en", NO_TEXT), ("title_zh", NO_TEXT)])


def text_query(q: str) -> dict[str, Any]:
    """Free text as a record to rank: Chinese as Chinese, and its Latin words as English too
    (so "升降機 lift sensor" meets English records on its English words)."""
    q = q.strip()
    if not has_chinese(q):
        return {"id": "", "title_en": q}
    latin = " ".join(_LATIN_WORD.findall(q))
    return {"id": "", "title_zh": q, **({"title_en": latin} if latin else {})}


def _keep(target: Collection, filters: Filters) -> Keep | None:
    """The filter as a mask over candidate slots (None: no filter)."""
    if filters.category is None and filters.trl_min is None:
        return None

    def keep(slots: np.ndarray) -> np.ndarray:
        mask = np.ones(len(slots), dtype=bool)
        if filters.category is not None:
            bit = target.cat_bit.get(filters.category)
            if bit is None:  # no record has the category
                return np.zeros(len(slots), dtype=bool)
            masks = np.frombuffer(target.catmask, np.uint64)[slots]
            mask &= ((masks >> np.uint64(bit)) & np.uint64(1)).astype(bool)
        if filters.trl_min is not None:
            mask &= np.frombuffer(target.level, np.uint8)[slots] >= filters.trl_min
        return mask

    return keep


def ranked(matcher: Matcher, record: Any, target: Collection, *, floor: float, offset: int = 0,
           limit: int = 20, filters: Filters = Filters(), exclude: Iterable[str] = (),
           count_all: bool = True, brute: bool = False) -> RankedPage:
    """Records of `target` scoring at least `floor` against `record`, best first (ties by id).

    `count_all` False skips counting beyond the page (total is then at most offset + limit);
    `brute` scores every record one by one, the baseline of the benchmarks.
    """
    if limit <= 0 or target.n_active == 0:
        return RankedPage([], 0)
    # The Matcher's own analysis and scoring paths: the survey ranks exactly as matching does.
    profile, emb = matcher._profiled(record)
    q = make_query(profile, target.df_of, target.cat_df_of, target.n_active, emb)
    keep = _keep(target, filters)
    if brute:
        scored = [t for t in matcher._scan(q, target)
                  if keep is None or keep(np.array([t[1]]))[0]]
    else:
        most = len(target.ids) if count_all else offset + limit + len(set(exclude))
        scored = matcher._scores(q, target, floor - _SLACK, most, keep)
    skip = set(exclude)
    rows = [(round(min(1.0, max(0.0, s)), 4), slot, coefs, sem)
            for s, slot, coefs, sem in scored if target.ids[slot] not in skip]
    rows = [r for r in rows if r[0] >= floor and r[0] > 0]
    rows.sort(key=lambda r: (-r[0], target.ids[r[1]]))
    model = matcher.embedder.name if matcher.embedder else ""
    items = [Ranked(target.ids[slot], score,
                    explain(matcher.config, matcher.glossary, q, target.features_of(slot),
                            target.categories_of(slot), coefs, sem, model))
             for score, slot, coefs, sem in rows[offset:offset + limit]]
    return RankedPage(items, len(rows))


def similar(matcher: Matcher, draft: Any, kind: str, *, floor: float, limit: int,
            brute: bool = False) -> list[Ranked]:
    """The indexed records of `kind` (wish: the open wishes; solution) most like a draft."""
    target = matcher.wishes if kind == "wish" else matcher.solutions
    return ranked(matcher, draft, target, floor=floor, limit=limit, count_all=False,
                  brute=brute).items
