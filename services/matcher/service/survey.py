"""The market survey (every candidate above a low floor for a need) and possible duplicates
(the records most like a draft). Both rank the in-memory index with the matcher's own score,
then read the few records of the page from its tables for their titles: never a contact."""

from typing import Any

from innoportal.errors import FieldError
from innoportal.uow import UnitOfWork
from services.matcher.domain import Matcher
from services.matcher.domain.reasons import match_reasons
from services.matcher.domain.survey import (
    Filters,
    Ranked,
    asked,
    check_draft,
    ranked,
    similar,
    text_query,
)
from services.matcher.repository import records, trials
from services.matcher.survey_models import (
    Draft,
    PastTrial,
    Similar,
    SimilarPage,
    SolutionCandidate,
    SurveyPage,
    WishCandidate,
)

KIND = {"solutions": "solution", "wishes": "wish"}


def _shown(found: Ranked, card: dict[str, Any]) -> dict[str, Any]:
    """What every candidate shows: score, reasons, titles, owner, categories (never a contact)."""
    return {"score": found.score, "reasons": match_reasons(found.reasons),
            "title_en": card.get("title_en"), "title_zh": card.get("title_zh"),
            "owner_org": card["owner_org"], "categories": list(card.get("categories") or [])}


def _candidate(ranks: str, found: Ranked,
               card: dict[str, Any]) -> SolutionCandidate | WishCandidate:
    if ranks == "solutions":
        return SolutionCandidate(solution_id=found.id, trl=card["trl"], **_shown(found, card))
    return WishCandidate(wish_id=found.id, status=card.get("status", "open"),
                         closes_on=card.get("closes_on"), **_shown(found, card))


async def _subject(uow: UnitOfWork, name: str, value: str) -> dict[str, Any]:
    """What the survey ranks against: the words, or the stored wish or solution (a closed wish
    too); 404 naming the field when there is no such record."""
    if name == "q":
        return text_query(value)
    kind = name.removesuffix("_id")
    record = await records.payload_of(uow.session, kind, value)
    if record is None:
        raise FieldError(name, f"no {kind} {value!r}", status=404)
    return record


async def survey(uow: UnitOfWork, matcher: Matcher, *, wish_id: str | None,
                 solution_id: str | None, q: str | None, filters: Filters, floor: float,
                 limit: int, offset: int) -> SurveyPage:
    """Every solution above `floor` for a wish or words, best first (`solution_id`: the open
    wishes for a solution instead), filtered by category and readiness level."""
    name, value = asked(trl_min=filters.trl_min, wish_id=wish_id, solution_id=solution_id, q=q)
    record = await _subject(uow, name, value)
    ranks = "wishes" if name == "solution_id" else "solutions"
    target = matcher.wishes if ranks == "wishes" else matcher.solutions
    found = ranked(matcher, record, target, floor=floor, offset=offset, limit=limit,
                   filters=filters)
    cards = await records.payloads_of(uow.session, KIND[ranks], [f.id for f in found.items])
    return SurveyPage(ranks=ranks, total=found.total, limit=limit, offset=offset, floor=floor,
                      items=[_candidate(ranks, f, cards[f.id]) for f in found.items
                             if f.id in cards])


async def find_similar(uow: UnitOfWork, matcher: Matcher, draft: Draft, *,
                       floor: float) -> SimilarPage:
    """The existing records of the draft's kind most like it, each solution with its trials."""
    check_draft(draft.title_en, draft.title_zh, draft.description_en, draft.description_zh)
    found = similar(matcher, draft.texts(), draft.kind, floor=floor, limit=draft.limit)
    ids = [f.id for f in found]
    cards = await records.payloads_of(uow.session, draft.kind, ids)
    past = await trials.trials_of(uow.session, ids) if draft.kind == "solution" else {}
    items = []
    for f in found:
        card = cards.get(f.id)
        if card is None:
            continue
        shown = [PastTrial(trial_id=t.trial_id, match_id=t.match_id, wish_id=t.wish_id,
                           state=t.state, verdict=t.verdict, report_version=t.report_version)
                 for t in past.get(f.id, [])]
        items.append(Similar(id=f.id, kind=draft.kind, trl=card.get("trl"), trials=shown,
                             status="open" if draft.kind == "wish" else "listed",
                             **_shown(f, card)))
    return SimilarPage(kind=draft.kind, items=items, floor=floor)
