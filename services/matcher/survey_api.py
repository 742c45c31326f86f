"""HTTP API of the market survey (GET /v1/survey) and of possible duplicates (POST /v1/similar).

Both rank the matcher's in-memory index with its own score, then read the few records of the
page from its tables for their titles. Public: no contact email in either answer.
"""

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import MatchReason
from contracts.categories import CategoryId
from innoportal.http import FieldError, request_language
from innoportal.listing import Offset, SessionDep
from services.matcher.api import IdQuery
from services.matcher.domain import Reason
from services.matcher.domain.survey import Filters, Ranked, ranked, similar, text_query
from services.matcher.engine import MatcherState
from services.matcher.models import IndexedRecord
from services.matcher.survey_csv import survey_csv, wants_csv
from services.matcher.survey_models import (
    Draft,
    PastTrial,
    Similar,
    SimilarPage,
    SolutionCandidate,
    SurveyPage,
    WishCandidate,
)
from services.matcher.trials import trials_of

router = APIRouter(prefix="/v1", tags=["survey"])
MAX_Q = 2000  # a need described in a paragraph, pasted in
KIND = {"solutions": "solution", "wishes": "wish"}
ONE_ONLY = "give only one of wish_id, solution_id and q"
NOTHING_ASKED = "is required: give q (words in English or Chinese), wish_id or solution_id"
TRL_FOR_WISHES = "applies to solutions only; with solution_id the survey ranks wishes"
NO_TEXT = "a title or a description, in English or Chinese, is needed to compare"

SurveyText = Annotated[str | None, Query(max_length=MAX_Q,
                                         description="Words in English or 中文, or both")]
CategoryQuery = Annotated[CategoryId | None, Query(description="Only records in this category")]
TrlMin = Annotated[int | None, Query(ge=1, le=9, description="Solutions at this readiness "
                                     "level or higher")]
SurveyLimit = Annotated[int, Query(ge=1, le=500, description="Page size (up to 500, for a CSV)")]
Format = Annotated[Literal["json", "csv"] | None,
                   Query(description="csv: the same list as CSV (so does Accept: text/csv)")]


def _state(request: Request) -> MatcherState:
    return request.app.state.runtime.state


def _asked(**given: str | None) -> tuple[str, str]:
    """The one thing the survey is of, as (parameter, value); FieldError otherwise."""
    named = [(name, value.strip()) for name, value in given.items() if value and value.strip()]
    if not named:
        raise FieldError("q", NOTHING_ASKED)
    if len(named) > 1:
        raise FieldError([(name, ONE_ONLY) for name, _ in named])
    name, value = named[0]
    if name == "q" and any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in value):
        raise FieldError("q", "must not contain control characters")
    return name, value


async def _record(session: AsyncSession, kind: str, record_id: str) -> dict[str, Any]:
    """The stored wish or solution a survey is of (a closed wish too); 404 naming the field."""
    row = await session.get(IndexedRecord, (kind, record_id))
    if row is None or not row.payload:
        raise HTTPException(404, f"{kind}_id: no {kind} {record_id!r}")
    return json.loads(row.payload)


