"""HTTP API of the solutions service (port 8102)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlmodel import col

from contracts import SolutionSubmitted
from contracts.categories import CategoryId
from innoportal.auth import ProviderDep
from innoportal.fields import ID_PATTERN, is_record_id
from innoportal.http import FieldError
from innoportal.listing import (
    Limit,
    Offset,
    SearchQuery,
    SessionDep,
    categories_csv,
    page_of,
    store_record,
)
from services.solutions import domain
from services.solutions.models import (
    KnownWish,
    Solution,
    SolutionCreate,
    SolutionPage,
    SolutionPublic,
    SolutionTerm,
)

router = APIRouter(prefix="/v1/solutions", tags=["solutions"])


@router.post("", status_code=201, response_model=SolutionPublic)
async def submit_solution(
    body: SolutionCreate, principal: ProviderDep, session: SessionDep, request: Request
) -> SolutionPublic:
    """Submit a solution (provider); SolutionSubmitted is published once it is stored."""
    errors = body.field_errors()
    if body.wish_id is not None:
        wish = await session.get(KnownWish, body.wish_id)
        errors += domain.wish_link_errors(body.wish_id, wish.status if wish else None)
    if errors:
        raise FieldError(errors)
    solution = Solution(
        **body.model_dump(exclude={"categories", "website"}),
        website=str(body.website) if body.website else None,
        categories_csv=categories_csv(body.categories),
        owner_org=principal.org,
    )
    await store_record(request, session, solution, SolutionTerm,
                       lambda s: SolutionSubmitted(solution=s.to_record()), kind="solution")
    return SolutionPublic.of(solution)


@router.get("", response_model=SolutionPage)
async def list_solutions(
    session: SessionDep,
    category: CategoryId | None = None,
    q: SearchQuery = None,
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    wish_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> SolutionPage:
    """List the solution catalogue, newest first, or best match first when searching with q."""
    where = []
    if category:
        where.append(col(Solution.categories_csv).contains(f",{category},"))
    if trl_min is not None:
        where.append(col(Solution.trl) >= trl_min)
    if wish_id:
        where.append(col(Solution.wish_id) == wish_id)
    rows, total = await page_of(
        session, Solution, SolutionTerm, q=q, where=where, limit=limit, offset=offset
    )
    return SolutionPage(items=[SolutionPublic.of(s) for s in rows], total=total, limit=limit,
                        offset=offset)


@router.get("/{solution_id}", response_model=SolutionPublic)
async def get_solution(solution_id: str, session: SessionDep) -> SolutionPublic:
    """One solution by id."""
    solution = (
        await session.get(Solution, solution_id) if is_record_id(solution_id) else None
    )
    if solution is None:
        raise HTTPException(404, f"solution_id: no solution {solution_id!r}")
    return SolutionPublic.of(solution)
