"""The market survey (GET /v1/survey, JSON or CSV) and possible duplicates (POST /v1/similar).
Public reads: no contact email in either answer."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from contracts.categories import CategoryId
from innoportal.http import request_language
from innoportal.listing import Offset
from innoportal.uow import UnitOfWorkDep
from services.matcher.api.deps import IdQuery, StateDep
from services.matcher.api.survey_csv import survey_csv, wants_csv
from services.matcher.domain.survey import Filters
from services.matcher.service import survey as service
from services.matcher.survey_models import Draft, SimilarPage, SurveyPage

router = APIRouter(prefix="/v1", tags=["survey"])
MAX_Q = 2000  # a need described in a paragraph, pasted in

SurveyText = Annotated[str | None, Query(max_length=MAX_Q,
                                         description="Words in English or 中文, or both")]
CategoryQuery = Annotated[CategoryId | None, Query(description="Only records in this category")]
TrlMin = Annotated[int | None, Query(ge=1, le=9, description="Solutions at this readiness "
                                     "level or higher")]
SurveyLimit = Annotated[int, Query(ge=1, le=500, description="Page size (up to 500, for a CSV)")]
Format = Annotated[Literal["json", "csv"] | None,
                   Query(description="csv: the same list as CSV (so does Accept: text/csv)")]


@router.get("/survey", response_model=SurveyPage,
            responses={200: {"content": {"text/csv": {}},
                             "description": "The ranked list (CSV with format=csv or "
                                            "Accept: text/csv)."}})
async def survey(
    request: Request, uow: UnitOfWorkDep, state: StateDep, wish_id: IdQuery = None,
    solution_id: IdQuery = None, q: SurveyText = None, category: CategoryQuery = None,
    trl_min: TrlMin = None, limit: SurveyLimit = 20, offset: Offset = 0, format: Format = None,
) -> Any:
    """Market survey: every solution scoring above a low floor for a wish (`wish_id`) or a need
    in words (`q`), best first, with score and reasons; `solution_id` ranks the open wishes for
    a solution instead. Filters: `category`, `trl_min`. Public."""
    runtime = request.app.state.runtime
    page = await service.survey(
        uow, state.matcher, wish_id=wish_id, solution_id=solution_id, q=q,
        filters=Filters(category, trl_min), floor=runtime.settings.survey_floor, limit=limit,
        offset=offset)
    if wants_csv(format, request.headers.get("accept", "")):
        lang_path = "zh-hk" if request_language(request) == "zh-HK" else "en"
        return survey_csv(page, runtime.common.portal_url, lang_path)
    return page


@router.post("/similar", response_model=SimilarPage)
async def similar_records(draft: Draft, request: Request, uow: UnitOfWorkDep,
                          state: StateDep) -> SimilarPage:
    """Possible duplicates of a draft wish or solution (not stored): the existing records of its
    kind most alike, best first, each solution with its field trials. Public; stores nothing."""
    floor = request.app.state.runtime.settings.similar_floor
    return await service.find_similar(uow, state.matcher, draft, floor=floor)