async def _cards(session: AsyncSession, kind: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored records of `kind` with these ids, by id."""
    if not ids:
        return {}
    rows = (await session.exec(select(IndexedRecord).where(
        IndexedRecord.kind == kind, col(IndexedRecord.id).in_(ids)))).all()
    return {row.id: json.loads(row.payload) for row in rows if row.payload}


def _reasons(reasons: tuple[Reason, ...]) -> list[MatchReason]:
    return [MatchReason(kind=r.kind, value=r.value, language=r.language,
                        weight=round(max(0.0, r.weight), 4)) for r in reasons]


def _shown(found: Ranked, card: dict[str, Any]) -> dict[str, Any]:
    """What every candidate shows: score, reasons, titles, owner, categories (never a contact)."""
    return {"score": found.score, "reasons": _reasons(found.reasons),
            "title_en": card.get("title_en"), "title_zh": card.get("title_zh"),
            "owner_org": card["owner_org"], "categories": list(card.get("categories") or [])}


def _candidate(ranks: str, found: Ranked,
               card: dict[str, Any]) -> SolutionCandidate | WishCandidate:
    if ranks == "solutions":
        return SolutionCandidate(solution_id=found.id, trl=card["trl"], **_shown(found, card))
    return WishCandidate(wish_id=found.id, status=card.get("status", "open"),
                         closes_on=card.get("closes_on"), **_shown(found, card))


@router.get("/survey", response_model=SurveyPage,
            responses={200: {"content": {"text/csv": {}},
                             "description": "The ranked list (CSV with format=csv or "
                                            "Accept: text/csv)."}})
async def survey(
    request: Request, session: SessionDep, wish_id: IdQuery = None,
    solution_id: IdQuery = None, q: SurveyText = None, category: CategoryQuery = None,
    trl_min: TrlMin = None, limit: SurveyLimit = 20, offset: Offset = 0, format: Format = None,
) -> Any:
    """Market survey: every solution scoring above a low floor for a wish (`wish_id`) or a need
    in words (`q`), best first, with score and reasons; `solution_id` ranks the open wishes for
    a solution instead. Filters: `category`, `trl_min`. Public."""
    name, value = _asked(wish_id=wish_id, solution_id=solution_id, q=q)
    if trl_min is not None and name == "solution_id":
        raise FieldError("trl_min", TRL_FOR_WISHES)
    if name == "q":
        record = text_query(value)
    else:
        record = await _record(session, name.removesuffix("_id"), value)
    ranks = "wishes" if name == "solution_id" else "solutions"
    matcher = _state(request).matcher
    target = matcher.wishes if ranks == "wishes" else matcher.solutions
    floor = request.app.state.runtime.settings.survey_floor
    found = ranked(matcher, record, target, floor=floor, offset=offset, limit=limit,
                   filters=Filters(category, trl_min))
    cards = await _cards(session, KIND[ranks], [f.id for f in found.items])
    page = SurveyPage(ranks=ranks, total=found.total, limit=limit, offset=offset, floor=floor,
                      items=[_candidate(ranks, f, cards[f.id]) for f in found.items
                             if f.id in cards])
    if wants_csv(format, request.headers.get("accept", "")):
        lang_path = "zh-hk" if request_language(request) == "zh-HK" else "en"
        return survey_csv(page, request.app.state.runtime.common.portal_url, lang_path)
    return page


@router.post("/similar", response_model=SimilarPage)
async def similar_records(draft: Draft, request: Request, session: SessionDep) -> SimilarPage:
    """Possible duplicates of a draft wish or solution (not stored): the existing records of its
    kind most alike, best first, each solution with its field trials. Public; stores nothing."""
    texts = (draft.title_en, draft.title_zh, draft.description_en, draft.description_zh)
    if not any(t and t.strip() for t in texts):
        raise FieldError([("title_en", NO_TEXT), ("title_zh", NO_TEXT)])
    floor = request.app.state.runtime.settings.similar_floor
    found = similar(_state(request).matcher, draft.texts(), draft.kind, floor=floor,
                    limit=draft.limit)
    ids = [f.id for f in found]
    cards = await _cards(session, draft.kind, ids)
    trials = await trials_of(session, ids) if draft.kind == "solution" else {}
    items = []
    for f in found:
        card = cards.get(f.id)
        if card is None:
            continue
        past = [PastTrial(trial_id=t.trial_id, match_id=t.match_id, wish_id=t.wish_id,
                          state=t.state, verdict=t.verdict, report_version=t.report_version)
                for t in trials.get(f.id, [])]
        items.append(Similar(id=f.id, kind=draft.kind, trl=card.get("trl"), trials=past,
                             status="open" if draft.kind == "wish" else "listed",
                             **_shown(f, card)))
    return SimilarPage(kind=draft.kind, items=items, floor=floor)
